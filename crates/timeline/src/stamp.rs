//! Reads the time at the start of a line: `T+0:05` after the incident start,
//! a clock time `14:51` (with optional seconds, am/pm and timezone), or a
//! full timestamp `2026-05-18T14:51Z`, possibly wrapped in Markdown emphasis
//! (`**14:51**`) or brackets. It tells a line that is simply not timed apart
//! from one that tries to be and fails: the first is prose, the second is a
//! mistake the on-call wants to hear about, not have swallowed as text.

use chrono::{FixedOffset, NaiveDate, NaiveTime, TimeDelta};

use crate::problem::{EXPECT_CLOCK, EXPECT_DATE, EXPECT_RELATIVE, EXPECT_ZONE, Problem};
use crate::zone::{self, Zone, is_boundary};

/// A time as written, before a date or incident start gives it meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Stamp {
    /// `T+h:mm`: after the incident start (negative for `T-`).
    Relative(TimeDelta),
    /// `HH:MM`: a time of day, with the timezone if the line names one.
    Clock {
        time: NaiveTime,
        offset: Option<FixedOffset>,
    },
    /// `2026-05-18T14:51Z`: a date and time, with the timezone if named.
    Full {
        date: NaiveDate,
        time: NaiveTime,
        offset: Option<FixedOffset>,
    },
}

/// What the start of a line is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scan {
    /// A time, and the text after it with any separator (`—`, `:`) removed.
    Stamp(Stamp, String),
    /// A date with no time; a date header, or a mistake.
    DateOnly,
    /// Something that starts like a time but is not one.
    Invalid(Problem),
    /// Prose.
    NotTime,
}

/// Reads the time at the start of `s`.
pub(crate) fn scan(s: &str) -> Scan {
    scan_at(s, 0)
}

fn scan_at(s: &str, depth: u8) -> Scan {
    let s = s.trim_start();
    if let Some(scan) = unwrap(s, depth) {
        return scan;
    }
    if let Some((negative, rest)) = relative_sign(s) {
        return relative(s, negative, rest);
    }
    if date_looking(s) {
        return dated(s);
    }
    if clock_looking(s) {
        return clock_stamp(s);
    }
    Scan::NotTime
}

const WRAPPERS: [(&str, &str); 7] = [
    ("**", "**"),
    ("__", "__"),
    ("*", "*"),
    ("_", "_"),
    ("`", "`"),
    ("[", "]"),
    ("(", ")"),
];

/// `**14:51** text`, `[14:51] text`, `` `T+0:05` text ``: the time inside
/// the wrapper, the text after it.
fn unwrap(s: &str, depth: u8) -> Option<Scan> {
    if depth > 2 {
        return None;
    }
    let (open, close) = WRAPPERS.iter().find(|(open, _)| s.starts_with(open))?;
    let after_open = &s[open.len()..];
    let end = after_open.find(close)?;
    let inner = &after_open[..end];
    let after = strip_separator(&after_open[end + close.len()..]);
    match scan_at(inner, depth + 1) {
        Scan::Stamp(stamp, inner_text) => {
            let text = match (inner_text.is_empty(), after.is_empty()) {
                (true, _) => after.to_owned(),
                (false, true) => inner_text,
                (false, false) => format!("{inner_text} {after}"),
            };
            Some(Scan::Stamp(stamp, text))
        }
        Scan::Invalid(problem) => Some(Scan::Invalid(problem)),
        Scan::DateOnly | Scan::NotTime => None,
    }
}

/// Removes the separator people put between a time and its text:
/// `14:51 — text`, `14:51: text`, `14:51 - text`, `14:51 | text`.
pub(crate) fn strip_separator(s: &str) -> &str {
    let t = s.trim_start();
    for sep in ["—", "–", "→", "->", "=>", "-", ":", "|"] {
        if let Some(rest) = t.strip_prefix(sep) {
            // `-5% errors` keeps its minus; dashes that are only dashes go.
            let dash = matches!(sep, "—" | "–" | "→");
            if dash || rest.is_empty() || rest.starts_with(char::is_whitespace) {
                return rest.trim_start();
            }
        }
    }
    t
}

