//! Reading what exists on GitHub into the planners' snapshots: the
//! repository, the postmortem branch and its PR, the fix issues, file
//! contents, the Action's own comments and CI results. Lists are read
//! whole before anything is changed (changing issues while paging skips
//! some). GitHub's answers are read into the Action's own structs, every
//! field GitHub may send as null optional.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use postmortem_action::check::{BotComment, CiResult, JobResult, Landing};
use postmortem_action::fixissue;
use postmortem_action::open::{
    BranchState, COMMIT_TRAILER, FixIssueState, OpenState, PullRequestState,
};
use postmortem_model::{IncidentId, Reader, TestBinding};
use serde::Deserialize;
use serde_json::Value;

use super::gh::{Gh, GhError, enc, enc_path};

/// Pages read at most from one list (100 items each).
pub const MAX_PAGES: usize = 100;

#[derive(Deserialize, Clone)]
struct User {
    #[serde(default)]
    login: String,
}

#[derive(Deserialize, Clone)]
struct Label {
    #[serde(default)]
    name: String,
}

/// An issue as the issues list gives it.
#[derive(Deserialize, Clone)]
pub struct Issue {
    /// Its number.
    pub number: u64,
    /// Its page.
    pub html_url: String,
    /// `open` or `closed`.
    pub state: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Body (null on GitHub when empty).
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    labels: Vec<Label>,
    #[serde(default)]
    assignees: Option<Vec<User>>,
    /// How many comments it has.
    #[serde(default)]
    pub comments: u64,
    /// When it was opened.
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pull_request: Option<Value>,
}

impl Issue {
    /// Label names.
    pub fn label_names(&self) -> Vec<String> {
        self.labels.iter().map(|l| l.name.clone()).collect()
    }
    /// The body, "" when null.
    pub fn body_text(&self) -> String {
        self.body.clone().unwrap_or_default()
    }
    fn is_pull_request(&self) -> bool {
        self.pull_request.is_some()
    }
}

fn parse<T: for<'de> Deserialize<'de>>(v: Value, what: &str) -> Result<T, GhError> {
    serde_json::from_value(v).map_err(|e| GhError {
        status: None,
        message: format!("GitHub's answer for {what} is not as described: {e}"),
    })
}

/// The repository's default branch.
pub fn default_branch(gh: &Gh) -> Result<String, GhError> {
    let r = gh.get(&gh.r(""))?;
    Ok(r["default_branch"].as_str().unwrap_or("main").to_owned())
}

