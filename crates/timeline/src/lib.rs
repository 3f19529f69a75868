//! Imports the on-call's during-the-incident notes into timeline entries,
//! reporting every line it cannot read.
//!
//! The practice opens a postmortem by reading the timeline the on-call wrote
//! during the incident, never one reconstructed after. This crate turns those
//! notes, pasted from a chat, a notes file or a published postmortem, or
//! exported from Slack, into [`TimelineEntry`] values without anyone
//! retyping them. It never guesses in silence: every non-blank line ends up
//! in an entry, is recognised as structure (a date or timezone header, a
//! heading, a table's header or separator row, a chat's speaker line, day
//! divider or join), or comes back as a [`LineError`] naming the line, what
//! was wrong and the form that was expected; every message of an export is
//! an entry, a join or leave, or a [`LineError`].
//!
//! # Forms read
//!
//! Forms can be mixed within one paste.
//!
//! - The practice's own form, counted from [`ImportOptions::incident_start`]:
//!   `T+0:00 alert fired`, `T+1:05 …`, `T+1:05:30 …`, `T+90m …`, `T+2h …`,
//!   `T+1h05m …`, and `T-0:10 …` for what happened before the start.
//! - Clock times: `14:51 text`, `14:51:30 text`, `2:51 pm text`, with the
//!   timezone on the line (`14:51 UTC text`, `14:51Z text`,
//!   `14:51+02:00 text`, `14:51 (PDT) text`) or from a header above.
//! - Date headers, with or without a timezone: `## 2026-05-18 (UTC)`,
//!   `2026-05-18 UTC`, `May 18, 2026 — all times PDT`,
//!   `### 2026-05-18 (times in +02:00)`, `Monday, 18 May 2026`; and
//!   timezone-only lines such as `All times UTC`.
//! - Full timestamps: `2026-05-18T14:51:00Z text`, `2026-05-18 14:51 UTC
//!   text`, `2026-05-18T14:51+02:00 text`. They set the current day (and the
//!   timezone, when they name one) for the clock times after them.
//! - Markdown tables: `| 14:51 | text |`, with or without a header row
//!   (`| Time (UTC) | Who | Event |`) and separator row. A header names the
//!   time, date and author columns (`who`, `author`, `by`, …); a timezone in
//!   the time column's header (`Time (UTC)`) applies like a header line.
//!   Without a header, a handle-shaped cell between the time and the text
//!   (`| 14:51 | alice | text |`, `@alice`) is the author; a capitalised
//!   word there (`| 14:51 | Alert | text |`) stays in the text, joined with
//!   ` — `. `\|` is a literal pipe.
//!   A row with an empty time cell continues the entry above.
//! - A conversation pasted from Slack: a speaker line, the name then the
//!   time (`Maya Patel  2:51 PM`, `李伟\t14:51`, `PagerDuty  APP  2:51 PM`),
//!   then that person's messages on the lines below. See
//!   [Chats](#chats-pasted-from-slack).
//! - Slack's export, the JSON of a channel's day: see
//!   [Slack's export](#slacks-export).
//! - Bullets and emphasis: `- 14:51 text`, `* 14:51 text`, `- *14:51* text`,
//!   `- **14:51** text`, `1. 14:51 text`, `[14:51] text`, and the
//!   separators `—`, `–`, `-`, `:` and `|` between the time and the text.
//!   Markdown headings that carry a time (`### 14:51 — alert fired`) are
//!   entries too.
//!
//! Timezones are UTC offsets (`+02:00`, `+0200`, `UTC+2`, `GMT-7`, `Z`) or a
//! fixed table of abbreviations with one meaning each (UTC GMT WET WEST BST
//! CET CEST EET EEST MSK EST EDT CST CDT MST MDT PST PDT AKST AKDT HST JST
//! KST SGT HKT AWST ACST ACDT AEST AEDT NZST NZDT …). Abbreviations with
//! several meanings (IST, AST, GST, SST, and PT/ET/CT/MT, which do not say
//! whether daylight time applies) are refused with an error naming what
//! they could mean, and the times under such a header are refused too
//! rather than read in some other timezone.
//!
//! # Lines without a time
//!
//! A line that does not start with a time and directly follows an entry
//! continues it: it is appended to the entry's text after a newline, as
//! "Action took 90 sec." continues `T+0:06` in the practice's example. A
//! blank line, a heading or a table's header ends the entry; text after
//! one continues nothing and is reported, as is text before the first
//! entry. A line that could not be read takes the lines under it along:
//! they are reported as continuing it instead of being glued onto the
//! entry above, where they never belonged.
//!
//! The practice's example ends its timeline with summary lines
//! (`Severity: SEV-2.`, `Duration: 8 minutes.`, `User impact: …`). They are
//! not events, and appending them to the last entry would corrupt it, so a
//! line that opens with a summary field (severity, duration, impact, root
//! cause, time to detect/mitigate/resolve, action items, lessons learned,
//! …) ends the timeline's current entry and is reported as an error that
//! says it belongs in the incident summary, together with the lines that
//! wrap it, until a blank line or the next timed line. Nothing is dropped;
//! the person importing sees exactly which lines stayed out and why.
//!
//! # Chats pasted from Slack
//!
//! A speaker line is a name, two or more spaces or a tab, and a time
//! (`Maya Patel  2:51 PM`, `Maya Patel\t14:51`, `Maya Patel  [2:51 PM]`),
//! with nothing after the time; `APP` or `BOT` between them marks an app,
//! whose entries are authored `PagerDuty (bot)`. One space is enough before
//! a time with am/pm after a name of two or more capitalised words
//! (`Zoë Müller 2:51 PM`). A line that starts with its time
//! (`2:51 PM alert fired`) is a note, never a speaker line, and a speaker
//! line needs a message on the very next line. Names may be in any script;
//! words in lower case after the first are refused unless they are name
//! particles (`de`, `van`, …), so a sentence ending in a time is not a
//! speaker.
//!
//! Every line under a speaker line is that speaker's, until the next
//! speaker line, a Markdown heading or a table: one entry per message,
//! whose time is the speaker line's, whose author is the speaker and whose
//! `written_at` is that same time (a message is written when it is sent,
//! so [`ImportOptions::written_at`] and [`ImportOptions::author`] do not
//! apply to it). Lines directly under one another are one message (Slack
//! shows a message of several lines that way); a blank line starts a new
//! message from the same speaker at the same time, and so does a line that
//! starts with a bare time (`2:52 checking DB`, Slack's own mark for a
//! message sent a little later), which gives the new message its time.
//! Under a speaker line with am/pm, a bare time without am/pm is the
//! reading nearest the message before it (`12:01` after `11:58 PM` is just
//! after midnight). Under a speaker, lines that would be notes' structure
//! (`Severity: SEV-2`, `All times UTC`, `T+0:05 …`) are message text.
//! Slack's lines for someone joining or leaving (`joined #inc-123.`,
//! `has joined the channel`, `left #inc-123.`, `was added to #inc-123 by
//! …`) are not events and are skipped, like structure.
//!
//! The times are read like clock times (below): they are in the timezone
//! of whoever copied the chat, which the paste does not say, so it comes
//! from a header line, [`ImportOptions::offset`] or the incident start.
//! Day dividers, each on its own line right before a speaker line, give
//! the day: `May 18th, 2026` and `2026-05-18` as date headers do;
//! `Monday, May 18th` in the year that puts it nearest the current day,
//! refused when its weekday disagrees; `Yesterday` and `Today` relative to
//! each other (the first one is the day its first time lands on by the
//! usual rules, so `Today` after `Yesterday` is the next day). A `Today`
//! after a `Monday, May 18th` divider is some later day the paste does not
//! name: it is refused, with the times under it, rather than guessed.
//!
//! # Slack's export
//!
//! Text whose first character is `[` followed by `{` (or `]`), or `{`
//! followed by `"`, is Slack's export: a JSON array of messages, as in the
//! export's `channel/2026-05-18.json`, or one message object. Each
//! message becomes an entry in the export's order: its time is its `ts`
//! (seconds since 1970, exact to the microsecond) in UTC, its `written_at`
//! the same instant, its text the `text` with Slack's markup made plain
//! (`<@U123>` as `@Maya Patel`, `<#C1|inc-123>` as `#inc-123`, links as
//! `label (url)`, `&lt;` as `<`). The author is `user_profile.real_name`,
//! else its `display_name`, else the name another message of the same
//! `user` carries, else the `user` id; a bot message (`subtype`
//! `bot_message` or a `bot_id`) is authored by its `username` or
//! `bot_profile.name` with ` (bot)` after it. Messages whose `subtype` is
//! `channel_join`, `channel_leave`, `group_join` or `group_leave` are
//! skipped. Invalid JSON is one [`LineError`] at the line serde_json
//! names; a message without `ts` or `text`, or that is not a message, is
//! reported at the line its object starts on, and the others are still
//! read. The other [`ImportOptions`] do not apply to an export.
//!
//! # Days and midnight
//!
//! A clock time takes its day from the last date header or full timestamp,
//! else from [`ImportOptions::date`], else from the incident start (in the
//! line's timezone). Its timezone comes from the line, else the last header
//! that named one, else [`ImportOptions::offset`], else the incident
//! start's offset. A time that would land more than twelve hours before the
//! previous clock time under the same day crossed midnight and moves to the
//! next day (`23:58` then `00:03`); a smaller step back is a note written
//! out of order and keeps its day. When the day comes only from the incident
//! start, the start counts as the previous time, so `00:05` after a `23:50`
//! start is the next day. `T+` times need no day and are never moved.
//! Entries keep the order of the input; they are not sorted.
//!
//! Entry text is stored in the model's normal form
//! ([`normalize_prose`](postmortem_model::normalize_prose)), authors with
//! [`normalize_line`](postmortem_model::normalize_line). This crate is
//! pure: no I/O, no clock.

