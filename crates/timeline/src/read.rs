//! The line-by-line reader behind [`crate::import`]. It walks the paste
//! once, keeping the state a person reading it keeps in their head: the day
//! and timezone the last header gave, the entry that a plain line continues,
//! the table being read, and the last time seen (to notice midnight). Every
//! line gets exactly one [`Disposition`], so "no line is silently dropped"
//! is a property the tests can check rather than a hope. A chat pasted from
//! Slack adds one more piece of state: the speaker whose messages the
//! lines under a speaker line are.

use chrono::{Datelike, Days, FixedOffset, NaiveDate, NaiveTime, TimeDelta, Timelike};
use postmortem_model::{TimelineEntry, Timestamp, normalize_line, normalize_prose};

use crate::chat::{self, Divider, Speaker};
use crate::header::{self, Header, HeaderScan, ZoneSpec};
use crate::problem::{
    EXPECT_DATE, EXPECT_DAY, EXPECT_DIVIDER, EXPECT_ENTRY, EXPECT_LINE, EXPECT_RANGE, EXPECT_START,
    EXPECT_SUMMARY, EXPECT_TABLE_ROW, EXPECT_ZONE, EXPECT_ZONE_KNOWN, Problem,
};
use crate::stamp::{self, Scan, Stamp};
use crate::table::{self, Columns};
use crate::zone::Zone;
use crate::{Import, ImportOptions, LineError};

/// What became of one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Disposition {
    /// Nothing but whitespace.
    Blank,
    /// Starts the entry with this index.
    Entry(usize),
    /// Adds to the entry with this index.
    Continuation(usize),
    /// Structure: a date or timezone header, a heading, a table's header,
    /// separator or empty row; a chat's speaker line, day divider, or a
    /// line saying someone joined or left.
    Markup,
    /// Reported in `errors` under this line's number.
    Error,
}

/// The lines of a paste, with `\r\n` endings read as `\n`.
pub(crate) fn lines(text: &str) -> Vec<&str> {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

/// Whether a line has nothing to read. Control characters count as
/// nothing because the model's normal form drops them.
pub(crate) fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c.is_whitespace() || c.is_control())
}

/// Reads a paste into entries and errors, with one disposition per line.
pub(crate) fn read(text: &str, options: &ImportOptions) -> (Import, Vec<Disposition>) {
    let lines = lines(text);
    let mut reader = Reader::new(options);
    for (i, raw) in lines.iter().enumerate() {
        let n = i + 1;
        let disposition = if is_blank(raw) {
            reader.table = None;
            reader.open = Open::Closed(Closed::Blank);
            Disposition::Blank
        } else if table::is_row(raw) {
            reader.voice = None;
            reader.row(n, raw, lines.get(i + 1).copied())
        } else {
            reader.table = None;
            reader.line(n, raw, &lines[i + 1..])
        };
        reader.dispositions.push(disposition);
    }
    reader.finish(&lines)
}

/// An entry being collected: its first line's time and every line of text.
struct Draft {
    line: usize,
    at: Timestamp,
    parts: Vec<String>,
    author: Option<String>,
    /// A chat message: written when it was sent, at `at`.
    sent: bool,
}

/// The speaker of a pasted chat whose messages the lines below are.
struct Voice {
    name: String,
    /// When the last message was sent, or the line whose time could not be
    /// read.
    at: Result<Timestamp, usize>,
    /// The last message's time of day, for bare twelve-hour times.
    time: NaiveTime,
    twelve: bool,
}

/// What a line without a time attaches to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Open {
    Entry(usize),
    /// A summary field (`Severity: SEV-2`) and the lines that wrap it.
    Summary {
        key: String,
        line: usize,
    },
    /// A line that could not be read; what follows it belonged to it.
    Unreadable(usize),
    Closed(Closed),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Closed {
    Start,
    Blank,
    Heading,
    Table,
}

/// The timezone the last header gave.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ZoneContext {
    /// None named yet: use the options.
    Default,
    Known(FixedOffset),
    /// A header named a timezone that could not be read. Times under it
    /// are refused rather than read in the default timezone, which would be
    /// hours off.
    Refused {
        line: usize,
        name: String,
    },
}