/// The first word of `s`, for quoting in a message.
fn token(s: &str) -> String {
    let word = s.split(char::is_whitespace).next().unwrap_or("");
    let mut out: String = word.chars().take(24).collect();
    if out.len() < word.len() {
        out.push('…');
    }
    out
}

fn lead_digits(s: &str) -> &str {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    &s[..n]
}

/// Parses at most nine ASCII digits; longer runs are rejected by callers
/// before they get here.
fn number(digits: &str) -> u32 {
    digits
        .bytes()
        .take(9)
        .fold(0, |n, b| n * 10 + u32::from(b - b'0'))
}

/// `T+`, `T-` or `T−` followed by a number: the sign and what follows it.
fn relative_sign(s: &str) -> Option<(bool, &str)> {
    let rest = s.strip_prefix(['T', 't'])?;
    let (negative, rest) = if let Some(r) = rest.strip_prefix('+') {
        (false, r)
    } else if let Some(r) = rest.strip_prefix(['-', '−']) {
        (true, r)
    } else {
        return None;
    };
    let rest = rest.trim_start();
    rest.starts_with(|c: char| c.is_ascii_digit())
        .then_some((negative, rest))
}

/// `T+1:05`, `T+1:05:30`, `T+90m`, `T+2h`, `T+1h05m`.
fn relative(s: &str, negative: bool, r: &str) -> Scan {
    let tok = token(s);
    let bad =
        |why: &str| Scan::Invalid(Problem::new(format!("has `{tok}`, {why}"), EXPECT_RELATIVE));
    let lead = lead_digits(r);
    if lead.len() > 6 {
        return bad("which is too long after the incident start to be part of it");
    }
    let lead_value = i64::from(number(lead));
    let rest = &r[lead.len()..];
    let (seconds, rest) = if let Some(after) = rest.strip_prefix(':') {
        let m = lead_digits(after);
        if m.len() != 2 {
            return bad("whose minutes are not two digits");
        }
        let minutes = i64::from(number(m));
        if minutes > 59 {
            return bad("whose minutes are not 00 to 59");
        }
        let mut rest = &after[2..];
        let mut seconds = 0;
        if let Some(a) = rest.strip_prefix(':') {
            let sd = lead_digits(a);
            if !sd.is_empty() {
                if sd.len() != 2 || number(sd) > 59 {
                    return bad("whose seconds are not 00 to 59");
                }
                seconds = i64::from(number(sd));
                rest = &a[2..];
            }
        }
        (lead_value * 3600 + minutes * 60 + seconds, rest)
    } else if let Some(after) = rest.strip_prefix(['h', 'H']) {
        let m = lead_digits(after);
        let mut rest = &after[m.len()..];
        let mut minutes = 0;
        if !m.is_empty() {
            if m.len() > 2 || number(m) > 59 {
                return bad("whose minutes are not 00 to 59");
            }
            minutes = i64::from(number(m));
            rest = strip_minute_unit(rest).unwrap_or(rest);
        }
        (lead_value * 3600 + minutes * 60, rest)
    } else if let Some(after) = strip_minute_unit(rest) {
        (lead_value * 60, after)
    } else {
        return bad("which has no unit: write hours:minutes");
    };
    if !is_boundary(rest) {
        return bad("which is not hours:minutes");
    }
    let seconds = if negative { -seconds } else { seconds };
    match TimeDelta::try_seconds(seconds) {
        Some(delta) => Scan::Stamp(Stamp::Relative(delta), strip_separator(rest).to_owned()),
        None => bad("which is too long after the incident start to be part of it"),
    }
}

fn strip_minute_unit(s: &str) -> Option<&str> {
    ["mins", "min", "m"].iter().find_map(|unit| {
        let head = s.get(..unit.len())?;
        head.eq_ignore_ascii_case(unit).then(|| &s[unit.len()..])
    })
}

