//! PM103 timeline-written-at-unknown: entries without `written_at` leave
//! open whether the timeline was written during the incident.

use postmortem_model::{ChainLevel, Postmortem};

use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM103",
    name: "timeline-written-at-unknown",
    severity: Severity::Warning,
    level: Some(ChainLevel::L5),
    #[cfg(any(test, feature = "docs"))]
    summary: "Timeline entries do not say when they were written.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"The timeline was written during the incident, not reconstructed after.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    let unknown: Vec<usize> = (0..pm.timeline.len())
        .filter(|&i| pm.timeline[i].written_at.is_none())
        .collect();
    let Some(&first) = unknown.first() else {
        return;
    };
    let message = say!(out,
        doc: format!(
            "{} of {} timeline entries do not say when they were written, so nobody can tell whether the timeline was written during the incident (L5 Operation): record written_at for each entry, as the on-call's notes or a chat export do.",
            unknown.len(),
            pm.timeline.len()
        ),
        form: format!(
            "{} of {} entries lack “Written at”: it shows the timeline was written during the incident.",
            unknown.len(),
            pm.timeline.len()
        ),
    );
    out.push(rule.finding(
        Some(ChainLevel::L5),
        format!("timeline[{first}].written_at").as_str(),
        message,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_once_at_the_first_unknown_entry() {
        let mut pm = example();
        pm.timeline[2].written_at = None;
        pm.timeline[5].written_at = None;
        let f = RULE.check(&pm);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].field.as_str(), "timeline[2].written_at");
        assert!(f[0].message.starts_with("2 of 8"));
    }

    #[test]
    fn quiet_when_every_entry_says_when() {
        assert!(codes(&RULE, &example()).is_empty());
    }
}
