//! The fake's routes: each answers as GitHub's REST description says, on
//! the fake's state.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::{
    Answer, Exchange, Fault, Issue, Pull, State, ancestors, ensure_labels, is_ancestor, merge,
    merge_base, skeleton,
};

type Params = Vec<String>;

/// The OpenAPI templates the fake knows, with how many trailing segments
/// the last parameter may span (`true`: the rest of the path).
const TEMPLATES: &[(&str, &str, bool)] = &[
    ("GET", "/repos/{owner}/{repo}", false),
    (
        "GET",
        "/repos/{owner}/{repo}/commits/{ref}/check-runs",
        false,
    ),
    ("GET", "/repos/{owner}/{repo}/commits/{ref}/statuses", false),
    ("GET", "/repos/{owner}/{repo}/commits/{ref}", false),
    ("GET", "/repos/{owner}/{repo}/git/ref/{ref}", true),
    ("POST", "/repos/{owner}/{repo}/git/refs", false),
    ("PATCH", "/repos/{owner}/{repo}/git/refs/{ref}", true),
    (
        "GET",
        "/repos/{owner}/{repo}/git/commits/{commit_sha}",
        false,
    ),
    ("POST", "/repos/{owner}/{repo}/git/commits", false),
    ("POST", "/repos/{owner}/{repo}/git/trees", false),
    ("GET", "/repos/{owner}/{repo}/git/trees/{tree_sha}", false),
    ("POST", "/repos/{owner}/{repo}/git/blobs", false),
    ("GET", "/repos/{owner}/{repo}/compare/{basehead}", true),
    ("GET", "/repos/{owner}/{repo}/contents/{path}", true),
    ("GET", "/repos/{owner}/{repo}/pulls", false),
    ("POST", "/repos/{owner}/{repo}/pulls", false),
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", false),
    ("PATCH", "/repos/{owner}/{repo}/pulls/{pull_number}", false),
    (
        "POST",
        "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
        false,
    ),
    (
        "GET",
        "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
        false,
    ),
    (
        "GET",
        "/repos/{owner}/{repo}/pulls/{pull_number}/files",
        false,
    ),
    ("GET", "/repos/{owner}/{repo}/issues", false),
    ("POST", "/repos/{owner}/{repo}/issues", false),
    (
        "PATCH",
        "/repos/{owner}/{repo}/issues/comments/{comment_id}",
        false,
    ),
    ("GET", "/repos/{owner}/{repo}/issues/comments", false),
    ("GET", "/repos/{owner}/{repo}/issues/{issue_number}", false),
    (
        "PATCH",
        "/repos/{owner}/{repo}/issues/{issue_number}",
        false,
    ),
    (
        "GET",
        "/repos/{owner}/{repo}/issues/{issue_number}/comments",
        false,
    ),
    (
        "POST",
        "/repos/{owner}/{repo}/issues/{issue_number}/comments",
        false,
    ),
    (
        "POST",
        "/repos/{owner}/{repo}/issues/{issue_number}/labels",
        false,
    ),
    (
        "DELETE",
        "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}",
        false,
    ),
    (
        "POST",
        "/repos/{owner}/{repo}/issues/{issue_number}/assignees",
        false,
    ),
    (
        "GET",
        "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs",
        false,
    ),
    (
        "GET",
        "/repos/{owner}/{repo}/actions/runs/{run_id}/jobs",
        false,
    ),
    ("GET", "/repos/{owner}/{repo}/assignees/{assignee}", false),
    (
        "GET",
        "/repos/{owner}/{repo}/collaborators/{username}",
        false,
    ),
    ("GET", "/repos/{owner}/{repo}/teams", false),
    ("POST", "/repos/{owner}/{repo}/dispatches", false),
    (
        "PUT",
        "/repos/{owner}/{repo}/pulls/{pull_number}/merge",
        false,
    ),
];

/// GitHub's limit on an issue, pull request or comment body.
const MAX_BODY_CHARS: usize = 65_536;
/// GitHub's limits on a `repository_dispatch` (its REST description:
/// "The maximum number of top-level properties is 10. The total size of
/// the JSON payload must be less than 64KB", read as 64,000 bytes).
const MAX_PAYLOAD_PROPERTIES: usize = 10;
const MAX_PAYLOAD_BYTES: usize = 64_000;
const MAX_EVENT_TYPE_CHARS: usize = 100;

/// The headers GitHub's API sends a browser.
const CORS: [(&str, &str); 2] = [
    ("access-control-allow-origin", "*"),
    (
        "access-control-expose-headers",
        "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset",
    ),
];

