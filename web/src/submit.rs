//! Submitting with no server of ours: a prefilled new-issue page, or a
//! `repository_dispatch` event sent with a token the person pastes. The
//! GitHub Action consumes both.

use postmortem::model::Postmortem;

/// The longest new-issue URL sent: GitHub answers 414 beyond about 8 KB.
pub const URL_LIMIT: usize = 8000;

/// The event type the Action listens for.
pub const EVENT_TYPE: &str = "postmortem";

/// The issue's title for a postmortem.
pub fn issue_title(pm: &Postmortem) -> String {
    let id = pm.incident.id.as_ref().map(|i| i.as_str());
    let title = postmortem::model::normalize_line(&pm.incident.title);
    match (id, title.is_empty()) {
        (Some(id), false) => format!("Postmortem {id}: {title}"),
        (Some(id), true) => format!("Postmortem {id}"),
        (None, false) => format!("Postmortem: {title}"),
        (None, true) => "Postmortem".to_owned(),
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// How the no-token submission goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueLink {
    /// The whole document fits in the URL.
    Prefilled(String),
    /// Too long: copy the document to the clipboard, then open this URL,
    /// whose body is a one-line instruction.
    PasteFromClipboard(String),
}

/// The line put in the issue body when the document is on the clipboard.
pub const PASTE_INSTRUCTION: &str =
    "Replace this line with the postmortem document: it is on your clipboard (Ctrl+V or Cmd+V).";

/// The new-issue URL for `document` on `repo`.
pub fn issue_link(
    web_base: &str,
    repo: &str,
    title: &str,
    label: &str,
    document: &str,
) -> IssueLink {
    let base = format!(
        "{web_base}/{repo}/issues/new?title={}&labels={}&body=",
        encode(title),
        encode(label)
    );
    let full = format!("{base}{}", encode(document));
    if full.len() <= URL_LIMIT {
        IssueLink::Prefilled(full)
    } else {
        IssueLink::PasteFromClipboard(format!("{base}{}", encode(PASTE_INSTRUCTION)))
    }
}

/// The JSON body of the `repository_dispatch` request.
pub fn dispatch_body(document: &str) -> String {
    // Typed structs rather than `json!`: the form then carries no JSON
    // value type, nor the float formatting it brings.
    #[derive(serde::Serialize)]
    struct Payload<'a> {
        document: &'a str,
    }
    #[derive(serde::Serialize)]
    struct Dispatch<'a> {
        event_type: &'static str,
        client_payload: Payload<'a>,
    }
    serde_json::to_string(&Dispatch {
        event_type: EVENT_TYPE,
        client_payload: Payload { document },
    })
    .unwrap_or_default()
}

/// Sends the `repository_dispatch` event. The token lives only in this
/// call: it is never stored.
pub async fn dispatch(
    api_base: &str,
    repo: &str,
    token: &str,
    document: &str,
) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let err = |e: wasm_bindgen::JsValue| crate::draft::js_error(&e);
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_mode(web_sys::RequestMode::Cors);
    init.set_body(&wasm_bindgen::JsValue::from_str(&dispatch_body(document)));
    let headers = web_sys::Headers::new().map_err(err)?;
    headers
        .set("Accept", "application/vnd.github+json")
        .map_err(err)?;
    headers
        .set("Authorization", &format!("Bearer {}", token.trim()))
        .map_err(err)?;
    headers
        .set("X-GitHub-Api-Version", "2022-11-28")
        .map_err(err)?;
    headers
        .set("Content-Type", "application/json")
        .map_err(err)?;
    init.set_headers(&headers);
    let url = format!("{api_base}/repos/{repo}/dispatches");
    let request = web_sys::Request::new_with_str_and_init(&url, &init).map_err(err)?;
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|e| {
            format!(
                "no answer could be read from {api_base} ({}). Check the network and the form's data-api-base; the page's Content-Security-Policy must allow that address in connect-src, and a server other than GitHub's must allow this page's origin (CORS). The event may have arrived all the same: look for its pull request before sending again.",
                err(e)
            )
        })?;
    let response: web_sys::Response = response.dyn_into().map_err(err)?;
    let status = response.status();
    if (200..300).contains(&status) {
        return Ok(());
    }
    // GitHub's error bodies are JSON with a `message`.
    let body = match response.text() {
        Ok(text) => JsFuture::from(text).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    };
    let message = body
        .and_then(|b| js_sys::JSON::parse(&b).ok())
        .and_then(|json| js_sys::Reflect::get(&json, &"message".into()).ok())
        .and_then(|m| m.as_string());
    Err(refusal(status, repo, message.as_deref()))
}