struct Reader<'o> {
    options: &'o ImportOptions,
    drafts: Vec<Draft>,
    errors: Vec<LineError>,
    dispositions: Vec<Disposition>,
    open: Open,
    /// The day the last date header or full timestamp gave.
    date: Option<NaiveDate>,
    /// Days added to `date` since, one per midnight crossed.
    day_shift: u64,
    /// The last clock time placed under the current day, to notice midnight.
    prev: Option<Timestamp>,
    zone: ZoneContext,
    /// Inside a table: its header's columns, if it had a header.
    table: Option<Option<Columns>>,
    /// Inside a pasted chat: the current speaker.
    voice: Option<Voice>,
    /// A `Today` or `Yesterday` divider waiting for the first time under it
    /// to tell which day it is.
    pending: Option<i64>,
    /// A relative divider and the day it turned out to be.
    anchor: Option<(i64, NaiveDate)>,
    /// The line of a divider that named a day without its year
    /// (`Monday, May 18th`): a `Today` after it is some later day.
    yearless: Option<usize>,
    /// The line of a divider whose day could not be known; times under it
    /// are refused.
    day_refused: Option<usize>,
}

/// Fields whose lines are the postmortem's summary rather than the
/// timeline: the practice's example ends its timeline with three of them.
const SUMMARY_KEYS: &[&str] = &[
    "severity",
    "sev",
    "priority",
    "duration",
    "total duration",
    "impact",
    "user impact",
    "customer impact",
    "business impact",
    "users affected",
    "affected users",
    "affected services",
    "services affected",
    "root cause",
    "root causes",
    "contributing factors",
    "time to detect",
    "time to acknowledge",
    "time to mitigate",
    "time to resolve",
    "ttd",
    "tta",
    "ttm",
    "ttr",
    "mttd",
    "mtta",
    "mttr",
    "action items",
    "follow-up",
    "follow-ups",
    "lessons learned",
    "what went well",
    "what went wrong",
    "chain-level fix",
];

/// The key of a summary field line, as written: `Severity` in
/// `**Severity:** SEV-2`.
fn summary_key(body: &str) -> Option<String> {
    let (head, _) = body.split_once(':')?;
    let key = head.trim().trim_matches(['*', '_']).trim();
    let normal = normalize_line(&key.to_ascii_lowercase());
    SUMMARY_KEYS
        .contains(&normal.as_str())
        .then(|| key.to_owned())
}

/// Removes what dresses a line up without changing it: heading marks,
/// quote marks, list bullets and task boxes. Says whether it was a heading.
fn strip_markers(line: &str) -> (&str, bool) {
    let mut s = line.trim();
    let mut heading = false;
    let hashes = s.bytes().take_while(|b| *b == b'#').count();
    if (1..=6).contains(&hashes) {
        let rest = &s[hashes..];
        if rest.is_empty() || rest.starts_with(char::is_whitespace) {
            heading = true;
            s = rest.trim().trim_end_matches('#').trim_end();
        }
    }
    while let Some(rest) = s.strip_prefix('>') {
        s = rest.trim_start();
    }
    for bullet in ['-', '*', '+', '•'] {
        if let Some(rest) = s.strip_prefix(bullet) {
            if rest.starts_with(char::is_whitespace) {
                s = rest.trim_start();
                break;
            }
        }
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &s[digits..];
        if let Some(rest) = rest.strip_prefix(['.', ')']) {
            if rest.starts_with(char::is_whitespace) {
                s = rest.trim_start();
            }
        }
    }
    for task in ["[ ]", "[x]", "[X]"] {
        if let Some(rest) = s.strip_prefix(task) {
            s = rest.trim_start();
        }
    }
    (s, heading)
}

fn join_text(first: &str, second: &str) -> String {
    match (first.is_empty(), second.is_empty()) {
        (true, _) => second.to_owned(),
        (false, true) => first.to_owned(),
        (false, false) => format!("{first} — {second}"),
    }
}

impl<'o> Reader<'o> {
    fn new(options: &'o ImportOptions) -> Self {
        Self {
            options,
            drafts: Vec::new(),
            errors: Vec::new(),
            dispositions: Vec::new(),
            open: Open::Closed(Closed::Start),
            date: None,
            day_shift: 0,
            prev: None,
            zone: ZoneContext::Default,
            table: None,
            voice: None,
            pending: None,
            anchor: None,
            yearless: None,
            day_refused: None,
        }
    }

