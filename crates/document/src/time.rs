//! Dates and times as the document writes them, formatted and read by hand:
//! a timeline can hold thousands of entries, and chrono's general-purpose
//! format strings cost microseconds per call that a long incident's
//! document would pay several times per line.

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Timelike};
use postmortem_model::Timestamp;

/// Pushes `n` as `width` zero-padded digits (`n` must fit), without the
/// formatting machinery, which dominates the cost of a long timeline.
fn push_digits(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (n / 10u32.pow(place)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

fn push_date(out: &mut String, d: NaiveDate) {
    if (0..=9999).contains(&d.year()) {
        push_digits(out, d.year().unsigned_abs(), 4);
        out.push('-');
        push_digits(out, d.month(), 2);
        out.push('-');
        push_digits(out, d.day(), 2);
    } else {
        let _ = write!(out, "{d}");
    }
}

/// `14:51`, or `14:51:30` and `14:51:30.250` when there are seconds.
fn push_time(out: &mut String, t: &impl Timelike) {
    push_digits(out, t.hour(), 2);
    out.push(':');
    push_digits(out, t.minute(), 2);
    let nanos = t.nanosecond();
    if t.second() == 0 && nanos == 0 {
        return;
    }
    out.push(':');
    push_digits(out, t.second(), 2);
    // Like chrono's `%.f`: 3, 6 or 9 digits, as many as needed.
    if nanos % 1_000_000 == 0 {
        if nanos != 0 {
            let _ = write!(out, ".{:03}", nanos / 1_000_000);
        }
    } else if nanos % 1_000 == 0 {
        let _ = write!(out, ".{:06}", nanos / 1_000);
    } else {
        let _ = write!(out, ".{nanos:09}");
    }
}

fn push_offset(out: &mut String, offset: FixedOffset) {
    let secs = offset.local_minus_utc();
    let sign = if secs < 0 { '-' } else { '+' };
    let mins = secs.unsigned_abs() / 60;
    out.push(sign);
    push_digits(out, (mins / 60).min(99), 2);
    out.push(':');
    push_digits(out, mins % 60, 2);
}

/// `2026-05-18 14:51 +00:00`, with seconds and fractions only when present.
pub(crate) fn body(t: Timestamp) -> String {
    let mut out = String::with_capacity(26);
    push_date(&mut out, t.date_naive());
    out.push(' ');
    push_time(&mut out, &t.time());
    out.push(' ');
    push_offset(&mut out, *t.offset());
    out
}

/// The time alone, for an entry written on the event's day and offset.
pub(crate) fn time_of_day(t: Timestamp) -> String {
    let mut out = String::with_capacity(12);
    push_time(&mut out, &t.time());
    out
}

/// `2026-05-18T14:51:00+00:00`, RFC 3339 as the front matter holds it.
pub(crate) fn rfc3339(t: Timestamp) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
}

/// A date as `YYYY-MM-DD`.
pub(crate) fn date(d: NaiveDate) -> String {
    let mut out = String::with_capacity(10);
    push_date(&mut out, d);
    out
}

fn number(text: &str, digits: usize) -> Option<(u32, &str)> {
    let head = text.get(..digits)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, &text[digits..]))
}

/// `HH:MM[:SS[.fraction]]` at the start of `text`.
fn parse_time_prefix(text: &str) -> Option<(NaiveTime, &str)> {
    let (h, rest) = number(text, 2)?;
    let (m, mut rest) = number(rest.strip_prefix(':')?, 2)?;
    let (mut s, mut nanos) = (0, 0);
    if let Some(r) = rest.strip_prefix(':') {
        (s, rest) = number(r, 2)?;
        if let Some(r) = rest.strip_prefix('.') {
            let digits = r.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 || digits > 9 {
                return None;
            }
            nanos = r[..digits].parse::<u32>().ok()? * 10u32.pow(9 - u32::try_from(digits).ok()?);
            rest = &r[digits..];
        }
    }
    Some((NaiveTime::from_hms_nano_opt(h, m, s, nanos)?, rest))
}

/// A time of day, `14:53` or `14:53:30.5`.
pub(crate) fn parse_time(text: &str) -> Option<NaiveTime> {
    match parse_time_prefix(text.trim())? {
        (t, "") => Some(t),
        _ => None,
    }
}

/// A date and time with its offset: RFC 3339 (`2026-05-18T14:51:00+00:00`,
/// `Z` allowed) or the body's `2026-05-18 14:51 +00:00`.
pub(crate) fn parse_timestamp(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    let fast = || -> Option<Timestamp> {
        let (y, rest) = number(text, 4)?;
        let (mo, rest) = number(rest.strip_prefix('-')?, 2)?;
        let (d, rest) = number(rest.strip_prefix('-')?, 2)?;
        let rest = rest.strip_prefix(['T', 't', ' '])?;
        let (time, rest) = parse_time_prefix(rest)?;
        let rest = rest.trim_start_matches(' ');
        let offset = if rest == "Z" || rest == "z" {
            0
        } else {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (oh, r) = number(&rest[1..], 2)?;
            let (om, r) = number(r.strip_prefix(':')?, 2)?;
            if !r.is_empty() || om > 59 {
                return None;
            }
            sign * i32::try_from(oh * 3600 + om * 60).ok()?
        };
        let date = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, mo, d)?;
        FixedOffset::east_opt(offset)?
            .from_local_datetime(&date.and_time(time))
            .single()
    };
    fast().or_else(|| {
        DateTime::parse_from_rfc3339(text)
            .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f %:z"))
            .ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_agree_with_chrono_and_read_back() {
        for s in [
            "2026-05-18T14:51:00+00:00",
            "2026-05-18T14:51:07-05:30",
            "0999-01-01T00:00:00.5+14:00",
            "2026-12-31T23:59:59.000123+01:00",
            "2026-12-31T23:59:59.123456789-23:59",
        ] {
            let t = DateTime::parse_from_rfc3339(s).unwrap();
            let chrono_body = if t.second() == 0 && t.nanosecond() == 0 {
                t.format("%Y-%m-%d %H:%M %:z").to_string()
            } else {
                t.format("%Y-%m-%d %H:%M:%S%.f %:z").to_string()
            };
            assert_eq!(body(t), chrono_body);
            assert_eq!(parse_timestamp(&body(t)), Some(t));
            assert_eq!(parse_timestamp(&rfc3339(t)), Some(t));
            assert_eq!(parse_timestamp(s), Some(t));
        }
        assert_eq!(
            parse_timestamp("2026-05-18T14:51:00Z").map(|t| t.offset().local_minus_utc()),
            Some(0)
        );
        assert_eq!(parse_timestamp("2026-02-30 10:00 +00:00"), None);
        assert_eq!(parse_time("14:53:30"), NaiveTime::from_hms_opt(14, 53, 30));
        assert_eq!(parse_time("14:5"), None);
    }
}
