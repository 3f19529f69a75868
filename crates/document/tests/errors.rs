//! Documents that cannot be read: each error names its line, what was
//! found, what was expected and how to fix it, and no text is dropped.

use postmortem_document::{DocumentErrorKind, parse, render};
use postmortem_model::{Postmortem, from_json};

fn rendered() -> String {
    render(&from_json(include_str!("../../../examples/queue-render.json")).unwrap())
}

fn line_of(doc: &str, starts_with: &str) -> u32 {
    doc.split('\n')
        .position(|l| l.starts_with(starts_with))
        .unwrap() as u32
        + 1
}

fn insert_before(doc: &str, starts_with: &str, text: &str) -> String {
    let i = doc.find(&format!("\n{starts_with}")).unwrap() + 1;
    format!("{}{text}{}", &doc[..i], &doc[i..])
}

#[test]
fn a_second_chain_level_fix_section_is_several_fixes_at_its_heading() {
    let doc = insert_before(
        &rendered(),
        "## Runbook update",
        "## Chain-level fix: L5 Operation\n\nAlert at 1.5s.\n\n",
    );
    let err = parse(&doc).unwrap_err();
    assert_eq!(err.kind, DocumentErrorKind::SeveralFixes { count: 2 });
    assert_eq!(err.line, line_of(&doc, "## Chain-level fix: L5"));
    assert!(
        err.to_string()
            .contains("one fix; the rest go to the retro"),
        "{err}"
    );
}

#[test]
fn numbered_fix_headings_are_several_fixes() {
    let doc = insert_before(
        &rendered(),
        "### Test",
        "### Fix 1\n\nWarm the cache.\n\n### Fix 2\n\nAlert sooner.\n\n",
    );
    let err = parse(&doc).unwrap_err();
    assert_eq!(err.kind, DocumentErrorKind::SeveralFixes { count: 3 });
    assert_eq!(err.line, line_of(&doc, "### Fix 1"));
}

#[test]
fn a_fixes_key_in_the_front_matter_is_several_fixes() {
    let doc = rendered().replacen(
        "status: open\n",
        "status: open\nfixes:\n  - warm the cache\n  - alert sooner\n",
        1,
    );
    let err = parse(&doc).unwrap_err();
    assert_eq!(err.kind, DocumentErrorKind::SeveralFixes { count: 2 });
    assert_eq!(err.line, line_of(&doc, "  - alert sooner"));
    assert!(
        err.to_string()
            .contains("one fix; the rest go to the retro")
    );
}

#[test]
fn an_adr_or_a_title_that_mentions_a_fix_is_not_a_second_fix() {
    let mut pm: Postmortem =
        from_json(include_str!("../../../examples/queue-render.json")).unwrap();
    pm.incident.title = "Fix rollout slowed the queue".into();
    pm.adrs[0].title = "ADR-0003 Fix cache warming".into();
    assert!(parse(&render(&pm)).is_ok());
}

#[test]
fn user_text_cannot_forge_sections_front_matter_or_comments() {
    let mut pm = Postmortem::default();
    pm.incident.user_impact = "---\nschema_version: 2\n---\n## Chain-level fix\n### Fix 2\n<!-- hidden -->\n- **Owner:** mallory\n| T+ | When |\n    code\n1. list\n_Not written yet._".into();
    pm.incident.title = "# Chain-level fix ##".into();
    let doc = render(&pm);
    let parsed = parse(&doc).unwrap_or_else(|e| panic!("{e}\n{doc}"));
    assert_eq!(parsed.postmortem, pm.normalized());
    assert!(!doc.contains("<!--"));
    assert_eq!(doc.matches("\n## Chain-level fix").count(), 1);
}

#[test]
fn an_unknown_section_is_refused_rather_than_dropped() {
    let doc = insert_before(
        &rendered(),
        "## Readers",
        "## Lessons learned\n\nBe careful.\n\n",
    );
    let err = parse(&doc).unwrap_err();
    assert!(
        matches!(err.kind, DocumentErrorKind::UnknownSection { .. }),
        "{err}"
    );
    assert_eq!(err.line, line_of(&doc, "## Lessons learned"));
    assert!(err.to_string().contains("## Runbook update"), "{err}");
}

#[test]
fn stray_text_between_known_headings_is_refused_rather_than_dropped() {
    for (before, text) in [
        ("### User impact", "Severity was debated.\n\n"),
        ("### L1 Strategy", "We walked the chain.\n\n"),
        ("## Incident", "Summary: bad day.\n\n"),
        ("## Chain walk", "Note under the timeline.\n\n"),
        ("### What worked", "Runbook notes.\n\n"),
        ("- acme/leadership", "Please read this.\n"),
        ("- acme/leadership", "- acme/leadership and more\n"),
    ] {
        let doc = insert_before(&rendered(), before, text);
        let err = parse(&doc).expect_err(before);
        assert!(
            matches!(
                err.kind,
                DocumentErrorKind::UnexpectedText { .. } | DocumentErrorKind::InvalidValue { .. }
            ),
            "{before}: {err}"
        );
        assert_eq!(err.line, line_of(&doc, text.trim_end()), "{err}");
    }
}

