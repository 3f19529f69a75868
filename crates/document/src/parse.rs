//! Reading a document back into a postmortem.
//!
//! The parser reads the front matter first, then walks the body line by
//! line, knowing at each point which field a line can belong to. A line
//! that belongs to no field is an error, never dropped: a reviewer's edit
//! must either land in the postmortem or be refused with its line. Lines
//! that only display a front-matter fact are compared with it, so an edit
//! to the copy is refused rather than silently lost on the next render.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::{NaiveDate, TimeZone};
use postmortem_model::{
    AdrImplication, ChainLevel, FieldPath, FixStatus, HolderRole, IncidentId, InvalidName, Login,
    Postmortem, Reader, RepoPath, SCHEMA_VERSION, ServiceName, Severity, SourceMap, TestBinding,
    TimelineEntry, Timestamp, Verdict, is_branch_name, normalize_line, normalize_prose,
    time::{parse_date as read_date, parse_time_of_day, parse_timestamp},
};

use crate::error::{DocumentError, DocumentErrorKind as K, clip};
use crate::escape::decode;
use crate::render::{self as r, TABLE_COLUMNS};
use crate::yaml::{self, KNOWN_KEYS, Value};

/// A postmortem read from its document, with the line of each field.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The postmortem, in normal form.
    pub postmortem: Postmortem,
    /// Where each field stands: field path to 1-based line.
    pub source_map: SourceMap,
}

/// Reads a document. Never panics; on failure the error names a line
/// within the document.
pub fn parse(text: &str) -> Result<Parsed, DocumentError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    if lines.len() > 1 && lines.last() == Some(&"") {
        lines.pop();
    }
    let fm = yaml::read(&lines)?;
    several_fixes_in_front_matter(&fm.entries)?;
    several_fixes_in_body(&lines, fm.body_start)?;
    let mut p = Parser::default();
    p.front_matter(&fm.entries)?;
    for (i, raw) in lines.iter().enumerate().skip(fm.body_start) {
        p.line(raw, i + 1)?;
    }
    p.flush();
    p.finish()
}

const TIMESTAMP: &str = "a date and time with its UTC offset, e.g. 2026-05-18T14:51:00+00:00 or 2026-05-18 14:51 +00:00";
const DATE: &str = "a date as YYYY-MM-DD, e.g. 2026-05-30";

fn invalid(line: usize, field: &str, found: &str, expected: impl Into<String>) -> DocumentError {
    DocumentError::new(
        line,
        K::InvalidValue {
            field: field.to_owned(),
            found: clip(found),
            expected: expected.into(),
        },
    )
}

fn typed<T: FromStr<Err = InvalidName>>(
    line: usize,
    field: &str,
    text: &str,
) -> Result<T, DocumentError> {
    text.parse::<T>()
        .map_err(|e| invalid(line, field, text, e.expected))
}

/// [`typed`] for a value that may be absent.
fn typed_opt<T: FromStr<Err = InvalidName>>(
    line: usize,
    field: &str,
    text: Option<&str>,
) -> Result<Option<T>, DocumentError> {
    text.map(|t| typed(line, field, t)).transpose()
}

fn parse_date(line: usize, field: &str, text: &str) -> Result<NaiveDate, DocumentError> {
    read_date(text).ok_or_else(|| invalid(line, field, text, DATE))
}

fn several_fixes_in_front_matter(entries: &[yaml::Entry]) -> Result<(), DocumentError> {
    if let Some(e) = entries.iter().find(|e| e.key == "fixes") {
        let (count, line) = match &e.value {
            Value::List(items) => (items.len(), items.get(1).map_or(e.line, |(l, _)| *l)),
            _ => (1, e.line),
        };
        return Err(DocumentError::new(line, K::SeveralFixes { count }));
    }
    Ok(())
}

