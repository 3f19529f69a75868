//! A chat pasted from Slack and Slack's export, through [`crate::import`]:
//! how messages, speakers, days and bad lines come out, and the property
//! that neither reader panics or drops a line on any input.

use chrono::{DateTime, FixedOffset, NaiveDate};
use proptest::prelude::*;

use crate::tests::{assert_accounted, lines_of, option_sets};
use crate::{Import, ImportOptions, import};

fn ts(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn started(s: &str) -> ImportOptions {
    ImportOptions {
        incident_start: Some(ts(s)),
        ..ImportOptions::default()
    }
}

fn rows(import: &Import) -> Vec<(String, &str, &str)> {
    import
        .entries
        .iter()
        .map(|e| {
            (
                e.at.to_rfc3339(),
                e.author.as_deref().unwrap_or("-"),
                e.text.as_str(),
            )
        })
        .collect()
}

fn error_lines(import: &Import) -> Vec<usize> {
    import.errors.iter().map(|e| e.line).collect()
}

fn clean(text: &str, options: &ImportOptions) -> Import {
    let import = import(text, options);
    assert!(
        import.errors.is_empty(),
        "unexpected errors: {:#?}",
        import.errors
    );
    import
}

#[test]
fn a_blank_line_or_a_bare_time_starts_a_new_message_from_the_same_speaker() {
    let import = clean(
        "Maya Patel  2:51 PM\nalert fired\nstill firing\n\nopening RB-021\n2:53 checked DB\n\nnot the DB",
        &started("2026-05-18T14:51:00Z"),
    );
    assert_eq!(
        rows(&import),
        [
            (
                "2026-05-18T14:51:00+00:00".into(),
                "Maya Patel",
                "alert fired\nstill firing"
            ),
            (
                "2026-05-18T14:51:00+00:00".into(),
                "Maya Patel",
                "opening RB-021"
            ),
            (
                "2026-05-18T14:53:00+00:00".into(),
                "Maya Patel",
                "checked DB"
            ),
            (
                "2026-05-18T14:53:00+00:00".into(),
                "Maya Patel",
                "not the DB"
            ),
        ]
    );
}

#[test]
fn chat_messages_are_written_when_sent_and_notes_keep_the_options_stamp() {
    let options = ImportOptions {
        written_at: Some(ts("2026-05-18T16:00:00Z")),
        author: Some("on-call".to_owned()),
        ..started("2026-05-18T14:51:00Z")
    };
    let import = clean(
        "14:50 deploy 4.2 went out\n\nMaya Patel  14:51\nalert fired",
        &options,
    );
    assert_eq!(import.entries[0].written_at, options.written_at);
    assert_eq!(import.entries[0].author.as_deref(), Some("on-call"));
    assert_eq!(
        import.entries[1].written_at,
        Some(ts("2026-05-18T14:51:00Z"))
    );
    assert_eq!(import.entries[1].author.as_deref(), Some("Maya Patel"));
}

#[test]
fn a_time_first_line_stays_a_note_and_a_heading_ends_the_chat() {
    let import = clean(
        "2:51 PM alert fired\nMaya Patel  2:52 PM\nacked\n## Later notes\n3:10 PM all clear",
        &started("2026-05-18T14:51:00Z"),
    );
    assert_eq!(
        rows(&import),
        [
            ("2026-05-18T14:51:00+00:00".into(), "-", "alert fired"),
            ("2026-05-18T14:52:00+00:00".into(), "Maya Patel", "acked"),
            ("2026-05-18T15:10:00+00:00".into(), "-", "all clear"),
        ]
    );
}

#[test]
fn lines_under_a_speaker_are_messages_even_when_they_look_like_notes() {
    let import = clean(
        "Maya Patel  2:51 PM\nSeverity: SEV-2 declared\nAll times UTC\nT+0:05 is when we acked\n2026-05-18 was a Monday",
        &started("2026-05-18T14:51:00Z"),
    );
    assert_eq!(
        rows(&import),
        [(
            "2026-05-18T14:51:00+00:00".into(),
            "Maya Patel",
            "Severity: SEV-2 declared\nAll times UTC\nT+0:05 is when we acked\n2026-05-18 was a Monday"
        )]
    );
}

#[test]
fn twenty_four_hour_speakers_and_bare_times_after_noon_and_midnight() {
    let import = clean(
        "José García\t23:58\nrolling back\n00:01 done\nZoë Müller  11:58 AM\nlunch\n12:01 back",
        &started("2026-05-18T23:50:00Z"),
    );
    assert_eq!(
        rows(&import),
        [
            (
                "2026-05-18T23:58:00+00:00".into(),
                "José García",
                "rolling back"
            ),
            ("2026-05-19T00:01:00+00:00".into(), "José García", "done"),
            ("2026-05-19T11:58:00+00:00".into(), "Zoë Müller", "lunch"),
            ("2026-05-19T12:01:00+00:00".into(), "Zoë Müller", "back"),
        ]
    );
}

#[test]
fn a_dated_divider_without_a_year_takes_the_year_of_the_incident() {
    let import = clean(
        "Monday, May 18th\nMaya Patel  11:58 PM\nalert\nTuesday, May 19th\nMaya Patel  12:03 AM\nrolled back",
        &started("2026-05-18T23:50:00-07:00"),
    );
    assert_eq!(
        rows(&import),
        [
            ("2026-05-18T23:58:00-07:00".into(), "Maya Patel", "alert"),
            (
                "2026-05-19T00:03:00-07:00".into(),
                "Maya Patel",
                "rolled back"
            ),
        ]
    );
    let year = clean(
        "May 18th, 2026\nMaya Patel  2:51 PM\nalert",
        &ImportOptions {
            offset: FixedOffset::east_opt(0),
            ..ImportOptions::default()
        },
    );
    assert_eq!(year.entries[0].at, ts("2026-05-18T14:51:00Z"));
}

#[test]
fn a_divider_whose_day_cannot_be_known_is_reported_with_the_times_under_it() {
    let options = started("2026-05-18T14:51:00Z");
    let wrong_weekday = import(
        "Tuesday, May 18th\nMaya Patel  2:51 PM\nalert\nstill firing",
        &options,
    );
    assert!(wrong_weekday.entries.is_empty());
    assert_eq!(error_lines(&wrong_weekday), [1, 2, 3, 4]);
    assert!(
        wrong_weekday.errors[0]
            .message
            .contains("names Tuesday, but 2026-05-18 is a Monday"),
        "{}",
        wrong_weekday.errors[0].message
    );
    assert!(
        wrong_weekday.errors[1]
            .message
            .contains("falls under line 1")
    );
    assert!(wrong_weekday.errors[2].message.contains("continues line 2"));

    let today = import(
        "Monday, May 18th\nMaya Patel  2:51 PM\nalert\nToday\nMaya Patel  9:00 AM\nretro booked\n## 2026-05-21 (UTC)\n09:30 notes sent",
        &options,
    );
    assert_eq!(today.entries.len(), 2);
    assert_eq!(today.entries[1].at, ts("2026-05-21T09:30:00Z"));
    assert_eq!(error_lines(&today), [4, 5, 6]);
    assert!(today.errors[0].message.contains("comes after line 1"));
    assert!(today.errors[0].expected.contains("with its year"));

    let no_year = import(
        "Monday, May 18th\nMaya Patel  2:51 PM\nalert",
        &ImportOptions::default(),
    );
    assert_eq!(error_lines(&no_year), [1, 2, 3]);
    assert!(no_year.errors[0].message.contains("has no year"));
}

#[test]
fn a_speaker_line_without_a_known_day_or_timezone_is_reported_with_its_messages() {
    let import = import(
        "Maya Patel  2:51 PM\nalert fired\n\nopening RB-021",
        &ImportOptions::default(),
    );
    assert!(import.entries.is_empty());
    assert_eq!(error_lines(&import), [1, 2, 4]);
    assert!(import.errors[0].message.contains("has no date"));
    assert!(import.errors[1].message.contains("continues line 1"));
    assert!(
        import.errors[2]
            .message
            .contains("message under line 1, whose time could not be read")
    );
}

#[test]
fn a_speaker_line_needs_a_message_under_it() {
    let import = import(
        "14:50 deploy\nMaya Patel  2:51 PM",
        &started("2026-05-18T14:51:00Z"),
    );
    assert_eq!(import.entries[0].text, "deploy\nMaya Patel  2:51 PM");
}

#[test]
fn joins_and_leaves_are_skipped_even_after_a_bare_time() {
    let import = clean(
        "Maya Patel  2:51 PM\njoined #inc-123.\nacked\n2:53 left #inc-123.\nRavi Kumar  2:54 PM\nhas joined the channel\nwas added to #inc-123 by Maya Patel.",
        &started("2026-05-18T14:51:00Z"),
    );
    assert_eq!(
        rows(&import),
        [("2026-05-18T14:51:00+00:00".into(), "Maya Patel", "acked")]
    );
}

/// Lines made of what a Slack paste holds, so random input reaches the
/// chat reader's branches.
fn chat() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Maya Patel  2:51 PM".to_owned()),
        Just("PagerDuty  APP  11:59 PM".to_owned()),
        Just("李伟\t00:03".to_owned()),
        Just("2:52".to_owned()),
        Just("12:01 ".to_owned()),
        Just("Today".to_owned()),
        Just("Yesterday".to_owned()),
        Just("Monday, May 18th".to_owned()),
        Just("Friday, February 30th".to_owned()),
        Just("May 18th, 2026".to_owned()),
        Just("joined #inc-1.".to_owned()),
        Just("## ".to_owned()),
        Just("| 14:51 | x |".to_owned()),
        "[0-9:APMaptT+ ]{0,8}",
        "[ -~]{0,12}",
        any::<String>(),
    ];
    lines_of(piece, 4, 14)
}

