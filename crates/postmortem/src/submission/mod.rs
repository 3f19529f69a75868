//! The submission envelope: how a finished postmortem travels from the
//! browser form to the repository's GitHub Action. Both ends use this one
//! definition, so renaming a part here renames it for both and a test that
//! carries a real submission through the Action proves they agree.
//!
//! There are two routes, and neither needs a server of ours:
//!
//! - **with a token**, a `repository_dispatch` event of type
//!   [`EVENT_TYPE`] whose `client_payload.`[`PAYLOAD_KEY`] holds the
//!   Markdown document ([`dispatch`]);
//! - **without one**, GitHub's new-issue page, prefilled with the intake
//!   body ([`intake`]): the document in a fence after a hidden marker. The
//!   Action recognises an intake issue by its [`DEFAULT_LABEL`] *or* by that
//!   marker, because GitHub applies a new-issue URL's `labels=` only for
//!   people who may triage the repository ([`new_issue`]).
//!
//! GitHub refuses what exceeds its limits ([`Limits`]); the form checks them
//! before sending, so a refusal never reaches the person as a surprise, and
//! the Action keeps every body it writes within them.

pub mod dispatch;
pub mod intake;
pub mod new_issue;

use std::fmt;

/// The `repository_dispatch` event type the form sends and the Action
/// acts on.
pub const EVENT_TYPE: &str = "postmortem";

/// The key of `client_payload` that holds the Markdown document.
pub const PAYLOAD_KEY: &str = "document";

/// The label of an intake issue, unless the repository configures another
/// (the form's `data-label`, the Action's `label` input).
pub const DEFAULT_LABEL: &str = "postmortem";

/// GitHub's limits on what a submission may carry, from its REST
/// description and its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits;

impl Limits {
    /// An issue, pull request or comment body holds at most this many
    /// characters; GitHub answers 422 beyond.
    pub const ISSUE_BODY_CHARS: usize = 65_536;
    /// `client_payload` must be "less than 64KB" of JSON in total. Read
    /// conservatively as 64,000 bytes.
    pub const CLIENT_PAYLOAD_BYTES: usize = 64_000;
    /// `client_payload` has at most this many top-level properties.
    pub const CLIENT_PAYLOAD_PROPERTIES: usize = 10;
    /// A dispatch's `event_type` has at most this many characters.
    pub const EVENT_TYPE_CHARS: usize = 100;
}

/// A postmortem that GitHub would refuse to carry on a route: what is too
/// large, by how much, and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge {
    /// What was measured, e.g. "the repository_dispatch payload".
    pub what: &'static str,
    /// Its size.
    pub size: usize,
    /// GitHub's limit.
    pub limit: usize,
    /// The unit of both, "bytes" or "characters".
    pub unit: &'static str,
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} would be {} {unit}, over GitHub's limit of {} {unit}: shorten the longest texts, or export the document and add it to the repository in a pull request",
            self.what,
            self.size,
            self.limit,
            unit = self.unit
        )
    }
}

impl std::error::Error for TooLarge {}
