//! PM306 fix-not-dated: one fix, owned, dated, testable.

use postmortem_model::Postmortem;

use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM306",
    name: "fix-not-dated",
    severity: Severity::Error,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "The fix has no due date.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"One fix, owned, dated, testable.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    if pm.fix.due.is_none() {
        let message = say!(out,
            doc: format!(
                "{} has no due date: give the day by which it is live, e.g. 2026-05-30, because the practice's fix is owned, dated and testable.",
                super::the_fix_cap(pm)
            ),
            form: "Enter the day by which the fix is live.",
        );
        out.push(rule.finding(pm.fix.level, "fix.due", message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_without_a_due_date() {
        let mut pm = example();
        pm.fix.due = None;
        assert_eq!(codes(&RULE, &pm), ["PM306"]);
    }

    #[test]
    fn quiet_with_a_due_date() {
        assert!(codes(&RULE, &example()).is_empty());
    }
}
