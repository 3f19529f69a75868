//! The loop at GitHub's edge, through the real binary against a fake that
//! refuses what GitHub refuses: owners who cannot be assigned, readers
//! without access, a rejected dispatch, an edit to a closed intake, a
//! person who may not label, a change merged into the default branch, and
//! evidence that does not count.

mod common;

use common::*;
use fake_github::{Permission, WorkflowRun};

fn open_intake(w: &World) -> Outcome {
    let (_, ev) = w.intake(&example_document());
    w.run("open", "issues", &ev, NOW, &[])
}

fn rerun_issue(w: &World, n: u64) -> Outcome {
    let ev = w.issue_event("opened", n);
    w.run("open", "issues", &ev, NOW, &[("GITHUB_RUN_ATTEMPT", "2")])
}

/// The example with another due date (the front matter and the line that
/// shows it agree).
fn with_due(doc: &str, due: &str) -> String {
    doc.replace("fix_due: 2026-05-30", &format!("fix_due: {due}"))
        .replace("- **Due:** 2026-05-30", &format!("- **Due:** {due}"))
}

fn refusals(w: &World) -> usize {
    w.gh.state()
        .log
        .iter()
        .filter(|e| e.status == 422 && !e.fault)
        .count()
}

#[test]
fn an_owner_who_cannot_be_assigned_still_gets_the_fix_issue_naming_them() {
    let w = World::new();
    w.gh.state().collaborators.clear();
    let out = open_intake(&w);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("cannot be assigned"), "{}", out.stdout);
    let fix = w
        .fix_issues()
        .pop()
        .expect("the fix issue is always created");
    assert!(fix.assignees.is_empty());
    assert!(
        fix.body
            .as_deref()
            .unwrap()
            .contains("`senior-dev` (GitHub cannot assign them in acme/app")
    );
    let pr = w.pulls().pop().unwrap();
    assert!(
        pr.body
            .as_deref()
            .unwrap()
            .contains("GitHub cannot assign them")
    );
    assert_eq!(refusals(&w), 0, "found out before writing, never refused");
    // Given access, the next run assigns them.
    w.gh.state()
        .collaborators
        .insert("senior-dev".into(), Permission::Read);
    let out = rerun_issue(&w, 1);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(w.fix_issues()[0].assignees, ["senior-dev"]);
    w.validate();
}

#[test]
fn a_reader_team_github_refuses_is_reported_on_the_pr_and_never_stops_the_run() {
    // The default token may not list the repository's teams: the team is
    // asked on its own, GitHub refuses, and the run goes on.
    let w = World::new();
    w.gh.state().teams.clear();
    let out = open_intake(&w);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(w.fix_issues().len(), 1);
    assert_eq!(
        w.gh.state().issue(1).unwrap().state,
        "closed",
        "intake done"
    );
    let pr = w.pulls().pop().unwrap();
    let said: Vec<String> = w
        .comments(pr.number)
        .into_iter()
        .filter(|c| c.contains("GitHub refused to ask `acme/leadership`"))
        .collect();
    assert_eq!(said.len(), 1);
    assert!(out.stdout.contains("::warning"), "{}", out.stdout);
    assert_eq!(refusals(&w), 1);
    // A re-run does not ask again, nor say it again; the PR's body now
    // names the team among those GitHub will not ask, and then nothing
    // changes.
    let again = rerun_issue(&w, 1);
    assert_eq!(again.code, 0, "{}\n{}", again.stdout, again.stderr);
    let body = w.pulls().pop().unwrap().body.unwrap();
    assert!(
        body.contains("GitHub does not let the Action ask `acme/leadership`"),
        "{body}"
    );
    let last = rerun_issue(&w, 1);
    assert_eq!(last.outputs["operation"], "unchanged", "{}", last.stderr);
    assert_eq!(refusals(&w), 1);
    w.validate();
}

