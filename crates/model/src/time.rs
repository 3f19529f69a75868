//! Dates and times as the postmortem writes and reads them, by hand.
//!
//! Every crate that turns a [`Timestamp`] or a [`NaiveDate`] into text, or
//! text into one, goes through this module: the JSON form, the document,
//! the linter's messages and the browser form. It replaces chrono's
//! general-purpose format strings and parsers, which cost microseconds per
//! call on a long timeline and a large share of the browser form's
//! download, with the few fixed forms the postmortem uses:
//!
//! - RFC 3339, as [`format_rfc3339`] writes it: `2026-05-18T14:51:00+00:00`,
//!   always with seconds, with a fraction of 3, 6 or 9 digits only when it
//!   is not zero, and the offset as `+HH:MM` (the JSON form writes `Z` for
//!   UTC, as chrono's serde support did).
//! - The document's body form, [`format_body`]: `2026-05-18 14:51 +00:00`,
//!   with seconds and a fraction only when present.
//! - A time of day, [`format_time_of_day`]: `14:51` or `14:51:30.250`.
//! - A date, [`format_date`]: `2026-05-30`.
//!
//! Years outside 0 to 9999 are written as ISO 8601 does, with a sign and at
//! least four digits (`+12345-01-01`, `-0005-01-01`), and read back in that
//! form, so that every value chrono can hold survives a round trip.
//!
//! The strict parsers ([`parse_timestamp`], [`parse_time_of_day`],
//! [`parse_date`]) read what the formatters write and RFC 3339 as other
//! tools write it. The typed parsers ([`parse_typed_timestamp`],
//! [`parse_typed_date`]) read what people type in the browser form and say
//! in one sentence what was expected.
//!
//! The `serde_*` modules are for `#[serde(with = "...")]` on the model's
//! fields.

use std::fmt::Write as _;

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Timelike};

use crate::Timestamp;

/// The form a timestamp field expects, for hints and error messages.
pub const TIMESTAMP_HINT: &str = "YYYY-MM-DD HH:MM and a UTC offset, e.g. 2026-05-18 14:51 +00:00";

/// The form a date field expects, for hints and error messages.
pub const DATE_HINT: &str = "YYYY-MM-DD, e.g. 2026-05-30";

/// What the JSON form expects of a timestamp.
const RFC3339_EXPECTED: &str = "an RFC 3339 timestamp such as 2026-05-18T14:51:00+00:00";

/// What the JSON form expects of a date.
const DATE_EXPECTED: &str = "a date as YYYY-MM-DD, e.g. 2026-05-30";

const NANOS_PER_SECOND: u32 = 1_000_000_000;

// ---------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------

