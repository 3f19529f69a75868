//! Drafts are never lost: the form's state is saved to localStorage under a
//! key namespaced by repository and incident, restored on the next mount,
//! and can leave the browser as JSON or Markdown at any time.
//!
//! A draft is the [`Postmortem`] being written plus the raw text of fields
//! whose text does not yet parse (an owner typed as `@alice`, a half-typed
//! time): the postmortem cannot hold an invalid login, but a reload must
//! still give back every word typed.

use postmortem::model::Postmortem;
use serde::{Deserialize, Serialize};

use crate::form::PendingTexts;

/// The version of the stored draft's shape.
pub const DRAFT_VERSION: u32 = 1;

/// What is saved: the postmortem and the text of fields that do not parse.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// Always [`DRAFT_VERSION`].
    pub version: u32,
    /// The postmortem as far as it parses.
    pub postmortem: Postmortem,
    /// Field path (`fix.owner`) to the text typed there, for fields whose
    /// text is not (yet) a valid value.
    #[serde(default)]
    pub pending: PendingTexts,
    /// Where the form already shows findings (steps left, fields edited
    /// and left: [`crate::form::Seen::to_text`]), so a restored draft
    /// shows what it showed.
    #[serde(default)]
    pub seen: String,
}

impl Draft {
    /// A draft of this postmortem with nothing pending.
    pub fn new(postmortem: Postmortem) -> Self {
        Self {
            version: DRAFT_VERSION,
            postmortem,
            pending: PendingTexts::default(),
            seen: String::new(),
        }
    }

    /// The stored form: indented like the JSON export, whose serializer it
    /// shares (a compact one would compile the whole model's serializer a
    /// second time: 1.2 KB more of gzip in the form's download).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a stored draft.
    pub fn from_json(text: &str) -> Result<Draft, String> {
        let draft: Draft = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if draft.version != DRAFT_VERSION {
            return Err(format!("draft version {} is not supported", draft.version));
        }
        Ok(draft)
    }
}

/// Why the browser refused to keep the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageError(pub String);

/// The page's localStorage, or why it cannot be used (disabled, private
/// mode, a sandboxed iframe without same-origin).
fn local_storage() -> Result<web_sys::Storage, StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError("no window".into()))?;
    match window.local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(StorageError("this browser has no localStorage".into())),
        Err(e) => Err(StorageError(js_error(&e))),
    }
}

/// A JavaScript exception as one line.
pub fn js_error(e: &wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsCast;
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    e.as_string().unwrap_or_else(|| "unknown error".to_owned())
}

/// Writes a draft, in its stored form ([`Draft::to_json`]), under `key`.
pub fn save(key: &str, stored: &str) -> Result<(), StorageError> {
    local_storage()?
        .set_item(key, stored)
        .map_err(|e| StorageError(js_error(&e)))
}

/// Reads the draft under `key`: `Ok(None)` when there is none.
pub fn load(key: &str) -> Result<Option<Draft>, StorageError> {
    let Some(text) = local_storage()?
        .get_item(key)
        .map_err(|e| StorageError(js_error(&e)))?
    else {
        return Ok(None);
    };
    Draft::from_json(&text).map(Some).map_err(|e| {
        // Keep the unreadable text where a person can still recover it.
        let backup = format!("{key}:unreadable");
        let _ = local_storage().and_then(|s| {
            s.set_item(&backup, &text)
                .map_err(|e| StorageError(js_error(&e)))
        });
        StorageError(format!(
            "the saved draft could not be read ({e}); it was kept under {backup}"
        ))
    })
}

/// Removes the draft under `key`.
pub fn remove(key: &str) -> Result<(), StorageError> {
    local_storage()?
        .remove_item(key)
        .map_err(|e| StorageError(js_error(&e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::Pending;

    #[test]
    fn drafts_round_trip_with_pending_text() {
        let mut draft = Draft::new(Postmortem::default());
        draft.postmortem.incident.title = "<script>alert(1)</script>".into();
        draft.pending.insert(
            "fix.owner".into(),
            Pending {
                text: "@alice".into(),
                error: Some("not a login".into()),
            },
        );
        let back = Draft::from_json(&draft.to_json()).unwrap();
        assert_eq!(back, draft);
    }

    #[test]
    fn other_versions_are_refused() {
        let mut draft = Draft::new(Postmortem::default());
        draft.version = 9;
        assert!(Draft::from_json(&draft.to_json()).is_err());
        assert!(Draft::from_json("not json").is_err());
    }
}
