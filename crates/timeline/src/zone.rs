//! Timezones as incident notes name them: UTC offsets (`+02:00`, `UTC+2`,
//! `Z`) and a fixed table of abbreviations that each mean one thing.
//! Abbreviations that mean several things (IST is India, Ireland or Israel)
//! are refused instead of guessed, because a wrong guess silently moves
//! every entry of the timeline by hours.

use chrono::{FixedOffset, Offset, Utc};

/// What a timezone name turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Zone {
    /// A fixed offset from UTC.
    Known(FixedOffset),
    /// A name with several meanings: the name and what it could mean.
    Ambiguous(&'static str, &'static str),
    /// Not a timezone this crate knows.
    Unknown,
}

/// Abbreviations with one meaning, as minutes east of UTC. North American
/// readings win for CST and BST is British Summer Time: those are the
/// readings incident notes in this corpus use.
const KNOWN: &[(&str, i32)] = &[
    ("UTC", 0),
    ("GMT", 0),
    ("UT", 0),
    ("Z", 0),
    ("WET", 0),
    ("WEST", 60),
    ("BST", 60),
    ("CET", 60),
    ("CEST", 120),
    ("MET", 60),
    ("MEST", 120),
    ("EET", 120),
    ("EEST", 180),
    ("MSK", 180),
    ("NST", -210),
    ("NDT", -150),
    ("EST", -300),
    ("EDT", -240),
    ("CST", -360),
    ("CDT", -300),
    ("MST", -420),
    ("MDT", -360),
    ("PST", -480),
    ("PDT", -420),
    ("AKST", -540),
    ("AKDT", -480),
    ("HST", -600),
    ("WIB", 420),
    ("SGT", 480),
    ("HKT", 480),
    ("AWST", 480),
    ("JST", 540),
    ("KST", 540),
    ("ACST", 570),
    ("ACDT", 630),
    ("AEST", 600),
    ("AEDT", 660),
    ("NZST", 720),
    ("NZDT", 780),
];

/// Abbreviations that are refused, with what they could mean.
const AMBIGUOUS: &[(&str, &str)] = &[
    ("IST", "India (+05:30), Ireland (+01:00) or Israel (+02:00)"),
    ("AST", "Atlantic (-04:00) or Arabia (+03:00)"),
    ("GST", "Gulf (+04:00) or South Georgia (-02:00)"),
    ("SST", "Samoa (-11:00) or Singapore (+08:00)"),
    ("ECT", "Ecuador (-05:00) or Eastern Caribbean (-04:00)"),
    ("BDT", "Bangladesh (+06:00) or Brunei (+08:00)"),
    ("PT", "PST (-08:00) or PDT (-07:00)"),
    ("MT", "MST (-07:00) or MDT (-06:00)"),
    ("CT", "CST (-06:00) or CDT (-05:00)"),
    ("ET", "EST (-05:00) or EDT (-04:00)"),
];

pub(crate) fn utc() -> FixedOffset {
    Utc.fix()
}

/// Reads a whole string as a timezone: `UTC`, `Z`, `+02:00`, `UTC+2`,
/// `GMT-07:00`, `PDT`. Case does not matter.
pub(crate) fn zone(spec: &str) -> Zone {
    let s = spec.trim();
    if sign_len(s).is_some() {
        return signed(s, false).map_or(Zone::Unknown, Zone::Known);
    }
    let upper = s.to_ascii_uppercase();
    for prefix in ["UTC", "GMT"] {
        if let Some(rest) = upper.strip_prefix(prefix) {
            let rest = rest.trim_start();
            if rest.is_empty() {
                return Zone::Known(utc());
            }
            if sign_len(rest).is_some() {
                return signed(rest, true).map_or(Zone::Unknown, Zone::Known);
            }
        }
    }
    if let Some(&(_, minutes)) = KNOWN.iter().find(|(name, _)| *name == upper) {
        return FixedOffset::east_opt(minutes * 60).map_or(Zone::Unknown, Zone::Known);
    }
    if let Some(&(name, meanings)) = AMBIGUOUS.iter().find(|(name, _)| *name == upper) {
        return Zone::Ambiguous(name, meanings);
    }
    Zone::Unknown
}

