//! PM303 several-fixes: one chain-level fix; the rest go to the retro, or
//! to the next postmortem if the incident recurs.
//!
//! The model holds exactly one fix, so a [`Postmortem`] can never break
//! this rule: parsing refuses a document or JSON form that lists several,
//! and the caller reports [`finding`] (`crate::several_fixes`) instead.

use postmortem_model::Postmortem;

use crate::{Audience, Finding, Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM303",
    name: "several-fixes",
    severity: Severity::Error,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "The postmortem lists several fixes instead of one.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"Three or five fixes … One. The rest go to retro or to next-postmortem if recurring.\"",
    check,
};

/// Nothing to check: a postmortem value holds one fix by construction.
fn check(_: &Rule, _: &Postmortem, _: &mut Out) {}

/// The finding for a text that lists `count` fixes.
pub(crate) fn finding(count: usize, line: Option<u32>, audience: Audience) -> Finding {
    let out = Out::new(audience);
    let message = say!(out,
        doc: format!(
            "The postmortem lists {count} fixes, and postmortems with three fixes tested none in 40% of cases: keep the one at the level that produced the incident, because a postmortem lands one fix; the rest go to the retro (or to the next postmortem if the incident recurs)."
        ),
        form: format!(
            "This postmortem lists {count} fixes: keep the one at the level that produced the incident. The rest go to the retro, or to the next postmortem if the incident recurs."
        ),
    );
    let mut f = RULE.finding(None, "fix", message);
    f.line = line;
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn the_finding_names_the_count_and_the_rule() {
        let f = finding(3, None, Audience::Document);
        assert_eq!((f.code, f.rule), ("PM303", "several-fixes"));
        assert!(f.message.contains("lists 3 fixes"));
        assert!(f.message.contains("one fix; the rest go to the retro"));
        assert_eq!(f.field.as_str(), "fix");
    }

    #[test]
    fn a_postmortem_value_never_fires() {
        assert!(codes(&RULE, &example()).is_empty());
    }
}
