//! The baseline for the form's startup benchmark (`scripts/bench-web`):
//! the smallest useful Leptos page, one input and one text derived from it,
//! built with the same profile and flags as the form and measured in the
//! same browser run. It is not shipped.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// The page: an input and the text it derives.
pub fn page() -> impl IntoView {
    let name = RwSignal::new(String::new());
    view! {
        <label for="name">"Incident title"</label>
        <input id="name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
        <p>{move || format!("{} characters", name.with(String::len))}</p>
    }
}

/// Mounts the page into the document's body.
#[wasm_bindgen]
pub fn start() {
    leptos::mount::mount_to_body(page);
}
