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
//!
//! It refuses what GitHub refuses, in GitHub's error shape: an issue
//! created or edited with an assignee who cannot be assigned (422, field
//! `assignees`, code `invalid`); a review requested from a user or team
//! without access to the repository (422); a body over 65,536 characters
//! (422); a `repository_dispatch` whose `client_payload` has more than 10
//! top-level properties or 64,000 bytes, or whose `event_type` is over 100
//! characters (422); a repository's team list to a token that may not see
//! it (403, as for `GITHUB_TOKEN`). People act through [`State`]'s
//! methods: a person opening the new-issue page gets the URL's labels only
//! if they may triage ([`State::open_issue_as`]); a person merges a pull
//! request ([`State::merge`]). What would start a workflow on GitHub (a
//! dispatch, a person's issue, a person's push) is recorded in
//! [`State::events`]; what the token does is not, as on GitHub.
//!
//! Answers carry `Access-Control-Allow-Origin: *` and preflight requests
//! are answered, as GitHub's API does for browsers.

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
    /// When it was merged.
    pub merged_at: Option<String>,
    /// The commit its merge made on the base branch.
    pub merge_commit_sha: Option<String>,
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
    /// The commit it ran on.
    pub head_sha: String,
    /// What started it: `push`, `schedule`, `pull_request`, …
    pub event: String,
    /// The repository of its head commit, `owner/name`; `None`: this one
    /// (a pull request from a fork runs on the fork's commit).
    pub head_repository: Option<String>,
    /// `completed`, …
    pub status: String,
    /// `success`, `failure`, … or none.
    pub conclusion: Option<String>,
    /// Created.
    pub created_at: String,
    /// Updated (the end of a completed run).
    pub updated_at: String,
    /// Its jobs.
    pub jobs: Vec<Job>,
}

impl WorkflowRun {
    /// A completed run of `workflow` on `branch` at commit `head_sha`,
    /// started by a push, with one job named `test` of the same
    /// conclusion, ending at `when`.
    pub fn completed(
        id: u64,
        workflow: &str,
        branch: &str,
        head_sha: &str,
        conclusion: &str,
        when: &str,
    ) -> WorkflowRun {
        WorkflowRun {
            id,
            workflow: workflow.into(),
            head_branch: Some(branch.into()),
            head_sha: head_sha.into(),
            event: "push".into(),
            head_repository: None,
            status: "completed".into(),
            conclusion: Some(conclusion.into()),
            created_at: when.into(),
            updated_at: when.into(),
            jobs: vec![Job {
                id: id * 10 + 1,
                name: "test".into(),
                conclusion: Some(conclusion.into()),
                completed_at: Some(when.into()),
            }],
        }
    }
}

/// A job of a workflow run.
#[derive(Debug, Clone)]
pub struct Job {
    /// Id.
    pub id: u64,
    /// Its name as GitHub shows it.
    pub name: String,
    /// `success`, `failure`, … or none.
    pub conclusion: Option<String>,
    /// Completed.
    pub completed_at: Option<String>,
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
    /// The slug of the app that posted it.
    pub app: String,
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
    /// Who posted it.
    pub creator: String,
}

/// A person's permission on the repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Permission {
    /// Read: may open issues, be assigned and review.
    Read,
    /// Triage: may also label and assign.
    Triage,
    /// Write: may also push.
    Write,
}

