//! The opener: a submitted postmortem becomes one pull request next to the
//! runbook and one dated fix issue.
//!
//! [`plan`] is pure. Its inputs are the postmortem as the document crate
//! read it and the findings the linter gave ([`Prepared`]), a snapshot of
//! what already exists ([`OpenState`]), and what GitHub would refuse,
//! found out before anything is written ([`Access`], asked for by
//! [`access_questions`]). Then:
//!
//! - with error findings, ONE comment lists them (the Action's earlier such
//!   comment, found by its hidden marker, is edited in place) and the
//!   intake issue is labelled `postmortem-needs-work`; a postmortem the form
//!   dispatched gets an intake issue of its own holding the document and
//!   that comment, so its sender finds the findings in the repository
//!   ([`needs_work`]);
//! - when clean, every step is find-before-create ([`clean`]): one commit
//!   on `postmortem/<incident>` with the document, the runbook update, the
//!   ADR back-references and the index (only the files that differ); the
//!   PR for that branch; the fix issue (found by its block's incident id),
//!   assigned to its owner when GitHub allows it and naming the owner when
//!   it does not; the PR linked to the fix issue; the readers asked to
//!   review, last, each refusal reported and never fatal
//!   ([`refused_readers`]); a comment on the intake issue with the links,
//!   and the intake issue closed. A run that died halfway is completed by
//!   the next one, and a run on a finished state plans no writes.
//!
//! Three things the opener never does: overwrite a postmortem branch
//! holding commits not made by the Action (the run stops and says so on
//! the PR); change an existing fix issue's fix (it changes only when a
//! change to the document is merged, see [`crate::sync`]); apply an edit
//! to an intake issue it has closed (it says where to make the change).

mod bodies;
mod clean;
mod needs_work;
mod readers;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use postmortem_model::{IncidentId, Login, Postmortem, Reader, RepoPath};
use serde::{Deserialize, Serialize};

use crate::check::BotComment;
use crate::commands::{Annotation, AnnotationLevel};
use crate::config::{Config, Mode};
use crate::files;
use crate::fixissue::{self, BlockState};
use crate::plan::{Operation, Plan, Target, Text};
use crate::text::{has_marker, marker};

pub use needs_work::{filed_intake_for, incident_of};
pub use readers::{AccessQuestions, access_questions, refused_readers};

/// The trailer ending every commit the Action makes on a postmortem branch;
/// a commit without it was made by someone else.
pub const COMMIT_TRAILER: &str = "Postmortem-Action: opened";

/// The label of an intake issue whose document has errors.
pub const NEEDS_WORK_LABEL: &str = "postmortem-needs-work";

const M_FINDINGS: &str = "findings";
const M_OPENED: &str = "opened";
const M_PR: &str = "pull-request";
const M_HUMAN_COMMITS: &str = "human-commits";
const M_CLOSED_EDIT: &str = "closed-intake-edit";

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingSeverity {
    /// Blocks the postmortem.
    Error,
    /// Worth fixing; does not block.
    Warning,
}

/// A lint finding, as `postmortem_lint::Finding` reports it (the shell maps
/// one onto the other).
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
    FormDispatch {
        /// Who sent it (the token's owner), when the event names a login.
        sender: Option<Login>,
        /// The open intake issue the Action filed for an earlier dispatch
        /// of this incident that needed work, if any: this dispatch
        /// updates it rather than filing another.
        intake: Option<FiledIntake>,
    },
}

/// An intake issue the Action filed for a dispatched postmortem that
/// needed work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiledIntake {
    /// Its number.
    pub number: u64,
    /// Its body (the intake body of the document then sent).
    pub body: String,
    /// Its labels.
    pub labels: Vec<String>,
    /// The Action's own comments on it.
    pub bot_comments: Vec<BotComment>,
}

/// The intake issue a run answers on, whichever way the postmortem came.
struct Intake<'a> {
    number: u64,
    open: bool,
    labels: &'a [String],
    bot_comments: &'a [BotComment],
}

