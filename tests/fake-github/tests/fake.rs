//! The fake GitHub on its own: paging, headers, faults and git rules.

use std::io::{Read, Write};
use std::net::TcpStream;

use fake_github::{FakeGitHub, Fault};

/// One HTTP/1.0 request (no chunked answers); returns status, headers (lower-cased) and body.
fn call(
    gh: &FakeGitHub,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, Vec<(String, String)>, String) {
    let addr = gh.url.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.0\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> Option<&'a str> {
    h.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[test]
fn lists_are_paged_with_absolute_links_to_the_fake_and_rate_limit_headers() {
    let gh = FakeGitHub::start();
    {
        let mut st = gh.state();
        for k in 0..250 {
            st.add_issue(&format!("issue {k}"), "", &["postmortem-fix"], "alice");
        }
    }
    let (status, h, body) = call(
        &gh,
        "GET",
        "/repos/acme/app/issues?labels=postmortem-fix&per_page=100",
        "",
    );
    assert_eq!(status, 200);
    let items: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 100);
    assert_eq!(items[0]["number"], 250, "newest first");
    let link = header(&h, "link").unwrap();
    assert!(
        link.contains(&format!("<{}/repos/acme/app/issues?", gh.url)),
        "{link}"
    );
    let next = link
        .split(',')
        .find(|l| l.contains("rel=\"next\""))
        .unwrap();
    let last = link
        .split(',')
        .find(|l| l.contains("rel=\"last\""))
        .unwrap();
    assert!(next.contains("page=2&"), "{next}");
    assert!(last.contains("page=3&"), "{last}");
    assert_eq!(header(&h, "x-ratelimit-limit"), Some("5000"));
    assert!(header(&h, "x-ratelimit-remaining").is_some());
    let (_, h3, body3) = call(
        &gh,
        "GET",
        "/repos/acme/app/issues?labels=postmortem-fix&per_page=100&page=3",
        "",
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body3)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        50
    );
    assert!(!header(&h3, "link").unwrap().contains("rel=\"next\""));
}

#[test]
fn faults_answer_once_each_and_are_logged() {
    let gh = FakeGitHub::start();
    {
        let mut st = gh.state();
        st.faults.queued.push_back((
            "GET".into(),
            "/repos/{owner}/{repo}".into(),
            Fault::ServerError(503),
        ));
        st.faults
            .queued
            .push_back(("GET".into(), "*".into(), Fault::SecondaryRateLimit(429)));
        st.faults.retry_after_secs = 7;
    }
    assert_eq!(call(&gh, "GET", "/repos/acme/app", "").0, 503);
    let (s, h, body) = call(&gh, "GET", "/repos/acme/app", "");
    assert_eq!(s, 429);
    assert_eq!(header(&h, "retry-after"), Some("7"));
    assert!(body.contains("secondary rate limit"));
    let (s, _, body) = call(&gh, "GET", "/repos/acme/app", "");
    assert_eq!(s, 200);
    assert!(body.contains("\"default_branch\":\"main\""));
    let st = gh.state();
    assert_eq!(st.log.iter().filter(|e| e.fault).count(), 2);
    assert_eq!(st.log[2].route, "/repos/{owner}/{repo}");
}

#[test]
fn the_fake_dies_after_n_writes() {
    let gh = FakeGitHub::start();
    gh.state().faults.die_after_writes = Some(1);
    let issue = r#"{"title":"a","body":"b"}"#;
    assert_eq!(call(&gh, "POST", "/repos/acme/app/issues", issue).0, 201);
    assert_eq!(call(&gh, "POST", "/repos/acme/app/issues", issue).0, 500);
    assert_eq!(call(&gh, "GET", "/repos/acme/app", "").0, 500);
    assert_eq!(gh.state().plain_issues().len(), 1);
}

