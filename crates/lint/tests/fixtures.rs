//! The practice's own example is clean, and each row of the practice's
//! anti-pattern table, as a fixture in `examples/anti-patterns/`, fires the
//! rule the practice names and no other error.

use std::collections::BTreeSet;
use std::path::Path;

use postmortem_lint::{Audience, Finding, Severity, has_errors, lint, several_fixes};
use postmortem_model::{JsonError, from_json, to_json};

const EXAMPLE: &str = include_str!("../../../examples/queue-render.json");

/// Each fixture, the practice row it reproduces and the rule that must fire.
const FIXTURES: &[(&str, &str, &str)] = &[
    (
        "postmortem-produced-a-feeling.json",
        "Postmortem produced a feeling",
        "PM310",
    ),
    (
        "fix-is-more-monitoring.json",
        "Fix is more monitoring",
        "PM309",
    ),
    (
        "timeline-reconstructed.json",
        "Timeline reconstructed",
        "PM102",
    ),
    (
        "names-of-people-in-the-fix.json",
        "Names of people in the fix",
        "PM311",
    ),
    ("three-fixes.json", "Three or five fixes", "PM303"),
    (
        "leadership-summarised.json",
        "Leadership summarised, not read",
        "PM401",
    ),
];

fn anti_patterns() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/anti-patterns"
    ))
}

/// Lints a fixture the way the CLI does: a list of fixes is the one-fix
/// rule's finding.
fn judge(name: &str) -> Vec<Finding> {
    let text = std::fs::read_to_string(anti_patterns().join(name)).expect("fixture reads");
    match from_json(&text) {
        Ok(pm) => lint(&pm),
        Err(JsonError::SeveralFixes { count }) => {
            vec![several_fixes(count, None, Audience::Document)]
        }
        Err(e) => panic!("{name}: {e}"),
    }
}

#[test]
fn the_practice_example_has_no_findings() {
    let pm = from_json(EXAMPLE).unwrap();
    assert_eq!(lint(&pm), Vec::<Finding>::new());
    // The same through the JSON round trip and the stored normal form.
    assert!(lint(&from_json(&to_json(&pm)).unwrap()).is_empty());
    assert!(lint(&pm.normalized()).is_empty());
}

#[test]
fn each_anti_pattern_fires_its_rule_and_no_other_error() {
    for (file, row, code) in FIXTURES {
        let findings = judge(file);
        let errors: BTreeSet<&str> = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.code)
            .collect();
        assert_eq!(
            errors,
            BTreeSet::from([*code]),
            "{file} ({row}): {findings:#?}"
        );
        assert!(has_errors(&findings));
    }
}

#[test]
fn every_fixture_in_the_folder_is_tested_and_listed() {
    let readme = std::fs::read_to_string(anti_patterns().join("README.md")).unwrap();
    let mut on_disk: Vec<String> = std::fs::read_dir(anti_patterns())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    on_disk.sort();
    let mut tested: Vec<String> = FIXTURES.iter().map(|(f, _, _)| (*f).to_owned()).collect();
    tested.sort();
    assert_eq!(on_disk, tested);
    for (file, row, code) in FIXTURES {
        assert!(readme.contains(file), "README lists {file}");
        assert!(readme.contains(row), "README names the row {row}");
        assert!(readme.contains(code), "README names {code}");
    }
}

#[test]
fn the_heuristic_findings_quote_the_words() {
    let quote = |file: &str, code: &str| {
        judge(file)
            .into_iter()
            .find(|f| f.code == code)
            .and_then(|f| f.quote)
    };
    assert_eq!(
        quote("postmortem-produced-a-feeling.json", "PM310").as_deref(),
        Some("We need to be more careful")
    );
    assert_eq!(
        quote("fix-is-more-monitoring.json", "PM309").as_deref(),
        Some("alert")
    );
    assert_eq!(
        quote("names-of-people-in-the-fix.json", "PM311").as_deref(),
        Some("Maya")
    );
}

#[test]
fn the_reconstructed_timeline_is_an_l5_signal() {
    let f = judge("timeline-reconstructed.json");
    let r = f.iter().find(|f| f.code == "PM102").unwrap();
    assert_eq!(r.level, Some(postmortem_model::ChainLevel::L5));
    assert!(r.message.contains("chain-level signal"));
    assert!(r.message.contains("runbook and on-call discipline"));
}

#[test]
fn the_practice_own_blame_sentence_is_both_a_name_and_a_feeling() {
    // "Maya will be more careful next time": blame and a feeling at once.
    let mut pm = from_json(
        &std::fs::read_to_string(anti_patterns().join("names-of-people-in-the-fix.json")).unwrap(),
    )
    .unwrap();
    pm.fix.statement = "Maya will be more careful next time.".into();
    pm.fix.test.statement = "Maya is more careful.".into();
    pm.fix.test.binding = None;
    let codes: BTreeSet<&str> = lint(&pm).iter().map(|f| f.code).collect();
    // And with no binding, nothing would verify it (PM313).
    assert_eq!(codes, BTreeSet::from(["PM310", "PM311", "PM313"]));
}

#[test]
fn the_practice_more_monitoring_sentence_fires_even_with_an_honest_walk() {
    // The walk as the practice wrote it (L5 "no") with the fix at L5: the
    // level rule and the monitoring reflex both say so.
    let mut pm = from_json(EXAMPLE).unwrap();
    pm.fix.level = Some(postmortem_model::ChainLevel::L5);
    pm.fix.statement = "We will add an alert at 1.5s instead of 2s.".into();
    let codes: BTreeSet<&str> = lint(&pm).iter().map(|f| f.code).collect();
    assert_eq!(codes, BTreeSet::from(["PM302", "PM309"]));
}
