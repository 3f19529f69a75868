//! PM305 fix-not-owned: one fix, owned, dated, testable.

use postmortem_model::Postmortem;

use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM305",
    name: "fix-not-owned",
    severity: Severity::Error,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "The fix has no owner.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"One fix, owned, dated, testable.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    if pm.fix.owner.is_none() {
        let message = say!(out,
            doc: format!(
                "{} has no owner: name the GitHub login that owns it, because the practice's fix is owned, dated and testable.",
                super::the_fix_cap(pm)
            ),
            form: "Enter the GitHub login of the fix's owner.",
        );
        out.push(rule.finding(pm.fix.level, "fix.owner", message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_without_an_owner() {
        let mut pm = example();
        pm.fix.owner = None;
        assert_eq!(codes(&RULE, &pm), ["PM305"]);
    }

    #[test]
    fn quiet_with_an_owner() {
        assert!(codes(&RULE, &example()).is_empty());
    }
}
