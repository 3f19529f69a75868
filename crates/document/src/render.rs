//! Writing a postmortem as its document.
//!
//! The output is a function of the normalised postmortem alone, so the same
//! postmortem always gives the same bytes and a parsed document renders back
//! to itself. The strings that name sections, labels and placeholders live
//! here and the parser reads the same constants, so the two cannot drift.

use std::fmt::Write as _;

use chrono::TimeDelta;
use postmortem_model::{
    ChainLevel, LevelAnswer, Postmortem, SCHEMA_VERSION, TestBinding, Timestamp, Verdict, time,
};

use crate::escape::{self, Place};
use crate::yaml;

pub(crate) const INCIDENT: &str = "Incident";
pub(crate) const USER_IMPACT: &str = "User impact";
pub(crate) const TIMELINE: &str = "Timeline";
pub(crate) const WALK: &str = "Chain walk";
pub(crate) const FIX: &str = "Chain-level fix";
pub(crate) const TEST: &str = "Test";
pub(crate) const RUNBOOK: &str = "Runbook update";
pub(crate) const WORKED: &str = "What worked";
pub(crate) const DID_NOT_WORK: &str = "What didn't work";
pub(crate) const FASTER: &str = "What would be faster next time";
pub(crate) const ADRS: &str = "ADRs implicated";
pub(crate) const READERS: &str = "Readers";

// Placeholders start with `_`, which user text never does unescaped, so a
// placeholder can never be mistaken for text and the other way round.
pub(crate) const NOT_WRITTEN: &str = "_Not written yet._";
pub(crate) const UNTITLED: &str = "_Untitled_";
pub(crate) const NOT_SET: &str = "_not set_";
pub(crate) const NOT_KNOWN: &str = "_not known yet_";
pub(crate) const NONE: &str = "_None._";
pub(crate) const NO_TIMELINE: &str = "_No timeline was written during the incident._";
pub(crate) const BLANK_AUTHOR: &str = "_blank_";

pub(crate) const SEVERITY: &str = "Severity";
pub(crate) const SERVICES: &str = "Services";
pub(crate) const DURATION: &str = "Duration";
pub(crate) const OWNER: &str = "Owner";
pub(crate) const DUE: &str = "Due";
pub(crate) const STATUS: &str = "Status";
pub(crate) const CHECKED_BY: &str = "Checked by";
pub(crate) const RUNBOOK_PATH: &str = "Runbook";
pub(crate) const ADR_PATH: &str = "Path";
pub(crate) const CONVERSATION: &str = "Conversation";

pub(crate) const TABLE_COLUMNS: [&str; 5] = ["T+", "When", "What happened", "Written", "By"];

/// Renders the document: front matter, then the body. Deterministic; ends
/// with a newline.
pub fn render(pm: &Postmortem) -> String {
    let pm = pm.normalized();
    let mut out = String::with_capacity(4096 + pm.timeline.len() * 200);
    front_matter(&mut out, &pm);

    out.push_str("\n# ");
    if pm.incident.title.is_empty() {
        out.push_str(UNTITLED);
    } else {
        escape::push_line(&mut out, &pm.incident.title, Place::Heading);
    }
    out.push('\n');

    heading(&mut out, 2, INCIDENT);
    out.push('\n');
    bullet(&mut out, SEVERITY, &severity_value(&pm));
    bullet(&mut out, SERVICES, &services_value(&pm));
    bullet(&mut out, DURATION, &duration_value(&pm));
    heading(&mut out, 3, USER_IMPACT);
    prose(&mut out, &pm.incident.user_impact);

    heading(&mut out, 2, TIMELINE);
    timeline(&mut out, &pm);

    heading(&mut out, 2, WALK);
    for level in ChainLevel::ALL {
        heading(&mut out, 3, &level.label());
        let LevelAnswer { verdict, reasoning } = pm.walk.get(level);
        out.push_str("\n**");
        out.push_str(level.question());
        out.push_str("** ");
        out.push_str(verdict_word(*verdict));
        out.push_str(".\n");
        prose(&mut out, reasoning);
    }

    heading(&mut out, 2, &fix_heading(&pm));
    prose(&mut out, &pm.fix.statement);
    out.push('\n');
    bullet(&mut out, OWNER, &owner_value(&pm));
    bullet(&mut out, DUE, &due_value(&pm));
    bullet(&mut out, STATUS, &status_value(&pm));
    heading(&mut out, 3, TEST);
    prose(&mut out, &pm.fix.test.statement);
    out.push('\n');
    let binding = pm
        .fix
        .test
        .binding
        .as_ref()
        .map_or_else(|| NOT_SET.to_owned(), binding_value);
    bullet(&mut out, CHECKED_BY, &binding);

    heading(&mut out, 2, RUNBOOK);
    out.push('\n');
    let path = pm.runbook.path.as_ref().map_or_else(
        || NOT_SET.to_owned(),
        |p| escape::line(p.as_str(), Place::Block),
    );
    bullet(&mut out, RUNBOOK_PATH, &path);
    heading(&mut out, 3, WORKED);
    prose(&mut out, &pm.runbook.worked);
    heading(&mut out, 3, DID_NOT_WORK);
    prose(&mut out, &pm.runbook.did_not_work);
    heading(&mut out, 3, FASTER);
    prose(&mut out, &pm.runbook.faster_next_time);

    heading(&mut out, 2, ADRS);
    if pm.adrs.is_empty() {
        out.push('\n');
        out.push_str(NONE);
        out.push('\n');
    }
    for adr in &pm.adrs {
        out.push_str("\n### ");
        if adr.title.is_empty() {
            out.push_str(UNTITLED);
        } else {
            escape::push_line(&mut out, &adr.title, Place::Heading);
        }
        out.push_str("\n\n");
        let path = adr.path.as_ref().map_or_else(
            || NOT_SET.to_owned(),
            |p| escape::line(p.as_str(), Place::Block),
        );
        bullet(&mut out, ADR_PATH, &path);
        let on = adr
            .conversation_on
            .map_or_else(|| NOT_SET.to_owned(), time::format_date);
        bullet(&mut out, CONVERSATION, &on);
        prose(&mut out, &adr.why);
    }

    heading(&mut out, 2, READERS);
    out.push('\n');
    if pm.readers.is_empty() {
        out.push_str(NONE);
        out.push('\n');
    }
    for reader in &pm.readers {
        out.push_str("- ");
        escape::push_line(&mut out, &reader.to_string(), Place::Block);
        out.push('\n');
    }
    out
}

