//! The plan: what a run will do on GitHub, as data.
//!
//! The planners ([`crate::check`], [`crate::open`]) are pure functions
//! from an event, the configuration and a snapshot of the repository to a
//! [`Plan`]. The shell applies it in order (with octocrab) or, with
//! `--dry-run`, prints it as text ([`Plan::render_text`]) or JSON (serde).
//!
//! An operation may need the number of something an earlier operation of
//! the same plan creates (the PR body links the fix issue opened just
//! before). Such text is a [`Text`]: literal pieces and references to
//! [`Planned`] items, resolved by the shell once they exist. A reference
//! can only name a number or URL, never carry text, so resolving cannot
//! inject anything.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::commands::Annotation;
use crate::config::Mode;

/// Something a plan creates and later operations refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Planned {
    /// The postmortem pull request created by this plan.
    PullRequest,
    /// The fix issue created by this plan.
    FixIssue,
    /// The intake issue created by this plan for a dispatched postmortem
    /// that needs work.
    IntakeIssue,
}

impl Planned {
    fn describe(self) -> &'static str {
        match self {
            Planned::PullRequest => "the new pull request",
            Planned::FixIssue => "the new fix issue",
            Planned::IntakeIssue => "the new intake issue",
        }
    }
}

/// An issue or pull request an operation acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// One that exists, by number.
    Number(u64),
    /// One an earlier operation of this plan creates.
    Planned(Planned),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Number(n) => write!(f, "#{n}"),
            Target::Planned(p) => f.write_str(p.describe()),
        }
    }
}

/// A piece of [`Text`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Piece {
    /// Literal text.
    Lit(String),
    /// `#N`, the number of a planned item.
    Ref(Planned),
    /// The bare number of a planned item (for outputs).
    Number(Planned),
    /// The web URL of a planned item.
    Url(Planned),
}

/// Text that may refer to items the plan creates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(pub Vec<Piece>);

/// What the shell knows about a created item: its number and URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Created {
    /// The number.
    pub number: u64,
    /// The web URL.
    pub html_url: String,
}

/// A [`Text`] names an item the plan has not created yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unresolved(pub Planned);

impl fmt::Display for Unresolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the text refers to {} before it was created",
            self.0.describe()
        )
    }
}

impl std::error::Error for Unresolved {}

impl Text {
    /// Plain text with no references.
    pub fn lit(s: impl Into<String>) -> Text {
        Text(vec![Piece::Lit(s.into())])
    }

    /// Appends literal text.
    pub fn push(&mut self, s: impl AsRef<str>) -> &mut Self {
        match self.0.last_mut() {
            Some(Piece::Lit(last)) => last.push_str(s.as_ref()),
            _ => self.0.push(Piece::Lit(s.as_ref().to_owned())),
        }
        self
    }

    /// Appends a piece.
    pub fn push_piece(&mut self, p: Piece) -> &mut Self {
        match p {
            Piece::Lit(s) => self.push(s),
            other => {
                self.0.push(other);
                self
            }
        }
    }

    /// The text cut to fit GitHub's limit on a body
    /// ([`postmortem::submission::Limits::ISSUE_BODY_CHARS`]): when it
    /// could be longer once its references are filled in, its longest
    /// literal piece is cut at a line, and a line says so.
    pub fn fit(mut self) -> Text {
        const LIMIT: usize = postmortem::submission::Limits::ISSUE_BODY_CHARS;
        // A reference resolves to a number or a URL.
        const REFERENCE: usize = 200;
        let size: usize = self
            .0
            .iter()
            .map(|p| match p {
                Piece::Lit(s) => s.chars().count(),
                _ => REFERENCE,
            })
            .sum();
        if size <= LIMIT {
            return self;
        }
        let notice = "\n\n… (cut here: GitHub holds at most 65,536 characters in a body; the whole text is in the postmortem document)\n\n";
        let excess = size - LIMIT + notice.chars().count();
        let longest = self
            .0
            .iter_mut()
            .filter_map(|p| match p {
                Piece::Lit(s) => Some(s),
                _ => None,
            })
            .max_by_key(|s| s.len());
        if let Some(s) = longest {
            let keep = s.chars().count().saturating_sub(excess);
            let mut cut: String = s.chars().take(keep).collect();
            if let Some(line) = cut.rfind('\n') {
                cut.truncate(line);
            }
            cut.push_str(notice);
            *s = cut;
        }
        self
    }