/// A branch's head commit and its tree.
pub fn branch_head(gh: &Gh, branch: &str) -> Result<Option<(String, String)>, GhError> {
    Ok(gh
        .get_opt(&gh.r(&format!("/commits/{}", enc(branch))))?
        .map(|c| {
            (
                c["sha"].as_str().unwrap_or_default().to_owned(),
                c["commit"]["tree"]["sha"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        }))
}

/// An issue comment as both comment lists give it.
#[derive(Deserialize)]
struct Comment {
    id: u64,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    user: Option<User>,
    /// Only in the repository-wide list.
    #[serde(default)]
    issue_url: Option<String>,
}

impl Comment {
    /// The comment as the Action's own, when `bot` wrote it.
    fn by(self, bot: &str) -> Option<BotComment> {
        self.user
            .is_some_and(|u| u.login.eq_ignore_ascii_case(bot))
            .then(|| BotComment {
                id: self.id,
                body: self.body.unwrap_or_default(),
            })
    }
}

/// The Action's own comments on an issue or PR.
pub fn bot_comments(gh: &Gh, number: u64, bot: &str) -> Result<Vec<BotComment>, GhError> {
    let all = gh.get_all(
        &gh.r(&format!("/issues/{number}/comments?per_page=100")),
        None,
        MAX_PAGES,
    )?;
    let mut out = Vec::new();
    for v in all {
        let c: Comment = parse(v, "an issue comment")?;
        out.extend(c.by(bot));
    }
    Ok(out)
}

/// The Action's comments on every issue, from the repository's comment
/// list since `since`, by issue number; `None` when the list is longer
/// than the pages read (then the caller reads issue by issue).
pub fn bot_comments_since(
    gh: &Gh,
    since: DateTime<Utc>,
    bot: &str,
) -> Result<Option<HashMap<u64, Vec<BotComment>>>, GhError> {
    let uri = gh.r(&format!(
        "/issues/comments?sort=created&direction=asc&since={}&per_page=100",
        enc(&since.format("%Y-%m-%dT%H:%M:%SZ").to_string())
    ));
    let all = gh.get_all(&uri, None, MAX_PAGES)?;
    if all.len() >= MAX_PAGES * 100 {
        return Ok(None);
    }
    let mut out: HashMap<u64, Vec<BotComment>> = HashMap::new();
    for v in all {
        let c: Comment = parse(v, "an issue comment")?;
        let number = c
            .issue_url
            .as_deref()
            .and_then(|u| u.rsplit('/').next()?.parse().ok());
        if let (Some(n), Some(mine)) = (number, c.by(bot)) {
            out.entry(n).or_default().push(mine);
        }
    }
    Ok(Some(out))
}

/// Every issue labelled `label` in `state` (`open`, `closed`, `all`),
/// optionally updated since a time; pull requests left out.
pub fn issues_labelled(
    gh: &Gh,
    label: &str,
    state: &str,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<Issue>, GhError> {
    let mut uri = gh.r(&format!(
        "/issues?labels={}&state={state}&per_page=100",
        enc(label)
    ));
    if let Some(s) = since {
        uri.push_str(&format!(
            "&since={}",
            enc(&s.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        ));
    }
    issues_at(gh, &uri)
}

/// Every issue of a list (its pages followed), pull requests left out.
fn issues_at(gh: &Gh, uri: &str) -> Result<Vec<Issue>, GhError> {
    let mut out = Vec::new();
    for v in gh.get_all(uri, None, MAX_PAGES)? {
        let i: Issue = parse(v, "an issue")?;
        if !i.is_pull_request() {
            out.push(i);
        }
    }
    Ok(out)
}

/// A fix issue as the opener sees it.
pub fn fix_issue_state(i: &Issue) -> FixIssueState {
    FixIssueState {
        number: i.number,
        html_url: i.html_url.clone(),
        open: i.state == "open",
        title: i.title.clone(),
        body: i.body_text(),
        labels: i.label_names(),
        assignees: i
            .assignees
            .as_ref()
            .map(|a| a.iter().map(|u| u.login.clone()).collect())
            .unwrap_or_default(),
    }
}

/// The open issues labelled `label` that `creator` opened.
pub fn issues_by(gh: &Gh, label: &str, creator: &str) -> Result<Vec<Issue>, GhError> {
    issues_at(
        gh,
        &gh.r(&format!(
            "/issues?labels={}&state=open&creator={}&per_page=100",
            enc(label),
            enc(creator)
        )),
    )
}

/// One issue.
pub fn issue(gh: &Gh, number: u64) -> Result<Option<Issue>, GhError> {
    gh.get_opt(&gh.r(&format!("/issues/{number}")))?
        .map(|v| parse(v, "an issue"))
        .transpose()
}

/// A file's text at `git_ref`, `None` when it does not exist.
pub fn file(gh: &Gh, path: &str, git_ref: &str) -> Result<Option<String>, GhError> {
    let Some(v) = gh.get_opt(&gh.r(&format!(
        "/contents/{}?ref={}",
        enc_path(path),
        enc(git_ref)
    )))?
    else {
        return Ok(None);
    };
    if v.is_array() || v["type"].as_str() != Some("file") {
        return Err(GhError {
            status: None,
            message: format!("{path} is a folder or link in the repository, not a file"),
        });
    }
    if v["encoding"].as_str() != Some("base64") {
        // The contents API leaves out files over 1 MB.
        return Err(GhError {
            status: None,
            message: format!(
                "{path} is too large for the contents API (over 1 MB); the Action does not edit it"
            ),
        });
    }
    let content = v["content"].as_str().unwrap_or_default();
    let bytes = base64_decode(content).ok_or_else(|| GhError {
        status: None,
        message: format!("{path}: the contents API sent content that is not base64"),
    })?;
    String::from_utf8(bytes).map(Some).map_err(|_| GhError {
        status: None,
        message: format!("{path} is not UTF-8 text"),
    })
}

/// What the shell learnt besides [`OpenState`].
pub struct OpenRead {
    /// The snapshot.
    pub state: OpenState,
    /// Commit sha → tree sha, for the commit's `base_tree`.
    pub trees: HashMap<String, String>,
    /// The default branch's head, when the postmortem branch must be
    /// created from it ("" otherwise: the planner does not use it).
    pub base_sha: String,
}

/// The paths in a tree, `None` when GitHub truncated the listing.
fn tree_paths(gh: &Gh, tree: &str) -> Result<Option<HashSet<String>>, GhError> {
    let v = gh.get(&gh.r(&format!("/git/trees/{}?recursive=1", enc(tree))))?;
    Ok(paths_of(&v))
}

/// A tree's sha and its paths (`None` when GitHub truncated them).
type Listing = (String, Option<HashSet<String>>);

/// A commit's tree sha and its paths, read by the commit's sha (GitHub
/// takes a tree's sha or what names one); `None` when GitHub does not
/// know it.
fn tree_listing(gh: &Gh, commit: &str) -> Result<Option<Listing>, GhError> {
    let Some(v) = gh.get_opt(&gh.r(&format!("/git/trees/{}?recursive=1", enc(commit))))? else {
        return Ok(None);
    };
    Ok(v["sha"]
        .as_str()
        .map(|tree| (tree.to_owned(), paths_of(&v))))
}

fn paths_of(v: &Value) -> Option<HashSet<String>> {
    if v["truncated"].as_bool().unwrap_or(true) {
        return None;
    }
    Some(
        v["tree"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["type"].as_str() == Some("blob"))
            .filter_map(|e| e["path"].as_str().map(str::to_owned))
            .collect(),
    )
}

/// Reads what exists for an incident's postmortem: the branch (one
/// compare, which also says whose commits are on it), its open PR, the
/// fix issue, and the files the commit may write. When the branch must be
/// created, the default branch's head and its file listing are read, so
/// files that do not exist cost nothing.
///
/// With `look_for_branch` false (see
/// [`postmortem_action::open::may_assume_no_branch`]) the branch is taken
/// not to exist without the compare; creating it then finds it if it does
/// (the applier's `branch_existed`), and the shell reads again in full.
pub fn open_state(
    gh: &Gh,
    incident: &IncidentId,
    default_branch: &str,
    paths: &[String],
    bot: &str,
    look_for_branch: bool,
    runner_base: Option<&str>,
) -> Result<OpenRead, GhError> {
    let branch = postmortem_action::open::branch_for(incident);
    let mut trees = HashMap::new();

    let compare = if look_for_branch {
        gh.get_opt(&gh.r(&format!(
            "/compare/{}...{}",
            enc(default_branch),
            enc_path(&branch)
        )))?
    } else {
        None
    };
    let branch_state = match compare {
        None => None,
        // Everything on the branch is merged: for the planner it is gone
        // (a new commit on the default branch's head fast-forwards it, see
        // the applier).
        Some(cmp) if cmp["ahead_by"].as_u64() == Some(0) => None,
        Some(cmp) => {
            let commits = cmp["commits"].as_array().cloned().unwrap_or_default();
            let only_action_commits = commits.iter().all(|c| {
                c["commit"]["message"]
                    .as_str()
                    .is_some_and(|m| m.lines().any(|l| l.trim() == COMMIT_TRAILER))
            });
            let last = commits.last().cloned().unwrap_or_default();
            let head = last["sha"].as_str().unwrap_or_default().to_owned();
            if let Some(t) = last["commit"]["tree"]["sha"].as_str() {
                trees.insert(head.clone(), t.to_owned());
            }
            Some(BranchState {
                head_sha: head,
                only_action_commits,
            })
        }
    };

    let by_runner = match (&branch_state, runner_base) {
        // The listing by the commit gives its tree's sha as well.
        (None, Some(sha)) => {
            tree_listing(gh, sha)?
                .filter(|(tree, _)| tree != sha)
                .map(|(tree, listing)| {
                    trees.insert(sha.to_owned(), tree);
                    (sha.to_owned(), listing)
                })
        }
        _ => None,
    };
    let (base_sha, listing) = match (by_runner, &branch_state) {
        (Some(read), _) => read,
        (None, None) => {
            let (sha, tree) = branch_head(gh, default_branch)?.ok_or_else(|| GhError {
                status: None,
                message: format!("the default branch {default_branch} has no commits"),
            })?;
            trees.insert(sha.clone(), tree.clone());
            (sha, tree_paths(gh, &tree)?)
        }
        (None, Some(_)) => (String::new(), None),
    };

    // A PR needs its head branch: with no branch there is no open PR.
    let pull_request = match &branch_state {
        None => None,
        Some(_) => {
            let list = gh.get(&gh.r(&format!(
                "/pulls?head={}&state=open&per_page=100",
                enc(&format!("{}:{branch}", gh.owner()))
            )))?;
            match list.as_array().and_then(|a| a.first()).cloned() {
                None => None,
                // Its comments hold the Action's markers: readers refused
                // before, human commits said.
                Some(pr) => Some(pull_request_state(gh, &pr, true, bot)?),
            }
        }
    };

    let candidates = issues_labelled(gh, fixissue::FIX_LABEL, "all", None)?;
    let pairs: Vec<(u64, String)> = candidates
        .iter()
        .map(|i| (i.number, i.body_text()))
        .collect();
    let fix_issue = postmortem_action::open::find_fix_issue(incident, &pairs).and_then(|(n, _)| {
        candidates
            .iter()
            .find(|i| i.number == *n)
            .map(fix_issue_state)
    });

    let at = if branch_state.is_some() {
        branch.as_str()
    } else {
        default_branch
    };
    let mut files = BTreeMap::new();
    for p in paths {
        if files.contains_key(p) {
            continue;
        }
        if listing.as_ref().is_some_and(|l| !l.contains(p)) {
            files.insert(p.clone(), None);
            continue;
        }
        files.insert(p.clone(), file(gh, p, at)?);
    }
    Ok(OpenRead {
        state: OpenState {
            branch: branch_state,
            pull_request,
            fix_issue,
            files,
        },
        trees,
        base_sha,
    })
}

/// The open PR as the planner needs it.
pub fn pull_request_state(
    gh: &Gh,
    pr: &Value,
    with_comments: bool,
    bot: &str,
) -> Result<PullRequestState, GhError> {
    let number = pr["number"].as_u64().unwrap_or_default();
    let owner = gh.owner().to_owned();
    let mut asked: Vec<Reader> = Vec::new();
    for u in pr["requested_reviewers"].as_array().into_iter().flatten() {
        if let Some(r) = u["login"].as_str().and_then(|l| l.parse().ok()) {
            asked.push(r);
        }
    }
    for t in pr["requested_teams"].as_array().into_iter().flatten() {
        if let Some(r) = t["slug"]
            .as_str()
            .and_then(|s| format!("{owner}/{s}").parse().ok())
        {
            asked.push(r);
        }
    }
    // Readers who reviewed are no longer "requested" but were asked.
    for r in gh.get_all(
        &gh.r(&format!("/pulls/{number}/reviews?per_page=100")),
        None,
        MAX_PAGES,
    )? {
        if let Some(reader) = r["user"]["login"]
            .as_str()
            .and_then(|l| l.parse::<Reader>().ok())
        {
            if !asked.contains(&reader) {
                asked.push(reader);
            }
        }
    }
    Ok(PullRequestState {
        number,
        html_url: pr["html_url"].as_str().unwrap_or_default().to_owned(),
        title: pr["title"].as_str().unwrap_or_default().to_owned(),
        body: pr["body"].as_str().unwrap_or_default().to_owned(),
        labels: pr["labels"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|l| l["name"].as_str().map(str::to_owned))
            .collect(),
        asked,
        bot_comments: if with_comments {
            bot_comments(gh, number, bot)?
        } else {
            Vec::new()
        },
    })
}

/// The CI results of a binding since `since`: one request. Each result
/// carries the facts [`postmortem_action::evidence`] judges it by.
pub fn ci_results(
    gh: &Gh,
    binding: &TestBinding,
    since: DateTime<Utc>,
) -> Result<Vec<CiResult>, GhError> {
    let branch = binding.branch();
    match binding {
        TestBinding::Workflow { workflow, job, .. } => {
            #[derive(Deserialize)]
            struct Repo {
                #[serde(default)]
                full_name: Option<String>,
            }
            #[derive(Deserialize)]
            struct Run {
                id: u64,
                #[serde(default)]
                conclusion: Option<String>,
                #[serde(default)]
                head_branch: Option<String>,
                #[serde(default)]
                head_sha: Option<String>,
                #[serde(default)]
                event: Option<String>,
                #[serde(default)]
                head_repository: Option<Repo>,
                #[serde(default)]
                updated_at: Option<DateTime<Utc>>,
                html_url: String,
            }
            // A run bound to one job may fail elsewhere and still prove it.
            let status = if job.is_some() {
                "completed"
            } else {
                "success"
            };
            let v = gh.get(&gh.r(&format!(
                "/actions/workflows/{}/runs?branch={}&status={status}&created={}&per_page=100",
                enc(workflow),
                enc(branch),
                enc(&format!(">={}", since.format("%Y-%m-%d")))
            )))?;
            let runs: Vec<Run> = parse(v["workflow_runs"].clone(), "workflow runs")?;
            Ok(runs
                .into_iter()
                .map(|r| CiResult {
                    conclusion: r.conclusion,
                    branch: r.head_branch,
                    completed_at: r.updated_at,
                    html_url: r.html_url,
                    head_sha: r.head_sha,
                    run_id: Some(r.id),
                    event: r.event,
                    head_repository: r.head_repository.and_then(|h| h.full_name),
                    ..CiResult::default()
                })
                .collect())
        }
        TestBinding::CheckRun { name, .. } => {
            #[derive(Deserialize)]
            struct App {
                #[serde(default)]
                slug: Option<String>,
            }
            #[derive(Deserialize)]
            struct Check {
                #[serde(default)]
                conclusion: Option<String>,
                #[serde(default)]
                completed_at: Option<DateTime<Utc>>,
                #[serde(default)]
                html_url: Option<String>,
                #[serde(default)]
                details_url: Option<String>,
                #[serde(default)]
                head_sha: Option<String>,
                #[serde(default)]
                app: Option<App>,
            }
            let v = gh.get(&gh.r(&format!(
                "/commits/{}/check-runs?check_name={}&status=completed&filter=all&per_page=100",
                enc(branch),
                enc(name)
            )))?;
            let runs: Vec<Check> = parse(v["check_runs"].clone(), "check runs")?;
            Ok(runs
                .into_iter()
                .map(|c| CiResult {
                    conclusion: c.conclusion,
                    branch: Some(branch.to_owned()),
                    completed_at: c.completed_at,
                    html_url: c.html_url.or(c.details_url).unwrap_or_default(),
                    head_sha: c.head_sha,
                    reporter: c.app.and_then(|a| a.slug),
                    ..CiResult::default()
                })
                .collect())
        }
        TestBinding::Status { context, .. } => {
            #[derive(Deserialize)]
            struct Status {
                state: String,
                #[serde(default)]
                context: String,
                #[serde(default)]
                updated_at: Option<DateTime<Utc>>,
                #[serde(default)]
                target_url: Option<String>,
                #[serde(default)]
                url: String,
                #[serde(default)]
                creator: Option<User>,
            }
            let v = gh.get(&gh.r(&format!("/commits/{}/statuses?per_page=100", enc(branch))))?;
            let statuses: Vec<Status> = parse(v, "commit statuses")?;
            Ok(statuses
                .into_iter()
                .filter(|s| &s.context == context)
                .map(|s| CiResult {
                    conclusion: Some(s.state),
                    branch: Some(branch.to_owned()),
                    completed_at: s.updated_at,
                    // A status's API URL ends in the commit's sha.
                    head_sha: s.url.rsplit('/').next().map(str::to_owned),
                    html_url: s.target_url.unwrap_or(s.url),
                    reporter: s.creator.map(|c| c.login),
                    ..CiResult::default()
                })
                .collect())
        }
    }
}

/// Whether commit `head` contains commit `base` (`GET /compare`: `ahead`
/// or `identical`).
pub fn contains(gh: &Gh, base: &str, head: &str) -> Result<bool, GhError> {
    let v = gh.get_opt(&gh.r(&format!("/compare/{}...{}", enc(base), enc(head))))?;
    Ok(v.is_some_and(|v| matches!(v["status"].as_str(), Some("ahead" | "identical"))))
}

/// Job `name` of workflow run `run_id`, if the run has it.
pub fn job(gh: &Gh, run_id: u64, name: &str) -> Result<Option<JobResult>, GhError> {
    #[derive(Deserialize)]
    struct Job {
        name: String,
        #[serde(default)]
        conclusion: Option<String>,
        #[serde(default)]
        completed_at: Option<DateTime<Utc>>,
        #[serde(default)]
        html_url: Option<String>,
    }
    for v in gh.get_all(
        &gh.r(&format!("/actions/runs/{run_id}/jobs?per_page=100")),
        Some("jobs"),
        MAX_PAGES,
    )? {
        let j: Job = parse(v, "a workflow job")?;
        if j.name == name {
            return Ok(Some(JobResult {
                conclusion: j.conclusion,
                completed_at: j.completed_at,
                html_url: j.html_url.unwrap_or_default(),
            }));
        }
    }
    Ok(None)
}

/// The earliest merged pull request whose head is `branch`: its merge
/// commit, number and time.
pub fn merged_pull(gh: &Gh, branch: &str) -> Result<Option<Landing>, GhError> {
    #[derive(Deserialize)]
    struct Pull {
        number: u64,
        #[serde(default)]
        merged_at: Option<DateTime<Utc>>,
        #[serde(default)]
        merge_commit_sha: Option<String>,
    }
    let list = gh.get_all(
        &gh.r(&format!(
            "/pulls?head={}&state=closed&per_page=100",
            enc(&format!("{}:{branch}", gh.owner()))
        )),
        None,
        MAX_PAGES,
    )?;
    let mut merged = Vec::new();
    for v in list {
        let p: Pull = parse(v, "a pull request")?;
        if let (Some(at), Some(sha)) = (p.merged_at, p.merge_commit_sha) {
            merged.push(Landing::Merged {
                sha,
                pull_request: p.number,
                merged_at: at,
            });
        }
    }
    Ok(merged.into_iter().min_by_key(|l| match l {
        Landing::Merged { merged_at, .. } => Some(*merged_at),
        _ => None,
    }))
}

/// Whether `login` can be assigned to issues here (204 or 404).
pub fn assignable(gh: &Gh, login: &str) -> Result<bool, GhError> {
    Ok(gh
        .get_opt(&gh.r(&format!("/assignees/{}", enc(login))))?
        .is_some())
}

/// Whether `login` has access to the repository (204 or 404).
pub fn collaborator(gh: &Gh, login: &str) -> Result<bool, GhError> {
    Ok(gh
        .get_opt(&gh.r(&format!("/collaborators/{}", enc(login))))?
        .is_some())
}

/// The slugs of the teams with access to the repository, or `None` when the
/// token may not list them (the default token may not: 403).
pub fn teams_with_access(gh: &Gh) -> Result<Option<Vec<String>>, GhError> {
    match gh.get_all(&gh.r("/teams?per_page=100"), None, MAX_PAGES) {
        Ok(teams) => Ok(Some(
            teams
                .iter()
                .filter_map(|t| t["slug"].as_str().map(str::to_owned))
                .collect(),
        )),
        Err(e) if matches!(e.status, Some(403 | 404)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The files a push changed (`GET /compare/{before}...{after}`): each
/// path added, modified or renamed to.
pub fn changed_files(gh: &Gh, before: &str, after: &str) -> Result<Vec<String>, GhError> {
    let v = gh.get(&gh.r(&format!("/compare/{}...{}", enc(before), enc(after))))?;
    Ok(v["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["status"].as_str() != Some("removed"))
        .filter_map(|f| f["filename"].as_str().map(str::to_owned))
        .collect())
}

/// Standard base64 with newlines (as the contents API sends it).
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b'\n' | b'\r' | b' ' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::base64_decode;

    #[test]
    fn base64_from_the_contents_api_decodes_across_newlines() {
        assert_eq!(base64_decode("aGVs\nbG8=\n").unwrap(), b"hello");
        assert_eq!(base64_decode("").unwrap(), b"");
        assert_eq!(base64_decode("4pyT").unwrap(), "✓".as_bytes());
        assert!(base64_decode("a$b").is_none());
    }
}
