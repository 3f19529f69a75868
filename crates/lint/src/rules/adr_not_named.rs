//! PM406 adr-not-named: an implicated ADR is named by its file, so the ADR
//! can reference the postmortem ("referenced from the ADRs").

use postmortem_model::{FieldPath, Postmortem};

use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM406",
    name: "adr-not-named",
    severity: Severity::Warning,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "An implicated ADR has no path.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"The postmortem lives next to the runbook and is referenced from the ADRs.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    for (i, adr) in pm.adrs.iter().enumerate() {
        if adr.path.is_none() {
            let message = say!(out,
                doc: format!(
                    "The ADR {} has no path: give its file, e.g. docs/adr/0012-cache-warming.md, so the ADR can reference this postmortem (the decision record, not a chain level).",
                    super::adr_conversation_not_scheduled::adr_name(i, adr)
                ),
                form: format!(
                    "Enter the file of ADR {}, so it can link back to this postmortem.",
                    i + 1
                ),
            );
            out.push(rule.finding(None, FieldPath::adr(i, "path"), message));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_without_a_path() {
        let mut pm = example();
        pm.adrs[0].path = None;
        assert_eq!(codes(&RULE, &pm), ["PM406"]);
    }

    #[test]
    fn quiet_with_a_path() {
        assert!(codes(&RULE, &example()).is_empty());
    }
}
