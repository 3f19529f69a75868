//! PM001 incident-incomplete: the postmortem is bound to a specific
//! incident, so the incident needs its id, title, severity and start time.

use postmortem_model::Postmortem;

use super::blank;
use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM001",
    name: "incident-incomplete",
    severity: Severity::Error,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "The incident has no id, title, severity or start time.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"Bound to a specific incident.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    let i = &pm.incident;
    let missing = [
        (
            i.id.is_none(),
            "incident.id",
            say!(out,
                doc: "The incident has no id, so the postmortem is not bound to a specific incident: add its id, e.g. INC-2026-0142 (the incident itself, before any chain level).",
                form: "Add the incident's id, e.g. INC-2026-0142: a postmortem is bound to one incident."),
        ),
        (
            blank(&i.title),
            "incident.title",
            say!(out,
                doc: "The incident has no title, so nobody can tell which incident this is at a glance: add a one-line title that names the symptom, e.g. \"queue.render p95 above 2s\" (the incident itself, before any chain level).",
                form: "Add a one-line title that names the symptom."),
        ),
        (
            i.severity.is_none(),
            "incident.severity",
            say!(out,
                doc: "The incident has no severity, so the postmortem cannot be weighed against others: set SEV-1 to SEV-4 (the incident itself, before any chain level).",
                form: "Choose a severity, so this postmortem can be weighed against others."),
        ),
        (
            i.started_at.is_none(),
            "incident.started_at",
            say!(out,
                doc: "The incident has no start time, so the timeline and the 72-hour window have no T+0:00: set when it started (the incident itself, before any chain level).",
                form: "Enter when the incident started: the timeline and the 72-hour clock count from it."),
        ),
    ];
    for (is_missing, field, message) in missing {
        if is_missing {
            out.push(rule.finding(None, field, message));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_once_per_missing_field() {
        let mut pm = example();
        pm.incident.id = None;
        pm.incident.title = "  ".into();
        pm.incident.severity = None;
        pm.incident.started_at = None;
        let fields: Vec<String> = RULE
            .check(&pm)
            .iter()
            .map(|f| f.field.to_string())
            .collect();
        assert_eq!(
            fields,
            [
                "incident.id",
                "incident.title",
                "incident.severity",
                "incident.started_at"
            ]
        );
    }

    #[test]
    fn quiet_on_a_complete_incident() {
        assert!(codes(&RULE, &example()).is_empty());
    }

    #[test]
    fn quiet_on_missing_optional_times() {
        let mut pm = example();
        pm.incident.detected_at = None;
        pm.incident.mitigated_at = None;
        pm.incident.resolved_at = None;
        assert!(codes(&RULE, &pm).is_empty());
    }
}