fn front_matter(out: &mut String, pm: &Postmortem) {
    let i = &pm.incident;
    let ts = |t: &Option<Timestamp>| t.map(time::format_rfc3339);
    out.push_str("---\n");
    // A number, written plain: tools tell a postmortem from the runbooks
    // beside it by this first line.
    out.push_str(&format!("schema_version: {SCHEMA_VERSION}\n"));
    yaml::push_entry(out, "incident", i.id.as_ref().map(|v| v.as_str()));
    yaml::push_entry(out, "date", pm.date().map(time::format_date).as_deref());
    yaml::push_list(out, "services", i.services.iter().map(|s| s.as_str()));
    yaml::push_entry(out, "severity", i.severity.map(|s| s.as_str()));
    yaml::push_entry(out, "fix_level", pm.fix.level.map(ChainLevel::code));
    yaml::push_entry(out, "fix_owner", pm.fix.owner.as_ref().map(|v| v.as_str()));
    yaml::push_entry(out, "fix_due", pm.fix.due.map(time::format_date).as_deref());
    yaml::push_entry(out, "status", Some(pm.fix.status.as_str()));
    yaml::push_entry(out, "started_at", ts(&i.started_at).as_deref());
    yaml::push_entry(out, "detected_at", ts(&i.detected_at).as_deref());
    yaml::push_entry(out, "mitigated_at", ts(&i.mitigated_at).as_deref());
    yaml::push_entry(out, "resolved_at", ts(&i.resolved_at).as_deref());
    yaml::push_entry(out, "holder", pm.holder.login.as_ref().map(|v| v.as_str()));
    yaml::push_entry(out, "holder_role", pm.holder.role.map(|r| r.as_str()));
    yaml::push_entry(out, "held_at", ts(&pm.held_at).as_deref());
    yaml::push_list(
        out,
        "participants",
        pm.participants.iter().map(String::as_str),
    );
    out.push_str("---\n");
}

fn heading(out: &mut String, level: usize, text: &str) {
    out.push('\n');
    for _ in 0..level {
        out.push('#');
    }
    out.push(' ');
    out.push_str(text);
    out.push('\n');
}

fn bullet(out: &mut String, label: &str, value: &str) {
    out.push_str("- **");
    out.push_str(label);
    out.push_str(":** ");
    out.push_str(value);
    out.push('\n');
}

/// A prose field as paragraphs, after a blank line.
fn prose(out: &mut String, text: &str) {
    out.push('\n');
    if text.is_empty() {
        out.push_str(NOT_WRITTEN);
        out.push('\n');
        return;
    }
    for line in text.split('\n') {
        escape::push_line(out, line, Place::Block);
        out.push('\n');
    }
}

