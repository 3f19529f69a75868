//! PM405 adr-conversation-not-scheduled: if the incident exposes a decision
//! that should be re-opened, name the ADR and schedule the conversation.

use postmortem_model::{FieldPath, Postmortem};

use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM405",
    name: "adr-conversation-not-scheduled",
    severity: Severity::Error,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "An implicated ADR has no conversation scheduled.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"Name the ADR and schedule the conversation.\"",
    check,
};

/// How an ADR is called in a message: its title, its path or its place.
#[cfg(feature = "document")]
pub(crate) fn adr_name(i: usize, adr: &postmortem_model::AdrImplication) -> String {
    if !adr.title.trim().is_empty() {
        format!("\"{}\"", adr.title.trim())
    } else if let Some(path) = &adr.path {
        path.to_string()
    } else {
        format!("adrs[{i}]")
    }
}

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    for (i, adr) in pm.adrs.iter().enumerate() {
        if adr.conversation_on.is_none() {
            let message = say!(out,
                doc: format!(
                    "The ADR {} is re-opened but no conversation is scheduled: set the day the decision will be re-discussed, so the re-opening does not stay a note (the decision record, not a chain level).",
                    adr_name(i, adr)
                ),
                form: format!(
                    "Choose the day ADR {} is discussed again.",
                    i + 1
                ),
            );
            out.push(rule.finding(None, FieldPath::adr(i, "conversation_on"), message));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_per_unscheduled_adr() {
        let mut pm = example();
        pm.adrs[0].conversation_on = None;
        pm.adrs.push(postmortem_model::AdrImplication::default());
        let f = RULE.check(&pm);
        assert_eq!(f.len(), 2);
        assert!(
            f[0].message
                .contains("\"ADR-0012 Cache warming runs after deploy\"")
        );
        assert!(f[1].message.contains("adrs[1]"));
    }

    #[test]
    fn quiet_when_scheduled_or_when_no_adr_is_implicated() {
        assert!(codes(&RULE, &example()).is_empty());
        let mut pm = example();
        pm.adrs.clear();
        assert!(codes(&RULE, &pm).is_empty());
    }
}
