//! `open` against the fake GitHub, through the real binary.

mod common;

use common::*;

#[test]
fn the_happy_path_opens_one_pr_beside_the_runbook_and_one_dated_fix_issue() {
    let w = World::new();
    let (intake, ev) = w.intake(&example_document());
    let out = w.run("open", "issues", &ev, NOW, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    eprintln!("open took {} requests", out.requests);

    let pulls = w.pulls();
    assert_eq!(pulls.len(), 1);
    let pr = &pulls[0];
    let fixes = w.fix_issues();
    assert_eq!(fixes.len(), 1);
    let fix = &fixes[0];
    let pull = pr.pull.as_ref().unwrap();
    assert_eq!(pull.head, BRANCH);
    assert_eq!(pull.teams, ["leadership"]);
    for l in ["postmortem", "chain-L3", "SEV-2"] {
        assert!(
            pr.labels.iter().any(|x| x == l),
            "PR label {l}: {:?}",
            pr.labels
        );
    }
    assert!(
        pr.body
            .as_deref()
            .unwrap()
            .contains(&format!("#{}", fix.number))
    );
    assert_eq!(fix.assignees, ["senior-dev"]);
    assert!(
        fix.title.contains("L3") && fix.title.contains("2026-05-30"),
        "{}",
        fix.title
    );
    assert!(
        fix.body
            .as_deref()
            .unwrap()
            .contains("<!-- postmortem-fix {")
    );

    let st = w.gh.state();
    let head = st.refs[&format!("heads/{BRANCH}")].clone();
    let files = st.files_at(&head);
    assert!(files[DOC_PATH].contains("queue.render p95 above 2s"));
    assert!(files[RUNBOOK].contains("INC-2026-0142"));
    assert!(files[ADR].contains("Amended by"));
    assert!(files.contains_key("runbooks/postmortems/index.json"));
    assert!(files.contains_key("runbooks/postmortems/index.md"));
    // One commit on top of main.
    assert_eq!(st.commits[&head].parents, [st.refs["heads/main"].clone()]);
    let intake_issue = st.issue(intake).unwrap();
    assert_eq!(intake_issue.state, "closed");
    drop(st);
    assert_eq!(w.comments(intake).len(), 1);

    assert_eq!(out.outputs["operation"], "created");
    assert_eq!(out.outputs["pr-number"], pr.number.to_string());
    assert_eq!(out.outputs["fix-issue-number"], fix.number.to_string());
    assert!(out.outputs["pr-url"].ends_with(&format!("/pull/{}", pr.number)));
    assert!(out.summary.contains("INC-2026-0142"));
    w.validate();
}

fn rerun(w: &World, ev: &serde_json::Value, attempt: u32) -> Outcome {
    w.run(
        "open",
        "issues",
        ev,
        NOW,
        &[("GITHUB_RUN_ATTEMPT", &attempt.to_string())],
    )
}

fn assert_one_of_each(w: &World) {
    let pulls = w.pulls();
    let fixes = w.fix_issues();
    assert_eq!(pulls.len(), 1, "pull requests");
    assert_eq!(fixes.len(), 1, "fix issues");
    let pr = &pulls[0];
    assert!(
        pr.body
            .as_deref()
            .unwrap()
            .contains(&format!("#{}", fixes[0].number)),
        "the PR links the fix issue"
    );
    for l in ["postmortem", "chain-L3", "SEV-2"] {
        assert!(pr.labels.iter().any(|x| x == l), "PR label {l}");
    }
    assert_eq!(pr.pull.as_ref().unwrap().teams, ["leadership"]);
}

#[test]
fn three_reruns_leave_one_pr_and_one_fix_issue_and_change_nothing() {
    let w = World::new();
    let (intake, ev) = w.intake(&example_document());
    assert_eq!(w.run("open", "issues", &ev, NOW, &[]).code, 0);
    let head = w.gh.state().refs[&format!("heads/{BRANCH}")].clone();
    for attempt in 2..=4 {
        let out = rerun(&w, &ev, attempt);
        assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
        assert_eq!(
            out.outputs["operation"], "unchanged",
            "run {attempt}: {}",
            out.stderr
        );
        let st = w.gh.state();
        assert!(
            st.log
                .iter()
                .rev()
                .take(out.requests)
                .all(|e| e.method == "GET"),
            "a re-run writes nothing"
        );
    }
    assert_one_of_each(&w);
    assert_eq!(
        w.gh.state().refs[&format!("heads/{BRANCH}")],
        head,
        "no new commit"
    );
    assert_eq!(w.comments(intake).len(), 1);
    w.validate();
}

#[test]
fn a_run_that_died_between_the_pr_and_the_fix_issue_is_completed_by_the_next() {
    let w = World::new();
    let (intake, ev) = w.intake(&example_document());
    // Tree, commit, branch, PR: then the run dies.
    w.gh.state().faults.die_after_writes = Some(4);
    let died = w.run("open", "issues", &ev, NOW, &[]);
    assert_ne!(died.code, 0);
    assert_eq!(w.pulls().len(), 1);
    assert_eq!(w.fix_issues().len(), 0);
    w.gh.state().faults.die_after_writes = None;

    let out = rerun(&w, &ev, 2);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_one_of_each(&w);
    assert_eq!(w.gh.state().issue(intake).unwrap().state, "closed");
    assert_eq!(rerun(&w, &ev, 3).outputs["operation"], "unchanged");
    w.validate();
}

#[test]
fn a_run_that_died_at_any_write_is_completed_by_a_new_event() {
    // A first run does not look for the branch; a new event on the intake
    // issue (not a re-run) before the Action commented on it also does
    // not, finds the branch when creating it, reads and plans again.
    for writes in 1..=8 {
        let w = World::new();
        let (intake, ev) = w.intake(&example_document());
        w.gh.state().faults.die_after_writes = Some(writes);
        let died = w.run("open", "issues", &ev, NOW, &[]);
        assert_ne!(died.code, 0, "died after {writes} write(s)");
        w.gh.state().faults.die_after_writes = None;

        // The new event tells the intake issue's comments as they are.
        let mut next = ev.clone();
        next["issue"]["comments"] = w.comments(intake).len().into();
        let out = w.run("open", "issues", &next, NOW, &[]);
        assert_eq!(
            out.code, 0,
            "after {writes}: {}\n{}",
            out.stdout, out.stderr
        );
        assert_one_of_each(&w);
        assert_eq!(w.gh.state().issue(intake).unwrap().state, "closed");
        assert_eq!(w.comments(intake).len(), 1, "after {writes}");
        assert_eq!(rerun(&w, &ev, 2).outputs["operation"], "unchanged");
        w.validate();
    }
}

#[test]
fn an_invalid_document_gets_one_comment_and_nothing_is_created() {
    let w = World::new();
    let doc =
        std::fs::read_to_string(root().join("examples/anti-patterns/three-fixes.md")).unwrap();
    let (intake, ev) = w.intake(&doc);
    for attempt in 1..=3 {
        let out = rerun(&w, &ev, attempt);
        assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
        assert!(out.stdout.contains("::error"), "annotated: {}", out.stdout);
    }
    let comments = w.comments(intake);
    assert_eq!(comments.len(), 1, "one comment, edited in place");
    assert!(comments[0].contains("needs work"));
    let st = w.gh.state();
    assert!(
        st.issue(intake)
            .unwrap()
            .labels
            .iter()
            .any(|l| l == "postmortem-needs-work")
    );
    assert_eq!(st.refs.len(), 1, "no branch");
    drop(st);
    assert!(w.pulls().is_empty() && w.fix_issues().is_empty());
    w.validate();
}

#[test]
fn server_errors_and_secondary_rate_limits_are_retried_without_duplicates() {
    use fake_github::Fault;
    let w = World::new();
    let (intake, ev) = w.intake(&example_document());
    {
        let mut st = w.gh.state();
        let f = &mut st.faults;
        f.queued.push_back((
            "GET".into(),
            "/repos/{owner}/{repo}/issues".into(),
            Fault::ServerError(500),
        ));
        f.queued.push_back((
            "POST".into(),
            "/repos/{owner}/{repo}/git/trees".into(),
            Fault::ServerError(503),
        ));
        f.queued.push_back((
            "POST".into(),
            "/repos/{owner}/{repo}/pulls".into(),
            Fault::ServerError(502),
        ));
        f.queued.push_back((
            "POST".into(),
            "/repos/{owner}/{repo}/issues".into(),
            Fault::SecondaryRateLimit(403),
        ));
        f.queued.push_back((
            "POST".into(),
            "/repos/{owner}/{repo}/issues/{issue_number}/comments".into(),
            Fault::SecondaryRateLimit(429),
        ));
        // GitHub acts, the answer is lost: found, not repeated.
        f.lost_answer.push("/repos/{owner}/{repo}/pulls".into());
        f.lost_answer.push("/repos/{owner}/{repo}/issues".into());
        f.lost_answer
            .push("/repos/{owner}/{repo}/issues/{issue_number}/comments".into());
        f.retry_after_secs = 1;
    }
    let started = std::time::Instant::now();
    let out = w.run("open", "issues", &ev, NOW, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("rate limited"), "{}", out.stderr);
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(2),
        "Retry-After was honoured"
    );
    assert_one_of_each(&w);
    assert_eq!(w.comments(intake).len(), 1);
    assert!(w.gh.state().faults.queued.is_empty(), "every fault was hit");
    w.validate();
}

