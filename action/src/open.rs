//! The opener: a submitted postmortem becomes one pull request next to the
//! runbook and one dated fix issue.
//!
//! [`plan`] is pure. Its inputs are the postmortem as the document crate
//! read it and the findings the linter gave (the seams where
//! `postmortem_document` and `postmortem_lint` plug in: see [`Prepared`]),
//! and a snapshot of what already exists ([`OpenState`]). Then:
//!
//! - with error findings, ONE comment on the intake issue lists them (the
//!   Action's earlier such comment, found by its hidden marker, is edited
//!   in place), the issue is labelled `postmortem-needs-work`, and nothing
//!   else happens;
//! - when clean, every step is find-before-create: one commit on
//!   `postmortem/<incident>` with the document, the runbook update, the ADR
//!   back-references and the index (only the files that differ); the PR
//!   for that branch (created, or updated in place), its labels and the
//!   readers asked to review; the fix issue (found by its block's incident
//!   id); a comment on the intake issue with the links, and the intake
//!   issue closed. A run that died halfway is completed by the next one,
//!   and a run on a finished state plans no writes.
//!
//! A postmortem branch holding commits not made by the Action is never
//! overwritten: the run stops and says so on the PR.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use postmortem_model::{IncidentId, Postmortem, Reader, RepoPath};
use serde::{Deserialize, Serialize};

use crate::check::BotComment;
use crate::commands::{Annotation, AnnotationLevel};
use crate::config::{Config, Mode};
use crate::files;
use crate::fixissue::{self, BlockState, FixBlock, FixIssueContent};
use crate::plan::{CloseReason, FileWrite, Operation, Piece, Plan, Planned, Target, Text};
use crate::text::{has_marker, link_label, marker, neutralise, table_cell};

/// The trailer ending every commit the Action makes on a postmortem branch;
/// a commit without it was made by someone else.
pub const COMMIT_TRAILER: &str = "Postmortem-Action: opened";

/// The label of an intake issue whose document has errors.
pub const NEEDS_WORK_LABEL: &str = "postmortem-needs-work";

const M_FINDINGS: &str = "findings";
const M_OPENED: &str = "opened";
const M_PR: &str = "pull-request";
const M_HUMAN_COMMITS: &str = "human-commits";

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingSeverity {
    /// Blocks the postmortem.
    Error,
    /// Worth fixing; does not block.
    Warning,
}

/// A lint finding, as `postmortem_lint::Finding` reports it (the lead maps
/// one onto the other where the crates are wired in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule's code, e.g. `PM012`.
    pub code: String,
    /// The rule's name, e.g. `fix-has-owner`.
    pub rule: String,
    /// Error or warning.
    pub severity: FindingSeverity,
    /// What is wrong and what the practice asks.
    pub message: String,
    /// The field, e.g. `fix.owner`.
    pub field: Option<String>,
    /// The document's 1-based line.
    pub line: Option<u32>,
}

/// Where the postmortem came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Source {
    /// An intake issue.
    IntakeIssue {
        /// Its number.
        number: u64,
        /// Whether it is open.
        open: bool,
        /// Its labels.
        labels: Vec<String>,
        /// The Action's own comments on it.
        bot_comments: Vec<BotComment>,
        /// The body line on which the document starts
        /// ([`postmortem::submission::intake::Extracted::first_line`]).
        first_line: usize,
    },
    /// The browser form, through `repository_dispatch`.
    FormDispatch,
}

/// The repository the run acts on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoContext {
    /// `owner/name`.
    pub full_name: String,
    /// `https://github.com`, or a GitHub Enterprise server.
    pub server_url: String,
    /// The default branch, which the PR targets.
    pub default_branch: String,
    /// The default branch's head commit.
    pub base_sha: String,
}

impl RepoContext {
    fn owner(&self) -> &str {
        self.full_name.split('/').next().unwrap_or("")
    }
}

/// The postmortem branch as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchState {
    /// Its head commit.
    pub head_sha: String,
    /// Whether every commit on it since the default branch was made by the
    /// Action.
    pub only_action_commits: bool,
}

