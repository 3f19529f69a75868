//! A conversation pasted from Slack: speaker lines (`Maya Patel  2:51 PM`,
//! `PagerDuty  APP  2:51 PM`) with that person's messages on the lines
//! below, day dividers (`Today`, `Yesterday`, `Monday, May 18th`), and the
//! system lines that say someone joined or left. This module only
//! recognises those lines; the reader in [`crate::read`] places them, so
//! the day, timezone and midnight rules are the same as for notes.

use chrono::{NaiveDate, NaiveTime, Timelike};

use crate::header;
use crate::stamp::{self, Scan, Stamp};

/// A speaker line: who speaks and when their first message was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Speaker {
    /// The name as shown, normalised, with ` (bot)` after an app's name.
    pub(crate) name: String,
    pub(crate) time: NaiveTime,
    /// The time was written with am/pm, so bare times under it (`2:52`)
    /// are on the same twelve-hour clock.
    pub(crate) twelve: bool,
}

/// A line between days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Divider {
    /// `Today` (0) or `Yesterday` (-1).
    Relative(i64),
    /// `May 18th, 2026` or `2026-05-18`.
    Date(NaiveDate),
    /// `Monday, May 18th`: the year is the one that puts the day nearest
    /// the current one.
    Yearless {
        month: u32,
        day: u32,
        /// Monday is 0.
        weekday: Option<u32>,
    },
}

/// Lower-case words that may sit inside a name (`Juan de la Cruz`); any
/// other lower-case word after the first makes the line a sentence.
const PARTICLES: &[&str] = &[
    "al", "bin", "da", "das", "de", "del", "della", "der", "di", "do", "dos", "du", "el", "ibn",
    "la", "le", "ten", "ter", "van", "von", "y",
];

/// Reads `Name  2:51 PM`, `Name\t14:51`, `Name 2:51 PM`, `Name  [2:51 PM]`
/// and `App  APP  2:51 PM`. A single space between the name and the time
/// is accepted only for a time with am/pm after a name of two or more
/// capitalised words (or an app's name), so a sentence that ends with a
/// time is never taken for a speaker.
pub(crate) fn speaker(line: &str) -> Option<Speaker> {
    let line = line.trim();
    let (line, bracketed) = match line.strip_suffix(']') {
        Some(inner) => (inner, true),
        None => (line, false),
    };
    let mut start = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        let after = if bracketed { '[' } else { ' ' };
        if i > 0
            && c.is_ascii_digit()
            && (prev.is_whitespace() || prev == after)
            && stamp::clock_looking(&line[i..])
        {
            start = Some(i);
        }
        prev = c;
    }
    let start = start?;
    let tail = &line[start..];
    let Scan::Stamp(Stamp::Clock { time, offset: None }, rest) = stamp::scan(tail) else {
        return None;
    };
    if !rest.is_empty() {
        return None;
    }
    let twelve = tail.contains(|c: char| c.is_ascii_alphabetic());
    let mut head = &line[..start];
    if bracketed {
        head = head.strip_suffix('[')?;
    }
    let name = head.trim_end();
    let gap = &head[name.len()..];
    let mut wide = gap.contains('\t') || gap.chars().count() >= 2;
    let mut bot = false;
    for marker in ["APP", "BOT"] {
        if let Some(rest) = name.strip_suffix(marker) {
            if rest.ends_with(char::is_whitespace) {
                bot = true;
                wide = true;
            }
        }
    }
    let name = if bot {
        name[..name.len() - 3].trim_end()
    } else {
        name
    };
    if !is_name(name, wide || bot, twelve) {
        return None;
    }
    let mut name = postmortem_model::normalize_line(name);
    if bot {
        name.push_str(" (bot)");
    }
    Some(Speaker { name, time, twelve })
}