    fn fail(&mut self, n: usize, raw: &str, problem: Problem) -> Disposition {
        self.errors.push(LineError {
            line: n,
            text: raw.to_owned(),
            message: problem.message,
            expected: problem.expected,
        });
        Disposition::Error
    }

    /// A line that could not be read: report it, and let the lines under
    /// it report that they continue it rather than join the entry above.
    fn unreadable(&mut self, n: usize, raw: &str, problem: Problem) -> Disposition {
        self.open = Open::Unreadable(n);
        self.fail(n, raw, problem)
    }

    /// Any line outside a table; `rest` are the lines after it.
    fn line(&mut self, n: usize, raw: &str, rest: &[&str]) -> Disposition {
        let (body, heading) = strip_markers(raw);
        if heading {
            self.voice = None;
        } else if crate::CHAT {
            if let Some(speaker) = chat::speaker(body) {
                if rest.first().is_some_and(|l| !is_blank(l)) {
                    return self.speaker(n, raw, speaker);
                }
            }
            if let Some(divider) = chat::divider(body) {
                if next_is_speaker(rest) {
                    return self.divider(n, raw, divider);
                }
            }
            if self.voice.is_some() {
                return self.message(n, raw, body);
            }
        }
        match stamp::scan(body) {
            Scan::Stamp(stamp, text) => self.entry(n, raw, stamp, text, None),
            Scan::Invalid(problem) => self.unreadable(n, raw, problem),
            Scan::DateOnly | Scan::NotTime => match header::header(body, heading) {
                HeaderScan::Header(h) => self.header(n, raw, h),
                HeaderScan::Invalid(problem) => self.unreadable(n, raw, problem),
                HeaderScan::NotHeader => self.prose(n, raw, body),
            },
        }
    }

    fn header(&mut self, n: usize, raw: &str, header: Header) -> Disposition {
        self.open = Open::Closed(Closed::Heading);
        match header {
            Header::Section => Disposition::Markup,
            Header::Date { date, zone } => {
                self.set_day(date);
                match zone {
                    Some(spec) => self.set_zone(n, raw, spec),
                    None => Disposition::Markup,
                }
            }
            Header::Zone(spec) => self.set_zone(n, raw, spec),
        }
    }

    fn set_day(&mut self, date: NaiveDate) {
        self.date = Some(date);
        self.day_shift = 0;
        self.prev = None;
        self.day_refused = None;
    }

    /// A speaker line: the time of their first message, and whose the
    /// lines below are.
    fn speaker(&mut self, n: usize, raw: &str, speaker: Speaker) -> Disposition {
        let Speaker { name, time, twelve } = speaker;
        let at = self.clock_at(time, None);
        self.voice = Some(Voice {
            name,
            at: at.as_ref().copied().map_err(|_| n),
            time,
            twelve,
        });
        match at {
            Ok(_) => {
                self.open = Open::Closed(Closed::Heading);
                Disposition::Markup
            }
            Err(problem) => self.unreadable(n, raw, problem),
        }
    }

    /// A line under a speaker: a new message, the next line of one, a
    /// continued message with its own time (`2:52 checking DB`), or a
    /// join.
    fn message(&mut self, n: usize, raw: &str, body: &str) -> Disposition {
        let Some(voice) = self.voice.as_mut() else {
            return Disposition::Markup;
        };
        if let Scan::Stamp(Stamp::Clock { time, offset }, text) = stamp::scan(body) {
            if chat::is_join(&text) {
                self.open = Open::Closed(Closed::Heading);
                return Disposition::Markup;
            }
            let time = if offset.is_none()
                && voice.twelve
                && (1..=12).contains(&time.hour())
                && !chat::names_meridiem(body)
            {
                chat::nearest(time, voice.time)
            } else {
                time
            };
            voice.time = time;
            let author = Some(voice.name.clone());
            let disposition = self.entry(n, raw, Stamp::Clock { time, offset }, text, author);
            if let (Disposition::Entry(d), Some(voice)) = (disposition, self.voice.as_mut()) {
                self.drafts[d].sent = true;
                voice.at = Ok(self.drafts[d].at);
            }
            return disposition;
        }
        let text = raw.trim();
        if chat::is_join(text) {
            self.open = Open::Closed(Closed::Heading);
            return Disposition::Markup;
        }
        match (&self.open, &voice.at) {
            (Open::Closed(_), Ok(at)) => {
                let index = self.drafts.len();
                self.drafts.push(Draft {
                    line: n,
                    at: *at,
                    parts: vec![text.to_owned()],
                    author: Some(voice.name.clone()),
                    sent: true,
                });
                self.open = Open::Entry(index);
                Disposition::Entry(index)
            }
            (Open::Closed(_), Err(line)) => {
                let message =
                    format!("is a message under line {line}, whose time could not be read");
                let problem = Problem::new(message, EXPECT_LINE);
                self.unreadable(n, raw, problem)
            }
            _ => self.continuation(n, raw, text.to_owned()),
        }
    }