/// Text shaped like Slack's export, often broken.
fn export() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        Just("\"1779173280.000100\"".to_owned()),
        Just("\"99999999999999.9\"".to_owned()),
        Just("\"x\"".to_owned()),
        Just("null".to_owned()),
        Just("3".to_owned()),
        Just("{\"real_name\": \"Zoë\"}".to_owned()),
        Just("\"<@U1> &lt; <http://a|b> <!here> <\"".to_owned()),
        any::<String>().prop_map(|s| format!("{s:?}")),
    ];
    let key = prop_oneof![
        Just("type"),
        Just("subtype"),
        Just("user"),
        Just("text"),
        Just("ts"),
        Just("bot_id"),
        Just("username"),
        Just("user_profile"),
        Just("bot_profile"),
    ];
    let message = prop::collection::vec((key, value), 0..6).prop_map(|fields| {
        let fields: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("\"{k}\": {v}"))
            .collect();
        format!("{{{}}}", fields.join(",\n "))
    });
    (prop::collection::vec(message, 0..5), "[ -~\n]{0,3}")
        .prop_map(|(messages, tail)| format!("[\n{}\n]{tail}", messages.join(",\n")))
}

proptest! {
    #[test]
    fn chat_shaped_text_never_panics_and_every_line_is_accounted_for(text in chat()) {
        for options in option_sets() {
            assert_accounted(&text, &options)?;
        }
    }

    #[test]
    fn export_shaped_text_never_panics_and_errors_name_a_line_of_it(text in export()) {
        for options in option_sets() {
            let import = import(&text, &options);
            let lines = text.split('\n').count();
            prop_assert!(import.errors.iter().all(|e| (1..=lines).contains(&e.line)));
            for entry in &import.entries {
                prop_assert_eq!(entry.written_at, Some(entry.at));
                prop_assert!(!entry.text.is_empty());
            }
            let _ = import.errors.iter().map(ToString::to_string).count();
        }
    }

    #[test]
    fn arbitrary_text_through_import_never_panics(text in any::<String>()) {
        for options in option_sets() {
            let import = import(&text, &options);
            let lines = text.split('\n').count();
            prop_assert!(import.errors.iter().all(|e| (1..=lines).contains(&e.line)));
        }
    }
}

#[test]
fn the_default_date_places_a_paste_with_no_incident_start() {
    let options = ImportOptions {
        date: NaiveDate::from_ymd_opt(2026, 5, 18),
        offset: FixedOffset::east_opt(2 * 3600),
        ..ImportOptions::default()
    };
    let import = clean("Maya Patel  2:51 PM\nalert", &options);
    assert_eq!(import.entries[0].at, ts("2026-05-18T14:51:00+02:00"));
}
