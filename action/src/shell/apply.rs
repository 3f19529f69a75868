//! Applying a [`Plan`] on GitHub, operation by operation, in order.
//!
//! Every creation is find-before-create ([`Gh::create`]): a retried POST
//! whose first attempt GitHub did act on is found, not repeated. A PR that
//! "already exists" is found by its head branch and updated. Right after a
//! PR is created, labels and reviewers may fail with 422 "Could not
//! resolve to a node" for a moment: those are retried with backoff. Text
//! that names something this plan creates is resolved once it exists.

use std::collections::HashMap;

use http::Method;
use postmortem_action::fixissue::{self, BlockState};
use postmortem_action::open::find_fix_issue;
use postmortem_action::plan::{CloseReason, Created, Operation, Plan, Planned, Target, Text};
use postmortem_model::Reader;
use serde_json::{Value, json};

use super::gh::{Gh, GhError, enc, enc_path};
use super::read;

/// Applies plans, remembering what it created.
pub struct Applier<'a> {
    gh: &'a Gh,
    /// What this run created, for [`Text`] references.
    pub created: HashMap<Planned, Created>,
    /// Commit sha → tree sha.
    pub trees: HashMap<String, String>,
    /// The labels of the pull requests this run created or found, by
    /// number (a labelling `PATCH` sets the whole list).
    pr_labels: HashMap<u64, Vec<String>>,
    /// Set when creating the postmortem branch found it already there
    /// with commits that are not on the default branch: the plan assumed
    /// it did not exist, and the run must read it and plan again.
    pub branch_existed: bool,
    /// The pull request and the readers GitHub refused to ask for a review
    /// (no access to the repository): reported, not fatal.
    pub refused: Option<(u64, Vec<Reader>)>,
    bot: String,
}

fn err(message: String) -> GhError {
    GhError {
        status: None,
        message,
    }
}

impl<'a> Applier<'a> {
    /// An applier on `gh`.
    pub fn new(gh: &'a Gh, trees: HashMap<String, String>, bot: &str) -> Self {
        Applier {
            gh,
            created: HashMap::new(),
            trees,
            pr_labels: HashMap::new(),
            branch_existed: false,
            refused: None,
            bot: bot.to_owned(),
        }
    }

    /// Resolves a text against what exists now.
    pub fn text(&self, t: &Text) -> Result<String, GhError> {
        t.resolve(|p| self.created.get(&p).cloned())
            .map_err(|e| err(e.to_string()))
    }

    fn number(&self, t: Target) -> Result<u64, GhError> {
        match t {
            Target::Number(n) => Ok(n),
            Target::Planned(p) => self
                .created
                .get(&p)
                .map(|c| c.number)
                .ok_or_else(|| err(format!("{t} does not exist yet"))),
        }
    }

    /// Applies every operation of `plan`, in order.
    pub fn apply(&mut self, plan: &Plan) -> Result<(), GhError> {
        for (i, op) in plan.operations.iter().enumerate() {
            eprintln!("{}. {}", i + 1, op.headline());
            self.one(op)?;
        }
        Ok(())
    }

    /// Retries a write that may fail with 422 "Could not resolve to a
    /// node" right after its PR was created.
    fn with_node_retry(&self, method: Method, uri: &str, body: &Value) -> Result<Value, GhError> {
        let mut attempt = 0;
        loop {
            let r = self.gh.send_raw(method.clone(), uri, Some(body), true)?;
            if (200..300).contains(&r.status) {
                return Ok(r.json);
            }
            let msg = r.message();
            if r.status == 422 && msg.contains("Could not resolve to a node") && attempt < 6 {
                attempt += 1;
                eprintln!("GitHub has not indexed the new pull request yet ({msg}); retrying");
                self.gh.pause(attempt);
                continue;
            }
            return Err(GhError {
                status: Some(r.status),
                message: format!("{method} {uri}: GitHub answered {}: {msg}", r.status),
            });
        }
    }

    fn tree_of(&mut self, commit: &str) -> Result<String, GhError> {
        if let Some(t) = self.trees.get(commit) {
            return Ok(t.clone());
        }
        let c = self
            .gh
            .get(&self.gh.r(&format!("/git/commits/{}", enc(commit))))?;
        let t = c["tree"]["sha"].as_str().unwrap_or_default().to_owned();
        self.trees.insert(commit.to_owned(), t.clone());
        Ok(t)
    }

