//! A merged change is the only way a fix changes: when a push to the
//! default branch changes postmortem documents, each document's fix issue
//! is brought in line with it, and says so.
//!
//! The opener files a fix issue once and never rewrites its fix from a
//! proposal (an intake issue, a pull request under review); the checker
//! compares the record with the document on the checked branch and reports
//! a disagreement without taking either side. This planner, run on the
//! push that merged the change (`push` on the default branch), is where a
//! reviewed change of due date, owner, level or test reaches the fix
//! issue: its title, body and sealed record are rewritten from the merged
//! document, one comment names what changed and the commit that changed
//! it, and a new owner is assigned. A document merged without going
//! through the opener gets its fix issue here.

use postmortem_model::{Login, Postmortem, RepoPath};
use serde::{Deserialize, Serialize};

use crate::check::BotComment;
use crate::commands::{Annotation, AnnotationLevel};
use crate::config::{Config, Mode};
use crate::files;
use crate::fixissue::{self, BlockState, FixBlock, FixIssueContent};
use crate::open::{FixIssueState, RepoContext};
use crate::plan::{Operation, Plan, Planned, Target, Text};
use crate::text::{has_marker, marker};

const M_CHANGED: &str = "fix-changed";

/// A postmortem document the push changed, as the shell read it at the
/// pushed commit.
#[derive(Debug, Clone, PartialEq)]
pub struct MergedDocument {
    /// Where it is.
    pub path: RepoPath,
    /// The postmortem, when it reads.
    pub postmortem: Option<Postmortem>,
    /// How many error findings the linter gave.
    pub errors: usize,
    /// Its fix issue, if one exists.
    pub fix_issue: Option<FixIssueState>,
    /// The Action's comments on that issue.
    pub bot_comments: Vec<BotComment>,
    /// Whether the fix's owner can be assigned; `None` when not asked
    /// (see [`owner_question`]).
    pub owner_assignable: Option<bool>,
}

/// Everything the planner needs.
#[derive(Debug, Clone)]
pub struct SyncInput<'a> {
    /// The inputs.
    pub config: &'a Config,
    /// The repository.
    pub repo: &'a RepoContext,
    /// The pushed commit.
    pub commit: &'a str,
    /// The documents it changed.
    pub documents: &'a [MergedDocument],
}

/// What a fix issue became, for the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Synced {
    /// Already in line.
    Unchanged,
    /// Rewritten from the merged document.
    Updated,
    /// Filed from the merged document.
    Created,
    /// Closed: left as it is.
    Closed,
    /// The document has errors or an incomplete fix: nothing done.
    Skipped,
}

/// Whose assignability the shell must read for a merged document: its
/// fix's owner, unless the fix issue already has them.
pub fn owner_question(pm: &Postmortem, fix_issue: Option<&FixIssueState>) -> Option<Login> {
    pm.fix.owner.clone().filter(|o| {
        fix_issue.is_none_or(|f| {
            f.open
                && !f
                    .assignees
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(o.as_str()))
        })
    })
}

/// Plans the writes that bring each fix issue in line with its merged
/// document.
pub fn plan(input: &SyncInput<'_>) -> Plan {
    let mut plan = Plan::new(Mode::Open);
    let mut rows = Vec::new();
    for doc in input.documents {
        let outcome = one(input, doc, &mut plan);
        rows.push(format!("| `{}` | {outcome:?} |", doc.path));
    }
    plan.summary.push("### Merged postmortem documents".into());
    plan.summary.push(String::new());
    plan.summary.push("| Document | Fix issue |".into());
    plan.summary.push("|---|---|".into());
    if rows.is_empty() {
        plan.summary
            .push("| — | this push changed no postmortem document |".into());
    }
    plan.summary.extend(rows);
    let created = plan
        .operations
        .iter()
        .any(|o| matches!(o, Operation::CreateIssue { .. }));
    let operation = if created {
        "created"
    } else if plan.writes() {
        "updated"
    } else {
        "unchanged"
    };
    plan.outputs
        .push(("operation".into(), Text::lit(operation.to_owned())));
    plan
}