/// Pushes `n` as `width` zero-padded digits (`n` must fit).
fn push_digits(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (n / 10u32.pow(place)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// `2026-05-30`; a year outside 0 to 9999 gets a sign and at least four
/// digits, as in ISO 8601 and chrono's own output.
fn push_date(out: &mut String, d: NaiveDate) {
    let year = d.year();
    if (0..=9999).contains(&year) {
        push_digits(out, year.unsigned_abs(), 4);
    } else {
        let _ = write!(out, "{year:+05}");
    }
    out.push('-');
    push_digits(out, d.month(), 2);
    out.push('-');
    push_digits(out, d.day(), 2);
}

/// The seconds and nanoseconds to write: a leap second (nanoseconds past
/// one billion) is written as second 60, as chrono writes it.
fn seconds_and_nanos(t: &impl Timelike) -> (u32, u32) {
    let (s, n) = (t.second(), t.nanosecond());
    if n >= NANOS_PER_SECOND {
        (s + 1, n - NANOS_PER_SECOND)
    } else {
        (s, n)
    }
}

/// `.250`, `.250100` or `.250100007`: 3, 6 or 9 digits, as few as the
/// value needs; nothing for zero.
fn push_fraction(out: &mut String, nanos: u32) {
    if nanos == 0 {
        return;
    }
    out.push('.');
    if nanos % 1_000_000 == 0 {
        push_digits(out, nanos / 1_000_000, 3);
    } else if nanos % 1_000 == 0 {
        push_digits(out, nanos / 1_000, 6);
    } else {
        push_digits(out, nanos, 9);
    }
}

/// `14:51`, or `14:51:30` and `14:51:30.250` when there are seconds.
fn push_time(out: &mut String, t: &impl Timelike) {
    push_digits(out, t.hour(), 2);
    out.push(':');
    push_digits(out, t.minute(), 2);
    let (s, nanos) = seconds_and_nanos(t);
    if s == 0 && nanos == 0 {
        return;
    }
    out.push(':');
    push_digits(out, s, 2);
    push_fraction(out, nanos);
}

/// `+02:00`, `-05:30`, or `Z` for UTC when `zulu`. Seconds of an offset
/// round to the nearest minute, as chrono rounds them.
fn push_offset(out: &mut String, offset: FixedOffset, zulu: bool) {
    let secs = offset.local_minus_utc();
    if zulu && secs == 0 {
        out.push('Z');
        return;
    }
    out.push(if secs < 0 { '-' } else { '+' });
    let mins = (secs.unsigned_abs() + 30) / 60;
    push_digits(out, (mins / 60).min(99), 2);
    out.push(':');
    push_digits(out, mins % 60, 2);
}

fn push_rfc3339(out: &mut String, t: Timestamp, zulu: bool) {
    push_date(out, t.date_naive());
    out.push('T');
    push_digits(out, t.hour(), 2);
    out.push(':');
    push_digits(out, t.minute(), 2);
    out.push(':');
    let (s, nanos) = seconds_and_nanos(&t);
    push_digits(out, s, 2);
    push_fraction(out, nanos);
    push_offset(out, *t.offset(), zulu);
}

/// `2026-05-18T14:51:00+00:00`: RFC 3339 as the document's front matter
/// and the linter's messages write it, exactly as chrono's
/// `to_rfc3339_opts(SecondsFormat::AutoSi, false)` (and `to_rfc3339`)
/// writes it: always seconds, a fraction of 3, 6 or 9 digits only when it
/// is not zero, and the offset as `+HH:MM`, never `Z`.
pub fn format_rfc3339(t: Timestamp) -> String {
    let mut out = String::with_capacity(35);
    push_rfc3339(&mut out, t, false);
    out
}

/// RFC 3339 as the JSON form writes it: [`format_rfc3339`], but `Z` for
/// UTC, as chrono's serde support wrote it.
fn format_json(t: Timestamp) -> String {
    let mut out = String::with_capacity(35);
    push_rfc3339(&mut out, t, true);
    out
}

/// `2026-05-18 14:51 +00:00`: the document body's form, with seconds and
/// a fraction only when present (`2026-05-18 14:51:30.250 -07:00`).
pub fn format_body(t: Timestamp) -> String {
    let mut out = String::with_capacity(26);
    push_date(&mut out, t.date_naive());
    out.push(' ');
    push_time(&mut out, &t);
    out.push(' ');
    push_offset(&mut out, *t.offset(), false);
    out
}

/// The time of day alone: `14:51`, or `14:51:30` and `14:51:30.250` when
/// there are seconds.
pub fn format_time_of_day(t: impl Timelike) -> String {
    let mut out = String::with_capacity(18);
    push_time(&mut out, &t);
    out
}

/// The time of day as a clock shows it: always `HH:MM:SS`, without a
/// fraction.
pub fn format_clock(t: impl Timelike) -> String {
    let mut out = String::with_capacity(8);
    push_digits(&mut out, t.hour(), 2);
    out.push(':');
    push_digits(&mut out, t.minute(), 2);
    out.push(':');
    push_digits(&mut out, seconds_and_nanos(&t).0, 2);
    out
}

/// A date as `YYYY-MM-DD`.
pub fn format_date(d: NaiveDate) -> String {
    let mut out = String::with_capacity(10);
    push_date(&mut out, d);
    out
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

/// A number of `min..=max` ASCII digits at the start of `text` (as many as
/// there are, up to `max`), and the rest.
fn number(text: &str, min: usize, max: usize) -> Option<(u32, &str)> {
    let len = text
        .bytes()
        .take(max)
        .take_while(u8::is_ascii_digit)
        .count();
    if len < min {
        return None;
    }
    let value = text.as_bytes()[..len]
        .iter()
        .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
    Some((value, &text[len..]))
}

/// A year at the start of `text`: four digits, or a sign and at least four
/// digits (ISO 8601's expanded years, as [`format_date`] writes them).
fn year_prefix(text: &str) -> Option<(i32, &str)> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => {
            let (y, rest) = number(text, 4, 4)?;
            return Some((i32::try_from(y).ok()?, rest));
        }
    };
    let digits = &text[1..];
    let len = digits.bytes().take_while(u8::is_ascii_digit).count();
    if len < 4 {
        return None;
    }
    let year: i32 = digits[..len].parse().ok()?;
    Some((sign * year, &digits[len..]))
}

/// A date at the start of `text`: the year as [`year_prefix`] reads it,
/// then month and day of `min..=2` digits each.
fn date_prefix(text: &str, min: usize) -> Option<(NaiveDate, &str)> {
    let (y, rest) = year_prefix(text)?;
    let (m, rest) = number(rest.strip_prefix('-')?, min, 2)?;
    let (d, rest) = number(rest.strip_prefix('-')?, min, 2)?;
    Some((NaiveDate::from_ymd_opt(y, m, d)?, rest))
}

/// `HH:MM[:SS[.fraction]]` at the start of `text`, each field of
/// `min..=2` digits. Second 60 is a leap second, as in RFC 3339; digits of
/// the fraction past nanoseconds are read and dropped, as chrono drops
/// them.
fn time_prefix(text: &str, min: usize) -> Option<(NaiveTime, &str)> {
    let (h, rest) = number(text, min, 2)?;
    let (m, mut rest) = number(rest.strip_prefix(':')?, min, 2)?;
    let (mut s, mut nanos) = (0, 0);
    if let Some(r) = rest.strip_prefix(':') {
        (s, rest) = number(r, min, 2)?;
        if let Some(r) = rest.strip_prefix('.') {
            let len = r.bytes().take_while(u8::is_ascii_digit).count();
            if len == 0 {
                return None;
            }
            let (n, _) = number(r, 1, 9)?;
            let scale = 9 - u32::try_from(len.min(9)).ok()?;
            nanos = n * 10u32.pow(scale);
            rest = &r[len..];
        }
    }
    if s == 60 {
        s = 59;
        nanos += NANOS_PER_SECOND;
    }
    Some((NaiveTime::from_hms_nano_opt(h, m, s, nanos)?, rest))
}

/// `Z`, `z` or `±HH:MM`, and nothing after it.
fn strict_offset(text: &str) -> Option<FixedOffset> {
    if text == "Z" || text == "z" {
        return FixedOffset::east_opt(0);
    }
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, rest) = number(&text[1..], 2, 2)?;
    let (m, rest) = number(rest.strip_prefix(':')?, 2, 2)?;
    if !rest.is_empty() || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * i32::try_from(h * 3600 + m * 60).ok()?)
}

