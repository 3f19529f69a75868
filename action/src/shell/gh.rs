//! The GitHub client: octocrab's raw requests, with the retry policy the
//! Action needs instead of octocrab's own (which re-sends POSTs blindly
//! and ignores `Retry-After`).
//!
//! - 5xx answers and transport errors are retried with exponential
//!   backoff, except for creating POSTs, which the caller retries through
//!   find-before-create ([`Gh::create`]);
//! - 403/429 secondary rate limits and an exhausted primary limit wait for
//!   `Retry-After` (or `x-ratelimit-reset`) and are retried, POSTs
//!   included (GitHub did not act on them);
//! - `Link: rel="next"` pages are followed as the absolute URLs GitHub
//!   gives.
//!
//! Every request is counted, for the log and the benchmark.

use std::cell::Cell;
use std::time::Duration;

use http::{HeaderMap, Method};
use octocrab::Octocrab;
use serde_json::Value;

/// A failed request, as one sentence.
#[derive(Debug)]
pub struct GhError {
    /// The HTTP status, when GitHub answered.
    pub status: Option<u16>,
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for GhError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A GitHub answer.
pub struct Resp {
    /// The status.
    pub status: u16,
    /// The headers.
    pub headers: HeaderMap,
    /// The body, parsed (`Null` when empty or not JSON).
    pub json: Value,
}

impl Resp {
    /// GitHub's `message` field, or "".
    pub fn message(&self) -> String {
        let mut m = self.json["message"].as_str().unwrap_or_default().to_owned();
        if let Some(errors) = self.json["errors"].as_array() {
            for e in errors {
                if let Some(s) = e["message"].as_str().or_else(|| e.as_str()) {
                    m.push_str("; ");
                    m.push_str(s);
                }
            }
        }
        m
    }

    fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// How long to wait, tunable for tests (never skipped).
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// The first wait after a 5xx, doubled each time.
    pub base: Duration,
    /// The longest wait for a rate limit the Action accepts.
    pub max_wait: Duration,
    /// Attempts per request.
    pub attempts: u32,
}

/// octocrab over a hyper client whose TCP connections set `TCP_NODELAY`,
/// with the base URI and the token as headers (what octocrab's default
/// builder does, minus its retry, which the shell replaces).
fn client(api_url: &str, token: &str) -> Result<Octocrab, String> {
    use http::header::{AUTHORIZATION, USER_AGENT};
    use octocrab::service::middleware::base_uri::BaseUriLayer;
    use octocrab::service::middleware::extra_headers::ExtraHeadersLayer;

    let uri: http::Uri = api_url
        .parse()
        .map_err(|e| format!("GITHUB_API_URL {api_url:?}: {e}"))?;
    let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
    http.set_nodelay(true);
    http.enforce_http(false);
    http.set_connect_timeout(Some(Duration::from_secs(20)));
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(provider)
        .map_err(|e| format!("loading the system's root certificates: {e}"))?
        .https_or_http()
        .enable_http1()
        .wrap_connector(http);
    let hyper = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build::<_, octocrab::OctoBody>(https);
    let auth = http::HeaderValue::from_str(&format!("Bearer {}", token.trim()))
        .map_err(|_| "the token holds characters a header cannot carry".to_owned())?;
    let headers = vec![
        (
            USER_AGENT,
            http::HeaderValue::from_static("postmortem-action"),
        ),
        (AUTHORIZATION, auth),
    ];
    octocrab::OctocrabBuilder::new_empty()
        .with_service(hyper)
        .with_layer(&BaseUriLayer::new(uri))
        .with_layer(&ExtraHeadersLayer::new(std::sync::Arc::new(headers)))
        .with_auth(octocrab::AuthState::None)
        .build()
        .map_err(|e| format!("building the GitHub client: {e}"))
}

/// How long one request may take before it counts as a transport error.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The client for one repository.
pub struct Gh {
    oc: Octocrab,
    rt: tokio::runtime::Runtime,
    /// `owner/name`.
    pub repo: String,
    backoff: Backoff,
    requests: Cell<usize>,
    writes: Cell<usize>,
}

impl Gh {
    /// A client for `repo` at `api_url` (`GITHUB_API_URL`).
    pub fn new(api_url: &str, token: &str, repo: &str, backoff: Backoff) -> Result<Gh, String> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("starting the async runtime: {e}"))?;
        let oc = {
            let _guard = rt.enter();
            client(api_url, token)?
        };
        Ok(Gh {
            oc,
            rt,
            repo: repo.to_owned(),
            backoff,
            requests: Cell::new(0),
            writes: Cell::new(0),
        })
    }

    /// Requests sent so far (retries included).
    pub fn requests(&self) -> usize {
        self.requests.get()
    }

    /// Writes sent so far.
    pub fn writes(&self) -> usize {
        self.writes.get()
    }

    /// `/repos/{owner}/{repo}` + `rest`.
    pub fn r(&self, rest: &str) -> String {
        format!("/repos/{}{rest}", self.repo)
    }

    /// The repository's owner.
    pub fn owner(&self) -> &str {
        self.repo.split('/').next().unwrap_or_default()
    }

    /// One request, no retry.
    fn once(&self, method: &Method, uri: &str, body: Option<&Value>) -> Result<Resp, GhError> {
        self.requests.set(self.requests.get() + 1);
        if *method != Method::GET {
            self.writes.set(self.writes.get() + 1);
        }
        let oc = &self.oc;
        let result = self.rt.block_on(async {
            tokio::time::timeout(REQUEST_TIMEOUT, async {
                let resp = match *method {
                    Method::GET => oc._get(uri).await,
                    Method::POST => oc._post(uri, body).await,
                    Method::PATCH => oc._patch(uri, body).await,
                    Method::PUT => oc._put(uri, body).await,
                    _ => oc._delete(uri, body).await,
                }?;
                let status = resp.status().as_u16();
                let headers = resp.headers().clone();
                let text = oc.body_to_string(resp).await?;
                Ok::<_, octocrab::Error>((status, headers, text))
            })
            .await
        });
        match result {
            Err(_) => Err(GhError {
                status: None,
                message: format!(
                    "{method} {uri}: no answer within {}s",
                    REQUEST_TIMEOUT.as_secs()
                ),
            }),
            Ok(Err(e)) => Err(GhError {
                status: None,
                message: format!("{method} {uri}: {e}"),
            }),
            Ok(Ok((status, headers, text))) => Ok(Resp {
                status,
                headers,
                json: serde_json::from_str(&text).unwrap_or(Value::Null),
            }),
        }
    }

    /// The wait a rate-limited answer asks for, if it is one.
    fn rate_limit_wait(&self, r: &Resp) -> Option<Duration> {
        if r.status != 403 && r.status != 429 {
            return None;
        }
        let header = |n: &str| {
            r.headers
                .get(n)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        if let Some(s) = header("retry-after") {
            return Some(Duration::from_secs(s));
        }
        if header("x-ratelimit-remaining") == Some(0) {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            let reset = header("x-ratelimit-reset").unwrap_or(now + 60);
            return Some(Duration::from_secs(reset.saturating_sub(now).max(1)));
        }
        if r.message()
            .to_ascii_lowercase()
            .contains("secondary rate limit")
        {
            // GitHub asks for at least a minute when it gives no header.
            return Some(Duration::from_secs(60));
        }
        None
    }

    /// A request, retried on rate limits always and on 5xx / transport
    /// errors when `retry_server_errors`. Returns any final answer,
    /// successful or not.
    pub fn send_raw(
        &self,
        method: Method,
        uri: &str,
        body: Option<&Value>,
        retry_server_errors: bool,
    ) -> Result<Resp, GhError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let last = attempt >= self.backoff.attempts;
            let wait = match self.once(&method, uri, body) {
                Ok(r) => match self.rate_limit_wait(&r) {
                    Some(w) if !last => {
                        if w > self.backoff.max_wait {
                            return Err(GhError {
                                status: Some(r.status),
                                message: format!(
                                    "{method} {uri}: rate limited for {}s, longer than the {}s the Action waits; run it again later",
                                    w.as_secs(),
                                    self.backoff.max_wait.as_secs()
                                ),
                            });
                        }
                        eprintln!(
                            "rate limited on {method} {uri}: waiting {}s as GitHub asks",
                            w.as_secs()
                        );
                        w
                    }
                    Some(_) => return Ok(r),
                    None if r.status >= 500 && retry_server_errors && !last => {
                        let w = self.backoff.base * 2u32.pow(attempt - 1);
                        eprintln!(
                            "GitHub answered {} on {method} {uri}: retrying in {}ms",
                            r.status,
                            w.as_millis()
                        );
                        w
                    }
                    None => return Ok(r),
                },
                Err(e) if retry_server_errors && !last => {
                    let w = self.backoff.base * 2u32.pow(attempt - 1);
                    eprintln!("{e}: retrying in {}ms", w.as_millis());
                    w
                }
                Err(e) => return Err(e),
            };
            std::thread::sleep(wait);
        }
    }

    /// A request that must succeed; 5xx retried unless it creates.
    pub fn send(&self, method: Method, uri: &str, body: Option<&Value>) -> Result<Value, GhError> {
        let retry = method != Method::POST;
        let r = self.send_raw(method.clone(), uri, body, retry)?;
        if r.ok() {
            Ok(r.json)
        } else {
            Err(GhError {
                status: Some(r.status),
                message: format!(
                    "{method} {uri}: GitHub answered {}: {}",
                    r.status,
                    r.message()
                ),
            })
        }
    }

    /// GET that may be 404 (then `None`).
    pub fn get_opt(&self, uri: &str) -> Result<Option<Value>, GhError> {
        let r = self.send_raw(Method::GET, uri, None, true)?;
        match r.status {
            404 => Ok(None),
            s if (200..300).contains(&s) => Ok(Some(r.json)),
            s => Err(GhError {
                status: Some(s),
                message: format!("GET {uri}: GitHub answered {s}: {}", r.message()),
            }),
        }
    }

    /// GET that must succeed.
    pub fn get(&self, uri: &str) -> Result<Value, GhError> {
        self.send(Method::GET, uri, None)
    }

    /// Every item of a paged list, following `Link: rel="next"`; `key`
    /// names the array inside an object answer (`workflow_runs`), if any.
    /// Stops after `max_pages`.
    pub fn get_all(
        &self,
        uri: &str,
        key: Option<&str>,
        max_pages: usize,
    ) -> Result<Vec<Value>, GhError> {
        let mut out = Vec::new();
        let mut next = Some(uri.to_owned());
        let mut pages = 0;
        while let Some(u) = next.take() {
            pages += 1;
            let r = self.send_raw(Method::GET, &u, None, true)?;
            if !r.ok() {
                return Err(GhError {
                    status: Some(r.status),
                    message: format!("GET {u}: GitHub answered {}: {}", r.status, r.message()),
                });
            }
            let items = match key {
                Some(k) => r.json[k].as_array().cloned().unwrap_or_default(),
                None => r.json.as_array().cloned().unwrap_or_default(),
            };
            out.extend(items);
            if pages < max_pages {
                next = r
                    .headers
                    .get("link")
                    .and_then(|v| v.to_str().ok())
                    .and_then(next_link);
            }
        }
        Ok(out)
    }

    /// Find-before-create: `find` first; then `create` once; if that fails
    /// with a 5xx or a transport error (GitHub may have acted on it), wait
    /// and start again from `find`.
    pub fn create<T>(
        &self,
        what: &str,
        find: impl Fn(&Gh) -> Result<Option<T>, GhError>,
        create: impl Fn(&Gh) -> Result<T, GhError>,
    ) -> Result<T, GhError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            if attempt > 1 {
                if let Some(found) = find(self)? {
                    return Ok(found);
                }
            }
            match create(self) {
                Ok(t) => return Ok(t),
                Err(e) if e.status.is_none_or(|s| s >= 500) && attempt < self.backoff.attempts => {
                    let w = self.backoff.base * 2u32.pow(attempt - 1);
                    eprintln!(
                        "creating {what} failed ({e}); looking for it, then retrying in {}ms",
                        w.as_millis()
                    );
                    std::thread::sleep(w);
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Sleeps for a 422 "Could not resolve to a node" retry.
    pub fn pause(&self, attempt: u32) {
        std::thread::sleep(self.backoff.base * 2u32.pow(attempt));
    }
}

/// The `rel="next"` URL of a `Link` header.
pub fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim() == "rel=\"next\"")
            .then(|| {
                url.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_owned()
            })
    })
}

/// Percent-encodes one path segment or query value.
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-encodes a path, keeping its `/`.
pub fn enc_path(p: &str) -> String {
    p.split('/').map(enc).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_link_is_found() {
        let h = "<http://127.0.0.1:9/repos/a/b/issues?page=2>; rel=\"next\", <http://127.0.0.1:9/repos/a/b/issues?page=5>; rel=\"last\"";
        assert_eq!(
            next_link(h).as_deref(),
            Some("http://127.0.0.1:9/repos/a/b/issues?page=2")
        );
        assert_eq!(next_link("<x>; rel=\"prev\""), None);
        assert_eq!(enc("a b/c:d"), "a%20b%2Fc%3Ad");
        assert_eq!(enc_path("a b/c"), "a%20b/c");
    }
}
