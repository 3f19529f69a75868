//! What a line got wrong and the form that would have worked. Every reader
//! in this crate reports through [`Problem`] so that each error names the
//! expected form with an example the on-call can copy.

/// A line's problem: `message` reads after the quoted line ("`14:7x foo`
/// has `14:7x`, whose minutes are not two digits"), `expected` after
/// "expected".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) message: String,
    pub(crate) expected: &'static str,
}

impl Problem {
    pub(crate) fn new(message: impl Into<String>, expected: &'static str) -> Self {
        Self {
            message: message.into(),
            expected,
        }
    }
}

pub(crate) const EXPECT_ENTRY: &str = "a time and what happened (e.g. `14:51 alert fired`, `T+0:05 acked` or `2026-05-18T14:51Z alert fired`)";
pub(crate) const EXPECT_CLOCK: &str =
    "a 24-hour time HH:MM or HH:MM:SS, then what happened (e.g. `14:51 alert fired`)";
pub(crate) const EXPECT_RELATIVE: &str = "hours:minutes after the incident start, then what happened (e.g. `T+0:05 acked` or `T+90m watch closed`)";
pub(crate) const EXPECT_START: &str =
    "an incident start to count T+ times from, or a clock time (e.g. `14:51 alert fired`)";
pub(crate) const EXPECT_DATE: &str = "a calendar date (e.g. `2026-05-18` or `May 18, 2026`)";
pub(crate) const EXPECT_DAY: &str = "a date header above clock times (e.g. `## 2026-05-18 (UTC)`), a full timestamp (e.g. `2026-05-18T14:51Z alert fired`), or a default date or incident start";
pub(crate) const EXPECT_ZONE: &str = "a UTC offset (e.g. `+02:00`, `UTC+2`, `Z`) or an unambiguous abbreviation (e.g. `UTC`, `PDT`, `CEST`)";
pub(crate) const EXPECT_ZONE_KNOWN: &str = "a timezone on the line or in a date header (e.g. `14:51 UTC alert fired` or `## 2026-05-18 (UTC)`), or a default offset or incident start";
pub(crate) const EXPECT_LINE: &str = "a line that starts with a time (e.g. `14:51 alert fired`), or text directly under an entry, with no blank line between, to continue it";
pub(crate) const EXPECT_SUMMARY: &str = "only timeline entries here (e.g. `T+0:08 p95 back to <500ms`); severity, duration and impact belong in the incident summary";
pub(crate) const EXPECT_TABLE_ROW: &str =
    "a table row with a time in its time column (e.g. `| 14:51 | alert fired |`)";
pub(crate) const EXPECT_RANGE: &str =
    "a time within a few thousand years of today (e.g. `2026-05-18T14:51Z alert fired`)";
pub(crate) const EXPECT_DIVIDER: &str = "a day divider with its year (e.g. `Monday, May 18th, 2026`), or a date header above the chat (e.g. `## 2026-05-18 (UTC)`)";
pub(crate) const EXPECT_EXPORT: &str = "Slack's export: a JSON array of messages, each with `ts` and `text` (e.g. `[{\"type\": \"message\", \"user\": \"U123\", \"text\": \"alert fired\", \"ts\": \"1747579860.000200\"}]`)";
