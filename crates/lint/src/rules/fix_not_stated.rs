//! PM304 fix-not-stated: the fix says what changes at its level.

use postmortem_model::Postmortem;

use super::blank;
use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM304",
    name: "fix-not-stated",
    severity: Severity::Error,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "The fix does not say what changes.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"Lands one chain-level fix.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    if blank(&pm.fix.statement) {
        let message = say!(out,
            doc: format!(
                "{} does not say what changes: state the change at that level, e.g. \"the cold-cache warming job ships in the current cycle\".",
                super::the_fix_cap(pm)
            ),
            form: "Say what changes at the fix's level: about the level, never about a person.",
        );
        out.push(rule.finding(pm.fix.level, "fix.statement", message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_on_an_empty_statement() {
        let mut pm = example();
        pm.fix.statement.clear();
        let f = RULE.check(&pm);
        assert!(f[0].message.starts_with("The L3 Scope fix does not say"));
    }

    #[test]
    fn quiet_with_a_statement() {
        assert!(codes(&RULE, &example()).is_empty());
    }
}