/// Something that would start workflow runs on GitHub: its event name
/// (`repository_dispatch`, `issues`, `push`) and payload, shaped as the
/// webhook's (the fields the Action reads).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Event {
    /// `repository_dispatch`, `issues`, `push`.
    pub name: String,
    /// The payload.
    pub payload: Value,
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
    /// People with access to the repository and their permission: they
    /// can be assigned and asked to review.
    pub collaborators: BTreeMap<String, Permission>,
    /// Team slugs (of the owner organisation) with access to the
    /// repository.
    pub teams: Vec<String>,
    /// Whether the token may list the repository's teams (`GITHUB_TOKEN`
    /// may not: 403).
    pub teams_visible: bool,
    /// Who each token acts as.
    pub tokens: BTreeMap<String, String>,
    /// Who a token not in [`State::tokens`] acts as; `None`: [`State::bot`].
    pub other_tokens: Option<String>,
    /// What would start workflows on GitHub, in order.
    pub events: Vec<Event>,
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
            collaborators: BTreeMap::new(),
            teams: Vec::new(),
            teams_visible: false,
            tokens: BTreeMap::new(),
            other_tokens: None,
            events: Vec::new(),
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

    /// The repository as event payloads name it.
    pub fn repository_json(&self) -> Value {
        json!({"full_name": self.full_name(), "name": self.name,
               "owner": {"login": self.owner}, "default_branch": self.default_branch,
               "html_url": format!("{}/{}", self.base, self.full_name())})
    }

    /// Who a request's token acts as.
    pub fn user_of(&self, token: Option<&str>) -> String {
        match token {
            Some(t) => self
                .tokens
                .get(t)
                .or(self.other_tokens.as_ref())
                .cloned()
                .unwrap_or_else(|| self.bot.clone()),
            None => self.bot.clone(),
        }
    }

    /// Whether `login` can be assigned to issues here (GitHub: people with
    /// access to the repository).
    pub fn assignable(&self, login: &str) -> bool {
        self.collaborators
            .keys()
            .any(|c| c.eq_ignore_ascii_case(login))
    }

    /// Whether `login` may push (the repository's token may).
    pub(crate) fn may_push(&self, login: &str) -> bool {
        login == self.bot
            || self
                .permission(login)
                .is_some_and(|p| p >= Permission::Write)
    }

    fn permission(&self, login: &str) -> Option<Permission> {
        self.collaborators
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(login))
            .map(|(_, p)| *p)
    }

    fn record(&mut self, name: &str, mut payload: Value, sender: &str) {
        payload["repository"] = self.repository_json();
        payload["sender"] = json!({"login": sender});
        self.events.push(Event {
            name: name.into(),
            payload,
        });
    }

    fn issue_payload(&self, n: u64) -> Value {
        let Some(i) = self.issue(n) else {
            return Value::Null;
        };
        json!({"number": i.number, "title": i.title, "body": i.body, "state": i.state,
               "labels": i.labels.iter().map(|l| json!({"name": l})).collect::<Vec<_>>(),
               "user": {"login": i.user}, "comments": self.comments_on(n).len(),
               "html_url": format!("{}/{}/issues/{n}", self.base, self.full_name())})
    }

    /// A person submits GitHub's new-issue page: the URL's `labels` are
    /// applied only if they may triage the repository (GitHub drops them
    /// silently otherwise). Records the `issues` event.
    pub fn open_issue_as(&mut self, user: &str, title: &str, body: &str, labels: &[&str]) -> u64 {
        let may_label = self
            .permission(user)
            .is_some_and(|p| p >= Permission::Triage);
        let labels: &[&str] = if may_label { labels } else { &[] };
        let n = self.add_issue(title, body, labels, user);
        let labels: Vec<String> = labels.iter().map(|l| (*l).to_owned()).collect();
        ensure_labels(self, &labels);
        let payload = json!({"action": "opened", "issue": self.issue_payload(n)});
        self.record("issues", payload, user);
        n
    }

    /// A person edits an issue's body. Records the `issues` event.
    pub fn edit_issue_as(&mut self, user: &str, n: u64, body: &str) {
        let now = self.now.clone();
        if let Some(i) = self.issue_mut(n) {
            i.body = Some(body.into());
            i.updated_at = now;
            let payload = json!({"action": "edited", "issue": self.issue_payload(n)});
            self.record("issues", payload, user);
        }
    }

    /// A person merges pull request `n` with a merge commit, as the merge
    /// button does; returns the merge commit. Records the `push` event.
    pub fn merge(&mut self, n: u64, by: &str) -> Result<String, String> {
        let Some(i) = self.issue(n).cloned() else {
            return Err(format!("#{n} does not exist"));
        };
        let Some(pull) = i.pull.clone().filter(|_| i.state == "open") else {
            return Err(format!("#{n} is not an open pull request"));
        };
        let (Some(base), Some(head)) = (
            self.refs.get(&format!("heads/{}", pull.base)).cloned(),
            self.refs.get(&format!("heads/{}", pull.head)).cloned(),
        ) else {
            return Err("a branch of the pull request is gone".into());
        };
        // The head's changes since the merge base, laid on the base.
        let since = merge_base(self, &base, &head)
            .map(|b| self.files_at(&b))
            .unwrap_or_default();
        let mut files = self.files_at(&base);
        for (path, content) in self.files_at(&head) {
            if since.get(&path) != Some(&content) {
                files.insert(path, content);
            }
        }
        let mut tree = BTreeMap::new();
        for (path, content) in &files {
            let b = sha("blob", content);
            self.blobs.insert(b.clone(), content.clone());
            tree.insert(path.clone(), b);
        }
        let t = self.store_tree(tree);
        let message = format!(
            "Merge pull request #{n} from {}/{}\n\n{}",
            self.owner, pull.head, i.title
        );
        let merge = self.store_commit(t, vec![base.clone(), head], message);
        self.refs
            .insert(format!("heads/{}", pull.base), merge.clone());
        let now = self.now.clone();
        if let Some(i) = self.issue_mut(n) {
            i.state = "closed".into();
            i.closed_at = Some(now.clone());
            i.updated_at = now.clone();
            if let Some(p) = i.pull.as_mut() {
                p.merged = true;
                p.merged_at = Some(now);
                p.merge_commit_sha = Some(merge.clone());
            }
        }
        let payload = json!({"ref": format!("refs/heads/{}", pull.base), "before": base,
                             "after": merge, "pusher": {"name": by}});
        self.record("push", payload, by);
        Ok(merge)
    }

    /// Records a `repository_dispatch` as GitHub delivers it to workflows.
    pub(crate) fn dispatched(&mut self, event_type: &str, client_payload: Value, sender: &str) {
        let payload = json!({"action": event_type, "branch": self.default_branch,
                             "client_payload": client_payload});
        self.record("repository_dispatch", payload, sender);
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

/// Adds labels the repository does not have yet.
pub(crate) fn ensure_labels(st: &mut State, labels: &[String]) {
    for l in labels {
        if !st.labels.iter().any(|x| x.eq_ignore_ascii_case(l)) {
            st.labels.push(l.clone());
        }
    }
}

/// Whether commit `anc` is `of` or one of its ancestors.
pub(crate) fn is_ancestor(st: &State, anc: &str, of: &str) -> bool {
    ancestors(st, of).contains(anc)
}

/// `of` and every commit it descends from.
pub(crate) fn ancestors(st: &State, of: &str) -> std::collections::BTreeSet<String> {
    let mut todo = vec![of.to_owned()];
    let mut seen = std::collections::BTreeSet::new();
    while let Some(c) = todo.pop() {
        if seen.insert(c.clone()) {
            if let Some(x) = st.commits.get(&c) {
                todo.extend(x.parents.iter().cloned());
            }
        }
    }
    seen
}

/// The nearest common ancestor of two commits, as git's merge base.
pub(crate) fn merge_base(st: &State, a: &str, b: &str) -> Option<String> {
    let of_a = ancestors(st, a);
    // Breadth first from `b`: the first commit `a` also reaches.
    let mut queue = VecDeque::from([b.to_owned()]);
    let mut seen = std::collections::BTreeSet::new();
    while let Some(c) = queue.pop_front() {
        if of_a.contains(&c) {
            return Some(c);
        }
        if seen.insert(c.clone()) {
            if let Some(x) = st.commits.get(&c) {
                queue.extend(x.parents.iter().cloned());
            }
        }
    }
    None
}

/// A loopback listener on a random port, with `TCP_NODELAY` (Linux
/// passes it on to the accepted connections).
fn listener(port: u16) -> std::io::Result<std::net::TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    let _ = socket.set_tcp_nodelay(true);
    let _ = socket.set_reuse_address(true);
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    socket.bind(&addr.into())?;
    socket.listen(128)?;
    Ok(socket.into())
}

