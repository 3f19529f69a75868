//! A postmortem with errors: nothing is opened, and the person who sent it
//! finds the findings in the repository, wherever it came from.
//!
//! - From an intake issue: ONE comment on it lists the findings (edited in
//!   place on later runs) and the issue is labelled `postmortem-needs-work`.
//! - From the form (`repository_dispatch`): the Action files an intake
//!   issue holding the document as sent (the core's intake body, so editing
//!   it is how the person fixes it) with the same comment, mentioning the
//!   sender; a later dispatch of the same incident updates that issue
//!   rather than filing another.

use postmortem::submission::{intake, new_issue};

use super::{
    FiledIntake, Finding, M_FINDINGS, NEEDS_WORK_LABEL, OpenInput, Source, operation_output,
};
use crate::commands::{Annotation, AnnotationLevel};
use crate::plan::{Operation, Piece, Plan, Planned, Target, Text};
use crate::text::{has_marker, marker, mention, table_cell};

/// Plans the answer to a postmortem with `problems` (errors) and
/// `warnings`.
pub(super) fn needs_work(
    input: &OpenInput<'_>,
    problems: &[Finding],
    warnings: &[&Finding],
    plan: &mut Plan,
) {
    // The body line each finding stands on in the issue that shows it.
    let (first_line, intake_body) = match input.source {
        Source::IntakeIssue { first_line, .. } => (*first_line, None),
        Source::FormDispatch { .. } => match intake::body(&input.prepared.text) {
            Ok(body) => (
                intake::extract(&body).map_or(1, |e| e.first_line),
                Some(body),
            ),
            Err(too_large) => {
                plan.annotations.push(Annotation::new(
                    AnnotationLevel::Error,
                    "The dispatched postmortem is too large for an issue",
                    too_large.to_string(),
                ));
                (1, None)
            }
        },
    };
    let line_of = |f: &Finding| {
        f.line
            .map(|l| l + u32::try_from(first_line.saturating_sub(1)).unwrap_or(0))
    };
    let body = findings_comment(input, problems, warnings, &line_of);
    for f in problems {
        plan.annotations.push(Annotation::new(
            AnnotationLevel::Error,
            format!("{} {}", f.code, f.rule),
            match line_of(f) {
                Some(l) => format!("line {l}: {}", f.message),
                None => f.message.clone(),
            },
        ));
    }
    let labels = vec![input.config.label.clone(), NEEDS_WORK_LABEL.to_owned()];
    let mut created = false;
    if let Source::FormDispatch {
        intake: Some(FiledIntake {
            number, body: b, ..
        }),
        ..
    } = input.source
    {
        // The issue the Action filed holds the document as last sent.
        if let Some(new) = intake_body.as_ref().filter(|new| *new != b) {
            plan.operations.push(Operation::UpdateIssue {
                number: *number,
                title: new_issue::title(&input.prepared.postmortem),
                body: Text::lit(new.clone()),
            });
        }
    }
    match (input.source.intake(), intake_body) {
        (Some(intake), _) => {
            let target = Target::Number(intake.number);
            match intake
                .bot_comments
                .iter()
                .find(|c| has_marker(&c.body, M_FINDINGS))
            {
                Some(c) if c.body == body => {}
                Some(c) => plan.operations.push(Operation::UpdateComment {
                    comment_id: c.id,
                    body: Text::lit(body),
                }),
                None => plan.operations.push(Operation::Comment {
                    target,
                    body: Text::lit(body),
                }),
            }
            let missing: Vec<String> = labels
                .into_iter()
                .filter(|l| !intake.labels.iter().any(|h| h.eq_ignore_ascii_case(l)))
                .collect();
            if !missing.is_empty() {
                plan.operations.push(Operation::AddLabels {
                    target,
                    labels: missing,
                });
            }
        }
        (None, Some(intake_body)) => {
            created = true;
            plan.operations.push(Operation::CreateIssue {
                planned: Planned::IntakeIssue,
                title: new_issue::title(&input.prepared.postmortem),
                body: Text::lit(intake_body),
                assignees: Vec::new(),
                labels,
            });
            plan.operations.push(Operation::Comment {
                target: Target::Planned(Planned::IntakeIssue),
                body: Text::lit(body),
            });
            plan.outputs.push((
                "intake-issue-number".into(),
                Text(vec![Piece::Number(Planned::IntakeIssue)]),
            ));
        }
        (None, None) => {}
    }
    plan.summary.push(match input.source.intake() {
        Some(i) => format!(
            "The postmortem has {} error(s), listed on #{}; no pull request was opened.",
            problems.len(),
            i.number
        ),
        None if created => format!(
            "The postmortem sent from the form has {} error(s): the Action filed an intake issue with the document and its findings; no pull request was opened.",
            problems.len()
        ),
        None => format!(
            "The postmortem has {} error(s); no pull request was opened.",
            problems.len()
        ),
    });
    plan.outputs.push((
        "operation".into(),
        Text::lit(operation_output(plan, created)),
    ));
    plan.fail(format!("the postmortem has {} error(s)", problems.len()));
}