fn timeline(out: &mut String, pm: &Postmortem) {
    out.push('\n');
    if pm.timeline.is_empty() {
        out.push_str(NO_TIMELINE);
        out.push('\n');
        return;
    }
    out.push_str("| ");
    out.push_str(&TABLE_COLUMNS.join(" | "));
    out.push_str(" |\n|");
    for _ in TABLE_COLUMNS {
        out.push_str("---|");
    }
    out.push('\n');
    for entry in &pm.timeline {
        out.push_str("| ");
        if let Some(start) = pm.incident.started_at {
            out.push_str(&t_plus(entry.at, start));
        }
        out.push_str(" | ");
        out.push_str(&time::format_body(entry.at));
        out.push_str(" | ");
        for (i, line) in entry.text.split('\n').enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            escape::push_line(out, line, Place::Cell);
        }
        out.push_str(" | ");
        if let Some(written) = entry.written_at {
            out.push_str(&written_cell(written, entry.at));
        }
        out.push_str(" | ");
        match entry.author.as_deref() {
            None => {}
            Some("") => out.push_str(BLANK_AUTHOR),
            Some(author) => escape::push_line(out, author, Place::Cell),
        }
        out.push_str(" |\n");
    }
}

/// The fix section's heading, which displays the front matter's `fix_level`.
pub(crate) fn fix_heading(pm: &Postmortem) -> String {
    match pm.fix.level {
        Some(level) => format!("{FIX}: {}", level.label()),
        None => FIX.to_owned(),
    }
}

pub(crate) fn verdict_word(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Unanswered => "Unanswered",
        Verdict::No => "No",
        Verdict::Possibly => "Possibly",
        Verdict::Yes => "Yes",
    }
}

pub(crate) fn severity_value(pm: &Postmortem) -> String {
    pm.incident
        .severity
        .map_or_else(|| NOT_SET.to_owned(), |s| s.as_str().to_owned())
}

pub(crate) fn services_value(pm: &Postmortem) -> String {
    if pm.incident.services.is_empty() {
        return NOT_SET.to_owned();
    }
    let names: Vec<&str> = pm.incident.services.iter().map(|s| s.as_str()).collect();
    escape::line(&names.join(", "), Place::Block)
}

pub(crate) fn duration_value(pm: &Postmortem) -> String {
    let Some(duration) = pm.incident.duration() else {
        return NOT_KNOWN.to_owned();
    };
    let end = if pm.incident.mitigated_at.is_some() {
        "mitigation"
    } else {
        "resolution"
    };
    format!("{}, from start to {end}", human_duration(duration))
}

pub(crate) fn owner_value(pm: &Postmortem) -> String {
    pm.fix.owner.as_ref().map_or_else(
        || NOT_SET.to_owned(),
        |o| escape::line(o.as_str(), Place::Block),
    )
}

pub(crate) fn due_value(pm: &Postmortem) -> String {
    pm.fix
        .due
        .map_or_else(|| NOT_SET.to_owned(), time::format_date)
}

pub(crate) fn status_value(pm: &Postmortem) -> String {
    pm.fix.status.as_str().to_owned()
}

/// `workflow cold-start.yml on main`, with the detail in parentheses when
/// there is one: `(job: p95)`, `(app: ci-app)`, `(creator: ci-bot)`.
fn binding_value(binding: &TestBinding) -> String {
    let mut out = String::from(binding.kind());
    out.push(' ');
    escape::push_line(&mut out, binding.target(), Place::Block);
    out.push_str(" on ");
    escape::push_line(&mut out, binding.branch(), Place::Block);
    if let (Some(detail), Some(key)) = (binding.detail(), TestBinding::detail_key(binding.kind())) {
        out.push_str(" (");
        out.push_str(key);
        out.push_str(": ");
        escape::push_line(&mut out, detail, Place::Block);
        out.push(')');
    }
    out
}

/// `8 minutes`, `1 hour 5 minutes`, `2 days 3 hours`, `40 seconds`.
fn human_duration(d: TimeDelta) -> String {
    let secs = d.num_seconds();
    let unit = |n: i64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if secs < 60 {
        return unit(secs, "second");
    }
    let parts = [
        (secs / 86_400, "day"),
        (secs % 86_400 / 3600, "hour"),
        (secs % 3600 / 60, "minute"),
    ];
    parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| unit(*n, w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `T+0:02`: how long after the start an event happened, as the practice's
/// timeline counts. Seconds are shown only when there are any.
pub(crate) fn t_plus(at: Timestamp, start: Timestamp) -> String {
    let delta = at - start;
    let sign = if delta < TimeDelta::zero() { '-' } else { '+' };
    let secs = delta.num_seconds().unsigned_abs();
    let mut out = String::with_capacity(12);
    let _ = write!(out, "T{sign}{}:{:02}", secs / 3600, secs % 3600 / 60);
    if secs % 60 != 0 {
        let _ = write!(out, ":{:02}", secs % 60);
    }
    out
}

/// When an entry was written: just the time when it is the same day and
/// offset as the event, which is the usual case for a timeline written
/// during the incident.
fn written_cell(written: Timestamp, at: Timestamp) -> String {
    if written.date_naive() == at.date_naive() && written.offset() == at.offset() {
        time::format_time_of_day(written)
    } else {
        time::format_body(written)
    }
}
