//! The checker: is each chain-level fix verified by its test before its
//! due date?
//!
//! [`plan`] is a pure function from the fix issues as the shell found them
//! ([`FixIssueSnapshot`]: body, labels, the Action's own comments, the CI
//! results for the issue's test binding), `now` and the configuration to a
//! [`Plan`]. For each fix issue, in order of urgency:
//!
//! - a test result that passed on the bound branch on or before the end of
//!   the due day (in the configured zone) VERIFIES the fix: a comment with
//!   the evidence, the `fix-verified` label, and the issue closed as
//!   completed; a pass only after the due day verifies it LATE and says so;
//! - a due day that passed with no pass makes it OVERDUE: the `fix-overdue`
//!   label, one comment mentioning the owner (once, not every run), an
//!   annotation, and a failing run when `fail-on-overdue` is set;
//! - `reminder-days` before the due day the owner is reminded, once;
//! - an issue closed by hand with no evidence is reopened with the reason
//!   (when `reopen-hand-closed` is set and a machine can check its test);
//! - a block edited by hand is reported (one comment per distinct edit, an
//!   annotation) and nothing else is done with the issue.
//!
//! "Once" is read from the Action's own comments, each carrying a hidden
//! marker ([`crate::text::marker`]); the shell passes only comments written
//! by the Action's identity, so nobody else's comment counts. Running the
//! planner on the state its own plan produced plans no writes: the
//! scheduled run may be delayed, dropped or repeated and still converge.
//!
//! A budget caps the writes of one run; an issue whose writes would exceed
//! it is left whole for the next run (never half-done), and the summary
//! says how many were left.

use chrono::{DateTime, NaiveDate, Utc};
use postmortem_model::{ChainLevel, Login, TestBinding};
use serde::{Deserialize, Serialize};

use crate::commands::{Annotation, AnnotationLevel};
use crate::config::{Config, DueZone, Mode};
use crate::fixissue::{self, BlockState, FixBlock};
use crate::plan::{CloseReason, Operation, Plan, Target, Text};
use crate::text::{has_marker, marker, mention, neutralise, table_cell};

/// The label of a fix verified by its test.
pub const VERIFIED_LABEL: &str = "fix-verified";
/// The label of a fix past its due day without a passing test.
pub const OVERDUE_LABEL: &str = "fix-overdue";

/// The most writes the checker plans for one fix issue (reopen, comment,
/// label, comment); the budget never goes below it.
pub const MAX_WRITES_PER_FIX: usize = 4;

const M_VERIFIED: &str = "verified";
const M_OVERDUE: &str = "overdue";
const M_REMINDER: &str = "reminder";
const M_REOPENED: &str = "reopened";
const M_NO_BLOCK: &str = "no-block";
const M_TAMPERED: &str = "tampered";
const M_DISAGREES: &str = "disagrees";
const M_LANDED: &str = "landed";

/// One of the Action's own comments on a fix issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BotComment {
    /// The comment id.
    pub id: u64,
    /// Its body, with its hidden marker.
    pub body: String,
}

pub use crate::evidence::{CiResult, Evidence, JobResult, Landing};

/// The fix as the postmortem document merged on the default branch states
/// it: the authority the block is compared with, when the shell reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFix {
    /// The level.
    pub level: Option<ChainLevel>,
    /// The owner.
    pub owner: Option<Login>,
    /// The due day.
    pub due: Option<NaiveDate>,
    /// The binding.
    pub binding: Option<TestBinding>,
}

/// A fix issue as the shell found it: open ones, and recently closed ones
/// (so a hand close is seen).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixIssueSnapshot {
    /// The number.
    pub number: u64,
    /// Its page.
    pub html_url: String,
    /// Whether it is open.
    pub open: bool,
    /// When it was opened: only a test that passed after that proves the fix.
    pub created_at: DateTime<Utc>,
    /// Its labels.
    pub labels: Vec<String>,
    /// Its body, with the block.
    pub body: String,
    /// The Action's own comments on it.
    pub bot_comments: Vec<BotComment>,
    /// The CI results the shell found for its binding.
    pub results: Vec<CiResult>,
    /// The fix as the merged document states it, when the shell read it.
    #[serde(default)]
    pub document_fix: Option<DocumentFix>,
    /// How the postmortem reached the checked branch.
    #[serde(default)]
    pub landing: Landing,
}

/// Where one fix stands after this run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum FixState {
    /// Its test passed on time.
    Verified,
    /// Its test passed after the due day.
    VerifiedLate,
    /// Verified before, and closed or kept open by hand since: left alone.
    AlreadyVerified,
    /// Due day passed, no passing test.
    Overdue,
    /// Due within the reminder window.
    DueSoon {
        /// Whole days left, 0 on the due day.
        days_left: i64,
    },
    /// Waiting for its test.
    Open,
    /// Closed by hand without evidence; reopened.
    Reopened,
    /// Closed by hand; left closed (no binding, or reopening is off).
    ClosedByHand,
    /// The block was edited by hand.
    Tampered {
        /// Why.
        reason: String,
    },
    /// The block disagrees with the postmortem document on the checked
    /// branch: neither is taken over the other.
    Disagrees {
        /// Which parts of the fix differ.
        reason: String,
    },
    /// The issue has no block.
    NoBlock,
}

impl FixState {
    fn label(&self) -> String {
        match self {
            FixState::Verified => "verified".into(),
            FixState::VerifiedLate => "verified late".into(),
            FixState::AlreadyVerified => "verified earlier".into(),
            FixState::Overdue => "OVERDUE".into(),
            FixState::DueSoon { days_left } => format!("due in {days_left} day(s)"),
            FixState::Open => "open".into(),
            FixState::Reopened => "reopened: closed without evidence".into(),
            FixState::ClosedByHand => "closed by hand".into(),
            FixState::Tampered { .. } => "record edited by hand: not trusted".into(),
            FixState::Disagrees { .. } => "record and merged document disagree".into(),
            FixState::NoBlock => "no record: not checked".into(),
        }
    }
}