/// Headings that announce a fix: the chain-level fix itself, and anything
/// else with the word "fix" or "fixes" in it (Fix 1, Fix 2, Second fix).
/// ADR titles and the document title are people's text and are skipped.
fn several_fixes_in_body(lines: &[&str], start: usize) -> Result<(), DocumentError> {
    let mut in_adrs = false;
    let mut fixes = Vec::new();
    let mut plural = None;
    for (i, raw) in lines.iter().enumerate().skip(start) {
        let Some((level, text)) = atx_heading(raw.trim_end()) else {
            continue;
        };
        let name = normalize_line(&decode(text)).to_ascii_lowercase();
        if level == 2 {
            in_adrs = name == r::ADRS.to_ascii_lowercase();
        }
        if level == 1 || (level >= 3 && in_adrs) {
            continue;
        }
        let mut words = name.split(|c: char| !c.is_alphanumeric());
        if words.any(|w| w == "fixes") {
            plural.get_or_insert(i + 1);
            fixes.push(i + 1);
        } else if name
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "fix")
        {
            fixes.push(i + 1);
        }
    }
    if fixes.len() >= 2 {
        return Err(DocumentError::new(
            fixes[1],
            K::SeveralFixes { count: fixes.len() },
        ));
    }
    if let Some(line) = plural {
        return Err(DocumentError::new(line, K::SeveralFixes { count: 2 }));
    }
    Ok(())
}

/// `(level, raw text)` of an ATX heading, without its closing `#`s.
pub(crate) fn atx_heading(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let level = rest.bytes().take_while(|b| *b == b'#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let text = &rest[level..];
    if !(text.is_empty() || text.starts_with([' ', '\t'])) {
        return None;
    }
    let mut text = text.trim();
    // A closing sequence is `#`s preceded by a space (or the whole text).
    let hashes = text.len() - text.trim_end_matches('#').len();
    if hashes > 0 {
        let before = &text[..text.len() - hashes];
        if before.is_empty() || before.ends_with([' ', '\t']) {
            text = before.trim_end();
        }
    }
    Some((level, text))
}

/// Where in the body the parser stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Ctx {
    #[default]
    Preamble,
    Title,
    Incident,
    UserImpact,
    Timeline,
    Walk,
    Level(ChainLevel),
    Fix,
    Test,
    Runbook,
    Worked,
    DidNotWork,
    Faster,
    Adrs,
    Adr(usize),
    Readers,
}

impl Ctx {
    /// The H2 section this place belongs to.
    fn section(self) -> &'static str {
        match self {
            Ctx::Preamble | Ctx::Title => "the title",
            Ctx::Incident | Ctx::UserImpact => r::INCIDENT,
            Ctx::Timeline => r::TIMELINE,
            Ctx::Walk | Ctx::Level(_) => r::WALK,
            Ctx::Fix | Ctx::Test => r::FIX,
            Ctx::Runbook | Ctx::Worked | Ctx::DidNotWork | Ctx::Faster => r::RUNBOOK,
            Ctx::Adrs | Ctx::Adr(_) => r::ADRS,
            Ctx::Readers => r::READERS,
        }
    }

    /// The prose field this place holds, if any.
    fn prose_path(self) -> Option<FieldPath> {
        Some(match self {
            Ctx::UserImpact => "incident.user_impact".into(),
            Ctx::Level(l) => FieldPath::walk(l, "reasoning"),
            Ctx::Fix => "fix.statement".into(),
            Ctx::Test => "fix.test.statement".into(),
            Ctx::Worked => "runbook.worked".into(),
            Ctx::DidNotWork => "runbook.did_not_work".into(),
            Ctx::Faster => "runbook.faster_next_time".into(),
            Ctx::Adr(i) => FieldPath::adr(i, "why"),
            _ => return None,
        })
    }
}

#[derive(Default)]
struct Parser {
    pm: Postmortem,
    map: SourceMap,
    /// Line of each front-matter key. (Keyed by `String` like `seen`: one
    /// map type fewer in the browser form's WebAssembly.)
    keys: BTreeMap<String, usize>,
    /// The front matter's `date`, checked against `started_at` at the end.
    date: Option<(NaiveDate, usize)>,
    ctx: Ctx,
    /// Line of the heading that opened `ctx`.
    ctx_line: usize,
    /// Decoded prose lines of `ctx`, not yet stored.
    prose: Vec<String>,
    /// Sections, sub-sections and single-valued lines already seen.
    seen: BTreeMap<String, usize>,
    /// Timeline table: 0 before the header row, 1 before the rule, 2 rows.
    table: u8,
    verdict_seen: bool,
}

