//! PM007 no-service: a published postmortem is searchable by date, by
//! service and by chain level, so it names the services it touched.

use postmortem_model::Postmortem;

use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM007",
    name: "no-service",
    severity: Severity::Warning,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "The incident names no service, so it cannot be found by service.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"Searchable by date, by service, by chain level.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    if pm.incident.services.is_empty() {
        let message = say!(out,
            doc: "The incident names no service, so the published postmortem cannot be found by service: list the services it touched, e.g. queue-render (publishing, not a chain level).",
            form: "List the services the incident touched.",
        );
        out.push(rule.finding(None, "incident.services", message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_without_services() {
        let mut pm = example();
        pm.incident.services.clear();
        assert_eq!(codes(&RULE, &pm), ["PM007"]);
    }

    #[test]
    fn quiet_with_services() {
        assert!(codes(&RULE, &example()).is_empty());
    }
}
