//! PM003 held-at-missing: without `held_at` nobody can tell whether the
//! postmortem was held within 72 hours.

use postmortem_model::Postmortem;

use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM003",
    name: "held-at-missing",
    severity: Severity::Warning,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "The postmortem does not say when it was held.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"Schedule within 72 hours.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    if pm.held_at.is_none() {
        let message = say!(out,
            doc: "The postmortem does not say when it was held, so nobody can tell whether it met the practice's 72 hours: record held_at (the postmortem's timing, not a chain level).",
            form: "Enter when the postmortem was held, so readers can see it met the 72 hours.",
        );
        out.push(rule.finding(None, "held_at", message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_without_held_at() {
        let mut pm = example();
        pm.held_at = None;
        assert_eq!(codes(&RULE, &pm), ["PM003"]);
    }

    #[test]
    fn quiet_with_held_at() {
        assert!(codes(&RULE, &example()).is_empty());
    }
}
