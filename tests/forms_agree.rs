//! A postmortem is judged the same whichever form it arrives in: the
//! Markdown document and the JSON form give the same findings (the
//! document adds lines), and a timeline written as the on-call's notes
//! imports back to the entries it came from.

use std::fs;
use std::path::Path;

use chrono::{DateTime, FixedOffset, TimeDelta};
use postmortem::check::{Form, check};
use postmortem::document::render;
use postmortem::model::{TimelineEntry, from_json, normalize_prose};
use postmortem::timeline::{ImportOptions, import};
use proptest::prelude::*;

#[test]
fn document_and_json_forms_give_the_same_findings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/anti-patterns");
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let json = fs::read_to_string(&path).unwrap();
        let Ok(pm) = from_json(&json) else { continue };
        let from_json_form = check(Form::Json, &json).unwrap();
        let from_document = check(Form::Document, &render(&pm)).unwrap();
        let codes = |fs: &[postmortem::lint::Finding]| {
            fs.iter()
                .map(|f| (f.code, f.field.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes(from_json_form.findings()),
            codes(from_document.findings()),
            "{}",
            path.display()
        );
        assert!(from_document.findings().iter().all(|f| f.line.is_some()));
    }
}

fn start() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-05-18T23:40:00+02:00").unwrap()
}

proptest! {
    /// Notes written as `HH:MM text` lines under a dated header import back
    /// to the same times and texts, across midnight.
    #[test]
    fn notes_written_as_clock_lines_import_back(
        steps in prop::collection::vec((1i64..90, "[A-Za-z0-9 ,.;()%<>=-]{0,40}"), 1..30)
    ) {
        let mut at = start();
        let mut entries = Vec::new();
        let mut notes = format!("## {} (+02:00)\n", at.format("%Y-%m-%d"));
        let mut day = at.date_naive();
        for (minutes, text) in &steps {
            at += TimeDelta::minutes(*minutes);
            if at.date_naive() != day {
                // A new dated header keeps every gap unambiguous.
                day = at.date_naive();
                notes.push_str(&format!("## {} (+02:00)\n", day.format("%Y-%m-%d")));
            }
            // Notes start with a word; a leading `Z` or `PDT` would rightly
            // be read as the time's zone.
            let text = normalize_prose(&format!("note {text}"));
            prop_assume!(!text.is_empty());
            notes.push_str(&format!("{} {text}\n", at.format("%H:%M")));
            entries.push((at, text));
        }
        let imported = import(&notes, &ImportOptions::default());
        prop_assert!(imported.errors.is_empty(), "{:?}\n{notes}", imported.errors);
        let got: Vec<(DateTime<FixedOffset>, String)> = imported
            .entries
            .iter()
            .map(|e: &TimelineEntry| (e.at, e.text.clone()))
            .collect();
        prop_assert_eq!(got, entries);
    }
}
