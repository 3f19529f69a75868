//! PM401 leadership-summarised: the postmortem is read by leadership
//! directly, not summarised in an all-hands; the artefact is the medium.

use postmortem_model::Postmortem;

use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM401",
    name: "leadership-summarised",
    severity: Severity::Error,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "No leadership reader is listed: leadership would be summarised to, not read.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"Leadership reads, not summary … The artefact is the medium.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    if pm.readers.is_empty() {
        let message = say!(out,
            doc: "Nobody in leadership is listed to read the postmortem, so it will be summarised, not read: hand them the artefact by listing them under readers, e.g. acme/leadership, because a meeting that retells it is the failure shape (leadership, not a chain level).",
            form: "List who in leadership reads the postmortem itself: a meeting that retells it is not the same.",
        );
        out.push(rule.finding(None, "readers", message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_without_readers() {
        let mut pm = example();
        pm.readers.clear();
        assert_eq!(codes(&RULE, &pm), ["PM401"]);
    }

    #[test]
    fn quiet_with_a_user_or_a_team() {
        assert!(codes(&RULE, &example()).is_empty());
        let mut pm = example();
        pm.readers = vec!["cto-jane".parse().unwrap()];
        assert!(codes(&RULE, &pm).is_empty());
    }
}
