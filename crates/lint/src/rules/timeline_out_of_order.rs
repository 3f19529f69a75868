//! PM104 timeline-out-of-order: the timeline is kept oldest first, as the
//! on-call wrote it.

use postmortem_model::{ChainLevel, Postmortem};

use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM104",
    name: "timeline-out-of-order",
    severity: Severity::Warning,
    level: Some(ChainLevel::L5),
    #[cfg(any(test, feature = "docs"))]
    summary: "A timeline entry happened before the entry above it.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"Open with the timeline\" (T+0:00, T+0:02, … in order).",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    if let Some(i) = (1..pm.timeline.len()).find(|&i| pm.timeline[i].at < pm.timeline[i - 1].at) {
        let message = say!(out,
            doc: format!(
                "timeline[{i}] happened before timeline[{}] above it: keep the timeline oldest first, as the on-call wrote it, so the postmortem can read it in order (L5 Operation).",
                i - 1
            ),
            form: format!(
                "Entry {} happened before entry {} above it: sort the timeline oldest first, so it reads in order.",
                i + 1,
                i
            ),
        );
        out.push(rule.finding(
            Some(ChainLevel::L5),
            format!("timeline[{i}].at").as_str(),
            message,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_at_the_first_entry_out_of_order() {
        let mut pm = example();
        pm.timeline.swap(4, 5);
        let f = RULE.check(&pm);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].field.as_str(), "timeline[5].at");
    }

    #[test]
    fn quiet_on_ordered_and_simultaneous_entries() {
        let mut pm = example();
        pm.timeline[1].at = pm.timeline[0].at;
        assert!(codes(&RULE, &pm).is_empty());
    }
}