/// Whether `name` reads as a person's or an app's name rather than the
/// start of a sentence. `wide` says two or more spaces or a tab separated
/// it from the time, as Slack's copy does.
fn is_name(name: &str, wide: bool, twelve: bool) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty()
        || words.len() > 5
        || name.chars().count() > 60
        || !name.starts_with(char::is_alphabetic)
        || name
            .chars()
            .any(|c| c.is_control() || ":|#*`>[]<=;!?\",".contains(c))
        || ["today", "yesterday"].contains(&name.to_ascii_lowercase().as_str())
    {
        return false;
    }
    for (i, word) in words.iter().enumerate() {
        if word.bytes().all(|b| b.is_ascii_digit()) || header::day_number(word).is_some() {
            return false;
        }
        let lower = word.starts_with(char::is_lowercase);
        if i > 0 && lower && !PARTICLES.contains(word) {
            return false;
        }
        if !wide && i == 0 && lower {
            return false;
        }
    }
    wide || (twelve && words.len() >= 2)
}

/// Reads a day divider: `Today`, `Yesterday`, `Monday, May 18th`,
/// `May 18th`, `May 18th, 2026`, `2026-05-18`. Nothing else may be on the
/// line.
pub(crate) fn divider(line: &str) -> Option<Divider> {
    let line = line.trim().trim_matches(['*', '_', '-', '—', ' ']);
    match line.to_ascii_lowercase().as_str() {
        "today" => return Some(Divider::Relative(0)),
        "yesterday" => return Some(Divider::Relative(-1)),
        _ => {}
    }
    if let Some(Ok((date, rest))) = stamp::date_prefix(line) {
        return rest.trim().is_empty().then_some(Divider::Date(date));
    }
    if let Some((date, rest)) = header::word_date(line) {
        return rest.trim().is_empty().then_some(Divider::Date(date));
    }
    let (mut word, mut rest) = header::next_word(line)?;
    let weekday = header::weekday(word);
    if weekday.is_some() {
        (word, rest) = header::next_word(rest)?;
    }
    let (month, day, rest) = match header::month(word) {
        Some(month) => {
            let (day, rest) = header::next_word(rest)?;
            (month, header::day_number(day)?, rest)
        }
        None => {
            let day = header::day_number(word)?;
            let (month, rest) = header::next_word(rest)?;
            (header::month(month)?, day, rest)
        }
    };
    rest.trim().is_empty().then_some(Divider::Yearless {
        month,
        day,
        weekday,
    })
}

/// Slack's system lines for someone joining or leaving the channel
/// (`joined #inc-123.`, `has joined the channel`, `left #inc-123.`,
/// `was added to #inc-123 by Maya.`): not events of the incident.
pub(crate) fn is_join(text: &str) -> bool {
    let t = text.trim();
    [
        "joined #",
        "left #",
        "has joined",
        "has left",
        "was added to #",
        "was removed from #",
    ]
    .iter()
    .any(|p| t.starts_with(p))
        || t == "joined the channel"
        || t == "left the channel"
        || t.starts_with("joined the channel ")
}

/// Whether the time at the start of `s` names am or pm.
pub(crate) fn names_meridiem(s: &str) -> bool {
    let s = s.trim_start_matches(['[', '(', '*', '_', '`']);
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == ':'))
        .unwrap_or(s.len());
    stamp::meridiem(s[end..].trim_start_matches(' ')).is_some()
}

