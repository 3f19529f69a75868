//! Markdown tables as published postmortems write timelines:
//! `| Time (UTC) | Who | Event |`. This module splits rows into cells
//! (honouring `\|`), recognises header and separator rows, and works out
//! which column holds the time, the date, the author and the text, from the
//! header when there is one and from the cells when there is not.

use crate::header::ZoneSpec;
use crate::stamp::{Scan, scan};
use crate::zone::{Zone, zone};

/// Whether a line is a table row.
pub(crate) fn is_row(line: &str) -> bool {
    line.trim_start().starts_with('|')
}

/// The cells of a row, trimmed, with `\|` read as a literal `|`.
pub(crate) fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cell).trim().to_owned()),
            _ => cell.push(c),
        }
    }
    // Text after the last pipe is a cell only when the row omits the
    // closing pipe.
    if !cell.trim().is_empty() {
        cells.push(cell.trim().to_owned());
    }
    cells
}

/// `|---|:---:|`: the row under a table's header.
pub(crate) fn is_separator(cells: &[String]) -> bool {
    !cells.is_empty()
        && cells
            .iter()
            .all(|c| c.contains('-') && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
}

/// Which column holds what.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Columns {
    /// Whether a header row named the columns.
    pub(crate) headed: bool,
    pub(crate) time: Option<usize>,
    pub(crate) date: Option<usize>,
    pub(crate) author: Option<usize>,
    /// The timezone named in the time column's header: `Time (UTC)`.
    pub(crate) zone: Option<ZoneSpec>,
}

const TIME_NAMES: &[&str] = &[
    "time",
    "when",
    "timestamp",
    "time stamp",
    "date/time",
    "date & time",
    "date and time",
    "datetime",
    "at",
    "clock",
    "t+",
    "elapsed",
    "hh:mm",
];
const DATE_NAMES: &[&str] = &["date", "day"];
const AUTHOR_NAMES: &[&str] = &[
    "who",
    "author",
    "by",
    "owner",
    "person",
    "actor",
    "responder",
    "on-call",
    "oncall",
    "posted by",
    "written by",
    "reported by",
    "name",
    "user",
];

/// A header cell's name in lower case and what its parentheses say:
/// `**Time (UTC)**` is `("time", Some("UTC"))`.
fn column_name(cell: &str) -> (String, Option<&str>) {
    let c = cell.trim_matches(['*', '_', ' ']);
    let (name, paren) = match (c.find('('), c.rfind(')')) {
        (Some(open), Some(close)) if open < close => (&c[..open], Some(&c[open + 1..close])),
        _ => (c, None),
    };
    let name = name
        .trim()
        .trim_end_matches(':')
        .trim()
        .to_ascii_lowercase();
    (name, paren)
}

impl Columns {
    /// The columns a header row names.
    pub(crate) fn from_header(cells: &[String]) -> Columns {
        let mut columns = Columns {
            headed: true,
            ..Columns::default()
        };
        for (i, cell) in cells.iter().enumerate() {
            let (name, paren) = column_name(cell);
            if columns.time.is_none() && TIME_NAMES.contains(&name.as_str()) {
                columns.time = Some(i);
                columns.zone = paren.and_then(header_zone);
            } else if columns.date.is_none() && DATE_NAMES.contains(&name.as_str()) {
                columns.date = Some(i);
            } else if columns.author.is_none() && AUTHOR_NAMES.contains(&name.as_str()) {
                columns.author = Some(i);
            }
        }
        columns
    }
}

/// `UTC` in `Time (UTC)`; `approx` in `Time (approx)` is not a zone.
fn header_zone(paren: &str) -> Option<ZoneSpec> {
    let name = paren.trim();
    let z = zone(name);
    let zoneish = !name.is_empty()
        && (name.contains('/')
            || name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "+-−:".contains(c)));
    (z != Zone::Unknown || zoneish).then(|| ZoneSpec {
        name: name.to_owned(),
        zone: z,
    })
}

/// A row with no time in it that names a time column: a header row that
/// has no separator under it.
pub(crate) fn looks_like_header(cells: &[String]) -> bool {
    !cells.iter().any(|c| is_timed(c))
        && cells
            .iter()
            .any(|c| TIME_NAMES.contains(&column_name(c).0.as_str()))
}

/// Whether a cell starts like a time, valid or not.
pub(crate) fn is_timed(cell: &str) -> bool {
    matches!(scan(cell), Scan::Stamp(..) | Scan::Invalid(_))
}

/// Whether a cell in a header-less table reads as the author: one word
/// shaped like a handle, `@alice` or `alice`. A capitalised word is left
/// in the text: in a column of its own it is more often the kind of event
/// (`Alert`, `Deploy`) than a person, and a name left in the text loses
/// nothing while an event word taken as an author corrupts the entry.
pub(crate) fn looks_like_login(cell: &str) -> bool {
    let (at, body) = match cell.strip_prefix('@') {
        Some(body) => (true, body),
        None => (false, cell),
    };
    !body.is_empty()
        && body.chars().count() <= 39
        && (at || body.starts_with(|c: char| c.is_lowercase()))
        && body
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_split_on_unescaped_pipes() {
        assert_eq!(cells("| 14:51 | a \\| b |"), vec!["14:51", "a | b"]);
        assert_eq!(cells("|14:51|x"), vec!["14:51", "x"]);
        assert_eq!(cells("| | x |"), vec!["", "x"]);
    }

    #[test]
    fn separator_rows_are_dashes_and_colons() {
        assert!(is_separator(&cells("|---|:---:|")));
        assert!(is_separator(&cells("| --- | --- |")));
        assert!(!is_separator(&cells("| 14:51 | - |")));
    }

    #[test]
    fn headers_name_time_date_author_and_zone() {
        let c = Columns::from_header(&cells("| Date | **Time (UTC)** | Who | Event |"));
        assert_eq!((c.date, c.time, c.author), (Some(0), Some(1), Some(2)));
        assert_eq!(c.zone.map(|z| z.name), Some("UTC".to_owned()));
        let c = Columns::from_header(&cells("| Time (approx) | Event |"));
        assert_eq!((c.time, c.zone), (Some(0), None));
        assert!(looks_like_header(&cells("| Time | Event |")));
        assert!(!looks_like_header(&cells("| 14:51 | time |")));
    }
}