impl Parser {
    fn front_matter(&mut self, entries: &[yaml::Entry]) -> Result<(), DocumentError> {
        for e in entries {
            let Some(key) = KNOWN_KEYS.iter().find(|k| **k == e.key) else {
                return Err(DocumentError::new(
                    e.line,
                    K::UnknownKey { key: e.key.clone() },
                ));
            };
            self.keys.insert((*key).to_owned(), e.line);
        }
        let Some(version) = entries.iter().find(|e| e.key == "schema_version") else {
            return Err(DocumentError::new(1, K::MissingSchemaVersion));
        };
        match &version.value {
            Value::Scalar(v) if v.trim() == SCHEMA_VERSION.to_string() => {}
            Value::Null => return Err(DocumentError::new(version.line, K::MissingSchemaVersion)),
            other => {
                let found = match other {
                    Value::Scalar(v) => clip(v),
                    _ => "a list".to_owned(),
                };
                return Err(DocumentError::new(
                    version.line,
                    K::UnsupportedSchemaVersion { found },
                ));
            }
        }
        self.map
            .insert("schema_version".into(), line32(version.line));
        for e in entries {
            self.entry(e)?;
        }
        Ok(())
    }

    fn entry(&mut self, e: &yaml::Entry) -> Result<(), DocumentError> {
        let line = e.line;
        let key = e.key.as_str();
        let single = || -> Result<Option<&str>, DocumentError> {
            match &e.value {
                Value::Null => Ok(None),
                Value::Scalar(s) if s.is_empty() => Ok(None),
                Value::Scalar(s) => Ok(Some(s.as_str())),
                Value::List(_) => Err(invalid(line, key, "a list", "one value, not a list")),
            }
        };
        let items: Vec<(usize, &str)> = match &e.value {
            Value::Null => Vec::new(),
            Value::Scalar(s) => vec![(line, s.as_str())],
            Value::List(items) => items.iter().map(|(l, s)| (*l, s.as_str())).collect(),
        };
        let stamp = |s: Option<&str>| -> Result<Option<Timestamp>, DocumentError> {
            s.map(|s| parse_timestamp(s).ok_or_else(|| invalid(line, key, s, TIMESTAMP)))
                .transpose()
        };
        let path = match key {
            "schema_version" => return Ok(()),
            "incident" => {
                self.pm.incident.id = typed_opt::<IncidentId>(line, key, single()?)?;
                "incident.id"
            }
            "date" => {
                self.date = single()?
                    .map(|s| parse_date(line, key, s).map(|d| (d, line)))
                    .transpose()?;
                return Ok(());
            }
            "services" => {
                for (i, (l, s)) in items.iter().enumerate() {
                    self.pm
                        .incident
                        .services
                        .push(typed::<ServiceName>(*l, key, s)?);
                    self.map.insert(
                        FieldPath::new(format!("incident.services[{i}]")),
                        line32(*l),
                    );
                }
                "incident.services"
            }
            "severity" => {
                self.pm.incident.severity = typed_opt::<Severity>(line, key, single()?)?;
                "incident.severity"
            }
            "fix_level" => {
                self.pm.fix.level = typed_opt::<ChainLevel>(line, key, single()?)?;
                "fix.level"
            }
            "fix_owner" => {
                self.pm.fix.owner = typed_opt::<Login>(line, key, single()?)?;
                "fix.owner"
            }
            "fix_due" => {
                self.pm.fix.due = single()?.map(|s| parse_date(line, key, s)).transpose()?;
                "fix.due"
            }
            "status" => {
                self.pm.fix.status =
                    typed_opt::<FixStatus>(line, key, single()?)?.unwrap_or_default();
                "fix.status"
            }
            "started_at" => {
                self.pm.incident.started_at = stamp(single()?)?;
                "incident.started_at"
            }
            "detected_at" => {
                self.pm.incident.detected_at = stamp(single()?)?;
                "incident.detected_at"
            }
            "mitigated_at" => {
                self.pm.incident.mitigated_at = stamp(single()?)?;
                "incident.mitigated_at"
            }
            "resolved_at" => {
                self.pm.incident.resolved_at = stamp(single()?)?;
                "incident.resolved_at"
            }
            "holder" => {
                self.pm.holder.login = typed_opt::<Login>(line, key, single()?)?;
                "holder.login"
            }
            "holder_role" => {
                self.pm.holder.role = typed_opt::<HolderRole>(line, key, single()?)?;
                "holder.role"
            }
            "held_at" => {
                self.pm.held_at = stamp(single()?)?;
                "held_at"
            }
            _ => {
                // participants: the only key left.
                for (i, (l, s)) in items.iter().enumerate() {
                    self.pm.participants.push(normalize_line(s));
                    self.map
                        .insert(FieldPath::new(format!("participants[{i}]")), line32(*l));
                }
                "participants"
            }
        };
        self.map.insert(path.into(), line32(line));
        Ok(())
    }

