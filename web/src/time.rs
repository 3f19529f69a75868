//! Times as people type them in the form, and the browser's clock. The core
//! has no clock (time enters as data); this module is where the form reads
//! it, and the only place that turns typed text into a [`Timestamp`].

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta};
use postmortem::model::Timestamp;

/// The form a timestamp field expects, for hints and error messages.
pub const TIMESTAMP_HINT: &str = "YYYY-MM-DD HH:MM and a UTC offset, e.g. 2026-05-18 14:51 +00:00";
/// The form a date field expects.
pub const DATE_HINT: &str = "YYYY-MM-DD, e.g. 2026-05-30";

/// Shows a timestamp the way the form's fields read it back:
/// `2026-05-18 14:51 +00:00`, with seconds only when they are not zero.
pub fn format_timestamp(t: &Timestamp) -> String {
    if t.timestamp() % 60 == 0 && t.timestamp_subsec_nanos() == 0 {
        t.format("%Y-%m-%d %H:%M %:z").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M:%S %:z").to_string()
    }
}

/// Reads a timestamp: `2026-05-18 14:51 +00:00`, `2026-05-18T14:51:00Z`,
/// `2026-05-18 14:51 UTC`, `2026-05-18 14:51:30+02:00`. Without an offset
/// the time is read in `default_offset`.
pub fn parse_timestamp(text: &str, default_offset: FixedOffset) -> Result<Timestamp, String> {
    let t = text.trim();
    let bad = || format!("{t:?} is not a time: expected {TIMESTAMP_HINT}");
    if t.is_empty() {
        return Err(bad());
    }
    if let Ok(ts) = DateTime::parse_from_rfc3339(t) {
        return Ok(ts);
    }
    // Split "date time[ zone]" with either a space or a 'T' between date
    // and time.
    let (date, rest) = match t.get(..10) {
        Some(d) if t.len() > 11 && matches!(t.as_bytes()[10], b' ' | b'T' | b't') => {
            (d, t[11..].trim())
        }
        _ => return Err(bad()),
    };
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| bad())?;
    let split = rest
        .find(|c: char| c == '+' || c == '-' || c == 'Z' || c == 'z' || c.is_whitespace())
        .unwrap_or(rest.len());
    let (clock, zone) = rest.split_at(split);
    let clock = chrono::NaiveTime::parse_from_str(clock, "%H:%M:%S")
        .or_else(|_| chrono::NaiveTime::parse_from_str(clock, "%H:%M"))
        .map_err(|_| bad())?;
    let zone = zone.trim();
    let offset = match zone {
        "" => default_offset,
        "Z" | "z" | "UTC" | "utc" | "GMT" => FixedOffset::east_opt(0).ok_or_else(bad)?,
        _ => parse_offset(zone.trim_start_matches("UTC")).ok_or_else(bad)?,
    };
    NaiveDateTime::new(date, clock)
        .and_local_timezone(offset)
        .single()
        .ok_or_else(bad)
}

fn parse_offset(z: &str) -> Option<FixedOffset> {
    let sign = match z.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let digits: String = z[1..].chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
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

/// Reads a day: `2026-05-30`.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map_err(|_| format!("{t:?} is not a date: expected {DATE_HINT}"))
}

/// The browser's clock now, in the browser's UTC offset. Only the form
/// reads the clock: for live timeline entries and the 72-hour clock.
#[cfg(target_arch = "wasm32")]
pub fn now() -> Timestamp {
    use chrono::Offset;
    let date = js_sys::Date::new_0();
    let millis = date.get_time() as i64;
    // getTimezoneOffset is minutes *behind* UTC.
    let offset_seconds = -(date.get_timezone_offset() as i32) * 60;
    let offset = FixedOffset::east_opt(offset_seconds).unwrap_or_else(|| chrono::Utc.fix());
    DateTime::from_timestamp_millis(millis)
        .unwrap_or_default()
        .with_timezone(&offset)
}

/// The clock outside a browser (native unit tests): UTC from the system.
#[cfg(not(target_arch = "wasm32"))]
pub fn now() -> Timestamp {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    DateTime::from_timestamp(since.as_secs() as i64, 0)
        .unwrap_or_default()
        .fixed_offset()
}

/// The practice's window: a postmortem is held within 72 hours.
pub const WINDOW: TimeDelta = TimeDelta::hours(72);

