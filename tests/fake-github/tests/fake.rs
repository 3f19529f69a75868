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
