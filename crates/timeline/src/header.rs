//! Recognises the lines that are structure rather than entries: date
//! headers that give the day (and usually the timezone) for the clock times
//! under them (`## 2026-05-18 (UTC)`, `May 18, 2026 — all times PDT`),
//! timezone-only lines (`All times UTC`), and section headings
//! (`## Timeline`, `Timeline (from the on-call's notes):`). Knowing these
//! lets the reader account for every line instead of mistaking a heading
//! for the continuation of an entry.

use chrono::NaiveDate;

use crate::problem::{EXPECT_ENTRY, Problem};
use crate::stamp;
use crate::zone::{Zone, zone};

/// A timezone as a header named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ZoneSpec {
    /// The name as written, for messages.
    pub(crate) name: String,
    pub(crate) zone: Zone,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Header {
    /// A day, and the timezone when the header names one.
    Date {
        date: NaiveDate,
        zone: Option<ZoneSpec>,
    },
    /// A timezone for the times that follow.
    Zone(ZoneSpec),
    /// A heading with no date: `## Timeline`.
    Section,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HeaderScan {
    Header(Header),
    Invalid(Problem),
    NotHeader,
}

/// Reads `body` (a line with heading marks, quotes and bullets removed) as a
/// header. `heading` says the line was a Markdown heading, which makes it
/// structure whatever else it says.
pub(crate) fn header(body: &str, heading: bool) -> HeaderScan {
    let core = body.trim_matches(['*', '_']).trim();
    if let Some(found) = stamp::date_prefix(core) {
        let (date, rest) = match found {
            Ok(v) => v,
            Err(problem) => return HeaderScan::Invalid(problem),
        };
        return match zone_words(rest) {
            Rest::Nothing => HeaderScan::Header(Header::Date { date, zone: None }),
            Rest::Zone(spec) => HeaderScan::Header(Header::Date {
                date,
                zone: Some(spec),
            }),
            Rest::Prose if heading => HeaderScan::Header(Header::Date { date, zone: None }),
            // A numeric date opening a line is as time-like as `14:51`: an
            // entry that forgot its time, not prose to append somewhere.
            Rest::Prose => HeaderScan::Invalid(Problem::new(
                format!("has the date {date} but no time"),
                EXPECT_ENTRY,
            )),
        };
    }
    if let Some((date, rest)) = word_date(core) {
        match zone_words(rest) {
            Rest::Nothing => return HeaderScan::Header(Header::Date { date, zone: None }),
            Rest::Zone(spec) => {
                return HeaderScan::Header(Header::Date {
                    date,
                    zone: Some(spec),
                });
            }
            Rest::Prose if heading => {
                return HeaderScan::Header(Header::Date { date, zone: None });
            }
            Rest::Prose => {}
        }
    }
    let unbracketed = core.trim_start_matches(['(', '[']).to_ascii_lowercase();
    let zone_lead = [
        "all times",
        "times are",
        "times in",
        "time zone",
        "timezone",
        "tz:",
        "tz ",
    ];
    if zone_lead.iter().any(|lead| unbracketed.starts_with(lead)) {
        if let Rest::Zone(spec) = zone_words(core) {
            return HeaderScan::Header(Header::Zone(spec));
        }
    }
    if heading || is_timeline_label(core) {
        return HeaderScan::Header(Header::Section);
    }
    HeaderScan::NotHeader
}

/// `Timeline:`, `Timeline`, `Timeline (from on-call's notes):` — the
/// practice's own label for the block.
fn is_timeline_label(core: &str) -> bool {
    const WORD: &str = "timeline";
    let Some(head) = core.get(..WORD.len()) else {
        return false;
    };
    if !head.eq_ignore_ascii_case(WORD) {
        return false;
    }
    let rest = core[WORD.len()..].trim();
    rest.is_empty() || rest == ":" || (rest.starts_with('(') && rest.ends_with(':'))
}

enum Rest {
    Nothing,
    Zone(ZoneSpec),
    Prose,
}

/// Words that dress a timezone up (`all times are in PDT`).
const FILLERS: &[&str] = &[
    "all", "times", "time", "are", "is", "in", "zone", "timezone", "tz", "local", "shown", "given",
    "as",
];
/// Fillers that say a timezone is being named, so an unknown name after
/// them is a mistake rather than prose.
const MARKERS: &[&str] = &["times", "time", "zone", "timezone", "tz"];

/// What follows a date in a header: nothing, a timezone, or prose.
fn zone_words(rest: &str) -> Rest {
    if let (Some(open), Some(close)) = (rest.find('('), rest.rfind(')')) {
        if open < close {
            if let found @ Rest::Zone(_) = zone_words(&rest[open + 1..close]) {
                return found;
            }
        }
    }
    let bracketed = rest.contains(['(', '[']);
    let mut marked = bracketed;
    let kept: Vec<&str> = rest
        .split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    ',' | '(' | ')' | '[' | ']' | '—' | '–' | ';' | '*' | '_' | '|'
                )
        })
        .map(|w| w.trim_matches(['.', ':']))
        .filter(|w| !w.is_empty() && *w != "-")
        .filter(|w| {
            let lower = w.to_ascii_lowercase();
            marked |= MARKERS.contains(&lower.as_str());
            !FILLERS.contains(&lower.as_str())
        })
        .collect();
    if kept.is_empty() {
        return Rest::Nothing;
    }
    if kept.len() > 2 {
        return Rest::Prose;
    }
    let name = kept.join(" ");
    let z = zone(&kept.concat());
    let zoneish = kept.iter().all(|w| {
        w.contains('/')
            || w.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "+-−:".contains(c))
    });
    match z {
        Zone::Unknown if !(marked || zoneish) => Rest::Prose,
        zone => Rest::Zone(ZoneSpec { name, zone }),
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn clean_word(word: &str) -> String {
    word.trim_end_matches(['.', ',']).to_ascii_lowercase()
}

pub(crate) fn month(word: &str) -> Option<u32> {
    let w = clean_word(word);
    let index = MONTHS.iter().position(|m| {
        *m == w || (w.len() == 3 && m.starts_with(w.as_str())) || (w == "sept" && *m == "september")
    })?;
    u32::try_from(index + 1).ok()
}

/// `Monday` for 0.
pub(crate) fn weekday_name(index: u32) -> String {
    let name = WEEKDAYS[index as usize % 7];
    name[..1].to_ascii_uppercase() + &name[1..]
}

fn is_weekday(word: &str) -> bool {
    weekday(word).is_some()
}

/// The weekday a word names (`Mon`, `Monday,`), counting from Monday as 0.
pub(crate) fn weekday(word: &str) -> Option<u32> {
    let w = clean_word(word);
    let index = (w.len() >= 3)
        .then(|| WEEKDAYS.iter().position(|d| d.starts_with(w.as_str())))
        .flatten()?;
    u32::try_from(index).ok()
}

pub(crate) fn day_number(word: &str) -> Option<u32> {
    let w = clean_word(word);
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|suffix| w.strip_suffix(suffix))
        .unwrap_or(&w);
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

/// The first word of `s` and everything after it.
pub(crate) fn next_word(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_start();
    if s.is_empty() {
        return None;
    }
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    Some((&s[..end], &s[end..]))
}

/// `May 18, 2026`, `18 May 2026`, `Monday, May 18th, 2026` and what
/// follows the year.
pub(crate) fn word_date(s: &str) -> Option<(NaiveDate, &str)> {
    let (mut word, mut rest) = next_word(s)?;
    if is_weekday(word) {
        (word, rest) = next_word(rest)?;
    }
    let (month, day, rest) = if let Some(m) = month(word) {
        let (day_word, r) = next_word(rest)?;
        (m, day_number(day_word)?, r)
    } else {
        let day = day_number(word)?;
        let (month_word, r) = next_word(rest)?;
        (month(month_word)?, day, r)
    };
    let (year_word, after) = next_word(rest)?;
    let digits = year_word.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 4 {
        return None;
    }
    let year: i32 = year_word[..4].parse().ok()?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let tail_start = s.len() - after.len() - (year_word.len() - 4);
    Some((date, &s[tail_start..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn date_header(s: &str) -> (String, Option<Zone>) {
        match header(s, false) {
            HeaderScan::Header(Header::Date { date, zone }) => {
                (date.to_string(), zone.map(|spec| spec.zone))
            }
            other => panic!("{s:?} gave {other:?}"),
        }
    }

    fn hours(h: i32) -> Option<Zone> {
        Some(Zone::Known(FixedOffset::east_opt(h * 3600).unwrap()))
    }

    #[test]
    fn date_headers_name_the_day_and_timezone() {
        assert_eq!(
            date_header("2026-05-18 (UTC)"),
            ("2026-05-18".into(), hours(0))
        );
        assert_eq!(
            date_header("2026-05-18 UTC"),
            ("2026-05-18".into(), hours(0))
        );
        assert_eq!(
            date_header("May 18, 2026 — all times PDT"),
            ("2026-05-18".into(), hours(-7))
        );
        assert_eq!(date_header("2026-05-18 (times in +02:00)").1, hours(2));
        assert_eq!(date_header("Monday, 18th May 2026 (UTC+2)").1, hours(2));
        assert_eq!(date_header("**2026-05-18**").1, None);
        assert_eq!(
            date_header("2026-05-18 (IST)").1,
            Some(Zone::Ambiguous(
                "IST",
                "India (+05:30), Ireland (+01:00) or Israel (+02:00)"
            ))
        );
        assert_eq!(
            date_header("2026-05-18 (times in Europe/Berlin)").1,
            Some(Zone::Unknown)
        );
    }

    #[test]
    fn headings_with_a_title_after_the_date_still_set_the_day() {
        match header("2026-05-18 — the day checkout went down", true) {
            HeaderScan::Header(Header::Date { zone: None, .. }) => {}
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            header("2026-05-18 deploy went out", false),
            HeaderScan::Invalid(_)
        ));
    }

    #[test]
    fn timezone_lines_and_labels_are_structure() {
        assert!(matches!(
            header("All times are UTC.", false),
            HeaderScan::Header(Header::Zone(ZoneSpec {
                zone: Zone::Known(_),
                ..
            }))
        ));
        assert_eq!(
            header(
                "Timeline (from on-call's during-the-incident notes):",
                false
            ),
            HeaderScan::Header(Header::Section)
        );
        assert_eq!(
            header("Timeline", true),
            HeaderScan::Header(Header::Section)
        );
        assert_eq!(
            header("May need to roll back.", false),
            HeaderScan::NotHeader
        );
        assert_eq!(header("Action took 90 sec.", false), HeaderScan::NotHeader);
    }
}