mod chat;
mod export;

/// Whether Slack's forms are read (the `chat` feature, on by default). The
/// browser form leaves them out for now: they cost it about 9 KB of gzip
/// it does not have. A constant rather than `#[cfg]`, so the same code is
/// compiled and checked either way and the optimiser drops what is off.
pub(crate) const CHAT: bool = cfg!(feature = "chat");
mod header;
mod merge;
mod problem;
mod read;
mod stamp;
mod table;
mod zone;

#[cfg(test)]
mod chat_tests;
#[cfg(test)]
mod tests;

use std::fmt;

use chrono::{FixedOffset, NaiveDate};
use postmortem_model::{TimelineEntry, Timestamp};

pub use merge::{Merged, in_time_order, merge, sort_by_time};

/// What the notes themselves may not say: where the incident starts, which
/// day and timezone bare clock times belong to, and what to stamp on every
/// entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The incident start: `T+` times count from it, and it gives the day
    /// and timezone of clock times when nothing else does.
    pub incident_start: Option<Timestamp>,
    /// The day of clock times before any date header has been seen.
    pub date: Option<NaiveDate>,
    /// The timezone of times when neither the line nor a header names one.
    pub offset: Option<FixedOffset>,
    /// Stamped as `written_at` on every entry but chat messages, which
    /// were written when they were sent; `None` when unknown.
    pub written_at: Option<Timestamp>,
    /// Stamped as `author` on every entry whose row or speaker names none;
    /// `None` when unknown.
    pub author: Option<String>,
}

