//! PM004 incident-times-out-of-order: detection, mitigation, resolution
//! and the postmortem itself cannot come before the incident started, and
//! resolution cannot come before mitigation. Such times make the 72-hour
//! window and the timeline meaningless.

use postmortem_model::time::format_rfc3339;
use postmortem_model::{Postmortem, Timestamp};

use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM004",
    name: "incident-times-out-of-order",
    severity: Severity::Warning,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "An incident time (or held_at) comes before the time it must follow.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"The timeline still resolves cleanly.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    let i = &pm.incident;
    // Each time, its field and its label in the form.
    type Named = (&'static str, &'static str, Option<Timestamp>);
    let started: Named = ("incident.started_at", "Started at", i.started_at);
    let mitigated: Named = ("incident.mitigated_at", "Mitigated at", i.mitigated_at);
    let resolved: Named = ("incident.resolved_at", "Resolved at", i.resolved_at);
    let pairs: [(Named, Named); 5] = [
        (
            ("incident.detected_at", "Detected at", i.detected_at),
            started,
        ),
        (mitigated, started),
        (resolved, started),
        (resolved, mitigated),
        (("held_at", "Postmortem held at", pm.held_at), started),
    ];
    let mut reported: Vec<&str> = Vec::new();
    for ((late_field, late_label, late), (early_field, early_label, early)) in pairs {
        let (Some(late), Some(early)) = (late, early) else {
            continue;
        };
        if late < early && !reported.contains(&late_field) {
            reported.push(late_field);
            let message = say!(out,
                doc: format!(
                    "{late_field} ({}) comes before {early_field} ({}): correct the times so the timeline and the 72-hour window are measured from the right moment (the incident's times, not a chain level).",
                    format_rfc3339(late),
                    format_rfc3339(early)
                ),
                form: format!(
                    "“{late_label}” is earlier than “{early_label}” ({}): check both times and their time zones.",
                    format_rfc3339(early)
                ),
            );
            #[cfg(not(feature = "document"))]
            let _ = (early_field, late);
            #[cfg(not(any(test, feature = "form")))]
            let _ = (late_label, early_label);
            out.push(rule.finding(None, late_field, message));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example, t};

    #[test]
    fn fires_on_each_time_that_comes_too_early() {
        let mut pm = example();
        pm.incident.detected_at = Some(t("2026-05-18T14:00:00+00:00"));
        pm.incident.resolved_at = Some(t("2026-05-18T14:58:00+00:00"));
        pm.held_at = Some(t("2026-05-17T10:00:00+00:00"));
        let fields: Vec<String> = RULE
            .check(&pm)
            .iter()
            .map(|f| f.field.to_string())
            .collect();
        assert_eq!(
            fields,
            ["incident.detected_at", "incident.resolved_at", "held_at"]
        );
    }

    #[test]
    fn the_message_writes_times_as_chrono_s_rfc3339() {
        let mut pm = example();
        let late = t("2026-05-18T14:00:00.250Z");
        pm.incident.detected_at = Some(late);
        let start = pm.incident.started_at.expect("the example has a start");
        let findings = RULE.check(&pm);
        let message = &findings[0].message;
        assert!(
            message.starts_with(&format!(
                "incident.detected_at ({}) comes before incident.started_at ({}): ",
                late.to_rfc3339(),
                start.to_rfc3339()
            )),
            "{message}"
        );
        assert!(
            message.contains("(2026-05-18T14:00:00.250+00:00)"),
            "{message}"
        );
    }

    #[test]
    fn quiet_on_ordered_times_in_different_offsets() {
        let mut pm = example();
        // 16:59+02:00 is 14:59 UTC, the mitigation time.
        pm.incident.mitigated_at = Some(t("2026-05-18T16:59:00+02:00"));
        assert!(codes(&RULE, &pm).is_empty());
        assert!(codes(&RULE, &example()).is_empty());
    }
}
