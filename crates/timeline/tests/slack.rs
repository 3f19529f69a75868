//! A Slack conversation from an incident channel, read both ways it leaves
//! Slack: pasted from the window (`fixtures/slack-paste.txt`) and from the
//! workspace export (`fixtures/slack-export.json`). The incident is the
//! practice's: the alert at 23:48 PDT on 2026-05-18, closed after midnight.

use chrono::{DateTime, FixedOffset, NaiveDate, Timelike};
use postmortem_timeline::{Import, ImportOptions, import};

const PASTE: &str = include_str!("fixtures/slack-paste.txt");
const EXPORT: &str = include_str!("fixtures/slack-export.json");

fn ts(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
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

fn times(import: &Import) -> Vec<String> {
    import.entries.iter().map(|e| e.at.to_rfc3339()).collect()
}

fn authors(import: &Import) -> Vec<&str> {
    import
        .entries
        .iter()
        .map(|e| e.author.as_deref().unwrap_or("-"))
        .collect()
}

fn texts(import: &Import) -> Vec<&str> {
    import.entries.iter().map(|e| e.text.as_str()).collect()
}

const PEOPLE: [&str; 10] = [
    "PagerDuty (bot)",
    "Maya Patel",
    "Maya Patel",
    "Zoë Müller",
    "Maya Patel",
    "李伟",
    "Maya Patel",
    "Maya Patel",
    "PagerDuty (bot)",
    "Zoë Müller",
];

fn pdt() -> ImportOptions {
    ImportOptions {
        incident_start: Some(ts("2026-05-18T23:48:00-07:00")),
        // Chat messages carry their own written-at; this is for notes.
        written_at: Some(ts("2026-05-20T10:00:00-07:00")),
        author: Some("on-call".to_owned()),
        ..ImportOptions::default()
    }
}

#[test]
fn a_pasted_conversation_reads_one_entry_per_message_with_its_speaker_and_time() {
    let import = clean(PASTE, &pdt());
    assert_eq!(
        times(&import),
        [
            "2026-05-18T23:48:00-07:00",
            "2026-05-18T23:50:00-07:00",
            "2026-05-18T23:52:00-07:00",
            "2026-05-18T23:55:00-07:00",
            "2026-05-18T23:56:00-07:00",
            "2026-05-19T00:01:00-07:00",
            "2026-05-19T00:03:00-07:00",
            "2026-05-19T00:04:00-07:00",
            "2026-05-19T00:04:00-07:00",
            "2026-05-19T00:35:00-07:00",
        ]
    );
    assert_eq!(authors(&import), PEOPLE);
    assert_eq!(
        texts(&import),
        [
            ":rotating_light: Triggered #4521: queue.render.p95 > 2s for 5 min",
            "acked, opening RB-021",
            "checked DB: CPU 20%, not the DB\ncache hit rate dropped to 12% after the 23:30 deploy",
            "I can scale the read replicas, say the word",
            "go: 2 → 6",
            "replicas up (took 90 sec)",
            "p95 back under 500ms, alert resolved",
            "watching for 30 min before closing",
            "Resolved #4521: queue.render.p95",
            "no recurrence, closing the watch",
        ]
    );
    // A message is written when it is sent.
    for entry in &import.entries {
        assert_eq!(entry.written_at, Some(entry.at), "{}", entry.text);
    }
}

#[test]
fn the_paste_reads_the_same_under_a_timezone_header_and_a_default_date() {
    let options = ImportOptions {
        date: NaiveDate::from_ymd_opt(2026, 5, 18),
        ..ImportOptions::default()
    };
    let with_header = clean(&format!("All times PDT\n{PASTE}"), &options);
    assert_eq!(times(&with_header), times(&clean(PASTE, &pdt())));
    let offset = ImportOptions {
        offset: FixedOffset::west_opt(7 * 3600),
        ..options
    };
    assert_eq!(times(&clean(PASTE, &offset)), times(&with_header));
}

#[test]
fn an_export_reads_one_entry_per_message_at_its_exact_ts() {
    let import = clean(EXPORT, &pdt());
    assert_eq!(
        times(&import),
        [
            "2026-05-19T06:48:00.000100+00:00",
            "2026-05-19T06:50:30.000300+00:00",
            "2026-05-19T06:52:10.000400+00:00",
            "2026-05-19T06:55:20.000600+00:00",
            "2026-05-19T06:56:05.000700+00:00",
            "2026-05-19T07:01:45.000800+00:00",
            "2026-05-19T07:03:00.000900+00:00",
            "2026-05-19T07:04:02+00:00",
            "2026-05-19T07:35:00.000001+00:00",
        ]
    );
    assert_eq!(
        authors(&import),
        [
            "PagerDuty (bot)",
            "Maya Patel",
            "Maya Patel",
            "Zoë Müller",
            "Maya Patel",
            "李伟",
            "Maya Patel",
            "PagerDuty (bot)",
            "Zoë Müller",
        ]
    );
    assert_eq!(
        texts(&import),
        [
            ":rotating_light: Triggered #4521: queue.render.p95 > 2s for 5 min",
            "acked, opening RB-021 (https://wiki.example/rb-021)",
            "checked DB: CPU 20%, not the DB\ncache hit rate dropped to 12% after the 23:30 deploy",
            "@Maya Patel I can scale the read replicas, say the word",
            "go: 2 → 6",
            "replicas up (took 90 sec)",
            "p95 back under 500ms, alert resolved",
            "Resolved #4521: queue.render.p95",
            "no recurrence, closing the watch",
        ]
    );
    for entry in &import.entries {
        assert_eq!(entry.written_at, Some(entry.at), "{}", entry.text);
    }
}

#[test]
fn the_paste_and_the_export_agree_on_who_and_which_minute() {
    let paste = clean(PASTE, &pdt());
    let export = clean(EXPORT, &ImportOptions::default());
    // The paste shows the continued message `12:04 watching …` that the
    // export splits the same way; the export has no message for it, so
    // compare without it.
    let minutes = |i: &Import, skip: Option<usize>| -> Vec<(String, String)> {
        i.entries
            .iter()
            .enumerate()
            .filter(|(n, _)| Some(*n) != skip)
            .map(|(_, e)| {
                let minute = e.at.naive_utc().with_second(0).unwrap();
                let minute = minute.with_nanosecond(0).unwrap().to_string();
                (minute, e.author.clone().unwrap_or_default())
            })
            .collect()
    };
    assert_eq!(minutes(&paste, Some(7)), minutes(&export, None));
}

#[test]
fn export_messages_that_cannot_be_read_are_reported_at_their_line_and_the_rest_kept() {
    let text = r#"[
  {"type": "message", "user": "U1", "text": "alert fired", "ts": "1779173280.000100",
   "user_profile": {"real_name": "Maya Patel"}},
  {"type": "message", "user": "U1", "text": "no time"},
  {"type": "message", "user": "U1", "ts": "1779173300.000000"},
  {"type": "message", "user": "U1", "text": "bad", "ts": "yesterday"},
  {"type": "message", "subtype": "channel_join", "user": "U2", "text": "<@U2> has joined the channel"},
  {"type": "message", "user": "U1", "text": "rolled back", "ts": "1779173400"}
]"#;
    let import = import(text, &ImportOptions::default());
    assert_eq!(texts(&import), ["alert fired", "rolled back"]);
    assert_eq!(authors(&import), ["Maya Patel", "Maya Patel"]);
    let lines: Vec<_> = import.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [4, 5, 6]);
    assert_eq!(
        import.errors[0].to_string().split(": expected").next(),
        Some(
            "line 4: `{\"type\": \"message\", \"user\": \"U1\", \"text\": \"no time\"},` starts message 2, which has no `ts`, so when it was sent is unknown"
        )
    );
    assert!(import.errors[1].message.contains("no `text`"));
    assert!(import.errors[2].message.contains("`yesterday`"));
    assert!(import.errors[2].expected.contains("1747579860.000200"));
}