/// The entries read from the notes, in input order, and every line that
/// could not be read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Import {
    /// The timeline entries, in the order the notes give them.
    pub entries: Vec<TimelineEntry>,
    /// One error per unreadable line, by line number.
    pub errors: Vec<LineError>,
}

/// A line that could not be read, with what was expected instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// The line's number, counting from 1.
    pub line: usize,
    /// The line as written, without its line ending.
    pub text: String,
    /// What is wrong, phrased to follow the quoted line: "has `14:7x`,
    /// whose minutes are not two digits".
    pub message: String,
    /// The form that would have been read, with an example.
    pub expected: &'static str,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}: `{}` {}: expected {}",
            self.line,
            shown(&self.text),
            self.message,
            self.expected
        )
    }
}

impl std::error::Error for LineError {}

/// A line as a message quotes it: trimmed, control characters made
/// visible, and long lines cut so the message stays one readable sentence.
fn shown(line: &str) -> String {
    const MAX: usize = 60;
    let trimmed = line.trim();
    let mut out: String = trimmed
        .chars()
        .take(MAX)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if trimmed.chars().nth(MAX).is_some() {
        out.push('…');
    }
    out
}

/// Reads the on-call's notes into timeline entries. Never fails as a
/// whole: what cannot be read is reported line by line in
/// [`Import::errors`], next to everything that could.
pub fn import(text: &str, options: &ImportOptions) -> Import {
    if CHAT && export::is_export(text) {
        return export::read(text, options);
    }
    read::read(text, options).0
}