/// A date and time with its offset, strictly: RFC 3339
/// (`2026-05-18T14:51:00+00:00`, with `T`, `t` or a space between date and
/// time, and `Z`, `z` or `±HH:MM` for the offset) or the document body's
/// form (`2026-05-18 14:51 +00:00`, seconds optional, spaces allowed before
/// the offset). Whitespace around the text is ignored.
pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
    let (date, rest) = date_prefix(text.trim(), 2)?;
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (time, rest) = time_prefix(rest, 2)?;
    let offset = strict_offset(rest.trim_start_matches(' '))?;
    offset.from_local_datetime(&date.and_time(time)).single()
}

/// A time of day, strictly: `HH:MM[:SS[.fraction]]`, two digits each, as
/// `14:53` or `14:53:30.5`. Whitespace around the text is ignored.
pub fn parse_time_of_day(text: &str) -> Option<NaiveTime> {
    match time_prefix(text.trim(), 2)? {
        (t, "") => Some(t),
        _ => None,
    }
}

/// A date, strictly: `YYYY-MM-DD`, a real day (`2026-02-30` is not).
/// Whitespace around the text is ignored.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    match date_prefix(text.trim(), 2)? {
        (d, "") => Some(d),
        _ => None,
    }
}

/// A UTC offset as people type it: `+02:00`, `+0200`, `+02`, `-5`.
fn typed_offset(z: &str) -> Option<FixedOffset> {
    let sign = match z.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = z[1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// Reads a timestamp as people type it in the form: everything
/// [`parse_timestamp`] reads, and `2026-05-18 14:51 UTC` (or `GMT`),
/// `2026-05-18 9:05+0200`, `2026-05-18 14:51 +02`. Without an offset the
/// time is read in `default_offset`. The error says what was expected.
pub fn parse_typed_timestamp(text: &str, default_offset: FixedOffset) -> Result<Timestamp, String> {
    let t = text.trim();
    let bad = || format!("{t:?} is not a time: expected {TIMESTAMP_HINT}");
    if let Some(ts) = parse_timestamp(t) {
        return Ok(ts);
    }
    // "date time[ zone]", with a space or a 'T' between date and time.
    let (date, rest) = date_prefix(t, 2).ok_or_else(bad)?;
    let rest = rest.strip_prefix([' ', 'T', 't']).ok_or_else(bad)?.trim();
    let split = rest
        .find(|c: char| c == '+' || c == '-' || c == 'Z' || c == 'z' || c.is_whitespace())
        .unwrap_or(rest.len());
    let (clock, zone) = rest.split_at(split);
    let clock = match time_prefix(clock, 1) {
        Some((clock, "")) => clock,
        _ => return Err(bad()),
    };
    let offset = match zone.trim() {
        "" => default_offset,
        "Z" | "z" | "UTC" | "utc" | "GMT" => FixedOffset::east_opt(0).ok_or_else(bad)?,
        zone => typed_offset(zone.trim_start_matches("UTC")).ok_or_else(bad)?,
    };
    offset
        .from_local_datetime(&date.and_time(clock))
        .single()
        .ok_or_else(bad)
}

/// Reads a date as people type it in the form: `2026-05-30`, or
/// `2026-5-30`. The error says what was expected.
pub fn parse_typed_date(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    match date_prefix(t, 1) {
        Some((d, "")) => Ok(d),
        _ => Err(format!("{t:?} is not a date: expected {DATE_HINT}")),
    }
}

// ---------------------------------------------------------------------------
// serde
// ---------------------------------------------------------------------------

/// The wire forms: a timestamp as RFC 3339 text, a date as `YYYY-MM-DD`.
mod wire {
    use std::fmt;

    use chrono::NaiveDate;
    use serde::de::{self, Unexpected};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{DATE_EXPECTED, RFC3339_EXPECTED, format_date, format_json};
    use crate::Timestamp;

    pub(super) struct Stamp(pub(super) Timestamp);

    impl Serialize for Stamp {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(&format_json(self.0))
        }
    }

    impl<'de> Deserialize<'de> for Stamp {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_str(StampVisitor)
        }
    }

    struct StampVisitor;

    impl de::Visitor<'_> for StampVisitor {
        type Value = Stamp;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(RFC3339_EXPECTED)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Stamp, E> {
            super::parse_timestamp(v)
                .map(Stamp)
                .ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
        }
    }

    pub(super) struct Day(pub(super) NaiveDate);

    impl Serialize for Day {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(&format_date(self.0))
        }
    }

    impl<'de> Deserialize<'de> for Day {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_str(DayVisitor)
        }
    }

    struct DayVisitor;

    impl de::Visitor<'_> for DayVisitor {
        type Value = Day;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(DATE_EXPECTED)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Day, E> {
            super::parse_date(v)
                .map(Day)
                .ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
        }
    }
}

