//! The scenario harness: a fake GitHub seeded with the example's runbook
//! and ADR, events built from GitHub's real example payloads
//! (`@octokit/webhooks-examples`), the real `postmortem-action` binary run
//! against the fake, and the fake's log checked against GitHub's REST
//! description (`tests/github-spec/validate.mjs`).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use fake_github::FakeGitHub;
use serde_json::{Value, json};

pub const RUNBOOK: &str = "runbooks/RB-021.md";
pub const ADR: &str = "docs/adr/0012-cache-warming-in-deploy.md";
pub const DOC_PATH: &str =
    "runbooks/postmortems/2026-05-18-queue-render-p95-above-2s-for-graders.md";
pub const BRANCH: &str = "postmortem/INC-2026-0142";
pub const NOW: &str = "2026-05-21T10:00:00Z";

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn spec_dir() -> PathBuf {
    root().join("tests/github-spec")
}

fn need_node_modules() {
    assert!(
        spec_dir().join("node_modules/@octokit/openapi").exists(),
        "tests/github-spec/node_modules is missing: run `npm ci` in tests/github-spec first (GitHub's REST description and example payloads, pinned)"
    );
}

/// The practice's example postmortem document.
pub fn example_document() -> String {
    std::fs::read_to_string(root().join("examples/queue-render.md"))
        .expect("examples/queue-render.md")
}

/// A real example payload of `event` with `action` (the first one).
pub fn example_event(event: &str, action: Option<&str>) -> Value {
    need_node_modules();
    let text = std::fs::read_to_string(
        spec_dir().join("node_modules/@octokit/webhooks-examples/api.github.com/index.json"),
    )
    .expect("webhooks examples");
    let all: Value = serde_json::from_str(&text).expect("json");
    all.as_array()
        .and_then(|a| a.iter().find(|e| e["name"] == event))
        .and_then(|e| e["examples"].as_array())
        .and_then(|ex| {
            ex.iter()
                .find(|x| action.is_none_or(|a| x["action"] == a))
                .cloned()
        })
        .unwrap_or_else(|| panic!("no example for {event} {action:?}"))
}

fn point_at_repo(ev: &mut Value) {
    ev["repository"]["full_name"] = json!("acme/app");
    ev["repository"]["name"] = json!("app");
    ev["repository"]["owner"]["login"] = json!("acme");
    ev["repository"]["default_branch"] = json!("main");
}

/// An `issues` event from GitHub's example, for intake issue `number`.
pub fn issues_event(action: &str, number: u64, body: &str, labels: &[&str]) -> Value {
    let mut ev = example_event("issues", Some(action));
    ev["issue"]["number"] = json!(number);
    ev["issue"]["body"] = json!(body);
    ev["issue"]["state"] = json!("open");
    ev["issue"]["comments"] = json!(0);
    let tmpl = ev["issue"]["labels"]
        .as_array()
        .and_then(|a| a.first().cloned())
        .unwrap_or_else(|| json!({"id": 1, "node_id": "x", "url": "", "color": "ededed", "default": false, "description": null}));
    ev["issue"]["labels"] = json!(
        labels
            .iter()
            .map(|l| {
                let mut x = tmpl.clone();
                x["name"] = json!(l);
                x
            })
            .collect::<Vec<_>>()
    );
    if action == "labeled" {
        ev["label"]["name"] = json!(labels.first().copied().unwrap_or("postmortem"));
    }
    point_at_repo(&mut ev);
    ev
}

/// A `repository_dispatch` event of type `postmortem` sending `document`.
pub fn dispatch_event(document: &str) -> Value {
    let mut ev = example_event("repository_dispatch", None);
    ev["action"] = json!("postmortem");
    ev["client_payload"] = json!({"document": document});
    ev["sender"]["login"] = json!("senior-dev");
    point_at_repo(&mut ev);
    ev
}

/// A `pull_request` opened event for PR `number` with head `branch`.
pub fn pull_request_event(number: u64, branch: &str, sha: &str) -> Value {
    let mut ev = example_event("pull_request", Some("opened"));
    ev["number"] = json!(number);
    ev["pull_request"]["number"] = json!(number);
    ev["pull_request"]["head"]["ref"] = json!(branch);
    ev["pull_request"]["head"]["sha"] = json!(sha);
    ev["pull_request"]["base"]["ref"] = json!("main");
    point_at_repo(&mut ev);
    ev
}

