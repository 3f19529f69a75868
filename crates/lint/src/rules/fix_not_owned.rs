//! PM305 fix-not-owned: one fix, owned, dated, testable.

use postmortem_model::Postmortem;

use super::the_fix_cap;
use crate::{Finding, Rule, Severity};

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

fn check(rule: &Rule, pm: &Postmortem, out: &mut Vec<Finding>) {
    if pm.fix.owner.is_none() {
        out.push(rule.finding(
            pm.fix.level,
            "fix.owner",
            format!(
                "{} has no owner: name the GitHub login that owns it, because the practice's fix is owned, dated and testable.",
                the_fix_cap(pm)
            ),
        ));
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