#[test]
fn invalid_json_is_one_error_at_the_line_serde_json_names() {
    let bad = import(
        "[\n  {\"type\": \"message\", \"ts\": \"1\", \"text\": \"a\"},\n  {\"type\": \"message\" \"ts\": \"2\"}\n]",
        &ImportOptions::default(),
    );
    assert!(bad.entries.is_empty());
    assert_eq!(bad.errors.len(), 1);
    assert_eq!(bad.errors[0].line, 3);
    assert!(
        bad.errors[0].message.starts_with("is not Slack's export"),
        "{}",
        bad.errors[0].message
    );
    let wrong = import(
        "[{\"ts\": \"1\", \"text\": \"a\"},\n 2]",
        &ImportOptions::default(),
    );
    assert_eq!(wrong.errors[0].line, 2);
    assert_eq!(
        wrong.errors[0].to_string().split(": expected Slack").next(),
        Some(
            "line 2: `2]` is not Slack's export: column 2: invalid type: integer `2`, expected struct Message"
        )
    );
}

#[test]
fn one_message_object_is_an_export_too() {
    let import = clean(
        r#"{"type": "message", "user": "U1", "text": "alert fired", "ts": "1779173280.5"}"#,
        &ImportOptions::default(),
    );
    assert_eq!(times(&import), ["2026-05-19T06:48:00.500+00:00"]);
    assert_eq!(authors(&import), ["U1"]);
}
