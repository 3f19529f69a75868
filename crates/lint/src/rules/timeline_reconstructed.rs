//! PM102 timeline-reconstructed: the timeline was written during the
//! incident, not reconstructed after.
//!
//! Threshold: an entry is reconstructed when it was written more than
//! [`AFTER_EVENT`] (2 hours) after the event it records **and** more than
//! [`AFTER_CLOSE`] (1 hour) after the incident closed (`resolved_at`, else
//! `mitigated_at`; when neither is known, the 2 hours alone decide). The
//! first condition leaves room for a busy bridge on a long incident — a
//! note written three hours into a ten-hour SEV-1 is still written during
//! it — and the second for the on-call tidying notes right after the watch
//! ends. An entry written the next day, or at the postmortem, is neither.
//! The practice treats a reconstructed timeline as a chain-level signal in
//! itself: L5 Operation, runbook and on-call discipline.

use chrono::TimeDelta;
use postmortem_model::{ChainLevel, Postmortem, TimelineEntry, Timestamp};

use super::human;
use crate::{Out, Rule, Severity, say};

/// How long after the event an entry may be written.
pub(crate) const AFTER_EVENT: TimeDelta = TimeDelta::hours(2);
/// How long after the incident closed an entry may be written.
pub(crate) const AFTER_CLOSE: TimeDelta = TimeDelta::hours(1);

pub(crate) const RULE: Rule = Rule {
    code: "PM102",
    name: "timeline-reconstructed",
    severity: Severity::Error,
    level: Some(ChainLevel::L5),
    #[cfg(any(test, feature = "docs"))]
    summary: "Timeline entries were written more than 2 hours after the event and more than 1 hour after the incident closed.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"The timeline was written during the incident, not reconstructed after.\"",
    check,
};

/// Whether `entry` was written after the fact.
pub(crate) fn reconstructed(entry: &TimelineEntry, closed: Option<Timestamp>) -> bool {
    let Some(written) = entry.written_at else {
        return false;
    };
    written - entry.at > AFTER_EVENT && closed.is_none_or(|end| written - end > AFTER_CLOSE)
}

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    let closed = pm.incident.resolved_at.or(pm.incident.mitigated_at);
    let late: Vec<usize> = (0..pm.timeline.len())
        .filter(|&i| reconstructed(&pm.timeline[i], closed))
        .collect();
    let Some(&first) = late.first() else {
        return;
    };
    let entry = &pm.timeline[first];
    let lag = entry.written_at.map_or(TimeDelta::zero(), |w| w - entry.at);
    let how_many = if late.len() == pm.timeline.len() {
        format!("All {} timeline entries were", late.len())
    } else if late.len() == 1 {
        format!("1 of {} timeline entries was", pm.timeline.len())
    } else {
        format!(
            "{} of {} timeline entries were",
            late.len(),
            pm.timeline.len()
        )
    };
    let message = say!(out,
        doc: format!(
            "{how_many} written after the incident (timeline[{first}] {} after the event), so the timeline was reconstructed, which the practice treats as a chain-level signal in itself at L5 Operation: fix the runbook and on-call discipline so the on-call writes the timeline during the incident.",
            human(lag)
        ),
        form: format!(
            "{how_many} written after the incident (entry {}, {} later): a reconstructed timeline is a finding at L5 Operation.",
            first + 1,
            human(lag)
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
    use crate::rules::{codes, example, t};

    #[test]
    fn fires_once_on_a_timeline_written_the_next_day() {
        let mut pm = example();
        for e in &mut pm.timeline {
            e.written_at = Some(t("2026-05-19T09:30:00+00:00"));
        }
        let f = RULE.check(&pm);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].field.as_str(), "timeline[0].written_at");
        assert!(
            f[0].message
                .starts_with("All 8 timeline entries were written")
        );
        assert!(f[0].message.contains("18 hours 39 minutes after the event"));
        assert!(f[0].message.contains("L5 Operation"));
    }

    #[test]
    fn points_at_the_first_late_entry() {
        let mut pm = example();
        pm.timeline[3].written_at = Some(t("2026-05-20T08:00:00+00:00"));
        let f = RULE.check(&pm);
        assert_eq!(f[0].field.as_str(), "timeline[3].written_at");
        assert!(f[0].message.starts_with("1 of 8 timeline entries was"));
    }

    #[test]
    fn quiet_on_notes_written_during_a_long_incident() {
        let mut pm = example();
        // A ten-hour incident: the first entry is written three hours in.
        pm.incident.resolved_at = Some(t("2026-05-19T00:51:00+00:00"));
        pm.timeline[0].written_at = Some(t("2026-05-18T17:51:00+00:00"));
        assert!(codes(&RULE, &pm).is_empty());
    }

    #[test]
    fn quiet_on_notes_tidied_right_after_the_watch() {
        let mut pm = example();
        // Written 16:40, under 2 hours after the event at 14:57.
        pm.timeline[3].written_at = Some(t("2026-05-18T16:40:00+00:00"));
        assert!(codes(&RULE, &pm).is_empty());
        // Closed 16:30; written 17:00: over 2 hours after the event at 14:51,
        // but within 1 hour of close.
        pm.incident.resolved_at = Some(t("2026-05-18T16:30:00+00:00"));
        pm.timeline[0].written_at = Some(t("2026-05-18T17:00:00+00:00"));
        assert!(codes(&RULE, &pm).is_empty());
        // Written 17:35: over both.
        pm.timeline[0].written_at = Some(t("2026-05-18T17:35:00+00:00"));
        assert_eq!(codes(&RULE, &pm), ["PM102"]);
    }

    #[test]
    fn without_a_close_time_two_hours_decide() {
        let mut pm = example();
        pm.incident.resolved_at = None;
        pm.incident.mitigated_at = None;
        pm.timeline[0].written_at = Some(t("2026-05-18T16:52:00+00:00"));
        assert_eq!(codes(&RULE, &pm), ["PM102"]);
    }

    #[test]
    fn quiet_on_the_practice_example_and_unknown_write_times() {
        assert!(codes(&RULE, &example()).is_empty());
        let mut pm = example();
        for e in &mut pm.timeline {
            e.written_at = None;
        }
        assert!(codes(&RULE, &pm).is_empty());
    }
}