#[test]
fn an_edited_question_is_refused() {
    let doc = rendered().replace(
        "**Was a story missing, cut or slipped?** Possibly.",
        "**Was the story late?** Possibly.",
    );
    let err = parse(&doc).unwrap_err();
    assert_eq!(err.line, line_of(&doc, "**Was the story late?**"));
    assert!(
        err.to_string()
            .contains("Was a story missing, cut or slipped?"),
        "{err}"
    );
}

#[test]
fn unknown_front_matter_keys_are_named_with_the_known_ones() {
    let doc = rendered().replacen("status: open\n", "title: Queue slow\nstatus: open\n", 1);
    let err = parse(&doc).unwrap_err();
    assert_eq!(
        err.kind,
        DocumentErrorKind::UnknownKey {
            key: "title".into()
        }
    );
    assert_eq!(err.line, 10);
    let message = err.to_string();
    assert!(
        message.contains("schema_version, incident, date, services"),
        "{message}"
    );
}

#[test]
fn missing_or_other_schema_versions_are_refused() {
    let doc = rendered().replacen("schema_version: 1\n", "", 1);
    assert_eq!(
        parse(&doc).unwrap_err().kind,
        DocumentErrorKind::MissingSchemaVersion
    );
    let doc = rendered().replacen("schema_version: 1\n", "schema_version: 2\n", 1);
    let err = parse(&doc).unwrap_err();
    assert_eq!(
        err.kind,
        DocumentErrorKind::UnsupportedSchemaVersion { found: "2".into() }
    );
    assert_eq!(err.line, 2);
}

#[test]
fn a_document_without_front_matter_is_refused_at_line_one() {
    let err = parse("# Title\n").unwrap_err();
    assert_eq!(err.line, 1);
    assert_eq!(
        err.to_string(),
        "line 1: found `# Title`; expected the front matter's opening line `---` (start the file with the YAML front matter between two `---` lines)"
    );
}

#[test]
fn invalid_values_name_the_field_and_the_valid_form() {
    let doc = rendered().replacen("fix_due: 2026-05-30", "fix_due: next sprint", 1);
    let err = parse(&doc).unwrap_err();
    assert_eq!(err.line, 9);
    assert_eq!(
        err.to_string(),
        "line 9: fix_due is `next sprint`; expected a date as YYYY-MM-DD, e.g. 2026-05-30 (correct the value, or leave it empty while it is not known)"
    );
    let doc = rendered().replacen("fix_owner: senior-dev", "fix_owner: \"@senior-dev\"", 1);
    assert!(
        parse(&doc)
            .unwrap_err()
            .to_string()
            .starts_with("line 8: fix_owner is `@senior-dev`; expected a GitHub login")
    );
}

#[test]
fn front_matter_values_may_be_quoted_commented_or_block_lists() {
    let doc = rendered()
        .replacen(
            "services: [queue-render]",
            "services:   # touched\n  - 'queue-render'\n  - \"grading\"",
            1,
        )
        .replacen(
            "severity: SEV-2",
            "severity: \"SEV-2\" # agreed on the bridge",
            1,
        )
        .replacen("- **Services:** queue-render\n", "", 1);
    let pm = parse(&doc).unwrap().postmortem;
    assert_eq!(pm.incident.services.len(), 2);
}

#[test]
fn every_error_message_is_one_sentence_with_its_line_and_what_was_expected() {
    let doc = rendered();
    for broken in [
        doc.replacen("## Timeline", "## Timeline\n\nsome text", 1),
        doc.replacen("---\n\n# ", "\n# ", 1),
        doc.replacen("severity: SEV-2", "severity: [SEV-2, SEV-3]", 1),
        doc.replacen("severity: SEV-2", "  severity: SEV-2", 1),
        doc.replacen("## Readers", "#### Deep", 1),
        doc.replacen("## Readers", "## Incident", 1),
    ] {
        let err = parse(&broken).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("line {}: ", err.line)),
            "{message}"
        );
        assert!(message.contains("; expected "), "{message}");
        assert!(!message.contains('\n'), "{message}");
    }
}

#[test]
fn a_repeated_section_is_refused_naming_the_first() {
    let doc = rendered().replacen(
        "## Chain-level fix",
        "### L2 Discovery\n\nMore.\n\n## Chain-level fix",
        1,
    );
    let err = parse(&doc).unwrap_err();
    let message = err.to_string();
    let first = line_of(&doc, "### L2 Discovery");
    assert!(
        message.contains(&format!(
            "the section `### L2 Discovery` appears again after line {first}"
        )),
        "{message}"
    );
}
