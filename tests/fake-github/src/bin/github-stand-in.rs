//! A local stand-in for GitHub, for the demo (`scripts/run`) and the
//! end-to-end test: the fake GitHub's API (GitHub Enterprise's layout,
//! under `/api/v3`), the new-issue page a person submits, and the
//! repository's postmortem workflows, which run the real
//! `postmortem-action` binary on what would start them on GitHub (a
//! dispatch, a person's issue or edit, a push to the default branch). A
//! page at `/` shows what the Action made and lets a person merge the pull
//! request, record a passing test run and run the scheduled check.
//!
//! ```text
//! github-stand-in --action target/debug/postmortem-action [--port 8788] [--now RFC3339]
//! ```
//!
//! Prints its URL on the first line of standard output. Nothing leaves the
//! machine: it listens on 127.0.0.1 only.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use fake_github::{FakeGitHub, Permission, State, WebPage, WebRequest, WorkflowRun};
use serde_json::{Value, json};

const OWNER: &str = "acme";
const NAME: &str = "ops";
/// The person using the demo: may open issues, may not triage (GitHub
/// drops a new-issue URL's labels for them), can be assigned.
const PERSON: &str = "senior-dev";
/// The token the repository's workflows use.
const ACTION_TOKEN: &str = "stand-in-workflow-token";
const RUNBOOK: &str = "runbooks/RB-021.md";
const ADR: &str = "docs/adr/0012-cache-warming-in-deploy.md";

struct Args {
    port: u16,
    action: PathBuf,
    now: Option<String>,
}