    /// A day divider of a pasted chat.
    fn divider(&mut self, n: usize, raw: &str, divider: Divider) -> Disposition {
        self.open = Open::Closed(Closed::Heading);
        let problem = match divider {
            Divider::Date(date) => {
                self.set_day(date);
                return Disposition::Markup;
            }
            Divider::Relative(k) => match (self.anchor, self.yearless) {
                (Some((k0, day)), _) => match day.checked_add_signed(TimeDelta::days(k - k0)) {
                    Some(date) => {
                        self.set_day(date);
                        return Disposition::Markup;
                    }
                    None => out_of_range(),
                },
                (None, Some(line)) => Problem::new(
                    format!(
                        "comes after line {line}, the divider of an earlier day, so which day it is cannot be known without the day the chat was copied"
                    ),
                    EXPECT_DIVIDER,
                ),
                (None, None) => {
                    self.pending = Some(k);
                    return Disposition::Markup;
                }
            },
            Divider::Yearless {
                month,
                day,
                weekday,
            } => match self.yearless_day(month, day) {
                Some(date)
                    if weekday.is_none_or(|w| w == date.weekday().num_days_from_monday()) =>
                {
                    self.set_day(date);
                    self.yearless = Some(n);
                    return Disposition::Markup;
                }
                Some(date) => Problem::new(
                    format!(
                        "names {}, but {} is a {}",
                        header::weekday_name(weekday.unwrap_or_default()),
                        postmortem_model::time::format_date(date),
                        header::weekday_name(date.weekday().num_days_from_monday()),
                    ),
                    EXPECT_DIVIDER,
                ),
                None => Problem::new(
                    "has no year, and no date header, default date or incident start gives one",
                    EXPECT_DIVIDER,
                ),
            },
        };
        self.day_refused = Some(n);
        self.unreadable(n, raw, problem)
    }

    /// The day a divider without a year names: in the year that puts it
    /// nearest the day the notes are on.
    fn yearless_day(&self, month: u32, day: u32) -> Option<NaiveDate> {
        let options = self.options;
        let near = self
            .prev
            .map(|p| p.date_naive())
            .or_else(|| {
                self.date
                    .and_then(|d| d.checked_add_days(Days::new(self.day_shift)))
            })
            .or(options.date)
            .or_else(|| options.incident_start.map(|s| s.date_naive()))?;
        [near.year() - 1, near.year(), near.year() + 1]
            .into_iter()
            .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
            .min_by_key(|d| (*d - near).num_days().abs())
    }

    fn set_zone(&mut self, n: usize, raw: &str, spec: ZoneSpec) -> Disposition {
        let message = match spec.zone {
            Zone::Known(offset) => {
                self.zone = ZoneContext::Known(offset);
                return Disposition::Markup;
            }
            Zone::Ambiguous(name, meanings) => {
                format!("names the timezone {name}, which could be {meanings}")
            }
            Zone::Unknown => format!(
                "names the timezone `{}`, which is neither a UTC offset nor a known abbreviation",
                spec.name
            ),
        };
        self.zone = ZoneContext::Refused {
            line: n,
            name: spec.name,
        };
        self.fail(n, raw, Problem::new(message, EXPECT_ZONE))
    }