/// What the checker concluded for one fix issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixReport {
    /// The issue.
    pub number: u64,
    /// Its page.
    pub html_url: String,
    /// The block, when trusted.
    pub block: Option<FixBlock>,
    /// The state.
    pub state: FixState,
    /// The result that proves it, if any.
    pub evidence: Option<Evidence>,
    /// Whether its writes were left for the next run (budget).
    pub deferred: bool,
}

/// Everything the checker needs.
#[derive(Debug, Clone)]
pub struct CheckInput<'a> {
    /// The inputs.
    pub config: &'a Config,
    /// The branch results must be on: `check-branch`, or the repository's
    /// default branch.
    pub check_branch: &'a str,
    /// The time of this run (the only clock the core sees).
    pub now: DateTime<Utc>,
    /// This repository, `owner/name` (a fork's run does not count).
    pub repository: &'a str,
    /// The fix issues.
    pub issues: &'a [FixIssueSnapshot],
}

/// The landing a comment of the Action's already recorded (so the shell
/// need not look for the merged pull request again).
pub fn landing_from_comments(bot_comments: &[BotComment]) -> Option<Landing> {
    let prefix = format!("<!-- postmortem-action:{M_LANDED}:");
    bot_comments.iter().find_map(|c| {
        let rest = c.body.split(&prefix).nth(1)?;
        let inner = rest.split(" -->").next()?;
        let mut parts = inner.splitn(3, ':');
        let sha = parts.next()?.to_owned();
        let pull_request = parts.next()?.parse().ok()?;
        let merged_at = DateTime::parse_from_rfc3339(parts.next()?)
            .ok()?
            .with_timezone(&Utc);
        (!sha.is_empty() && sha.bytes().all(|b| b.is_ascii_hexdigit())).then_some(Landing::Merged {
            sha,
            pull_request,
            merged_at,
        })
    })
}

/// What the shell reads for one fix issue besides its comments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToRead {
    /// The postmortem document, on the checked branch: the fix it states
    /// is compared with the record.
    pub document: postmortem_model::RepoPath,
    /// The postmortem branch, whose merged pull request is the landing.
    pub branch: String,
    /// The binding whose results to read, when it binds a test on the
    /// checked branch.
    pub binding: Option<TestBinding>,
}

/// What the shell must read for a fix issue: nothing for one verified
/// already or without a trusted record; otherwise its document and, when
/// its test is bound on `check_branch`, its landing and CI results.
pub fn what_to_read(body: &str, labels: &[String], check_branch: &str) -> Option<ToRead> {
    if labels
        .iter()
        .any(|l| l.eq_ignore_ascii_case(VERIFIED_LABEL))
    {
        return None;
    }
    match fixissue::parse_block(body) {
        BlockState::Sealed { block } => Some(ToRead {
            binding: block.binding.filter(|b| b.branch() == check_branch),
            document: block.document,
            branch: block.branch,
        }),
        _ => None,
    }
}

impl DocumentFix {
    /// The fix a postmortem states.
    pub fn of(pm: &postmortem_model::Postmortem) -> DocumentFix {
        DocumentFix {
            level: pm.fix.level,
            owner: pm.fix.owner.clone(),
            due: pm.fix.due,
            binding: pm.fix.test.binding.clone(),
        }
    }
}

/// The binding whose CI results the shell must look up for a fix issue,
/// if any: the issue's sealed block binds a test on `check_branch`, and
/// the fix is not verified yet (no `fix-verified` label). The shell makes
/// one lookup per such issue and none for the others.
pub fn binding_to_look_up(
    body: &str,
    labels: &[String],
    check_branch: &str,
) -> Option<TestBinding> {
    if labels
        .iter()
        .any(|l| l.eq_ignore_ascii_case(VERIFIED_LABEL))
    {
        return None;
    }
    match fixissue::parse_block(body) {
        BlockState::Sealed { block } => block.binding.filter(|b| b.branch() == check_branch),
        _ => None,
    }
}

/// Plans the check run.
pub fn plan(input: &CheckInput<'_>) -> (Plan, Vec<FixReport>) {
    let config = input.config;
    let zone = config.timezone;
    let mut plan = Plan::new(Mode::Check);
    let mut reports = Vec::new();
    let mut used = 0usize;
    let mut deferred = 0usize;

    // Most urgent first, so a tight budget goes where it matters: records
    // that cannot be trusted, then by due day, then by number.
    let mut order: Vec<(u8, Option<NaiveDate>, u64, usize)> = input
        .issues
        .iter()
        .enumerate()
        .map(|(i, issue)| match fixissue::parse_block(&issue.body) {
            BlockState::Sealed { block } => (1, Some(block.due), issue.number, i),
            _ => (0, None, issue.number, i),
        })
        .collect();
    order.sort();

    for (_, _, _, i) in order {
        let issue = &input.issues[i];
        let mut outcome = decide(issue, input, zone, config);
        let cost = outcome.operations.len();
        if cost > 0 && used + cost > config.operations_budget {
            deferred += 1;
            outcome.report.deferred = true;
            outcome.operations.clear();
        } else {
            used += cost;
        }
        plan.operations.append(&mut outcome.operations);
        plan.annotations.append(&mut outcome.annotations);
        reports.push(outcome.report);
    }

    let overdue = reports
        .iter()
        .filter(|r| r.state == FixState::Overdue)
        .count();
    let tampered = reports
        .iter()
        .filter(|r| {
            matches!(
                r.state,
                FixState::Tampered { .. } | FixState::Disagrees { .. }
            )
        })
        .count();
    if tampered > 0 {
        plan.fail(format!(
            "{tampered} fix issue(s) have a record the Action does not trust (edited by hand, or not what the merged document says)"
        ));
    }
    if overdue > 0 && config.fail_on_overdue {
        plan.fail(format!("{overdue} chain-level fix(es) overdue"));
    }

    plan.summary = summary(&reports, zone);
    if deferred > 0 {
        let line = format!(
            "The budget of {} operations was reached: {deferred} fix issue(s) are left for the next run.",
            config.operations_budget
        );
        plan.annotations.push(Annotation {
            level: AnnotationLevel::Warning,
            file: None,
            line: None,
            title: "Operations budget reached".into(),
            message: line.clone(),
        });
        plan.summary.push(String::new());
        plan.summary.push(format!("**{line}**"));
    }
    (plan, reports)
}

