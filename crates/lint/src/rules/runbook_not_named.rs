//! PM402 runbook-not-named: before the postmortem closes, the runbook that
//! was used is updated, and the postmortem lives next to it.

use postmortem_model::{ChainLevel, Postmortem};

use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM402",
    name: "runbook-not-named",
    severity: Severity::Error,
    level: Some(ChainLevel::L5),
    #[cfg(any(test, feature = "docs"))]
    summary: "The postmortem does not name the runbook that was used.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"The runbook used — what worked, what didn't, what would be faster next time. Edit RB-021 today.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    if pm.runbook.path.is_none() {
        let message = say!(out,
            doc: "The postmortem names no runbook (L5 Operation): give the path of the runbook that was used, e.g. runbooks/RB-021.md, so it is updated today and the postmortem is published next to it; if there was none, that is the L5 finding.",
            form: "Enter the runbook that was used: the postmortem is published next to it. If there was none, that is a finding at L5 Operation.",
        );
        out.push(rule.finding(Some(ChainLevel::L5), "runbook.path", message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_without_a_path() {
        let mut pm = example();
        pm.runbook.path = None;
        assert_eq!(codes(&RULE, &pm), ["PM402"]);
    }

    #[test]
    fn quiet_with_a_path() {
        assert!(codes(&RULE, &example()).is_empty());
    }
}