/// The open PR whose head is the postmortem branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequestState {
    /// Its number.
    pub number: u64,
    /// Its page.
    pub html_url: String,
    /// Its title.
    pub title: String,
    /// Its body.
    pub body: String,
    /// Its labels.
    pub labels: Vec<String>,
    /// Everyone ever asked to review it (requested now, or reviewed, or
    /// requested and removed: the timeline's review requests), so a reader
    /// is asked once.
    pub asked: Vec<Reader>,
    /// The Action's own comments on it.
    pub bot_comments: Vec<BotComment>,
}

/// The fix issue whose block names this incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixIssueState {
    /// Its number.
    pub number: u64,
    /// Its page.
    pub html_url: String,
    /// Whether it is open.
    pub open: bool,
    /// Its title.
    pub title: String,
    /// Its body.
    pub body: String,
    /// Its labels.
    pub labels: Vec<String>,
    /// Its assignees.
    pub assignees: Vec<String>,
}

/// What exists, as the shell found it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenState {
    /// The postmortem branch, if it exists.
    pub branch: Option<BranchState>,
    /// Its open PR, if any.
    pub pull_request: Option<PullRequestState>,
    /// The fix issue, if any.
    pub fix_issue: Option<FixIssueState>,
    /// The content of every file the commit may write (the document, the
    /// runbook, the ADRs, the index), read at the branch's head when the
    /// branch exists and at the default branch otherwise; `None` when the
    /// file does not exist.
    pub files: BTreeMap<String, Option<String>>,
}

/// What the document and lint crates produced for this postmortem.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The postmortem as parsed.
    pub postmortem: Postmortem,
    /// The linter's findings.
    pub findings: Vec<Finding>,
    /// The document as rendered (`postmortem_document::render`).
    pub document: String,
    /// The title's slug (`postmortem_document::slug`).
    pub slug: String,
    /// The index files as they should be with this postmortem in them
    /// (`postmortem_document::index`), computed from the current contents
    /// in [`OpenState::files`] and [`document_path_for`].
    pub index_files: Vec<(RepoPath, String)>,
}

/// Everything the opener needs.
#[derive(Debug, Clone)]
pub struct OpenInput<'a> {
    /// The inputs.
    pub config: &'a Config,
    /// The repository.
    pub repo: &'a RepoContext,
    /// Where the postmortem came from.
    pub source: &'a Source,
    /// The postmortem and its findings.
    pub prepared: &'a Prepared,
    /// What exists.
    pub state: &'a OpenState,
    /// Today in the configured zone (the date when the incident has none).
    pub today: NaiveDate,
}

/// The postmortem branch for an incident.
pub fn branch_for(id: &IncidentId) -> String {
    format!("postmortem/{id}")
}

/// Where the document goes for this postmortem.
pub fn document_path_for(
    config: &Config,
    pm: &Postmortem,
    slug: &str,
    today: NaiveDate,
) -> Result<RepoPath, String> {
    let id = pm
        .incident
        .id
        .as_ref()
        .ok_or_else(|| "the postmortem names no incident id".to_owned())?;
    files::document_path(
        &config.document_path,
        pm.runbook.path.as_ref(),
        pm.date().unwrap_or(today),
        slug,
        id,
    )
    .map_err(|e| e.message)
}

/// Whether a run may take the postmortem branch not to exist without
/// reading it (one request less on a first run). Only for the first run
/// on an intake issue: open, without any comment yet (the Action comments
/// on it once the pull request and the fix issue exist), not a re-run of
/// a workflow run (re-runs are how a crashed run is completed), and not a
/// dry run (its plan is printed, never checked by a write). If the branch
/// does exist after all, creating it fails without overwriting anything
/// and the shell reads everything and plans again.
pub fn may_assume_no_branch(
    source: &Source,
    intake_comments: Option<u64>,
    rerun: bool,
    dry_run: bool,
) -> bool {
    matches!(
        source,
        Source::IntakeIssue { open: true, bot_comments, .. } if bot_comments.is_empty()
    ) && intake_comments == Some(0)
        && !rerun
        && !dry_run
}

