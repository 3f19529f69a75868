//! Times as people type them in the form, and the browser's clock. The core
//! has no clock (time enters as data); this module is where the form reads
//! it. Typed text becomes a [`Timestamp`] through the model's
//! [`postmortem::model::time`], the one place that reads and writes times.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};
use postmortem::model::Timestamp;
use postmortem::model::time;

pub use postmortem::model::time::{DATE_HINT, TIMESTAMP_HINT};

/// Shows a timestamp the way the form's fields read it back:
/// `2026-05-18 14:51 +00:00`, with seconds (and their fraction) only when
/// they are not zero.
pub fn format_timestamp(t: &Timestamp) -> String {
    time::format_body(*t)
}

/// Reads a timestamp: `2026-05-18 14:51 +00:00`, `2026-05-18T14:51:00Z`,
/// `2026-05-18 14:51 UTC`, `2026-05-18 14:51:30+02:00`. Without an offset
/// the time is read in `default_offset`. The error says what was expected.
pub fn parse_timestamp(text: &str, default_offset: FixedOffset) -> Result<Timestamp, String> {
    time::parse_typed_timestamp(text, default_offset)
}

/// Reads a day: `2026-05-30`.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    time::parse_typed_date(text)
}

/// The browser's clock now, in the browser's UTC offset. Only the form
/// reads the clock: for live timeline entries and the 72-hour clock.
#[cfg(target_arch = "wasm32")]
pub fn now() -> Timestamp {
    in_browser_zone(&js_sys::Date::new_0())
}

/// A JavaScript date as a timestamp in the browser's UTC offset at that
/// instant.
#[cfg(target_arch = "wasm32")]
fn in_browser_zone(date: &js_sys::Date) -> Timestamp {
    use chrono::Offset;
    // getTimezoneOffset is minutes *behind* UTC.
    let offset_seconds = -(date.get_timezone_offset() as i32) * 60;
    let offset = FixedOffset::east_opt(offset_seconds).unwrap_or_else(|| chrono::Utc.fix());
    DateTime::from_timestamp_millis(date.get_time() as i64)
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

/// `t` in the browser's time zone (its UTC offset at that instant, so a
/// daylight-saving change before then is honoured).
#[cfg(target_arch = "wasm32")]
pub fn local(t: Timestamp) -> Timestamp {
    in_browser_zone(&js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        t.timestamp_millis() as f64,
    )))
}

/// `t` in UTC outside a browser (native unit tests).
#[cfg(not(target_arch = "wasm32"))]
pub fn local(t: Timestamp) -> Timestamp {
    t.to_utc().fixed_offset()
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
    let closes = format!("{} your time", format_timestamp(&local(deadline)));
    if left > TimeDelta::zero() {
        (
            format!("{} left: the 72 hours close {closes}.", span(left),),
            if left < TimeDelta::hours(12) {
                ClockState::Soon
            } else {
                ClockState::Ok
            },
        )
    } else {
        (
            format!(
                "The 72 hours closed {} ago ({closes}): hold the postmortem now, late or not.",
                span(-left),
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
        assert!(
            s.ends_with("close 2026-05-21 14:51 +00:00 your time."),
            "{s}"
        );
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