/// The findings comment: a table of the errors, the warnings folded away.
fn findings_comment(
    input: &OpenInput<'_>,
    problems: &[Finding],
    warnings: &[&Finding],
    line_of: &dyn Fn(&Finding) -> Option<u32>,
) -> String {
    let greeting = match input.source {
        Source::FormDispatch {
            sender: Some(sender),
            ..
        } => format!(
            "{}, the postmortem you sent from the form needs work. ",
            mention(sender)
        ),
        Source::FormDispatch { sender: None, .. } => {
            "The postmortem sent from the form needs work. ".to_owned()
        }
        Source::IntakeIssue { .. } => String::new(),
    };
    let row = |f: &Finding| {
        format!(
            "| {} | {} `{}` | {} | {} |\n",
            line_of(f).map_or_else(|| "—".to_owned(), |l| l.to_string()),
            table_cell(&f.code),
            table_cell(&f.rule),
            f.field
                .as_deref()
                .map_or_else(|| "—".to_owned(), table_cell),
            table_cell(&f.message)
        )
    };
    let mut body = format!(
        "{}\n### This postmortem needs work before the Action opens its pull request\n\n\
         {greeting}{} error(s) to resolve. Edit the document in this issue's description; the Action reads it again on every edit.\n\n\
         | Issue line | Rule | Field | What to change |\n|---|---|---|---|\n",
        marker(M_FINDINGS),
        problems.len()
    );
    for f in problems {
        body.push_str(&row(f));
    }
    if !warnings.is_empty() {
        body.push_str(&format!(
            "\n<details><summary>{} warning(s), not blocking</summary>\n\n| Issue line | Rule | Field | Worth changing |\n|---|---|---|---|\n",
            warnings.len()
        ));
        for f in warnings {
            body.push_str(&row(f));
        }
        body.push_str("\n</details>\n");
    }
    Text::lit(body).fit().as_literal().unwrap_or_default()
}

/// Which of the Action's open intake issues (number and body) holds an
/// earlier dispatch of `incident`: the one a new dispatch of it updates.
pub fn filed_intake_for(
    incident: &postmortem_model::IncidentId,
    candidates: &[(u64, String)],
) -> Option<u64> {
    candidates
        .iter()
        .filter(|(_, body)| intake::is_intake(body))
        .filter(|(_, body)| {
            intake::extract(body)
                .ok()
                .and_then(|e| incident_of(&e.document))
                .as_ref()
                == Some(incident)
        })
        .map(|(n, _)| *n)
        .min()
}

/// The incident a document names: as read, or, for a document that does
/// not read, from its front matter's `incident:` line (a document with
/// errors still belongs to its incident).
pub fn incident_of(document: &str) -> Option<postmortem_model::IncidentId> {
    use postmortem::check::{Checked, Form, check};
    if let Ok(Checked::Postmortem { read, .. }) = check(Form::Document, document) {
        return read.postmortem.incident.id;
    }
    let mut lines = document.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return None;
    }
    lines
        .take_while(|l| l.trim_end() != "---")
        .find_map(|l| l.strip_prefix("incident:"))
        .and_then(|v| v.trim().trim_matches(['"', '\'']).parse().ok())
}
