//! Tests of the opener, including a small in-memory GitHub that applies a
//! plan, to show a second run on the result plans no writes.

use super::bodies::pr_title;
use super::*;
use crate::plan::{Created, Exit, Planned};
use chrono::NaiveDate;
use postmortem_model::Reader;

const RUNBOOK: &str = "# RB-021 Queue performance\n\n1. Scale read replicas.\n";
const ADR: &str = "# 12. Cache warming runs after deploy\n\nDate: 2026-02-01\n\n## Status\n\nAccepted\n\n## Context\n\nWarm after deploy.\n";
const DOC_PATH: &str = "runbooks/postmortems/2026-05-18-queue-render-p95.md";

pub(crate) fn config() -> Config {
    let env: BTreeMap<String, String> = [("INPUT_MODE", "open"), ("INPUT_TOKEN", "t")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    crate::config::from_env(&env).unwrap()
}

pub(crate) fn repo() -> RepoContext {
    RepoContext {
        full_name: "acme/app".into(),
        server_url: "https://github.com".into(),
        default_branch: "main".into(),
        base_sha: "base0000000000".into(),
    }
}

fn prepared(findings: Vec<Finding>) -> Prepared {
    let pm =
        postmortem_model::from_json(include_str!("../../../examples/queue-render.json")).unwrap();
    Prepared {
        text: "---\nincident: INC-2026-0142\n---\n# as sent\n".into(),
        postmortem: pm,
        findings,
        document: "---\nschema_version: 1\n---\n# Postmortem INC-2026-0142\n".into(),
        slug: "queue-render-p95".into(),
        index_files: vec![(
            "runbooks/postmortems/index.json".parse().unwrap(),
            "[{\"id\":\"INC-2026-0142\"}]\n".into(),
        )],
    }
}

fn fresh_state() -> OpenState {
    let mut files = BTreeMap::new();
    files.insert("runbooks/RB-021.md".to_owned(), Some(RUNBOOK.to_owned()));
    files.insert(
        "docs/adr/0012-cache-warming-in-deploy.md".to_owned(),
        Some(ADR.to_owned()),
    );
    files.insert(DOC_PATH.to_owned(), None);
    files.insert("runbooks/postmortems/index.json".to_owned(), None);
    OpenState {
        files,
        ..OpenState::default()
    }
}

fn intake() -> Source {
    Source::IntakeIssue {
        number: 12,
        open: true,
        labels: vec!["postmortem".into()],
        bot_comments: Vec::new(),
        first_line: 3,
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 19).unwrap()
}

fn run(source: &Source, prepared: &Prepared, state: &OpenState) -> Plan {
    run_with(source, prepared, state, &Access::default())
}

fn run_with(source: &Source, prepared: &Prepared, state: &OpenState, access: &Access) -> Plan {
    plan(&OpenInput {
        config: &config(),
        repo: &repo(),
        source,
        prepared,
        state,
        access,
        today: today(),
    })
}

fn dispatch() -> Source {
    Source::FormDispatch {
        sender: Some("senior-dev".parse().unwrap()),
        intake: None,
    }
}

fn error(code: &str, line: u32) -> Finding {
    Finding {
        code: code.into(),
        rule: "fix-not-more-monitoring".into(),
        severity: FindingSeverity::Error,
        message: "The fix is at L5 <more monitoring>; ask @senior-dev | walk the levels".into(),
        field: Some("fix.level".into()),
        line: Some(line),
    }
}

/// GitHub in memory: applies a plan to the snapshot and the source.
fn apply(plan: &Plan, source: &mut Source, state: &mut OpenState) {
    let mut created: BTreeMap<Planned, Created> = BTreeMap::new();
    let mut next_comment = 500;
    for op in &plan.operations {
        let lookup = |p: Planned| created.get(&p).cloned();
        let number = |t: &Target, created: &BTreeMap<Planned, Created>| match t {
            Target::Number(n) => *n,
            Target::Planned(p) => created[p].number,
        };
        match op {
            Operation::Commit {
                branch,
                parent,
                files,
                ..
            } => {
                assert_eq!(branch, "postmortem/INC-2026-0142");
                assert_eq!(parent, &state.branch.as_ref().map(|b| b.head_sha.clone()));
                for f in files {
                    state.files.insert(f.path.clone(), Some(f.content.clone()));
                }
                state.branch = Some(BranchState {
                    head_sha: format!("action{}", files.len()),
                    only_action_commits: true,
                });
            }
            Operation::CreatePullRequest { title, body, .. } => {
                let pr = PullRequestState {
                    number: 41,
                    html_url: "https://github.com/acme/app/pull/41".into(),
                    title: title.clone(),
                    body: body.resolve(lookup).unwrap(),
                    labels: Vec::new(),
                    asked: Vec::new(),
                    bot_comments: Vec::new(),
                };
                created.insert(
                    Planned::PullRequest,
                    Created {
                        number: 41,
                        html_url: pr.html_url.clone(),
                    },
                );
                state.pull_request = Some(pr);
            }
            Operation::UpdatePullRequest {
                target,
                title,
                body,
                labels,
            } => {
                let n = number(target, &created);
                let body = body.resolve(lookup).unwrap();
                let pr = state.pull_request.as_mut().unwrap();
                assert_eq!(pr.number, n);
                pr.title = title.clone();
                pr.body = body;
                for l in labels {
                    if !pr.labels.contains(l) {
                        pr.labels.push(l.clone());
                    }
                }
            }
            Operation::AddLabels { target, labels } => {
                let n = number(target, &created);
                if state.pull_request.as_ref().is_some_and(|p| p.number == n) {
                    state
                        .pull_request
                        .as_mut()
                        .unwrap()
                        .labels
                        .extend(labels.clone());
                } else if state.fix_issue.as_ref().is_some_and(|f| f.number == n) {
                    state
                        .fix_issue
                        .as_mut()
                        .unwrap()
                        .labels
                        .extend(labels.clone());
                } else if let Source::IntakeIssue { labels: l, .. } = source {
                    l.extend(labels.clone());
                }
            }
            Operation::RemoveLabels { labels, .. } => {
                if let Source::IntakeIssue { labels: l, .. } = source {
                    l.retain(|x| !labels.contains(x));
                }
            }
            Operation::RequestReviewers { users, teams, .. } => {
                let pr = state.pull_request.as_mut().unwrap();
                for u in users {
                    pr.asked.push(u.parse().unwrap());
                }
                for t in teams {
                    pr.asked.push(format!("acme/{t}").parse().unwrap());
                }
            }
            Operation::CreateIssue {
                planned,
                title,
                body,
                assignees,
                labels,
            } => {
                let fix = FixIssueState {
                    number: 42,
                    html_url: "https://github.com/acme/app/issues/42".into(),
                    open: true,
                    title: title.clone(),
                    body: body.resolve(lookup).unwrap(),
                    labels: labels.clone(),
                    assignees: assignees.clone(),
                };
                created.insert(
                    *planned,
                    Created {
                        number: 42,
                        html_url: fix.html_url.clone(),
                    },
                );
                state.fix_issue = Some(fix);
            }
            Operation::UpdateIssue { title, body, .. } => {
                let body = body.resolve(lookup).unwrap();
                let f = state.fix_issue.as_mut().unwrap();
                f.title = title.clone();
                f.body = body;
            }
            Operation::AddAssignees { assignees, .. } => {
                state
                    .fix_issue
                    .as_mut()
                    .unwrap()
                    .assignees
                    .extend(assignees.clone());
            }
            Operation::Comment { target, body } => {
                next_comment += 1;
                let comment = BotComment {
                    id: next_comment,
                    body: body.resolve(lookup).unwrap(),
                };
                match (target, source as &mut Source) {
                    (Target::Number(12), Source::IntakeIssue { bot_comments, .. }) => {
                        bot_comments.push(comment);
                    }
                    _ => state
                        .pull_request
                        .as_mut()
                        .unwrap()
                        .bot_comments
                        .push(comment),
                }
            }
            Operation::UpdateComment { comment_id, body } => {
                if let Source::IntakeIssue { bot_comments, .. } = source {
                    let c = bot_comments
                        .iter_mut()
                        .find(|c| c.id == *comment_id)
                        .unwrap();
                    c.body = body.resolve(lookup).unwrap();
                }
            }
            Operation::CloseIssue { number: 12, .. } => {
                if let Source::IntakeIssue { open, .. } = source {
                    *open = false;
                }
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

fn ops(plan: &Plan) -> Vec<String> {
    plan.operations.iter().map(Operation::headline).collect()
}

#[test]
fn errors_give_one_comment_and_a_label_and_nothing_else() {
    let prepared = prepared(vec![error("PM031", 5)]);
    let plan = run(&intake(), &prepared, &fresh_state());
    assert_eq!(
        ops(&plan),
        ["comment on #12", "label #12 with postmortem-needs-work"]
    );
    let Operation::Comment { body, .. } = &plan.operations[0] else {
        panic!()
    };
    let body = body.as_literal().unwrap();
    assert!(body.starts_with("<!-- postmortem-action:findings -->"));
    // Line 5 of the document is line 7 of the issue (it starts on line 3).
    assert!(body.contains("| 7 | PM031 `fix-not-more-monitoring` | fix.level |"));
    assert!(body.contains("&lt;more monitoring&gt;"));
    assert!(body.contains("@\u{200B}senior-dev \\| walk"));
    assert!(matches!(plan.exit, Exit::Failure { .. }));
    assert_eq!(plan.annotations.len(), 1);
}

#[test]
fn the_findings_comment_is_edited_in_place() {
    let prepared1 = prepared(vec![error("PM031", 5)]);
    let mut source = intake();
    let mut state = fresh_state();
    let first = run(&source, &prepared1, &state);
    apply(&first, &mut source, &mut state);
    // Same findings: nothing to write.
    assert!(!run(&source, &prepared1, &state).writes());
    // Other findings: the same comment is edited.
    let prepared2 = prepared(vec![error("PM031", 5), error("PM040", 9)]);
    let second = run(&source, &prepared2, &state);
    assert_eq!(ops(&second), ["edit comment 501"]);
}

#[test]
fn warnings_alone_do_not_block() {
    let mut w = error("PM050", 3);
    w.severity = FindingSeverity::Warning;
    let plan = run(&intake(), &prepared(vec![w]), &fresh_state());
    assert!(
        plan.operations
            .iter()
            .any(|o| matches!(o, Operation::CreatePullRequest { .. }))
    );
}

#[test]
fn a_dispatched_document_with_errors_files_an_intake_issue_with_its_findings() {
    let prepared = prepared(vec![error("PM031", 5)]);
    let plan = run(&dispatch(), &prepared, &fresh_state());
    assert_eq!(
        ops(&plan),
        [
            "open issue: Postmortem INC-2026-0142: queue.render p95 above 2s for graders",
            "comment on the new intake issue",
        ]
    );
    let Operation::CreateIssue { body, labels, .. } = &plan.operations[0] else {
        panic!()
    };
    let body = body.as_literal().unwrap();
    assert!(postmortem::submission::intake::is_intake(&body));
    assert_eq!(
        postmortem::submission::intake::extract(&body)
            .unwrap()
            .document,
        prepared.text,
        "the document as sent"
    );
    assert_eq!(labels, &["postmortem", NEEDS_WORK_LABEL]);
    let Operation::Comment { body, .. } = &plan.operations[1] else {
        panic!()
    };
    let body = body.as_literal().unwrap();
    assert!(body.contains("@senior-dev, the postmortem you sent from the form needs work"));
    // The document's line 5 is the issue's line 9 (marker, note, blank, fence).
    assert!(body.contains("| 9 | PM031"), "{body}");
    assert!(matches!(plan.exit, Exit::Failure { .. }));

    // A later dispatch of the same incident updates that issue.
    let filed = FiledIntake {
        number: 77,
        body: postmortem::submission::intake::body(&prepared.text).unwrap(),
        labels: vec!["postmortem".into(), NEEDS_WORK_LABEL.into()],
        bot_comments: vec![BotComment {
            id: 9,
            body: body.clone(),
        }],
    };
    let source = Source::FormDispatch {
        sender: Some("senior-dev".parse().unwrap()),
        intake: Some(filed),
    };
    assert!(!run(&source, &prepared, &fresh_state()).writes());
    let mut changed = prepared.clone();
    changed.text.push_str("more\n");
    let plan = run(&source, &changed, &fresh_state());
    assert_eq!(
        ops(&plan),
        ["update issue #77: Postmortem INC-2026-0142: queue.render p95 above 2s for graders",]
    );
}

#[test]
fn a_clean_dispatch_closes_the_intake_issue_filed_for_an_earlier_one() {
    let source = Source::FormDispatch {
        sender: None,
        intake: Some(FiledIntake {
            number: 77,
            body: String::new(),
            labels: vec!["postmortem".into(), NEEDS_WORK_LABEL.into()],
            bot_comments: Vec::new(),
        }),
    };
    let plan = run(&source, &prepared(Vec::new()), &fresh_state());
    let tail: Vec<String> = ops(&plan).into_iter().skip(5).collect();
    assert_eq!(
        tail,
        [
            "remove label(s) postmortem-needs-work from #77",
            "comment on #77",
            "close #77 as completed"
        ]
    );
}

#[test]
fn a_missing_runbook_is_a_problem_listed_like_a_finding() {
    let mut state = fresh_state();
    state.files.insert("runbooks/RB-021.md".into(), None);
    let plan = run(&intake(), &prepared(Vec::new()), &state);
    let Operation::Comment { body, .. } = &plan.operations[0] else {
        panic!()
    };
    assert!(
        body.as_literal()
            .unwrap()
            .contains("the runbook runbooks/RB-021.md does not exist")
    );
}

#[test]
fn the_repository_is_checked_only_once_the_document_is_clean() {
    // With lint errors the shell reads nothing from the repository, so no
    // file counts as missing yet: the comment lists the lint errors only.
    let plan = run(
        &intake(),
        &prepared(vec![error("PM031", 5)]),
        &OpenState::default(),
    );
    let Operation::Comment { body, .. } = &plan.operations[0] else {
        panic!()
    };
    let body = body.as_literal().unwrap();
    assert!(
        body.contains("PM031") && !body.contains("does not exist"),
        "{body}"
    );
    assert_eq!(plan.annotations.len(), 1);
}

#[test]
fn the_action_s_commits_carry_its_trailer() {
    let plan = run(&intake(), &prepared(Vec::new()), &fresh_state());
    let Some(Operation::Commit { message, .. }) = plan.operations.first() else {
        panic!("{:?}", plan.operations)
    };
    assert!(
        message.ends_with(&format!("\n\n{COMMIT_TRAILER}")),
        "{message}"
    );
}

#[test]
fn a_clean_postmortem_opens_everything_in_order() {
    let plan = run(&intake(), &prepared(Vec::new()), &fresh_state());
    assert_eq!(
        ops(&plan),
        [
            "commit 4 file(s) to postmortem/INC-2026-0142 (creating the branch from main)",
            "open pull request postmortem/INC-2026-0142 → main: Postmortem INC-2026-0142: queue.render p95 above 2s for graders",
            "open issue: Postmortem INC-2026-0142: L3 Scope fix, due 2026-05-30",
            "update pull request the new pull request: Postmortem INC-2026-0142: queue.render p95 above 2s for graders; label it with postmortem, chain-L3, SEV-2",
            "request reviews on the new pull request from users [] and teams [leadership]",
            "comment on #12",
            "close #12 as completed",
        ]
    );
    let Operation::Commit {
        files, base_sha, ..
    } = &plan.operations[0]
    else {
        panic!()
    };
    assert_eq!(base_sha.as_deref(), Some("base0000000000"));
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            DOC_PATH,
            "runbooks/RB-021.md",
            "docs/adr/0012-cache-warming-in-deploy.md",
            "runbooks/postmortems/index.json"
        ]
    );
    assert!(
        files[1]
            .content
            .contains("## 2026-05-19 — Postmortem INC-2026-0142")
    );
    assert!(
        files[1]
            .content
            .contains("[INC-2026-0142](postmortems/2026-05-18-queue-render-p95.md)")
    );
    assert!(files[2].content.contains(
        "Amended by [Postmortem INC-2026-0142: queue.render p95 above 2s for graders](../../runbooks/postmortems/2026-05-18-queue-render-p95.md)"
    ));

    let Operation::CreateIssue {
        body,
        assignees,
        labels,
        ..
    } = &plan.operations[2]
    else {
        panic!()
    };
    assert_eq!(assignees, &["senior-dev"]);
    assert_eq!(labels, &["postmortem-fix", "chain-L3"]);
    let text = body.to_string();
    assert!(text.contains("- Pull request: ⟨number of the new pull request⟩"));
    assert!(text.contains("| Due | **2026-05-30** (end of day, UTC) |"));

    let outputs: Vec<(String, String)> = plan
        .outputs
        .iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect();
    assert_eq!(
        outputs[0],
        (
            "pr-number".into(),
            "⟨number of the new pull request⟩".into()
        )
    );
    assert_eq!(outputs[3], ("operation".into(), "created".into()));
    assert_eq!(plan.exit, Exit::Success);
}

#[test]
fn a_second_run_on_the_result_writes_nothing() {
    let prepared = prepared(Vec::new());
    let mut source = intake();
    let mut state = fresh_state();
    let first = run(&source, &prepared, &state);
    apply(&first, &mut source, &mut state);
    let pr = state.pull_request.as_ref().unwrap();
    assert!(pr.body.contains("| Fix issue | #42 |"));
    let fix = state.fix_issue.as_ref().unwrap();
    assert!(matches!(
        fixissue::parse_block(&fix.body),
        BlockState::Sealed { .. }
    ));
    let second = run(&source, &prepared, &state);
    assert!(!second.writes(), "{}", second.render_text());
    let outputs: Vec<String> = second.outputs.iter().map(|(_, v)| v.to_string()).collect();
    assert_eq!(
        outputs,
        [
            "41",
            "https://github.com/acme/app/pull/41",
            "42",
            "unchanged"
        ]
    );
}

#[test]
fn a_run_that_died_after_the_pr_is_completed() {
    let prepared = prepared(Vec::new());
    let mut source = intake();
    let mut state = fresh_state();
    let first = run(&source, &prepared, &state);
    // Apply only the commit and the PR.
    let partial = Plan {
        operations: first.operations[..2].to_vec(),
        ..first.clone()
    };
    apply(&partial, &mut source, &mut state);
    let resumed = run(&source, &prepared, &state);
    assert_eq!(
        ops(&resumed),
        [
            "label #41 with postmortem, chain-L3, SEV-2",
            "open issue: Postmortem INC-2026-0142: L3 Scope fix, due 2026-05-30",
            "update pull request #41: Postmortem INC-2026-0142: queue.render p95 above 2s for graders",
            "request reviews on #41 from users [] and teams [leadership]",
            "comment on #12",
            "close #12 as completed",
        ]
    );
    apply(&resumed, &mut source, &mut state);
    assert!(!run(&source, &prepared, &state).writes());
}

#[test]
fn a_run_that_died_after_the_fix_issue_links_and_labels_the_pr() {
    let prepared = prepared(Vec::new());
    let mut source = intake();
    let mut state = fresh_state();
    let first = run(&source, &prepared, &state);
    // The commit, the PR and the fix issue; not the update that links the
    // fix issue and labels the PR.
    let partial = Plan {
        operations: first.operations[..3].to_vec(),
        ..first.clone()
    };
    apply(&partial, &mut source, &mut state);
    assert!(state.pull_request.as_ref().unwrap().labels.is_empty());
    let resumed = run(&source, &prepared, &state);
    assert_eq!(
        ops(&resumed),
        [
            "update pull request #41: Postmortem INC-2026-0142: queue.render p95 above 2s for graders",
            "label #41 with postmortem, chain-L3, SEV-2",
            "request reviews on #41 from users [] and teams [leadership]",
            "comment on #12",
            "close #12 as completed",
        ]
    );
    apply(&resumed, &mut source, &mut state);
    assert!(
        state
            .pull_request
            .as_ref()
            .unwrap()
            .body
            .contains("| Fix issue | #42 |")
    );
    assert!(!run(&source, &prepared, &state).writes());
}

#[test]
fn a_changed_document_updates_the_branch_and_pr_but_the_fix_issue_keeps_its_fix() {
    let mut prepared = prepared(Vec::new());
    let mut source = intake();
    let mut state = fresh_state();
    apply(&run(&source, &prepared, &state), &mut source, &mut state);
    // A new intake of the same incident, changing the due date.
    source = intake();
    prepared.document.push_str("\nA reviewer's correction.\n");
    prepared.postmortem.fix.due = NaiveDate::from_ymd_opt(2026, 6, 6);
    let plan = run(&source, &prepared, &state);
    let ops = ops(&plan);
    assert_eq!(
        &ops[..2],
        [
            "commit 1 file(s) to postmortem/INC-2026-0142 (on top of action4)",
            "update pull request #41: Postmortem INC-2026-0142: queue.render p95 above 2s for graders",
        ]
    );
    assert!(
        !ops.iter().any(|o| o.starts_with("update issue")),
        "{ops:?}"
    );
    let Operation::UpdatePullRequest { body, .. } = &plan.operations[1] else {
        panic!()
    };
    assert!(body.as_literal().unwrap().contains(
        "The fix issue #42 keeps the fix it was filed with (L3 Scope, `senior-dev`, due 2026-05-30) until a change to the document is merged"
    ));
}

#[test]
fn an_edit_to_a_closed_intake_is_not_applied_and_said_once() {
    let mut prepared = prepared(Vec::new());
    let mut source = intake();
    let mut state = fresh_state();
    apply(&run(&source, &prepared, &state), &mut source, &mut state);
    assert!(matches!(source, Source::IntakeIssue { open: false, .. }));
    prepared.text.push_str("edited\n");
    prepared.document.push_str("\nedited\n");
    let plan = run(&source, &prepared, &state);
    assert_eq!(ops(&plan), ["comment on #12"]);
    let Operation::Comment { body, .. } = &plan.operations[0] else {
        panic!()
    };
    assert!(
        body.as_literal()
            .unwrap()
            .contains("did not apply this edit")
    );
    assert!(body.as_literal().unwrap().contains("#41"));
    apply(&plan, &mut source, &mut state);
    assert!(!run(&source, &prepared, &state).writes());
}

#[test]
fn an_owner_who_cannot_be_assigned_is_named_and_everything_is_still_opened() {
    let access = Access {
        owner_assignable: Some(false),
        ..Access::default()
    };
    let plan = run_with(&intake(), &prepared(Vec::new()), &fresh_state(), &access);
    let Some(Operation::CreateIssue {
        assignees, body, ..
    }) = plan
        .operations
        .iter()
        .find(|o| matches!(o, Operation::CreateIssue { .. }))
    else {
        panic!()
    };
    assert!(assignees.is_empty());
    assert!(
        body.to_string()
            .contains("`senior-dev` (GitHub cannot assign them in acme/app")
    );
    let Operation::CreatePullRequest { body, .. } = &plan.operations[1] else {
        panic!()
    };
    assert!(
        body.to_string()
            .contains("| Fix owner | `senior-dev` (GitHub cannot assign them")
    );
    assert!(
        plan.annotations
            .iter()
            .any(|a| a.title.contains("cannot be assigned"))
    );
    assert_eq!(plan.exit, Exit::Success);
}

#[test]
fn readers_without_access_are_named_not_asked_and_unknown_teams_are_asked_alone() {
    let mut prepared = prepared(Vec::new());
    prepared.postmortem.readers = [
        "alice",
        "bob",
        "acme/leadership",
        "acme/board",
        "other/board",
    ]
    .iter()
    .map(|r| r.parse().unwrap())
    .collect();
    let access = Access {
        owner_assignable: Some(true),
        without_access: vec!["bob".parse().unwrap()],
        unknown: vec![
            "acme/leadership".parse().unwrap(),
            "acme/board".parse().unwrap(),
        ],
    };
    let plan = run_with(&intake(), &prepared, &fresh_state(), &access);
    let requests: Vec<String> = ops(&plan)
        .into_iter()
        .filter(|o| o.starts_with("request reviews"))
        .collect();
    assert_eq!(
        requests,
        [
            "request reviews on the new pull request from users [alice] and teams []",
            "request reviews on the new pull request from users [] and teams [leadership]",
            "request reviews on the new pull request from users [] and teams [board]",
        ]
    );
    let Operation::CreatePullRequest { body, .. } = &plan.operations[1] else {
        panic!()
    };
    let body = body.to_string();
    assert!(
        body.contains("`alice`, `acme/leadership`, `acme/board` asked to review"),
        "{body}"
    );
    assert!(
        body.contains("GitHub does not let the Action ask `bob`, `other/board` to review"),
        "{body}"
    );
}

#[test]
fn a_refused_reader_is_said_once_and_not_asked_again() {
    let refused: Vec<Reader> = vec!["acme/leadership".parse().unwrap()];
    let plan = refused_readers("acme/app", Target::Number(41), &refused);
    let Operation::Comment { body, .. } = &plan.operations[0] else {
        panic!()
    };
    let body = body.as_literal().unwrap();
    assert!(body.contains("GitHub refused to ask `acme/leadership` to review"));
    // The next run finds the marker and does not ask again.
    let prepared = prepared(Vec::new());
    let mut source = intake();
    let mut state = fresh_state();
    apply(&run(&source, &prepared, &state), &mut source, &mut state);
    let pr = state.pull_request.as_mut().unwrap();
    pr.asked.clear();
    pr.bot_comments.push(BotComment { id: 3, body });
    let questions = access_questions(&prepared.postmortem, &state, "acme");
    assert!(questions.teams.is_empty());
    assert!(
        !run(&source, &prepared, &state)
            .operations
            .iter()
            .any(|o| matches!(o, Operation::RequestReviewers { .. }))
    );
}

#[test]
fn only_what_is_still_to_do_is_asked_of_github() {
    let prepared = prepared(Vec::new());
    let q = access_questions(&prepared.postmortem, &fresh_state(), "acme");
    assert_eq!(q.owner.as_ref().map(|o| o.as_str()), Some("senior-dev"));
    assert_eq!(q.teams, ["leadership"]);
    let mut source = intake();
    let mut state = fresh_state();
    apply(&run(&source, &prepared, &state), &mut source, &mut state);
    assert_eq!(
        access_questions(&prepared.postmortem, &state, "acme"),
        AccessQuestions::default()
    );
}

#[test]
fn a_branch_with_human_commits_is_left_alone_and_the_pr_says_so() {
    let prepared = prepared(Vec::new());
    let mut source = intake();
    let mut state = fresh_state();
    apply(&run(&source, &prepared, &state), &mut source, &mut state);
    state.branch = Some(BranchState {
        head_sha: "human1".into(),
        only_action_commits: false,
    });
    // A new intake of the same incident.
    source = intake();
    let mut changed = prepared.clone();
    changed.document.push_str("\nmore\n");
    let plan = run(&source, &changed, &state);
    assert_eq!(ops(&plan), ["comment on #41"]);
    assert!(plan.summary[0].contains("never force-pushes"));
    apply(&plan, &mut source, &mut state);
    assert!(!run(&source, &changed, &state).writes());
}

#[test]
fn an_already_merged_postmortem_opens_no_new_pr() {
    let prepared = prepared(Vec::new());
    let mut source = intake();
    let mut state = fresh_state();
    apply(&run(&source, &prepared, &state), &mut source, &mut state);
    // Merged: the branch and the PR are gone, the files are on main.
    state.branch = None;
    state.pull_request = None;
    let plan = run(&source, &prepared, &state);
    assert!(!plan.writes(), "{}", plan.render_text());
}

#[test]
fn titles_cannot_mention() {
    let id: IncidentId = "INC-1".parse().unwrap();
    assert_eq!(
        pr_title(&id, "ask @ops\nnow"),
        "Postmortem INC-1: ask @\u{200B}ops now"
    );
    assert_eq!(pr_title(&id, ""), "Postmortem INC-1");
}

#[test]
fn the_fix_issue_is_found_by_its_incident() {
    let id: IncidentId = "INC-2026-0142".parse().unwrap();
    let mut state = fresh_state();
    let mut source = intake();
    apply(
        &run(&source, &prepared(Vec::new()), &state),
        &mut source,
        &mut state,
    );
    let body = state.fix_issue.unwrap().body;
    let other: IncidentId = "INC-9".parse().unwrap();
    let candidates = vec![(7, "unrelated".to_owned()), (42, body.clone())];
    assert_eq!(find_fix_issue(&id, &candidates).map(|c| c.0), Some(42));
    assert_eq!(find_fix_issue(&other, &candidates), None);
    let tampered = body.replace("\"senior-dev\"", "\"x\"");
    let candidates = vec![(43, tampered)];
    assert_eq!(find_fix_issue(&id, &candidates).map(|c| c.0), Some(43));
}

#[test]
fn only_a_first_run_on_a_fresh_intake_issue_skips_looking_for_the_branch() {
    let fresh = intake();
    assert!(may_assume_no_branch(&fresh, Some(0), false, false));
    // Any comment, even one not by the Action, or an unknown count.
    assert!(!may_assume_no_branch(&fresh, Some(1), false, false));
    assert!(!may_assume_no_branch(&fresh, None, false, false));
    // A re-run (how a crashed run is completed) and a dry run read it.
    assert!(!may_assume_no_branch(&fresh, Some(0), true, false));
    assert!(!may_assume_no_branch(&fresh, Some(0), false, true));
    // A closed intake issue was handled before; a form dispatch has no
    // intake issue to tell.
    let Source::IntakeIssue {
        number,
        labels,
        first_line,
        ..
    } = fresh.clone()
    else {
        panic!()
    };
    let closed = Source::IntakeIssue {
        number,
        open: false,
        labels,
        bot_comments: Vec::new(),
        first_line,
    };
    assert!(!may_assume_no_branch(&closed, Some(0), false, false));
    assert!(!may_assume_no_branch(&dispatch(), Some(0), false, false));
}

#[test]
fn the_runner_s_commit_is_the_base_only_for_the_default_branch_on_a_first_run() {
    let sha = "0123456789abcdef0123456789abcdef01234567";
    let main = Some("refs/heads/main");
    assert_eq!(base_from_runner(true, main, Some(sha), "main"), Some(sha));
    // Not a first run: the branch's head is read as it is now.
    assert_eq!(base_from_runner(false, main, Some(sha), "main"), None);
    // A workflow_dispatch from another branch, or no runner values.
    let other = Some("refs/heads/feature");
    assert_eq!(base_from_runner(true, other, Some(sha), "main"), None);
    assert_eq!(base_from_runner(true, None, Some(sha), "main"), None);
    assert_eq!(base_from_runner(true, main, None, "main"), None);
    assert_eq!(base_from_runner(true, main, Some("main"), "main"), None);
}

#[test]
fn index_md_is_written_with_index_json_and_never_read() {
    let json = "runbooks/postmortems/index.json";
    let md = "runbooks/postmortems/index.md";
    let mut prepared = prepared(Vec::new());
    prepared
        .index_files
        .push((md.parse().unwrap(), "| Date | Incident |\n".into()));
    // The JSON changes: the Markdown is written too, though never read.
    let plan = run(&intake(), &prepared, &fresh_state());
    let Operation::Commit { files, .. } = &plan.operations[0] else {
        panic!()
    };
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert!(paths.contains(&json) && paths.contains(&md), "{paths:?}");
    // The JSON is as it should be: the Markdown, derived from it, is left.
    let mut state = fresh_state();
    state
        .files
        .insert(json.into(), Some(prepared.index_files[0].1.clone()));
    let plan = run(&intake(), &prepared, &state);
    let Operation::Commit { files, .. } = &plan.operations[0] else {
        panic!()
    };
    assert!(files.iter().all(|f| f.path != json && f.path != md));
}
