//! The pull request's title, labels and body: what leadership reads first.
//! Nothing a person wrote can mention anyone or inject HTML here
//! ([`crate::text`]), and the body always fits GitHub's limit.

use postmortem_model::{IncidentId, Postmortem};

use super::clean::Ready;
use super::{M_PR, OpenInput, Source, branch_for, readers};
use crate::config::Config;
use crate::files;
use crate::fixissue::FixBlock;
use crate::plan::{Piece, Text};
use crate::text::{link_label, marker, neutralise};

/// The PR title: the incident and its one-line title, without anything
/// that could mention someone.
pub(super) fn pr_title(id: &IncidentId, title: &str) -> String {
    let line = postmortem_model::normalize_line(title);
    let line: String = line.chars().take(120).collect();
    // Titles are not HTML; only mentions need defusing.
    let safe = line.replace('@', "@\u{200B}");
    if safe.is_empty() {
        format!("Postmortem {id}")
    } else {
        format!("Postmortem {id}: {safe}")
    }
}

pub(super) fn pr_labels(config: &Config, pm: &Postmortem, block: &FixBlock) -> Vec<String> {
    let mut labels = vec![
        config.label.clone(),
        format!("chain-{}", block.level.code()),
    ];
    if let Some(sev) = pm.incident.severity {
        labels.push(sev.as_str().to_owned());
    }
    labels
}

/// The PR body; `fix` is the fix issue's reference when it is known.
pub(super) fn pr_body(input: &OpenInput<'_>, ready: &Ready, fix: Option<Piece>) -> Text {
    let pm = &input.prepared.postmortem;
    let repo = input.repo;
    let branch = branch_for(&ready.id);
    let owner_note = if input.access.owner_assignable == Some(false) {
        format!(
            " (GitHub cannot assign them in {}: give them access, then assign them the fix issue)",
            repo.full_name
        )
    } else {
        String::new()
    };
    let mut t = Text::lit(format!(
        "## Postmortem {}: {}\n\n\
         | | |\n|---|---|\n\
         | Severity | {} |\n\
         | Chain level of the fix | {} |\n\
         | Fix owner | `{}`{owner_note} |\n\
         | Fix due | {} (end of day, {}) |\n\
         | Fix issue | ",
        ready.id,
        neutralise(&postmortem_model::normalize_line(&pm.incident.title)),
        pm.incident.severity.map_or("—", |s| s.as_str()),
        ready.block.level.label(),
        ready.block.owner,
        ready.block.due,
        input.config.timezone,
    ));
    match fix {
        Some(p) => {
            t.push_piece(p);
        }
        None => {
            t.push("opened next by the Action");
        }
    }
    t.push(format!(
        " |\n\nDocument: [{}]({})\n",
        ready.document_path,
        files::blob_url(
            &repo.server_url,
            &repo.full_name,
            &branch,
            &ready.document_path
        )
    ));
    if let Some(kept) = &ready.kept_fix {
        t.push(format!(
            "\nThe fix issue #{} keeps the fix it was filed with ({}, `{}`, due {}) until a change to the document is merged; then it follows the document.\n",
            kept.number, kept.block.level.label(), kept.block.owner, kept.block.due
        ));
    }
    if let Some(rb) = &pm.runbook.path {
        t.push(format!("\nRunbook updated: `{rb}`\n"));
    }
    let adrs: Vec<String> = pm
        .adrs
        .iter()
        .filter_map(|a| {
            a.path
                .as_ref()
                .map(|p| format!("- `{p}` — {}", link_label(&a.title)))
        })
        .collect();
    if !adrs.is_empty() {
        t.push(format!(
            "\nDecisions re-opened (each now links this postmortem):\n{}\n",
            adrs.join("\n")
        ));
    }
    let left_out = readers::left_out(input);
    let asked: Vec<String> = pm
        .readers
        .iter()
        .filter(|r| !left_out.contains(r))
        .map(|r| format!("`{r}`"))
        .collect();
    if !asked.is_empty() {
        t.push(format!(
            "\nLeadership reads the artefact itself, not a summary: {} asked to review.\n",
            asked.join(", ")
        ));
    }
    if !left_out.is_empty() {
        let names: Vec<String> = left_out.iter().map(|r| format!("`{r}`")).collect();
        t.push(format!(
            "\nGitHub does not let the Action ask {} to review: no access to {}. Hand them this pull request, or give them access.\n",
            names.join(", "),
            repo.full_name
        ));
    }
    match input.source {
        Source::IntakeIssue { number, .. }
        | Source::FormDispatch {
            intake: Some(super::FiledIntake { number, .. }),
            ..
        } => {
            t.push(format!("\nFiled in #{number}.\n"));
        }
        Source::FormDispatch { .. } => {
            t.push("\nSent from the postmortem form.\n");
        }
    }
    t.push(format!("\n{}\n", marker(M_PR)));
    t.fit()
}