#[test]
fn readers_known_to_lack_access_are_named_in_the_pr_and_not_asked() {
    let w = World::new();
    {
        let mut st = w.gh.state();
        st.teams.clear();
        st.teams_visible = true;
    }
    let doc = example_document().replace("- acme/leadership\n", "- acme/leadership\n- cto\n");
    assert_ne!(doc, example_document(), "the example names its readers");
    let (_, ev) = w.intake(&doc);
    let out = w.run("open", "issues", &ev, NOW, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let pr = w.pulls().pop().unwrap();
    let body = pr.body.unwrap();
    assert!(
        body.contains("GitHub does not let the Action ask `acme/leadership`, `cto` to review"),
        "{body}"
    );
    assert!(pr.pull.unwrap().teams.is_empty());
    assert_eq!(refusals(&w), 0);
    assert!(
        w.gh.state()
            .log
            .iter()
            .all(|e| e.route != "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")
    );
    w.validate();
}

#[test]
fn a_rejected_dispatch_becomes_an_intake_issue_its_sender_can_fix() {
    let w = World::new();
    let bad = example_document().replace("fix_owner: senior-dev\n", "");
    let ev = dispatch_event(&bad);
    for _ in 0..2 {
        let out = w.run("open", "repository_dispatch", &ev, NOW, &[]);
        assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    }
    let intakes: Vec<fake_github::Issue> =
        w.gh.state()
            .plain_issues()
            .into_iter()
            .filter(|i| i.labels.iter().any(|l| l == "postmortem-needs-work"))
            .cloned()
            .collect();
    assert_eq!(intakes.len(), 1, "one intake issue, however often sent");
    let intake = &intakes[0];
    assert!(intake.labels.iter().any(|l| l == "postmortem"));
    let body = intake.body.clone().unwrap();
    assert_eq!(
        postmortem::submission::intake::extract(&body)
            .unwrap()
            .document,
        bad
    );
    let comments = w.comments(intake.number);
    assert_eq!(comments.len(), 1);
    assert!(comments[0].contains("@senior-dev, the postmortem you sent from the form needs work"));
    assert!(w.pulls().is_empty() && w.fix_issues().is_empty());
    // Its sender fixes the document in the issue: the edit opens it.
    let fixed = postmortem::submission::intake::body(&example_document()).unwrap();
    let from = w.gh.state().events.len();
    w.gh.state()
        .edit_issue_as("senior-dev", intake.number, &fixed);
    let (name, ev) = w.events_since(from).pop().unwrap();
    let out = w.run("open", &name, &ev, NOW, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(w.pulls().len(), 1);
    assert_eq!(w.fix_issues().len(), 1);
    let st = w.gh.state();
    let i = st.issue(intake.number).unwrap();
    assert_eq!(i.state, "closed");
    assert!(!i.labels.iter().any(|l| l == "postmortem-needs-work"));
    drop(st);
    w.validate();
}

#[test]
fn a_person_who_may_not_label_still_reaches_the_action_through_the_intake_marker() {
    let w = World::new();
    let body = postmortem::submission::intake::body(&example_document()).unwrap();
    let from = w.gh.state().events.len();
    // senior-dev has no triage right here: GitHub drops the URL's label.
    w.gh.state()
        .collaborators
        .insert("senior-dev".into(), Permission::Read);
    let n = w.gh.state().open_issue_as(
        "senior-dev",
        "Postmortem INC-2026-0142",
        &body,
        &["postmortem"],
    );
    assert!(w.gh.state().issue(n).unwrap().labels.is_empty());
    let (name, ev) = w.events_since(from).pop().unwrap();
    let out = w.run("open", &name, &ev, NOW, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(w.pulls().len(), 1);
    let st = w.gh.state();
    let i = st.issue(n).unwrap();
    assert!(
        i.labels.iter().any(|l| l == "postmortem"),
        "labelled by the Action"
    );
    assert_eq!(i.state, "closed");
    drop(st);
    w.validate();
}

#[test]
fn a_fix_changes_only_through_a_merged_change_and_a_mismatch_is_reported_not_overwritten() {
    let w = World::new();
    assert_eq!(open_intake(&w).code, 0);
    w.merge_postmortem();
    let fix = w.fix_issues()[0].number;
    // A person commits a new due date to main (as a merged change does).
    let changed = with_due(&example_document(), "2026-06-15");
    assert_ne!(changed, example_document());
    let from = w.gh.state().events.len();
    {
        let mut st = w.gh.state();
        let before = st.refs["heads/main"].clone();
        let after = st.push("main", &[(DOC_PATH, &changed)], "Move the fix's due date");
        let sender = "senior-dev";
        let payload = serde_json::json!({"ref": "refs/heads/main", "before": before, "after": after,
                                         "repository": st.repository_json(), "sender": {"login": sender}});
        st.events.push(fake_github::Event {
            name: "push".into(),
            payload,
        });
    }
    // Before the push is synced, the checker reports, and takes no side.
    let out = w.check("2026-05-26T06:00:00Z");
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("record and merged document disagree"),
        "{}",
        out.stdout
    );
    let title = w.gh.state().issue(fix).unwrap().title.clone();
    assert!(title.contains("due 2026-05-30"), "not overwritten: {title}");
    // The push's workflow brings the fix issue in line, and says so once.
    let (name, ev) = w.events_since(from).pop().unwrap();
    assert_eq!(name, "push");
    for _ in 0..2 {
        let out = w.run("open", &name, &ev, NOW, &[]);
        assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    }
    let i = w.gh.state().issue(fix).cloned().unwrap();
    assert!(i.title.contains("due 2026-06-15"), "{}", i.title);
    let said: Vec<String> = w
        .comments(fix)
        .into_iter()
        .filter(|c| c.contains("due date 2026-05-30 → 2026-06-15"))
        .collect();
    assert_eq!(said.len(), 1, "{:?}", w.comments(fix));
    let out = w.check("2026-05-27T06:00:00Z");
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    w.validate();
}

#[test]
fn passes_before_the_merge_from_pull_requests_or_forks_prove_nothing() {
    let w = World::new();
    assert_eq!(open_intake(&w).code, 0);
    // Green before the postmortem is merged: not yet.
    w.run_on_main("cold-start-p95.yml", "success", "2026-05-22T08:00:00Z");
    let out = w.check("2026-05-22T09:00:00Z");
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let fix = w.fix_issues()[0].number;
    assert_eq!(w.gh.state().issue(fix).unwrap().state, "open");
    w.gh.state().now = "2026-05-23T10:00:00Z".into();
    let merge = w.merge_postmortem();
    {
        let mut st = w.gh.state();
        // After the merge, but on a commit without it, from a pull request,
        // and from a fork.
        let old = st.commits[&merge].parents[0].clone();
        let mut runs = Vec::new();
        for (k, (sha, event, repo)) in [
            (old.as_str(), "push", None),
            (merge.as_str(), "pull_request", None),
            (merge.as_str(), "push", Some("mallory/app")),
        ]
        .into_iter()
        .enumerate()
        {
            let mut r = WorkflowRun::completed(
                900 + k as u64,
                "cold-start-p95.yml",
                "main",
                sha,
                "success",
                "2026-05-24T08:00:00Z",
            );
            r.event = event.into();
            r.head_repository = repo.map(str::to_owned);
            runs.push(r);
        }
        st.runs.extend(runs);
    }
    let out = w.check("2026-05-25T06:00:00Z");
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(w.gh.state().issue(fix).unwrap().state, "open");
    assert!(
        w.comments(fix).iter().any(|c| c.contains("merged in #2")),
        "{:?}",
        w.comments(fix)
    );
    // A pass on a commit that contains the merge closes it, with its link.
    let run = w.run_on_main("cold-start-p95.yml", "success", "2026-05-25T08:00:00Z");
    let out = w.check("2026-05-26T06:00:00Z");
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let i = w.gh.state().issue(fix).cloned().unwrap();
    assert_eq!(i.state, "closed");
    assert!(
        w.comments(fix)
            .iter()
            .any(|c| c.contains(&format!("/actions/runs/{run}")) && c.contains("verified on time"))
    );
    w.validate();
}

#[test]
fn a_workflow_binding_can_name_the_job_that_is_the_test() {
    let w = World::new();
    let doc = example_document().replace(
        "workflow cold-start-p95.yml on main",
        "workflow cold-start-p95.yml on main (job: p95 gate)",
    );
    let (_, ev) = w.intake(&doc);
    assert_eq!(w.run("open", "issues", &ev, NOW, &[]).code, 0);
    w.merge_postmortem();
    let fix = w.fix_issues()[0].number;
    // The run failed as a whole, its p95 gate passed: verified.
    let id = w.run_on_main("cold-start-p95.yml", "failure", "2026-05-25T08:00:00Z");
    {
        let mut st = w.gh.state();
        let r = st.runs.iter_mut().find(|r| r.id == id).unwrap();
        r.jobs.push(fake_github::Job {
            id: 77,
            name: "p95 gate".into(),
            conclusion: Some("success".into()),
            completed_at: Some("2026-05-25T07:59:00Z".into()),
        });
    }
    let out = w.check("2026-05-26T06:00:00Z");
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(w.gh.state().issue(fix).unwrap().state, "closed");
    assert!(w.comments(fix).iter().any(|c| c.contains("/job/77")));
    w.validate();
}

#[test]
fn an_edit_to_a_closed_intake_is_not_applied() {
    let w = World::new();
    assert_eq!(open_intake(&w).code, 0);
    let changed = with_due(&example_document(), "2027-01-01");
    w.gh.state().edit_issue_as("senior-dev", 1, &changed);
    let out = w.run("open", "issues", &w.issue_event("edited", 1), NOW, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        w.comments(1)
            .iter()
            .any(|c| c.contains("did not apply this edit"))
    );
    let st = w.gh.state();
    let fix = st
        .plain_issues()
        .into_iter()
        .find(|i| i.labels.iter().any(|l| l == "postmortem-fix"))
        .unwrap()
        .clone();
    assert!(fix.title.contains("due 2026-05-30"));
    drop(st);
    w.validate();
}

#[test]
fn a_fix_statement_longer_than_github_holds_is_cut_to_fit_not_refused() {
    // GitHub refuses a body over 65,536 characters (the fake too): the fix
    // issue's body cuts the statement at a line and says so.
    let w = World::new();
    let statement = "The cold-cache warming job ships in the current cycle, not the next.";
    let long = format!(
        "{statement}\n\n{}",
        "The warming job ships with the release.\n".repeat(1_900)
    );
    let doc = example_document().replacen(statement, &long, 1);
    let (_, ev) = w.intake(&doc);
    let out = w.run("open", "issues", &ev, NOW, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let fix = w.fix_issues().pop().expect("the fix issue");
    let body = fix.body.unwrap();
    assert!(body.chars().count() <= 65_536);
    assert!(body.contains("(cut here: the whole text is in the postmortem document)"));
    assert!(
        body.contains("<!-- postmortem-fix {"),
        "the record survives whole"
    );
    assert_eq!(refusals(&w), 0);
    w.validate();
}