    /// The text when it refers to nothing planned.
    pub fn as_literal(&self) -> Option<String> {
        let mut out = String::new();
        for p in &self.0 {
            match p {
                Piece::Lit(s) => out.push_str(s),
                _ => return None,
            }
        }
        Some(out)
    }

    /// The text with every reference filled in from `lookup`.
    pub fn resolve(
        &self,
        lookup: impl Fn(Planned) -> Option<Created>,
    ) -> Result<String, Unresolved> {
        let mut out = String::new();
        for p in &self.0 {
            match p {
                Piece::Lit(s) => out.push_str(s),
                Piece::Ref(x) | Piece::Number(x) | Piece::Url(x) => {
                    let c = lookup(*x).ok_or(Unresolved(*x))?;
                    match p {
                        Piece::Ref(_) => out.push_str(&format!("#{}", c.number)),
                        Piece::Number(_) => out.push_str(&c.number.to_string()),
                        _ => out.push_str(&c.html_url),
                    }
                }
            }
        }
        Ok(out)
    }
}

impl fmt::Display for Text {
    /// Shows references as `⟨number of the new fix issue⟩` for dry runs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.0 {
            match p {
                Piece::Lit(s) => f.write_str(s)?,
                Piece::Ref(x) | Piece::Number(x) => write!(f, "⟨number of {}⟩", x.describe())?,
                Piece::Url(x) => write!(f, "⟨URL of {}⟩", x.describe())?,
            }
        }
        Ok(())
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::lit(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::lit(s)
    }
}

/// One file of a commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileWrite {
    /// Where, relative to the repository root (already confined).
    pub path: String,
    /// The whole new content.
    pub content: String,
}

/// How an issue is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CloseReason {
    /// Done (GitHub's `completed`).
    Completed,
    /// Not going to be done (GitHub's `not_planned`).
    NotPlanned,
}

/// One write the shell performs, in plan order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum Operation {
    /// One commit holding every file, on `branch`. With `parent` the branch
    /// exists and must still point at `parent` (an optimistic lock: a
    /// human push in between makes the update fail rather than be lost);
    /// without it the branch is created from `base`'s head `base_sha`.
    Commit {
        /// The branch to write, e.g. `postmortem/INC-2026-0142`.
        branch: String,
        /// The branch's expected head, when it exists.
        parent: Option<String>,
        /// The branch it is created from.
        base: String,
        /// `base`'s head, when the branch is created.
        base_sha: Option<String>,
        /// The commit message.
        message: String,
        /// The files, whole.
        files: Vec<FileWrite>,
    },
    /// Opens the pull request (the shell finds an existing one on a 422
    /// "already exists" and updates it instead).
    CreatePullRequest {
        /// Head branch.
        head: String,
        /// Base branch.
        base: String,
        /// Title.
        title: String,
        /// Body.
        body: Text,
    },
    /// Changes a pull request's title and body. With `labels`, the same
    /// request also labels it (`PATCH /issues/{number}`, which sets a pull
    /// request's title, body and labels at once; the shell keeps the labels
    /// the pull request already has): used for a pull request this plan
    /// creates, which has no labels of the Action's yet.
    UpdatePullRequest {
        /// Which.
        target: Target,
        /// New title.
        title: String,
        /// New body.
        body: Text,
        /// Labels to add in the same request (none: title and body only).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        labels: Vec<String>,
    },
    /// Asks readers to review (retried by the shell on 422 "Could not
    /// resolve to a node" right after creation). GitHub's 422 for a reader
    /// without access to the repository does not stop the run: the shell
    /// notes the readers as refused, carries on, and has
    /// [`crate::open::refused_readers`] plan what to say about them.
    RequestReviewers {
        /// Which pull request.
        target: Target,
        /// User logins.
        users: Vec<String>,
        /// Team slugs.
        teams: Vec<String>,
    },
    /// Adds labels (GitHub creates missing ones).
    AddLabels {
        /// Which issue or pull request.
        target: Target,
        /// Labels.
        labels: Vec<String>,
    },
    /// Removes labels.
    RemoveLabels {
        /// Which issue or pull request.
        target: Target,
        /// Labels.
        labels: Vec<String>,
    },
    /// Opens the fix issue.
    CreateIssue {
        /// What this issue is, for later references.
        planned: Planned,
        /// Title.
        title: String,
        /// Body.
        body: Text,
        /// Assignees.
        assignees: Vec<String>,
        /// Labels.
        labels: Vec<String>,
    },
    /// Changes an existing issue's title and body.
    UpdateIssue {
        /// Which.
        number: u64,
        /// New title.
        title: String,
        /// New body.
        body: Text,
    },
    /// Adds assignees to an issue.
    AddAssignees {
        /// Which.
        number: u64,
        /// Logins.
        assignees: Vec<String>,
    },
    /// Comments on an issue or pull request.
    Comment {
        /// Where.
        target: Target,
        /// The comment, with its hidden marker.
        body: Text,
    },
    /// Edits one of the Action's comments in place.
    UpdateComment {
        /// The comment's id.
        comment_id: u64,
        /// The new body.
        body: Text,
    },
    /// Closes an issue.
    CloseIssue {
        /// Which.
        number: u64,
        /// Why.
        reason: CloseReason,
    },
    /// Reopens an issue.
    ReopenIssue {
        /// Which.
        number: u64,
    },
}