/// `H:MM` or `HH:MM` followed by a digit: anything shaped like a clock
/// time, valid or not.
pub(crate) fn clock_looking(s: &str) -> bool {
    let b = s.as_bytes();
    let d = b.iter().take_while(|c| c.is_ascii_digit()).count();
    (d == 1 || d == 2) && b.get(d) == Some(&b':') && b.get(d + 1).is_some_and(u8::is_ascii_digit)
}

/// Reads a clock time at the start of `s` (`clock_looking` holds), with
/// seconds, fractions and am/pm; returns it and the bytes it took.
fn clock(s: &str) -> Result<(NaiveTime, usize), Problem> {
    let tok = token(s);
    let bad = |why: &str| Problem::new(format!("has `{tok}`, {why}"), EXPECT_CLOCK);
    let h = lead_digits(s);
    let mut i = h.len() + 1;
    let m = lead_digits(&s[i..]);
    if m.len() != 2 {
        return Err(bad("whose minutes are not two digits"));
    }
    i += 2;
    let (mut second, mut nano) = (0, 0);
    if s[i..].starts_with(':') && s[i + 1..].starts_with(|c: char| c.is_ascii_digit()) {
        let sd = lead_digits(&s[i + 1..]);
        if sd.len() != 2 {
            return Err(bad("whose seconds are not two digits"));
        }
        second = number(sd);
        i += 3;
        if s[i..].starts_with('.') {
            let f = lead_digits(&s[i + 1..]);
            if !f.is_empty() {
                let nine: String = f.chars().chain(std::iter::repeat('0')).take(9).collect();
                nano = number(&nine);
                i += 1 + f.len();
            }
        }
    }
    let mut hour = number(h);
    let minute = number(m);
    let after = &s[i..];
    let spaced = after.strip_prefix(' ').unwrap_or(after);
    if let Some((pm, len)) = meridiem(spaced) {
        if !(1..=12).contains(&hour) {
            return Err(bad("whose hour is not 1 to 12 before am/pm"));
        }
        hour = hour % 12 + if pm { 12 } else { 0 };
        i += after.len() - spaced.len() + len;
    }
    if hour > 23 {
        return Err(bad("whose hour is not 00 to 23"));
    }
    if minute > 59 {
        return Err(bad("whose minutes are not 00 to 59"));
    }
    if second > 59 {
        return Err(bad("whose seconds are not 00 to 59"));
    }
    NaiveTime::from_hms_nano_opt(hour, minute, second, nano)
        .map(|t| (t, i))
        .ok_or_else(|| bad("which is not a time of day"))
}

pub(crate) fn meridiem(s: &str) -> Option<(bool, usize)> {
    [("a.m.", false), ("p.m.", true), ("am", false), ("pm", true)]
        .into_iter()
        .find_map(|(word, pm)| {
            let head = s.get(..word.len())?;
            (head.eq_ignore_ascii_case(word) && is_boundary(&s[word.len()..]))
                .then_some((pm, word.len()))
        })
}

/// The timezone right after a time, attached (`14:51Z`) or after a space
/// (`14:51 UTC`), and what follows it.
fn zone_after(rest: &str) -> Result<(Option<FixedOffset>, &str), Problem> {
    let found = zone::leading(rest, true)
        .map(|(z, n)| (z, &rest[n..]))
        .or_else(|| {
            let t = rest.trim_start();
            if t.len() == rest.len() {
                return None;
            }
            zone::leading(t, false).map(|(z, n)| (z, &t[n..]))
        });
    match found {
        Some((Zone::Known(offset), after)) => Ok((Some(offset), after)),
        Some((Zone::Ambiguous(name, meanings), _)) => Err(Problem::new(
            format!("names the timezone {name}, which could be {meanings}"),
            EXPECT_ZONE,
        )),
        Some((Zone::Unknown, _)) | None => Ok((None, rest)),
    }
}