/// The default branch's head as the runner gives it (`GITHUB_SHA`, with
/// `GITHUB_REF` naming the default branch), for a run that creates the
/// postmortem branch: its tree listing is then read by that commit, and
/// the commit itself is not read. Only when the branch was not looked for
/// ([`may_assume_no_branch`]): a later run reads the branch's head as it
/// is, since by then the postmortem may have been merged.
pub fn base_from_runner<'a>(
    assumed_no_branch: bool,
    github_ref: Option<&str>,
    github_sha: Option<&'a str>,
    default_branch: &str,
) -> Option<&'a str> {
    let sha = github_sha?;
    (assumed_no_branch
        && github_ref == Some(format!("refs/heads/{default_branch}").as_str())
        && sha.len() == 40
        && sha.bytes().all(|b| b.is_ascii_hexdigit()))
    .then_some(sha)
}

/// Plans the open run.
pub fn plan(input: &OpenInput<'_>) -> Plan {
    let mut plan = Plan::new(Mode::Open);
    let mut problems: Vec<Finding> = input
        .prepared
        .findings
        .iter()
        .filter(|f| f.severity == FindingSeverity::Error)
        .cloned()
        .collect();
    // The repository is checked (files exist, paths confined) only once
    // the document itself is clean: the shell reads nothing for a
    // document with errors, and its author fixes those first.
    let ready = if problems.is_empty() {
        preconditions(input, &mut problems)
    } else {
        None
    };
    let warnings: Vec<&Finding> = input
        .prepared
        .findings
        .iter()
        .filter(|f| f.severity == FindingSeverity::Warning)
        .collect();

    let Some(ready) = ready.filter(|_| problems.is_empty()) else {
        needs_work(input, &problems, &warnings, &mut plan);
        return plan;
    };
    clean(input, &ready, &mut plan);
    plan
}

/// What a clean postmortem resolves to before planning writes.
struct Ready {
    id: IncidentId,
    block: FixBlock,
    document_path: RepoPath,
    files: Vec<FileWrite>,
}