    /// A line with no time that is not structure.
    fn prose(&mut self, n: usize, raw: &str, body: &str) -> Disposition {
        if let Some(key) = summary_key(body) {
            let message = format!("is the summary field `{key}`, not a timeline entry");
            self.open = Open::Summary { key, line: n };
            return self.fail(n, raw, Problem::new(message, EXPECT_SUMMARY));
        }
        self.continuation(n, raw, raw.trim().to_owned())
    }

    /// Text that adds to the open entry, or is reported as continuing
    /// nothing.
    fn continuation(&mut self, n: usize, raw: &str, text: String) -> Disposition {
        let (message, expected) = match &self.open {
            Open::Entry(d) => {
                let d = *d;
                self.drafts[d].parts.push(text);
                return Disposition::Continuation(d);
            }
            Open::Summary { key, line } => (
                format!(
                    "continues the summary field `{key}` from line {line}, which is not part of the timeline"
                ),
                EXPECT_SUMMARY,
            ),
            Open::Unreadable(line) => (
                format!("continues line {line}, which could not be read"),
                EXPECT_LINE,
            ),
            Open::Closed(_) if self.drafts.is_empty() => (
                "comes before the first entry, so there is no entry for it to continue".to_owned(),
                EXPECT_LINE,
            ),
            Open::Closed(Closed::Blank | Closed::Start) => (
                "follows a blank line, which ends the entry above, so it continues nothing"
                    .to_owned(),
                EXPECT_LINE,
            ),
            Open::Closed(Closed::Heading) => (
                "follows a heading, so there is no entry for it to continue".to_owned(),
                EXPECT_LINE,
            ),
            Open::Closed(Closed::Table) => (
                "follows a table's header, so there is no entry for it to continue".to_owned(),
                EXPECT_LINE,
            ),
        };
        self.fail(n, raw, Problem::new(message, expected))
    }

    fn entry(
        &mut self,
        n: usize,
        raw: &str,
        stamp: Stamp,
        text: String,
        author: Option<String>,
    ) -> Disposition {
        match self.resolve(stamp) {
            Ok(at) => {
                let index = self.drafts.len();
                self.drafts.push(Draft {
                    line: n,
                    at,
                    parts: vec![text],
                    author,
                    sent: false,
                });
                self.open = Open::Entry(index);
                Disposition::Entry(index)
            }
            Err(problem) => self.unreadable(n, raw, problem),
        }
    }

    /// Gives a stamp its date and timezone.
    fn resolve(&mut self, stamp: Stamp) -> Result<Timestamp, Problem> {
        match stamp {
            Stamp::Relative(delta) => {
                let start = self.options.incident_start.ok_or_else(|| {
                    Problem::new(
                        "counts from the incident start (T+), but no incident start was given",
                        EXPECT_START,
                    )
                })?;
                start.checked_add_signed(delta).ok_or_else(out_of_range)
            }
            Stamp::Clock { time, offset } => self.clock_at(time, offset),
            Stamp::Full { date, time, offset } => {
                let named = offset.is_some();
                let offset = match offset {
                    Some(o) => o,
                    None => self.offset()?,
                };
                let at = date
                    .and_time(time)
                    .and_local_timezone(offset)
                    .single()
                    .ok_or_else(out_of_range)?;
                self.set_day(date);
                self.prev = Some(at);
                // A full timestamp that names its timezone sets it for the
                // clock times after it, as a header would.
                if named {
                    self.zone = ZoneContext::Known(offset);
                }
                Ok(at)
            }
        }
    }

    /// The timezone for a time whose line names none.
    fn offset(&self) -> Result<FixedOffset, Problem> {
        match &self.zone {
            ZoneContext::Known(offset) => Ok(*offset),
            ZoneContext::Refused { line, name } => Err(Problem::new(
                format!("falls under line {line}, whose timezone `{name}` could not be read"),
                EXPECT_ZONE_KNOWN,
            )),
            ZoneContext::Default => self
                .options
                .offset
                .or_else(|| self.options.incident_start.map(|s| *s.offset()))
                .ok_or_else(|| {
                    Problem::new(
                        "has no timezone: neither the line nor a header names one, and no default was given",
                        EXPECT_ZONE_KNOWN,
                    )
                }),
        }
    }