    fn one(&mut self, op: &Operation) -> Result<(), GhError> {
        let gh = self.gh;
        match op {
            Operation::Commit {
                branch,
                parent,
                base_sha,
                message,
                files,
                ..
            } => {
                let from = parent
                    .clone()
                    .or_else(|| base_sha.clone())
                    .ok_or_else(|| err("a commit needs a parent".into()))?;
                let base_tree = self.tree_of(&from)?;
                // Contents inline in the tree: one request instead of a
                // blob per file.
                let entries: Vec<Value> = files
                    .iter()
                    .map(|f| json!({"path": f.path, "mode": "100644", "type": "blob", "content": f.content}))
                    .collect();
                let tree_body = json!({"base_tree": base_tree, "tree": entries});
                let tree = gh.create(
                    "the tree",
                    |_| Ok(None),
                    |g| g.send(Method::POST, &g.r("/git/trees"), Some(&tree_body)),
                )?;
                let commit_body = json!({
                    "message": message,
                    "tree": tree["sha"],
                    "parents": [from],
                });
                let commit = gh.create(
                    "the commit",
                    |_| Ok(None),
                    |g| g.send(Method::POST, &g.r("/git/commits"), Some(&commit_body)),
                )?;
                let sha = commit["sha"].as_str().unwrap_or_default().to_owned();
                if let Some(t) = tree["sha"].as_str() {
                    self.trees.insert(sha.clone(), t.to_owned());
                }
                let ref_uri = gh.r(&format!("/git/refs/heads/{}", enc_path(branch)));
                if parent.is_some() {
                    // Not forced: a push made since the snapshot makes this
                    // fail instead of being lost.
                    let r = gh.send_raw(
                        Method::PATCH,
                        &ref_uri,
                        Some(&json!({"sha": sha, "force": false})),
                        true,
                    )?;
                    if !(200..300).contains(&r.status) {
                        return Err(GhError {
                            status: Some(r.status),
                            message: format!(
                                "the branch {branch} moved since the Action read it ({}); nothing was overwritten: run the Action again",
                                r.message()
                            ),
                        });
                    }
                } else {
                    let find_ref = |g: &Gh| -> Result<Option<Value>, GhError> {
                        Ok(
                            g.get_opt(&g.r(&format!("/git/ref/heads/{}", enc_path(branch))))?
                                .filter(|r| r["object"]["sha"].as_str() == Some(sha.as_str())),
                        )
                    };
                    let body = json!({"ref": format!("refs/heads/{branch}"), "sha": sha});
                    let diverged = std::cell::Cell::new(false);
                    let res = gh.create("the branch", find_ref, |g| {
                        let r = g.send_raw(Method::POST, &g.r("/git/refs"), Some(&body), false)?;
                        if (200..300).contains(&r.status) {
                            return Ok(r.json);
                        }
                        if r.status == 422 && r.message().contains("already exists") {
                            // A merged branch that was kept: the new commit
                            // sits on the default branch's head, so moving
                            // the branch is a fast-forward. Not forced:
                            // anything unmerged on it makes this fail.
                            let ff = g.send_raw(
                                Method::PATCH,
                                &ref_uri,
                                Some(&json!({"sha": sha, "force": false})),
                                true,
                            )?;
                            if (200..300).contains(&ff.status) {
                                return Ok(ff.json);
                            }
                            diverged.set(true);
                            return Err(GhError {
                                status: Some(ff.status),
                                message: format!(
                                    "the branch {branch} already exists with commits that are not on the default branch; nothing was overwritten ({})",
                                    ff.message()
                                ),
                            });
                        }
                        Err(GhError {
                            status: Some(r.status),
                            message: format!(
                                "creating the branch {branch}: GitHub answered {}: {}",
                                r.status,
                                r.message()
                            ),
                        })
                    });
                    if res.is_err() && diverged.get() {
                        self.branch_existed = true;
                    }
                    res?;
                }
            }
            Operation::CreatePullRequest {
                head,
                base,
                title,
                body,
            } => {
                let body = self.text(body)?;
                let owner = gh.owner().to_owned();
                let find = |g: &Gh| -> Result<Option<Value>, GhError> {
                    let list = g.get(&g.r(&format!(
                        "/pulls?head={}&state=open&per_page=100",
                        enc(&format!("{owner}:{head}"))
                    )))?;
                    Ok(list.as_array().and_then(|a| a.first()).cloned())
                };
                let payload = json!({"title": title, "head": head, "base": base, "body": body, "maintainer_can_modify": true});
                let pr = gh.create("the pull request", find, |g| {
                    let r = g.send_raw(Method::POST, &g.r("/pulls"), Some(&payload), false)?;
                    if (200..300).contains(&r.status) {
                        return Ok(r.json);
                    }
                    if r.status == 422 && r.message().contains("already exists") {
                        // Made by an earlier, interrupted attempt: update it.
                        if let Some(pr) = find(g)? {
                            let n = pr["number"].as_u64().unwrap_or_default();
                            return g.send(
                                Method::PATCH,
                                &g.r(&format!("/pulls/{n}")),
                                Some(&json!({"title": title, "body": body})),
                            );
                        }
                    }
                    Err(GhError {
                        status: Some(r.status),
                        message: format!(
                            "opening the pull request: GitHub answered {}: {}",
                            r.status,
                            r.message()
                        ),
                    })
                })?;
                let labels = pr["labels"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|l| l["name"].as_str().map(str::to_owned))
                    .collect();
                self.pr_labels
                    .insert(pr["number"].as_u64().unwrap_or_default(), labels);
                self.created.insert(Planned::PullRequest, created_from(&pr));
            }
            Operation::UpdatePullRequest {
                target,
                title,
                body,
                labels,
            } => {
                let n = self.number(*target)?;
                let body = self.text(body)?;
                match self.pr_labels.get(&n) {
                    // Title, body and labels in one request: the issues
                    // API sets all three on a pull request. `labels`
                    // replaces the list, so the ones it has are kept.
                    Some(have) if !labels.is_empty() => {
                        let mut all = have.clone();
                        for l in labels {
                            if !all.iter().any(|h| h.eq_ignore_ascii_case(l)) {
                                all.push(l.clone());
                            }
                        }
                        self.with_node_retry(
                            Method::PATCH,
                            &gh.r(&format!("/issues/{n}")),
                            &json!({"title": title, "body": body, "labels": all}),
                        )?;
                    }
                    _ => {
                        gh.send(
                            Method::PATCH,
                            &gh.r(&format!("/pulls/{n}")),
                            Some(&json!({"title": title, "body": body})),
                        )?;
                        if !labels.is_empty() {
                            self.with_node_retry(
                                Method::POST,
                                &gh.r(&format!("/issues/{n}/labels")),
                                &json!({"labels": labels}),
                            )?;
                        }
                    }
                }
            }
            Operation::RequestReviewers {
                target,
                users,
                teams,
            } => {
                let n = self.number(*target)?;
                let mut body = json!({"reviewers": users});
                if !teams.is_empty() {
                    body["team_reviewers"] = json!(teams);
                }
                match self.with_node_retry(
                    Method::POST,
                    &gh.r(&format!("/pulls/{n}/requested_reviewers")),
                    &body,
                ) {
                    Ok(_) => {}
                    Err(e) if e.status == Some(422) && refuses_reviewers(&e.message) => {
                        eprintln!("{}", e.message);
                        let owner = gh.owner().to_owned();
                        let readers = users.iter().filter_map(|u| u.parse::<Reader>().ok()).chain(
                            teams
                                .iter()
                                .filter_map(|t| format!("{owner}/{t}").parse::<Reader>().ok()),
                        );
                        self.refused
                            .get_or_insert_with(|| (n, Vec::new()))
                            .1
                            .extend(readers);
                    }
                    Err(e) => return Err(e),
                }
            }
            Operation::AddLabels { target, labels } => {
                let n = self.number(*target)?;
                self.with_node_retry(
                    Method::POST,
                    &gh.r(&format!("/issues/{n}/labels")),
                    &json!({"labels": labels}),
                )?;
            }
            Operation::RemoveLabels { target, labels } => {
                let n = self.number(*target)?;
                for l in labels {
                    let r = gh.send_raw(
                        Method::DELETE,
                        &gh.r(&format!("/issues/{n}/labels/{}", enc(l))),
                        None,
                        true,
                    )?;
                    if !(200..300).contains(&r.status) && r.status != 404 {
                        return Err(GhError {
                            status: Some(r.status),
                            message: format!("removing label {l} from #{n}: {}", r.message()),
                        });
                    }
                }
            }
            Operation::CreateIssue {
                planned,
                title,
                body,
                assignees,
                labels,
            } => {
                let body = self.text(body)?;
                let incident = match fixissue::parse_block(&body) {
                    BlockState::Sealed { block } => Some(block.incident),
                    _ => None,
                };
                let find = |g: &Gh| -> Result<Option<Value>, GhError> {
                    let Some(id) = &incident else { return Ok(None) };
                    let list = read::issues_labelled(g, fixissue::FIX_LABEL, "all", None)?;
                    let pairs: Vec<(u64, String)> =
                        list.iter().map(|i| (i.number, i.body_text())).collect();
                    Ok(find_fix_issue(id, &pairs).and_then(|(n, _)| {
                        list.iter()
                            .find(|i| i.number == *n)
                            .map(|i| json!({"number": i.number, "html_url": i.html_url}))
                    }))
                };
                let payload =
                    json!({"title": title, "body": body, "assignees": assignees, "labels": labels});
                let issue = gh.create("the fix issue", find, |g| {
                    g.send(Method::POST, &g.r("/issues"), Some(&payload))
                })?;
                self.created.insert(*planned, created_from(&issue));
            }
            Operation::UpdateIssue {
                number,
                title,
                body,
            } => {
                let body = self.text(body)?;
                gh.send(
                    Method::PATCH,
                    &gh.r(&format!("/issues/{number}")),
                    Some(&json!({"title": title, "body": body})),
                )?;
            }
            Operation::AddAssignees { number, assignees } => {
                // Adding an assignee twice is harmless: retried like a PATCH.
                let uri = gh.r(&format!("/issues/{number}/assignees"));
                let r = gh.send_raw(
                    Method::POST,
                    &uri,
                    Some(&json!({"assignees": assignees})),
                    true,
                )?;
                if !(200..300).contains(&r.status) {
                    return Err(GhError {
                        status: Some(r.status),
                        message: format!(
                            "assigning #{number}: GitHub answered {}: {}",
                            r.status,
                            r.message()
                        ),
                    });
                }
            }
            Operation::Comment { target, body } => {
                let n = self.number(*target)?;
                let body = self.text(body)?;
                let bot = self.bot.clone();
                let find = |g: &Gh| -> Result<Option<Value>, GhError> {
                    Ok(read::bot_comments(g, n, &bot)?
                        .into_iter()
                        .find(|c| c.body == body)
                        .map(|c| json!({"id": c.id})))
                };
                let payload = json!({"body": body});
                gh.create("the comment", find, |g| {
                    g.send(
                        Method::POST,
                        &g.r(&format!("/issues/{n}/comments")),
                        Some(&payload),
                    )
                })?;
            }
            Operation::UpdateComment { comment_id, body } => {
                let body = self.text(body)?;
                gh.send(
                    Method::PATCH,
                    &gh.r(&format!("/issues/comments/{comment_id}")),
                    Some(&json!({"body": body})),
                )?;
            }
            Operation::CloseIssue { number, reason } => {
                let reason = match reason {
                    CloseReason::Completed => "completed",
                    CloseReason::NotPlanned => "not_planned",
                };
                gh.send(
                    Method::PATCH,
                    &gh.r(&format!("/issues/{number}")),
                    Some(&json!({"state": "closed", "state_reason": reason})),
                )?;
            }
            Operation::ReopenIssue { number } => {
                gh.send(
                    Method::PATCH,
                    &gh.r(&format!("/issues/{number}")),
                    Some(&json!({"state": "open"})),
                )?;
            }
        }
        Ok(())
    }
}

/// Whether GitHub's 422 says a reader cannot be asked to review (no access
/// to the repository, or the pull request's author).
fn refuses_reviewers(message: &str) -> bool {
    message.contains("Reviews may only be requested from collaborators")
        || message.contains("Review cannot be requested from pull request author")
}

/// What GitHub answered for a new pull request or issue: its number and
/// web URL.
fn created_from(item: &serde_json::Value) -> Created {
    Created {
        number: item["number"].as_u64().unwrap_or_default(),
        html_url: item["html_url"].as_str().unwrap_or_default().to_owned(),
    }
}