/// A bare twelve-hour time (`2:52` under `2:51 PM`): the reading, am or pm,
/// nearest the time before it, so `12:01` under `11:58 AM` is just after
/// noon and under `11:58 PM` just after midnight.
pub(crate) fn nearest(time: NaiveTime, before: NaiveTime) -> NaiveTime {
    let minutes = |t: NaiveTime| i64::from(t.hour() * 60 + t.minute());
    let distance = |t: NaiveTime| {
        let d = (minutes(t) - minutes(before)).rem_euclid(24 * 60);
        d.min(24 * 60 - d)
    };
    let am = time.with_hour(time.hour() % 12).unwrap_or(time);
    let pm = am.with_hour(am.hour() + 12).unwrap_or(am);
    if distance(pm) < distance(am) { pm } else { am }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn who(line: &str) -> Option<(String, NaiveTime, bool)> {
        speaker(line).map(|s| (s.name, s.time, s.twelve))
    }

    #[test]
    fn speaker_lines_name_the_person_and_the_time() {
        assert_eq!(
            who("Maya Patel  2:51 PM"),
            Some(("Maya Patel".into(), hm(14, 51), true))
        );
        assert_eq!(
            who("Maya Patel\t14:51"),
            Some(("Maya Patel".into(), hm(14, 51), false))
        );
        assert_eq!(
            who("Maya Patel 2:51 PM"),
            Some(("Maya Patel".into(), hm(14, 51), true))
        );
        assert_eq!(
            who("PagerDuty  APP  2:51 PM"),
            Some(("PagerDuty (bot)".into(), hm(14, 51), true))
        );
        assert_eq!(
            who("PagerDuty APP 2:51 PM").map(|w| w.0),
            Some("PagerDuty (bot)".into())
        );
        assert_eq!(who("Zoë Müller  9:05 AM").map(|w| w.1), Some(hm(9, 5)));
        assert_eq!(who("李伟  14:51").map(|w| w.0), Some("李伟".into()));
        assert_eq!(
            who("José García 2:51 pm").map(|w| w.0),
            Some("José García".into())
        );
        assert_eq!(
            who("Juan de la Cruz  2:51 PM").map(|w| w.0),
            Some("Juan de la Cruz".into())
        );
        assert_eq!(who("maya.k  2:51 PM").map(|w| w.0), Some("maya.k".into()));
        assert_eq!(who("Maya Patel  [2:51 PM]").map(|w| w.1), Some(hm(14, 51)));
        assert_eq!(who("Maya (she/her)  12:05 AM").map(|w| w.1), Some(hm(0, 5)));
    }

    #[test]
    fn sentences_notes_and_dates_are_not_speakers() {
        for line in [
            "2:51 PM alert fired",
            "14:51 Maya Patel",
            "Watch closed at 2:51 PM",
            "Deploy finished  14:51",
            "Rollback 2:51 PM",
            "Maya Patel 14:51",
            "maya patel 2:51 PM",
            "Severity: SEV-2  2:51 PM",
            "May 18  2:51 PM",
            "Today  2:51 PM",
            "Maya Patel  2:51 PM alert",
            "Maya Patel  25:51",
            "Maya Patel  2:51 UTC",
            "Maya Patel",
            "  2:51 PM",
            "Checked at T+0:05  2:51",
        ] {
            assert_eq!(speaker(line), None, "{line}");
        }
    }

    #[test]
    fn dividers_name_a_day_or_today_or_yesterday() {
        assert_eq!(divider("Today"), Some(Divider::Relative(0)));
        assert_eq!(divider("yesterday"), Some(Divider::Relative(-1)));
        assert_eq!(
            divider("Monday, May 18th"),
            Some(Divider::Yearless {
                month: 5,
                day: 18,
                weekday: Some(0)
            })
        );
        assert_eq!(
            divider("May 18th, 2026"),
            Some(Divider::Date(NaiveDate::from_ymd_opt(2026, 5, 18).unwrap()))
        );
        assert_eq!(
            divider("2026-05-18"),
            Some(Divider::Date(NaiveDate::from_ymd_opt(2026, 5, 18).unwrap()))
        );
        for line in ["Today we rolled back", "May 18th at noon", "Monday", "Maya"] {
            assert_eq!(divider(line), None, "{line}");
        }
    }

    #[test]
    fn joins_and_leaves_are_recognised() {
        assert!(is_join("joined #inc-123."));
        assert!(is_join("has joined the channel"));
        assert!(is_join("left #inc-123."));
        assert!(is_join("was added to #inc-123 by Maya Patel."));
        assert!(!is_join("joined the bridge call, checking DB"));
    }

    #[test]
    fn bare_times_take_the_nearest_half_of_the_day() {
        assert_eq!(nearest(hm(2, 52), hm(14, 51)), hm(14, 52));
        assert_eq!(nearest(hm(12, 1), hm(11, 58)), hm(12, 1));
        assert_eq!(nearest(hm(12, 1), hm(23, 58)), hm(0, 1));
        assert_eq!(nearest(hm(9, 5), hm(9, 1)), hm(9, 5));
        assert!(names_meridiem("2:52 AM text"));
        assert!(names_meridiem("[2:52am] text"));
        assert!(!names_meridiem("2:52 text"));
    }
}