/// Checks what the document crate cannot know: the files it points at
/// exist, the path is confined, the fix is complete. Each gap becomes a
/// problem listed like a lint error.
fn preconditions(input: &OpenInput<'_>, problems: &mut Vec<Finding>) -> Option<Ready> {
    let pm = &input.prepared.postmortem;
    let problem = |rule: &str, field: &str, message: String| Finding {
        code: "ACTION".into(),
        rule: rule.into(),
        severity: FindingSeverity::Error,
        message,
        field: Some(field.into()),
        line: None,
    };
    let before = problems.len();
    let id = pm.incident.id.clone();
    if id.is_none() {
        problems.push(problem(
            "incident-id",
            "incident.id",
            "the postmortem names no incident id; the branch and the fix issue are named after it"
                .into(),
        ));
    }
    let (level, owner, due) = (pm.fix.level, pm.fix.owner.clone(), pm.fix.due);
    if level.is_none() || owner.is_none() || due.is_none() {
        problems.push(problem(
            "fix-complete",
            "fix",
            "the chain-level fix needs a level, an owner and a due date before its issue is opened"
                .into(),
        ));
    }
    let document_path = match document_path_for(input.config, pm, &input.prepared.slug, input.today)
    {
        Ok(p) => Some(p),
        Err(e) => {
            problems.push(problem("document-path", "incident", e));
            None
        }
    };
    let current = |p: &RepoPath| input.state.files.get(p.as_str()).cloned().flatten();
    if let Some(rb) = &pm.runbook.path {
        if current(rb).is_none() {
            problems.push(problem(
                "runbook-exists",
                "runbook.path",
                format!("the runbook {rb} does not exist in the repository; name the runbook the on-call used"),
            ));
        }
    }
    for (i, adr) in pm.adrs.iter().enumerate() {
        if let Some(p) = &adr.path {
            if current(p).is_none() {
                problems.push(problem(
                    "adr-exists",
                    &format!("adrs[{i}].path"),
                    format!("the ADR {p} does not exist in the repository"),
                ));
            }
        }
    }
    if problems.len() > before {
        return None;
    }
    let (id, document_path) = (id?, document_path?);
    let block = FixBlock {
        v: fixissue::BLOCK_VERSION,
        incident: id.clone(),
        level: level?,
        owner: owner?,
        due: due?,
        binding: pm.fix.test.binding.clone(),
        document: document_path.clone(),
        branch: branch_for(&id),
    };

    // The files the commit should hold, kept only where they differ.
    let mut desired: Vec<(RepoPath, String)> =
        vec![(document_path.clone(), input.prepared.document.clone())];
    if let Some(rb) = &pm.runbook.path {
        let heading_date = pm
            .held_at
            .map(|t| t.date_naive())
            .or_else(|| pm.date())
            .unwrap_or(input.today);
        let updated = files::append_runbook_update(
            &current(rb).unwrap_or_default(),
            &id,
            heading_date,
            &pm.runbook,
            &files::relative_link(rb, &document_path),
        );
        desired.push((rb.clone(), updated));
    }
    for adr in &pm.adrs {
        if let Some(p) = &adr.path {
            let label = format!("Postmortem {id}: {}", pm.incident.title);
            let updated = files::add_adr_back_reference(
                &current(p).unwrap_or_default(),
                p,
                &document_path,
                &label,
            );
            desired.push((p.clone(), updated));
        }
    }
    desired.extend(input.prepared.index_files.iter().cloned());
    // `index.md` is derived from `index.json` whole: it is written with
    // every change of the JSON and never read (one request less).
    let (index_json, index_md) = files::index_paths(&document_path);
    let json_changes = desired.iter().any(|(p, content)| {
        p.as_str() == index_json && current(p).as_deref() != Some(content.as_str())
    });
    let mut seen = std::collections::BTreeSet::new();
    let files = desired
        .into_iter()
        .filter(|(p, _)| seen.insert(p.clone()))
        .filter(|(p, content)| {
            if p.as_str() == index_md {
                json_changes
            } else {
                current(p).as_deref() != Some(content.as_str())
            }
        })
        .map(|(p, content)| FileWrite {
            path: p.to_string(),
            content,
        })
        .collect();
    Some(Ready {
        id,
        block,
        document_path,
        files,
    })
}

fn finding_line(f: &Finding, source: &Source) -> Option<u32> {
    let first = match source {
        Source::IntakeIssue { first_line, .. } => *first_line,
        Source::FormDispatch => 1,
    };
    f.line
        .map(|l| l + u32::try_from(first.saturating_sub(1)).unwrap_or(0))
}

fn needs_work(input: &OpenInput<'_>, problems: &[Finding], warnings: &[&Finding], plan: &mut Plan) {
    let where_ = match input.source {
        Source::IntakeIssue { .. } => "issue line",
        Source::FormDispatch => "document line",
    };
    let mut body = format!(
        "{}\n### This postmortem needs work before the Action opens its pull request\n\n\
         {} error(s) to resolve. Edit the issue; the Action reads it again on every edit.\n\n\
         | {where_} | Rule | Field | What to change |\n|---|---|---|---|\n",
        marker(M_FINDINGS),
        problems.len()
    );
    for f in problems {
        body.push_str(&finding_row(f, input.source));
    }
    if !warnings.is_empty() {
        body.push_str(&format!(
            "\n<details><summary>{} warning(s), not blocking</summary>\n\n| {where_} | Rule | Field | Worth changing |\n|---|---|---|---|\n",
            warnings.len()
        ));
        for f in warnings {
            body.push_str(&finding_row(f, input.source));
        }
        body.push_str("\n</details>\n");
    }
    for f in problems {
        plan.annotations.push(Annotation {
            level: AnnotationLevel::Error,
            file: None,
            line: None,
            title: format!("{} {}", f.code, f.rule),
            message: match finding_line(f, input.source) {
                Some(l) => format!("{where_} {l}: {}", f.message),
                None => f.message.clone(),
            },
        });
    }
    if let Source::IntakeIssue {
        number,
        labels,
        bot_comments,
        ..
    } = input.source
    {
        let target = Target::Number(*number);
        match bot_comments
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
        if !labels
            .iter()
            .any(|l| l.eq_ignore_ascii_case(NEEDS_WORK_LABEL))
        {
            plan.operations.push(Operation::AddLabels {
                target,
                labels: vec![NEEDS_WORK_LABEL.into()],
            });
        }
    }
    plan.summary.push(format!(
        "The postmortem has {} error(s); no pull request was opened.",
        problems.len()
    ));
    plan.outputs
        .push(("operation".into(), Text::lit(operation_output(plan, false))));
    plan.fail(format!("the postmortem has {} error(s)", problems.len()));
}