struct Outcome {
    operations: Vec<Operation>,
    annotations: Vec<Annotation>,
    report: FixReport,
}

fn decide(
    issue: &FixIssueSnapshot,
    input: &CheckInput<'_>,
    zone: DueZone,
    config: &Config,
) -> Outcome {
    let (check_branch, now) = (input.check_branch, input.now);
    let mut out = Outcome {
        operations: Vec::new(),
        annotations: Vec::new(),
        report: FixReport {
            number: issue.number,
            html_url: issue.html_url.clone(),
            block: None,
            state: FixState::Open,
            evidence: None,
            deferred: false,
        },
    };
    let target = Target::Number(issue.number);
    let commented = |kind: &str| issue.bot_comments.iter().any(|c| has_marker(&c.body, kind));
    let has_label = |l: &str| issue.labels.iter().any(|x| x.eq_ignore_ascii_case(l));

    let block = match fixissue::parse_block(&issue.body) {
        BlockState::Sealed { block } => block,
        BlockState::Missing => {
            out.report.state = FixState::NoBlock;
            if issue.open {
                if !commented(M_NO_BLOCK) {
                    out.operations.push(Operation::Comment {
                        target,
                        body: Text::lit(format!(
                            "{}\nThis issue carries the `{}` label but holds no record of a chain-level fix (the hidden line the Action writes), so the Action does not check it. Fix issues are opened by the Action from a merged postmortem.",
                            marker(M_NO_BLOCK),
                            fixissue::FIX_LABEL
                        )),
                    });
                }
                out.annotations.push(annotation(
                    AnnotationLevel::Warning,
                    None,
                    format!("Fix issue #{} has no record", issue.number),
                    "the issue carries the fix label but no postmortem-fix block; it is not checked"
                        .into(),
                ));
            }
            return out;
        }
        BlockState::Tampered {
            reason,
            fingerprint,
        } => {
            report_tampered(issue, &mut out, None, &reason, &fingerprint, &commented);
            return out;
        }
    };
    out.report.block = Some(block.clone());

    if let Some(doc) = &issue.document_fix {
        if let Err(d) = fixissue::compare_with_document(
            &block,
            doc.level,
            doc.owner.as_ref(),
            doc.due,
            doc.binding.as_ref(),
        ) {
            report_disagreement(issue, &mut out, &block, &d.to_string(), &commented);
            return out;
        }
    }

    let document = Some(block.document.to_string());
    let binding_ok = block
        .binding
        .as_ref()
        .filter(|b| b.branch() == check_branch);
    if let Some(b) = &block.binding {
        if b.branch() != check_branch {
            out.annotations.push(annotation(
                AnnotationLevel::Warning,
                document.clone(),
                format!("Fix #{}: test bound to another branch", issue.number),
                format!(
                    "the test is bound to branch {:?} but results are checked on {check_branch:?}; a result there does not verify the fix",
                    b.branch()
                ),
            ));
        }
    }
    let evidence = binding_ok.and_then(|b| {
        crate::evidence::select(
            &crate::evidence::Context {
                binding: b,
                landing: &issue.landing,
                opened_at: issue.created_at,
                repository: input.repository,
            },
            &issue.results,
        )
    });
    // Once the postmortem is merged, the owner learns what counts from now.
    if let Landing::Merged {
        sha,
        pull_request,
        merged_at,
    } = &issue.landing
    {
        let kind = format!(
            "{M_LANDED}:{sha}:{pull_request}:{}",
            merged_at.format("%Y-%m-%dT%H:%M:%SZ")
        );
        if issue.open && binding_ok.is_some() && !commented(&kind) && evidence.is_none() {
            out.operations.push(Operation::Comment {
                target,
                body: Text::lit(format!(
                    "{}\nThe postmortem was merged in #{pull_request} (`{}`). From now on its test counts when it passes on `{}` on a commit that contains that merge.",
                    marker(&kind),
                    sha.get(..7).unwrap_or(sha),
                    neutralise(check_branch)
                )),
            });
        }
    }
    out.report.evidence = evidence.clone();
    let end_of_due = zone.end_of_day(block.due);

    if commented(M_VERIFIED) {
        // Verified earlier; if a person reopened it since, that is theirs.
        out.report.state = FixState::AlreadyVerified;
        return out;
    }

    if let Some(ev) = evidence {
        let late = ev.completed_at >= end_of_due;
        out.report.state = if late {
            FixState::VerifiedLate
        } else {
            FixState::Verified
        };
        let mut body = format!(
            "{}\nVerified: [{}]({}) passed on `{}` at {} ({}).",
            marker(M_VERIFIED),
            block
                .binding
                .as_ref()
                .map_or_else(String::new, fixissue::describe_binding),
            neutralise(&ev.html_url),
            neutralise(check_branch),
            ev.completed_at
                .with_timezone(&zone.offset())
                .format("%Y-%m-%d %H:%M"),
            zone
        );
        if late {
            body.push_str(&format!(
                " That is after the due day, {} (end of day, {zone}): the fix is verified **late**.",
                block.due
            ));
        } else {
            body.push_str(&format!(
                " The fix was due on {}: verified on time.",
                block.due
            ));
        }
        if issue.open {
            body.push_str(" Closing as completed.");
        }
        out.operations.push(Operation::Comment {
            target,
            body: Text::lit(body),
        });
        if !has_label(VERIFIED_LABEL) {
            out.operations.push(Operation::AddLabels {
                target,
                labels: vec![VERIFIED_LABEL.into()],
            });
        }
        if has_label(OVERDUE_LABEL) {
            out.operations.push(Operation::RemoveLabels {
                target,
                labels: vec![OVERDUE_LABEL.into()],
            });
        }
        if issue.open {
            out.operations.push(Operation::CloseIssue {
                number: issue.number,
                reason: CloseReason::Completed,
            });
        }
        return out;
    }

    let mut open = issue.open;
    if !open {
        // Closed, never verified by the Action, no passing result.
        if block.binding.is_none() {
            // Nothing a machine can check: closing by hand is how such a
            // fix is verified.
            out.report.state = FixState::ClosedByHand;
            return out;
        }
        if !config.reopen_hand_closed {
            out.report.state = FixState::ClosedByHand;
            out.annotations.push(annotation(
                AnnotationLevel::Warning,
                document.clone(),
                format!("Fix #{} closed without evidence", issue.number),
                "the issue was closed by hand with no passing test; reopen-hand-closed is off"
                    .into(),
            ));
            return out;
        }
        out.operations.push(Operation::ReopenIssue {
            number: issue.number,
        });
        out.operations.push(Operation::Comment {
            target,
            body: Text::lit(format!(
                "{}\nReopened: this fix was closed without evidence. Its test is {}, and none has been found since this issue was opened. The Action closes this issue itself when that result passes.",
                marker(M_REOPENED),
                block
                    .binding
                    .as_ref()
                    .map_or_else(String::new, fixissue::describe_binding)
            )),
        });
        out.report.state = FixState::Reopened;
        open = true;
    }

    if open {
        let how = block.binding.as_ref().map_or_else(
            || "close this issue once the test has passed".to_owned(),
            |b| {
                format!(
                    "the Action is waiting for {}",
                    fixissue::describe_binding(b)
                )
            },
        );
        if now >= end_of_due {
            out.report.state = FixState::Overdue;
            if !has_label(OVERDUE_LABEL) {
                out.operations.push(Operation::AddLabels {
                    target,
                    labels: vec![OVERDUE_LABEL.into()],
                });
            }
            if !commented(M_OVERDUE) {
                out.operations.push(Operation::Comment {
                    target,
                    body: Text::lit(format!(
                        "{}\n{}, this chain-level fix ({}) was due on {} (end of day, {zone}) and its test has not passed: {how}. Please move the fix or its due date through the postmortem.",
                        marker(M_OVERDUE),
                        mention(&block.owner),
                        block.level.label(),
                        block.due
                    )),
                });
            }
            out.annotations.push(annotation(
                if config.fail_on_overdue {
                    AnnotationLevel::Error
                } else {
                    AnnotationLevel::Warning
                },
                document,
                format!("Fix #{} overdue", issue.number),
                format!(
                    "the {} fix of {} was due on {} and its test has not passed",
                    block.level.label(),
                    block.incident,
                    block.due
                ),
            ));
        } else {
            let today = zone.date_of(now);
            let days_left = (block.due - today).num_days();
            let window = i64::from(config.reminder_days);
            if config.reminder_days > 0 && (0..=window).contains(&days_left) {
                if out.report.state != FixState::Reopened {
                    out.report.state = FixState::DueSoon { days_left };
                }
                if !commented(M_REMINDER) {
                    out.operations.push(Operation::Comment {
                        target,
                        body: Text::lit(format!(
                            "{}\n{}, this chain-level fix ({}) is due on {} (end of day, {zone}), in {days_left} day(s): {how}.",
                            marker(M_REMINDER),
                            mention(&block.owner),
                            block.level.label(),
                            block.due
                        )),
                    });
                }
            }
        }
    }
    out
}

