//! Slack's export: a JSON array of messages (one channel's day in the
//! export's `channel/2026-05-18.json`), or one message object. Each
//! message's `ts` is when it was sent, in seconds since 1970 and exact to
//! the microsecond, so the entry's time and its written-at are both that
//! instant, in UTC. Messages whose `subtype` says someone joined or left
//! the channel are not events and are skipped; bot messages are kept, with
//! ` (bot)` after the bot's name. A message the importer cannot read is
//! reported at the line its object starts on, the rest are still read.

use postmortem_model::{
    TimelineEntry, Timestamp, json_error_message, normalize_line, normalize_prose,
};
use serde::Deserialize;

use crate::problem::{EXPECT_EXPORT, Problem};
use crate::read::lines;
use crate::{Import, ImportOptions, LineError};

/// The fields of a message this importer reads; Slack's others are
/// ignored.
#[derive(Deserialize)]
struct Message {
    #[serde(rename = "type")]
    kind: Option<String>,
    subtype: Option<String>,
    user: Option<String>,
    text: Option<String>,
    ts: Option<String>,
    bot_id: Option<String>,
    username: Option<String>,
    user_profile: Option<Profile>,
    bot_profile: Option<Profile>,
}

/// `user_profile` (`real_name`, `display_name`) or `bot_profile` (`name`).
#[derive(Deserialize)]
struct Profile {
    real_name: Option<String>,
    display_name: Option<String>,
    name: Option<String>,
}

impl Profile {
    fn name(&self) -> Option<String> {
        [&self.real_name, &self.display_name, &self.name]
            .into_iter()
            .find_map(|n| named(n.as_deref()))
    }
}

/// A name that is not blank, normalised.
fn named(name: Option<&str>) -> Option<String> {
    name.map(normalize_line).filter(|n| !n.is_empty())
}

/// Whether the text is JSON rather than notes: an array of objects or an
/// object. Notes never start this way (`[14:51] text` has no brace).
pub(crate) fn is_export(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let mut chars = text.chars();
    let first = chars.next();
    let next = chars.as_str().trim_start();
    match first {
        Some('[') => next.starts_with(['{', ']']),
        Some('{') => next.starts_with(['"', '}']),
        _ => false,
    }
}

/// Reads an export into entries, one per message, in the export's order.
pub(crate) fn read(text: &str, options: &ImportOptions) -> Import {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let all = lines(text);
    let quoted = |line: usize| all.get(line - 1).copied().unwrap_or("").to_owned();
    let array = text.trim_start().starts_with('[');
    let parsed = if array {
        serde_json::from_str::<Vec<Message>>(text)
    } else {
        serde_json::from_str::<Message>(text).map(|m| vec![m])
    };
    let messages = match parsed {
        Ok(messages) => messages,
        Err(e) => {
            let line = e.line().clamp(1, all.len());
            let error = LineError {
                line,
                text: quoted(line),
                message: format!(
                    "is not Slack's export: column {}: {}",
                    e.column(),
                    json_error_message(&e)
                ),
                expected: EXPECT_EXPORT,
            };
            return Import {
                entries: Vec::new(),
                errors: vec![error],
            };
        }
    };
    let names: Vec<(&str, String)> = messages
        .iter()
        .filter_map(|m| Some((m.user.as_deref()?, m.user_profile.as_ref()?.name()?)))
        .collect();
    let starts = starts(text, array);
    let mut import = Import::default();
    for (i, message) in messages.iter().enumerate() {
        match entry(message, &names, options) {
            Ok(Some(entry)) => import.entries.push(entry),
            Ok(None) => {}
            Err(problem) => {
                let line = starts.get(i).copied().unwrap_or(1);
                import.errors.push(LineError {
                    line,
                    text: quoted(line),
                    message: format!("starts message {}, {}", i + 1, problem.message),
                    expected: problem.expected,
                });
            }
        }
    }
    import
}

/// One message as an entry; `None` for a join or leave.
fn entry(
    m: &Message,
    names: &[(&str, String)],
    options: &ImportOptions,
) -> Result<Option<TimelineEntry>, Problem> {
    let problem = |message: String| Err(Problem::new(message, EXPECT_EXPORT));
    if let Some(kind) = m.kind.as_deref().filter(|k| *k != "message") {
        return problem(format!("which is a `{kind}`, not a message"));
    }
    if matches!(
        m.subtype.as_deref(),
        Some("channel_join" | "channel_leave" | "group_join" | "group_leave")
    ) {
        return Ok(None);
    }
    let Some(ts) = m.ts.as_deref() else {
        return problem("which has no `ts`, so when it was sent is unknown".to_owned());
    };
    let Some(at) = epoch(ts) else {
        return problem(format!(
            "whose `ts` `{ts}` is not seconds since 1970 (e.g. `1747579860.000200`)"
        ));
    };
    let text = normalize_prose(&plain(m.text.as_deref().unwrap_or(""), names));
    if text.is_empty() {
        return problem("which has no `text`".to_owned());
    }
    let profile = |p: &Option<Profile>| p.as_ref().and_then(Profile::name);
    let author = if m.subtype.as_deref() == Some("bot_message") || m.bot_id.is_some() {
        named(m.username.as_deref())
            .or_else(|| profile(&m.bot_profile))
            .or_else(|| profile(&m.user_profile))
            .or_else(|| named(m.bot_id.as_deref()))
            .map(|name| format!("{name} (bot)"))
    } else {
        profile(&m.user_profile)
            .or_else(|| lookup(names, m.user.as_deref()))
            .or_else(|| named(m.user.as_deref()))
    };
    Ok(Some(TimelineEntry {
        at,
        written_at: Some(at),
        text,
        author: author.or_else(|| named(options.author.as_deref())),
    }))
}

