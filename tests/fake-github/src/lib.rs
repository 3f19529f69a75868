//! A stateful fake of GitHub's REST API on loopback, for the Action's
//! tests (no network).
//!
//! One repository: git refs, blobs, trees, commits, contents, compare;
//! pulls, requested reviewers, reviews and changed files; issues, labels,
//! comments and assignees; workflow runs, check runs and commit statuses.
//! Lists are paged with `Link` headers holding absolute URLs to the fake
//! itself, and every answer carries rate-limit headers.
//!
//! Answers have GitHub's full shape: each is laid over a skeleton holding
//! every field GitHub's REST description requires (`skeletons.json`,
//! generated from the pinned `@octokit/openapi` by
//! `tests/github-spec/skeletons.mjs`). Every exchange is logged with the
//! OpenAPI path template it matched, so `tests/github-spec/validate.mjs`
//! can check each request body and each answer against that description.
//!
//! Faults are injected through [`Faults`]: 5xx answers, secondary rate
//! limits (403/429 with `Retry-After`), 422 "Could not resolve to a node"
//! right after a PR is created, and a crash after N writes (every later
//! request gets a 500, as if the run's network died).

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

mod routes;

/// One exchange, as logged.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Exchange {
    /// `GET`, `POST`, …
    pub method: String,
    /// The URL path and query as sent.
    pub url: String,
    /// The OpenAPI path template matched, e.g. `/repos/{owner}/{repo}/issues`.
    pub route: String,
    /// The answer's status.
    pub status: u16,
    /// The JSON body sent, if any.
    pub request: Option<Value>,
    /// The JSON answer, if any.
    pub response: Option<Value>,
    /// Whether a fault answered instead of the fake's logic.
    pub fault: bool,
}

/// A fault the fake answers with.
#[derive(Debug, Clone)]
pub enum Fault {
    /// A 5xx with this status.
    ServerError(u16),
    /// A secondary rate limit: this status (403 or 429) with `Retry-After`.
    SecondaryRateLimit(u16),
}

/// Faults to inject.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Faults for the next requests whose method and path template match
    /// (`("POST", "/repos/{owner}/{repo}/pulls")`; `"*"` matches any),
    /// each used once, in order.
    pub queued: VecDeque<(String, String, Fault)>,
    /// After a PR is created, this many label or reviewer requests on it
    /// get 422 "Could not resolve to a node".
    pub unresolved_node_after_pr: usize,
    /// After this many successful writes every request gets a 500 (the
    /// run "dies"). `None`: never.
    pub die_after_writes: Option<usize>,
    /// Apply the write, then answer 502 (GitHub acted, the client did not
    /// hear): for POSTs matching this template, once each.
    pub lost_answer: Vec<String>,
    /// The `Retry-After` seconds sent with rate limits (tests keep it
    /// small; never skipped).
    pub retry_after_secs: u64,
}

/// A git commit.
#[derive(Debug, Clone)]
pub struct Commit {
    /// Its tree.
    pub tree: String,
    /// Parents.
    pub parents: Vec<String>,
    /// Message.
    pub message: String,
    /// When.
    pub date: String,
}

/// An issue or pull request (they share numbers, as on GitHub).
#[derive(Debug, Clone)]
pub struct Issue {
    /// Number.
    pub number: u64,
    /// Title.
    pub title: String,
    /// Body.
    pub body: Option<String>,
    /// `open` or `closed`.
    pub state: String,
    /// `completed`, `not_planned`, `reopened` or none.
    pub state_reason: Option<String>,
    /// Labels.
    pub labels: Vec<String>,
    /// Assignees.
    pub assignees: Vec<String>,
    /// Author.
    pub user: String,
    /// Created.
    pub created_at: String,
    /// Updated.
    pub updated_at: String,
    /// Closed.
    pub closed_at: Option<String>,
    /// For a pull request: its head, base, reviewers.
    pub pull: Option<Pull>,
}