/// Reads a timezone at the start of `s`, the text right after a clock time,
/// returning it and how many bytes it took. `attached` means nothing
/// separated it from the time (`14:51Z`, `14:51+02:00`). Only forms that
/// cannot be the first word of prose count when separated by a space:
/// upper-case names from the tables, `±HH:MM`/`±HHMM`, and `(UTC)`.
pub(crate) fn leading(s: &str, attached: bool) -> Option<(Zone, usize)> {
    let first = s.chars().next()?;
    if attached {
        if matches!(first, 'Z' | 'z') && is_boundary(&s[1..]) {
            return Some((Zone::Known(utc()), 1));
        }
        let sign = sign_len(s)?;
        let len = sign + offset_run(&s[sign..]);
        let offset = signed(&s[..len], false)?;
        return is_boundary(&s[len..]).then_some((Zone::Known(offset), len));
    }
    if first == '(' {
        let end = s.find(')')?;
        return match zone(&s[1..end]) {
            Zone::Unknown => None,
            z => Some((z, end + 1)),
        };
    }
    if let Some(sign) = sign_len(s) {
        let run = offset_run(&s[sign..]);
        let len = sign + run;
        // A bare `-5` after a time is far more often prose than an offset.
        let body = &s[sign..len];
        if !(body.contains(':') || body.len() == 4) || !is_boundary(&s[len..]) {
            return None;
        }
        return signed(&s[..len], false).map(|o| (Zone::Known(o), len));
    }
    let letters = s.bytes().take_while(u8::is_ascii_uppercase).count();
    if letters == 0 {
        return None;
    }
    let mut len = letters;
    if let Some(sign) = sign_len(&s[letters..]) {
        let run = offset_run(&s[letters + sign..]);
        if run > 0 {
            len = letters + sign + run;
        }
    }
    if !is_boundary(&s[len..]) {
        return None;
    }
    match zone(&s[..len]) {
        Zone::Unknown => None,
        z => Some((z, len)),
    }
}

/// The byte length of a leading `+`, `-` or `−` that is followed by a digit.
fn sign_len(s: &str) -> Option<usize> {
    let c = s.chars().next()?;
    let n = match c {
        '+' | '-' | '−' => c.len_utf8(),
        _ => return None,
    };
    s[n..]
        .starts_with(|d: char| d.is_ascii_digit())
        .then_some(n)
}

/// The digits and colons of an offset, leaving a trailing colon to be
/// the separator it is in `14:51 UTC+2: text`.
fn offset_run(s: &str) -> usize {
    let run = &s[..s
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b':')
        .count()];
    run.trim_end_matches(':').len()
}

/// Reads `±HH:MM`, `±HHMM` or `±HH`; `loose` also allows one-digit hours
/// and `±HMM` as written after `UTC` (`UTC+2`, `UTC+530`).
fn signed(s: &str, loose: bool) -> Option<FixedOffset> {
    let sign = sign_len(s)?;
    let negative = !s.starts_with('+');
    let body = &s[sign..];
    let (hours, minutes) = match body.split_once(':') {
        Some((h, m)) => {
            let short_ok = h.len() == 2 || (loose && h.len() == 1);
            if !short_ok || m.len() != 2 || !all_digits(h) || !all_digits(m) {
                return None;
            }
            (h, m)
        }
        None if !all_digits(body) => return None,
        None => match body.len() {
            4 => (&body[..2], &body[2..]),
            3 if loose => (&body[..1], &body[1..]),
            2 => (body, "00"),
            1 if loose => (body, "00"),
            _ => return None,
        },
    };
    let hours: i32 = hours.parse().ok()?;
    let minutes: i32 = minutes.parse().ok()?;
    if hours > 18 || minutes > 59 {
        return None;
    }
    let seconds = (hours * 60 + minutes) * 60;
    FixedOffset::east_opt(if negative { -seconds } else { seconds })
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a token ends here: nothing follows, or something that cannot
/// continue a word or number.
pub(crate) fn is_boundary(rest: &str) -> bool {
    rest.chars().next().is_none_or(|c| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(h: i32) -> Zone {
        Zone::Known(FixedOffset::east_opt(h * 3600).unwrap())
    }

    #[test]
    fn offsets_and_abbreviations_read_as_fixed_offsets() {
        assert_eq!(zone("UTC"), hours(0));
        assert_eq!(zone("gmt"), hours(0));
        assert_eq!(zone("Z"), hours(0));
        assert_eq!(zone("+02:00"), hours(2));
        assert_eq!(zone("-0700"), hours(-7));
        assert_eq!(zone("UTC+2"), hours(2));
        assert_eq!(zone("UTC -7"), hours(-7));
        assert_eq!(zone("PDT"), hours(-7));
        assert_eq!(zone("cest"), hours(2));
        assert_eq!(
            zone("UTC+5:30"),
            Zone::Known(FixedOffset::east_opt(5 * 3600 + 1800).unwrap())
        );
    }

    #[test]
    fn ambiguous_abbreviations_are_refused_not_guessed() {
        assert!(matches!(zone("IST"), Zone::Ambiguous("IST", _)));
        assert!(matches!(zone("PT"), Zone::Ambiguous("PT", _)));
        assert_eq!(zone("Europe/Berlin"), Zone::Unknown);
        assert_eq!(zone("+25:00"), Zone::Unknown);
    }

    #[test]
    fn only_unmistakable_zones_are_read_after_a_time() {
        assert_eq!(leading("Z alert", true), Some((hours(0), 1)));
        assert_eq!(leading("+02:00 x", true), Some((hours(2), 6)));
        assert_eq!(leading("UTC alert", false), Some((hours(0), 3)));
        assert_eq!(leading("(UTC) alert", false), Some((hours(0), 5)));
        assert_eq!(leading("UTC+2: x", false), Some((hours(2), 5)));
        assert_eq!(leading("API down", false), None);
        assert_eq!(leading("-5 pods", false), None);
        assert_eq!(leading("Zed", true), None);
    }
}