#[test]
fn refs_only_fast_forward_and_pull_requests_are_unique_per_head() {
    let gh = FakeGitHub::start();
    let (main, other) = {
        let mut st = gh.state();
        let main = st.refs["heads/main"].clone();
        let other = st.commit_files(None, &[("x.md", "unrelated\n")], "orphan");
        (main, other)
    };
    let body = format!(r#"{{"ref":"refs/heads/b","sha":"{main}"}}"#);
    assert_eq!(call(&gh, "POST", "/repos/acme/app/git/refs", &body).0, 201);
    assert_eq!(
        call(&gh, "POST", "/repos/acme/app/git/refs", &body).0,
        422,
        "exists"
    );
    let ff = format!(r#"{{"sha":"{other}","force":false}}"#);
    let (s, _, b) = call(&gh, "PATCH", "/repos/acme/app/git/refs/heads/b", &ff);
    assert_eq!(s, 422);
    assert!(b.contains("not a fast forward"));
    gh.state().push("b", &[("doc.md", "x\n")], "change");
    let pr = r#"{"title":"t","head":"b","base":"main","body":"x"}"#;
    assert_eq!(call(&gh, "POST", "/repos/acme/app/pulls", pr).0, 201);
    let (s, _, b) = call(&gh, "POST", "/repos/acme/app/pulls", pr);
    assert_eq!(s, 422);
    assert!(b.contains("A pull request already exists"));
    let (_, _, list) = call(
        &gh,
        "GET",
        "/repos/acme/app/pulls?head=acme%3Ab&state=open",
        "",
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&list)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// Checks every answer the fake gave against GitHub's REST description,
/// refusals included (`tests/github-spec/validate.mjs`).
fn validate(gh: &FakeGitHub) {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../github-spec");
    assert!(
        spec.join("node_modules/@octokit/openapi").exists(),
        "run `npm ci` in tests/github-spec first"
    );
    let port = gh.url.rsplit(':').next().unwrap_or("0").to_owned();
    let log = std::env::temp_dir().join(format!("fake-github-{port}.jsonl"));
    std::fs::write(&log, gh.state().log_jsonl()).unwrap();
    let out = std::process::Command::new("node")
        .arg(spec.join("validate.mjs"))
        .arg(&log)
        .current_dir(&spec)
        .output()
        .expect("node");
    let _ = std::fs::remove_file(&log);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap()
}

#[test]
fn an_assignee_without_access_is_refused_as_github_refuses_it() {
    let gh = FakeGitHub::start();
    gh.state()
        .collaborators
        .insert("senior-dev".into(), fake_github::Permission::Read);
    let (s, _, b) = call(
        &gh,
        "POST",
        "/repos/acme/app/issues",
        r#"{"title":"t","assignees":["senior-dev","acme-leadership"]}"#,
    );
    assert_eq!(s, 422);
    let b = json(&b);
    assert_eq!(b["message"], "Validation Failed");
    assert_eq!(b["errors"][0]["field"], "assignees");
    assert_eq!(b["errors"][0]["code"], "invalid");
    assert_eq!(b["errors"][0]["value"], "acme-leadership");
    assert!(gh.state().plain_issues().is_empty(), "nothing half made");
    assert_eq!(
        call(&gh, "GET", "/repos/acme/app/assignees/senior-dev", "").0,
        204
    );
    assert_eq!(
        call(&gh, "GET", "/repos/acme/app/assignees/someone", "").0,
        404
    );
    // Adding assignees drops, silently, who cannot be assigned.
    let (s, _, _) = call(&gh, "POST", "/repos/acme/app/issues", r#"{"title":"t"}"#);
    assert_eq!(s, 201);
    let (s, _, b) = call(
        &gh,
        "POST",
        "/repos/acme/app/issues/1/assignees",
        r#"{"assignees":["someone","senior-dev"]}"#,
    );
    assert_eq!(s, 201);
    assert_eq!(json(&b)["assignees"].as_array().unwrap().len(), 1);
    validate(&gh);
}

#[test]
fn labels_and_assignees_of_someone_who_may_not_push_are_dropped_silently() {
    let gh = FakeGitHub::start();
    {
        let mut st = gh.state();
        st.collaborators
            .insert("reader".into(), fake_github::Permission::Read);
        st.tokens.insert("reader-token".into(), "reader".into());
    }
    let addr = gh.url.trim_start_matches("http://").to_owned();
    let body = r#"{"title":"t","labels":["postmortem"],"assignees":["reader"]}"#;
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        s,
        "POST /repos/acme/app/issues HTTP/1.0\r\nHost: {addr}\r\nAuthorization: Bearer reader-token\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    assert!(
        raw.starts_with("HTTP/1.0 201") || raw.starts_with("HTTP/1.1 201"),
        "{raw}"
    );
    let st = gh.state();
    let i = &st.plain_issues()[0];
    assert_eq!(i.user, "reader");
    assert!(i.labels.is_empty() && i.assignees.is_empty());
    drop(st);
    // The repository's token may.
    assert_eq!(
        call(
            &gh,
            "POST",
            "/repos/acme/app/issues",
            r#"{"title":"t","labels":["postmortem"]}"#
        )
        .0,
        201
    );
    assert_eq!(gh.state().plain_issues()[1].labels, ["postmortem"]);
    validate(&gh);
}

#[test]
fn a_review_from_a_reader_without_access_is_refused_whole() {
    let gh = FakeGitHub::start();
    {
        let mut st = gh.state();
        st.collaborators
            .insert("alice".into(), fake_github::Permission::Read);
        st.teams.push("leadership".into());
        st.push("main", &[("x.md", "x\n")], "x");
        let main = st.refs["heads/main"].clone();
        let c = st.commit_files(Some(&main), &[("y.md", "y\n")], "y");
        st.refs.insert("heads/b".into(), c);
    }
    let pr = r#"{"title":"t","head":"b","base":"main","body":"x"}"#;
    assert_eq!(call(&gh, "POST", "/repos/acme/app/pulls", pr).0, 201);
    let (s, _, b) = call(
        &gh,
        "POST",
        "/repos/acme/app/pulls/1/requested_reviewers",
        r#"{"reviewers":["alice"],"team_reviewers":["board"]}"#,
    );
    assert_eq!(s, 422);
    assert!(
        json(&b)["message"]
            .as_str()
            .unwrap()
            .starts_with("Reviews may only be requested from collaborators.")
    );
    let pull = gh.state().issue(1).unwrap().pull.clone().unwrap();
    assert!(
        pull.reviewers.is_empty() && pull.teams.is_empty(),
        "none asked"
    );
    let (s, _, _) = call(
        &gh,
        "POST",
        "/repos/acme/app/pulls/1/requested_reviewers",
        r#"{"reviewers":["alice"],"team_reviewers":["leadership"]}"#,
    );
    assert_eq!(s, 201);
    // The default token may not list a repository's teams.
    assert_eq!(call(&gh, "GET", "/repos/acme/app/teams", "").0, 403);
    gh.state().teams_visible = true;
    let (s, _, b) = call(&gh, "GET", "/repos/acme/app/teams", "");
    assert_eq!(s, 200);
    assert_eq!(json(&b)[0]["slug"], "leadership");
    validate(&gh);
}

#[test]
fn bodies_over_65536_characters_are_refused() {
    let gh = FakeGitHub::start();
    let long = "é".repeat(65_537);
    let issue = serde_json::json!({"title": "t", "body": long}).to_string();
    let (s, _, b) = call(&gh, "POST", "/repos/acme/app/issues", &issue);
    assert_eq!(s, 422);
    assert!(b.contains("body is too long (maximum is 65536 characters)"));
    let fits = serde_json::json!({"title": "t", "body": "é".repeat(65_536)}).to_string();
    assert_eq!(call(&gh, "POST", "/repos/acme/app/issues", &fits).0, 201);
    let comment = serde_json::json!({"body": "x".repeat(65_537)}).to_string();
    assert_eq!(
        call(&gh, "POST", "/repos/acme/app/issues/1/comments", &comment).0,
        422
    );
    validate(&gh);
}

#[test]
fn a_dispatch_over_github_s_limits_is_refused_and_one_within_them_recorded() {
    let gh = FakeGitHub::start();
    let send = |body: serde_json::Value| {
        call(&gh, "POST", "/repos/acme/app/dispatches", &body.to_string()).0
    };
    let eleven: serde_json::Map<String, serde_json::Value> =
        (0..11).map(|k| (format!("k{k}"), k.into())).collect();
    assert_eq!(
        send(serde_json::json!({"event_type": "postmortem", "client_payload": eleven})),
        422
    );
    assert_eq!(
        send(
            serde_json::json!({"event_type": "postmortem", "client_payload": {"document": "x".repeat(64_000)}})
        ),
        422
    );
    assert_eq!(
        send(serde_json::json!({"event_type": "x".repeat(101)})),
        422
    );
    assert!(gh.state().events.is_empty());
    assert_eq!(
        send(
            serde_json::json!({"event_type": "postmortem", "client_payload": {"document": "# d\n"}})
        ),
        204
    );
    let st = gh.state();
    assert_eq!(st.events.len(), 1);
    assert_eq!(st.events[0].name, "repository_dispatch");
    assert_eq!(st.events[0].payload["client_payload"]["document"], "# d\n");
    // Not validated: the requests refused here break GitHub's REST
    // description on purpose (its maxProperties and maxLength), which is
    // why GitHub refuses them.
}

#[test]
fn browsers_get_github_s_cors_answers() {
    let gh = FakeGitHub::start();
    let (s, h, _) = call(&gh, "OPTIONS", "/repos/acme/app/dispatches", "");
    assert_eq!(s, 204);
    assert_eq!(header(&h, "access-control-allow-origin"), Some("*"));
    assert!(
        header(&h, "access-control-allow-headers")
            .unwrap()
            .contains("Authorization")
    );
    let (_, h, _) = call(&gh, "GET", "/repos/acme/app", "");
    assert_eq!(header(&h, "access-control-allow-origin"), Some("*"));
    assert!(
        gh.state().log.iter().all(|e| e.method != "OPTIONS"),
        "not an API call"
    );
}

#[test]
fn a_person_merges_with_a_merge_commit_and_compare_says_what_contains_it() {
    let gh = FakeGitHub::start();
    let base = {
        let mut st = gh.state();
        let main = st.refs["heads/main"].clone();
        let c = st.commit_files(Some(&main), &[("pm.md", "pm\n")], "pm");
        st.refs.insert("heads/postmortem/INC-1".into(), c);
        st.push("main", &[("other.md", "o\n")], "meanwhile");
        main
    };
    let pr = r#"{"title":"t","head":"postmortem/INC-1","base":"main","body":"x"}"#;
    assert_eq!(call(&gh, "POST", "/repos/acme/app/pulls", pr).0, 201);
    let (s, _, b) = call(&gh, "PUT", "/repos/acme/app/pulls/1/merge", "{}");
    assert_eq!(s, 200);
    let merge = json(&b)["sha"].as_str().unwrap().to_owned();
    let st = gh.state();
    let files = st.files_at(&merge);
    assert!(files.contains_key("pm.md") && files.contains_key("other.md"));
    assert_eq!(st.events.last().unwrap().name, "push");
    drop(st);
    let (_, _, b) = call(&gh, "GET", "/repos/acme/app/pulls?state=closed", "");
    assert_eq!(json(&b)[0]["merge_commit_sha"], merge.as_str());
    let status = |a: &str, b: &str| {
        json(
            &call(
                &gh,
                "GET",
                &format!("/repos/acme/app/compare/{a}...{b}"),
                "",
            )
            .2,
        )["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(status(&merge, "main"), "identical");
    assert_eq!(status(&base, &merge), "ahead");
    assert_eq!(status(&merge, &base), "behind");
    assert_eq!(
        call(&gh, "PUT", "/repos/acme/app/pulls/1/merge", "{}").0,
        405
    );
    validate(&gh);
}
