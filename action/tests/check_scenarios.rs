//! `check` and `lint` against the fake GitHub, through the real binary.

mod common;

use common::*;
use fake_github::{CheckRun, Status};

/// A world where `open` has run and a person merged the postmortem: one
/// merged PR, one fix issue (due 2026-05-30, bound to workflow
/// cold-start-p95.yml on main). Returns the fix issue.
fn opened(doc: &str) -> (World, u64) {
    let w = World::new();
    let (_, ev) = w.intake(doc);
    let out = w.run("open", "issues", &ev, NOW, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    w.merge_postmortem();
    let n = w.fix_issues()[0].number;
    (w, n)
}

/// A passing run of the bound workflow on main's head (which contains the
/// merge).
fn pass_workflow(w: &World, when: &str) -> u64 {
    w.run_on_main("cold-start-p95.yml", "success", when)
}

/// The Action's comments on `issue` that contain `text`.
fn said(w: &World, issue: u64, text: &str) -> usize {
    w.comments(issue)
        .iter()
        .filter(|c| c.contains(text))
        .count()
}

/// `n` more open fix issues with the same sealed record as the one `open`
/// filed, as the Action itself would have filed them.
fn copies_of_the_fix_issue(w: &World, n: usize, labels: &[&str]) {
    let body = w.fix_issues()[0].body.clone().unwrap();
    let mut st = w.gh.state();
    for k in 0..n {
        st.add_issue(&format!("Fix {k}"), &body, labels, "github-actions[bot]");
    }
}

fn check(w: &World, now: &str) -> Outcome {
    w.check(now)
}

#[test]
fn a_fix_test_passed_before_the_due_date_closes_the_issue_as_verified() {
    let (w, fix) = opened(&example_document());
    pass_workflow(&w, "2026-05-25T09:10:00Z");
    let out = check(&w, "2026-05-26T06:00:00Z");
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let i = w.gh.state().issue(fix).cloned().unwrap();
    assert_eq!(i.state, "closed");
    assert_eq!(i.state_reason.as_deref(), Some("completed"));
    assert!(i.labels.iter().any(|l| l == "fix-verified"));
    let comments = w.comments(fix);
    assert_eq!(comments.len(), 1, "{comments:?}");
    assert!(comments[0].contains("verified on time") && comments[0].contains("/actions/runs/"));
    assert!(
        out.summary
            .contains("| Fix | Owner | Level | Due | State | Evidence |")
    );
    // Converged: the next run writes nothing.
    let again = check(&w, "2026-05-27T06:00:00Z");
    assert_eq!(again.code, 0);
    assert_eq!(w.comments(fix).len(), 1);
    w.validate();
}

#[test]
fn a_fix_test_passed_after_the_due_date_is_verified_late() {
    let (w, fix) = opened(&example_document());
    pass_workflow(&w, "2026-06-02T09:10:00Z");
    let out = check(&w, "2026-06-03T06:00:00Z");
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let i = w.gh.state().issue(fix).cloned().unwrap();
    assert_eq!(i.state, "closed");
    let comments = w.comments(fix);
    assert_eq!(comments.len(), 1);
    assert!(comments[0].contains("**late**"), "{}", comments[0]);
    w.validate();
}

#[test]
fn a_fix_never_passed_is_flagged_overdue_once_across_runs() {
    let (w, fix) = opened(&example_document());
    for day in ["2026-06-01", "2026-06-02", "2026-06-03"] {
        let out = check(&w, &format!("{day}T06:00:00Z"));
        assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
        assert!(
            out.stdout.contains("::error") && out.stdout.contains("overdue"),
            "{}",
            out.stdout
        );
    }
    assert_eq!(said(&w, fix, "was due on"), 1, "{:?}", w.comments(fix));
    assert!(
        w.comments(fix)
            .iter()
            .any(|c| c.contains("@senior-dev") && c.contains("was due on")),
        "the owner is mentioned"
    );
    let i = w.gh.state().issue(fix).cloned().unwrap();
    assert_eq!(i.state, "open");
    assert!(i.labels.iter().any(|l| l == "fix-overdue"));
    // A failing result on the branch proves nothing.
    w.run_on_main("cold-start-p95.yml", "failure", "2026-06-03T07:00:00Z");
    assert_eq!(check(&w, "2026-06-04T06:00:00Z").code, 1);
    assert_eq!(said(&w, fix, "was due on"), 1);
    w.validate();
}

#[test]
fn the_owner_is_reminded_once_before_the_due_date() {
    let (w, fix) = opened(&example_document());
    for day in ["2026-05-28", "2026-05-29"] {
        assert_eq!(check(&w, &format!("{day}T06:00:00Z")).code, 0);
    }
    assert_eq!(
        said(&w, fix, "is due on 2026-05-30"),
        1,
        "{:?}",
        w.comments(fix)
    );
    assert!(
        w.comments(fix)
            .iter()
            .any(|c| c.contains("@senior-dev") && c.contains("is due on"))
    );
    w.validate();
}

#[test]
fn a_fix_issue_closed_by_hand_without_evidence_is_reopened() {
    let (w, fix) = opened(&example_document());
    {
        let mut st = w.gh.state();
        let i = st.issue_mut(fix).unwrap();
        i.state = "closed".into();
        i.state_reason = Some("completed".into());
        i.closed_at = Some("2026-05-22T08:00:00Z".into());
        i.updated_at = "2026-05-22T08:00:00Z".into();
    }
    let out = check(&w, "2026-05-23T06:00:00Z");
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(w.gh.state().issue(fix).unwrap().state, "open");
    assert_eq!(said(&w, fix, "Reopened"), 1);
    assert_eq!(check(&w, "2026-05-24T06:00:00Z").code, 0);
    assert_eq!(said(&w, fix, "Reopened"), 1);
    w.validate();
}

#[test]
fn check_run_and_status_bindings_are_verified_from_the_branch_head() {
    for (binding, add) in [
        ("check-run p95-gate on main (app: ci-app)", 0),
        ("status ci/p95 on main (creator: ci-bot)", 1),
    ] {
        let doc = example_document().replace("workflow cold-start-p95.yml on main", binding);
        let (w, fix) = opened(&doc);
        let post = |who: &str, when: &str| {
            let mut st = w.gh.state();
            let head = st.refs["heads/main"].clone();
            let id = st.id();
            if add == 0 {
                st.checks.push(CheckRun {
                    id,
                    name: "p95-gate".into(),
                    head_sha: head,
                    conclusion: Some("success".into()),
                    completed_at: Some(when.into()),
                    app: who.into(),
                });
            } else {
                st.statuses.push(Status {
                    id,
                    sha: head,
                    context: "ci/p95".into(),
                    state: "success".into(),
                    target_url: Some("https://ci.example.invalid/p95/1".into()),
                    updated_at: when.into(),
                    creator: who.into(),
                });
            }
        };
        // Anyone with write access can post one: not from the named
        // app or account, it proves nothing.
        post("mallory", "2026-05-24T09:10:00Z");
        let out = check(&w, "2026-05-25T06:00:00Z");
        assert_eq!(out.code, 0, "{binding}: {}\n{}", out.stdout, out.stderr);
        assert_eq!(w.gh.state().issue(fix).unwrap().state, "open", "{binding}");
        post(
            if add == 0 { "ci-app" } else { "ci-bot" },
            "2026-05-25T09:10:00Z",
        );
        let out = check(&w, "2026-05-26T06:00:00Z");
        assert_eq!(out.code, 0, "{binding}: {}\n{}", out.stdout, out.stderr);
        assert_eq!(
            w.gh.state().issue(fix).unwrap().state,
            "closed",
            "{binding}"
        );
        w.validate();
    }
}

#[test]
fn two_hundred_and_fifty_open_fix_issues_are_all_read_through_pages() {
    let (w, _) = opened(&example_document());
    copies_of_the_fix_issue(&w, 249, &["postmortem-fix", "chain-L3"]);
    let out = check(&w, "2026-05-22T06:00:00Z");
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let rows = out
        .summary
        .lines()
        .filter(|l| l.starts_with("| [#"))
        .count();
    assert_eq!(rows, 250);
    let st = w.gh.state();
    let pages = st
        .log
        .iter()
        .rev()
        .take(out.requests)
        .filter(|e| e.route == "/repos/{owner}/{repo}/issues" && e.url.contains("state=open"))
        .count();
    assert_eq!(pages, 3, "100 + 100 + 50, following Link headers");
    drop(st);
    w.validate();
}

#[test]
fn lint_annotates_findings_on_their_lines_and_fails_on_errors() {
    let w = World::new();
    let doc =
        std::fs::read_to_string(root().join("examples/anti-patterns/fix-is-more-monitoring.md"))
            .unwrap();
    let path = "runbooks/postmortems/2026-05-18-more-monitoring.md";
    let (number, sha) = {
        let mut st = w.gh.state();
        let main = st.refs["heads/main"].clone();
        let c = st.commit_files(
            Some(&main),
            &[(path, &doc), ("src/lib.rs", "// code\n")],
            "Postmortem",
        );
        st.refs.insert("heads/pm-edit".into(), c.clone());
        let n = st.add_issue("Add the postmortem", "", &[], "senior-dev");
        st.issue_mut(n).unwrap().pull = Some(fake_github::Pull {
            head: "pm-edit".into(),
            base: "main".into(),
            reviewers: vec![],
            teams: vec![],
            reviewed_by: vec![],
            merged: false,
            merged_at: None,
            merge_commit_sha: None,
            unresolved: 0,
        });
        (n, c)
    };
    let out = w.run(
        "lint",
        "pull_request",
        &pull_request_event(number, "pm-edit", &sha),
        NOW,
        &[],
    );
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    let line = out
        .stdout
        .lines()
        .find(|l| l.starts_with(&format!("::error file={path},line=")))
        .unwrap_or_else(|| panic!("an error annotation on a line of {path}:\n{}", out.stdout));
    assert!(line.contains("title=PM"), "{line}");
    assert!(out.summary.contains(path));
    assert!(
        w.gh.state().log.iter().all(|e| e.method == "GET"),
        "lint writes nothing"
    );
    // The clean example passes.
    let clean = example_document();
    let sha2 = w.gh.state().push("pm-edit", &[(path, &clean)], "Fix it");
    let ok = w.run(
        "lint",
        "pull_request",
        &pull_request_event(number, "pm-edit", &sha2),
        NOW,
        &[],
    );
    assert_eq!(ok.code, 0, "{}\n{}", ok.stdout, ok.stderr);
    w.validate();
}

#[test]
fn many_commented_fix_issues_are_read_from_the_repository_s_comment_pages() {
    let (w, _) = opened(&example_document());
    copies_of_the_fix_issue(&w, 14, &["postmortem-fix"]);
    for day in ["2026-06-01", "2026-06-02"] {
        let out = check(&w, &format!("{day}T06:00:00Z"));
        assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    }
    for f in w.fix_issues() {
        assert_eq!(
            said(&w, f.number, "was due on"),
            1,
            "#{}: one overdue comment",
            f.number
        );
    }
    let st = w.gh.state();
    assert!(
        st.log
            .iter()
            .any(|e| e.route == "/repos/{owner}/{repo}/issues/comments")
    );
    drop(st);
    w.validate();
}

#[test]
fn a_hand_edited_record_is_reported_once_and_not_trusted() {
    let (w, fix) = opened(&example_document());
    pass_workflow(&w, "2026-05-25T09:10:00Z");
    {
        let mut st = w.gh.state();
        let i = st.issue_mut(fix).unwrap();
        let body = i
            .body
            .clone()
            .unwrap()
            .replace("\"due\":\"2026-05-30\"", "\"due\":\"2026-12-31\"");
        i.body = Some(body);
    }
    for day in ["2026-05-26", "2026-05-27"] {
        let out = check(&w, &format!("{day}T06:00:00Z"));
        assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
        assert!(out.stdout.contains("record not trusted"), "{}", out.stdout);
    }
    let i = w.gh.state().issue(fix).cloned().unwrap();
    assert_eq!(i.state, "open", "a tampered record verifies nothing");
    assert_eq!(said(&w, fix, "edited by hand"), 1, "{:?}", w.comments(fix));
    w.validate();
}

#[test]
fn the_operations_budget_leaves_whole_issues_for_the_next_run() {
    let (w, _) = opened(&example_document());
    copies_of_the_fix_issue(&w, 11, &["postmortem-fix"]);
    // 12 overdue fixes, 3 writes each (label, the landing's comment, the
    // overdue comment); 15 writes a run.
    let budget = [("INPUT_OPERATIONS_BUDGET", "15")];
    let first = w.run(
        "check",
        "schedule",
        &schedule_event(),
        "2026-06-01T06:00:00Z",
        &budget,
    );
    assert_eq!(first.code, 1);
    assert!(
        first.summary.contains("left for the next run"),
        "{}",
        first.summary
    );
    let commented = |w: &World| {
        w.fix_issues()
            .iter()
            .filter(|f| !w.comments(f.number).is_empty())
            .count()
    };
    assert_eq!(commented(&w), 5);
    for _ in 0..2 {
        w.run(
            "check",
            "schedule",
            &schedule_event(),
            "2026-06-01T07:00:00Z",
            &budget,
        );
    }
    assert_eq!(commented(&w), 12);
    assert!(
        w.fix_issues()
            .iter()
            .all(|f| said(&w, f.number, "was due on") == 1)
    );
    w.validate();
}

#[test]
fn on_github_enterprise_the_api_path_and_its_page_links_are_followed() {
    let (w, _) = opened(&example_document());
    let body = w.fix_issues()[0].body.clone().unwrap();
    {
        let mut st = w.gh.state();
        st.api_prefix = "/api/v3".into();
        for k in 0..120 {
            st.add_issue(
                &format!("Fix {k}"),
                &body,
                &["postmortem-fix"],
                "github-actions[bot]",
            );
        }
    }
    let api = format!("{}/api/v3", w.gh.url);
    let out = w.run(
        "check",
        "schedule",
        &schedule_event(),
        "2026-05-22T06:00:00Z",
        &[("GITHUB_API_URL", &api)],
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(
        out.summary
            .lines()
            .filter(|l| l.starts_with("| [#"))
            .count(),
        121
    );
    let st = w.gh.state();
    assert!(
        st.log
            .iter()
            .rev()
            .take(out.requests)
            .all(|e| e.url.starts_with("/api/v3/") && e.status < 400)
    );
    drop(st);
    w.validate();
}
