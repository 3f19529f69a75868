//! PM002 held-late: the practice holds the postmortem within 72 hours of
//! the incident. Measured from `incident.started_at` to `held_at`; more
//! than 72 hours is late.

use chrono::TimeDelta;
use postmortem_model::Postmortem;

use super::human;
use crate::{Out, Rule, Severity, say};

/// The practice's window.
pub(crate) const WINDOW: TimeDelta = TimeDelta::hours(72);

pub(crate) const RULE: Rule = Rule {
    code: "PM002",
    name: "held-late",
    severity: Severity::Warning,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "The postmortem was held more than 72 hours after the incident started.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"Schedule within 72 hours\" (85% produce a fix; after a week, 50%).",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    let (Some(start), Some(held)) = (pm.incident.started_at, pm.held_at) else {
        return;
    };
    let after = held - start;
    if after > WINDOW {
        let message = say!(out,
            doc: format!(
                "The postmortem was held {} after the incident; the practice holds it within 72 hours, while 85% of postmortems still produce a fix (50% after a week), so schedule the next one sooner (the postmortem's timing, not a chain level).",
                human(after)
            ),
            form: format!(
                "Held {} after the incident, past 72 hours: record it as it was, and hold the next one sooner.",
                human(after)
            ),
        );
        out.push(rule.finding(None, "held_at", message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example, t};

    #[test]
    fn says_how_late() {
        let mut pm = example();
        pm.held_at = Some(t("2026-05-22T17:51:00+00:00"));
        let f = RULE.check(&pm);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains(
                "held 4 days 3 hours after the incident; the practice holds it within 72 hours"
            ),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].field.as_str(), "held_at");
    }

    #[test]
    fn quiet_at_exactly_72_hours_and_across_offsets() {
        let mut pm = example();
        pm.held_at = Some(t("2026-05-21T14:51:00+00:00"));
        assert!(codes(&RULE, &pm).is_empty());
        // 16:51+02:00 is 14:51 UTC: the same instant in another offset.
        pm.held_at = Some(t("2026-05-21T16:51:00+02:00"));
        assert!(codes(&RULE, &pm).is_empty());
        pm.held_at = Some(t("2026-05-21T14:52:00+00:00"));
        assert_eq!(codes(&RULE, &pm), ["PM002"]);
    }

    #[test]
    fn quiet_without_times() {
        let mut pm = example();
        pm.held_at = None;
        assert!(codes(&RULE, &pm).is_empty());
    }
}
