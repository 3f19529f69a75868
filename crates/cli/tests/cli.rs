//! The `postmortem` binary as a user runs it: real files, real exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use std::io::Write;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn postmortem(args: &[&str]) -> Output {
    postmortem_with_stdin(args, "")
}

fn postmortem_with_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_postmortem"))
        .args(args)
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the postmortem binary starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("stdin written");
    child
        .wait_with_output()
        .expect("the postmortem binary ends")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const PRACTICE_NOTES: &str = "T+0:00 alert: queue.render.p95 >2s for 5 min (auto-paged on-call)
T+0:02 the senior dev acked. Opens runbook RB-021 (queue performance).
T+0:04 Diagnose: cold cache, not DB.
T+0:06 Mitigation per RB-021: scale up read replicas.
Action took 90 sec.
T+0:08 p95 back to <500ms. Alert clears.
T+0:09 Internal note in #engineering. PO notified.
T+0:14 PO writes client thread: \"operational issue
resolved; updates if anything changes.\"
T+0:30 No recurrence. Watch closed at T+1:00.
";

#[test]
fn the_practice_example_lints_clean() {
    let out = postmortem(&[
        "lint",
        "examples/queue-render.md",
        "examples/queue-render.json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).contains("examples/queue-render.md: clean"));
    assert!(stdout(&out).contains("0 errors, 0 warnings in 2 files"));
}

#[test]
fn the_bundled_document_is_the_render_of_the_bundled_json() {
    let out = postmortem(&["render", "examples/queue-render.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let committed = std::fs::read_to_string(repo().join("examples/queue-render.md")).unwrap();
    assert_eq!(
        stdout(&out),
        committed,
        "run: postmortem render examples/queue-render.json -o examples/queue-render.md"
    );
}

#[test]
fn a_document_converts_to_json_and_back_unchanged() {
    let json = postmortem(&["render", "examples/queue-render.md", "--to", "json"]);
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    let back = postmortem_with_stdin(&["render", "-"], &stdout(&json));
    assert_eq!(back.status.code(), Some(0), "{}", stderr(&back));
    let committed = std::fs::read_to_string(repo().join("examples/queue-render.md")).unwrap();
    assert_eq!(stdout(&back), committed);
}

#[test]
fn each_anti_pattern_fixture_names_exactly_its_rule() {
    let expected = [
        ("postmortem-produced-a-feeling.md", "fix-is-a-feeling"),
        ("fix-is-more-monitoring.md", "fix-is-more-monitoring"),
        ("timeline-reconstructed.md", "timeline-reconstructed"),
        ("names-of-people-in-the-fix.md", "names-outside-timeline"),
        ("three-fixes.md", "several-fixes"),
        ("leadership-summarised.md", "leadership-summarised"),
    ];
    for (file, rule) in expected {
        let path = format!("examples/anti-patterns/{file}");
        let out = postmortem(&["lint", "--format", "json", &path]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{path}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let errors: Vec<&str> = report[0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        assert!(!errors.is_empty(), "{path}: no error");
        assert!(
            errors.iter().all(|r| *r == rule),
            "{path}: expected only {rule}, got {errors:?}"
        );
    }
}

#[test]
fn github_format_prints_annotations_on_the_line() {
    let out = postmortem(&[
        "lint",
        "--format",
        "github",
        "examples/anti-patterns/fix-is-more-monitoring.md",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.starts_with("::error "))
        .expect("an error annotation");
    assert!(
        line.contains("file=examples/anti-patterns/fix-is-more-monitoring.md,line="),
        "{line}"
    );
    assert!(line.contains("more-monitoring"), "{line}");
}

#[test]
fn unreadable_input_exits_2_with_the_line() {
    let out = postmortem_with_stdin(
        &["lint", "-"],
        "---\nschema_version: 1\nincident: [unclosed\n",
    );
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(text.contains("<stdin>") || text.contains('-'), "{text}");
    assert!(text.contains("unreadable"), "{text}");
    let missing = postmortem(&["lint", "no/such/file.md"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stdout(&missing).contains("could not be read"));
}

#[test]
fn new_never_overwrites_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pm.md");
    std::fs::write(&path, "precious notes").unwrap();
    let out = postmortem(&["new", "--id", "INC-1", "-o", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious notes");

    let fresh = dir.path().join("new.md");
    let out = postmortem(&[
        "new",
        "--id",
        "INC-1",
        "--title",
        "queue slow",
        "-o",
        fresh.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lint = postmortem(&["lint", fresh.to_str().unwrap()]);
    assert_eq!(
        lint.status.code(),
        Some(1),
        "a blank postmortem has findings"
    );

    let bad = postmortem(&["new", "--id", "not an id"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--id"));
}

#[test]
fn timeline_import_reads_the_practice_notes() {
    let out = postmortem_with_stdin(
        &["timeline", "import", "--start", "2026-05-18T14:51:00+00:00"],
        PRACTICE_NOTES,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let entries: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let entries = entries.as_array().unwrap();
    assert_eq!(entries.len(), 8);
    assert_eq!(entries[3]["at"], "2026-05-18T14:57:00Z");
    assert!(
        entries[3]["text"]
            .as_str()
            .unwrap()
            .contains("Action took 90 sec.")
    );
}

#[test]
fn timeline_import_reports_bad_lines_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("pm.json");
    std::fs::copy(repo().join("examples/queue-render.json"), &doc).unwrap();
    let before = std::fs::read_to_string(&doc).unwrap();
    let out = postmortem_with_stdin(
        &[
            "timeline",
            "import",
            "--start",
            "2026-05-18T14:51:00+00:00",
            "--into",
            doc.to_str().unwrap(),
        ],
        "T+0:00 alert\nT+0:7x broken\n",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("line 2"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&doc).unwrap(), before);
}

#[test]
fn timeline_import_into_a_document_replaces_its_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("pm.md");
    std::fs::copy(repo().join("examples/queue-render.md"), &doc).unwrap();
    let out = postmortem_with_stdin(
        &[
            "timeline",
            "import",
            "--start",
            "2026-05-18T14:51:00+00:00",
            "--written-at",
            "2026-05-18T15:30:00+00:00",
            "--into",
            doc.to_str().unwrap(),
        ],
        PRACTICE_NOTES,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json = postmortem(&["render", doc.to_str().unwrap(), "--to", "json"]);
    let pm: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(pm["timeline"].as_array().unwrap().len(), 8);
    assert_eq!(pm["timeline"][0]["written_at"], "2026-05-18T15:30:00Z");
}

#[test]
fn timeline_import_reads_a_slack_paste_and_a_slack_export() {
    let paste = postmortem(&[
        "timeline",
        "import",
        "crates/timeline/tests/fixtures/slack-paste.txt",
        "--date",
        "2026-05-18",
        "--offset",
        "-07:00",
    ]);
    assert_eq!(paste.status.code(), Some(0), "{}", stderr(&paste));
    let entries: serde_json::Value = serde_json::from_str(&stdout(&paste)).unwrap();
    let entries = entries.as_array().unwrap();
    assert_eq!(entries.len(), 10);
    assert_eq!(entries[0]["author"], "PagerDuty (bot)");
    assert_eq!(entries[5]["author"], "李伟");
    assert_eq!(entries[5]["at"], "2026-05-19T00:01:00-07:00");
    assert!(entries.iter().all(|e| e["written_at"] == e["at"]));

    let export = postmortem(&[
        "timeline",
        "import",
        "crates/timeline/tests/fixtures/slack-export.json",
    ]);
    assert_eq!(export.status.code(), Some(0), "{}", stderr(&export));
    let entries: serde_json::Value = serde_json::from_str(&stdout(&export)).unwrap();
    let entries = entries.as_array().unwrap();
    assert_eq!(entries.len(), 9);
    assert_eq!(entries[1]["author"], "Maya Patel");
    assert!(entries.iter().all(|e| e["written_at"] == e["at"]));

    let broken = postmortem_with_stdin(
        &["timeline", "import"],
        "[\n  {\"type\": \"message\", \"text\": \"no time\"}\n]\n",
    );
    assert_eq!(broken.status.code(), Some(2));
    assert!(
        stderr(&broken).contains("line 2: `{\"type\": \"message\", \"text\": \"no time\"}` starts message 1, which has no `ts`"),
        "{}",
        stderr(&broken)
    );
}

#[test]
fn schema_is_json_schema_of_the_json_form() {
    let out = postmortem(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        schema["$schema"]
            .as_str()
            .unwrap()
            .contains("json-schema.org")
    );
    assert!(schema["properties"]["fix"].is_object());
    assert!(schema["properties"].get("fixes").is_none());
}

#[test]
fn index_catalogues_postmortems_and_leaves_runbooks_alone() {
    let dir = tempfile::tempdir().unwrap();
    let pms = dir.path().join("runbooks/postmortems");
    std::fs::create_dir_all(&pms).unwrap();
    std::fs::copy(
        repo().join("examples/queue-render.md"),
        pms.join("2026-05-18-queue.md"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("runbooks/RB-021.md"),
        "# RB-021 queue performance\n",
    )
    .unwrap();
    let out = postmortem(&["index", dir.path().to_str().unwrap(), "--write"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let catalogue: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let entries = catalogue["postmortems"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0]["path"],
        "runbooks/postmortems/2026-05-18-queue.md"
    );
    assert_eq!(entries[0]["fix_level"], "L3");
    let table = std::fs::read_to_string(dir.path().join("index.md")).unwrap();
    assert!(table.contains("INC-2026-0142"), "{table}");
    assert!(dir.path().join("index.json").exists());

    // An unreadable postmortem stops the index rather than dropping it.
    std::fs::write(
        pms.join("broken.md"),
        "---\nschema_version: 1\nbogus_key: x\n---\n",
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("index.json")).unwrap();
    let out = postmortem(&["index", dir.path().to_str().unwrap(), "--write"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("broken.md"), "{}", stderr(&out));
    assert!(!dir.path().join("index.json").exists());
}

#[test]
fn rules_lists_every_rule_with_its_code() {
    let out = postmortem(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for rule in [
        "fix-is-more-monitoring",
        "fix-is-a-feeling",
        "several-fixes",
        "timeline-reconstructed",
    ] {
        assert!(text.contains(rule), "{rule} missing from\n{text}");
    }
}