fn lookup(names: &[(&str, String)], user: Option<&str>) -> Option<String> {
    let user = user?;
    names
        .iter()
        .find_map(|(id, name)| (*id == user).then(|| name.clone()))
}

/// Slack's `ts`, `1747579860.000200`: seconds and microseconds since 1970,
/// as a UTC timestamp.
fn epoch(ts: &str) -> Option<Timestamp> {
    let (seconds, fraction) = ts.split_once('.').unwrap_or((ts, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if seconds.is_empty() || seconds.len() > 12 || fraction.len() > 9 {
        return None;
    }
    if !digits(seconds) || !digits(fraction) {
        return None;
    }
    let nanos = format!("{fraction:0<9}").parse().ok()?;
    chrono::DateTime::from_timestamp(seconds.parse().ok()?, nanos).map(|t| t.fixed_offset())
}

/// A message's text as a person reads it: `<@U123>` becomes `@Maya Patel`
/// (the name from another message of that user, else the id),
/// `<#C1|inc-123>` `#inc-123`, `<!here>` `@here`, `<https://…|RB-021>`
/// `RB-021 (https://…)`, and `&lt;` `&gt;` `&amp;` the characters they
/// stand for.
fn plain(text: &str, names: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        out.push_str(&rest[..open]);
        let inner = &rest[open + 1..open + close];
        let (target, label) = match inner.split_once('|') {
            Some((target, label)) => (target, Some(label)),
            None => (inner, None),
        };
        // Slack writes a literal `<` as `&lt;`; this one is text anyway.
        if target.is_empty() || target.contains(char::is_whitespace) {
            out.push('<');
            rest = &rest[open + 1..];
            continue;
        }
        if let Some(user) = target.strip_prefix('@') {
            out.push('@');
            let name = label
                .map(str::to_owned)
                .or_else(|| lookup(names, Some(user)));
            out.push_str(name.as_deref().unwrap_or(user));
        } else if let Some(channel) = target.strip_prefix('#') {
            out.push('#');
            out.push_str(label.unwrap_or(channel));
        } else if let Some(special) = target.strip_prefix('!') {
            match label {
                Some(label) => out.push_str(label),
                None => {
                    out.push('@');
                    out.push_str(special);
                }
            }
        } else {
            match label {
                Some(label) if !target.contains(label) => {
                    out.push_str(label);
                    out.push_str(" (");
                    out.push_str(target);
                    out.push(')');
                }
                Some(label) => out.push_str(label),
                None => out.push_str(target),
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The line each message starts on: each object directly inside the
/// top-level array, or the one object. Run on text serde_json has read, so
/// strings and nesting are well formed.
fn starts(text: &str, array: bool) -> Vec<usize> {
    let depth_of_messages = usize::from(array);
    let (mut line, mut depth, mut string, mut escaped) = (1, 0usize, false, false);
    let mut out = Vec::new();
    for b in text.bytes() {
        if b == b'\n' {
            line += 1;
        }
        if string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                string = false;
            }
            continue;
        }
        match b {
            b'"' => string = true,
            b'{' | b'[' => {
                if b == b'{' && depth == depth_of_messages {
                    out.push(line);
                }
                depth += 1;
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ts_is_seconds_and_microseconds_since_1970_in_utc() {
        let at = epoch("1747579860.000200").unwrap();
        assert_eq!(
            postmortem_model::time::format_rfc3339(at),
            "2025-05-18T14:51:00.000200+00:00"
        );
        assert_eq!(
            epoch("1747579860").unwrap().to_rfc3339(),
            "2025-05-18T14:51:00+00:00"
        );
        for bad in [
            "",
            ".5",
            "abc",
            "1747579860.x",
            "-5",
            "99999999999999",
            "1.0000000001",
        ] {
            assert_eq!(epoch(bad), None, "{bad}");
        }
    }

    #[test]
    fn slack_markup_reads_as_plain_text() {
        let names = [("U1", "Maya Patel".to_owned())];
        assert_eq!(
            plain(
                "<@U1> <@U2> in <#C1|inc-123>, <!here>: see <https://wiki/rb-021|RB-021> &amp; <https://grafana.example> p95 &lt; 500ms",
                &names
            ),
            "@Maya Patel @U2 in #inc-123, @here: see RB-021 (https://wiki/rb-021) & https://grafana.example p95 < 500ms"
        );
        assert_eq!(plain("a < b and c > d", &names), "a < b and c > d");
        assert_eq!(
            plain("<!subteam^S1|@oncall> &amp;lt;", &names),
            "@oncall &lt;"
        );
        assert_eq!(plain("unclosed <@U1", &names), "unclosed <@U1");
    }

    #[test]
    fn exports_are_told_from_notes_by_their_first_characters() {
        assert!(is_export("[\n  {\"type\": \"message\"}]"));
        assert!(is_export("  {\"ts\": \"1\"}"));
        assert!(is_export("[]"));
        assert!(!is_export("[14:51] alert fired"));
        assert!(!is_export("14:51 {json} alert"));
        assert!(!is_export("{braces} in a note"));
    }

    #[test]
    fn message_lines_are_where_each_object_starts() {
        let text = "[\n  {\"text\": \"a { [ \\\" }\",\n   \"x\": {\"y\": [1]}},\n  {\n  }\n]";
        assert_eq!(starts(text, true), [2, 4]);
        assert_eq!(starts("\n{\"a\": {}}", false), [2]);
    }
}