/// The answer to a browser's preflight request (`OPTIONS`), as GitHub's
/// API gives it to any origin. Not logged: it is no API call.
pub(crate) fn preflight() -> Answer {
    let mut headers: Vec<(String, String)> = CORS
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    headers.push((
        "access-control-allow-headers".into(),
        "Authorization, Content-Type, If-Match, If-Modified-Since, If-None-Match, If-Unmodified-Since, Accept-Encoding, X-GitHub-OTP, X-Requested-With, User-Agent, X-GitHub-Api-Version, Accept".into(),
    ));
    headers.push((
        "access-control-allow-methods".into(),
        "GET, POST, PATCH, PUT, DELETE".into(),
    ));
    headers.push(("access-control-max-age".into(), "86400".into()));
    Answer {
        status: 204,
        headers,
        body: String::new(),
    }
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn match_route(method: &str, path: &str) -> Option<(&'static str, Params)> {
    let segs: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    for (m, t, rest) in TEMPLATES {
        if *m != method {
            continue;
        }
        let tsegs: Vec<&str> = t.split('/').collect();
        if segs.len() < tsegs.len() || (!rest && segs.len() != tsegs.len()) {
            continue;
        }
        let mut params = Vec::new();
        let mut ok = true;
        for (i, ts) in tsegs.iter().enumerate() {
            if ts.starts_with('{') {
                if *rest && i == tsegs.len() - 1 {
                    params.push(
                        segs[i..]
                            .iter()
                            .map(|s| decode(s))
                            .collect::<Vec<_>>()
                            .join("/"),
                    );
                } else {
                    params.push(decode(segs[i]));
                }
            } else if *ts != segs[i] {
                ok = false;
                break;
            }
        }
        if ok {
            return Some((t, params));
        }
    }
    None
}

fn query(q: &str) -> BTreeMap<String, String> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

struct Reply {
    status: u16,
    body: Option<Value>,
    headers: Vec<(String, String)>,
}

fn ok(status: u16, body: Value) -> Reply {
    Reply {
        status,
        body: Some(body),
        headers: Vec::new(),
    }
}

fn error(status: u16, message: &str) -> Reply {
    ok(
        status,
        json!({"message": message, "documentation_url": "https://docs.github.com/rest"}),
    )
}

fn validation(message: &str, resource: &str, field: &str) -> Reply {
    ok(
        422,
        json!({"message": "Validation Failed", "documentation_url": "https://docs.github.com/rest",
               "errors": [{"resource": resource, "field": field, "code": "custom", "message": message}]}),
    )
}

/// GitHub's 422 for a body over 65,536 characters, on the routes that
/// take one.
fn body_too_long(template: &str, b: &Value) -> Option<Reply> {
    let resource = match template {
        "/repos/{owner}/{repo}/issues" | "/repos/{owner}/{repo}/issues/{issue_number}" => "Issue",
        "/repos/{owner}/{repo}/pulls" | "/repos/{owner}/{repo}/pulls/{pull_number}" => {
            "PullRequest"
        }
        "/repos/{owner}/{repo}/issues/{issue_number}/comments"
        | "/repos/{owner}/{repo}/issues/comments/{comment_id}" => "IssueComment",
        _ => return None,
    };
    let chars = b["body"].as_str()?.chars().count();
    (chars > MAX_BODY_CHARS).then(|| {
        validation(
            &format!("body is too long (maximum is {MAX_BODY_CHARS} characters)"),
            resource,
            "body",
        )
    })
}

/// GitHub's 422 for assignees who cannot be assigned in the repository.
fn unassignable(st: &State, assignees: &[String]) -> Option<Reply> {
    let bad: Vec<&String> = assignees.iter().filter(|a| !st.assignable(a)).collect();
    (!bad.is_empty()).then(|| {
        ok(
            422,
            json!({"message": "Validation Failed", "documentation_url": "https://docs.github.com/rest/issues/issues#create-an-issue",
                   "errors": bad.iter().map(|a| json!({"value": a, "resource": "Issue", "field": "assignees", "code": "invalid"})).collect::<Vec<_>>()}),
        )
    })
}

pub(crate) fn handle(
    st: &mut State,
    method: &str,
    url: &str,
    body: &str,
    token: Option<&str>,
) -> Answer {
    let (full_path, q) = url.split_once('?').unwrap_or((url, ""));
    let prefix = st.api_prefix.clone();
    let path = full_path
        .strip_prefix(prefix.as_str())
        .unwrap_or("/not-under-the-api-prefix");
    let q = query(q);
    let request: Option<Value> = if body.trim().is_empty() {
        None
    } else {
        serde_json::from_str(body).ok()
    };
    let route = match_route(method, path);
    let template = route
        .as_ref()
        .map(|(t, _)| (*t).to_owned())
        .unwrap_or_default();
    let mut fault = false;

    let reply = if let Some(n) = st.faults.die_after_writes.filter(|n| st.writes >= *n) {
        fault = true;
        error(500, &format!("the fake died after {n} writes"))
    } else if let Some(pos) = st
        .faults
        .queued
        .iter()
        .position(|(m, t, _)| (m == "*" || m == method) && (t == "*" || *t == template))
    {
        fault = true;
        let (_, _, f) = st.faults.queued.remove(pos).unwrap_or_default_fault();
        match f {
            Fault::ServerError(s) => error(s, "Server Error"),
            Fault::SecondaryRateLimit(s) => {
                let mut r = error(
                    s,
                    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                );
                r.headers
                    .push(("retry-after".into(), st.faults.retry_after_secs.to_string()));
                r
            }
        }
    } else {
        match route {
            None => error(404, "Not Found"),
            Some((t, p)) => {
                if p.first().map(String::as_str) != Some(st.owner.as_str())
                    || p.get(1).map(String::as_str) != Some(st.name.as_str())
                {
                    error(404, "Not Found")
                } else {
                    let user = st.user_of(token);
                    let r = dispatch(st, method, t, &p[2..], &q, request.as_ref(), path, &user);
                    if method != "GET" && (200..300).contains(&r.status) {
                        st.writes += 1;
                        if let Some(i) = st.faults.lost_answer.iter().position(|x| x == t) {
                            st.faults.lost_answer.remove(i);
                            fault = true;
                            error(502, "Bad Gateway")
                        } else {
                            r
                        }
                    } else {
                        r
                    }
                }
            }
        }
    };

    let used = st.log.len() + 1;
    let mut headers = vec![
        (
            "content-type".to_owned(),
            "application/json; charset=utf-8".to_owned(),
        ),
        ("x-ratelimit-limit".to_owned(), "5000".to_owned()),
        (
            "x-ratelimit-remaining".to_owned(),
            5000usize.saturating_sub(used).max(1).to_string(),
        ),
        ("x-ratelimit-reset".to_owned(), "4102444800".to_owned()),
        ("x-ratelimit-used".to_owned(), used.to_string()),
        ("x-ratelimit-resource".to_owned(), "core".to_owned()),
        (
            "x-github-api-version-selected".to_owned(),
            "2022-11-28".to_owned(),
        ),
    ];
    headers.extend(CORS.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    headers.extend(reply.headers.iter().cloned());
    st.log.push(Exchange {
        method: method.to_owned(),
        url: url.to_owned(),
        route: template,
        status: reply.status,
        request,
        response: reply.body.clone(),
        fault,
    });
    Answer {
        status: reply.status,
        headers,
        body: reply.body.map(|b| b.to_string()).unwrap_or_default(),
    }
}

trait OrFault {
    fn unwrap_or_default_fault(self) -> (String, String, Fault);
}

impl OrFault for Option<(String, String, Fault)> {
    fn unwrap_or_default_fault(self) -> (String, String, Fault) {
        self.unwrap_or_else(|| ("*".into(), "*".into(), Fault::ServerError(500)))
    }
}

// ---------------------------------------------------------------- shapes

fn user(st: &State, login: &str) -> Value {
    let b = &st.base;
    let kind = if login.ends_with("[bot]") {
        "Bot"
    } else {
        "User"
    };
    let name = login;
    let login = &enc(login);
    json!({
        "login": name, "id": name.len() as u64 * 7919, "node_id": format!("U_{name}"),
        "avatar_url": format!("{b}/avatars/{login}"), "gravatar_id": "",
        "url": format!("{b}/users/{login}"), "html_url": format!("{b}/{login}"),
        "followers_url": format!("{b}/users/{login}/followers"),
        "following_url": format!("{b}/users/{login}/following{{/other_user}}"),
        "gists_url": format!("{b}/users/{login}/gists{{/gist_id}}"),
        "starred_url": format!("{b}/users/{login}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{b}/users/{login}/subscriptions"),
        "organizations_url": format!("{b}/users/{login}/orgs"),
        "repos_url": format!("{b}/users/{login}/repos"),
        "events_url": format!("{b}/users/{login}/events{{/privacy}}"),
        "received_events_url": format!("{b}/users/{login}/received_events"),
        "type": kind, "site_admin": false, "user_view_type": "public"
    })
}

fn label(st: &State, name: &str) -> Value {
    let id = st
        .labels
        .iter()
        .position(|l| l.eq_ignore_ascii_case(name))
        .unwrap_or(0) as u64
        + 1;
    json!({"id": id, "node_id": format!("LA_{id}"),
           "url": format!("{}/repos/{}/labels/{}", st.base, st.full_name(), name),
           "name": name, "description": "", "color": "ededed", "default": false})
}

fn team(st: &State, slug: &str) -> Value {
    let b = &st.base;
    json!({"id": slug.len() as u64, "node_id": format!("T_{slug}"), "url": format!("{b}/teams/{slug}"),
           "html_url": format!("{b}/orgs/{}/teams/{slug}", st.owner), "name": slug, "slug": slug,
           "description": null, "privacy": "closed", "notification_setting": "notifications_enabled",
           "permission": "pull", "members_url": format!("{b}/teams/{slug}/members{{/member}}"),
           "repositories_url": format!("{b}/teams/{slug}/repos"), "parent": null, "type": "organization"})
}

fn html(st: &State, rest: &str) -> String {
    format!("{}/{}{rest}", st.base, st.full_name())
}

fn api(st: &State, rest: &str) -> String {
    format!(
        "{}{}/repos/{}{rest}",
        st.base,
        st.api_prefix,
        st.full_name()
    )
}

fn issue_json(st: &State, i: &Issue) -> Value {
    let comments = st.comments.iter().filter(|c| c.issue == i.number).count();
    let n = i.number;
    let mut v = merge(
        &skeleton("GET /repos/{owner}/{repo}/issues/{issue_number} 200"),
        json!({
            "id": 100_000 + n, "node_id": format!("I_{n}"), "number": n,
            "url": api(st, &format!("/issues/{n}")),
            "repository_url": api(st, ""),
            "labels_url": api(st, &format!("/issues/{n}/labels{{/name}}")),
            "comments_url": api(st, &format!("/issues/{n}/comments")),
            "events_url": api(st, &format!("/issues/{n}/events")),
            "html_url": html(st, &format!("/{}/{n}", if i.pull.is_some() { "pull" } else { "issues" })),
            "title": i.title, "body": i.body, "state": i.state, "state_reason": i.state_reason,
            "labels": i.labels.iter().map(|l| label(st, l)).collect::<Vec<_>>(),
            "assignees": i.assignees.iter().map(|a| user(st, a)).collect::<Vec<_>>(),
            "assignee": i.assignees.first().map(|a| user(st, a)),
            "user": user(st, &i.user), "comments": comments,
            "created_at": i.created_at, "updated_at": i.updated_at, "closed_at": i.closed_at,
            "author_association": "MEMBER", "locked": false,
        }),
    );
    if i.pull.is_some() {
        v["pull_request"] = json!({"url": api(st, &format!("/pulls/{n}")), "html_url": html(st, &format!("/pull/{n}")),
                                   "diff_url": html(st, &format!("/pull/{n}.diff")), "patch_url": html(st, &format!("/pull/{n}.patch"))});
    }
    v
}

fn pr_json(st: &State, i: &Issue, key: &str) -> Value {
    let p = i.pull.as_ref().cloned().unwrap_or_else(|| Pull {
        head: String::new(),
        base: String::new(),
        reviewers: vec![],
        teams: vec![],
        reviewed_by: vec![],
        merged: false,
        merged_at: None,
        merge_commit_sha: None,
        unresolved: 0,
    });
    let n = i.number;
    let sk = skeleton(key);
    let side = |branch: &str, which: &str| {
        let sha = st
            .refs
            .get(&format!("heads/{branch}"))
            .cloned()
            .unwrap_or_default();
        merge(
            &sk[which],
            json!({"label": format!("{}:{branch}", st.owner), "ref": branch, "sha": sha, "user": user(st, &st.owner)}),
        )
    };
    merge(
        &sk,
        json!({
            "id": 200_000 + n, "node_id": format!("PR_{n}"), "number": n,
            "url": api(st, &format!("/pulls/{n}")), "html_url": html(st, &format!("/pull/{n}")),
            "diff_url": html(st, &format!("/pull/{n}.diff")), "patch_url": html(st, &format!("/pull/{n}.patch")),
            "issue_url": api(st, &format!("/issues/{n}")), "commits_url": api(st, &format!("/pulls/{n}/commits")),
            "review_comments_url": api(st, &format!("/pulls/{n}/comments")),
            "review_comment_url": api(st, "/pulls/comments{/number}"),
            "comments_url": api(st, &format!("/issues/{n}/comments")),
            "statuses_url": api(st, "/statuses/0"),
            "title": i.title, "body": i.body, "state": i.state, "locked": false,
            "user": user(st, &i.user),
            "labels": i.labels.iter().map(|l| label(st, l)).collect::<Vec<_>>(),
            "requested_reviewers": p.reviewers.iter().map(|r| user(st, r)).collect::<Vec<_>>(),
            "requested_teams": p.teams.iter().map(|t| team(st, t)).collect::<Vec<_>>(),
            "assignees": [], "assignee": null, "milestone": null,
            "head": side(&p.head, "head"), "base": side(&p.base, "base"),
            "created_at": i.created_at, "updated_at": i.updated_at, "closed_at": i.closed_at,
            "merged_at": p.merged_at, "merge_commit_sha": p.merge_commit_sha, "draft": false, "merged": p.merged,
            "author_association": "MEMBER", "auto_merge": null, "active_lock_reason": null,
        }),
    )
}

fn git_commit_json(st: &State, sha: &str, key: &str) -> Value {
    let c = st.commits.get(sha).cloned();
    let (tree, parents, message, date) = c
        .map(|c| (c.tree, c.parents, c.message, c.date))
        .unwrap_or_default();
    let who = json!({"name": "github-actions[bot]", "email": "41898282+github-actions[bot]@users.noreply.github.com", "date": date});
    merge(
        &skeleton(key),
        json!({
            "sha": sha, "node_id": format!("C_{sha}"), "url": api(st, &format!("/git/commits/{sha}")),
            "html_url": html(st, &format!("/commit/{sha}")),
            "author": who, "committer": who, "message": message,
            "tree": {"sha": tree, "url": api(st, &format!("/git/trees/{tree}"))},
            "parents": parents.iter().map(|p| json!({"sha": p, "url": api(st, &format!("/git/commits/{p}")), "html_url": html(st, &format!("/commit/{p}"))})).collect::<Vec<_>>(),
            "verification": {"verified": false, "reason": "unsigned", "signature": null, "payload": null, "verified_at": null},
        }),
    )
}

fn commit_json(st: &State, sha: &str) -> Value {
    let g = git_commit_json(
        st,
        sha,
        "GET /repos/{owner}/{repo}/git/commits/{commit_sha} 200",
    );
    merge(
        &skeleton("GET /repos/{owner}/{repo}/commits/{ref} 200"),
        json!({
            "sha": sha, "node_id": format!("C_{sha}"), "url": api(st, &format!("/commits/{sha}")),
            "html_url": html(st, &format!("/commit/{sha}")), "comments_url": api(st, &format!("/commits/{sha}/comments")),
            "commit": {"url": g["url"], "author": g["author"], "committer": g["committer"], "message": g["message"],
                       "comment_count": 0, "tree": g["tree"]},
            "author": null, "committer": null, "parents": g["parents"],
        }),
    )
}

fn ref_json(st: &State, name: &str) -> Value {
    let sha = st.refs.get(name).cloned().unwrap_or_default();
    json!({"ref": format!("refs/{name}"), "node_id": format!("REF_{name}"), "url": api(st, &format!("/git/refs/{name}")),
           "object": {"type": "commit", "sha": sha, "url": api(st, &format!("/git/commits/{sha}"))}})
}

fn comment_json(st: &State, c: &crate::Comment) -> Value {
    merge(
        &skeleton("GET /repos/{owner}/{repo}/issues/{issue_number}/comments 200"),
        json!({"id": c.id, "node_id": format!("IC_{}", c.id), "url": api(st, &format!("/issues/comments/{}", c.id)),
               "html_url": html(st, &format!("/issues/{}#issuecomment-{}", c.issue, c.id)),
               "issue_url": api(st, &format!("/issues/{}", c.issue)),
               "body": c.body, "user": user(st, &c.user), "created_at": c.created_at, "updated_at": c.created_at,
               "author_association": "MEMBER"}),
    )
}

/// A branch name or commit sha to a commit sha.
fn resolve(st: &State, r: &str) -> Option<String> {
    let r = r.strip_prefix("refs/").unwrap_or(r);
    let r = r.strip_prefix("heads/").unwrap_or(r);
    st.refs
        .get(&format!("heads/{r}"))
        .cloned()
        .or_else(|| st.commits.contains_key(r).then(|| r.to_owned()))
}

fn page(st: &State, path: &str, q: &BTreeMap<String, String>, items: Vec<Value>) -> Reply {
    let per = q
        .get("per_page")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(30)
        .clamp(1, 100);
    let pageno = q
        .get("page")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let last = items.len().div_ceil(per).max(1);
    let chunk: Vec<Value> = items
        .into_iter()
        .skip((pageno - 1) * per)
        .take(per)
        .collect();
    let mut r = ok(200, Value::Array(chunk));
    let link_to = |n: usize| {
        let mut qq = q.clone();
        qq.insert("page".into(), n.to_string());
        let qs: Vec<String> = qq
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect();
        format!("{}{}{path}?{}", st.base, st.api_prefix, qs.join("&"))
    };
    let mut links = Vec::new();
    if pageno < last {
        links.push(format!("<{}>; rel=\"next\"", link_to(pageno + 1)));
        links.push(format!("<{}>; rel=\"last\"", link_to(last)));
    }
    if pageno > 1 {
        links.push(format!("<{}>; rel=\"prev\"", link_to(pageno - 1)));
        links.push(format!("<{}>; rel=\"first\"", link_to(1)));
    }
    if !links.is_empty() {
        r.headers.push(("link".into(), links.join(", ")));
    }
    r
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn strs(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for (i, c) in bytes.chunks(3).enumerate() {
        if i > 0 && i % 19 == 0 {
            out.push('\n');
        }
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= c.len() {
                out.push(A[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[allow(clippy::too_many_lines, clippy::too_many_arguments)]
fn dispatch(
    st: &mut State,
    method: &str,
    t: &str,
    p: &[String],
    q: &BTreeMap<String, String>,
    body: Option<&Value>,
    path: &str,
    actor: &str,
) -> Reply {
    let empty = json!({});
    let b = body.unwrap_or(&empty);
    if let Some(refused) = body_too_long(t, b) {
        return refused;
    }
    let num = |i: usize| p.get(i).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
    let now = st.now.clone();
    match (method, t) {
        ("GET", "/repos/{owner}/{repo}") => {
            let owner = user(st, &st.owner);
            ok(
                200,
                merge(
                    &skeleton("GET /repos/{owner}/{repo} 200"),
                    json!({"id": 1, "node_id": "R_1", "name": st.name, "full_name": st.full_name(), "owner": owner,
                           "private": false, "html_url": html(st, ""), "url": api(st, ""), "default_branch": st.default_branch,
                           "visibility": "public"}),
                ),
            )
        }
        ("GET", "/repos/{owner}/{repo}/commits/{ref}") => match resolve(st, &p[0]) {
            Some(sha) => ok(200, commit_json(st, &sha)),
            None => validation("No commit found for SHA", "Commit", "sha").with_status(422),
        },
        ("GET", "/repos/{owner}/{repo}/git/ref/{ref}") => {
            if st.refs.contains_key(&p[0]) {
                ok(200, ref_json(st, &p[0]))
            } else {
                error(404, "Not Found")
            }
        }
        ("POST", "/repos/{owner}/{repo}/git/refs") => {
            let name = b["ref"].as_str().unwrap_or_default();
            let sha = b["sha"].as_str().unwrap_or_default().to_owned();
            let Some(short) = name
                .strip_prefix("refs/")
                .filter(|n| n.starts_with("heads/"))
            else {
                return validation("ref must start with refs/heads/", "Reference", "ref");
            };
            if st.refs.contains_key(short) {
                return validation("Reference already exists", "Reference", "ref");
            }
            if !st.commits.contains_key(&sha) {
                return validation("Object does not exist", "Reference", "sha");
            }
            st.refs.insert(short.to_owned(), sha);
            ok(201, ref_json(st, short))
        }
        ("PATCH", "/repos/{owner}/{repo}/git/refs/{ref}") => {
            let sha = b["sha"].as_str().unwrap_or_default().to_owned();
            let Some(cur) = st.refs.get(&p[0]).cloned() else {
                return validation("Reference does not exist", "Reference", "ref");
            };
            if !st.commits.contains_key(&sha) {
                return validation("Object does not exist", "Reference", "sha");
            }
            if !b["force"].as_bool().unwrap_or(false) && !is_ancestor(st, &cur, &sha) {
                return validation("Update is not a fast forward", "Reference", "sha");
            }
            st.refs.insert(p[0].clone(), sha);
            ok(200, ref_json(st, &p[0]))
        }
        ("GET", "/repos/{owner}/{repo}/git/commits/{commit_sha}") => {
            if st.commits.contains_key(&p[0]) {
                ok(
                    200,
                    git_commit_json(
                        st,
                        &p[0],
                        "GET /repos/{owner}/{repo}/git/commits/{commit_sha} 200",
                    ),
                )
            } else {
                error(404, "Not Found")
            }
        }
        ("POST", "/repos/{owner}/{repo}/git/blobs") => {
            let content = b["content"].as_str().unwrap_or_default().to_owned();
            let s = crate::sha("blob", &content);
            st.blobs.insert(s.clone(), content);
            ok(
                201,
                json!({"url": api(st, &format!("/git/blobs/{s}")), "sha": s}),
            )
        }
        ("POST", "/repos/{owner}/{repo}/git/trees") => {
            let mut tree = match b["base_tree"].as_str() {
                Some(bt) => match st.trees.get(bt) {
                    Some(t) => t.clone(),
                    None => {
                        return validation("base_tree is not a valid tree", "Tree", "base_tree");
                    }
                },
                None => BTreeMap::new(),
            };
            for e in b["tree"].as_array().into_iter().flatten() {
                let path = e["path"].as_str().unwrap_or_default().to_owned();
                if path.is_empty()
                    || path.starts_with('/')
                    || path
                        .split('/')
                        .any(|s| s == ".." || s == "." || s.is_empty())
                {
                    return validation(
                        "tree.path contains a malformed path component",
                        "Tree",
                        "path",
                    );
                }
                if let Some(c) = e["content"].as_str() {
                    let s = crate::sha("blob", c);
                    st.blobs.insert(s.clone(), c.to_owned());
                    tree.insert(path, s);
                } else if let Some(s) = e["sha"].as_str() {
                    tree.insert(path, s.to_owned());
                } else {
                    tree.remove(&path);
                }
            }
            let entries: Vec<Value> = tree
                .iter()
                .map(|(p, s)| json!({"path": p, "mode": "100644", "type": "blob", "sha": s, "size": st.blobs.get(s).map_or(0, String::len), "url": api(st, &format!("/git/blobs/{s}"))}))
                .collect();
            let sha = st.store_tree(tree);
            ok(
                201,
                json!({"sha": sha, "url": api(st, &format!("/git/trees/{sha}")), "truncated": false, "tree": entries}),
            )
        }
        ("GET", "/repos/{owner}/{repo}/git/trees/{tree_sha}") => {
            // A tree's sha, or (as git and GitHub peel them) a commit's sha
            // or a branch name: the commit's tree.
            let tree_sha = if st.trees.contains_key(&p[0]) {
                p[0].clone()
            } else {
                let commit = st
                    .refs
                    .get(&format!("heads/{}", p[0]))
                    .cloned()
                    .unwrap_or_else(|| p[0].clone());
                match st.commits.get(&commit) {
                    Some(c) => c.tree.clone(),
                    None => return error(404, "Not Found"),
                }
            };
            let Some(tree) = st.trees.get(&tree_sha).cloned() else {
                return error(404, "Not Found");
            };
            // Flat in the fake: with `recursive` every blob is listed by its
            // full path, as GitHub does; without it, only the top level.
            let recursive = q.contains_key("recursive");
            let entries: Vec<Value> = tree
                .iter()
                .filter(|(path_, _)| recursive || !path_.contains('/'))
                .map(|(path_, s)| {
                    json!({"path": path_, "mode": "100644", "type": "blob", "sha": s,
                                         "size": st.blobs.get(s).map_or(0, String::len),
                                         "url": api(st, &format!("/git/blobs/{s}"))})
                })
                .collect();
            ok(
                200,
                json!({"sha": tree_sha, "url": api(st, &format!("/git/trees/{tree_sha}")), "truncated": false, "tree": entries}),
            )
        }
        ("POST", "/repos/{owner}/{repo}/git/commits") => {
            let tree = b["tree"].as_str().unwrap_or_default().to_owned();
            if !st.trees.contains_key(&tree) {
                return validation("Tree SHA does not exist", "Commit", "tree");
            }
            let parents = strs(b.get("parents"));
            if parents.iter().any(|p| !st.commits.contains_key(p)) {
                return validation(
                    "Parent SHA does not exist or is not a commit object",
                    "Commit",
                    "parents",
                );
            }
            let message = b["message"].as_str().unwrap_or_default().to_owned();
            let sha = st.store_commit(tree, parents, message);
            ok(
                201,
                git_commit_json(st, &sha, "POST /repos/{owner}/{repo}/git/commits 201"),
            )
        }
        ("GET", "/repos/{owner}/{repo}/compare/{basehead}") => {
            let Some((base, head)) = p[0].split_once("...") else {
                return error(404, "Not Found");
            };
            let (Some(bs), Some(hs)) = (resolve(st, base), resolve(st, head)) else {
                return error(404, "Not Found");
            };
            // Three dots: what `head` has since the merge base, as git
            // and GitHub count it.
            let Some(mb) = merge_base(st, &bs, &hs) else {
                return error(404, "Not Found");
            };
            let (of_base, of_head) = (ancestors(st, &bs), ancestors(st, &hs));
            let ahead: Vec<&String> = of_head.iter().filter(|c| !of_base.contains(*c)).collect();
            let behind = of_base.iter().filter(|c| !of_head.contains(*c)).count();
            // Oldest first, along the first-parent line where it applies.
            let mut chain = Vec::new();
            let mut cur = Some(hs.clone());
            while let Some(c) = cur {
                if of_base.contains(&c) {
                    break;
                }
                chain.push(c.clone());
                cur = st.commits.get(&c).and_then(|x| x.parents.first().cloned());
            }
            for c in &ahead {
                if !chain.contains(c) {
                    chain.push((*c).clone());
                }
            }
            chain.reverse();
            let status = match (ahead.len(), behind) {
                (0, 0) => "identical",
                (_, 0) => "ahead",
                (0, _) => "behind",
                _ => "diverged",
            };
            let (before, after) = (st.files_at(&mb), st.files_at(&hs));
            let mut files = Vec::new();
            let paths: std::collections::BTreeSet<&String> =
                before.keys().chain(after.keys()).collect();
            for path_ in paths {
                let change = match (before.get(path_), after.get(path_)) {
                    (None, Some(_)) => "added",
                    (Some(_), None) => "removed",
                    (Some(a), Some(c)) if a != c => "modified",
                    _ => continue,
                };
                let s_ = crate::sha("blob", after.get(path_).map_or("", String::as_str));
                files.push(json!({"sha": s_, "filename": path_, "status": change, "additions": 1, "deletions": 0, "changes": 1,
                                  "blob_url": html(st, &format!("/blob/{s_}/{path_}")), "raw_url": html(st, &format!("/raw/{s_}/{path_}")),
                                  "contents_url": api(st, &format!("/contents/{path_}"))}));
            }
            let commits: Vec<Value> = chain.iter().map(|c| commit_json(st, c)).collect();
            ok(
                200,
                merge(
                    &skeleton("GET /repos/{owner}/{repo}/compare/{basehead} 200"),
                    json!({"url": api(st, &format!("/compare/{}", p[0])), "html_url": html(st, &format!("/compare/{}", p[0])),
                           "permalink_url": html(st, "/compare/x"), "diff_url": html(st, "/compare/x.diff"), "patch_url": html(st, "/compare/x.patch"),
                           "base_commit": commit_json(st, &bs), "merge_base_commit": commit_json(st, &mb),
                           "status": status, "ahead_by": ahead.len(), "behind_by": behind,
                           "total_commits": ahead.len(), "commits": commits, "files": files}),
                ),
            )
        }
        ("GET", "/repos/{owner}/{repo}/contents/{path}") => {
            let at = q
                .get("ref")
                .cloned()
                .unwrap_or_else(|| st.default_branch.clone());
            let Some(sha) = resolve(st, &at) else {
                return error(404, "No commit found for the ref");
            };
            let files = st.files_at(&sha);
            let Some(content) = files.get(&p[0]) else {
                return error(404, "Not Found");
            };
            let blob = crate::sha("blob", content);
            let name = p[0].rsplit('/').next().unwrap_or_default();
            ok(
                200,
                json!({"type": "file", "encoding": "base64", "size": content.len(), "name": name, "path": p[0],
                       "content": base64(content.as_bytes()), "sha": blob,
                       "url": api(st, &format!("/contents/{}", p[0])), "git_url": api(st, &format!("/git/blobs/{blob}")),
                       "html_url": html(st, &format!("/blob/{at}/{}", p[0])), "download_url": format!("{}/raw/{}", st.base, p[0]),
                       "_links": {"git": api(st, &format!("/git/blobs/{blob}")), "html": html(st, &format!("/blob/{at}/{}", p[0])), "self": api(st, &format!("/contents/{}", p[0]))}}),
            )
        }
        ("GET", "/repos/{owner}/{repo}/pulls") => {
            let state = q.get("state").map_or("open", String::as_str);
            let head = q.get("head").cloned();
            let mut list: Vec<&Issue> = st
                .pulls()
                .into_iter()
                .filter(|i| state == "all" || i.state == state)
                .filter(|i| {
                    head.as_ref().is_none_or(|h| {
                        let pl = i.pull.as_ref().map(|x| x.head.as_str()).unwrap_or_default();
                        *h == format!("{}:{pl}", st.owner)
                    })
                })
                .collect();
            list.sort_by_key(|i| std::cmp::Reverse(i.number));
            let items = list
                .iter()
                .map(|i| pr_json(st, i, "GET /repos/{owner}/{repo}/pulls 200"))
                .collect();
            page(st, path, q, items)
        }
        ("POST", "/repos/{owner}/{repo}/pulls") => {
            let head = b["head"].as_str().unwrap_or_default().to_owned();
            let base = b["base"].as_str().unwrap_or_default().to_owned();
            let head = head
                .split_once(':')
                .map_or(head.clone(), |(_, h)| h.to_owned());
            if !st.refs.contains_key(&format!("heads/{head}")) {
                return validation("head is invalid", "PullRequest", "head");
            }
            if st.pulls().iter().any(|i| {
                i.state == "open"
                    && i.pull
                        .as_ref()
                        .is_some_and(|x| x.head == head && x.base == base)
            }) {
                return validation(
                    &format!("A pull request already exists for {}:{head}.", st.owner),
                    "PullRequest",
                    "head",
                );
            }
            let number = st.issues.len() as u64 + 1;
            let unresolved = st.faults.unresolved_node_after_pr;
            let bot = actor.to_owned();
            st.issues.push(Issue {
                number,
                title: b["title"].as_str().unwrap_or_default().to_owned(),
                body: b["body"].as_str().map(str::to_owned),
                state: "open".into(),
                state_reason: None,
                labels: vec![],
                assignees: vec![],
                user: bot,
                created_at: now.clone(),
                updated_at: now,
                closed_at: None,
                pull: Some(Pull {
                    head,
                    base,
                    reviewers: vec![],
                    teams: vec![],
                    reviewed_by: vec![],
                    merged: false,
                    merged_at: None,
                    merge_commit_sha: None,
                    unresolved,
                }),
            });
            let i = st.issue(number).cloned().unwrap_or_else(unreachable_issue);
            ok(201, pr_json(st, &i, "POST /repos/{owner}/{repo}/pulls 201"))
        }
        ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}") => {
            match st.issue(num(0)).filter(|i| i.pull.is_some()) {
                Some(i) => {
                    let i = i.clone();
                    ok(
                        200,
                        pr_json(st, &i, "GET /repos/{owner}/{repo}/pulls/{pull_number} 200"),
                    )
                }
                None => error(404, "Not Found"),
            }
        }
        ("PATCH", "/repos/{owner}/{repo}/pulls/{pull_number}") => {
            let Some(i) = st.issue_mut(num(0)).filter(|i| i.pull.is_some()) else {
                return error(404, "Not Found");
            };
            if let Some(t) = b["title"].as_str() {
                i.title = t.to_owned();
            }
            if let Some(x) = b.get("body") {
                i.body = x.as_str().map(str::to_owned);
            }
            if let Some(s) = b["state"].as_str() {
                i.state = s.to_owned();
            }
            i.updated_at = now;
            let i = i.clone();
            ok(
                200,
                pr_json(
                    st,
                    &i,
                    "PATCH /repos/{owner}/{repo}/pulls/{pull_number} 200",
                ),
            )
        }
        ("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers") => {
            let (users, teams) = (strs(b.get("reviewers")), strs(b.get("team_reviewers")));
            let author = st.issue(num(0)).map(|i| i.user.clone()).unwrap_or_default();
            if users.iter().any(|u| u.eq_ignore_ascii_case(&author)) {
                return error(422, "Review cannot be requested from pull request author.");
            }
            let no_access = users.iter().any(|u| !st.assignable(u))
                || teams
                    .iter()
                    .any(|t| !st.teams.iter().any(|x| x.eq_ignore_ascii_case(t)));
            if no_access {
                let repo = st.full_name();
                return error(
                    422,
                    &format!(
                        "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the {repo} repository."
                    ),
                );
            }
            let Some(i) = st.issue_mut(num(0)).filter(|i| i.pull.is_some()) else {
                return error(404, "Not Found");
            };
            let pull = i.pull.as_mut().expect("a pull");
            if pull.unresolved > 0 {
                pull.unresolved -= 1;
                return unresolved(num(0));
            }
            for r in users {
                if !pull.reviewers.contains(&r) {
                    pull.reviewers.push(r);
                }
            }
            for r in teams {
                if !pull.teams.contains(&r) {
                    pull.teams.push(r);
                }
            }
            let i = i.clone();
            ok(
                201,
                pr_json(
                    st,
                    &i,
                    "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers 201",
                ),
            )
        }
        ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews") => {
            let Some(i) = st.issue(num(0)).filter(|i| i.pull.is_some()).cloned() else {
                return error(404, "Not Found");
            };
            let items = i
                .pull
                .iter()
                .flat_map(|p| p.reviewed_by.iter())
                .enumerate()
                .map(|(k, r)| {
                    merge(
                        &skeleton("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews 200"),
                        json!({"id": k + 1, "node_id": format!("PRR_{k}"), "user": user(st, r), "body": "", "state": "APPROVED",
                               "html_url": html(st, &format!("/pull/{}", i.number)), "pull_request_url": api(st, &format!("/pulls/{}", i.number)),
                               "_links": {"html": {"href": html(st, "/")}, "pull_request": {"href": api(st, "/")}},
                               "submitted_at": now, "commit_id": null, "author_association": "MEMBER"}),
                    )
                })
                .collect();
            page(st, path, q, items)
        }
        ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files") => {
            let Some(pull) = st.issue(num(0)).and_then(|i| i.pull.clone()) else {
                return error(404, "Not Found");
            };
            let head = resolve(st, &pull.head)
                .map(|s| st.files_at(&s))
                .unwrap_or_default();
            let base = resolve(st, &pull.base)
                .map(|s| st.files_at(&s))
                .unwrap_or_default();
            let mut items = Vec::new();
            let paths: std::collections::BTreeSet<&String> =
                head.keys().chain(base.keys()).collect();
            for path_ in paths {
                let status = match (base.get(path_), head.get(path_)) {
                    (None, Some(_)) => "added",
                    (Some(_), None) => "removed",
                    (Some(a), Some(c)) if a != c => "modified",
                    _ => continue,
                };
                let s = crate::sha("blob", head.get(path_).map_or("", String::as_str));
                items.push(merge(
                    &skeleton("GET /repos/{owner}/{repo}/pulls/{pull_number}/files 200"),
                    json!({"sha": s, "filename": path_, "status": status, "additions": 1, "deletions": 0, "changes": 1,
                           "blob_url": html(st, &format!("/blob/{s}/{path_}")), "raw_url": html(st, &format!("/raw/{s}/{path_}")),
                           "contents_url": api(st, &format!("/contents/{path_}"))}),
                ));
            }
            page(st, path, q, items)
        }
        ("GET", "/repos/{owner}/{repo}/issues") => {
            let state = q.get("state").map_or("open", String::as_str);
            let want: Vec<String> = q
                .get("labels")
                .map(|l| {
                    l.split(',')
                        .filter(|x| !x.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            let since = q.get("since").cloned();
            let creator = q.get("creator").cloned();
            let mut list: Vec<&Issue> = st
                .issues
                .iter()
                .filter(|i| state == "all" || i.state == state)
                .filter(|i| {
                    creator
                        .as_ref()
                        .is_none_or(|c| i.user.eq_ignore_ascii_case(c))
                })
                .filter(|i| {
                    want.iter()
                        .all(|w| i.labels.iter().any(|l| l.eq_ignore_ascii_case(w)))
                })
                .filter(|i| since.as_ref().is_none_or(|s| i.updated_at >= *s))
                .collect();
            list.sort_by_key(|i| std::cmp::Reverse(i.number));
            let items = list.iter().map(|i| issue_json(st, i)).collect();
            page(st, path, q, items)
        }
        ("POST", "/repos/{owner}/{repo}/issues") => {
            // "Only users with push access can set labels (assignees) for
            // new issues. Labels (assignees) are silently dropped otherwise."
            let may_push = st.may_push(actor);
            let labels = if may_push {
                strs(b.get("labels"))
            } else {
                Vec::new()
            };
            let assignees = if may_push {
                strs(b.get("assignees"))
            } else {
                Vec::new()
            };
            if let Some(refused) = unassignable(st, &assignees) {
                return refused;
            }
            ensure_labels(st, &labels);
            let number = st.add_issue(b["title"].as_str().unwrap_or_default(), "", &[], actor);
            if let Some(i) = st.issue_mut(number) {
                i.body = b["body"].as_str().map(str::to_owned);
                i.labels = labels;
                i.assignees = assignees;
            }
            let i = st.issue(number).cloned().unwrap_or_else(unreachable_issue);
            ok(201, issue_json(st, &i))
        }
        ("GET", "/repos/{owner}/{repo}/issues/{issue_number}") => match st.issue(num(0)) {
            Some(i) => {
                let i = i.clone();
                ok(200, issue_json(st, &i))
            }
            None => error(404, "Not Found"),
        },
        ("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}") => {
            let assignees = b.get("assignees").map(|a| strs(Some(a)));
            if let Some(refused) = assignees.as_ref().and_then(|a| unassignable(st, a)) {
                return refused;
            }
            let Some(i) = st.issue_mut(num(0)) else {
                return error(404, "Not Found");
            };
            if let Some(a) = assignees {
                i.assignees = a;
            }
            let labels = b.get("labels").map(|l| strs(Some(l)));
            if labels.is_some() {
                if let Some(pull) = i.pull.as_mut() {
                    if pull.unresolved > 0 {
                        pull.unresolved -= 1;
                        return unresolved(num(0));
                    }
                }
            }
            if let Some(l) = &labels {
                // `labels` replaces the issue's labels.
                i.labels.clone_from(l);
            }
            if let Some(t) = b["title"].as_str() {
                i.title = t.to_owned();
            }
            if let Some(x) = b.get("body") {
                i.body = x.as_str().map(str::to_owned);
            }
            match b["state"].as_str() {
                Some("closed") if i.state != "closed" => {
                    i.state = "closed".into();
                    i.closed_at = Some(now.clone());
                    i.state_reason =
                        Some(b["state_reason"].as_str().unwrap_or("completed").to_owned());
                }
                Some("open") if i.state != "open" => {
                    i.state = "open".into();
                    i.closed_at = None;
                    i.state_reason = Some("reopened".into());
                }
                _ => {}
            }
            i.updated_at = now;
            let i = i.clone();
            if let Some(l) = &labels {
                ensure_labels(st, l);
            }
            ok(200, issue_json(st, &i))
        }
        ("GET", "/repos/{owner}/{repo}/issues/comments") => {
            let since = q.get("since").cloned();
            let mut list: Vec<&crate::Comment> = st
                .comments
                .iter()
                .filter(|c| since.as_ref().is_none_or(|s| c.created_at >= *s))
                .collect();
            if q.get("direction").map(String::as_str) == Some("desc") {
                list.sort_by_key(|c| std::cmp::Reverse(c.id));
            } else {
                list.sort_by_key(|c| c.id);
            }
            let items = list.into_iter().map(|c| comment_json(st, c)).collect();
            page(st, path, q, items)
        }
        ("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments") => {
            if st.issue(num(0)).is_none() {
                return error(404, "Not Found");
            }
            let items = st
                .comments_on(num(0))
                .into_iter()
                .map(|c| comment_json(st, c))
                .collect();
            page(st, path, q, items)
        }
        ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments") => {
            if st.issue(num(0)).is_none() {
                return error(404, "Not Found");
            }
            let id = st.add_comment(num(0), b["body"].as_str().unwrap_or_default(), actor);
            if let Some(i) = st.issue_mut(num(0)) {
                i.updated_at = now;
            }
            let c = st.comments.iter().find(|c| c.id == id).cloned();
            ok(201, c.map(|c| comment_json(st, &c)).unwrap_or_default())
        }
        ("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}") => {
            let id = num(0);
            let Some(c) = st.comments.iter_mut().find(|c| c.id == id) else {
                return error(404, "Not Found");
            };
            c.body = b["body"].as_str().unwrap_or_default().to_owned();
            let c = c.clone();
            ok(200, comment_json(st, &c))
        }
        ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels") => {
            let labels = strs(b.get("labels"));
            let Some(i) = st.issue_mut(num(0)) else {
                return error(404, "Not Found");
            };
            if let Some(pull) = i.pull.as_mut() {
                if pull.unresolved > 0 {
                    pull.unresolved -= 1;
                    return unresolved(num(0));
                }
            }
            for l in &labels {
                if !i.labels.iter().any(|x| x.eq_ignore_ascii_case(l)) {
                    i.labels.push(l.clone());
                }
            }
            i.updated_at = now;
            let all = i.labels.clone();
            ensure_labels(st, &labels);
            ok(
                200,
                Value::Array(all.iter().map(|l| label(st, l)).collect()),
            )
        }
        ("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}") => {
            let name = p[1].clone();
            let Some(i) = st.issue_mut(num(0)) else {
                return error(404, "Not Found");
            };
            let before = i.labels.len();
            i.labels.retain(|l| !l.eq_ignore_ascii_case(&name));
            if i.labels.len() == before {
                return error(404, "Label does not exist");
            }
            i.updated_at = now;
            let all = i.labels.clone();
            ok(
                200,
                Value::Array(all.iter().map(|l| label(st, l)).collect()),
            )
        }
        ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/assignees") => {
            // GitHub leaves out, silently, whoever cannot be assigned.
            let wanted: Vec<String> = strs(b.get("assignees"))
                .into_iter()
                .filter(|a| st.assignable(a))
                .collect();
            let Some(i) = st.issue_mut(num(0)) else {
                return error(404, "Not Found");
            };
            for a in wanted {
                if !i.assignees.contains(&a) {
                    i.assignees.push(a);
                }
            }
            let i = i.clone();
            ok(201, issue_json(st, &i))
        }
        ("GET", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs") => {
            let branch = q.get("branch").cloned();
            let status = q.get("status").cloned();
            let created = q
                .get("created")
                .and_then(|c| c.strip_prefix(">=").map(str::to_owned));
            let runs: Vec<Value> = st
                .runs
                .iter()
                .filter(|r| r.workflow == p[0])
                .filter(|r| branch.is_none() || r.head_branch == branch)
                .filter(|r| {
                    status.as_ref().is_none_or(|s| r.conclusion.as_deref() == Some(s.as_str()) || r.status == *s)
                })
                .filter(|r| created.as_ref().is_none_or(|c| r.created_at.get(..10).unwrap_or("") >= c.as_str()))
                .map(|r| {
                    let sk = skeleton("GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs 200");
                    let head_repo = r.head_repository.clone().unwrap_or_else(|| st.full_name());
                    let repo_of = |full: &str, which: &str| {
                        merge(&sk[which], json!({"full_name": full, "name": full.split_once('/').map_or("", |x| x.1),
                                                  "owner": {"login": full.split_once('/').map_or("", |x| x.0)}}))
                    };
                    merge(
                        &sk,
                        json!({"id": r.id, "node_id": format!("WFR_{}", r.id), "name": null, "head_branch": r.head_branch,
                               "head_sha": r.head_sha, "path": format!(".github/workflows/{}", r.workflow),
                               "run_number": r.id, "event": r.event, "status": r.status, "conclusion": r.conclusion,
                               "workflow_id": 7, "url": api(st, &format!("/actions/runs/{}", r.id)),
                               "html_url": html(st, &format!("/actions/runs/{}", r.id)),
                               "head_repository": repo_of(&head_repo, "head_repository"),
                               "repository": repo_of(&st.full_name(), "repository"),
                               "created_at": r.created_at, "updated_at": r.updated_at}),
                    )
                })
                .collect();
            ok(
                200,
                json!({"total_count": runs.len(), "workflow_runs": runs}),
            )
        }
        ("GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs") => {
            let Some(sha) = resolve(st, &p[0]) else {
                return validation("No commit found for SHA", "Commit", "sha").with_status(422);
            };
            let name = q.get("check_name").cloned();
            let runs: Vec<Value> = st
                .checks
                .iter()
                .filter(|c| c.head_sha == sha && name.as_ref().is_none_or(|n| *n == c.name))
                .map(|c| {
                    merge(
                        &skeleton("GET /repos/{owner}/{repo}/commits/{ref}/check-runs 200"),
                        json!({"id": c.id, "head_sha": c.head_sha, "node_id": format!("CR_{}", c.id), "external_id": "",
                               "url": api(st, &format!("/check-runs/{}", c.id)), "html_url": html(st, &format!("/runs/{}", c.id)),
                               "details_url": html(st, &format!("/runs/{}", c.id)), "status": "completed",
                               "conclusion": c.conclusion, "started_at": c.completed_at, "completed_at": c.completed_at,
                               "name": c.name, "check_suite": {"id": 1}, "app": app_json(st, &c.app), "pull_requests": [],
                               "output": {"title": null, "summary": null, "text": null, "annotations_count": 0, "annotations_url": api(st, "/check-runs/0/annotations")}}),
                    )
                })
                .collect();
            ok(200, json!({"total_count": runs.len(), "check_runs": runs}))
        }
        ("GET", "/repos/{owner}/{repo}/commits/{ref}/statuses") => {
            let Some(sha) = resolve(st, &p[0]) else {
                return error(404, "Not Found");
            };
            let mut list: Vec<&crate::Status> =
                st.statuses.iter().filter(|s| s.sha == sha).collect();
            list.sort_by_key(|s| std::cmp::Reverse(s.id));
            let items = list
                .iter()
                .map(|s| {
                    merge(
                        &skeleton("GET /repos/{owner}/{repo}/commits/{ref}/statuses 200"),
                        json!({"url": api(st, &format!("/statuses/{}", s.sha)), "avatar_url": null, "id": s.id,
                               "node_id": format!("SC_{}", s.id), "state": s.state, "description": null,
                               "target_url": s.target_url, "context": s.context, "created_at": s.updated_at,
                               "updated_at": s.updated_at, "creator": user(st, &s.creator)}),
                    )
                })
                .collect();
            page(st, path, q, items)
        }
        ("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}/jobs") => {
            let Some(r) = st.runs.iter().find(|r| r.id == num(0)).cloned() else {
                return error(404, "Not Found");
            };
            let jobs: Vec<Value> = r
                .jobs
                .iter()
                .map(|j| {
                    merge(
                        &skeleton("GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs 200"),
                        json!({"id": j.id, "run_id": r.id, "run_url": api(st, &format!("/actions/runs/{}", r.id)),
                               "node_id": format!("J_{}", j.id), "head_sha": r.head_sha, "head_branch": r.head_branch,
                               "url": api(st, &format!("/actions/jobs/{}", j.id)),
                               "html_url": html(st, &format!("/actions/runs/{}/job/{}", r.id, j.id)),
                               "status": "completed", "conclusion": j.conclusion, "created_at": r.created_at,
                               "started_at": r.created_at, "completed_at": j.completed_at, "name": j.name,
                               "steps": [], "check_run_url": api(st, &format!("/check-runs/{}", j.id)),
                               "labels": ["ubuntu-24.04"], "runner_id": null, "runner_name": null,
                               "runner_group_id": null, "runner_group_name": null, "workflow_name": r.workflow}),
                    )
                })
                .collect();
            ok(200, json!({"total_count": jobs.len(), "jobs": jobs}))
        }
        ("GET", "/repos/{owner}/{repo}/assignees/{assignee}") => {
            if st.assignable(&p[0]) {
                no_content()
            } else {
                error(404, "Not Found")
            }
        }
        ("GET", "/repos/{owner}/{repo}/collaborators/{username}") => {
            if st.assignable(&p[0]) {
                no_content()
            } else {
                error(404, "Not Found")
            }
        }
        ("GET", "/repos/{owner}/{repo}/teams") => {
            if !st.teams_visible {
                return error(403, "Resource not accessible by integration");
            }
            let items = st.teams.clone().iter().map(|t| team(st, t)).collect();
            page(st, path, q, items)
        }
        ("POST", "/repos/{owner}/{repo}/dispatches") => {
            let event_type = b["event_type"].as_str().unwrap_or_default().to_owned();
            if event_type.is_empty() || event_type.chars().count() > MAX_EVENT_TYPE_CHARS {
                return validation(
                    &format!("event_type must be 1 to {MAX_EVENT_TYPE_CHARS} characters"),
                    "RepositoryDispatch",
                    "event_type",
                );
            }
            let payload = b
                .get("client_payload")
                .cloned()
                .unwrap_or_else(|| json!({}));
            let Some(props) = payload.as_object() else {
                return validation(
                    "client_payload must be an object",
                    "RepositoryDispatch",
                    "client_payload",
                );
            };
            if props.len() > MAX_PAYLOAD_PROPERTIES {
                return validation(
                    &format!(
                        "client_payload has {} top-level properties; the maximum is {MAX_PAYLOAD_PROPERTIES}",
                        props.len()
                    ),
                    "RepositoryDispatch",
                    "client_payload",
                );
            }
            let size = payload.to_string().len();
            if size >= MAX_PAYLOAD_BYTES {
                return validation(
                    &format!("client_payload is {size} bytes; it must be less than 64KB"),
                    "RepositoryDispatch",
                    "client_payload",
                );
            }
            st.dispatched(&event_type, payload, actor);
            no_content()
        }
        ("PUT", "/repos/{owner}/{repo}/pulls/{pull_number}/merge") => {
            let Some(i) = st.issue(num(0)).filter(|i| i.pull.is_some()).cloned() else {
                return error(404, "Not Found");
            };
            if i.state != "open" {
                return error(405, "Pull Request is not mergeable");
            }
            let head = i.pull.as_ref().and_then(|x| resolve(st, &x.head));
            if let Some(want) = b["sha"].as_str() {
                if head.as_deref() != Some(want) {
                    return error(
                        409,
                        "Head branch was modified. Review and try the merge again.",
                    );
                }
            }
            match st.merge(num(0), actor) {
                Ok(sha) => ok(
                    200,
                    json!({"sha": sha, "merged": true, "message": "Pull Request successfully merged"}),
                ),
                Err(e) => error(405, &e),
            }
        }
        _ => error(404, "Not Found"),
    }
}

/// A 204 with no body.
fn no_content() -> Reply {
    Reply {
        status: 204,
        body: None,
        headers: Vec::new(),
    }
}

/// A GitHub App as check runs name it.
fn app_json(st: &State, slug: &str) -> Value {
    let b = &st.base;
    json!({"id": slug.len() as u64 * 31, "slug": slug, "node_id": format!("A_{slug}"),
           "client_id": format!("Iv1.{slug}"), "owner": user(st, &st.owner), "name": slug,
           "description": null, "external_url": format!("{b}/apps/{slug}"),
           "html_url": format!("{b}/apps/{slug}"), "created_at": "2026-01-01T00:00:00Z",
           "updated_at": "2026-01-01T00:00:00Z", "permissions": {"checks": "write"}, "events": ["check_run"]})
}

fn unresolved(n: u64) -> Reply {
    ok(
        422,
        json!({"message": format!("Could not resolve to a node with the global id of 'PR_{n}'."),
               "documentation_url": "https://docs.github.com/rest"}),
    )
}

fn unreachable_issue() -> Issue {
    Issue {
        number: 0,
        title: String::new(),
        body: None,
        state: "open".into(),
        state_reason: None,
        labels: vec![],
        assignees: vec![],
        user: String::new(),
        created_at: String::new(),
        updated_at: String::new(),
        closed_at: None,
        pull: None,
    }
}

impl Reply {
    fn with_status(mut self, s: u16) -> Reply {
        self.status = s;
        self
    }
}