    fn line(&mut self, raw: &str, line: usize) -> Result<(), DocumentError> {
        let text = raw.trim_end();
        if let Some((level, heading)) = atx_heading(text) {
            return self.heading(level, heading, text, line);
        }
        let t = text.trim_start_matches([' ', '\t']);
        let prose_ctx = self.ctx.prose_path().is_some();
        if t.is_empty() {
            if prose_ctx {
                self.prose.push(String::new());
            }
            return Ok(());
        }
        match self.ctx {
            Ctx::Incident => {
                if let Some((label, value)) = bullet(t) {
                    let pm = &self.pm;
                    let check = match label {
                        r::SEVERITY => Some((r::severity_value(pm), "severity")),
                        r::SERVICES => Some((r::services_value(pm), "services")),
                        r::DURATION => Some((r::duration_value(pm), "started_at")),
                        _ => None,
                    };
                    if let Some((expected, source)) = check {
                        return self.derived(line, label, value, &expected, source);
                    }
                }
                Err(self.unexpected(line, t, "only the lines - **Severity:**, - **Services:** and - **Duration:**, which display the front matter (write the user impact under ### User impact)"))
            }
            Ctx::Timeline => self.table_line(t, line),
            Ctx::Readers => {
                if t == r::NONE {
                    return Ok(());
                }
                let Some(item) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) else {
                    return Err(self.unexpected(line, t, "a reader per line, written `- acme/leadership` or `- alice` without @"));
                };
                let name = normalize_line(&decode(item));
                let reader = name
                    .parse::<Reader>()
                    .map_err(|e| invalid(line, "reader", &name, e.expected))?;
                let i = self.pm.readers.len();
                self.map.insert(FieldPath::new(format!("readers[{i}]")), line32(line));
                self.pm.readers.push(reader);
                Ok(())
            }
            Ctx::Runbook => {
                if let Some((r::RUNBOOK_PATH, value)) = bullet(t) {
                    self.once(line, "runbook.path")?;
                    self.pm.runbook.path = optional(value, |v| typed::<RepoPath>(line, "Runbook", v))?;
                    self.map.insert("runbook.path".into(), line32(line));
                    return Ok(());
                }
                Err(self.unexpected(line, t, "the line - **Runbook:** with the runbook's path, then ### What worked, ### What didn't work and ### What would be faster next time"))
            }
            Ctx::Adrs => {
                if t == r::NONE {
                    return Ok(());
                }
                Err(self.unexpected(line, t, "each ADR under its own heading, e.g. ### ADR-0012 Cache warming runs after deploy"))
            }
            Ctx::Preamble | Ctx::Title => Err(self.unexpected(line, t, "only the `# title` before the first section (move the text under a section, e.g. ### User impact)")),
            Ctx::Walk => Err(self.unexpected(line, t, "the five levels under their own headings, ### L1 Strategy to ### L5 Operation (move the text under a level)")),
            Ctx::Level(level) => self.level_line(level, t, line),
            Ctx::Fix => {
                if let Some((label, value)) = bullet(t) {
                    let pm = &self.pm;
                    let check = match label {
                        r::OWNER => Some((r::owner_value(pm), "fix_owner")),
                        r::DUE => Some((r::due_value(pm), "fix_due")),
                        r::STATUS => Some((r::status_value(pm), "status")),
                        _ => None,
                    };
                    if let Some((expected, source)) = check {
                        return self.derived(line, label, value, &expected, source);
                    }
                }
                self.prose_line(t, line);
                Ok(())
            }
            Ctx::Test => {
                if let Some((r::CHECKED_BY, value)) = bullet(t) {
                    self.once(line, "fix.test.binding")?;
                    self.pm.fix.test.binding = optional(value, |v| binding(line, v))?;
                    self.map.insert("fix.test.binding".into(), line32(line));
                    return Ok(());
                }
                self.prose_line(t, line);
                Ok(())
            }
            Ctx::Adr(i) => {
                match bullet(t) {
                    Some((r::ADR_PATH, value)) => {
                        let path = FieldPath::adr(i, "path");
                        self.once(line, path.as_str())?;
                        self.pm.adrs[i].path = optional(value, |v| typed::<RepoPath>(line, "ADR path", v))?;
                        self.map.insert(path, line32(line));
                    }
                    Some((r::CONVERSATION, value)) => {
                        let path = FieldPath::adr(i, "conversation_on");
                        self.once(line, path.as_str())?;
                        self.pm.adrs[i].conversation_on = optional(value, |v| parse_date(line, "Conversation", v))?;
                        self.map.insert(path, line32(line));
                    }
                    _ => self.prose_line(t, line),
                }
                Ok(())
            }
            Ctx::UserImpact | Ctx::Worked | Ctx::DidNotWork | Ctx::Faster => {
                self.prose_line(t, line);
                Ok(())
            }
        }
    }

    fn prose_line(&mut self, t: &str, line: usize) {
        if t == r::NOT_WRITTEN {
            return;
        }
        if let Some(path) = self.ctx.prose_path() {
            self.map.insert(path, line32(line));
        }
        self.prose.push(decode(t));
    }

    fn level_line(&mut self, level: ChainLevel, t: &str, line: usize) -> Result<(), DocumentError> {
        let question = level.question();
        let asked = t
            .strip_prefix("**")
            .and_then(|rest| rest.strip_prefix(question))
            .and_then(|rest| rest.strip_prefix("**"));
        if let Some(answer) = asked {
            if self.verdict_seen {
                return Err(self.unexpected(line, t, "the question once per level"));
            }
            self.verdict_seen = true;
            let word = answer.trim().trim_end_matches('.').trim();
            let verdict = if word.is_empty() {
                Verdict::Unanswered
            } else {
                word.parse::<Verdict>().map_err(|_| {
                    invalid(
                        line,
                        &format!("the {} verdict", level.code()),
                        word,
                        "Yes, Possibly, No or Unanswered after the question",
                    )
                })?
            };
            self.pm.walk.get_mut(level).verdict = verdict;
            self.map
                .insert(FieldPath::walk(level, "verdict"), line32(line));
            return Ok(());
        }
        if !self.verdict_seen && t.starts_with("**") && t.contains("?**") {
            return Err(self.unexpected(
                line,
                t,
                &format!("the practice's question unchanged, `**{question}** Yes`, with only the answer after it edited"),
            ));
        }
        self.prose_line(t, line);
        Ok(())
    }

    fn table_line(&mut self, t: &str, line: usize) -> Result<(), DocumentError> {
        const ROW: &str = "a table row `| T+ | When | What happened | Written | By |` (put notes into an entry's text, or under another section)";
        if t == r::NO_TIMELINE && self.table == 0 {
            return Ok(());
        }
        if !t.starts_with('|') {
            return Err(self.unexpected(line, t, ROW));
        }
        let cells = cells(t);
        match self.table {
            0 => {
                let ok = cells.len() == TABLE_COLUMNS.len()
                    && cells
                        .iter()
                        .zip(TABLE_COLUMNS)
                        .all(|(c, h)| c.eq_ignore_ascii_case(h));
                if !ok {
                    return Err(self.unexpected(
                        line,
                        t,
                        "the header row `| T+ | When | What happened | Written | By |`",
                    ));
                }
                self.table = 1;
            }
            1 => {
                let ok = cells.len() == TABLE_COLUMNS.len()
                    && cells.iter().all(|c| {
                        let inner = c.trim_start_matches(':').trim_end_matches(':');
                        !inner.is_empty() && inner.bytes().all(|b| b == b'-')
                    });
                if !ok {
                    return Err(self.unexpected(
                        line,
                        t,
                        "the table's rule `|---|---|---|---|---|` under its header",
                    ));
                }
                self.table = 2;
            }
            _ => {
                if cells.len() != TABLE_COLUMNS.len() {
                    return Err(self.unexpected(
                        line,
                        t,
                        &format!("{ROW}: 5 cells, found {}", cells.len()),
                    ));
                }
                let when = decode(cells[1]);
                let at = parse_timestamp(&when)
                    .ok_or_else(|| invalid(line, "the entry's When", &when, TIMESTAMP))?;
                if !cells[0].is_empty() {
                    let expected = self
                        .pm
                        .incident
                        .started_at
                        .map(|s| r::t_plus(at, s))
                        .unwrap_or_default();
                    self.derived(line, "T+", cells[0], &expected, "started_at")?;
                }
                let text = if cells[2].contains("<br") {
                    cells[2]
                        .split("<br>")
                        .flat_map(|l| l.split("<br/>"))
                        .flat_map(|l| l.split("<br />"))
                        .map(|l| decode(l.trim_start_matches([' ', '\t'])))
                        .collect::<Vec<_>>()
                        .join("\n")
                } else {
                    decode(cells[2].trim_start_matches([' ', '\t']))
                };
                let written_at = match cells[3] {
                    "" => None,
                    w => Some(written(&decode(w), at).ok_or_else(|| invalid(line, "the entry's Written", w, "the time the entry was written, as 14:53 or 14:53:30 on the event's day, or a full date and time with its offset"))?),
                };
                let author = match cells[4] {
                    "" => None,
                    r::BLANK_AUTHOR => Some(String::new()),
                    a => Some(normalize_line(&decode(a))),
                };
                let i = self.pm.timeline.len();
                self.map.insert(FieldPath::timeline(i, ""), line32(line));
                self.pm.timeline.push(TimelineEntry {
                    at,
                    written_at,
                    text: normalize_prose(&text),
                    author,
                });
            }
        }
        Ok(())
    }

    fn heading(
        &mut self,
        level: usize,
        text: &str,
        raw: &str,
        line: usize,
    ) -> Result<(), DocumentError> {
        let name = normalize_line(&decode(text));
        let lower = name.to_ascii_lowercase();
        let group = self.ctx.section();
        let next = match level {
            1 if self.ctx == Ctx::Preamble => {
                self.pm.incident.title = if text == r::UNTITLED { String::new() } else { name.clone() };
                self.map.insert("incident.title".into(), line32(line));
                Ctx::Title
            }
            2 => {
                let ctx = match lower.as_str() {
                    "incident" => Ctx::Incident,
                    "timeline" => Ctx::Timeline,
                    "chain walk" => Ctx::Walk,
                    "runbook update" => Ctx::Runbook,
                    "adrs implicated" => Ctx::Adrs,
                    "readers" => Ctx::Readers,
                    _ if lower.starts_with("chain-level fix") => {
                        self.fix_heading(name.get("chain-level fix".len()..).unwrap_or(""), line)?;
                        Ctx::Fix
                    }
                    _ => return Err(self.unknown_heading(line, raw, "one of the sections ## Incident, ## Timeline, ## Chain walk, ## Chain-level fix, ## Runbook update, ## ADRs implicated, ## Readers")),
                };
                self.once_section(line, ctx.section(), &format!("## {name}"))?;
                ctx
            }
            3 if group == r::INCIDENT && lower == "user impact" => Ctx::UserImpact,
            3 if group == r::WALK => match lower.parse::<ChainLevel>() {
                Ok(l) => Ctx::Level(l),
                Err(_) => return Err(self.unknown_heading(line, raw, "one of the levels ### L1 Strategy, ### L2 Discovery, ### L3 Scope, ### L4 Execution, ### L5 Operation")),
            },
            3 if group == r::FIX && lower == "test" => Ctx::Test,
            3 if group == r::RUNBOOK && lower == "what worked" => Ctx::Worked,
            3 if group == r::RUNBOOK
                && matches!(lower.as_str(), "what didn't work" | "what didn’t work" | "what did not work") =>
            {
                Ctx::DidNotWork
            }
            3 if group == r::RUNBOOK && lower == "what would be faster next time" => Ctx::Faster,
            3 if group == r::ADRS => {
                let i = self.pm.adrs.len();
                self.pm.adrs.push(AdrImplication {
                    title: if text == r::UNTITLED { String::new() } else { name.clone() },
                    ..AdrImplication::default()
                });
                self.map.insert(FieldPath::adr(i, ""), line32(line));
                self.map.insert(FieldPath::adr(i, "title"), line32(line));
                self.flush();
                self.ctx = Ctx::Adr(i);
                self.ctx_line = line;
                return Ok(());
            }
            _ => {
                let expected = match group {
                    _ if level == 1 => "a single # title at the top of the body",
                    _ if level > 3 => "a ## section or ### sub-section heading; the document has no deeper headings",
                    r::INCIDENT => "### User impact under ## Incident",
                    r::FIX => "### Test under ## Chain-level fix",
                    r::RUNBOOK => "### What worked, ### What didn't work or ### What would be faster next time under ## Runbook update",
                    _ => "a ## section heading; this section has no sub-headings",
                };
                return Err(self.unknown_heading(line, raw, expected));
            }
        };
        if level == 3 {
            self.once_section(line, &format!("{group} / {next:?}"), &format!("### {name}"))?;
        }
        self.flush();
        self.ctx = next;
        self.ctx_line = line;
        self.table = 0;
        self.verdict_seen = false;
        let path = match next {
            Ctx::UserImpact => Some("incident.user_impact".into()),
            Ctx::Timeline => Some("timeline".into()),
            Ctx::Walk => Some("walk".into()),
            Ctx::Level(l) => Some(FieldPath::walk(l, "")),
            Ctx::Fix => Some("fix".into()),
            Ctx::Test => Some("fix.test".into()),
            Ctx::Runbook => Some("runbook".into()),
            Ctx::Adrs => Some("adrs".into()),
            Ctx::Readers => Some("readers".into()),
            _ => None,
        };
        if let Some(path) = path {
            self.map.insert(path, line32(line));
        }
        Ok(())
    }

    /// The fix heading may show the level; it must be the front matter's.
    fn fix_heading(&self, rest: &str, line: usize) -> Result<(), DocumentError> {
        let shown = rest.trim().trim_start_matches([':', '—', '–', '-']).trim();
        let shown = shown.trim_start_matches('(').trim_end_matches(')').trim();
        let expected = self.pm.fix.level.map(ChainLevel::label).unwrap_or_default();
        let agrees = match (shown.is_empty(), self.pm.fix.level) {
            (true, _) => true,
            (false, Some(level)) => shown.parse::<ChainLevel>().is_ok_and(|l| l == level),
            (false, None) => false,
        };
        if agrees {
            Ok(())
        } else {
            Err(self.mismatch(line, "the fix level", shown, &expected, "fix_level"))
        }
    }

    fn derived(
        &self,
        line: usize,
        shown: &str,
        found: &str,
        expected: &str,
        source: &'static str,
    ) -> Result<(), DocumentError> {
        let same = |s: &str| normalize_line(&decode(s));
        // Most displayed copies are exactly as rendered: skip the work.
        if found == expected || same(found) == same(expected) {
            Ok(())
        } else {
            Err(self.mismatch(line, shown, found, expected, source))
        }
    }

    fn mismatch(
        &self,
        line: usize,
        shown: &str,
        found: &str,
        expected: &str,
        source: &'static str,
    ) -> DocumentError {
        DocumentError::new(
            line,
            K::DerivedMismatch {
                shown: shown.to_owned(),
                found: clip(&decode(found)),
                expected: clip(&decode(expected)),
                source: source.to_owned(),
                source_line: self.keys.get(source).map(|l| line32(*l)),
            },
        )
    }

    fn unexpected(&self, line: usize, found: &str, expected: &str) -> DocumentError {
        let section = match self.ctx {
            Ctx::Preamble | Ctx::Title => "the title".to_owned(),
            Ctx::Level(l) => format!("### {}", l.label()),
            Ctx::UserImpact => format!("### {}", r::USER_IMPACT),
            Ctx::Test => format!("### {}", r::TEST),
            ctx => format!("## {}", ctx.section()),
        };
        DocumentError::new(
            line,
            K::UnexpectedText {
                found: clip(found),
                section,
                expected: expected.to_owned(),
            },
        )
    }

    fn unknown_heading(&self, line: usize, raw: &str, expected: &str) -> DocumentError {
        DocumentError::new(
            line,
            K::UnknownSection {
                found: clip(raw.trim()),
                expected: expected.to_owned(),
            },
        )
    }

    /// `key` identifies the section however it is spelled; `heading` is
    /// how this occurrence is written, for the message.
    fn once_section(&mut self, line: usize, key: &str, heading: &str) -> Result<(), DocumentError> {
        if let Some(first) = self.seen.get(key) {
            return Err(DocumentError::new(
                line,
                K::DuplicateSection {
                    section: clip(heading),
                    first_line: line32(*first),
                },
            ));
        }
        self.seen.insert(key.to_owned(), line);
        Ok(())
    }

    fn once(&mut self, line: usize, key: &str) -> Result<(), DocumentError> {
        if let Some(first) = self.seen.get(key) {
            return Err(self.unexpected(
                line,
                key,
                &format!("this line once; it is already set on line {first} (keep one of the two)"),
            ));
        }
        self.seen.insert(key.to_owned(), line);
        Ok(())
    }

    /// Stores the prose collected for the current place.
    fn flush(&mut self) {
        let Some(path) = self.ctx.prose_path() else {
            self.prose.clear();
            return;
        };
        let text = normalize_prose(&self.prose.join("\n"));
        self.prose.clear();
        self.map.insert(path, line32(self.ctx_line));
        let pm = &mut self.pm;
        let field = match self.ctx {
            Ctx::UserImpact => &mut pm.incident.user_impact,
            Ctx::Level(l) => &mut pm.walk.get_mut(l).reasoning,
            Ctx::Fix => &mut pm.fix.statement,
            Ctx::Test => &mut pm.fix.test.statement,
            Ctx::Worked => &mut pm.runbook.worked,
            Ctx::DidNotWork => &mut pm.runbook.did_not_work,
            Ctx::Faster => &mut pm.runbook.faster_next_time,
            Ctx::Adr(i) => &mut pm.adrs[i].why,
            _ => return,
        };
        *field = text;
    }

    fn finish(self) -> Result<Parsed, DocumentError> {
        if let Some((date, line)) = self.date {
            let expected = self.pm.date().map(|d| d.to_string()).unwrap_or_default();
            if expected != date.to_string() {
                return Err(self.mismatch(
                    line,
                    "date",
                    &date.to_string(),
                    &expected,
                    "started_at",
                ));
            }
        }
        Ok(Parsed {
            postmortem: self.pm,
            source_map: self.map,
        })
    }
}