#[test]
fn labels_and_reviewers_are_retried_while_the_new_pr_cannot_be_resolved() {
    let w = World::new();
    let (_, ev) = w.intake(&example_document());
    w.gh.state().faults.unresolved_node_after_pr = 3;
    let out = w.run("open", "issues", &ev, NOW, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_one_of_each(&w);
    let unresolved = w.gh.state().log.iter().filter(|e| e.status == 422).count();
    assert_eq!(unresolved, 3);
    w.validate();
}

fn assert_neutral(w: &World) {
    let st = w.gh.state();
    // What the Action wrote: its issues, PRs and comments.
    let mine = st.issues.iter().filter(|i| i.user == st.bot);
    // Titles are plain text on GitHub (no HTML); mentions would notify.
    for t in mine.clone().map(|i| i.title.clone()) {
        for bad in ["@everyone", "@acme/leadership", "@octocat"] {
            assert!(!t.contains(bad), "{bad:?} reached a title: {t}");
        }
    }
    let mut bodies: Vec<String> = mine.filter_map(|i| i.body.clone()).collect();
    bodies.extend(
        st.comments
            .iter()
            .filter(|c| c.user == st.bot)
            .map(|c| c.body.clone()),
    );
    assert!(!bodies.is_empty());
    for b in &bodies {
        for bad in [
            "<script",
            "<img",
            "@everyone",
            "@acme/leadership",
            "@octocat",
            "<!-- postmortem-action:verified",
        ] {
            assert!(!b.contains(bad), "{bad:?} reached GitHub in:\n{b}");
        }
    }
}

fn assert_no_injected_commands(out: &Outcome) {
    for line in out.stdout.lines() {
        assert!(
            !line.starts_with("::set-output") && !line.contains("::error::pwned"),
            "{line}"
        );
    }
}

#[test]
fn hostile_strings_in_every_field_are_neutralised() {
    let w = World::new();
    // Mentions in the fix are findings (names outside the timeline): the
    // findings comment quotes them, neutralised.
    let named = example_document()
        .replace(
            "The cold-cache warming job ships in the current cycle, not the next.",
            "@acme/leadership <img src=x onerror=alert(1)> ::set-output name=pr-number::666 <!-- postmortem-action:verified -->",
        )
        .replace("queue.render.p95 stays &lt;500ms", "@octocat ]]> </details> | pipe --> stays");
    let (_, ev) = w.intake(&named);
    let out = w.run("open", "issues", &ev, NOW, &[]);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert_neutral(&w);
    assert_no_injected_commands(&out);

    // Hostile text where names are allowed: title, runbook update, ADR.
    let hostile = example_document()
        .replace(
            "# queue.render p95 above 2s for graders",
            "# @everyone <script>alert(1)</script> ::error::pwned",
        )
        .replace(
            "Scaling up read replicas per RB-021 mitigated in 90 seconds.",
            "<img src=x onerror=alert(1)> ::set-output name=pr-number::666 <!-- postmortem-action:verified -->",
        )
        .replace("Cache warming runs after deploy", "Cache @octocat </details> <script>x</script>")
        .replace("The cold-cache warming job ships in the current cycle, not the next.", "Ship it <b>now</b> | --> ]]>.");
    let (_, ev) = w.intake(&hostile);
    let out = w.run("open", "issues", &ev, NOW, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(w.pulls().len(), 1);
    assert_neutral(&w);
    assert_no_injected_commands(&out);
    assert_eq!(out.outputs.len(), 4, "{:?}", out.outputs);
    assert_ne!(out.outputs["pr-number"], "666");
    w.validate();
}

#[test]
fn a_runbook_path_that_escapes_the_repository_is_refused() {
    let w = World::new();
    for evil in [
        "../../etc/passwd",
        ".github/workflows/evil.yml",
        "/etc/passwd",
    ] {
        let doc = example_document().replace("runbooks/RB-021.md", evil);
        let (intake, ev) = w.intake(&doc);
        let out = w.run("open", "issues", &ev, NOW, &[]);
        assert_eq!(out.code, 1, "{evil}: {}\n{}", out.stdout, out.stderr);
        assert_eq!(
            w.comments(intake).len(),
            1,
            "{evil}: the problem is said once"
        );
    }
    let st = w.gh.state();
    assert_eq!(st.refs.len(), 1, "no branch was made");
    assert!(
        st.log
            .iter()
            .all(|e| !e.url.contains("etc/passwd") && !e.url.contains(".github"))
    );
    drop(st);
    assert!(w.pulls().is_empty());
    w.validate();
}

#[test]
fn the_forms_dispatch_opens_the_same_pr_and_fix_issue() {
    let w = World::new();
    let ev = dispatch_event(&example_document());
    let out = w.run("open", "repository_dispatch", &ev, NOW, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_one_of_each(&w);
    assert_eq!(
        w.run("open", "repository_dispatch", &ev, NOW, &[]).outputs["operation"],
        "unchanged"
    );
    w.validate();
}

#[test]
fn a_dry_run_prints_the_plan_and_writes_nothing() {
    let w = World::new();
    let (_, ev) = w.intake(&example_document());
    let out = w.run("open", "issues", &ev, NOW, &[("INPUT_DRY-RUN", "true")]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("open pull request postmortem/INC-2026-0142"),
        "{}",
        out.stdout
    );
    assert!(w.gh.state().log.iter().all(|e| e.method == "GET"));
}

#[test]
fn a_person_s_commit_on_the_branch_is_never_overwritten() {
    let w = World::new();
    let (_, ev) = w.intake(&example_document());
    assert_eq!(w.run("open", "issues", &ev, NOW, &[]).code, 0);
    let human = w.gh.state().push(
        BRANCH,
        &[(DOC_PATH, "edited by a person\n")],
        "Reword the impact",
    );
    // The form sends a changed version of the same incident.
    let doc = example_document().replace("About 120 graders", "About 130 graders");
    let out = w.run(
        "open",
        "repository_dispatch",
        &dispatch_event(&doc),
        NOW,
        &[],
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(w.gh.state().refs[&format!("heads/{BRANCH}")], human);
    let pr = w.pulls()[0].number;
    assert!(
        w.comments(pr)
            .iter()
            .any(|c| c.contains("never force-pushes"))
    );
    w.validate();
}

#[test]
fn a_branch_a_person_pushed_before_the_first_run_is_found_and_left_alone() {
    // The first run does not look for the branch; creating it finds it,
    // nothing is overwritten, and the run reads it and plans again.
    let w = World::new();
    let human = {
        let mut st = w.gh.state();
        let main = st.refs["heads/main"].clone();
        let sha = st.commit_files(
            Some(&main),
            &[(DOC_PATH, "drafted by a person\n")],
            "Draft the postmortem",
        );
        st.refs.insert(format!("heads/{BRANCH}"), sha.clone());
        sha
    };
    let (_, ev) = w.intake(&example_document());
    let out = w.run("open", "issues", &ev, NOW, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(w.gh.state().refs[&format!("heads/{BRANCH}")], human);
    assert!(out.stdout.contains("never force-pushes"), "{}", out.stdout);
    assert!(w.pulls().is_empty());
    assert!(w.fix_issues().is_empty());
    let compares =
        w.gh.state()
            .log
            .iter()
            .filter(|e| e.route.contains("/compare/"))
            .count();
    assert_eq!(compares, 1, "read once it was found");
    w.validate();
}

#[test]
fn a_new_intake_after_the_pr_was_closed_and_its_branch_deleted_keeps_the_fix_issue() {
    // Its first run does not look for the branch (it is gone), but still
    // looks for the fix issue: the closed PR's fix issue is reused.
    let w = World::new();
    let (_, ev) = w.intake(&example_document());
    assert_eq!(w.run("open", "issues", &ev, NOW, &[]).code, 0);
    {
        let mut st = w.gh.state();
        let pr = st.pulls()[0].number;
        st.issue_mut(pr).unwrap().state = "closed".into();
        st.refs.remove(&format!("heads/{BRANCH}"));
    }
    let (_, ev) = w.intake(&example_document());
    let out = w.run("open", "issues", &ev, NOW, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(w.pulls().len(), 2);
    assert_eq!(w.fix_issues().len(), 1, "the fix issue is not duplicated");
    w.validate();
}

#[test]
fn a_manual_run_naming_the_intake_issue_opens_the_postmortem() {
    let w = World::new();
    let (intake, _) = w.intake(&example_document());
    let mut ev = example_event("workflow_dispatch", None);
    ev["inputs"] = serde_json::json!({"issue": intake.to_string()});
    ev["repository"]["full_name"] = serde_json::json!("acme/app");
    ev["repository"]["default_branch"] = serde_json::json!("main");
    let out = w.run("open", "workflow_dispatch", &ev, NOW, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_one_of_each(&w);
    w.validate();
}

#[test]
fn after_the_pr_is_merged_a_kept_branch_is_reused_and_nothing_is_duplicated() {
    let w = World::new();
    let (intake, ev) = w.intake(&example_document());
    assert_eq!(w.run("open", "issues", &ev, NOW, &[]).code, 0);
    {
        // Merged (fast-forward), the branch kept.
        let mut st = w.gh.state();
        let head = st.refs[&format!("heads/{BRANCH}")].clone();
        st.refs.insert("heads/main".into(), head);
        let pr = st.pulls()[0].number;
        let p = st.issue_mut(pr).unwrap();
        p.state = "closed".into();
        p.pull.as_mut().unwrap().merged = true;
    }
    let same = rerun(&w, &ev, 2);
    assert_eq!(same.code, 0, "{}\n{}", same.stdout, same.stderr);
    assert_eq!(same.outputs["operation"], "unchanged", "{}", same.stderr);
    // The closed intake issue edited after the merge: not applied, and said
    // once.
    let doc = example_document().replace("About 120 graders", "About 130 graders");
    w.gh.state().edit_issue_as("senior-dev", intake, &doc);
    let edited = w.issue_event("edited", intake);
    for _ in 0..2 {
        let out = w.run("open", "issues", &edited, NOW, &[]);
        assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    }
    let said: Vec<String> = w
        .comments(intake)
        .into_iter()
        .filter(|c| c.contains("did not apply this edit"))
        .collect();
    assert_eq!(said.len(), 1, "{:?}", w.comments(intake));
    assert!(w.pulls().iter().all(|p| p.state == "closed"));
    // The change sent again from the form: one new commit and PR on the
    // kept branch, the same fix issue.
    let out = w.run(
        "open",
        "repository_dispatch",
        &dispatch_event(&doc),
        NOW,
        &[],
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(w.fix_issues().len(), 1);
    let open_prs = w.pulls().into_iter().filter(|p| p.state == "open").count();
    assert_eq!(open_prs, 1);
    w.validate();
}

#[test]
fn an_issue_without_the_label_is_left_alone_without_a_request() {
    let w = World::new();
    let n =
        w.gh.state()
            .add_issue("Bug", "---\nnot a postmortem\n", &["bug"], "alice");
    let out = w.run(
        "open",
        "issues",
        &issues_event("opened", n, "x", &["bug"]),
        NOW,
        &[],
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("Nothing to do"));
    assert_eq!(out.requests, 0);
}
