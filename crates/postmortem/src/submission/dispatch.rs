//! The route with a token: a `repository_dispatch` event.
//!
//! The form sends `POST /repos/{owner}/{repo}/dispatches` with the body
//! [`body`] makes; GitHub then starts the repository's workflows that listen
//! for `repository_dispatch` of type [`EVENT_TYPE`], and the Action reads the
//! document back with [`document_of`].

use std::fmt;

use serde::Serialize;

use super::{EVENT_TYPE, Limits, PAYLOAD_KEY, TooLarge};

/// The REST path the event is sent to, for `owner/name`.
pub fn path(repo: &str) -> String {
    format!("/repos/{repo}/dispatches")
}

/// The request body for `document`, or why GitHub would refuse it.
pub fn body(document: &str) -> Result<String, TooLarge> {
    // Typed structs rather than a JSON value: the form then carries no
    // JSON value type, nor the float formatting it brings. The key is
    // `PAYLOAD_KEY`, checked by a test.
    #[derive(Serialize)]
    struct Payload<'a> {
        document: &'a str,
    }
    #[derive(Serialize)]
    struct Dispatch<'a> {
        event_type: &'static str,
        client_payload: Payload<'a>,
    }
    let payload = Payload { document };
    // Serialising plain strings cannot fail.
    let size = serde_json::to_string(&payload).map_or(usize::MAX, |p| p.len());
    if size >= Limits::CLIENT_PAYLOAD_BYTES {
        return Err(TooLarge {
            what: "the repository_dispatch payload",
            size,
            limit: Limits::CLIENT_PAYLOAD_BYTES,
            unit: "bytes",
        });
    }
    Ok(serde_json::to_string(&Dispatch {
        event_type: EVENT_TYPE,
        client_payload: payload,
    })
    .unwrap_or_default())
}

/// Why a dispatch of type [`EVENT_TYPE`] carries no document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoDocument {
    /// `client_payload.document` is absent.
    Missing,
    /// It is there but not a string.
    NotText,
}

impl fmt::Display for NoDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoDocument::Missing => write!(
                f,
                "client_payload.{PAYLOAD_KEY} is missing: the form sends the Markdown document there"
            ),
            NoDocument::NotText => write!(
                f,
                "client_payload.{PAYLOAD_KEY} must be a string holding the Markdown document"
            ),
        }
    }
}

impl std::error::Error for NoDocument {}

/// The document a dispatch's `client_payload` carries.
pub fn document_of(
    client_payload: Option<&serde_json::Map<String, serde_json::Value>>,
) -> Result<&str, NoDocument> {
    match client_payload.and_then(|c| c.get(PAYLOAD_KEY)) {
        Some(serde_json::Value::String(d)) => Ok(d),
        Some(_) => Err(NoDocument::NotText),
        None => Err(NoDocument::Missing),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_carries_the_document_under_the_payload_key() {
        let body: serde_json::Value = serde_json::from_str(&body("# doc\n").unwrap()).unwrap();
        assert_eq!(body["event_type"], EVENT_TYPE);
        let payload = body["client_payload"].as_object().unwrap();
        assert_eq!(document_of(Some(payload)), Ok("# doc\n"));
        assert!(payload.len() <= Limits::CLIENT_PAYLOAD_PROPERTIES);
        assert!(EVENT_TYPE.len() <= Limits::EVENT_TYPE_CHARS);
    }

    #[test]
    fn a_payload_over_github_s_limit_is_refused_before_sending() {
        // JSON escaping counts: a newline is two bytes in the payload.
        let fits = "x".repeat(Limits::CLIENT_PAYLOAD_BYTES - 20);
        assert!(body(&fits).is_ok());
        let escaped = "\n".repeat(Limits::CLIENT_PAYLOAD_BYTES / 2);
        let err = body(&escaped).unwrap_err();
        assert!(err.size >= Limits::CLIENT_PAYLOAD_BYTES);
        assert!(
            err.to_string()
                .contains("over GitHub's limit of 64000 bytes")
        );
    }

    #[test]
    fn a_payload_without_a_document_says_where_it_belongs() {
        let empty = serde_json::Map::new();
        assert_eq!(document_of(Some(&empty)), Err(NoDocument::Missing));
        assert_eq!(document_of(None), Err(NoDocument::Missing));
        let mut wrong = serde_json::Map::new();
        wrong.insert(PAYLOAD_KEY.into(), 3.into());
        assert_eq!(document_of(Some(&wrong)), Err(NoDocument::NotText));
        assert!(
            NoDocument::Missing
                .to_string()
                .contains("client_payload.document")
        );
    }
}
