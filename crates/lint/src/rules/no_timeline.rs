//! PM101 no-timeline: the postmortem opens with the timeline the on-call
//! wrote during the incident; a missing timeline is itself the chain-level
//! signal (L5 Operation: runbook and on-call discipline).

use postmortem_model::{ChainLevel, Postmortem};

use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM101",
    name: "no-timeline",
    severity: Severity::Error,
    level: Some(ChainLevel::L5),
    #[cfg(any(test, feature = "docs"))]
    summary: "The postmortem has no timeline.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"Open with the timeline … if it is missing, that itself is the chain-level signal.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    if pm.timeline.is_empty() {
        let message = say!(out,
            doc: "The postmortem has no timeline, and a missing timeline is itself the chain-level signal at L5 Operation (runbook and on-call discipline): add the on-call's during-the-incident notes, and make writing them a step of the runbook.",
            form: "Add the notes the on-call wrote during the incident. If nobody wrote any, that is a finding at L5 Operation.",
        );
        out.push(rule.finding(Some(ChainLevel::L5), "timeline", message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_on_an_empty_timeline() {
        let mut pm = example();
        pm.timeline.clear();
        let f = RULE.check(&pm);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].level, Some(ChainLevel::L5));
    }

    #[test]
    fn quiet_with_a_timeline() {
        assert!(codes(&RULE, &example()).is_empty());
    }
}