/// A request that is not an API call, for [`FakeGitHub::serve`]'s pages.
#[derive(Debug, Clone)]
pub struct WebRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path and query.
    pub url: String,
    /// The body, as sent.
    pub body: String,
}

/// A page's answer.
#[derive(Debug, Clone)]
pub struct WebPage {
    /// The status.
    pub status: u16,
    /// Headers (`Content-Type`, `Location`, …).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
}

/// What answers the requests the API does not (a web page, a control
/// endpoint); `None` hands the request to the API.
pub type Pages = dyn Fn(&Mutex<State>, &WebRequest) -> Option<WebPage> + Send + Sync;

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
        FakeGitHub::serve(0, None).expect("serve on 127.0.0.1")
    }

    /// Serves on 127.0.0.1:`port` (0: any free port), with `pages`
    /// answering first what is not an API call.
    pub fn serve(port: u16, pages: Option<Arc<Pages>>) -> std::io::Result<FakeGitHub> {
        let server = Arc::new(
            tiny_http::Server::from_listener(listener(port)?, None)
                .map_err(|e| std::io::Error::other(e.to_string()))?,
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
                let token = req
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("authorization"))
                    .map(|h| {
                        let v = h.value.as_str();
                        v.strip_prefix("Bearer ")
                            .or_else(|| v.strip_prefix("token "))
                            .unwrap_or(v)
                            .trim()
                            .to_owned()
                    });
                let page = pages.as_ref().and_then(|p| {
                    p(
                        &st,
                        &WebRequest {
                            method: method.clone(),
                            url: url.clone(),
                            body: body.clone(),
                        },
                    )
                });
                let answer = if let Some(page) = page {
                    Answer {
                        status: page.status,
                        headers: page.headers,
                        body: page.body,
                    }
                } else if method == "OPTIONS" {
                    routes::preflight()
                } else {
                    let mut state = st.lock().unwrap_or_else(|e| e.into_inner());
                    routes::handle(&mut state, &method, &url, &body, token.as_deref())
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
        Ok(FakeGitHub {
            url,
            state,
            server,
            thread: Some(thread),
        })
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