/// The scheduled event (not a webhook, so no example payload: GitHub
/// sends `schedule` and the repository).
pub fn schedule_event() -> Value {
    let mut ev = json!({"schedule": "0 6 * * *", "repository": {}});
    point_at_repo(&mut ev);
    ev
}

/// One run's results.
#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub outputs: BTreeMap<String, String>,
    pub summary: String,
    /// Requests this run sent to the fake.
    pub requests: usize,
}

pub struct World {
    pub gh: FakeGitHub,
    pub dir: tempfile::TempDir,
    runs: std::cell::Cell<usize>,
}

impl World {
    /// A fake repository holding the example's runbook and ADR on main.
    pub fn new() -> World {
        let gh = FakeGitHub::start();
        {
            let mut st = gh.state();
            st.push(
                "main",
                &[
                    (RUNBOOK, "# RB-021 Queue performance\n\n## Steps\n\n1. Scale read replicas.\n"),
                    (
                        ADR,
                        "# 12. Cache warming runs after deploy\n\nDate: 2025-11-02\n\n## Status\n\nAccepted\n\n## Context\n\nWarm after deploy.\n",
                    ),
                ],
                "Runbooks and ADRs",
            );
            // The fix's owner has access; the readers' team too. Scenarios
            // about refusals take them away.
            st.collaborators
                .insert("senior-dev".into(), fake_github::Permission::Write);
            st.teams.push("leadership".into());
        }
        World {
            gh,
            dir: tempfile::tempdir().expect("tempdir"),
            runs: std::cell::Cell::new(0),
        }
    }

    /// Runs the real binary in `mode` on `event`.
    pub fn run(
        &self,
        mode: &str,
        event_name: &str,
        event: &Value,
        now: &str,
        extra: &[(&str, &str)],
    ) -> Outcome {
        let n = self.runs.get() + 1;
        self.runs.set(n);
        let ev = self.dir.path().join(format!("event-{n}.json"));
        std::fs::write(&ev, serde_json::to_string_pretty(event).expect("json"))
            .expect("write event");
        let out_file = self.dir.path().join(format!("output-{n}"));
        let sum_file = self.dir.path().join(format!("summary-{n}"));
        let before = self.gh.state().log.len();
        // As on GitHub's runners: for `issues`, `repository_dispatch` and
        // `schedule` events, the default branch and its last commit.
        let head = self
            .gh
            .state()
            .refs
            .get("heads/main")
            .cloned()
            .unwrap_or_default();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_postmortem-action"));
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("INPUT_MODE", mode)
            .env("INPUT_TOKEN", "ghs_fake_token")
            .env("GITHUB_REPOSITORY", "acme/app")
            .env("GITHUB_API_URL", &self.gh.url)
            .env("GITHUB_SERVER_URL", "https://github.com")
            .env("GITHUB_EVENT_NAME", event_name)
            .env("GITHUB_EVENT_PATH", &ev)
            .env("GITHUB_REF", "refs/heads/main")
            .env("GITHUB_SHA", &head)
            .env("GITHUB_OUTPUT", &out_file)
            .env("GITHUB_STEP_SUMMARY", &sum_file)
            .env("POSTMORTEM_ACTION_BACKOFF_MS", "5")
            .args(["--now", now]);
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run postmortem-action");
        let raw = std::fs::read_to_string(&out_file).unwrap_or_default();
        Outcome {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            outputs: parse_outputs(&raw),
            summary: std::fs::read_to_string(&sum_file).unwrap_or_default(),
            requests: self.gh.state().log.len() - before,
        }
    }

    /// Opens an intake issue holding `document` and runs `open` on its
    /// `issues.opened` event.
    pub fn intake(&self, document: &str) -> (u64, Value) {
        let n = self.gh.state().add_issue(
            "Postmortem: queue.render",
            document,
            &["postmortem"],
            "senior-dev",
        );
        (n, issues_event("opened", n, document, &["postmortem"]))
    }

