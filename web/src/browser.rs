//! The few things the form asks of the browser beyond the DOM: downloads,
//! the clipboard, opening a page and focusing an element by id.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::draft::js_error;

/// Offers `text` as a file download. Sandboxed iframes without
/// `allow-downloads` block this silently; the form offers copying too.
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| js_error(&e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| js_error(&e))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| js_error(&e))?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(file_name);
    a.click();
    // Revoke later: the download starts asynchronously.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}

/// Whether the form runs inside a frame (an iframe embed, where the host's
/// sandbox may block downloads without telling the page).
pub fn framed() -> bool {
    web_sys::window().is_some_and(|w| {
        w.parent()
            .ok()
            .flatten()
            .is_some_and(|parent| JsValue::from(parent) != JsValue::from(w))
    })
}

/// Copies `text` to the clipboard.
pub async fn copy(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let clipboard = window.navigator().clipboard();
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|e| js_error(&e))
}

/// Opens `url` in a new tab; `false` when the browser (or a sandbox)
/// refused, so the caller shows the link instead.
pub fn open(url: &str) -> bool {
    web_sys::window()
        .and_then(|w| {
            w.open_with_url_and_target_and_features(url, "_blank", "noopener")
                .ok()
        })
        .is_some_and(|w| w.is_some())
}

/// Moves focus to the element with this id inside `root`, after the next
/// frame so a step that just opened has rendered.
pub fn focus_later(root: NodeRef<leptos::html::Div>, selector: String) {
    request_animation_frame(move || {
        let Some(root) = root.get_untracked() else {
            return;
        };
        if let Ok(Some(el)) = root.query_selector(&selector)
            && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = el.focus();
        }
    });
}

/// Reads a file the person picked.
pub async fn read_file(file: web_sys::File) -> Result<String, String> {
    JsFuture::from(file.text())
        .await
        .map_err(|e| js_error(&e))?
        .as_string()
        .ok_or_else(|| "the file is not text".to_owned())
}

/// Sets a User Timing mark (seen in the browser's performance tools and
/// read by `scripts/bench-web`); a page without the API just has no mark.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// A User Timing measure from the mark `since` to now.
pub fn measure(name: &str, since: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.measure_with_start_mark(name, since);
    }
}