impl Source {
    fn intake(&self) -> Option<Intake<'_>> {
        match self {
            Source::IntakeIssue {
                number,
                open,
                labels,
                bot_comments,
                ..
            } => Some(Intake {
                number: *number,
                open: *open,
                labels,
                bot_comments,
            }),
            Source::FormDispatch {
                intake: Some(i), ..
            } => Some(Intake {
                number: i.number,
                open: true,
                labels: &i.labels,
                bot_comments: &i.bot_comments,
            }),
            Source::FormDispatch { intake: None, .. } => None,
        }
    }
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

/// What GitHub would refuse, found out before writing: whether the fix's
/// owner can be assigned (`GET /repos/{o}/{r}/assignees/{login}`), which
/// readers have no access to the repository (`GET
/// /repos/{o}/{r}/collaborators/{login}`, the repository's team list), and
/// which teams' access could not be read (the default token may not list
/// a repository's teams).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    /// Whether the owner can be assigned; `None` when it was not asked.
    pub owner_assignable: Option<bool>,
    /// Readers GitHub would refuse to ask for a review.
    pub without_access: Vec<Reader>,
    /// Teams whose access is unknown: each is asked on its own, so a
    /// refusal touches only that team.
    pub unknown: Vec<Reader>,
}

/// What the document and lint crates produced for this postmortem.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The document as it was submitted (for a dispatched postmortem
    /// that needs work, the intake issue holds it as sent).
    pub text: String,
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
    /// What GitHub would refuse.
    pub access: &'a Access,
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
    let plan = plan_open_or_closed(input);
    match input.source {
        // An intake issue the Action closed is not read again: an edit to
        // it would otherwise change the postmortem behind its pull
        // request's back.
        Source::IntakeIssue {
            number,
            open: false,
            bot_comments,
            ..
        } if changes_the_postmortem(&plan) => closed_intake(input, *number, bot_comments),
        _ => plan,
    }
}

/// Whether a plan changes the postmortem itself (a commit, or findings to
/// answer) rather than completing what an earlier run began (an
/// assignment, a label, a review request).
fn changes_the_postmortem(plan: &Plan) -> bool {
    plan.exit != crate::plan::Exit::Success
        || plan
            .operations
            .iter()
            .any(|o| matches!(o, Operation::Commit { .. }))
}

fn plan_open_or_closed(input: &OpenInput<'_>) -> Plan {
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
        clean::preconditions(input, &mut problems)
    } else {
        None
    };
    let warnings: Vec<&Finding> = input
        .prepared
        .findings
        .iter()
        .filter(|f| f.severity == FindingSeverity::Warning)
        .collect();
    match ready.filter(|_| problems.is_empty()) {
        Some(ready) => clean::clean(input, &ready, &mut plan),
        None => needs_work::needs_work(input, &problems, &warnings, &mut plan),
    }
    plan
}

/// The plan for an edit to an intake issue the Action already closed: one
/// comment per distinct edit saying where the postmortem is changed now,
/// and nothing else.
fn closed_intake(input: &OpenInput<'_>, number: u64, bot_comments: &[BotComment]) -> Plan {
    let mut plan = Plan::new(Mode::Open);
    let kind = format!(
        "{M_CLOSED_EDIT}:{}",
        fixissue::fingerprint(&input.prepared.text)
    );
    let where_ = match &input.state.pull_request {
        Some(pr) => format!(
            "Its pull request #{} is where the postmortem is read and changed: edit the document there.",
            pr.number
        ),
        None => "Change the document in a pull request: the fix issue follows the change once it is merged.".to_owned(),
    };
    let text =
        format!("This intake issue is closed, so the Action did not apply this edit. {where_}");
    if !bot_comments.iter().any(|c| has_marker(&c.body, &kind)) {
        plan.operations.push(Operation::Comment {
            target: Target::Number(number),
            body: Text::lit(format!("{}\n{text}", marker(&kind))),
        });
    }
    plan.annotations.push(Annotation::new(
        AnnotationLevel::Warning,
        format!("Edit to closed intake issue #{number} not applied"),
        text.clone(),
    ));
    plan.summary.push(text);
    plan.outputs
        .push(("operation".into(), Text::lit("unchanged".to_owned())));
    plan
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

/// Whether the output says something was created, updated, or nothing
/// changed.
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

#[cfg(test)]
pub(crate) mod tests;