fn one(input: &SyncInput<'_>, doc: &MergedDocument, plan: &mut Plan) -> Synced {
    let block = doc
        .postmortem
        .as_ref()
        .filter(|_| doc.errors == 0)
        .and_then(|pm| Some((pm, fixissue::block_for(pm, &doc.path)?)));
    let Some((pm, block)) = block else {
        plan.annotations.push(Annotation {
            level: AnnotationLevel::Warning,
            file: Some(doc.path.to_string()),
            line: None,
            title: "Merged postmortem not synced".into(),
            message: "the merged document has errors or an incomplete fix, so its fix issue was left as it is; the postmortem lint workflow lists what to change".into(),
        });
        return Synced::Skipped;
    };
    let repo = input.repo;
    let unassignable = doc.owner_assignable == Some(false);
    let content = FixIssueContent {
        unassignable_in: unassignable.then(|| repo.full_name.clone()),
        ..FixIssueContent::new(
            block.clone(),
            pm,
            files::blob_url(
                &repo.server_url,
                &repo.full_name,
                &repo.default_branch,
                &doc.path,
            ),
            input.config.timezone.to_string(),
        )
    };
    let owner = block.owner.to_string();
    let Some(f) = &doc.fix_issue else {
        plan.operations.push(Operation::CreateIssue {
            planned: Planned::FixIssue,
            title: fixissue::title(&block),
            body: fixissue::render_body(&content),
            assignees: if unassignable {
                Vec::new()
            } else {
                vec![owner]
            },
            labels: fixissue::labels(&block),
        });
        return Synced::Created;
    };
    if !f.open {
        return Synced::Closed;
    }
    let target = Target::Number(f.number);
    let before = match fixissue::parse_block(&f.body) {
        BlockState::Sealed { block } => Some(block),
        _ => None,
    };
    let mut outcome = Synced::Unchanged;
    if before.as_ref() != Some(&block) {
        outcome = Synced::Updated;
        plan.operations.push(Operation::UpdateIssue {
            number: f.number,
            title: fixissue::title(&block),
            body: fixissue::render_body(&content),
        });
        let kind = format!("{M_CHANGED}:{}", block.digest());
        if !doc.bot_comments.iter().any(|c| has_marker(&c.body, &kind)) {
            plan.operations.push(Operation::Comment {
                target,
                body: Text::lit(format!(
                    "{}\n{}",
                    marker(&kind),
                    change_note(before.as_ref(), &block, input.commit, &repo.default_branch)
                )),
            });
        }
        let label = format!("chain-{}", block.level.code());
        if !f.labels.iter().any(|l| l.eq_ignore_ascii_case(&label)) {
            plan.operations.push(Operation::AddLabels {
                target,
                labels: vec![label],
            });
        }
    }
    if !unassignable && !f.assignees.iter().any(|a| a.eq_ignore_ascii_case(&owner)) {
        plan.operations.push(Operation::AddAssignees {
            number: f.number,
            assignees: vec![owner],
        });
    }
    outcome
}