fn report_tampered(
    issue: &FixIssueSnapshot,
    out: &mut Outcome,
    block: Option<&FixBlock>,
    reason: &str,
    fingerprint: &str,
    commented: &dyn Fn(&str) -> bool,
) {
    out.report.state = FixState::Tampered {
        reason: reason.to_owned(),
    };
    let kind = format!("{M_TAMPERED}:{fingerprint}");
    if !commented(&kind) {
        out.operations.push(Operation::Comment {
            target: Target::Number(issue.number),
            body: Text::lit(format!(
                "{}\nThe Action's record of this fix (the hidden line at the end of the description) is not trusted: {}. The Action takes no other action on this issue until the record is restored; change a fix's owner, due date or test through its postmortem document.",
                marker(&kind),
                neutralise(reason)
            )),
        });
    }
    out.annotations.push(annotation(
        AnnotationLevel::Error,
        block.map(|b| b.document.to_string()),
        format!("Fix issue #{}: record not trusted", issue.number),
        reason.to_owned(),
    ));
}

fn report_disagreement(
    issue: &FixIssueSnapshot,
    out: &mut Outcome,
    block: &FixBlock,
    reason: &str,
    commented: &dyn Fn(&str) -> bool,
) {
    out.report.state = FixState::Disagrees {
        reason: reason.to_owned(),
    };
    let kind = format!(
        "{M_DISAGREES}:{}",
        fixissue::fingerprint(&format!("{}{reason}", block.digest()))
    );
    if !commented(&kind) {
        out.operations.push(Operation::Comment {
            target: Target::Number(issue.number),
            body: Text::lit(format!(
                "{}\nThe postmortem document `{}` on the checked branch states another fix than this issue's record: {}. Neither is taken over the other, so the Action does not check this fix until they agree. A fix changes when a change to its document is merged and the postmortem workflow runs on that push; if that run was missed, run the postmortem-open workflow by hand.",
                marker(&kind),
                block.document,
                neutralise(reason)
            )),
        });
    }
    out.annotations.push(annotation(
        AnnotationLevel::Error,
        Some(block.document.to_string()),
        format!(
            "Fix issue #{}: record and merged document disagree",
            issue.number
        ),
        reason.to_owned(),
    ));
}