fn clock_stamp(s: &str) -> Scan {
    let (time, n) = match clock(s) {
        Ok(v) => v,
        Err(problem) => return Scan::Invalid(problem),
    };
    finish(s, n, |offset| Stamp::Clock { time, offset })
}

/// Reads the timezone after a time ending at byte `n` of `s`, checks that
/// the time does not run into a word, and builds the stamp.
fn finish(s: &str, n: usize, build: impl FnOnce(Option<FixedOffset>) -> Stamp) -> Scan {
    let (offset, rest) = match zone_after(&s[n..]) {
        Ok(v) => v,
        Err(problem) => return Scan::Invalid(problem),
    };
    if !is_boundary(rest) {
        let tok = token(s);
        return Scan::Invalid(Problem::new(
            format!("has `{tok}`, which runs a time into other characters"),
            EXPECT_CLOCK,
        ));
    }
    Scan::Stamp(build(offset), strip_separator(rest).to_owned())
}

fn date_looking(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() > 5
        && b[..4].iter().all(u8::is_ascii_digit)
        && matches!(b[4], b'-' | b'/')
        && b[5].is_ascii_digit()
}

/// A numeric date at the start of `s` (`2026-05-18`, `2026/5/18`) and what
/// follows it; `None` when `s` does not start like one.
pub(crate) fn date_prefix(s: &str) -> Option<Result<(NaiveDate, &str), Problem>> {
    if !date_looking(s) {
        return None;
    }
    let bad = || {
        Some(Err(Problem::new(
            format!("has `{}`, which is not a calendar date", token(s)),
            EXPECT_DATE,
        )))
    };
    let sep = s.as_bytes()[4];
    let year = number(&s[..4]);
    let r = &s[5..];
    let m = lead_digits(r);
    let r = &r[m.len()..];
    if m.len() > 2 || r.as_bytes().first() != Some(&sep) {
        return bad();
    }
    let r = &r[1..];
    let d = lead_digits(r);
    if d.is_empty() || d.len() > 2 {
        return bad();
    }
    let r = &r[d.len()..];
    let Ok(year) = i32::try_from(year) else {
        return bad();
    };
    match NaiveDate::from_ymd_opt(year, number(m), number(d)) {
        Some(date) => Some(Ok((date, r))),
        None => bad(),
    }
}

