//! The Action's API cost, counted from the fake GitHub's request log (not
//! a timed test): requests per `open`, its checks before writing included,
//! and per `check` over 1,000 open fix issues whose postmortems are on the
//! default branch (each fix: its document, its landing, its results), and
//! the wall time of that check against the fake. Prints a Markdown snippet
//! for BENCHMARKS.md.
//!
//! ```text
//! (cd tests/github-spec && npm ci)   # example payloads for the events
//! cargo bench -p postmortem-action --bench api_requests
//! ```

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::time::Instant;

use chrono::NaiveDate;
use common::*;
use fake_github::WorkflowRun;
use postmortem_action::fixissue::{FixBlock, FixIssueContent, render_body};
use postmortem_action::plan::Target;
use postmortem_model::{ChainLevel, TestBinding};

const FIXES: usize = 1000;

fn by_route(w: &World, last: usize) -> BTreeMap<String, usize> {
    let st = w.gh.state();
    let mut m = BTreeMap::new();
    for e in st.log.iter().rev().take(last) {
        *m.entry(format!("{} {}", e.method, e.route)).or_insert(0) += 1;
    }
    m
}

fn main() {
    // --- open: the first run, then a re-run.
    let w = World::new();
    let (_, ev) = w.intake(&example_document());
    let first = w.run("open", "issues", &ev, NOW, &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let first_routes = by_route(&w, first.requests);
    let again = w.run("open", "issues", &ev, NOW, &[("GITHUB_RUN_ATTEMPT", "2")]);
    assert_eq!(again.code, 0, "{}", again.stderr);

    // --- check: 1,000 open fix issues, each bound to its own workflow;
    // one in ten has passed (verified: 3 writes), one in ten is overdue.
    let w2 = World::new();
    {
        let mut st = w2.gh.state();
        // Every postmortem is on main (committed at once), its fix as the
        // fix issue's record states it.
        let mut docs = Vec::new();
        for k in 0..FIXES {
            let due = if k % 10 == 1 {
                "2026-05-01"
            } else {
                "2026-07-01"
            };
            let doc = example_document()
                .replace("INC-2026-0142", &format!("INC-2026-{k:04}"))
                .replace("cold-start-p95.yml", &format!("fix-{k}.yml"))
                .replace("2026-05-30", due);
            docs.push((format!("runbooks/postmortems/2026-05-18-fix-{k}.md"), doc));
        }
        let files: Vec<(&str, &str)> = docs.iter().map(|(p, d)| (p.as_str(), d.as_str())).collect();
        st.push("main", &files, "Postmortems");
        let head = st.refs["heads/main"].clone();
        for k in 0..FIXES {
            let due = if k % 10 == 1 {
                NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()
            } else {
                NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
            };
            let block = FixBlock {
                v: postmortem_action::fixissue::BLOCK_VERSION,
                incident: format!("INC-2026-{k:04}").parse().unwrap(),
                level: ChainLevel::L3,
                owner: "senior-dev".parse().unwrap(),
                due,
                binding: Some(
                    TestBinding::new("workflow", &format!("fix-{k}.yml"), "main", "").unwrap(),
                ),
                document: format!("runbooks/postmortems/2026-05-18-fix-{k}.md")
                    .parse()
                    .unwrap(),
                branch: format!("postmortem/INC-2026-{k:04}"),
            };
            let body = render_body(&FixIssueContent {
                block: block.clone(),
                statement: "The warming job ships.".into(),
                test_statement: "p95 < 500ms".into(),
                document_url: "https://github.com/acme/app/blob/main/x.md".into(),
                pull_request: Some(Target::Number(1)),
                intake_issue: None,
                zone: "UTC".into(),
                unassignable_in: None,
            })
            .as_literal()
            .unwrap();
            st.add_issue(
                &postmortem_action::fixissue::title(&block),
                &body,
                &["postmortem-fix", "chain-L3"],
                "github-actions[bot]",
            );
            if k % 10 == 0 {
                let id = st.id();
                let mut run = WorkflowRun::completed(
                    id,
                    &format!("fix-{k}.yml"),
                    "main",
                    &head,
                    "success",
                    "2026-05-22T09:10:00Z",
                );
                run.created_at = "2026-05-22T09:00:00Z".into();
                st.runs.push(run);
            }
        }
    }
    let budget = [("INPUT_OPERATIONS_BUDGET", "1000")];
    let t = Instant::now();
    let check = w2.run(
        "check",
        "schedule",
        &schedule_event(),
        "2026-05-23T06:00:00Z",
        &budget,
    );
    let wall = t.elapsed();
    let check_routes = by_route(&w2, check.requests);
    let t2 = Instant::now();
    let check2 = w2.run(
        "check",
        "schedule",
        &schedule_event(),
        "2026-05-24T06:00:00Z",
        &budget,
    );
    let wall2 = t2.elapsed();
    let check2_routes = by_route(&w2, check2.requests);

    let count = |m: &BTreeMap<String, usize>, k: &str| m.get(k).copied().unwrap_or(0);
    let writes = |m: &BTreeMap<String, usize>| {
        m.iter()
            .filter(|(k, _)| !k.starts_with("GET "))
            .map(|(_, v)| v)
            .sum::<usize>()
    };
    let lookups = "GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs";
    let documents = "GET /repos/{owner}/{repo}/contents/{path}";
    let landings = "GET /repos/{owner}/{repo}/pulls";
    let pages = "GET /repos/{owner}/{repo}/issues";
    let comments = "GET /repos/{owner}/{repo}/issues/{issue_number}/comments";
    let comment_pages = "GET /repos/{owner}/{repo}/issues/comments";
    let profile = if cfg!(debug_assertions) {
        "`cargo bench -p postmortem-action --bench api_requests --profile dev`"
    } else {
        "`cargo bench -p postmortem-action --bench api_requests`"
    };

    println!("## The Action's API requests (fake GitHub, counted from its request log)\n");
    println!(
        "{profile} (after `npm ci` in `tests/github-spec`); binary and fake built with that profile.\n"
    );
    println!("| run | requests | reads | writes | notes |");
    println!("|---|---|---|---|---|");
    println!(
        "| `open`, first run (example postmortem: runbook + 1 ADR + index, team reviewer; 2 of its reads ask what GitHub would refuse) | {} | {} | {} | |",
        first.requests,
        first.requests - writes(&first_routes),
        writes(&first_routes),
    );
    println!(
        "| `open`, re-run on the finished state | {} | {} | 0 | |",
        again.requests, again.requests
    );
    for (name, out, routes, wall) in [
        ("first", &check, &check_routes, wall),
        ("next day", &check2, &check2_routes, wall2),
    ] {
        println!(
            "| `check` over {FIXES} open fix issues, {name} run: {} issue list pages, {} comment list pages, {} per-issue comment reads, {} document reads, {} landing lookups, {} result lookups | {} | {} | {} | {:.2} s wall |",
            count(routes, pages),
            count(routes, comment_pages),
            count(routes, comments),
            count(routes, documents),
            count(routes, landings),
            count(routes, lookups),
            out.requests,
            out.requests - writes(routes),
            writes(routes),
            wall.as_secs_f64(),
        );
    }
    println!("\n`open` requests by route (first run):\n");
    for (k, v) in &first_routes {
        println!("- {v} × `{k}`");
    }
    println!(
        "\nThe first run on a fresh intake issue does not look for the postmortem branch: it lists the tree of the runner's `GITHUB_SHA` (the default branch's head), reads only the files that exist (runbook, ADR; `index.md` is never read, it is written with `index.json`), looks for the fix issue, and labels the new PR in the same `PATCH` that links the fix issue. The re-run (a workflow re-run: `GITHUB_RUN_ATTEMPT=2`) reads everything as it is: the intake issue, the branch (compare), the PR and its reviews, the fix issue and the files on the branch."
    );
    println!(
        "\nEach of the {FIXES} fixes is bound to its own workflow, so every open one needs its own result lookup (fixes sharing a binding share one), and each unverified fix costs a read of its document on the checked branch (the record is compared with it) and, until the Action has recorded how the postmortem landed, a look for its merged pull request. The first check verifies 100 fixes (comment, label, close) and flags 100 overdue (label, comment); the next day's run writes nothing, skips the 100 verified, and reads the Action's earlier comments from the repository's comment list (pages), not issue by issue."
    );
}