fn args() -> Result<Args, String> {
    let mut out = Args {
        port: 8788,
        action: PathBuf::new(),
        now: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--port" => out.port = value()?.parse().map_err(|_| "--port needs a number")?,
            "--action" => out.action = PathBuf::from(value()?),
            "--now" => out.now = Some(value()?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if !out.action.is_file() {
        return Err(format!(
            "--action {:?} is not the postmortem-action binary: build it with `cargo build -p postmortem-action`",
            out.action
        ));
    }
    Ok(out)
}

/// What a workflow run of the stand-in did.
#[derive(Clone)]
struct Run {
    what: String,
    code: Option<i32>,
    log: String,
    summary: String,
}

/// The workflows' queue and history, shared with the pages.
#[derive(Default)]
struct Workflows {
    /// Events handled so far (an index into the fake's events).
    seen: usize,
    /// Scheduled checks asked for from the page.
    checks: VecDeque<()>,
    running: bool,
    runs: Vec<Run>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn main() {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("github-stand-in: {e}");
            std::process::exit(2);
        }
    };
    let workflows = Arc::new(Mutex::new(Workflows::default()));
    let pages = {
        let w = workflows.clone();
        Arc::new(move |st: &Mutex<State>, req: &WebRequest| page(st, &w, req))
    };
    let gh = match FakeGitHub::serve(args.port, Some(pages)) {
        Ok(gh) => gh,
        Err(e) => {
            eprintln!(
                "github-stand-in: cannot listen on 127.0.0.1:{}: {e}",
                args.port
            );
            std::process::exit(2);
        }
    };
    seed(&mut gh.state(), args.now.as_deref());
    println!("{}", gh.url);
    let work_dir = std::env::temp_dir().join(format!("github-stand-in-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&work_dir);
    loop {
        std::thread::sleep(Duration::from_millis(150));
        let next = next_job(&gh, &workflows);
        if let Some((what, name, payload, mode)) = next {
            let run = run_action(&gh, &args, &work_dir, &what, &name, &payload, mode);
            let mut w = lock(&workflows);
            w.runs.push(run);
            w.running = false;
        }
    }
}

/// The repository as the demo starts: the example's runbook and ADR.
fn seed(st: &mut State, now: Option<&str>) {
    st.owner = OWNER.into();
    st.name = NAME.into();
    st.api_prefix = "/api/v3".into();
    if let Some(now) = now {
        st.now = now.into();
    }
    st.collaborators.insert(PERSON.into(), Permission::Read);
    st.teams.push("leadership".into());
    st.tokens.insert(ACTION_TOKEN.into(), st.bot.clone());
    // Whatever token a person pastes in the form acts as them.
    st.other_tokens = Some(PERSON.into());
    st.push(
        "main",
        &[
            (
                RUNBOOK,
                "# RB-021 Queue performance\n\nWhen `queue.render.p95` stays above 2s for 5 minutes the on-call is paged.\n\n## Steps\n\n1. Check the cache hit ratio.\n2. Scale up the read replicas.\n",
            ),
            (
                ADR,
                "# 12. Cache warming runs after deploy\n\nDate: 2025-11-02\n\n## Status\n\nAccepted\n\n## Context\n\nThe cache is warmed by the deploy pipeline.\n",
            ),
        ],
        "Runbooks and ADRs",
    );
}

/// The next workflow to run: an event GitHub would start the postmortem
/// workflow for, or a check asked for from the page.
fn next_job(
    gh: &FakeGitHub,
    workflows: &Mutex<Workflows>,
) -> Option<(String, String, Value, &'static str)> {
    let mut w = lock(workflows);
    if w.running {
        return None;
    }
    let st = gh.state();
    if let Some(e) = st.events.get(w.seen).cloned() {
        w.seen += 1;
        w.running = true;
        let what = match e.name.as_str() {
            "issues" => format!(
                "open: issue #{} {}",
                e.payload["issue"]["number"],
                e.payload["action"].as_str().unwrap_or_default()
            ),
            "push" => "open: push to main (merged postmortems)".to_owned(),
            _ => "open: postmortem sent from the form".to_owned(),
        };
        return Some((what, e.name, e.payload, "open"));
    }
    if w.checks.pop_front().is_some() {
        w.running = true;
        let payload = json!({"schedule": "17 6 * * *", "repository": st.repository_json()});
        return Some((
            "check (scheduled)".into(),
            "schedule".into(),
            payload,
            "check",
        ));
    }
    None
}

/// Runs the real `postmortem-action` as the workflow would.
fn run_action(
    gh: &FakeGitHub,
    args: &Args,
    dir: &std::path::Path,
    what: &str,
    name: &str,
    payload: &Value,
    mode: &str,
) -> Run {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let event = dir.join(format!("event-{n}.json"));
    let summary = dir.join(format!("summary-{n}.md"));
    let _ = std::fs::write(&event, payload.to_string());
    let head = gh
        .state()
        .refs
        .get("heads/main")
        .cloned()
        .unwrap_or_default();
    let mut cmd = Command::new(&args.action);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("INPUT_MODE", mode)
        .env("INPUT_TOKEN", ACTION_TOKEN)
        .env("GITHUB_REPOSITORY", format!("{OWNER}/{NAME}"))
        .env("GITHUB_API_URL", format!("{}/api/v3", gh.url))
        .env("GITHUB_SERVER_URL", &gh.url)
        .env("GITHUB_EVENT_NAME", name)
        .env("GITHUB_EVENT_PATH", &event)
        .env("GITHUB_REF", "refs/heads/main")
        .env("GITHUB_SHA", head)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("POSTMORTEM_ACTION_BACKOFF_MS", "50");
    if let Some(now) = &args.now {
        cmd.args(["--now", now]);
    }
    match cmd.output() {
        Ok(out) => Run {
            what: what.to_owned(),
            code: out.status.code(),
            log: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
            summary: std::fs::read_to_string(&summary).unwrap_or_default(),
        },
        Err(e) => Run {
            what: what.to_owned(),
            code: None,
            log: format!("could not start {}: {e}", args.action.display()),
            summary: String::new(),
        },
    }
}

/// The pages and control endpoints; `None` hands the request to the API.
fn page(st: &Mutex<State>, workflows: &Mutex<Workflows>, req: &WebRequest) -> Option<WebPage> {
    let (path, query) = req.url.split_once('?').unwrap_or((&req.url, ""));
    let new_issue = format!("/{OWNER}/{NAME}/issues/new");
    match (req.method.as_str(), path) {
        ("GET", "/") => Some(html(200, &dashboard(&lock(st), &lock(workflows)))),
        ("GET", "/state.json") => Some(json_page(&state_json(&lock(st), &lock(workflows)))),
        ("GET", p) if p == new_issue => Some(html(200, &new_issue_page(&form(query)))),
        ("POST", p) if p == new_issue => {
            let f = form(&req.body);
            let get = |k: &str| {
                f.iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            let labels = get("labels");
            let labels: Vec<&str> = labels.split(',').filter(|l| !l.is_empty()).collect();
            lock(st).open_issue_as(PERSON, &get("title"), &get("body"), &labels);
            Some(redirect("/"))
        }
        ("POST", "/merge") => {
            let n = form(&req.body)
                .into_iter()
                .find(|(k, _)| k == "number")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let done = lock(st).merge(n, PERSON);
            Some(match done {
                Ok(_) => redirect("/"),
                Err(e) => html(
                    409,
                    &format!("<p>{}</p><p><a href=\"/\">Back</a></p>", esc(&e)),
                ),
            })
        }
        ("POST", "/pass") => {
            let workflow = form(&req.body)
                .into_iter()
                .find(|(k, _)| k == "workflow")
                .map(|(_, v)| v)
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| "cold-start-p95.yml".into());
            let mut s = lock(st);
            let id = s.id();
            let head = s.refs.get("heads/main").cloned().unwrap_or_default();
            let now = s.now.clone();
            s.runs.push(WorkflowRun::completed(
                id, &workflow, "main", &head, "success", &now,
            ));
            Some(redirect("/"))
        }
        ("POST", "/check") => {
            lock(workflows).checks.push_back(());
            Some(redirect("/"))
        }
        // GitHub's pages of the repository (the links in the Action's
        // bodies, the form's "look at …/pulls") lead to this page.
        ("GET", p) if p.starts_with(&format!("/{OWNER}/{NAME}/")) => {
            let rest: Vec<&str> = p.split('/').skip(3).collect();
            Some(redirect(&match rest.as_slice() {
                ["pull", n, ..] => format!("/#pr-{n}"),
                ["issues", n, ..] if n.parse::<u64>().is_ok() => format!("/#issue-{n}"),
                _ => "/".to_owned(),
            }))
        }
        // The API answers under /api/v3; any other path is a web page
        // this stand-in does not have.
        _ if !path.starts_with("/api/v3/") => Some(html(
            404,
            "<h1>Not found</h1><p>This local stand-in has the API under <code>/api/v3</code>, the new-issue page and <a href=\"/\">its front page</a>.</p>",
        )),
        _ => None,
    }
}

fn form(encoded: &str) -> Vec<(String, String)> {
    encoded
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
            (b'+', ..) => out.push(b' '),
            (c, ..) => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn html(status: u16, body: &str) -> WebPage {
    WebPage {
        status,
        headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
        body: format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>GitHub stand-in · {OWNER}/{NAME}</title><style>{CSS}</style></head><body><p class=\"banner\" role=\"note\">This is a <strong>local stand-in for GitHub</strong>, started by <code>scripts/run</code> on 127.0.0.1: nothing here reaches github.com. Its repository <code>{OWNER}/{NAME}</code> runs the real postmortem Action on what would start its workflows on GitHub.</p>{body}</body></html>"
        ),
    }
}

const CSS: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:70rem;margin:0 auto;padding:1rem;color:#1f2328;background:#fff}.banner{background:#fff8c5;border:1px solid #d4a72c;padding:.5rem .75rem;border-radius:6px}pre{white-space:pre-wrap;background:#f6f8fa;padding:.5rem;border-radius:6px;overflow:auto}section{border:1px solid #d0d7de;border-radius:6px;padding:0 1rem;margin:1rem 0}button{font:inherit;padding:.35rem .8rem;min-height:2rem}label{display:block;margin:.5rem 0 .25rem}input[type=text],textarea{width:100%;font:inherit}textarea{min-height:20rem;font-family:monospace}";

fn json_page(v: &Value) -> WebPage {
    WebPage {
        status: 200,
        headers: vec![
            (
                "Content-Type".into(),
                "application/json; charset=utf-8".into(),
            ),
            ("Access-Control-Allow-Origin".into(), "*".into()),
        ],
        body: v.to_string(),
    }
}

fn redirect(to: &str) -> WebPage {
    WebPage {
        status: 303,
        headers: vec![("Location".into(), to.into())],
        body: String::new(),
    }
}

/// GitHub's new-issue page, prefilled from its query string.
fn new_issue_page(q: &[(String, String)]) -> String {
    let get = |k: &str| {
        q.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    format!(
        "<h1>New issue in {OWNER}/{NAME}</h1><p>You are signed in as <code>{PERSON}</code>, who may open issues here but not label them: GitHub drops the link's labels (<code>{}</code>) for them.</p><form method=\"post\"><input type=\"hidden\" name=\"labels\" value=\"{}\"><label for=\"title\">Title</label><input type=\"text\" id=\"title\" name=\"title\" value=\"{}\"><label for=\"body\">Description</label><textarea id=\"body\" name=\"body\">{}</textarea><p><button type=\"submit\">Submit new issue</button></p></form>",
        esc(get("labels")),
        esc(get("labels")),
        esc(get("title")),
        esc(get("body")),
    )
}

/// What the Action made: pull requests with their files, issues with
/// their comments, and the workflow runs.
fn dashboard(st: &State, w: &Workflows) -> String {
    let mut out = String::new();
    if w.running || !w.checks.is_empty() || w.seen < st.events.len() {
        out.push_str("<meta http-equiv=\"refresh\" content=\"2\"><p role=\"status\">A workflow is running; this page refreshes.</p>");
    }
    out.push_str(&format!(
        "<h1>{OWNER}/{NAME}</h1><p>Send the postmortem from <a href=\"http://127.0.0.1:8787/demo/\">the demo wiki page</a>; what the Action makes of it appears here.</p><h2>Pull requests</h2>"
    ));
    let pulls = st.pulls();
    if pulls.is_empty() {
        out.push_str("<p>None yet.</p>");
    }
    for p in pulls {
        let pull = p.pull.clone().unwrap_or_else(unreachable_pull);
        let state = if pull.merged {
            "merged"
        } else {
            p.state.as_str()
        };
        out.push_str(&format!(
            "<section id=\"pr-{}\"><h3>#{} {} <small>({state}; {} → {})</small></h3><p>Labels: {}. Review requested from: {}.</p><pre>{}</pre>",
            p.number,
            p.number,
            esc(&p.title),
            esc(&pull.head),
            esc(&pull.base),
            esc(&p.labels.join(", ")),
            esc(&[pull.reviewers.clone(), pull.teams.iter().map(|t| format!("{OWNER}/{t}")).collect()].concat().join(", ")),
            esc(p.body.as_deref().unwrap_or_default())
        ));
        if let (Some(head), Some(base)) = (
            st.refs.get(&format!("heads/{}", pull.head)),
            st.refs.get(&format!("heads/{}", pull.base)),
        ) {
            let (h, b) = (st.files_at(head), st.files_at(base));
            for (path, content) in &h {
                if b.get(path) != Some(content) {
                    out.push_str(&format!(
                        "<details><summary>{}</summary><pre>{}</pre></details>",
                        esc(path),
                        esc(content)
                    ));
                }
            }
        }
        if p.state == "open" {
            out.push_str(&format!(
                "<form method=\"post\" action=\"/merge\"><input type=\"hidden\" name=\"number\" value=\"{}\"><p><button type=\"submit\">Merge pull request #{}</button></p></form>",
                p.number, p.number
            ));
        }
        out.push_str(&comments(st, p.number));
        out.push_str("</section>");
    }
    out.push_str("<h2>Issues</h2>");
    let issues = st.plain_issues();
    if issues.is_empty() {
        out.push_str("<p>None yet.</p>");
    }
    for i in issues {
        out.push_str(&format!(
            "<section id=\"issue-{}\"><h3>#{} {} <small>({}{})</small></h3><p>Labels: {}. Assignees: {}.</p><pre>{}</pre>{}</section>",
            i.number,
            i.number,
            esc(&i.title),
            esc(&i.state),
            i.state_reason.as_deref().map(|r| format!(", {r}")).unwrap_or_default(),
            esc(&i.labels.join(", ")),
            esc(&i.assignees.join(", ")),
            esc(i.body.as_deref().unwrap_or_default()),
            comments(st, i.number)
        ));
    }
    out.push_str(
        "<h2>Try the loop</h2><form method=\"post\" action=\"/pass\"><label for=\"workflow\">Record a passing run of this workflow on <code>main</code>'s head (after the merge, it contains the postmortem)</label><input type=\"text\" id=\"workflow\" name=\"workflow\" value=\"cold-start-p95.yml\"><p><button type=\"submit\">Record a passing run</button></p></form><form method=\"post\" action=\"/check\"><p><button type=\"submit\">Run the scheduled check now</button></p></form>",
    );
    out.push_str(&format!(
        "<p>Workflow runs of the fix's test: {}.</p><h2>The Action's runs</h2>",
        st.runs.len()
    ));
    for r in w.runs.iter().rev() {
        out.push_str(&format!(
            "<section><h3>{} <small>(exit {})</small></h3><pre>{}</pre><details><summary>Log</summary><pre>{}</pre></details></section>",
            esc(&r.what),
            r.code.map_or_else(|| "—".to_owned(), |c| c.to_string()),
            esc(&r.summary),
            esc(&r.log)
        ));
    }
    out
}

fn unreachable_pull() -> fake_github::Pull {
    fake_github::Pull {
        head: String::new(),
        base: String::new(),
        reviewers: Vec::new(),
        teams: Vec::new(),
        reviewed_by: Vec::new(),
        merged: false,
        merged_at: None,
        merge_commit_sha: None,
        unresolved: 0,
    }
}

fn comments(st: &State, n: u64) -> String {
    st.comments_on(n)
        .iter()
        .map(|c| {
            format!(
                "<h4>{} commented</h4><pre>{}</pre>",
                esc(&c.user),
                esc(&c.body)
            )
        })
        .collect()
}

/// The state for tests: issues, pull requests with their head's files,
/// comments, and the workflow runs.
fn state_json(st: &State, w: &Workflows) -> Value {
    let issues: Vec<Value> = st
        .issues
        .iter()
        .map(|i| {
            let files = i.pull.as_ref().and_then(|p| {
                let head = st.refs.get(&format!("heads/{}", p.head))?;
                Some(st.files_at(head))
            });
            json!({
                "number": i.number, "title": i.title, "body": i.body, "state": i.state,
                "state_reason": i.state_reason, "labels": i.labels, "assignees": i.assignees,
                "user": i.user,
                "pull": i.pull.as_ref().map(|p| json!({"head": p.head, "base": p.base, "merged": p.merged,
                    "reviewers": p.reviewers, "teams": p.teams})),
                "files": files,
                "comments": st.comments_on(i.number).iter().map(|c| json!({"user": c.user, "body": c.body})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "issues": issues,
        "main": st.files_at(st.refs.get("heads/main").map_or("", String::as_str)),
        "idle": !w.running && w.checks.is_empty() && w.seen >= st.events.len(),
        "runs": w.runs.iter().map(|r| json!({"what": r.what, "code": r.code, "summary": r.summary, "log": r.log})).collect::<Vec<_>>(),
        "log": st.log_jsonl(),
    })
}