/// What to tell the person when GitHub answers `status` to the dispatch,
/// with GitHub's own `message` when it sent one: what happened and what to
/// do. The postmortem stays in the form whatever the answer.
pub fn refusal(status: u16, repo: &str, github: Option<&str>) -> String {
    // Quoted, on one line and short: an API base that is not GitHub may
    // answer anything.
    let message = github
        .map(|m| m.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    let said = match message.char_indices().nth(200) {
        _ if message.is_empty() => String::new(),
        Some((cut, _)) => format!(" \"{}…\"", &message[..cut]),
        None => format!(" \"{message}\""),
    };
    let rate_limited = status == 429 || (status == 403 && message.contains("rate limit"));
    match status {
        _ if rate_limited => format!(
            "GitHub answered {status}{said}: too many requests for now; send again in a few minutes, or open an issue instead."
        ),
        401 => {
            format!("GitHub refused the token (401{said}): check that it is valid and not expired.")
        }
        403 | 404 => format!(
            "GitHub answered {status}{said}: the token needs write access (contents: write) to {repo}, and the repository must exist."
        ),
        422 => format!(
            "GitHub refused the event (422{said}): the document may be too large for a repository_dispatch payload; open an issue instead."
        ),
        500..=599 => format!(
            "GitHub answered {status}{said}: it may be unavailable for a moment; send again later, or open an issue instead."
        ),
        _ => format!("GitHub answered {status}{said}: open an issue instead."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_documents_are_prefilled() {
        let IssueLink::Prefilled(url) = issue_link(
            "https://github.com",
            "acme/ops",
            "Postmortem INC-1: a & b",
            "postmortem",
            "# Title\n",
        ) else {
            panic!("expected a prefilled link");
        };
        assert_eq!(
            url,
            "https://github.com/acme/ops/issues/new?title=Postmortem%20INC-1%3A%20a%20%26%20b&labels=postmortem&body=%23%20Title%0A"
        );
    }

    #[test]
    fn long_documents_go_through_the_clipboard() {
        let doc = "x".repeat(URL_LIMIT);
        let IssueLink::PasteFromClipboard(url) =
            issue_link("https://github.com", "acme/ops", "t", "postmortem", &doc)
        else {
            panic!("expected the clipboard route");
        };
        assert!(url.len() < 400 && url.ends_with(&encode(PASTE_INSTRUCTION)));
    }

    #[test]
    fn the_dispatch_carries_the_document() {
        let body: serde_json::Value = serde_json::from_str(&dispatch_body("# doc\n")).unwrap();
        assert_eq!(body["event_type"], "postmortem");
        assert_eq!(body["client_payload"]["document"], "# doc\n");
    }

    #[test]
    fn refusals_say_what_happened_and_what_to_do() {
        assert_eq!(
            refusal(401, "acme/ops", Some("Bad credentials")),
            "GitHub refused the token (401 \"Bad credentials\"): check that it is valid and not expired."
        );
        assert_eq!(
            refusal(404, "acme/ops", None),
            "GitHub answered 404: the token needs write access (contents: write) to acme/ops, and the repository must exist."
        );
        assert!(refusal(422, "acme/ops", Some(" ")).starts_with("GitHub refused the event (422):"));
        assert_eq!(
            refusal(503, "acme/ops", Some("Service unavailable")),
            "GitHub answered 503 \"Service unavailable\": it may be unavailable for a moment; send again later, or open an issue instead."
        );
        assert_eq!(
            refusal(418, "acme/ops", None),
            "GitHub answered 418: open an issue instead."
        );
        let noisy = format!("line one\n\n  line two {}", "é".repeat(300));
        let said = refusal(500, "acme/ops", Some(&noisy));
        assert!(said.starts_with("GitHub answered 500 \"line one line two éé"));
        assert_eq!(said.matches('é').count(), 200 - "line one line two ".len());
        assert!(said.contains("é…\": it may be unavailable"));
        for (status, message) in [
            (429, None),
            (403, Some("API rate limit exceeded for user ID 1.")),
        ] {
            assert!(
                refusal(status, "acme/ops", message)
                    .contains("too many requests for now; send again in a few minutes"),
                "{status}"
            );
        }
    }

    #[test]
    fn titles_name_the_incident() {
        let mut pm = Postmortem::default();
        assert_eq!(issue_title(&pm), "Postmortem");
        pm.incident.id = Some("INC-7".parse().unwrap());
        pm.incident.title = " queue\nslow ".into();
        assert_eq!(issue_title(&pm), "Postmortem INC-7: queue slow");
    }
}
