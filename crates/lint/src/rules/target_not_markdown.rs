//! PM407 target-not-markdown: the runbook and the implicated ADRs are the
//! documents the postmortem updates and lives beside, so each is a Markdown
//! file the Action can append to and link from.

use postmortem_model::{ChainLevel, FieldPath, Postmortem, RepoPath};

use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM407",
    name: "target-not-markdown",
    severity: Severity::Error,
    level: Some(ChainLevel::L5),
    #[cfg(any(test, feature = "docs"))]
    summary: "The runbook or an implicated ADR is not a Markdown file.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"The postmortem lives next to the runbook and is referenced from the ADRs.\"",
    check,
};

fn markdown(p: &RepoPath) -> bool {
    let lower = p.as_str().to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    if let Some(p) = pm.runbook.path.as_ref().filter(|p| !markdown(p)) {
        let message = say!(out,
            doc: format!("The runbook {p} is not a Markdown file: name the runbook's .md file (e.g. runbooks/RB-021.md), which the postmortem's update is added to."),
            form: format!("{p} is not a Markdown file: enter the runbook's .md file."),
        );
        out.push(rule.finding(Some(ChainLevel::L5), "runbook.path", message));
    }
    for (i, adr) in pm.adrs.iter().enumerate() {
        if let Some(p) = adr.path.as_ref().filter(|p| !markdown(p)) {
            let message = say!(out,
                doc: format!("The ADR {p} is not a Markdown file: name the decision record's .md file (e.g. docs/adr/0012-cache-warming.md), which gets a link back to the postmortem."),
                form: format!("{p} is not a Markdown file: enter the ADR's .md file."),
            );
            out.push(rule.finding(Some(ChainLevel::L5), FieldPath::adr(i, "path"), message));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_for_a_runbook_or_adr_that_is_not_markdown() {
        let mut pm = example();
        pm.runbook.path = Some("runbooks/RB-021.sh".parse().unwrap());
        assert_eq!(codes(&RULE, &pm), ["PM407"]);
        let mut pm = example();
        pm.adrs[0].path = Some("docs/adr/0012.json".parse().unwrap());
        assert_eq!(codes(&RULE, &pm), ["PM407"]);
    }

    #[test]
    fn quiet_for_markdown_files() {
        assert!(codes(&RULE, &example()).is_empty());
        let mut pm = example();
        pm.runbook.path = Some("wiki/Runbook.MARKDOWN".parse().unwrap());
        assert!(codes(&RULE, &pm).is_empty());
    }
}
