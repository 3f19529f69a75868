//! Small, type-erased building blocks for the views.
//!
//! Repeated shapes of the timeline step (buttons, status lines, reactive
//! text, a list that grows) built through non-generic helpers, so each
//! shape is compiled once. (Measured: on this form, erasing view types
//! barely changes the module's size; the helpers stay for readability.)

use std::sync::Arc;

use leptos::prelude::*;

/// A click handler, erased.
pub type Action = Arc<dyn Fn() + Send + Sync>;

/// Text that follows the state, erased.
pub fn text(f: impl Fn() -> String + Send + Sync + 'static) -> Signal<String> {
    Signal::derive(f)
}

/// Text that never changes.
pub fn fixed(s: impl Into<String>) -> Signal<String> {
    Signal::stored(s.into())
}

/// Wraps a click handler.
pub fn action(f: impl Fn() + Send + Sync + 'static) -> Action {
    Arc::new(f)
}

/// A `type="button"` button.
pub fn button(class: &'static str, label: Signal<String>, on: Action) -> AnyView {
    view! { <button type="button" class=class on:click=move |_| on()>{label}</button> }.into_any()
}

/// A region of the view that is rebuilt when the state it reads changes.
pub fn dynamic(f: impl Fn() -> AnyView + Send + Sync + 'static) -> AnyView {
    let f: Arc<dyn Fn() -> AnyView + Send + Sync> = Arc::new(f);
    (move || f()).into_any()
}

/// A paragraph announced politely to screen readers when it changes.
pub fn status(class: &'static str, message: Signal<String>) -> AnyView {
    view! { <p role="status" class=class>{message}</p> }.into_any()
}

/// `len` items, each built by `item` once: when the list grows only the new
/// items are built, when it shrinks only the last ones go (the items are
/// keyed by position; a field re-reads its text through the form's
/// `reread` when entries move). Adding the 501st timeline entry during an
/// incident costs one entry, not 501.
pub fn items(len: Memo<usize>, item: Arc<dyn Fn(usize) -> AnyView + Send + Sync>) -> AnyView {
    view! { <For each=move || 0..len.get() key=|i| *i children=move |i| item(i) /> }.into_any()
}

/// A bulleted list of texts, with an id so fields can point at it.
pub fn text_list(class: &'static str, id: String, lines: Vec<String>) -> AnyView {
    view! {
        <ul class=class id=id>
            {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect::<Vec<_>>()}
        </ul>
    }
    .into_any()
}