    /// Places a clock time on a day. A time that would land more than
    /// twelve hours before the previous one crossed midnight (23:58 then
    /// 00:03); a smaller step back is a note written out of order and keeps
    /// its day, because rolling it a day forward would misplace it by 24
    /// hours.
    fn clock_at(
        &mut self,
        time: NaiveTime,
        line_offset: Option<FixedOffset>,
    ) -> Result<Timestamp, Problem> {
        let options = self.options;
        if let Some(line) = self.day_refused {
            return Err(Problem::new(
                format!("falls under line {line}, whose day could not be known"),
                EXPECT_DIVIDER,
            ));
        }
        let day = self.date.or(options.date);
        if day.is_none() && options.incident_start.is_none() {
            return Err(no_date());
        }
        let offset = match line_offset {
            Some(o) => o,
            None => self.offset()?,
        };
        let (base, seed) = match (day, options.incident_start) {
            (Some(d), _) => (d, None),
            // With only the incident start to go by, notes just after a
            // midnight start belong to the next day too.
            (None, Some(start)) => (start.with_timezone(&offset).date_naive(), Some(start)),
            (None, None) => return Err(no_date()),
        };
        let prev = self.prev.or(seed);
        let half_day = TimeDelta::hours(12);
        let mut shift = self.day_shift;
        let at = loop {
            let at = base
                .checked_add_days(Days::new(shift))
                .and_then(|day| day.and_time(time).and_local_timezone(offset).single())
                .ok_or_else(out_of_range)?;
            let crossed = prev
                .and_then(|p| p.checked_sub_signed(half_day))
                .is_some_and(|limit| at < limit);
            // Offsets differ by at most a day and a bit, so two steps are
            // always enough; the bound keeps odd input from looping.
            if crossed && shift < self.day_shift + 2 {
                shift += 1;
            } else {
                break at;
            }
        };
        self.day_shift = shift;
        self.prev = Some(at);
        if let Some(k) = self.pending.take() {
            self.anchor = Some((k, at.date_naive()));
        }
        Ok(at)
    }

    /// A table row.
    fn row(&mut self, n: usize, raw: &str, next: Option<&str>) -> Disposition {
        let cells = table::cells(raw);
        if self.table.is_none() {
            self.table = Some(None);
        }
        if table::is_separator(&cells) {
            return Disposition::Markup;
        }
        let next_is_separator =
            next.is_some_and(|l| table::is_row(l) && table::is_separator(&table::cells(l)));
        let headed = matches!(self.table, Some(Some(_)));
        if next_is_separator || (!headed && table::looks_like_header(&cells)) {
            let columns = Columns::from_header(&cells);
            let zone = columns.zone.clone();
            self.table = Some(Some(columns));
            self.open = Open::Closed(Closed::Table);
            return match zone {
                Some(spec) => self.set_zone(n, raw, spec),
                None => Disposition::Markup,
            };
        }
        self.data_row(n, raw, &cells)
    }

