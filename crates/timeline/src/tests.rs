//! Behaviour of the whole import, from pasted notes to entries and errors,
//! and the property that no line is ever silently dropped.

use chrono::{DateTime, FixedOffset, NaiveDate};
use proptest::prelude::*;

use crate::read::{Disposition, is_blank, lines, read};
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

fn times(import: &Import) -> Vec<String> {
    import.entries.iter().map(|e| e.at.to_rfc3339()).collect()
}

fn texts(import: &Import) -> Vec<&str> {
    import.entries.iter().map(|e| e.text.as_str()).collect()
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

const PRACTICE: &str = r#"T+0:00 alert: queue.render.p95 >2s for 5 min (auto-paged on-call)
T+0:02 the senior dev acked. Opens runbook RB-021 (queue performance).
T+0:04 Diagnose: cold cache, not DB.
T+0:06 Mitigation per RB-021: scale up read replicas.
Action took 90 sec.
T+0:08 p95 back to <500ms. Alert clears.
T+0:09 Internal note in #engineering. PO notified.
T+0:14 PO writes client thread: "operational issue
resolved; updates if anything changes."
T+0:30 No recurrence. Watch closed at T+1:00."#;

#[test]
fn the_practice_example_reads_as_eight_entries_at_the_right_times() {
    let import = clean(PRACTICE, &started("2026-05-18T14:51:00Z"));
    assert_eq!(
        times(&import),
        [
            "2026-05-18T14:51:00+00:00",
            "2026-05-18T14:53:00+00:00",
            "2026-05-18T14:55:00+00:00",
            "2026-05-18T14:57:00+00:00",
            "2026-05-18T14:59:00+00:00",
            "2026-05-18T15:00:00+00:00",
            "2026-05-18T15:05:00+00:00",
            "2026-05-18T15:21:00+00:00",
        ]
    );
    assert_eq!(
        texts(&import),
        [
            "alert: queue.render.p95 >2s for 5 min (auto-paged on-call)",
            "the senior dev acked. Opens runbook RB-021 (queue performance).",
            "Diagnose: cold cache, not DB.",
            "Mitigation per RB-021: scale up read replicas.\nAction took 90 sec.",
            "p95 back to <500ms. Alert clears.",
            "Internal note in #engineering. PO notified.",
            "PO writes client thread: \"operational issue\nresolved; updates if anything changes.\"",
            "No recurrence. Watch closed at T+1:00.",
        ]
    );
    assert!(
        import
            .entries
            .iter()
            .all(|e| e.written_at.is_none() && e.author.is_none())
    );
}

#[test]
fn the_practice_summary_lines_are_reported_not_appended_to_the_last_entry() {
    let text = format!(
        "Timeline (from on-call's during-the-incident notes):\n{PRACTICE}\n\
         Severity: SEV-2.\nDuration: 8 minutes.\n\
         User impact: ~120 graders saw queue >2s during the\n\
         window. No incomplete grade submissions."
    );
    let import = import(&text, &started("2026-05-18T14:51:00Z"));
    assert_eq!(import.entries.len(), 8);
    assert_eq!(
        import.entries[7].text,
        "No recurrence. Watch closed at T+1:00."
    );
    assert_eq!(error_lines(&import), [12, 13, 14, 15]);
    assert!(
        import.errors[0]
            .message
            .contains("summary field `Severity`")
    );
    assert!(
        import.errors[3]
            .message
            .contains("`User impact` from line 14")
    );
    assert!(import.errors[0].expected.contains("incident summary"));
}

#[test]
fn a_blank_line_ends_an_entry_so_later_prose_is_reported() {
    let import = import(
        "T+0:00 alert fired\nstill firing\n\nsome afterthought\nT+0:05 acked",
        &started("2026-05-18T14:51:00Z"),
    );
    assert_eq!(texts(&import), ["alert fired\nstill firing", "acked"]);
    assert_eq!(error_lines(&import), [4]);
    assert!(import.errors[0].message.contains("blank line"));
}

#[test]
fn text_before_the_first_entry_is_reported() {
    let import = import(
        "Notes from the bridge\n14:51 alert",
        &started("2026-05-18T14:51:00Z"),
    );
    assert_eq!(error_lines(&import), [1]);
    assert!(import.errors[0].message.contains("before the first entry"));
    assert_eq!(import.entries.len(), 1);
}

#[test]
fn relative_times_read_minutes_hours_and_before_the_start() {
    let import = clean(
        "T-0:10 deploy 4.2 went out\nT+90m watch closed\nT+1h05m all clear\nT+0:00:30 paged",
        &started("2026-05-18T14:51:00Z"),
    );
    assert_eq!(
        times(&import),
        [
            "2026-05-18T14:41:00+00:00",
            "2026-05-18T16:21:00+00:00",
            "2026-05-18T15:56:00+00:00",
            "2026-05-18T14:51:30+00:00",
        ]
    );
}

#[test]
fn date_headers_give_the_day_and_timezone_of_the_times_under_them() {
    for (header, at) in [
        ("## 2026-05-18 (UTC)", "2026-05-18T14:51:00+00:00"),
        ("2026-05-18 UTC", "2026-05-18T14:51:00+00:00"),
        ("May 18, 2026 — all times PDT", "2026-05-18T14:51:00-07:00"),
        (
            "### 2026-05-18 (times in +02:00)",
            "2026-05-18T14:51:00+02:00",
        ),
        (
            "**Monday, 18 May 2026 (UTC+2)**",
            "2026-05-18T14:51:00+02:00",
        ),
        ("2026-05-18 GMT", "2026-05-18T14:51:00+00:00"),
        ("## 2026-05-18 (CEST)", "2026-05-18T14:51:00+02:00"),
    ] {
        let import = clean(
            &format!("{header}\n14:51 alert fired"),
            &ImportOptions::default(),
        );
        assert_eq!(times(&import), [at], "{header}");
        assert_eq!(texts(&import), ["alert fired"]);
    }
}

#[test]
fn a_timezone_line_or_a_timezone_on_the_line_sets_the_offset() {
    let import = clean(
        "All times UTC\n## 2026-05-18\n14:51 alert\n16:55 CEST rollback\n14:58 Z clear\n15:00+02:00 late note",
        &ImportOptions::default(),
    );
    assert_eq!(
        times(&import),
        [
            "2026-05-18T14:51:00+00:00",
            "2026-05-18T16:55:00+02:00",
            "2026-05-18T14:58:00+00:00",
            "2026-05-18T15:00:00+02:00",
        ]
    );
}

#[test]
fn times_after_midnight_roll_to_the_next_day() {
    let import = clean(
        "## 2026-05-18 (UTC)\n23:50 alert\n23:58 acked\n00:03 rollback\n00:10 clear\n## 2026-05-19 (UTC)\n00:20 watch closed",
        &ImportOptions::default(),
    );
    assert_eq!(
        times(&import),
        [
            "2026-05-18T23:50:00+00:00",
            "2026-05-18T23:58:00+00:00",
            "2026-05-19T00:03:00+00:00",
            "2026-05-19T00:10:00+00:00",
            "2026-05-19T00:20:00+00:00",
        ]
    );
}

#[test]
fn a_note_written_out_of_order_keeps_its_day_and_its_place() {
    let import = clean(
        "## 2026-05-18 (UTC)\n14:51 alert\n15:02 rollback\n14:40 (backfilled) deploy went out",
        &ImportOptions::default(),
    );
    assert_eq!(
        times(&import),
        [
            "2026-05-18T14:51:00+00:00",
            "2026-05-18T15:02:00+00:00",
            "2026-05-18T14:40:00+00:00",
        ]
    );
}

#[test]
fn clock_times_after_a_late_incident_start_land_on_the_next_day() {
    let import = clean(
        "23:40 deploy went out\n23:55 acked\n00:05 rolled back",
        &started("2026-05-18T23:50:00Z"),
    );
    assert_eq!(
        times(&import),
        [
            "2026-05-18T23:40:00+00:00",
            "2026-05-18T23:55:00+00:00",
            "2026-05-19T00:05:00+00:00",
        ]
    );
}

#[test]
fn the_default_date_and_offset_place_bare_clock_times() {
    let options = ImportOptions {
        date: NaiveDate::from_ymd_opt(2026, 5, 18),
        offset: FixedOffset::west_opt(7 * 3600),
        ..ImportOptions::default()
    };
    let import = clean("14:51 alert\n2:58 pm acked", &options);
    assert_eq!(
        times(&import),
        ["2026-05-18T14:51:00-07:00", "2026-05-18T14:58:00-07:00"]
    );
}

#[test]
fn full_timestamps_set_the_day_for_the_clock_times_after_them() {
    let import = clean(
        "2026-05-18T14:51:00Z alert fired\n14:53 acked\n2026-05-19 09:00 UTC follow-up call\n09:30 notes sent\n2026-05-19T11:00+02:00 EU team briefed\n11:05 done",
        &ImportOptions::default(),
    );
    assert_eq!(
        times(&import),
        [
            "2026-05-18T14:51:00+00:00",
            "2026-05-18T14:53:00+00:00",
            "2026-05-19T09:00:00+00:00",
            "2026-05-19T09:30:00+00:00",
            "2026-05-19T11:00:00+02:00",
            "2026-05-19T11:05:00+02:00",
        ]
    );
}

#[test]
fn every_bullet_form_reads_the_same_entry() {
    for line in [
        "- 14:51 alert fired",
        "* 14:51 alert fired",
        "+ 14:51 alert fired",
        "- *14:51* alert fired",
        "- **14:51** alert fired",
        "- **14:51:** alert fired",
        "- 14:51 — alert fired",
        "- 14:51 – alert fired",
        "- 14:51: alert fired",
        "- 14:51 - alert fired",
        "- `14:51` alert fired",
        "- [14:51] alert fired",
        "1. 14:51 alert fired",
        "> 14:51 alert fired",
        "### 14:51 — alert fired",
    ] {
        let import = clean(
            &format!("## 2026-05-18 (UTC)\n{line}"),
            &ImportOptions::default(),
        );
        assert_eq!(times(&import), ["2026-05-18T14:51:00+00:00"], "{line}");
        assert_eq!(texts(&import), ["alert fired"], "{line}");
    }
}

#[test]
fn a_bullet_list_from_a_chat_export_reads_with_its_sub_points() {
    let notes = "\
### 2026-05-18 (times in +02:00)
- **16:51** — PagerDuty: queue.render.p95 >2s for 5 min
- **16:53** — @maya acked, opening RB-021
  - checked DB: CPU 20%, not the DB
- **16:57** — scaled read replicas 2 → 6
- **16:59** — p95 back under 500ms, alert resolved
- **17:21** — no recurrence, closing the watch
";
    let import = clean(notes, &ImportOptions::default());
    assert_eq!(import.entries.len(), 5);
    assert_eq!(import.entries[0].at, ts("2026-05-18T14:51:00Z"));
    assert_eq!(
        import.entries[1].text,
        "@maya acked, opening RB-021\n- checked DB: CPU 20%, not the DB"
    );
    assert_eq!(import.entries[4].at, ts("2026-05-18T15:21:00Z"));
}

#[test]
fn a_published_postmortem_table_reads_times_authors_and_text() {
    let notes = "\
## Timeline

All times are in UTC.

| Time (UTC) | Who | Event |
|:-----------|-----|-------|
| 14:51 | pagerbot | Alert: `queue.render.p95` > 2s for 5 min; on-call paged |
| 14:53 | @maya | Acked. Opened RB-021 (queue performance) |
| 14:57 | maya | Scaled read replicas \\| 2 → 6 |
| | | Took 90 seconds |
| 14:59 | | p95 back below 500ms; alert cleared |
";
    let import = clean(notes, &started("2026-05-18T14:51:00Z"));
    assert_eq!(
        times(&import),
        [
            "2026-05-18T14:51:00+00:00",
            "2026-05-18T14:53:00+00:00",
            "2026-05-18T14:57:00+00:00",
            "2026-05-18T14:59:00+00:00",
        ]
    );
    let authors: Vec<_> = import.entries.iter().map(|e| e.author.as_deref()).collect();
    assert_eq!(
        authors,
        [Some("pagerbot"), Some("maya"), Some("maya"), None]
    );
    assert_eq!(
        import.entries[2].text,
        "Scaled read replicas | 2 → 6\nTook 90 seconds"
    );
    assert_eq!(
        import.entries[0].text,
        "Alert: `queue.render.p95` > 2s for 5 min; on-call paged"
    );
}

#[test]
fn a_table_header_names_date_and_time_columns_in_any_order() {
    let notes = "\
| Event | Date | Time | Author |
| --- | --- | --- | --- |
| alert fired | 2026-05-18 | 23:58 UTC | alice |
| rolled back | May 19, 2026 | 00:03 UTC | bob |
";
    let import = clean(notes, &ImportOptions::default());
    assert_eq!(
        times(&import),
        ["2026-05-18T23:58:00+00:00", "2026-05-19T00:03:00+00:00"]
    );
    assert_eq!(texts(&import), ["alert fired", "rolled back"]);
    assert_eq!(import.entries[1].author.as_deref(), Some("bob"));
}

#[test]
fn a_headerless_table_reads_a_handle_cell_as_the_author() {
    let import = clean(
        "| 14:51 | alice | alert fired |\n| 14:53 | acked by bob |\n| 14:55 | **bob** | deploy 4.2 \\| rolled back |\n| 14:56 | @maya.k | paged |\n| 14:57 | Alert | p95 > 2s |",
        &started("2026-05-18T14:51:00Z"),
    );
    let authors: Vec<_> = import.entries.iter().map(|e| e.author.as_deref()).collect();
    assert_eq!(authors, [Some("alice"), None, None, Some("maya.k"), None]);
    assert_eq!(
        texts(&import),
        [
            "alert fired",
            "acked by bob",
            "**bob** — deploy 4.2 | rolled back",
            "paged",
            "Alert — p95 > 2s"
        ]
    );
}

#[test]
fn a_table_row_without_a_time_is_reported() {
    let import = import(
        "| Time | Event |\n|---|---|\n| 14:51 | alert |\n| soon | rollback |\n| 25:00 | bad |",
        &started("2026-05-18T14:51:00Z"),
    );
    assert_eq!(import.entries.len(), 1);
    assert_eq!(error_lines(&import), [4, 5]);
    assert!(
        import.errors[0]
            .message
            .contains("`soon` where the time should be")
    );
}

#[test]
fn invalid_times_are_reported_with_their_line_and_the_expected_form() {
    let import = import(
        "## 2026-05-18 (UTC)\n14:51 alert\n25:61 x\nits details\n14:7x foo\nT+0:7x bar\n14:55 ok",
        &started("2026-05-18T14:51:00Z"),
    );
    assert_eq!(texts(&import), ["alert", "ok"]);
    assert_eq!(error_lines(&import), [3, 4, 5, 6]);
    assert!(import.errors[0].message.contains("hour is not 00 to 23"));
    assert!(import.errors[1].message.contains("continues line 3"));
    assert_eq!(import.errors[2].text, "14:7x foo");
    assert!(import.errors[3].expected.contains("T+0:05"));
}

#[test]
fn errors_read_as_one_sentence_with_the_line_and_an_example() {
    let import = import(
        "## 2026-05-18 (UTC)\n14:51 alert\n14:7x foo",
        &ImportOptions::default(),
    );
    assert_eq!(
        import.errors[0].to_string(),
        "line 3: `14:7x foo` has `14:7x`, whose minutes are not two digits: \
         expected a 24-hour time HH:MM or HH:MM:SS, then what happened (e.g. `14:51 alert fired`)"
    );
}

#[test]
fn relative_times_without_an_incident_start_are_reported() {
    let import = import("T+0:05 acked", &ImportOptions::default());
    assert!(import.entries.is_empty());
    assert!(import.errors[0].message.contains("no incident start"));
}

#[test]
fn clock_times_without_a_known_day_or_timezone_are_reported() {
    let no_day = import("14:51 alert", &ImportOptions::default());
    assert!(no_day.errors[0].message.contains("has no date"));
    let options = ImportOptions {
        date: NaiveDate::from_ymd_opt(2026, 5, 18),
        ..ImportOptions::default()
    };
    let no_zone = import("14:51 alert", &options);
    assert!(no_zone.errors[0].message.contains("has no timezone"));
}

#[test]
fn ambiguous_timezones_are_refused_and_the_times_under_them_too() {
    let import = import(
        "## 2026-05-18 (IST)\n14:51 alert\n14:52 UTC acked\n14:53 IST paged",
        &started("2026-05-18T14:51:00Z"),
    );
    assert_eq!(times(&import), ["2026-05-18T14:52:00+00:00"]);
    assert_eq!(error_lines(&import), [1, 2, 4]);
    assert!(import.errors[0].message.contains("India"));
    assert!(import.errors[1].message.contains("falls under line 1"));
    assert!(import.errors[2].message.contains("IST"));
}

#[test]
fn unknown_timezones_in_headers_are_reported() {
    let import = import(
        "May 18, 2026 (times in Europe/Berlin)\n14:51 alert",
        &started("2026-05-18T14:51:00Z"),
    );
    assert_eq!(error_lines(&import), [1, 2]);
    assert!(import.errors[0].message.contains("`Europe/Berlin`"));
}

#[test]
fn a_date_without_a_time_is_reported_not_appended() {
    let import = import(
        "14:51 alert\n2026-05-18 deploy went out",
        &started("2026-05-18T14:51:00Z"),
    );
    assert_eq!(texts(&import), ["alert"]);
    assert_eq!(error_lines(&import), [2]);
    assert!(import.errors[0].message.contains("but no time"));
}

#[test]
fn a_time_alone_takes_its_text_from_the_next_line_or_is_reported() {
    let options = started("2026-05-18T14:51:00Z");
    let import = clean("14:51\nalert fired", &options);
    assert_eq!(texts(&import), ["alert fired"]);
    let empty = crate::import("14:51\n\n14:52 acked", &options);
    assert_eq!(texts(&empty), ["acked"]);
    assert_eq!(error_lines(&empty), [1]);
}

#[test]
fn options_stamp_written_at_and_author_and_rows_name_their_own() {
    let options = ImportOptions {
        written_at: Some(ts("2026-05-18T15:30:00Z")),
        author: Some("  the   senior dev ".to_owned()),
        ..started("2026-05-18T14:51:00Z")
    };
    let import = clean("T+0:00 alert\n| 14:53 | @maya | acked |", &options);
    assert!(
        import
            .entries
            .iter()
            .all(|e| e.written_at == options.written_at)
    );
    assert_eq!(import.entries[0].author.as_deref(), Some("the senior dev"));
    assert_eq!(import.entries[1].author.as_deref(), Some("maya"));
}

#[test]
fn entry_text_is_stored_in_the_model_normal_form() {
    let import = clean(
        "T+0:00 alert \u{7}fired   \r\n   and paged  \r\n",
        &started("2026-05-18T14:51:00Z"),
    );
    assert_eq!(texts(&import), ["alert fired\nand paged"]);
}

#[test]
fn headings_and_labels_are_structure_not_entries() {
    let import = clean(
        "# Incident INC-2026-0142\n## Timeline\nTimeline:\n**2026-05-18**\nAll times UTC\n14:51 alert",
        &ImportOptions::default(),
    );
    assert_eq!(times(&import), ["2026-05-18T14:51:00+00:00"]);
}

/// Checks that every line is accounted for exactly once.
pub(crate) fn assert_accounted(text: &str, options: &ImportOptions) -> Result<(), TestCaseError> {
    let (import, dispositions) = read(text, options);
    let lines = lines(text);
    prop_assert_eq!(dispositions.len(), lines.len());
    let mut started = vec![0usize; import.entries.len()];
    for (i, (line, disposition)) in lines.iter().zip(&dispositions).enumerate() {
        let n = i + 1;
        let errors = import.errors.iter().filter(|e| e.line == n).count();
        match *disposition {
            Disposition::Blank => prop_assert!(is_blank(line)),
            Disposition::Entry(e) => {
                prop_assert!(e < started.len());
                started[e] += 1;
            }
            Disposition::Continuation(e) => prop_assert!(e < import.entries.len()),
            Disposition::Markup | Disposition::Error => {}
        }
        prop_assert_eq!(is_blank(line), *disposition == Disposition::Blank);
        prop_assert_eq!(errors, usize::from(*disposition == Disposition::Error));
    }
    prop_assert!(started.iter().all(|n| *n == 1));
    prop_assert!(
        import
            .errors
            .iter()
            .all(|e| e.line >= 1 && e.line <= lines.len())
    );
    for entry in &import.entries {
        prop_assert!(!entry.text.is_empty());
        prop_assert_eq!(&postmortem_model::normalize_prose(&entry.text), &entry.text);
        let _ = import.errors.iter().map(ToString::to_string).count();
    }
    Ok(())
}

pub(crate) fn option_sets() -> [ImportOptions; 2] {
    [
        ImportOptions::default(),
        ImportOptions {
            incident_start: Some(ts("2026-05-18T23:50:00-07:00")),
            date: NaiveDate::from_ymd_opt(2026, 5, 18),
            offset: FixedOffset::east_opt(3600),
            written_at: None,
            author: Some("on-call".to_owned()),
        },
    ]
}

/// Lines made of the pieces the reader reacts to, so random input reaches
/// its branches instead of being prose every time.
fn notes() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("T+".to_owned()),
        Just("T-".to_owned()),
        Just("14:51".to_owned()),
        Just("23:58".to_owned()),
        Just("00:03".to_owned()),
        Just("2026-05-18".to_owned()),
        Just("May 18, 2026".to_owned()),
        Just("| Time (UTC) | Who | Event |".to_owned()),
        Just("|---|---|".to_owned()),
        Just("Severity: SEV-2".to_owned()),
        Just("## ".to_owned()),
        Just("- **".to_owned()),
        "[0-9:T+ZUTCIS|*_\\-()#\\[\\]\\\\.apm ]{0,8}",
        "[ -~]{0,12}",
        any::<String>(),
    ];
    lines_of(piece, 5, 12)
}

/// Fewer than `lines` lines, each fewer than `per_line` pieces joined.
pub(crate) fn lines_of(
    piece: impl Strategy<Value = String>,
    per_line: usize,
    lines: usize,
) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::collection::vec(piece, 0..per_line).prop_map(|pieces| pieces.concat()),
        0..lines,
    )
    .prop_map(|lines| lines.join("\n"))
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics_and_every_line_is_accounted_for(text in any::<String>()) {
        for options in option_sets() {
            assert_accounted(&text, &options)?;
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_every_line_is_accounted_for(
        bytes in prop::collection::vec(any::<u8>(), 0..400)
    ) {
        let text = String::from_utf8_lossy(&bytes);
        for options in option_sets() {
            assert_accounted(&text, &options)?;
        }
    }

    #[test]
    fn note_shaped_text_never_panics_and_every_line_is_accounted_for(text in notes()) {
        for options in option_sets() {
            assert_accounted(&text, &options)?;
        }
    }
}