/// Where the 72-hour clock stands, as one sentence.
pub fn clock_sentence(
    started: Option<Timestamp>,
    held: Option<Timestamp>,
    now: Timestamp,
) -> (String, ClockState) {
    let Some(start) = started else {
        return (
            "The 72-hour clock starts at the incident's start: enter it below.".to_owned(),
            ClockState::Unknown,
        );
    };
    let deadline = start + WINDOW;
    if let Some(held) = held {
        let after = held - start;
        return if after <= WINDOW {
            (
                format!(
                    "Held {} after the incident: within the practice's 72 hours.",
                    span(after)
                ),
                ClockState::Ok,
            )
        } else {
            (
                format!(
                    "Held {} after the incident: later than the practice's 72 hours.",
                    span(after)
                ),
                ClockState::Late,
            )
        };
    }
    let left = deadline - now;
    if left > TimeDelta::zero() {
        (
            format!(
                "{} left of the 72 hours: hold the postmortem by {}.",
                span(left),
                format_timestamp(&deadline)
            ),
            if left < TimeDelta::hours(12) {
                ClockState::Soon
            } else {
                ClockState::Ok
            },
        )
    } else {
        (
            format!(
                "The 72 hours ended {} ago ({}): hold the postmortem now.",
                span(-left),
                format_timestamp(&deadline)
            ),
            ClockState::Late,
        )
    }
}

/// How urgent the 72-hour clock is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    /// No incident start yet.
    Unknown,
    /// Within the window, with time to spare.
    Ok,
    /// Less than 12 hours left.
    Soon,
    /// Past the window.
    Late,
}

impl ClockState {
    /// The CSS class for this state.
    pub fn class(self) -> &'static str {
        match self {
            ClockState::Unknown => "clock",
            ClockState::Ok => "clock clock-ok",
            ClockState::Soon => "clock clock-soon",
            ClockState::Late => "clock clock-late",
        }
    }
}

/// `2 d 5 h`, `5 h 03 min`, `12 min`.
pub fn span(d: TimeDelta) -> String {
    let minutes = d.num_minutes().max(0);
    let (days, hours, mins) = (minutes / 1440, (minutes / 60) % 24, minutes % 60);
    if days > 0 {
        format!("{days} d {hours} h")
    } else if hours > 0 {
        format!("{hours} h {mins:02} min")
    } else {
        format!("{mins} min")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    #[test]
    fn timestamps_read_the_forms_people_type() {
        let want = DateTime::parse_from_rfc3339("2026-05-18T14:51:00+00:00").unwrap();
        for text in [
            "2026-05-18 14:51 +00:00",
            "2026-05-18T14:51:00Z",
            "2026-05-18T14:51:00+00:00",
            "2026-05-18 14:51 UTC",
            "2026-05-18 14:51",
            " 2026-05-18 14:51:00 +0000 ",
        ] {
            assert_eq!(parse_timestamp(text, utc()), Ok(want), "{text}");
        }
        let two = parse_timestamp("2026-05-18 16:51 +02:00", utc()).unwrap();
        assert_eq!(two, want);
        assert_eq!(format_timestamp(&two), "2026-05-18 16:51 +02:00");
        for bad in [
            "",
            "14:51",
            "2026-05-18",
            "2026-13-18 14:51",
            "2026-05-18 25:00",
            "2026-05-18 14:51 PT",
        ] {
            assert!(parse_timestamp(bad, utc()).is_err(), "{bad}");
        }
    }

    #[test]
    fn formatted_timestamps_read_back() {
        let t = DateTime::parse_from_rfc3339("2026-05-18T14:53:30-07:00").unwrap();
        assert_eq!(format_timestamp(&t), "2026-05-18 14:53:30 -07:00");
        assert_eq!(parse_timestamp(&format_timestamp(&t), utc()), Ok(t));
    }

    #[test]
    fn the_clock_counts_72_hours_from_the_start() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
        let start = t("2026-05-18T14:51:00+00:00");
        let (s, state) = clock_sentence(Some(start), None, t("2026-05-19T14:51:00+00:00"));
        assert_eq!(state, ClockState::Ok);
        assert!(s.starts_with("2 d 0 h left"), "{s}");
        let (_, state) = clock_sentence(Some(start), None, t("2026-05-22T14:51:00+00:00"));
        assert_eq!(state, ClockState::Late);
        let (s, state) = clock_sentence(
            Some(start),
            Some(t("2026-05-19T10:00:00+00:00")),
            t("2026-06-01T00:00:00Z"),
        );
        assert_eq!(state, ClockState::Ok);
        assert!(s.contains("19 h 09 min"), "{s}");
    }
}
