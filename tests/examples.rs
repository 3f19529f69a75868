//! The bundled examples stay what they claim to be: each committed
//! Markdown document is the render of its JSON, the practice's example is
//! clean, and each anti-pattern document fires exactly the rule the
//! practice names.

use std::fs;
use std::path::{Path, PathBuf};

use postmortem::check::{Checked, Form, check};
use postmortem::document::render;
use postmortem::lint::Severity;
use postmortem::model::from_json;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// Every `X.json` beside an `X.md` (the JSON form that can hold the
/// postmortem: the three-fixes fixture cannot, by design).
fn pairs() -> Vec<(PathBuf, PathBuf)> {
    let mut pairs = Vec::new();
    for dir in [examples(), examples().join("anti-patterns")] {
        for entry in fs::read_dir(&dir).unwrap() {
            let json = entry.unwrap().path();
            if json.extension().is_some_and(|e| e == "json") {
                let md = json.with_extension("md");
                if from_json(&fs::read_to_string(&json).unwrap()).is_ok() {
                    pairs.push((json, md));
                }
            }
        }
    }
    pairs.sort();
    pairs
}

#[test]
fn each_committed_document_is_the_render_of_its_json() {
    let pairs = pairs();
    assert!(pairs.len() >= 6, "examples missing: {pairs:?}");
    for (json, md) in pairs {
        let pm = from_json(&fs::read_to_string(&json).unwrap()).unwrap();
        let committed = fs::read_to_string(&md).unwrap_or_else(|_| {
            panic!(
                "{} is missing: postmortem render {} -o it",
                md.display(),
                json.display()
            )
        });
        assert_eq!(
            render(&pm),
            committed,
            "{} is stale: postmortem render {} -o {}",
            md.display(),
            json.display(),
            md.display()
        );
    }
}

#[test]
fn the_practice_example_document_has_no_findings() {
    let text = fs::read_to_string(examples().join("queue-render.md")).unwrap();
    let checked = check(Form::Document, &text).unwrap();
    assert!(checked.findings().is_empty(), "{:#?}", checked.findings());
}

#[test]
fn the_three_fixes_document_is_refused_with_the_one_fix_rule_at_the_second_fix() {
    let text = fs::read_to_string(examples().join("anti-patterns/three-fixes.md")).unwrap();
    let checked = check(Form::Document, &text).unwrap();
    let Checked::SeveralFixes(finding) = checked else {
        panic!("three fixes were accepted");
    };
    assert_eq!(finding.rule, "several-fixes");
    assert_eq!(finding.severity, Severity::Error);
    assert!(
        finding
            .message
            .contains("one fix; the rest go to the retro")
    );
    let line = finding.line.expect("the line of the second fix") as usize;
    let second_fix_line = text.lines().nth(line - 1).unwrap();
    assert!(
        second_fix_line.starts_with('#'),
        "line {line} is {second_fix_line:?}"
    );
}

#[test]
fn findings_from_a_document_point_at_real_lines() {
    for entry in fs::read_dir(examples().join("anti-patterns")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "md") || path.ends_with("README.md") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let lines = text.lines().count() as u32;
        let checked = check(Form::Document, &text).unwrap();
        for f in checked.findings() {
            let line = f
                .line
                .unwrap_or_else(|| panic!("{}: {} has no line", path.display(), f.code));
            assert!(
                (1..=lines).contains(&line),
                "{}: {} at line {line}",
                path.display(),
                f.code
            );
        }
    }
}