impl Operation {
    /// A one-line description for the text plan.
    pub fn headline(&self) -> String {
        match self {
            Operation::Commit {
                branch,
                parent,
                base,
                files,
                ..
            } => {
                let how = match parent {
                    Some(p) => format!("on top of {}", short(p)),
                    None => format!("creating the branch from {base}"),
                };
                format!("commit {} file(s) to {branch} ({how})", files.len())
            }
            Operation::CreatePullRequest {
                head, base, title, ..
            } => {
                format!("open pull request {head} → {base}: {title}")
            }
            Operation::UpdatePullRequest {
                target,
                title,
                labels,
                ..
            } => {
                if labels.is_empty() {
                    format!("update pull request {target}: {title}")
                } else {
                    format!(
                        "update pull request {target}: {title}; label it with {}",
                        labels.join(", ")
                    )
                }
            }
            Operation::RequestReviewers {
                target,
                users,
                teams,
            } => format!(
                "request reviews on {target} from users [{}] and teams [{}]",
                users.join(", "),
                teams.join(", ")
            ),
            Operation::AddLabels { target, labels } => {
                format!("label {target} with {}", labels.join(", "))
            }
            Operation::RemoveLabels { target, labels } => {
                format!("remove label(s) {} from {target}", labels.join(", "))
            }
            Operation::CreateIssue { title, .. } => format!("open issue: {title}"),
            Operation::UpdateIssue { number, title, .. } => {
                format!("update issue #{number}: {title}")
            }
            Operation::AddAssignees { number, assignees } => {
                format!("assign #{number} to {}", assignees.join(", "))
            }
            Operation::Comment { target, .. } => format!("comment on {target}"),
            Operation::UpdateComment { comment_id, .. } => {
                format!("edit comment {comment_id}")
            }
            Operation::CloseIssue { number, reason } => format!(
                "close #{number} as {}",
                match reason {
                    CloseReason::Completed => "completed",
                    CloseReason::NotPlanned => "not planned",
                }
            ),
            Operation::ReopenIssue { number } => format!("reopen #{number}"),
        }
    }

    /// The long text of the operation (a body, the files), if any.
    fn detail(&self) -> Option<String> {
        match self {
            Operation::Commit { message, files, .. } => {
                let mut s = format!("message: {message}\n");
                for f in files {
                    s.push_str(&format!("--- {} ({} bytes)\n", f.path, f.content.len()));
                }
                Some(s)
            }
            Operation::CreatePullRequest { body, .. }
            | Operation::UpdatePullRequest { body, .. }
            | Operation::CreateIssue { body, .. }
            | Operation::UpdateIssue { body, .. }
            | Operation::Comment { body, .. }
            | Operation::UpdateComment { body, .. } => Some(body.to_string()),
            _ => None,
        }
    }
}

fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}

/// How the run ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "exit", rename_all = "kebab-case")]
pub enum Exit {
    /// Exit 0.
    Success,
    /// Exit 1, for this reason.
    Failure {
        /// Why the run fails.
        reason: String,
    },
}

/// Everything one run will do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The mode that planned it.
    pub mode: Mode,
    /// The writes, in order.
    pub operations: Vec<Operation>,
    /// `$GITHUB_OUTPUT` values, in order.
    pub outputs: Vec<(String, Text)>,
    /// Annotations for the log.
    pub annotations: Vec<Annotation>,
    /// Markdown lines for `$GITHUB_STEP_SUMMARY`.
    pub summary: Vec<String>,
    /// How the run ends.
    pub exit: Exit,
}

impl Plan {
    /// An empty plan that succeeds.
    pub fn new(mode: Mode) -> Plan {
        Plan {
            mode,
            operations: Vec::new(),
            outputs: Vec::new(),
            annotations: Vec::new(),
            summary: Vec::new(),
            exit: Exit::Success,
        }
    }

