//! PM105 timeline-written-before-event: an entry cannot be written before
//! the event it records. A tolerance of [`CLOCK_SKEW`] (5 minutes) allows
//! for clocks and rounding ("T+0:04" written at 14:54:58).

use chrono::TimeDelta;
use postmortem_model::{ChainLevel, Postmortem};

use super::human;
use crate::{Out, Rule, Severity, say};

/// How far a write time may precede its event before it is reported.
pub(crate) const CLOCK_SKEW: TimeDelta = TimeDelta::minutes(5);

pub(crate) const RULE: Rule = Rule {
    code: "PM105",
    name: "timeline-written-before-event",
    severity: Severity::Warning,
    level: Some(ChainLevel::L5),
    #[cfg(any(test, feature = "docs"))]
    summary: "A timeline entry says it was written more than 5 minutes before its event.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"The timeline was written during the incident.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    for (i, e) in pm.timeline.iter().enumerate() {
        let Some(written) = e.written_at else {
            continue;
        };
        let early = e.at - written;
        if early > CLOCK_SKEW {
            let message = say!(out,
                doc: format!(
                    "timeline[{i}] says it was written {} before the event it records: correct at or written_at, so the timeline shows it was written during the incident (L5 Operation).",
                    human(early)
                ),
                form: format!(
                    "Entry {} says it was written {} before it happened: check “Happened at” and “Written at”, and their time zones.",
                    i + 1,
                    human(early)
                ),
            );
            out.push(rule.finding(
                Some(ChainLevel::L5),
                format!("timeline[{i}].written_at").as_str(),
                message,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example, t};

    #[test]
    fn fires_on_an_entry_written_before_its_event() {
        let mut pm = example();
        pm.timeline[4].written_at = Some(t("2026-05-18T14:40:00+00:00"));
        let f = RULE.check(&pm);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("19 minutes before"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn quiet_within_clock_skew() {
        let mut pm = example();
        pm.timeline[4].written_at = Some(t("2026-05-18T14:56:00+00:00"));
        assert!(codes(&RULE, &pm).is_empty());
        assert!(codes(&RULE, &example()).is_empty());
    }
}
