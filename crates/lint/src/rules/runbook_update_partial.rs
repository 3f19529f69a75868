//! PM404 runbook-update-partial: the practice asks the runbook for all
//! three: what worked, what didn't, what would be faster next time. When
//! some are written and some are not, each missing one is a warning (when
//! none is written, PM403 reports it).

use postmortem_model::{ChainLevel, Postmortem};

use super::blank;
use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM404",
    name: "runbook-update-partial",
    severity: Severity::Warning,
    level: Some(ChainLevel::L5),
    #[cfg(any(test, feature = "docs"))]
    summary: "The runbook update leaves out what worked, what didn't or what would be faster.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"What worked, what didn't, what would be faster next time.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    let r = &pm.runbook;
    let parts = [
        ("runbook.worked", &r.worked, "what worked", "What worked"),
        (
            "runbook.did_not_work",
            &r.did_not_work,
            "what did not work",
            "What did not work",
        ),
        (
            "runbook.faster_next_time",
            &r.faster_next_time,
            "what would be faster next time",
            "What would be faster next time",
        ),
    ];
    if parts.iter().all(|(_, text, _, _)| blank(text)) {
        return;
    }
    for (field, text, what, label) in parts {
        if blank(text) {
            let message = say!(out,
                doc: format!(
                    "The runbook update does not say {what} (L5 Operation): the practice asks for what worked, what didn't and what would be faster next time; write \"nothing\" if that is the honest answer."
                ),
                form: format!(
                    "Fill in “{label}” too; write “nothing” if that is the honest answer."
                ),
            );
            #[cfg(not(feature = "document"))]
            let _ = what;
            #[cfg(not(any(test, feature = "form")))]
            let _ = label;
            out.push(rule.finding(Some(ChainLevel::L5), field, message));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_once_per_missing_part() {
        let mut pm = example();
        pm.runbook.did_not_work.clear();
        pm.runbook.faster_next_time.clear();
        let fields: Vec<String> = RULE
            .check(&pm)
            .iter()
            .map(|f| f.field.to_string())
            .collect();
        assert_eq!(fields, ["runbook.did_not_work", "runbook.faster_next_time"]);
    }

    #[test]
    fn quiet_when_complete_or_entirely_empty() {
        assert!(codes(&RULE, &example()).is_empty());
        let mut pm = example();
        pm.runbook = Default::default();
        assert!(codes(&RULE, &pm).is_empty());
    }
}