fn finding_row(f: &Finding, source: &Source) -> String {
    format!(
        "| {} | {} `{}` | {} | {} |\n",
        finding_line(f, source).map_or_else(|| "—".to_owned(), |l| l.to_string()),
        table_cell(&f.code),
        table_cell(&f.rule),
        f.field
            .as_deref()
            .map_or_else(|| "—".to_owned(), table_cell),
        table_cell(&f.message)
    )
}

fn operation_output(plan: &Plan, created: bool) -> String {
    if created {
        "created"
    } else if plan.writes() {
        "updated"
    } else {
        "unchanged"
    }
    .to_owned()
}

fn clean(input: &OpenInput<'_>, ready: &Ready, plan: &mut Plan) {
    let pm = &input.prepared.postmortem;
    let repo = input.repo;
    let state = input.state;
    let branch = branch_for(&ready.id);

    // 1. Never overwrite a person's commits on the postmortem branch.
    if let Some(b) = &state.branch {
        if !b.only_action_commits {
            let text = format!(
                "The branch `{branch}` has commits not made by the Action, so the Action did not update it (it never force-pushes). Bring the document on the branch up to date by hand, or delete the branch to let the Action write it again."
            );
            if let Some(pr) = &state.pull_request {
                let kind = format!("{M_HUMAN_COMMITS}:{}", b.head_sha);
                if !pr.bot_comments.iter().any(|c| has_marker(&c.body, &kind)) {
                    plan.operations.push(Operation::Comment {
                        target: Target::Number(pr.number),
                        body: Text::lit(format!("{}\n{text}", marker(&kind))),
                    });
                }
            }
            plan.annotations.push(Annotation {
                level: AnnotationLevel::Warning,
                file: None,
                line: None,
                title: "Postmortem branch has human commits".into(),
                message: text.clone(),
            });
            plan.summary.push(text);
            plan.outputs
                .push(("operation".into(), Text::lit(operation_output(plan, false))));
            return;
        }
    }

    // 2. One commit with every file that differs.
    let branch_exists = state.branch.is_some();
    if !ready.files.is_empty() {
        plan.operations.push(Operation::Commit {
            branch: branch.clone(),
            parent: state.branch.as_ref().map(|b| b.head_sha.clone()),
            base: repo.default_branch.clone(),
            base_sha: (!branch_exists).then(|| repo.base_sha.clone()),
            message: format!(
                "Postmortem {}: {}\n\nChain-level fix at {}, due {}.\n\n{COMMIT_TRAILER}",
                ready.id,
                postmortem_model::normalize_line(&pm.incident.title),
                ready.block.level.label(),
                ready.block.due
            ),
            files: ready.files.clone(),
        });
    }
    let branch_will_exist = branch_exists || !ready.files.is_empty();

    // 3. The pull request.
    let fix_exists = state.fix_issue.as_ref();
    let fix_ref = fix_exists.map_or(Piece::Ref(Planned::FixIssue), |f| {
        Piece::Lit(format!("#{}", f.number))
    });
    let title = pr_title(&ready.id, &pm.incident.title);
    let mut created = false;
    let pr_target: Option<Target> = match &state.pull_request {
        Some(pr) => {
            let body = pr_body(input, ready, Some(fix_ref.clone()));
            if pr.title != title || Some(pr.body.clone()) != body.as_literal() {
                // When the fix issue does not exist yet its number is known
                // only after step 4; the update then happens there.
                if fix_exists.is_some() {
                    plan.operations.push(Operation::UpdatePullRequest {
                        target: Target::Number(pr.number),
                        title: title.clone(),
                        body,
                        labels: Vec::new(),
                    });
                }
            }
            Some(Target::Number(pr.number))
        }
        None if branch_will_exist => {
            created = true;
            let fix_known = fix_exists.map(|f| Piece::Lit(format!("#{}", f.number)));
            plan.operations.push(Operation::CreatePullRequest {
                head: branch.clone(),
                base: repo.default_branch.clone(),
                title: title.clone(),
                body: pr_body(input, ready, fix_known),
            });
            Some(Target::Planned(Planned::PullRequest))
        }
        None => None,
    };
    // A pull request this plan creates gets its labels in the update that
    // links the fix issue, when one follows (one request instead of two).
    let mut deferred_labels = Vec::new();
    if let Some(target) = pr_target {
        let have: &[String] = state
            .pull_request
            .as_ref()
            .map_or(&[], |p| p.labels.as_slice());
        let missing: Vec<String> = pr_labels(input.config, pm, &ready.block)
            .into_iter()
            .filter(|l| !have.iter().any(|h| h.eq_ignore_ascii_case(l)))
            .collect();
        if matches!(target, Target::Planned(_)) && fix_exists.is_none() {
            deferred_labels = missing;
        } else if !missing.is_empty() {
            plan.operations.push(Operation::AddLabels {
                target,
                labels: missing,
            });
        }
        let asked: &[Reader] = state
            .pull_request
            .as_ref()
            .map_or(&[], |p| p.asked.as_slice());
        let (users, teams, foreign) = split_readers(&pm.readers, asked, repo.owner());
        if !users.is_empty() || !teams.is_empty() {
            plan.operations.push(Operation::RequestReviewers {
                target,
                users,
                teams,
            });
        }
        for team in foreign {
            plan.annotations.push(Annotation {
                level: AnnotationLevel::Warning,
                file: None,
                line: None,
                title: "Reader team outside the organisation".into(),
                message: format!(
                    "{team} cannot be asked to review a pull request in {}; ask them to read it directly",
                    repo.full_name
                ),
            });
        }
    }

    // 4. The fix issue.
    let content = FixIssueContent {
        block: ready.block.clone(),
        statement: pm.fix.statement.clone(),
        test_statement: pm.fix.test.statement.clone(),
        document_url: files::blob_url(
            &repo.server_url,
            &repo.full_name,
            &repo.default_branch,
            &ready.document_path,
        ),
        pull_request: pr_target,
        intake_issue: match input.source {
            Source::IntakeIssue { number, .. } => Some(*number),
            Source::FormDispatch => None,
        },
        zone: input.config.timezone.to_string(),
    };
    let fix_title = fixissue::title(&ready.block);
    let fix_body = fixissue::render_body(&content);
    let fix_labels = vec![
        fixissue::FIX_LABEL.to_owned(),
        format!("chain-{}", ready.block.level.code()),
    ];
    let fix_target = match fix_exists {
        Some(f) => {
            if f.open {
                // The document is the authority: a changed fix (or a
                // hand-edited block) is brought back in line with it.
                // Once the PR is merged and gone the body loses its PR
                // line; that alone is no reason to rewrite the issue, so
                // then only the sealed facts are compared.
                let body_differs = match pr_target {
                    Some(_) => Some(f.body.clone()) != fix_body.as_literal(),
                    None => {
                        fixissue::parse_block(&f.body)
                            != (BlockState::Sealed {
                                block: ready.block.clone(),
                            })
                    }
                };
                if f.title != fix_title || body_differs {
                    plan.operations.push(Operation::UpdateIssue {
                        number: f.number,
                        title: fix_title,
                        body: fix_body,
                    });
                }
                let missing: Vec<String> = fix_labels
                    .into_iter()
                    .filter(|l| !f.labels.iter().any(|h| h.eq_ignore_ascii_case(l)))
                    .collect();
                if !missing.is_empty() {
                    plan.operations.push(Operation::AddLabels {
                        target: Target::Number(f.number),
                        labels: missing,
                    });
                }
                let owner = ready.block.owner.to_string();
                if !f.assignees.iter().any(|a| a.eq_ignore_ascii_case(&owner)) {
                    plan.operations.push(Operation::AddAssignees {
                        number: f.number,
                        assignees: vec![owner],
                    });
                }
            } else {
                plan.summary.push(format!(
                    "The fix issue #{} is closed; the Action leaves it as it is.",
                    f.number
                ));
            }
            Target::Number(f.number)
        }
        None => {
            created = true;
            plan.operations.push(Operation::CreateIssue {
                planned: Planned::FixIssue,
                title: fix_title,
                body: fix_body,
                assignees: vec![ready.block.owner.to_string()],
                labels: fix_labels,
            });
            // The PR now gets the fix issue's number in its body.
            if let Some(target) = pr_target {
                plan.operations.push(Operation::UpdatePullRequest {
                    target,
                    title: title.clone(),
                    body: pr_body(input, ready, Some(Piece::Ref(Planned::FixIssue))),
                    labels: std::mem::take(&mut deferred_labels),
                });
            }
            Target::Planned(Planned::FixIssue)
        }
    };

    // 5. The intake issue: links, then closed.
    if let Source::IntakeIssue {
        number,
        open,
        labels,
        bot_comments,
        ..
    } = input.source
    {
        let target = Target::Number(*number);
        if let Some(c) = bot_comments
            .iter()
            .find(|c| has_marker(&c.body, M_FINDINGS))
        {
            let resolved = format!(
                "{}\n### The errors listed here are resolved\n\nThe Action has opened the postmortem; see the comment below.",
                marker(M_FINDINGS)
            );
            if c.body != resolved {
                plan.operations.push(Operation::UpdateComment {
                    comment_id: c.id,
                    body: Text::lit(resolved),
                });
            }
        }
        if labels
            .iter()
            .any(|l| l.eq_ignore_ascii_case(NEEDS_WORK_LABEL))
        {
            plan.operations.push(Operation::RemoveLabels {
                target,
                labels: vec![NEEDS_WORK_LABEL.into()],
            });
        }
        if !bot_comments.iter().any(|c| has_marker(&c.body, M_OPENED)) {
            let mut body = Text::lit(format!(
                "{}\nThe postmortem for **{}** is open for review.\n\n- Pull request: ",
                marker(M_OPENED),
                ready.id
            ));
            push_target(&mut body, pr_target);
            body.push("\n- Chain-level fix issue: ");
            push_target(&mut body, Some(fix_target));
            body.push(format!(
                "\n- Document: `{}`\n\nClosing this intake issue: the pull request is where the postmortem is read and merged.",
                ready.document_path
            ));
            plan.operations.push(Operation::Comment { target, body });
        }
        if *open {
            plan.operations.push(Operation::CloseIssue {
                number: *number,
                reason: CloseReason::Completed,
            });
        }
    }

    // 6. Outputs and summary.
    let number_of = |t: Option<Target>, url: Option<&str>| -> (Text, Text) {
        match t {
            Some(Target::Number(n)) => {
                (Text::lit(n.to_string()), Text::lit(url.unwrap_or_default()))
            }
            Some(Target::Planned(p)) => (Text(vec![Piece::Number(p)]), Text(vec![Piece::Url(p)])),
            None => (Text::default(), Text::default()),
        }
    };
    let (pr_number, pr_url) = number_of(
        pr_target,
        state.pull_request.as_ref().map(|p| p.html_url.as_str()),
    );
    let (fix_number, _) = number_of(Some(fix_target), None);
    plan.outputs.push(("pr-number".into(), pr_number));
    plan.outputs.push(("pr-url".into(), pr_url));
    plan.outputs.push(("fix-issue-number".into(), fix_number));
    plan.outputs.push((
        "operation".into(),
        Text::lit(operation_output(plan, created)),
    ));
    plan.summary.push(format!(
        "Postmortem **{}**: document `{}`, {} file(s) to commit, fix at {} due {}.",
        ready.id,
        ready.document_path,
        ready.files.len(),
        ready.block.level.label(),
        ready.block.due
    ));
}

