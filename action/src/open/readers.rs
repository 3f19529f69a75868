//! Leadership reads the artefact itself: the readers a postmortem names are
//! asked to review its pull request. GitHub refuses (422) a review request
//! to a user or team without access to the repository, and refuses the
//! whole request when one of them lacks it, so:
//!
//! - before writing, the shell asks what it can ([`access_questions`]):
//!   whether each user reader is a collaborator, and whether the token may
//!   list the repository's teams;
//! - readers known to lack access are not asked; the pull request names
//!   them, and a warning says to hand them the artefact;
//! - readers with access are asked in one request, each team whose access
//!   is unknown in a request of its own, and after the fix issue exists,
//!   so a refusal stops nothing;
//! - a refusal is noted by the shell and [`refused_readers`] plans one
//!   comment on the pull request naming them; its hidden markers keep a
//!   later run from asking them again.

use postmortem_model::{Login, Postmortem, Reader};

use super::{Access, OpenInput, OpenState, PullRequestState};
use crate::commands::{Annotation, AnnotationLevel};
use crate::config::Mode;
use crate::plan::{Operation, Plan, Target, Text};
use crate::text::{has_marker, marker};

const M_REFUSED: &str = "reader-refused";

/// What the shell must ask GitHub before planning: whether `owner` can be
/// assigned, whether each of `users` is a collaborator, and whether any
/// team's access needs reading (`teams`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessQuestions {
    /// The fix's owner, when the fix issue still needs its assignee.
    pub owner: Option<Login>,
    /// User readers not yet asked to review.
    pub users: Vec<Login>,
    /// Teams of the repository's organisation not yet asked.
    pub teams: Vec<String>,
}

/// What to ask GitHub about this postmortem before planning: nothing about
/// readers already asked (or refused before), nothing about an owner
/// already assigned.
pub fn access_questions(pm: &Postmortem, state: &OpenState, org: &str) -> AccessQuestions {
    let owner = pm.fix.owner.clone().filter(|o| match &state.fix_issue {
        None => true,
        Some(f) => {
            f.open
                && !f
                    .assignees
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(o.as_str()))
        }
    });
    let mut q = AccessQuestions {
        owner,
        ..AccessQuestions::default()
    };
    for r in pending(&pm.readers, state.pull_request.as_ref()) {
        match r {
            Reader::User(login) => q.users.push(login.clone()),
            Reader::Team { org: o, team } if o.as_str().eq_ignore_ascii_case(org) => {
                q.teams.push(team.clone());
            }
            Reader::Team { .. } => {}
        }
    }
    q
}

/// Readers not asked yet and not refused before, once each.
fn pending<'a>(readers: &'a [Reader], pr: Option<&PullRequestState>) -> Vec<&'a Reader> {
    let mut out: Vec<&Reader> = Vec::new();
    for r in readers {
        let asked = pr.is_some_and(|p| p.asked.contains(r) || refused_before(p, r));
        if !asked && !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

fn refused_before(pr: &PullRequestState, reader: &Reader) -> bool {
    let kind = refused_marker(reader);
    pr.bot_comments.iter().any(|c| has_marker(&c.body, &kind))
}

fn refused_marker(reader: &Reader) -> String {
    // A reader is a validated login or org/team slug: safe in a comment.
    format!("{M_REFUSED}:{reader}")
}

/// The readers the opener leaves out, and why: no access to the
/// repository (as far as GitHub said before writing), a team of another
/// organisation, or refused by GitHub on an earlier run.
pub(super) fn left_out(input: &OpenInput<'_>) -> Vec<Reader> {
    let org = input.repo.owner();
    let pr = input.state.pull_request.as_ref();
    let mut out = Vec::new();
    for r in &input.prepared.postmortem.readers {
        let foreign =
            matches!(r, Reader::Team { org: o, .. } if !o.as_str().eq_ignore_ascii_case(org));
        let refused = pr.is_some_and(|p| refused_before(p, r));
        if (foreign || refused || input.access.without_access.contains(r)) && !out.contains(r) {
            out.push(r.clone());
        }
    }
    out
}

/// The review requests for the pull request: readers with access in one
/// request, each team of unknown access in one of its own.
pub(super) fn requests(input: &OpenInput<'_>, target: Target, plan: &mut Plan) {
    let Access {
        without_access,
        unknown,
        ..
    } = input.access;
    let org = input.repo.owner();
    let (mut users, mut teams, mut alone) = (Vec::new(), Vec::new(), Vec::new());
    for r in pending(
        &input.prepared.postmortem.readers,
        input.state.pull_request.as_ref(),
    ) {
        if without_access.contains(r) {
            continue;
        }
        match r {
            Reader::User(login) => users.push(login.to_string()),
            Reader::Team { org: o, team } if o.as_str().eq_ignore_ascii_case(org) => {
                if unknown.contains(r) {
                    alone.push(team.clone());
                } else {
                    teams.push(team.clone());
                }
            }
            Reader::Team { .. } => {}
        }
    }
    if !users.is_empty() || !teams.is_empty() {
        plan.operations.push(Operation::RequestReviewers {
            target,
            users,
            teams,
        });
    }
    for team in alone {
        plan.operations.push(Operation::RequestReviewers {
            target,
            users: Vec::new(),
            teams: vec![team],
        });
    }
    for r in left_out(input) {
        plan.annotations.push(Annotation::new(
            AnnotationLevel::Warning,
            format!("{r} cannot be asked to review"),
            format!(
                "GitHub does not let the Action ask {r} to review pull requests in {}: they have no access to it. Leadership reads the artefact itself: give them access, or hand them the document.",
                input.repo.full_name
            ),
        ));
    }
}

/// What to say when GitHub refused to ask `refused` to review the pull
/// request `target` (the shell learns it only by asking): one comment
/// naming them, whose markers keep later runs from asking again, and a
/// warning each. Empty when nothing was refused.
pub fn refused_readers(repo: &str, target: Target, refused: &[Reader]) -> Plan {
    let mut plan = Plan::new(Mode::Open);
    if refused.is_empty() {
        return plan;
    }
    let markers: String = refused
        .iter()
        .map(|r| marker(&refused_marker(r)))
        .collect::<Vec<_>>()
        .join("\n");
    let names: Vec<String> = refused.iter().map(|r| format!("`{r}`")).collect();
    plan.operations.push(Operation::Comment {
        target,
        body: Text::lit(format!(
            "{markers}\nGitHub refused to ask {} to review this pull request: they have no access to {repo}. Leadership reads the artefact itself, not a summary: give them access and request their review here, or hand them the document.",
            names.join(", ")
        )),
    });
    for r in refused {
        plan.annotations.push(Annotation::new(
            AnnotationLevel::Warning,
            format!("GitHub refused to ask {r} to review"),
            format!(
                "{r} has no access to {repo}; the pull request says so. Give them access, or hand them the document."
            ),
        ));
    }
    plan
}
