//! Sending a postmortem with a token: the `repository_dispatch` request
//! of the core's submission envelope (`postmortem::submission`), and what
//! to tell the person when GitHub refuses it. The route without a token
//! is the envelope's new-issue page.

use postmortem::submission::dispatch;

/// Sends `body` (from `dispatch::body`) as the `repository_dispatch` event.
/// The token lives only in this call: it is never stored.
pub async fn dispatch(api_base: &str, repo: &str, token: &str, body: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let err = |e: wasm_bindgen::JsValue| crate::draft::js_error(&e);
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_mode(web_sys::RequestMode::Cors);
    init.set_body(&wasm_bindgen::JsValue::from_str(body));
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
    let url = format!("{api_base}{}", dispatch::path(repo));
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
}