fn push_target(text: &mut Text, target: Option<Target>) {
    match target {
        Some(Target::Number(n)) => {
            text.push(format!("#{n}"));
        }
        Some(Target::Planned(p)) => {
            text.push_piece(Piece::Ref(p));
        }
        None => {
            text.push("none (the postmortem is already on the default branch)");
        }
    }
}

/// The PR title: the incident and its one-line title, without anything
/// that could mention someone.
fn pr_title(id: &IncidentId, title: &str) -> String {
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

fn pr_labels(config: &Config, pm: &Postmortem, block: &FixBlock) -> Vec<String> {
    let mut labels = vec![
        config.label.clone(),
        format!("chain-{}", block.level.code()),
    ];
    if let Some(sev) = pm.incident.severity {
        labels.push(sev.as_str().to_owned());
    }
    labels
}

/// Readers not yet asked, split into users and team slugs of the
/// repository's organisation; teams of other organisations cannot be
/// asked and are returned apart.
fn split_readers(
    readers: &[Reader],
    asked: &[Reader],
    org: &str,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let (mut users, mut teams, mut foreign) = (Vec::new(), Vec::new(), Vec::new());
    for r in readers {
        if asked.contains(r) {
            continue;
        }
        match r {
            Reader::User(login) => {
                let l = login.to_string();
                if !users.contains(&l) {
                    users.push(l);
                }
            }
            Reader::Team { org: o, team } if o.as_str().eq_ignore_ascii_case(org) => {
                if !teams.contains(team) {
                    teams.push(team.clone());
                }
            }
            other => foreign.push(other.to_string()),
        }
    }
    (users, teams, foreign)
}

fn pr_body(input: &OpenInput<'_>, ready: &Ready, fix: Option<Piece>) -> Text {
    let pm = &input.prepared.postmortem;
    let repo = input.repo;
    let branch = branch_for(&ready.id);
    let mut t = Text::lit(format!(
        "## Postmortem {}: {}\n\n\
         | | |\n|---|---|\n\
         | Severity | {} |\n\
         | Chain level of the fix | {} |\n\
         | Fix owner | `{}` |\n\
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
    if !pm.readers.is_empty() {
        let names: Vec<String> = pm.readers.iter().map(|r| format!("`{r}`")).collect();
        t.push(format!(
            "\nLeadership reads the artefact itself, not a summary: {} asked to review.\n",
            names.join(", ")
        ));
    }
    if let Source::IntakeIssue { number, .. } = input.source {
        t.push(format!("\nFiled in #{number}.\n"));
    }
    t.push(format!("\n{}\n", marker(M_PR)));
    t
}

/// Finds the fix issue of `incident` among issues labelled
/// `postmortem-fix` (number and body), by the incident id in a sealed
/// block. A hand-edited block still names its incident often enough to be
/// found, so a tampered block whose text holds the id is matched too
/// rather than opening a duplicate.
pub fn find_fix_issue<'a>(
    incident: &IncidentId,
    candidates: &'a [(u64, String)],
) -> Option<&'a (u64, String)> {
    candidates
        .iter()
        .filter(|(_, body)| match fixissue::parse_block(body) {
            BlockState::Sealed { block } => &block.incident == incident,
            BlockState::Tampered { .. } => body.contains(&format!("\"incident\":\"{incident}\"")),
            BlockState::Missing => false,
        })
        .min_by_key(|(n, _)| *n)
}

#[cfg(test)]
mod tests;