/// What only a pull request has.
#[derive(Debug, Clone)]
pub struct Pull {
    /// Head branch.
    pub head: String,
    /// Base branch.
    pub base: String,
    /// Requested users.
    pub reviewers: Vec<String>,
    /// Requested team slugs.
    pub teams: Vec<String>,
    /// Logins that reviewed.
    pub reviewed_by: Vec<String>,
    /// Whether merged.
    pub merged: bool,
    /// Label/reviewer requests left to answer 422 "Could not resolve".
    pub unresolved: usize,
}

/// A comment on an issue or PR.
#[derive(Debug, Clone)]
pub struct Comment {
    /// Id.
    pub id: u64,
    /// The issue's number.
    pub issue: u64,
    /// Body.
    pub body: String,
    /// Author.
    pub user: String,
    /// Created.
    pub created_at: String,
}

/// A workflow run.
#[derive(Debug, Clone)]
pub struct WorkflowRun {
    /// Id.
    pub id: u64,
    /// The workflow file, e.g. `cold-start.yml`.
    pub workflow: String,
    /// The branch (GitHub may send null).
    pub head_branch: Option<String>,
    /// `completed`, …
    pub status: String,
    /// `success`, `failure`, … or none.
    pub conclusion: Option<String>,
    /// Created.
    pub created_at: String,
    /// Updated (the end of a completed run).
    pub updated_at: String,
}

/// A check run on a commit.
#[derive(Debug, Clone)]
pub struct CheckRun {
    /// Id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Commit.
    pub head_sha: String,
    /// `success`, … or none.
    pub conclusion: Option<String>,
    /// Completed.
    pub completed_at: Option<String>,
}

/// A commit status.
#[derive(Debug, Clone)]
pub struct Status {
    /// Id.
    pub id: u64,
    /// Commit.
    pub sha: String,
    /// Context.
    pub context: String,
    /// `success`, `failure`, `pending`, `error`.
    pub state: String,
    /// Target URL.
    pub target_url: Option<String>,
    /// Updated.
    pub updated_at: String,
}

/// Everything the fake holds.
#[derive(Debug, Clone)]
pub struct State {
    /// Owner login.
    pub owner: String,
    /// Repository name.
    pub name: String,
    /// Default branch.
    pub default_branch: String,
    /// Who the token writes as.
    pub bot: String,
    /// The time stamped on new things (RFC 3339).
    pub now: String,
    /// Blobs by sha.
    pub blobs: BTreeMap<String, String>,
    /// Trees by sha: path → blob sha, flat.
    pub trees: BTreeMap<String, BTreeMap<String, String>>,
    /// Commits by sha.
    pub commits: BTreeMap<String, Commit>,
    /// Refs: `heads/main` → sha.
    pub refs: BTreeMap<String, String>,
    /// Issues and PRs.
    pub issues: Vec<Issue>,
    /// Comments.
    pub comments: Vec<Comment>,
    /// Workflow runs.
    pub runs: Vec<WorkflowRun>,
    /// Check runs.
    pub checks: Vec<CheckRun>,
    /// Statuses.
    pub statuses: Vec<Status>,
    /// Repository labels.
    pub labels: Vec<String>,
    /// Next id for comments, runs, …
    pub next_id: u64,
    /// Faults.
    pub faults: Faults,
    /// Successful writes so far.
    pub writes: usize,
    /// The log.
    pub log: Vec<Exchange>,
    /// The fake's base URL.
    pub base: String,
    /// A path the API lives under, as on GitHub Enterprise Server
    /// (`/api/v3`); "" for github.com's layout. Requests outside it get 404.
    pub api_prefix: String,
}

/// The sha of some content, git-style length-prefixed.
pub fn sha(kind: &str, content: &str) -> String {
    let h = Sha256::digest(format!("{kind} {}\0{content}", content.len()).as_bytes());
    h.iter().take(20).map(|b| format!("{b:02x}")).collect()
}