    /// Whether the plan writes anything on GitHub.
    pub fn writes(&self) -> bool {
        !self.operations.is_empty()
    }

    /// Marks the run as failing; the first reason given is kept.
    pub fn fail(&mut self, reason: impl Into<String>) {
        if self.exit == Exit::Success {
            self.exit = Exit::Failure {
                reason: reason.into(),
            };
        }
    }

    /// The plan as a person reads it in a dry run.
    pub fn render_text(&self) -> String {
        let mut out = format!(
            "Plan for mode {} — {} operation(s)\n",
            self.mode.as_str(),
            self.operations.len()
        );
        for (i, op) in self.operations.iter().enumerate() {
            out.push_str(&format!("\n{}. {}\n", i + 1, op.headline()));
            if let Some(detail) = op.detail() {
                for line in detail.lines() {
                    out.push_str("   | ");
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        if !self.outputs.is_empty() {
            out.push_str("\nOutputs:\n");
            for (k, v) in &self.outputs {
                out.push_str(&format!("  {k} = {v}\n"));
            }
        }
        if !self.annotations.is_empty() {
            out.push_str("\nAnnotations:\n");
            for a in &self.annotations {
                out.push_str(&format!(
                    "  {}: {}: {}\n",
                    a.level.command(),
                    a.title,
                    a.message
                ));
            }
        }
        if !self.summary.is_empty() {
            out.push_str("\nStep summary:\n");
            for line in &self.summary {
                out.push_str("  ");
                out.push_str(line);
                out.push('\n');
            }
        }
        match &self.exit {
            Exit::Success => out.push_str("\nExit: success\n"),
            Exit::Failure { reason } => out.push_str(&format!("\nExit: failure — {reason}\n")),
        }
        out
    }

    /// The plan as JSON, pretty-printed.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_resolves_references_once_created() {
        let mut t = Text::lit("Fix issue: ");
        t.push_piece(Piece::Ref(Planned::FixIssue))
            .push(" (")
            .push_piece(Piece::Url(Planned::FixIssue))
            .push(")");
        assert_eq!(t.as_literal(), None);
        assert_eq!(
            t.to_string(),
            "Fix issue: ⟨number of the new fix issue⟩ (⟨URL of the new fix issue⟩)"
        );
        let created = |p| {
            (p == Planned::FixIssue).then(|| Created {
                number: 7,
                html_url: "https://github.com/acme/app/issues/7".into(),
            })
        };
        assert_eq!(
            t.resolve(created).unwrap(),
            "Fix issue: #7 (https://github.com/acme/app/issues/7)"
        );
        assert_eq!(
            Text(vec![Piece::Number(Planned::PullRequest)]).resolve(created),
            Err(Unresolved(Planned::PullRequest))
        );
    }

    #[test]
    fn a_body_too_long_for_github_is_cut_at_a_line_and_says_so() {
        let long = "a line of text\n".repeat(6_000);
        let mut t = Text::lit("head\n");
        t.push_piece(Piece::Url(Planned::FixIssue)).push(&long);
        let fitted = t.fit();
        let text = fitted
            .resolve(|_| {
                Some(Created {
                    number: 1,
                    html_url: "https://github.com/acme/app/issues/1".repeat(5),
                })
            })
            .unwrap();
        assert!(text.chars().count() <= postmortem::submission::Limits::ISSUE_BODY_CHARS);
        assert!(
            text.contains("a line of text\n\n… (cut here"),
            "{}",
            &text[text.len() - 200..]
        );
        let short = Text::lit("short");
        assert_eq!(short.clone().fit(), short);
    }

    #[test]
    fn plans_render_as_text_and_json() {
        let mut plan = Plan::new(Mode::Check);
        plan.operations.push(Operation::CloseIssue {
            number: 4,
            reason: CloseReason::Completed,
        });
        plan.operations.push(Operation::Comment {
            target: Target::Number(4),
            body: "verified\nsecond line".into(),
        });
        plan.outputs.push(("operation".into(), "updated".into()));
        plan.fail("1 fix overdue");
        plan.fail("ignored");
        let text = plan.render_text();
        assert!(text.contains("1. close #4 as completed"));
        assert!(text.contains("   | second line"));
        assert!(text.contains("operation = updated"));
        assert!(text.contains("Exit: failure — 1 fix overdue"));
        let json = plan.to_json();
        let back: Plan = serde_json::from_str(&json).unwrap();
        assert_eq!(back, plan);
        assert!(json.contains("\"op\": \"close-issue\""));
    }
}
