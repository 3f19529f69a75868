//! A Slack conversation from an incident channel, pasted from the window
//! (`fixtures/slack-paste.txt`). The incident is the practice's: the alert
//! at 23:48 PDT on 2026-05-18, closed after midnight.

use chrono::{DateTime, FixedOffset, NaiveDate};
use postmortem_timeline::{Import, ImportOptions, import};

const PASTE: &str = include_str!("fixtures/slack-paste.txt");

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
