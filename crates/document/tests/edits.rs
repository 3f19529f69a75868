//! A reviewer edits the Markdown in a pull request; the parser must keep
//! every edit to prose and refuse every edit to a line that only displays
//! the front matter, naming both lines.

use postmortem_document::{DocumentErrorKind, parse, render};
use postmortem_model::{ChainLevel, Postmortem, Verdict, from_json};

fn example() -> Postmortem {
    from_json(include_str!("../../../examples/queue-render.json")).unwrap()
}

fn rendered() -> String {
    render(&example())
}

fn replace_line(doc: &str, starts_with: &str, new: &str) -> String {
    let mut found = false;
    let out: Vec<String> = doc
        .split('\n')
        .map(|l| {
            if !found && l.starts_with(starts_with) {
                found = true;
                new.to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect();
    assert!(found, "no line starts with {starts_with:?}");
    out.join("\n")
}

fn line_of(doc: &str, starts_with: &str) -> u32 {
    doc.split('\n')
        .position(|l| l.starts_with(starts_with))
        .unwrap() as u32
        + 1
}

#[test]
fn an_edited_level_reasoning_survives_parsing() {
    let doc = replace_line(
        &rendered(),
        "The \"cold cache warming\" story",
        "The warming story slipped twice.\n\nSecond paragraph, with <b>tags</b> & @alice.",
    );
    let pm = parse(&doc).unwrap().postmortem;
    assert_eq!(
        pm.walk.get(ChainLevel::L3).reasoning,
        "The warming story slipped twice.\n\nSecond paragraph, with <b>tags</b> & @alice."
    );
    // And it renders neutralised.
    let again = render(&pm);
    assert!(
        again.contains("&lt;b&gt;tags&lt;/b&gt; &amp; @&#8203;alice"),
        "{again}"
    );
}

#[test]
fn an_edited_verdict_survives_parsing() {
    let doc = replace_line(
        &rendered(),
        "**Did the code, a test or the pipeline fail?**",
        "**Did the code, a test or the pipeline fail?** yes",
    );
    assert_eq!(
        parse(&doc)
            .unwrap()
            .postmortem
            .walk
            .get(ChainLevel::L4)
            .verdict,
        Verdict::Yes
    );
}

#[test]
fn edited_fix_statement_user_impact_runbook_and_adr_text_survive() {
    let mut doc = rendered();
    doc = replace_line(
        &doc,
        "The cold-cache warming job ships",
        "Ship the warming job this cycle.",
    );
    doc = replace_line(&doc, "About 120 graders", "About 130 graders saw it.");
    doc = replace_line(&doc, "Scaling up read replicas", "Scaling worked.");
    doc = replace_line(
        &doc,
        "Warming only after a deploy",
        "Warming must also run after restarts.",
    );
    doc = replace_line(&doc, "queue.render.p95 stays", "p95 &lt; 500ms on Sunday.");
    let pm = parse(&doc).unwrap().postmortem;
    assert_eq!(pm.fix.statement, "Ship the warming job this cycle.");
    assert_eq!(
        pm.incident.user_impact,
        "About 130 graders saw it.\nNo incomplete grade submissions."
    );
    assert_eq!(pm.runbook.worked, "Scaling worked.");
    assert_eq!(pm.adrs[0].why, "Warming must also run after restarts.");
    assert_eq!(pm.fix.test.statement, "p95 < 500ms on Sunday.");
}

#[test]
fn an_edited_timeline_entry_and_an_added_row_survive() {
    let mut doc = rendered();
    doc = replace_line(
        &doc,
        "| T+0:04 |",
        "| T+0:04 | 2026-05-18 14:55 +00:00 | Diagnose: cold cache.<br>Not the DB \\| not the network. | 14:55:20 | the senior dev |\n|  | 2026-05-18 14:56 +00:00 | Paged the DBA too. |  |  |",
    );
    let pm = parse(&doc).unwrap().postmortem;
    assert_eq!(
        pm.timeline[2].text,
        "Diagnose: cold cache.\nNot the DB | not the network."
    );
    assert_eq!(pm.timeline[3].text, "Paged the DBA too.");
    assert_eq!(pm.timeline[3].author, None);
    assert_eq!(pm.timeline.len(), 9);
}

#[test]
fn an_edited_title_survives_parsing() {
    let doc = replace_line(
        &rendered(),
        "# queue.render",
        "# Queue render slow for graders",
    );
    assert_eq!(
        parse(&doc).unwrap().postmortem.incident.title,
        "Queue render slow for graders"
    );
}

#[test]
fn editing_the_displayed_owner_is_refused_naming_both_lines() {
    let doc = replace_line(&rendered(), "- **Owner:**", "- **Owner:** someone-else");
    let err = parse(&doc).unwrap_err();
    assert_eq!(err.line, line_of(&doc, "- **Owner:**"));
    let fm_line = line_of(&doc, "fix_owner:");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("line {}: shows Owner `someone-else` but the front matter's fix_owner on line {fm_line} gives `senior-dev`", err.line)),
        "{message}"
    );
    assert!(
        message.contains("change fix_owner in the front matter"),
        "{message}"
    );
}

#[test]
fn editing_the_displayed_fix_level_is_refused() {
    let doc = replace_line(
        &rendered(),
        "## Chain-level fix",
        "## Chain-level fix: L5 Operation",
    );
    let err = parse(&doc).unwrap_err();
    assert!(
        matches!(&err.kind, DocumentErrorKind::DerivedMismatch { source, .. } if source == "fix_level"),
        "{err}"
    );
    assert_eq!(err.line, line_of(&doc, "## Chain-level fix"));
}

#[test]
fn changing_the_fix_level_in_the_front_matter_is_refused_while_the_heading_disagrees() {
    let doc = replace_line(&rendered(), "fix_level:", "fix_level: L4");
    let err = parse(&doc).unwrap_err();
    assert!(
        err.to_string()
            .contains("fix_level on line 7 gives `L4 Execution`"),
        "{err}"
    );
}

#[test]
fn editing_severity_duration_t_plus_or_date_is_refused() {
    for (line, new, source) in [
        ("- **Severity:**", "- **Severity:** SEV-1", "severity"),
        (
            "- **Duration:**",
            "- **Duration:** 2 minutes, from start to mitigation",
            "started_at",
        ),
        (
            "| T+0:02 |",
            "| T+0:03 | 2026-05-18 14:53 +00:00 | acked | 14:53:30 | the senior dev |",
            "started_at",
        ),
        ("date:", "date: 2026-05-19", "started_at"),
    ] {
        let doc = replace_line(&rendered(), line, new);
        let err = parse(&doc).unwrap_err();
        assert!(
            matches!(&err.kind, DocumentErrorKind::DerivedMismatch { source: s, source_line: Some(_), .. } if s == source),
            "{line}: {err}"
        );
        assert_eq!(err.line, line_of(&doc, new), "{err}");
    }
}

#[test]
fn deleting_a_displayed_line_loses_nothing() {
    let doc = replace_line(&rendered(), "- **Owner:**", "");
    let doc = replace_line(
        &doc,
        "| T+0:02 |",
        "|  | 2026-05-18 14:53 +00:00 | the senior dev acked. Opens runbook RB-021 (queue performance). | 14:53:30 | the senior dev |",
    );
    let pm = parse(&doc).unwrap().postmortem;
    assert_eq!(pm, example().normalized());
    assert_eq!(render(&pm), rendered());
}

#[test]
fn changing_the_front_matter_changes_the_displayed_lines_on_the_next_render() {
    let doc = replace_line(&rendered(), "fix_owner:", "fix_owner: new-owner");
    let doc = replace_line(&doc, "- **Owner:**", "");
    let pm = parse(&doc).unwrap().postmortem;
    assert!(render(&pm).contains("- **Owner:** new-owner\n"));
}

#[test]
fn hand_written_markdown_in_prose_is_kept_as_displayed() {
    let doc = replace_line(
        &rendered(),
        "RB-021 was used.",
        "- RB-021 was used.\n  * nested, AT&T \\*literal\\*\n> quoted",
    );
    let pm = parse(&doc).unwrap().postmortem;
    assert_eq!(
        pm.walk.get(ChainLevel::L5).reasoning,
        "- RB-021 was used.\n* nested, AT&T *literal*\n> quoted"
    );
    // Re-rendered, line starts cannot become structure; inline Markdown
    // (emphasis, code, links) stays inline Markdown.
    let again = render(&pm);
    assert!(
        again.contains("\n\\- RB-021 was used.\n\\* nested, AT&amp;T *literal*\n&gt; quoted\n"),
        "{again}"
    );
}

#[test]
fn crlf_documents_parse_like_lf_documents() {
    let doc = rendered().replace('\n', "\r\n");
    assert_eq!(parse(&doc).unwrap().postmortem, example().normalized());
}

#[test]
fn a_binding_names_its_job_or_who_posts_it_and_reads_back() {
    let doc = rendered();
    for (line, kind, detail) in [
        (
            "- **Checked by:** workflow cold-start-p95.yml on main (job: p95 on a cold cache)",
            "workflow",
            Some("p95 on a cold cache"),
        ),
        (
            "- **Checked by:** check-run p95 gate on cold start on release/2026 (app: ci-app)",
            "check-run",
            Some("ci-app"),
        ),
        (
            "- **Checked by:** status ci/p95 on main (creator: github-actions[bot])",
            "status",
            Some("github-actions[bot]"),
        ),
        (
            "- **Checked by:** workflow cold-start-p95.yml on main",
            "workflow",
            None,
        ),
    ] {
        let edited = replace_line(&doc, "- **Checked by:**", line);
        let pm = parse(&edited)
            .unwrap_or_else(|e| panic!("{line}: {e}"))
            .postmortem;
        let b = pm.fix.test.binding.clone().unwrap();
        assert_eq!((b.kind(), b.detail()), (kind, detail), "{line}");
        assert!(render(&pm).contains(line), "{line} renders back as written");
    }
    let b = parse(&replace_line(
        &doc,
        "- **Checked by:**",
        "- **Checked by:** check-run p95 gate on cold start on release/2026 (app: ci-app)",
    ))
    .unwrap()
    .postmortem
    .fix
    .test
    .binding
    .unwrap();
    assert_eq!(
        (b.target(), b.branch()),
        ("p95 gate on cold start", "release/2026")
    );
}

#[test]
fn a_status_binding_without_its_creator_is_refused_with_the_form_to_write() {
    let doc = replace_line(
        &rendered(),
        "- **Checked by:**",
        "- **Checked by:** status ci/p95 on main",
    );
    let err = parse(&doc).unwrap_err().to_string();
    assert!(err.contains("(creator: <login>)"), "{err}");
    assert!(err.contains("anyone with write access"), "{err}");
}