fn line32(line: usize) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// `- **Label:** value` as `(label, value)`.
fn bullet(t: &str) -> Option<(&str, &str)> {
    let rest = t.strip_prefix("- **")?;
    let (label, value) = rest.split_once(":**")?;
    (!label.is_empty() && !label.contains('*')).then(|| (label, value.trim()))
}

/// A value that may be the "not set" placeholder.
fn optional<T>(
    value: &str,
    read: impl FnOnce(&str) -> Result<T, DocumentError>,
) -> Result<Option<T>, DocumentError> {
    if value == r::NOT_SET || value.is_empty() {
        Ok(None)
    } else {
        // Paths and bindings are taken as written: folding spaces would
        // change a valid value into another one.
        read(&decode(value)).map(Some)
    }
}

/// `workflow cold-start.yml on main (job: p95)`: kind, target, branch and
/// the detail in parentheses (a workflow's job, a check run's app, a
/// status's creator). The branch has no spaces, so the ` on ` before it
/// ends the target; the detail is the first `(key: …)` after a branch.
fn binding(line: usize, value: &str) -> Result<TestBinding, DocumentError> {
    const SHAPE: &str = "`<workflow|check-run|status> <name> on <branch>`, with `(job: <name>)` after a workflow if one job is the test, `(app: <slug>)` after a check run and `(creator: <login>)` after a status, e.g. `workflow cold-start.yml on main` or `status ci/p95 on main (creator: ci-bot)`";
    let shape = |more: Option<String>| {
        invalid(
            line,
            r::CHECKED_BY,
            value,
            more.map_or_else(|| SHAPE.to_owned(), |m| format!("{SHAPE}, with {m}")),
        )
    };
    let (kind, rest) = value.split_once(' ').ok_or_else(|| shape(None))?;
    let key = TestBinding::detail_key(kind).unwrap_or("job");
    // Each `(key: ` that ends the text with `)` is a candidate detail; the
    // first one preceded by `… on <branch>` is it.
    let open = format!(" ({key}: ");
    let with_detail = rest.match_indices(&open).find_map(|(at, _)| {
        let detail = rest[at + open.len()..].strip_suffix(')')?;
        let (target, branch) = rest[..at].rsplit_once(" on ")?;
        is_branch_name(branch).then_some((target, branch, detail))
    });
    let (target, branch, detail) = match with_detail {
        Some(parts) => parts,
        None => {
            let (target, branch) = rest.rsplit_once(" on ").ok_or_else(|| shape(None))?;
            (target, branch, "")
        }
    };
    TestBinding::new(kind, target, branch, detail).map_err(|e| shape(Some(e.expected.to_owned())))
}

/// When an entry was written: a time on the event's day and offset, or a
/// full timestamp.
fn written(text: &str, at: Timestamp) -> Option<Timestamp> {
    let text = text.trim();
    if let Some(full) = parse_timestamp(text) {
        return Some(full);
    }
    let time = parse_time_of_day(text)?;
    at.offset()
        .from_local_datetime(&at.date_naive().and_time(time))
        .single()
}

/// The cells of a table row, split at unescaped `|`, trimmed.
fn cells(row: &str) -> Vec<&str> {
    let inner = row.trim_matches([' ', '\t']);
    let inner = inner.strip_prefix('|').unwrap_or(inner);
    let bytes = inner.as_bytes();
    let mut cells = Vec::with_capacity(TABLE_COLUMNS.len());
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'|' => {
                cells.push(inner[start..i].trim_matches([' ', '\t']));
                start = i + 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    let last = inner.get(start..).unwrap_or("").trim_matches([' ', '\t']);
    if !last.is_empty() {
        cells.push(last);
    }
    cells
}