    fn data_row(&mut self, n: usize, raw: &str, cells: &[String]) -> Disposition {
        let columns = self.table.clone().flatten().unwrap_or_default();
        let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).map(String::as_str);
        if let Some(date_cell) = cell(columns.date).filter(|c| !c.is_empty()) {
            match cell_date(date_cell) {
                Some(date) => self.set_day(date),
                None => {
                    let problem = Problem::new(
                        format!("has `{date_cell}` in the date column, which is not a date"),
                        EXPECT_DATE,
                    );
                    return self.unreadable(n, raw, problem);
                }
            }
        }
        let time = columns
            .time
            .or_else(|| cells.iter().position(|c| table::is_timed(c)));
        let mut author = columns.author;
        let mut text: Vec<usize> = (0..cells.len())
            .filter(|i| ![time, columns.date, author].contains(&Some(*i)))
            .filter(|i| !cells[*i].is_empty())
            .collect();
        if !columns.headed
            && time.is_some()
            && text.len() >= 2
            && table::looks_like_login(&cells[text[0]])
        {
            author = Some(text.remove(0));
        }
        let text = text
            .iter()
            .map(|i| cells[*i].as_str())
            .collect::<Vec<_>>()
            .join(" — ");
        let author = cell(author)
            .map(|a| normalize_line(a.trim_start_matches('@')))
            .filter(|a| !a.is_empty());
        match cell(time).filter(|c| !is_blank(c)) {
            Some(time_cell) => match stamp::scan(time_cell) {
                Scan::Stamp(stamp, rest) => {
                    let text = join_text(&rest, &text);
                    self.entry(n, raw, stamp, text, author)
                }
                Scan::Invalid(problem) => self.unreadable(n, raw, problem),
                Scan::DateOnly | Scan::NotTime => {
                    let problem = Problem::new(
                        format!("has `{time_cell}` where the time should be"),
                        EXPECT_TABLE_ROW,
                    );
                    self.unreadable(n, raw, problem)
                }
            },
            None if text.is_empty() => Disposition::Markup,
            // An empty time cell, or a header-less row whose first cell is
            // empty, adds to the entry above, as wrapped rows do.
            None if time.is_some() || cells.first().is_some_and(String::is_empty) => {
                self.continuation(n, raw, text)
            }
            None => {
                let problem = Problem::new("has no time in any column", EXPECT_TABLE_ROW);
                self.unreadable(n, raw, problem)
            }
        }
    }

    /// Turns drafts into entries; a draft left with no text is reported.
    fn finish(mut self, lines: &[&str]) -> (Import, Vec<Disposition>) {
        let default_author = self
            .options
            .author
            .as_deref()
            .map(normalize_line)
            .filter(|a| !a.is_empty());
        let mut index = vec![None; self.drafts.len()];
        let mut entries = Vec::with_capacity(self.drafts.len());
        for (i, draft) in std::mem::take(&mut self.drafts).into_iter().enumerate() {
            let text = normalize_prose(&draft.parts.join("\n"));
            if text.is_empty() {
                self.errors.push(LineError {
                    line: draft.line,
                    text: lines.get(draft.line - 1).copied().unwrap_or("").to_owned(),
                    message: "has a time but nothing about what happened".to_owned(),
                    expected: EXPECT_ENTRY,
                });
                continue;
            }
            index[i] = Some(entries.len());
            entries.push(TimelineEntry {
                at: draft.at,
                written_at: if draft.sent {
                    Some(draft.at)
                } else {
                    self.options.written_at
                },
                text,
                author: draft.author.or_else(|| default_author.clone()),
            });
        }
        for (line, disposition) in self.dispositions.iter_mut().enumerate() {
            match *disposition {
                Disposition::Entry(d) | Disposition::Continuation(d) => match index[d] {
                    Some(e) if matches!(disposition, Disposition::Entry(_)) => {
                        *disposition = Disposition::Entry(e);
                    }
                    Some(e) => *disposition = Disposition::Continuation(e),
                    None => {
                        if matches!(disposition, Disposition::Continuation(_)) {
                            self.errors.push(LineError {
                                line: line + 1,
                                text: lines.get(line).copied().unwrap_or("").to_owned(),
                                message: "continues an entry that has no text".to_owned(),
                                expected: EXPECT_ENTRY,
                            });
                        }
                        *disposition = Disposition::Error;
                    }
                },
                Disposition::Blank | Disposition::Markup | Disposition::Error => {}
            }
        }
        self.errors.sort_by_key(|e| e.line);
        (
            Import {
                entries,
                errors: self.errors,
            },
            self.dispositions,
        )
    }
}

/// Whether the next line with anything on it is a speaker line, which
/// makes the line before it a chat's day divider.
fn next_is_speaker(rest: &[&str]) -> bool {
    let Some(i) = rest.iter().position(|l| !is_blank(l)) else {
        return false;
    };
    let (body, heading) = strip_markers(rest[i]);
    !heading && chat::speaker(body).is_some() && rest.get(i + 1).is_some_and(|l| !is_blank(l))
}

fn no_date() -> Problem {
    Problem::new(
        "has no date: no date header came before it and no default date was given",
        EXPECT_DAY,
    )
}

fn out_of_range() -> Problem {
    Problem::new("gives a time too far from today to place", EXPECT_RANGE)
}

/// The day in a table's date column.
fn cell_date(cell: &str) -> Option<NaiveDate> {
    let cell = cell.trim_matches(['*', '_', ' ']);
    match stamp::date_prefix(cell) {
        Some(Ok((date, rest))) if rest.trim().is_empty() => Some(date),
        Some(_) => None,
        None => header::word_date(cell)
            .filter(|(_, rest)| rest.trim().is_empty())
            .map(|(date, _)| date),
    }
}