    /// Checks every request and answer of this world against GitHub's
    /// REST description.
    pub fn validate(&self) {
        need_node_modules();
        let log = self.dir.path().join("log.jsonl");
        std::fs::write(&log, self.gh.state().log_jsonl()).expect("write log");
        let out = Command::new("node")
            .arg(spec_dir().join("validate.mjs"))
            .arg(&log)
            .current_dir(spec_dir())
            .output()
            .expect("node (needed to check the fake against GitHub's REST description)");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "requests or answers do not match GitHub's REST description:\n{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn pulls(&self) -> Vec<fake_github::Issue> {
        self.gh.state().pulls().into_iter().cloned().collect()
    }

    pub fn fix_issues(&self) -> Vec<fake_github::Issue> {
        self.gh
            .state()
            .plain_issues()
            .into_iter()
            .filter(|i| i.labels.iter().any(|l| l == "postmortem-fix"))
            .cloned()
            .collect()
    }

    /// The scheduled check at `now`.
    pub fn check(&self, now: &str) -> Outcome {
        self.run("check", "schedule", &schedule_event(), now, &[])
    }

    /// An `issues` event for issue `n` as the fake holds it now (its body,
    /// state, labels and comment count), from GitHub's example payload.
    pub fn issue_event(&self, action: &str, n: u64) -> Value {
        let st = self.gh.state();
        let i = st.issue(n).expect("the issue").clone();
        let comments = st.comments_on(n).len();
        drop(st);
        let labels: Vec<&str> = i.labels.iter().map(String::as_str).collect();
        let mut ev = issues_event(action, n, i.body.as_deref().unwrap_or(""), &labels);
        ev["issue"]["state"] = json!(i.state);
        ev["issue"]["comments"] = json!(comments);
        ev
    }

    /// The events the fake recorded since the `from`th (what would start
    /// workflows on GitHub), each laid over GitHub's example payload of its
    /// kind.
    pub fn events_since(&self, from: usize) -> Vec<(String, Value)> {
        let recorded: Vec<fake_github::Event> =
            self.gh.state().events.iter().skip(from).cloned().collect();
        recorded
            .into_iter()
            .map(|e| {
                let action = e.payload["action"].as_str().map(str::to_owned);
                let example = match e.name.as_str() {
                    "issues" => example_event("issues", action.as_deref()),
                    other => example_event(other, None),
                };
                (e.name, overlay(example, e.payload))
            })
            .collect()
    }

    /// The open postmortem pull request, merged by a person; returns the
    /// merge commit.
    pub fn merge_postmortem(&self) -> String {
        let pr = self
            .pulls()
            .into_iter()
            .find(|p| p.state == "open")
            .expect("an open pull request")
            .number;
        self.gh.state().merge(pr, "senior-dev").expect("merged")
    }

    /// A completed run of `workflow` on main's head as it is now.
    pub fn run_on_main(&self, workflow: &str, conclusion: &str, when: &str) -> u64 {
        let mut st = self.gh.state();
        let id = st.id();
        let head = st.refs["heads/main"].clone();
        st.runs.push(fake_github::WorkflowRun::completed(
            id, workflow, "main", &head, conclusion, when,
        ));
        id
    }

    pub fn comments(&self, issue: u64) -> Vec<String> {
        self.gh
            .state()
            .comments_on(issue)
            .iter()
            .map(|c| c.body.clone())
            .collect()
    }
}

/// `over` laid on `base`, key by key for objects.
fn overlay(base: Value, over: Value) -> Value {
    match (base, over) {
        (Value::Object(mut b), Value::Object(o)) => {
            for (k, v) in o {
                let merged = match b.remove(&k) {
                    Some(bv) => overlay(bv, v),
                    None => v,
                };
                b.insert(k, merged);
            }
            Value::Object(b)
        }
        (_, o) => o,
    }
}

fn parse_outputs(raw: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut lines = raw.lines();
    while let Some(l) = lines.next() {
        if let Some((name, delim)) = l.split_once("<<") {
            let mut value = Vec::new();
            for v in lines.by_ref() {
                if v == delim {
                    break;
                }
                value.push(v);
            }
            out.insert(name.to_owned(), value.join("\n"));
        }
    }
    out
}
