//! PM403 runbook-not-updated: the runbook learns what worked, what didn't
//! and what would be faster next time. All three empty is no update.

use postmortem_model::{ChainLevel, Postmortem};

use super::blank;
use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM403",
    name: "runbook-not-updated",
    severity: Severity::Error,
    level: Some(ChainLevel::L5),
    #[cfg(any(test, feature = "docs"))]
    summary: "The runbook update says neither what worked, what didn't, nor what would be faster.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"Before the postmortem closes … the runbook used — what worked, what didn't, what would be faster next time.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    let r = &pm.runbook;
    if blank(&r.worked) && blank(&r.did_not_work) && blank(&r.faster_next_time) {
        let message = say!(out,
            doc: "The runbook update is empty (L5 Operation), so operational knowledge dies with the on-call: before the postmortem closes, write what worked, what did not and what would be faster next time, and edit the runbook today.",
            form: "Write what worked, what did not and what would be faster next time: the runbook gets them today.",
        );
        out.push(rule.finding(Some(ChainLevel::L5), "runbook", message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_when_all_three_are_empty() {
        let mut pm = example();
        pm.runbook.worked.clear();
        pm.runbook.did_not_work = " ".into();
        pm.runbook.faster_next_time.clear();
        assert_eq!(codes(&RULE, &pm), ["PM403"]);
    }

    #[test]
    fn quiet_when_one_is_filled() {
        let mut pm = example();
        pm.runbook.worked.clear();
        pm.runbook.did_not_work.clear();
        assert!(codes(&RULE, &pm).is_empty());
        assert!(codes(&RULE, &example()).is_empty());
    }
}