/// What changed, in words: each part of the fix, old → new.
fn change_note(before: Option<&FixBlock>, after: &FixBlock, commit: &str, branch: &str) -> String {
    let short = commit.get(..7).unwrap_or(commit);
    let Some(b) = before else {
        return format!(
            "This issue's record of the fix was restored from the postmortem document merged into `{branch}` in `{short}`."
        );
    };
    let mut parts = Vec::new();
    if b.level != after.level {
        parts.push(format!(
            "level {} → {}",
            b.level.label(),
            after.level.label()
        ));
    }
    if b.owner != after.owner {
        parts.push(format!("owner `{}` → `{}`", b.owner, after.owner));
    }
    if b.due != after.due {
        parts.push(format!("due date {} → {}", b.due, after.due));
    }
    if b.binding != after.binding {
        let d = |x: &Option<postmortem_model::TestBinding>| {
            x.as_ref()
                .map_or_else(|| "none".to_owned(), fixissue::describe_binding)
        };
        parts.push(format!("test {} → {}", d(&b.binding), d(&after.binding)));
    }
    if b.document != after.document {
        parts.push(format!("document `{}` → `{}`", b.document, after.document));
    }
    if parts.is_empty() {
        parts.push("the record's details".into());
    }
    format!(
        "The fix changed with the postmortem document merged into `{branch}` in `{short}`: {}.",
        parts.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::open::tests::{config, repo};

    fn pm() -> Postmortem {
        postmortem_model::from_json(include_str!("../../examples/queue-render.json")).unwrap()
    }

    const PATH: &str = "runbooks/postmortems/2026-05-18-queue-render.md";

    fn issue_for(pm: &Postmortem) -> FixIssueState {
        let block = fixissue::block_for(pm, &PATH.parse().unwrap()).unwrap();
        let body = fixissue::render_body(&FixIssueContent {
            block,
            statement: String::new(),
            test_statement: String::new(),
            document_url: String::new(),
            pull_request: None,
            intake_issue: None,
            zone: "UTC".into(),
            unassignable_in: None,
        })
        .as_literal()
        .unwrap();
        FixIssueState {
            number: 7,
            html_url: String::new(),
            open: true,
            title: String::new(),
            body,
            labels: vec!["postmortem-fix".into(), "chain-L3".into()],
            assignees: vec!["senior-dev".into()],
        }
    }

    fn doc(pm: Postmortem, fix_issue: Option<FixIssueState>) -> MergedDocument {
        MergedDocument {
            path: PATH.parse().unwrap(),
            postmortem: Some(pm),
            errors: 0,
            fix_issue,
            bot_comments: Vec::new(),
            owner_assignable: Some(true),
        }
    }

    fn run(docs: &[MergedDocument]) -> Plan {
        plan(&SyncInput {
            config: &config(),
            repo: &repo(),
            commit: "abcdef1234567890",
            documents: docs,
        })
    }

    #[test]
    fn a_merged_due_date_rewrites_the_record_and_says_so_once() {
        let old = pm();
        let mut new = pm();
        new.fix.due = chrono::NaiveDate::from_ymd_opt(2026, 6, 15);
        let p = run(&[doc(new.clone(), Some(issue_for(&old)))]);
        assert!(
            matches!(&p.operations[0], Operation::UpdateIssue { number: 7, title, .. } if title.contains("due 2026-06-15"))
        );
        let Operation::Comment { body, .. } = &p.operations[1] else {
            panic!("{}", p.render_text())
        };
        let body = body.as_literal().unwrap();
        assert!(body.contains("due date 2026-05-30 → 2026-06-15"), "{body}");
        assert!(body.contains("`abcdef1`"));
        // Applied, the same push writes nothing more.
        let mut after = issue_for(&new);
        after.number = 7;
        let mut d = doc(new, Some(after));
        d.bot_comments = vec![BotComment { id: 1, body }];
        assert!(!run(&[d]).writes());
    }

    #[test]
    fn a_document_in_line_with_its_issue_changes_nothing() {
        assert!(!run(&[doc(pm(), Some(issue_for(&pm())))]).writes());
    }

    #[test]
    fn a_merged_document_without_a_fix_issue_gets_one() {
        let p = run(&[doc(pm(), None)]);
        assert!(
            matches!(&p.operations[0], Operation::CreateIssue { assignees, .. } if assignees == &["senior-dev"])
        );
        let mut d = doc(pm(), None);
        d.owner_assignable = Some(false);
        let p = run(&[d]);
        let Operation::CreateIssue {
            assignees, body, ..
        } = &p.operations[0]
        else {
            panic!()
        };
        assert!(assignees.is_empty());
        assert!(
            body.as_literal()
                .unwrap()
                .contains("GitHub cannot assign them")
        );
    }

    #[test]
    fn closed_issues_and_documents_with_errors_are_left_alone() {
        let mut closed = issue_for(&pm());
        closed.open = false;
        let mut new = pm();
        new.fix.due = chrono::NaiveDate::from_ymd_opt(2026, 6, 15);
        assert!(!run(&[doc(new.clone(), Some(closed))]).writes());
        let mut bad = doc(new, Some(issue_for(&pm())));
        bad.errors = 2;
        let p = run(&[bad]);
        assert!(!p.writes());
        assert_eq!(p.annotations.len(), 1);
    }
}