impl State {
    fn new(base: String) -> State {
        let mut s = State {
            owner: "acme".into(),
            name: "app".into(),
            default_branch: "main".into(),
            bot: "github-actions[bot]".into(),
            now: "2026-05-21T10:00:00Z".into(),
            blobs: BTreeMap::new(),
            trees: BTreeMap::new(),
            commits: BTreeMap::new(),
            refs: BTreeMap::new(),
            issues: Vec::new(),
            comments: Vec::new(),
            runs: Vec::new(),
            checks: Vec::new(),
            statuses: Vec::new(),
            labels: Vec::new(),
            next_id: 1000,
            faults: Faults {
                retry_after_secs: 1,
                ..Faults::default()
            },
            writes: 0,
            log: Vec::new(),
            base,
            api_prefix: String::new(),
        };
        let root = s.commit_files(None, &[("README.md", "# app\n")], "Initial commit");
        s.refs.insert("heads/main".into(), root);
        s
    }

    /// `owner/name`.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }

    /// A new id.
    pub fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// The files of a commit.
    pub fn files_at(&self, commit: &str) -> BTreeMap<String, String> {
        let Some(c) = self.commits.get(commit) else {
            return BTreeMap::new();
        };
        self.trees
            .get(&c.tree)
            .map(|t| {
                t.iter()
                    .map(|(p, b)| (p.clone(), self.blobs.get(b).cloned().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Commits `files` on top of `parent` (as a person pushing would);
    /// returns the commit sha. Does not move any ref.
    pub fn commit_files(
        &mut self,
        parent: Option<&str>,
        files: &[(&str, &str)],
        message: &str,
    ) -> String {
        let mut tree = parent
            .and_then(|p| self.commits.get(p))
            .and_then(|c| self.trees.get(&c.tree))
            .cloned()
            .unwrap_or_default();
        for (p, content) in files {
            let b = sha("blob", content);
            self.blobs.insert(b.clone(), (*content).to_owned());
            tree.insert((*p).to_owned(), b);
        }
        let t = self.store_tree(tree);
        self.store_commit(
            t,
            parent.map(str::to_owned).into_iter().collect(),
            message.to_owned(),
        )
    }

    fn store_tree(&mut self, tree: BTreeMap<String, String>) -> String {
        let t = sha("tree", &serde_json::to_string(&tree).unwrap_or_default());
        self.trees.insert(t.clone(), tree);
        t
    }

    fn store_commit(&mut self, tree: String, parents: Vec<String>, message: String) -> String {
        let c = sha(
            "commit",
            &format!("{tree}{parents:?}{message}{}", self.commits.len()),
        );
        self.commits.insert(
            c.clone(),
            Commit {
                tree,
                parents,
                message,
                date: self.now.clone(),
            },
        );
        c
    }

    /// Pushes files to a branch as a person would (the branch must exist).
    pub fn push(&mut self, branch: &str, files: &[(&str, &str)], message: &str) -> String {
        let head = self.refs.get(&format!("heads/{branch}")).cloned();
        let c = self.commit_files(head.as_deref(), files, message);
        self.refs.insert(format!("heads/{branch}"), c.clone());
        c
    }

    /// Adds an issue as a person would; returns its number.
    pub fn add_issue(&mut self, title: &str, body: &str, labels: &[&str], user: &str) -> u64 {
        let number = self.issues.len() as u64 + 1;
        let now = self.now.clone();
        self.issues.push(Issue {
            number,
            title: title.into(),
            body: Some(body.into()),
            state: "open".into(),
            state_reason: None,
            labels: labels.iter().map(|l| (*l).to_owned()).collect(),
            assignees: Vec::new(),
            user: user.into(),
            created_at: now.clone(),
            updated_at: now,
            closed_at: None,
            pull: None,
        });
        number
    }

    /// Adds a comment as `user`.
    pub fn add_comment(&mut self, issue: u64, body: &str, user: &str) -> u64 {
        let id = self.id();
        self.comments.push(Comment {
            id,
            issue,
            body: body.into(),
            user: user.into(),
            created_at: self.now.clone(),
        });
        id
    }

    /// Issues that are not PRs.
    pub fn plain_issues(&self) -> Vec<&Issue> {
        self.issues.iter().filter(|i| i.pull.is_none()).collect()
    }

    /// Pull requests.
    pub fn pulls(&self) -> Vec<&Issue> {
        self.issues.iter().filter(|i| i.pull.is_some()).collect()
    }

    /// Comments on one issue.
    pub fn comments_on(&self, issue: u64) -> Vec<&Comment> {
        self.comments.iter().filter(|c| c.issue == issue).collect()
    }

    /// Issue by number.
    pub fn issue(&self, n: u64) -> Option<&Issue> {
        self.issues.iter().find(|i| i.number == n)
    }

    /// Issue by number, mutable.
    pub fn issue_mut(&mut self, n: u64) -> Option<&mut Issue> {
        self.issues.iter_mut().find(|i| i.number == n)
    }

    /// The log as JSON lines (for `validate.mjs`).
    pub fn log_jsonl(&self) -> String {
        let mut out = String::new();
        for e in &self.log {
            out.push_str(&serde_json::to_string(e).unwrap_or_default());
            out.push('\n');
        }
        out
    }
}

/// A loopback listener on a random port, with `TCP_NODELAY` (Linux
/// passes it on to the accepted connections).
fn listener() -> std::net::TcpListener {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).expect("a socket");
    let _ = socket.set_tcp_nodelay(true);
    let addr: std::net::SocketAddr = "127.0.0.1:0".parse().expect("an address");
    socket.bind(&addr.into()).expect("bind 127.0.0.1:0");
    socket.listen(128).expect("listen");
    socket.into()
}

/// The running fake.
pub struct FakeGitHub {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    state: Arc<Mutex<State>>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl FakeGitHub {
    /// Starts on a random loopback port with repository `acme/app`, branch
    /// `main` holding a README.
    pub fn start() -> FakeGitHub {
        let server = Arc::new(
            tiny_http::Server::from_listener(listener(), None).expect("serve on 127.0.0.1"),
        );
        let port = server
            .server_addr()
            .to_ip()
            .map(|a| a.port())
            .expect("an IP address");
        let url = format!("http://127.0.0.1:{port}");
        let state = Arc::new(Mutex::new(State::new(url.clone())));
        let (s, st) = (server.clone(), state.clone());
        let thread = std::thread::spawn(move || {
            for mut req in s.incoming_requests() {
                let mut body = String::new();
                let _ = req.as_reader().read_to_string(&mut body);
                let method = req.method().to_string();
                let url = req.url().to_owned();
                let answer = {
                    let mut state = st.lock().unwrap_or_else(|e| e.into_inner());
                    routes::handle(&mut state, &method, &url, &body)
                };
                let mut resp =
                    tiny_http::Response::from_string(answer.body).with_status_code(answer.status);
                for (k, v) in answer.headers {
                    if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
                        resp.add_header(h);
                    }
                }
                let _ = req.respond(resp);
            }
        });
        FakeGitHub {
            url,
            state,
            server,
            thread: Some(thread),
        }
    }

    /// The state, locked.
    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for FakeGitHub {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// An answer.
pub(crate) struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// Lays `over` on `base`: objects merge key by key, anything else
/// replaces.
pub(crate) fn merge(base: &Value, over: Value) -> Value {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            let mut out: Map<String, Value> = b.clone();
            for (k, v) in o {
                let merged = match out.get(&k) {
                    Some(bv) => merge(bv, v),
                    None => v,
                };
                out.insert(k, merged);
            }
            Value::Object(out)
        }
        (_, o) => o,
    }
}

/// The skeletons generated from GitHub's REST description.
pub(crate) fn skeleton(key: &str) -> Value {
    static SKELETONS: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    let all = SKELETONS.get_or_init(|| {
        serde_json::from_str(include_str!("skeletons.json")).unwrap_or(Value::Null)
    });
    all.get(key).cloned().unwrap_or_else(|| json!({}))
}