fn annotation(
    level: AnnotationLevel,
    file: Option<String>,
    title: String,
    message: String,
) -> Annotation {
    Annotation {
        level,
        file,
        line: None,
        title,
        message,
    }
}

/// The step summary: one row per fix.
fn summary(reports: &[FixReport], zone: DueZone) -> Vec<String> {
    let mut lines = vec![
        "### Chain-level fixes".to_owned(),
        String::new(),
        format!("Due days end at midnight, {zone}."),
        String::new(),
        "| Fix | Owner | Level | Due | State | Evidence |".to_owned(),
        "|---|---|---|---|---|---|".to_owned(),
    ];
    for r in reports {
        let (owner, level, due) = r.block.as_ref().map_or_else(
            || ("—".to_owned(), "—".to_owned(), "—".to_owned()),
            |b| (format!("`{}`", b.owner), b.level.label(), b.due.to_string()),
        );
        let mut state = r.state.label();
        if r.deferred {
            state.push_str(" (writes left for the next run)");
        }
        let evidence = r.evidence.as_ref().map_or_else(
            || "—".to_owned(),
            |e| {
                format!(
                    "[passed {}]({})",
                    e.completed_at.format("%Y-%m-%d"),
                    table_cell(&e.html_url)
                )
            },
        );
        lines.push(format!(
            "| [#{}]({}) | {owner} | {level} | {due} | {} | {evidence} |",
            r.number,
            table_cell(&r.html_url),
            table_cell(&state)
        ));
    }
    if reports.is_empty() {
        lines.push("| — | — | — | — | no fix issues | — |".to_owned());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixissue::tests::block;
    use crate::fixissue::{FixIssueContent, render_body};
    use chrono::TimeZone;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn config() -> Config {
        let env: BTreeMap<String, String> = [("INPUT_MODE", "check"), ("INPUT_TOKEN", "t")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        crate::config::from_env(&env).unwrap()
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn body_for(b: &FixBlock) -> String {
        render_body(&FixIssueContent {
            block: b.clone(),
            statement: "The warming job ships.".into(),
            test_statement: "p95 < 500ms".into(),
            document_url: "https://github.com/acme/app/blob/main/x.md".into(),
            pull_request: Some(Target::Number(41)),
            intake_issue: None,
            zone: "UTC".into(),
            unassignable_in: None,
        })
        .as_literal()
        .unwrap()
    }

    fn issue(number: u64) -> FixIssueSnapshot {
        FixIssueSnapshot {
            number,
            html_url: format!("https://github.com/acme/app/issues/{number}"),
            open: true,
            created_at: at("2026-05-21T10:00:00Z"),
            labels: vec!["postmortem-fix".into()],
            body: body_for(&block()),
            bot_comments: Vec::new(),
            results: Vec::new(),
            document_fix: None,
            landing: Landing::Unknown,
        }
    }

    fn pass(when: &str) -> CiResult {
        CiResult {
            conclusion: Some("success".into()),
            branch: Some("main".into()),
            completed_at: Some(at(when)),
            html_url: "https://github.com/acme/app/actions/runs/9".into(),
            event: Some("push".into()),
            head_repository: Some("acme/app".into()),
            ..CiResult::default()
        }
    }

    fn run(issues: &[FixIssueSnapshot], now: &str, config: &Config) -> (Plan, Vec<FixReport>) {
        plan(&CheckInput {
            config,
            check_branch: "main",
            now: at(now),
            repository: "acme/app",
            issues,
        })
    }

    /// Applies a plan to the snapshot the way GitHub would.
    fn apply(issues: &[FixIssueSnapshot], plan: &Plan) -> Vec<FixIssueSnapshot> {
        let mut issues = issues.to_vec();
        let mut next_id = 1000;
        for op in &plan.operations {
            let find = |issues: &mut Vec<FixIssueSnapshot>, n: u64| {
                issues.iter().position(|i| i.number == n).unwrap()
            };
            match op {
                Operation::Comment {
                    target: Target::Number(n),
                    body,
                } => {
                    let i = find(&mut issues, *n);
                    next_id += 1;
                    issues[i].bot_comments.push(BotComment {
                        id: next_id,
                        body: body.as_literal().unwrap(),
                    });
                }
                Operation::AddLabels {
                    target: Target::Number(n),
                    labels,
                } => {
                    let i = find(&mut issues, *n);
                    issues[i].labels.extend(labels.iter().cloned());
                }
                Operation::RemoveLabels {
                    target: Target::Number(n),
                    labels,
                } => {
                    let i = find(&mut issues, *n);
                    issues[i].labels.retain(|l| !labels.contains(l));
                }
                Operation::CloseIssue { number, .. } => {
                    let i = find(&mut issues, *number);
                    issues[i].open = false;
                }
                Operation::ReopenIssue { number } => {
                    let i = find(&mut issues, *number);
                    issues[i].open = true;
                }
                other => panic!("the checker planned {other:?}"),
            }
        }
        issues
    }

    #[test]
    fn a_pass_before_the_due_day_verifies_and_closes() {
        let mut i = issue(5);
        i.results = vec![
            pass("2026-05-29T08:00:00Z"),
            pass("2026-05-25T08:00:00Z"),
            CiResult {
                conclusion: Some("failure".into()),
                ..pass("2026-05-22T08:00:00Z")
            },
        ];
        let (plan, reports) = run(&[i], "2026-06-02T00:00:00Z", &config());
        assert_eq!(reports[0].state, FixState::Verified);
        assert_eq!(
            reports[0].evidence.as_ref().unwrap().completed_at,
            at("2026-05-25T08:00:00Z")
        );
        assert_eq!(plan.operations.len(), 3);
        let Operation::Comment { body, .. } = &plan.operations[0] else {
            panic!()
        };
        let body = body.as_literal().unwrap();
        assert!(body.contains("verified on time"));
        assert!(body.contains("https://github.com/acme/app/actions/runs/9"));
        assert!(
            matches!(&plan.operations[1], Operation::AddLabels { labels, .. } if labels == &["fix-verified"])
        );
        assert!(matches!(
            plan.operations[2],
            Operation::CloseIssue {
                number: 5,
                reason: CloseReason::Completed
            }
        ));
        assert_eq!(plan.exit, crate::plan::Exit::Success);
        assert!(
            plan.summary
                .iter()
                .any(|l| l.contains("| [#5](") && l.contains("| verified |"))
        );
    }

    #[test]
    fn a_pass_after_the_due_day_is_verified_late_and_drops_overdue() {
        let mut i = issue(5);
        i.labels.push(OVERDUE_LABEL.into());
        i.results = vec![pass("2026-05-31T00:00:00Z")];
        let (plan, reports) = run(&[i], "2026-06-02T00:00:00Z", &config());
        assert_eq!(reports[0].state, FixState::VerifiedLate);
        let Operation::Comment { body, .. } = &plan.operations[0] else {
            panic!()
        };
        assert!(body.as_literal().unwrap().contains("verified **late**"));
        assert!(plan.operations.contains(&Operation::RemoveLabels {
            target: Target::Number(5),
            labels: vec![OVERDUE_LABEL.into()]
        }));
    }

    #[test]
    fn the_due_day_ends_in_the_configured_zone() {
        let mut c = config();
        c.timezone = DueZone::parse("+02:00").unwrap();
        let mut i = issue(5);
        // 23:30 UTC on the due day is already the next day at +02:00.
        i.results = vec![pass("2026-05-30T23:30:00Z")];
        let (_, reports) = run(std::slice::from_ref(&i), "2026-06-02T00:00:00Z", &c);
        assert_eq!(reports[0].state, FixState::VerifiedLate);
        let (_, reports) = run(&[i], "2026-06-02T00:00:00Z", &config());
        assert_eq!(reports[0].state, FixState::Verified);
    }

    #[test]
    fn results_before_the_issue_or_on_other_branches_prove_nothing() {
        let mut i = issue(5);
        i.results = vec![
            pass("2026-05-20T08:00:00Z"),
            CiResult {
                branch: Some("feature".into()),
                ..pass("2026-05-25T08:00:00Z")
            },
            CiResult {
                completed_at: None,
                ..pass("2026-05-25T08:00:00Z")
            },
        ];
        let (plan, reports) = run(&[i], "2026-05-22T00:00:00Z", &config());
        assert_eq!(reports[0].state, FixState::Open);
        assert!(!plan.writes());
    }

    #[test]
    fn overdue_is_flagged_once_and_fails_the_run() {
        let i = issue(5);
        let (plan, reports) = run(std::slice::from_ref(&i), "2026-05-31T00:00:00Z", &config());
        assert_eq!(reports[0].state, FixState::Overdue);
        assert_eq!(plan.operations.len(), 2);
        let Operation::Comment { body, .. } = &plan.operations[1] else {
            panic!()
        };
        assert!(
            body.as_literal()
                .unwrap()
                .contains("@senior-dev, this chain-level fix (L3 Scope) was due on 2026-05-30")
        );
        assert_eq!(plan.annotations[0].level, AnnotationLevel::Error);
        assert_eq!(
            plan.annotations[0].file.as_deref(),
            Some("runbooks/postmortems/2026-05-20-queue-render.md")
        );
        assert!(
            matches!(plan.exit, crate::plan::Exit::Failure { ref reason } if reason.contains("1 chain-level fix(es) overdue"))
        );

        let after = apply(&[i], &plan);
        let (again, _) = run(&after, "2026-06-05T00:00:00Z", &config());
        assert!(!again.writes(), "{}", again.render_text());
        // Still failing and annotated: the fix is still overdue.
        assert!(matches!(again.exit, crate::plan::Exit::Failure { .. }));
    }

    #[test]
    fn overdue_need_not_fail_the_run() {
        let mut c = config();
        c.fail_on_overdue = false;
        let (plan, _) = run(&[issue(5)], "2026-05-31T00:00:00Z", &c);
        assert_eq!(plan.exit, crate::plan::Exit::Success);
        assert_eq!(plan.annotations[0].level, AnnotationLevel::Warning);
    }

    #[test]
    fn the_owner_is_reminded_once_before_the_due_day() {
        let i = issue(5);
        let (plan, _) = run(std::slice::from_ref(&i), "2026-05-26T12:00:00Z", &config());
        assert!(!plan.writes(), "4 days left, outside the 3-day window");
        let (plan, reports) = run(std::slice::from_ref(&i), "2026-05-27T12:00:00Z", &config());
        assert_eq!(reports[0].state, FixState::DueSoon { days_left: 3 });
        let Operation::Comment { body, .. } = &plan.operations[0] else {
            panic!()
        };
        assert!(
            body.as_literal()
                .unwrap()
                .contains("@senior-dev, this chain-level fix (L3 Scope) is due on 2026-05-30")
        );
        let after = apply(&[i], &plan);
        let (again, _) = run(&after, "2026-05-29T12:00:00Z", &config());
        assert!(!again.writes());
        let mut off = config();
        off.reminder_days = 0;
        let (none, _) = run(&after, "2026-05-29T12:00:00Z", &off);
        assert!(!none.writes());
    }

    #[test]
    fn a_hand_closed_fix_without_evidence_is_reopened() {
        let mut i = issue(5);
        i.open = false;
        let (plan, reports) = run(std::slice::from_ref(&i), "2026-05-22T00:00:00Z", &config());
        assert_eq!(reports[0].state, FixState::Reopened);
        assert_eq!(plan.operations[0], Operation::ReopenIssue { number: 5 });
        let after = apply(&[i.clone()], &plan);
        assert!(!run(&after, "2026-05-22T00:00:00Z", &config()).0.writes());

        let mut off = config();
        off.reopen_hand_closed = false;
        let (plan, reports) = run(std::slice::from_ref(&i), "2026-05-22T00:00:00Z", &off);
        assert!(!plan.writes());
        assert_eq!(reports[0].state, FixState::ClosedByHand);

        // Without a binding, closing by hand is how the fix is verified.
        let mut b = block();
        b.binding = None;
        i.body = body_for(&b);
        let (plan, reports) = run(&[i], "2026-05-22T00:00:00Z", &config());
        assert!(!plan.writes());
        assert_eq!(reports[0].state, FixState::ClosedByHand);
    }

    #[test]
    fn a_hand_closed_fix_with_evidence_is_verified_in_place() {
        let mut i = issue(5);
        i.open = false;
        i.results = vec![pass("2026-05-25T08:00:00Z")];
        let (plan, reports) = run(&[i], "2026-05-26T00:00:00Z", &config());
        assert_eq!(reports[0].state, FixState::Verified);
        assert!(
            !plan
                .operations
                .iter()
                .any(|o| matches!(o, Operation::CloseIssue { .. }))
        );
    }

    #[test]
    fn a_tampered_record_is_reported_once_and_nothing_else_happens() {
        let mut i = issue(5);
        i.body = i.body.replace("\"2026-05-30\"", "\"2027-05-30\"");
        i.results = vec![pass("2026-05-25T08:00:00Z")];
        let (plan, reports) = run(std::slice::from_ref(&i), "2026-06-30T00:00:00Z", &config());
        assert!(matches!(reports[0].state, FixState::Tampered { .. }));
        assert_eq!(plan.operations.len(), 1);
        assert!(matches!(&plan.operations[0], Operation::Comment { .. }));
        assert_eq!(plan.annotations[0].level, AnnotationLevel::Error);
        assert!(matches!(plan.exit, crate::plan::Exit::Failure { .. }));
        let after = apply(&[i], &plan);
        let (again, _) = run(&after, "2026-07-01T00:00:00Z", &config());
        assert!(!again.writes());
        // A different edit is reported again.
        let mut other = after[0].clone();
        other.body = other.body.replace("\"senior-dev\"", "\"someone-else\"");
        let (third, _) = run(&[other], "2026-07-01T00:00:00Z", &config());
        assert_eq!(third.operations.len(), 1);
    }

    #[test]
    fn a_record_that_disagrees_with_the_merged_document_is_reported_not_overwritten() {
        let mut i = issue(5);
        let b = block();
        i.document_fix = Some(DocumentFix {
            level: Some(b.level),
            owner: Some(b.owner.clone()),
            due: NaiveDate::from_ymd_opt(2026, 6, 15),
            binding: b.binding.clone(),
        });
        i.results = vec![pass("2026-05-25T08:00:00Z")];
        let (plan, reports) = run(std::slice::from_ref(&i), "2026-05-26T00:00:00Z", &config());
        let FixState::Disagrees { reason } = &reports[0].state else {
            panic!("{:?}", reports[0].state)
        };
        assert!(reason.contains("due date"));
        // One comment, no verification, no rewrite of the record.
        assert_eq!(plan.operations.len(), 1, "{}", plan.render_text());
        let Operation::Comment { body, .. } = &plan.operations[0] else {
            panic!()
        };
        assert!(
            body.as_literal()
                .unwrap()
                .contains("Neither is taken over the other")
        );
        assert!(matches!(plan.exit, crate::plan::Exit::Failure { .. }));
        let after = apply(&[i], &plan);
        assert!(!run(&after, "2026-05-27T00:00:00Z", &config()).0.writes());
    }

    #[test]
    fn once_merged_only_a_pass_on_a_commit_containing_the_merge_verifies() {
        let mut i = issue(5);
        i.landing = Landing::Merged {
            sha: "abcdef0123456789".into(),
            pull_request: 41,
            merged_at: at("2026-05-23T10:00:00Z"),
        };
        let early = pass("2026-05-22T08:00:00Z");
        let without = CiResult {
            contains_landing: Some(false),
            ..pass("2026-05-24T08:00:00Z")
        };
        i.results = vec![early, without];
        let (plan, reports) = run(std::slice::from_ref(&i), "2026-05-25T00:00:00Z", &config());
        assert_eq!(reports[0].state, FixState::Open);
        // The owner learns, once, what counts from now on.
        assert_eq!(plan.operations.len(), 1);
        let Operation::Comment { body, .. } = &plan.operations[0] else {
            panic!()
        };
        let body = body.as_literal().unwrap();
        assert!(body.contains("merged in #41 (`abcdef0`)"), "{body}");
        let after = apply(&[i.clone()], &plan);
        assert_eq!(
            landing_from_comments(&after[0].bot_comments),
            Some(i.landing.clone())
        );
        assert!(!run(&after, "2026-05-25T00:00:00Z", &config()).0.writes());
        let mut with = after[0].clone();
        with.results.push(CiResult {
            contains_landing: Some(true),
            ..pass("2026-05-26T08:00:00Z")
        });
        let (_, reports) = run(&[with], "2026-05-27T00:00:00Z", &config());
        assert_eq!(reports[0].state, FixState::Verified);
        assert_eq!(
            reports[0].evidence.as_ref().unwrap().completed_at,
            at("2026-05-26T08:00:00Z")
        );
    }

    #[test]
    fn an_issue_without_a_record_is_reported_once() {
        let mut i = issue(5);
        i.body = "Please fix the cache".into();
        let (plan, reports) = run(std::slice::from_ref(&i), "2026-05-22T00:00:00Z", &config());
        assert_eq!(reports[0].state, FixState::NoBlock);
        assert_eq!(plan.operations.len(), 1);
        let after = apply(&[i], &plan);
        assert!(!run(&after, "2026-05-22T00:00:00Z", &config()).0.writes());
    }

    #[test]
    fn the_budget_leaves_whole_issues_for_the_next_run() {
        let mut c = config();
        c.operations_budget = 4;
        let issues: Vec<_> = (1..=3).map(issue).collect();
        // Each overdue issue costs 2 writes: two fit, one is deferred.
        let (plan, reports) = run(&issues, "2026-05-31T00:00:00Z", &c);
        assert_eq!(plan.operations.len(), 4);
        assert_eq!(reports.iter().filter(|r| r.deferred).count(), 1);
        assert!(
            plan.summary
                .iter()
                .any(|l| l.contains("1 fix issue(s) are left for the next run"))
        );
        let after = apply(&issues, &plan);
        let (next, reports) = run(&after, "2026-06-01T00:00:00Z", &c);
        assert_eq!(next.operations.len(), 2);
        assert!(reports.iter().all(|r| !r.deferred));
    }

    #[test]
    fn a_binding_on_another_branch_is_flagged_not_trusted() {
        let mut i = issue(5);
        let mut b = block();
        b.binding = Some(TestBinding::new("workflow", "cold-start.yml", "feature", "").unwrap());
        i.body = body_for(&b);
        i.results = vec![CiResult {
            branch: Some("feature".into()),
            ..pass("2026-05-25T08:00:00Z")
        }];
        let (plan, reports) = run(&[i], "2026-05-26T00:00:00Z", &config());
        assert_eq!(reports[0].state, FixState::Open);
        assert!(
            plan.annotations
                .iter()
                .any(|a| a.title.contains("another branch"))
        );
    }

    #[test]
    fn only_unverified_bound_fixes_need_a_lookup() {
        let i = issue(1);
        assert!(binding_to_look_up(&i.body, &i.labels, "main").is_some());
        assert!(binding_to_look_up(&i.body, &i.labels, "release").is_none());
        assert!(binding_to_look_up(&i.body, &["fix-verified".into()], "main").is_none());
        assert!(binding_to_look_up("no block", &[], "main").is_none());
    }

    #[test]
    fn the_summary_is_a_table() {
        let (plan, _) = run(&[issue(5)], "2026-05-22T00:00:00Z", &config());
        assert!(
            plan.summary
                .contains(&"| Fix | Owner | Level | Due | State | Evidence |".to_owned())
        );
        assert!(plan.summary.iter().any(|l| l.starts_with("| [#5](https://github.com/acme/app/issues/5) | `senior-dev` | L3 Scope | 2026-05-30 | open | — |")));
    }

    fn scenario() -> impl Strategy<Value = (Vec<FixIssueSnapshot>, i64, usize)> {
        let one = (
            any::<bool>(),
            prop::option::of(-12i64..12),
            any::<bool>(),
            any::<bool>(),
            0u8..3,
        );
        (
            prop::collection::vec(one, 1..6),
            -12i64..12,
            MAX_WRITES_PER_FIX..12,
        )
            .prop_map(|(specs, now_offset, budget)| {
                let due = block().due;
                let issues = specs
                    .into_iter()
                    .enumerate()
                    .map(
                        |(n, (open, pass_day, overdue_label, verified_label, body_kind))| {
                            let mut i = issue(n as u64 + 1);
                            i.open = open;
                            if let Some(d) = pass_day {
                                let day = due + chrono::Days::new(0);
                                let day = if d >= 0 {
                                    day + chrono::Days::new(d as u64)
                                } else {
                                    day - chrono::Days::new((-d) as u64)
                                };
                                i.results = vec![CiResult {
                                    completed_at: Some(
                                        Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap()),
                                    ),
                                    ..pass("2026-05-25T08:00:00Z")
                                }];
                            }
                            if overdue_label {
                                i.labels.push(OVERDUE_LABEL.into());
                            }
                            if verified_label {
                                i.labels.push(VERIFIED_LABEL.into());
                            }
                            match body_kind {
                                1 => i.body = i.body.replace("\"senior-dev\"", "\"x\""),
                                2 => i.body = "no block".into(),
                                _ => {}
                            }
                            i
                        },
                    )
                    .collect();
                (issues, now_offset, budget)
            })
    }

    proptest! {
        /// Whatever the state, applying the plan and planning again at the
        /// same moment writes nothing (once the budget lets every issue in).
        #[test]
        fn the_checker_converges((issues, now_offset, budget) in scenario()) {
            let mut c = config();
            c.operations_budget = budget;
            let noon = block().due.and_hms_opt(12, 0, 0).unwrap();
            let now = Utc.from_utc_datetime(&noon) + chrono::TimeDelta::days(now_offset);
            let mut state = issues;
            let mut rounds = 0;
            loop {
                let (plan, _) = plan(&CheckInput { config: &c, check_branch: "main", now, repository: "acme/app", issues: &state });
                prop_assert!(plan.operations.len() <= budget);
                if !plan.writes() { break; }
                state = apply(&state, &plan);
                rounds += 1;
                prop_assert!(rounds <= 6, "no convergence: {}", plan.render_text());
            }
        }
    }
}