/// `#[serde(with = "postmortem_model::time::serde_timestamp")]` for a
/// [`Timestamp`]: RFC 3339 as chrono's serde support wrote it (`Z` for
/// UTC), read as [`parse_timestamp`] reads it.
pub mod serde_timestamp {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::wire::Stamp;
    use crate::Timestamp;

    /// Writes the timestamp as RFC 3339 text.
    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        Stamp(*t).serialize(s)
    }

    /// Reads a timestamp from RFC 3339 text.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        Stamp::deserialize(d).map(|s| s.0)
    }
}

/// `#[serde(with = "postmortem_model::time::serde_option_timestamp")]` for
/// an `Option<Timestamp>`: `null` or as [`serde_timestamp`].
pub mod serde_option_timestamp {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::wire::Stamp;
    use crate::Timestamp;

    /// Writes `null` or the timestamp as RFC 3339 text.
    pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        t.map(Stamp).serialize(s)
    }

    /// Reads `null` or a timestamp from RFC 3339 text.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        Ok(Option::<Stamp>::deserialize(d)?.map(|s| s.0))
    }
}

/// `#[serde(with = "postmortem_model::time::serde_option_date")]` for an
/// `Option<NaiveDate>`: `null` or `YYYY-MM-DD` text, read as [`parse_date`]
/// reads it.
pub mod serde_option_date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::wire::Day;

    /// Writes `null` or the date as `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        d.map(Day).serialize(s)
    }

    /// Reads `null` or a date from `YYYY-MM-DD` text.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Ok(Option::<Day>::deserialize(d)?.map(|d| d.0))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, SecondsFormat};
    use proptest::prelude::*;

    use super::*;

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    fn rfc(s: &str) -> Timestamp {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    /// The body form as chrono's format strings write it.
    fn chrono_body(t: Timestamp) -> String {
        if t.second() == 0 && t.nanosecond() == 0 {
            t.format("%Y-%m-%d %H:%M %:z").to_string()
        } else {
            t.format("%Y-%m-%d %H:%M:%S%.f %:z").to_string()
        }
    }

    /// The time of day as chrono's format strings write it.
    fn chrono_time_of_day(t: Timestamp) -> String {
        if t.second() == 0 && t.nanosecond() == 0 {
            t.format("%H:%M").to_string()
        } else {
            t.format("%H:%M:%S%.f").to_string()
        }
    }

    /// Everything this module writes of `t` agrees with chrono and reads
    /// back to `t`.
    fn check_against_chrono(t: Timestamp) {
        let rfc3339 = format_rfc3339(t);
        assert_eq!(rfc3339, t.to_rfc3339_opts(SecondsFormat::AutoSi, false));
        assert_eq!(rfc3339, t.to_rfc3339());
        assert_eq!(format_body(t), chrono_body(t));
        assert_eq!(format_time_of_day(t), chrono_time_of_day(t));
        assert_eq!(format_clock(t), t.format("%H:%M:%S").to_string());
        assert_eq!(
            format_date(t.date_naive()),
            t.format("%Y-%m-%d").to_string()
        );
        assert_eq!(format_date(t.date_naive()), t.date_naive().to_string());
        // The JSON form, as chrono's own serde support writes it.
        assert_eq!(
            serde_json::to_string(&wire::Stamp(t)).unwrap(),
            serde_json::to_string(&t).unwrap()
        );
        assert_eq!(
            serde_json::to_string(&wire::Day(t.date_naive())).unwrap(),
            serde_json::to_string(&t.date_naive()).unwrap()
        );
        // Read back, by this module and by chrono where it reads the form.
        assert_eq!(parse_timestamp(&rfc3339), Some(t), "{rfc3339}");
        assert_eq!(
            parse_timestamp(&format_body(t)),
            Some(t),
            "{}",
            format_body(t)
        );
        assert_eq!(parse_timestamp(&format_json(t)), Some(t));
        assert_eq!(
            parse_date(&format_date(t.date_naive())),
            Some(t.date_naive())
        );
        assert_eq!(parse_time_of_day(&format_time_of_day(t)), Some(t.time()));
        assert_eq!(parse_typed_timestamp(&format_body(t), utc()), Ok(t));
        let from_json: Timestamp = serde_timestamp::deserialize(
            &mut serde_json::Deserializer::from_str(&serde_json::to_string(&t).unwrap()),
        )
        .unwrap();
        assert_eq!(from_json, t);
        if (0..=9999).contains(&t.year()) {
            assert_eq!(DateTime::parse_from_rfc3339(&rfc3339), Ok(t));
        }
    }

    #[test]
    fn fixed_cases_agree_with_chrono_and_read_back() {
        for s in [
            "2026-05-18T14:51:00+00:00",
            "2026-05-18T14:51:07-05:30",
            "0999-01-01T00:00:00.5+14:00",
            "0000-01-01T00:00:00-00:01",
            "9999-12-31T23:59:59.999999999+23:59",
            "2026-12-31T23:59:59.000123+01:00",
            "2026-12-31T23:59:59.123456789-23:59",
            "2026-12-31T23:59:59.120Z",
            "2026-06-30T23:59:60+00:00",
            "2026-06-30T23:59:60.25-01:00",
        ] {
            check_against_chrono(rfc(s));
        }
        // Years chrono's RFC 3339 parser does not read, written as chrono
        // writes them.
        for (y, m, d) in [(-5, 1, 1), (12345, 6, 7), (-262_143, 1, 2)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let t = utc()
                .from_local_datetime(&date.and_hms_milli_opt(1, 2, 3, 4).unwrap())
                .unwrap();
            check_against_chrono(t);
        }
    }

    #[test]
    fn the_timestamp_strategy_spans_the_model_s_years() {
        assert_eq!(
            NaiveDate::from_num_days_from_ce_opt(364_878),
            NaiveDate::from_ymd_opt(1000, 1, 1)
        );
        assert_eq!(
            NaiveDate::from_num_days_from_ce_opt(3_652_059),
            NaiveDate::from_ymd_opt(9999, 12, 31)
        );
    }

    #[test]
    fn formats_are_the_documented_ones() {
        let t = rfc("2026-05-18T14:51:00Z");
        assert_eq!(format_rfc3339(t), "2026-05-18T14:51:00+00:00");
        assert_eq!(format_json(t), "2026-05-18T14:51:00Z");
        assert_eq!(format_body(t), "2026-05-18 14:51 +00:00");
        assert_eq!(format_time_of_day(t), "14:51");
        assert_eq!(format_clock(t), "14:51:00");
        let t = rfc("2026-05-18T14:51:30.25-07:00");
        assert_eq!(format_rfc3339(t), "2026-05-18T14:51:30.250-07:00");
        assert_eq!(format_body(t), "2026-05-18 14:51:30.250 -07:00");
        assert_eq!(format_time_of_day(t), "14:51:30.250");
        assert_eq!(format_clock(t), "14:51:30");
        assert_eq!(
            format_date(NaiveDate::from_ymd_opt(12345, 1, 1).unwrap()),
            "+12345-01-01"
        );
    }

    #[test]
    fn strict_timestamps_read_rfc3339_and_the_body_form() {
        let want = rfc("2026-05-18T14:51:00+00:00");
        for text in [
            "2026-05-18T14:51:00+00:00",
            "2026-05-18t14:51:00z",
            "2026-05-18 14:51:00Z",
            "2026-05-18T14:51Z",
            "2026-05-18 14:51 +00:00",
            " 2026-05-18 14:51:00.000 -00:00 ",
            "2026-05-18 16:51 +02:00",
        ] {
            assert_eq!(parse_timestamp(text), Some(want), "{text}");
        }
        assert_eq!(
            parse_timestamp("2026-05-18T14:51:00.1234567891Z"),
            DateTime::parse_from_rfc3339("2026-05-18T14:51:00.1234567891Z").ok()
        );
        for bad in [
            "",
            "2026-05-18",
            "2026-02-30 10:00 +00:00",
            "2026-05-18 14:51",
            "2026-05-18 14:51 UTC",
            "2026-05-18 14:51 +0000",
            "2026-05-18 14:5 +00:00",
            "2026-05-18 24:00 +00:00",
            "2026-05-18 14:51:00. +00:00",
            "2026-05-18 14:51 +24:00",
            "2026-05-18 14:51 +01:60",
            "2026-5-18 14:51 +00:00",
            "26-05-18 14:51 +00:00",
            "20260-05-18 14:51 +00:00",
            "2026-05-18 14:51 +00:00 x",
            "2026-05-18x14:51 +00:00",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn strict_times_and_dates() {
        assert_eq!(
            parse_time_of_day("14:53:30"),
            NaiveTime::from_hms_opt(14, 53, 30)
        );
        assert_eq!(
            parse_time_of_day(" 14:53:30.5 "),
            NaiveTime::from_hms_milli_opt(14, 53, 30, 500)
        );
        assert_eq!(
            parse_time_of_day("14:53"),
            NaiveTime::from_hms_opt(14, 53, 0)
        );
        for bad in ["14:5", "9:05", "14:53:", "14:53:3", "14:60", "14:53 x", ""] {
            assert_eq!(parse_time_of_day(bad), None, "{bad}");
        }
        for ok in ["2026-05-30", "0999-01-01", "2024-02-29", " 2026-05-30 "] {
            assert_eq!(
                parse_date(ok),
                NaiveDate::parse_from_str(ok.trim(), "%Y-%m-%d").ok(),
                "{ok}"
            );
            assert!(parse_date(ok).is_some(), "{ok}");
        }
        assert_eq!(parse_date("-0005-01-01"), NaiveDate::from_ymd_opt(-5, 1, 1));
        for bad in [
            "2026-02-30",
            "2025-02-29",
            "2026-13-01",
            "2026-00-01",
            "2026-05-00",
            "2026-5-30",
            "26-05-30",
            "2026-05-30x",
            "2026/05/30",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn typed_timestamps_read_the_forms_people_type() {
        let want = rfc("2026-05-18T14:51:00+00:00");
        for text in [
            "2026-05-18 14:51 +00:00",
            "2026-05-18T14:51:00Z",
            "2026-05-18T14:51:00+00:00",
            "2026-05-18 14:51 UTC",
            "2026-05-18 14:51 utc",
            "2026-05-18 14:51 GMT",
            "2026-05-18 14:51 UTC+00:00",
            "2026-05-18 14:51",
            "2026-05-18 14:51Z",
            " 2026-05-18 14:51:00 +0000 ",
            "2026-05-18 16:51 +02",
            "2026-05-18 16:51+2",
            "2026-05-18 9:51 -05",
            "2026-05-18t14:51",
        ] {
            assert_eq!(parse_typed_timestamp(text, utc()), Ok(want), "{text}");
        }
        let two = FixedOffset::east_opt(7200).unwrap();
        assert_eq!(
            parse_typed_timestamp("2026-05-18 16:51", two),
            Ok(rfc("2026-05-18T16:51:00+02:00"))
        );
        for bad in [
            "",
            "14:51",
            "2026-05-18",
            "2026-05-18T",
            "2026-13-18 14:51",
            "2026-02-30 14:51",
            "2026-05-18 25:00",
            "2026-05-18 14:51 PT",
            "2026-05-18 14:51 +15",
            "2026-05-18 14:51 +123",
            "2026-05-18 14:51 +02 00",
        ] {
            assert!(parse_typed_timestamp(bad, utc()).is_err(), "{bad}");
        }
        assert_eq!(
            parse_typed_timestamp(" yesterday ", utc()),
            Err(format!(
                "\"yesterday\" is not a time: expected {TIMESTAMP_HINT}"
            ))
        );
    }

    #[test]
    fn typed_dates_read_the_forms_people_type() {
        let want = NaiveDate::from_ymd_opt(2026, 5, 3);
        for text in ["2026-05-03", " 2026-5-3 ", "2026-05-3"] {
            assert_eq!(parse_typed_date(text).ok(), want, "{text}");
        }
        assert_eq!(
            parse_typed_date(" 2026-02-30 "),
            Err(format!(
                "\"2026-02-30\" is not a date: expected {DATE_HINT}"
            ))
        );
        assert!(parse_typed_date("26-05-03").is_err());
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Fields {
        #[serde(with = "serde_timestamp")]
        at: Timestamp,
        #[serde(default, with = "serde_option_timestamp")]
        maybe: Option<Timestamp>,
        #[serde(default, with = "serde_option_date")]
        day: Option<NaiveDate>,
        #[serde(default, with = "serde_option_date")]
        maybe_day: Option<NaiveDate>,
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct ChronoFields {
        at: Timestamp,
        maybe: Option<Timestamp>,
        day: Option<NaiveDate>,
        maybe_day: Option<NaiveDate>,
    }

    #[test]
    fn serde_helpers_write_what_chrono_wrote_and_say_what_they_expect() {
        let fields = Fields {
            at: rfc("2026-05-18T14:51:00+00:00"),
            maybe: Some(rfc("2026-05-18T14:51:00.5-07:00")),
            day: NaiveDate::from_ymd_opt(2026, 5, 30),
            maybe_day: None,
        };
        let chrono = ChronoFields {
            at: fields.at,
            maybe: fields.maybe,
            day: fields.day,
            maybe_day: fields.maybe_day,
        };
        let json = serde_json::to_string(&fields).unwrap();
        assert_eq!(json, serde_json::to_string(&chrono).unwrap());
        assert_eq!(
            json,
            r#"{"at":"2026-05-18T14:51:00Z","maybe":"2026-05-18T14:51:00.500-07:00","day":"2026-05-30","maybe_day":null}"#
        );
        assert_eq!(serde_json::from_str::<Fields>(&json).unwrap(), fields);
        let missing: Fields =
            serde_json::from_str(r#"{"at":"2026-05-18T14:51:00+00:00","day":"2026-05-30"}"#)
                .unwrap();
        assert_eq!(missing.maybe, None);
        assert_eq!(missing.maybe_day, None);

        let err = serde_json::from_str::<Fields>(r#"{"at":"2026-05-18 x","day":"2026-05-30"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(r#"invalid value: string "2026-05-18 x", expected an RFC 3339 timestamp such as 2026-05-18T14:51:00+00:00"#),
            "{err}"
        );
        let err =
            serde_json::from_str::<Fields>(r#"{"at":"2026-05-18T14:51:00Z","day":"2026-02-30"}"#)
                .unwrap_err()
                .to_string();
        assert!(
            err.contains("expected a date as YYYY-MM-DD, e.g. 2026-05-30"),
            "{err}"
        );
        let err = serde_json::from_str::<Fields>(r#"{"at":5,"day":"2026-05-30"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("invalid type: integer `5`, expected an RFC 3339"),
            "{err}"
        );
    }

    /// Any timestamp chrono can hold with an offset in whole minutes:
    /// mostly years 1000 to 9999 as the model's own strategies give, and
    /// sometimes any year, with or without a fraction or a leap second.
    fn timestamp() -> impl Strategy<Value = Timestamp> {
        let min = NaiveDate::MIN.num_days_from_ce();
        let max = NaiveDate::MAX.num_days_from_ce();
        let days = prop_oneof![
            4 => 364_878i32..=3_652_059, // 1000-01-01 ..= 9999-12-31
            1 => min..=max,
        ];
        let nanos = prop_oneof![
            4 => Just(0u32),
            1 => (0u32..1000).prop_map(|n| n * 1_000_000),
            1 => (0u32..1_000_000).prop_map(|n| n * 1_000),
            1 => 0u32..NANOS_PER_SECOND,
        ];
        let leap = prop_oneof![19 => Just(false), 1 => Just(true)];
        (days, 0u32..86_400, nanos, leap, -1439i32..=1439).prop_filter_map(
            "representable",
            |(days, secs, nanos, leap, off)| {
                let date = NaiveDate::from_num_days_from_ce_opt(days)?;
                let (secs, nanos) = if leap {
                    (secs / 60 * 60 + 59, nanos + NANOS_PER_SECOND)
                } else {
                    (secs, nanos)
                };
                let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)?;
                FixedOffset::east_opt(off * 60)?
                    .from_local_datetime(&date.and_time(time))
                    .single()
            },
        )
    }

    proptest! {
        #[test]
        fn formats_agree_with_chrono_and_read_back(t in timestamp()) {
            check_against_chrono(t);
        }

        #[test]
        fn offsets_with_seconds_round_as_chrono_rounds(
            t in timestamp(),
            off in -86_399i32..86_400,
        ) {
            let t = t.with_timezone(&FixedOffset::east_opt(off).unwrap());
            prop_assert_eq!(format_rfc3339(t), t.to_rfc3339());
            prop_assert_eq!(format_body(t), chrono_body(t));
            prop_assert_eq!(
                serde_json::to_string(&wire::Stamp(t)).unwrap(),
                serde_json::to_string(&t).unwrap()
            );
        }

        #[test]
        fn what_chrono_reads_as_rfc3339_reads_the_same(
            s in "[0-9]{4}-[01][0-9]-[0-3][0-9][Tt ][0-2][0-9]:[0-6][0-9]:[0-6][0-9](\\.[0-9]{1,12})?([Zz]|[+-][0-2][0-9]:[0-6][0-9])",
        ) {
            let chrono = DateTime::parse_from_rfc3339(&s).ok();
            prop_assert_eq!(parse_timestamp(&s), chrono);
            if let Some(t) = chrono {
                prop_assert_eq!(parse_typed_timestamp(&s, utc()), Ok(t));
            }
        }

        #[test]
        fn what_chrono_reads_as_a_date_reads_the_same(
            s in "[0-9]{4}-[01][0-9]-[0-3][0-9]",
        ) {
            let chrono = NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok();
            prop_assert_eq!(parse_date(&s), chrono);
            prop_assert_eq!(parse_typed_date(&s).ok(), chrono);
        }

        #[test]
        fn parsers_never_panic_on_any_text(s in any::<String>()) {
            let _ = parse_timestamp(&s);
            let _ = parse_time_of_day(&s);
            let _ = parse_date(&s);
            let _ = parse_typed_timestamp(&s, utc());
            let _ = parse_typed_date(&s);
        }

        #[test]
        fn parsers_never_panic_on_near_misses(
            s in "[-+0-9 :.TtZzUTCGM\u{e9}]{0,40}",
            day in "[-+0-9]{0,12}",
        ) {
            let text = format!("{day}{s}");
            for text in [&s, &text] {
                let strict = parse_timestamp(text);
                let _ = parse_time_of_day(text);
                let _ = parse_date(text);
                let typed = parse_typed_timestamp(text, utc());
                let _ = parse_typed_date(text);
                // The typed parser reads everything the strict one reads.
                if let Some(t) = strict {
                    prop_assert_eq!(typed, Ok(t));
                }
            }
        }
    }
}