/// `2026-05-18T14:51:00Z`, `2026-05-18 14:51 UTC`, or a date alone.
fn dated(s: &str) -> Scan {
    let (date, r) = match date_prefix(s) {
        Some(Ok(v)) => v,
        Some(Err(problem)) => return Scan::Invalid(problem),
        None => return Scan::NotTime,
    };
    let time_at = if let Some(t) = r.strip_prefix(['T', 't']) {
        if !clock_looking(t) {
            return Scan::Invalid(Problem::new(
                format!("has `{}`, which is not a full timestamp", token(s)),
                EXPECT_CLOCK,
            ));
        }
        s.len() - t.len()
    } else {
        let t = r.trim_start();
        if t.len() == r.len() || !clock_looking(t) {
            if is_boundary(r) {
                return Scan::DateOnly;
            }
            return Scan::Invalid(Problem::new(
                format!(
                    "has `{}`, which runs a date into other characters",
                    token(s)
                ),
                EXPECT_DATE,
            ));
        }
        s.len() - t.len()
    };
    let (time, n) = match clock(&s[time_at..]) {
        Ok(v) => v,
        Err(problem) => return Scan::Invalid(problem),
    };
    finish(s, time_at + n, |offset| Stamp::Full { date, time, offset })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock_of(s: &str) -> (NaiveTime, Option<i32>, String) {
        match scan(s) {
            Scan::Stamp(Stamp::Clock { time, offset }, text) => {
                (time, offset.map(|o| o.local_minus_utc() / 3600), text)
            }
            other => panic!("{s:?} gave {other:?}"),
        }
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn clock_times_take_seconds_am_pm_and_a_zone() {
        assert_eq!(clock_of("14:51 alert"), (hm(14, 51), None, "alert".into()));
        assert_eq!(
            clock_of("14:51:30 x").0,
            NaiveTime::from_hms_opt(14, 51, 30).unwrap()
        );
        assert_eq!(clock_of("2:51 pm x").0, hm(14, 51));
        assert_eq!(clock_of("12:05am x").0, hm(0, 5));
        assert_eq!(clock_of("14:51Z x"), (hm(14, 51), Some(0), "x".into()));
        assert_eq!(clock_of("14:51 UTC x"), (hm(14, 51), Some(0), "x".into()));
        assert_eq!(clock_of("14:51 PDT: x"), (hm(14, 51), Some(-7), "x".into()));
        assert_eq!(clock_of("14:51+02:00 x"), (hm(14, 51), Some(2), "x".into()));
        assert_eq!(clock_of("14:51 API down").2, "API down");
    }

    #[test]
    fn separators_and_emphasis_around_the_time_are_dropped() {
        for line in [
            "14:51 — alert",
            "14:51: alert",
            "14:51 - alert",
            "*14:51* alert",
            "**14:51** alert",
            "**14:51:** alert",
            "**14:51**: alert",
            "`14:51` alert",
            "[14:51] alert",
            "_14:51_ — alert",
        ] {
            assert_eq!(clock_of(line), (hm(14, 51), None, "alert".into()), "{line}");
        }
        assert_eq!(clock_of("14:51 -5% errors").2, "-5% errors");
    }

    #[test]
    fn relative_times_count_from_the_incident_start() {
        let rel = |s: &str| match scan(s) {
            Scan::Stamp(Stamp::Relative(d), text) => (d.num_seconds(), text),
            other => panic!("{s:?} gave {other:?}"),
        };
        assert_eq!(rel("T+0:00 alert"), (0, "alert".into()));
        assert_eq!(rel("T+1:05 x"), (3900, "x".into()));
        assert_eq!(rel("T+90m x"), (5400, "x".into()));
        assert_eq!(rel("T+2h x").0, 7200);
        assert_eq!(rel("T+1h05m x").0, 3900);
        assert_eq!(rel("T-0:10 deploy").0, -600);
        assert_eq!(rel("T+0:06: x"), (360, "x".into()));
    }

    #[test]
    fn times_that_almost_parse_are_problems_not_prose() {
        for s in [
            "25:61 x",
            "14:7x foo",
            "T+0:7x",
            "T+0:75 x",
            "14:51x",
            "24:00 x",
            "13:00 pm x",
            "T+5 x",
            "2026-02-30 x",
            "2026-05-18T14 x",
            "14:51 IST x",
        ] {
            assert!(
                matches!(scan(s), Scan::Invalid(_)),
                "{s} gave {:?}",
                scan(s)
            );
        }
        for s in [
            "Action took 90 sec.",
            "1.5s p95",
            "Watch closed at T+1:00.",
            "(see RB-021)",
        ] {
            assert_eq!(scan(s), Scan::NotTime, "{s}");
        }
    }

    #[test]
    fn full_timestamps_carry_their_date() {
        let full = |s: &str| match scan(s) {
            Scan::Stamp(Stamp::Full { date, time, offset }, text) => (
                date.to_string(),
                time,
                offset.map(|o| o.local_minus_utc()),
                text,
            ),
            other => panic!("{s:?} gave {other:?}"),
        };
        assert_eq!(
            full("2026-05-18T14:51:00Z alert"),
            ("2026-05-18".into(), hm(14, 51), Some(0), "alert".into())
        );
        assert_eq!(full("2026-05-18 14:51 UTC alert").2, Some(0));
        assert_eq!(full("2026-05-18T14:51+02:00 alert").2, Some(7200));
        assert_eq!(full("2026-05-18T14:51:00.250-0700 x").2, Some(-25200));
        assert_eq!(full("2026-05-18 14:51 x").2, None);
        assert_eq!(scan("2026-05-18 (UTC)"), Scan::DateOnly);
    }
}
