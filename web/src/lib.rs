//! The guided postmortem form: a Leptos component compiled to WebAssembly
//! that embeds in any wiki page.
//!
//! The form follows the practice step by step (incident and the 72-hour
//! clock, the timeline written during the incident, the walk of the five
//! chain levels, one chain-level fix, the runbook and ADR updates, the
//! readers, and a review of the rendered document) and judges the draft
//! with the same core as the CLI and the Action, so what the form shows as
//! clean, CI finds clean.
//!
//! A custom element cannot be defined from Rust, so a small JavaScript
//! loader (`web/loader/postmortem-form.js`) defines `<postmortem-form>`,
//! opens its shadow root, adopts [`stylesheet`] and calls [`mount`] and
//! [`unmount`] with the element's lifecycle. The contract is documented in
//! `docs/embedding.md`.

pub mod app;
pub mod browser;
pub mod config;
pub mod draft;
pub mod form;
pub mod steps;
pub mod submit;
pub mod time;
pub mod ui;

use std::any::Any;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

pub use config::Config;

/// The form's CSS, for a constructed stylesheet adopted by the shadow root.
/// Colours are CSS custom properties (`--pm-*`) a host may override.
#[wasm_bindgen]
pub fn stylesheet() -> String {
    include_str!(concat!(env!("OUT_DIR"), "/style.css")).to_owned()
}

/// A mounted form. Unmounting (or dropping the handle, `handle.free()` in
/// JavaScript) saves the draft, removes the form and disposes of its state.
#[wasm_bindgen]
pub struct MountHandle {
    mounted: Option<Mounted>,
}

struct Mounted {
    flush: app::FlushSlot,
    handle: Box<dyn Any>,
    container: Option<web_sys::Element>,
}

#[wasm_bindgen]
impl MountHandle {
    /// Saves the draft and removes the form. Calling it twice does nothing.
    pub fn unmount(&mut self) {
        if let Some(mounted) = self.mounted.take() {
            if let Some(flush) = mounted.flush.borrow().as_ref() {
                flush();
            }
            drop(mounted.handle);
            if let Some(container) = mounted.container {
                container.remove();
            }
        }
    }

    /// Whether the form is still mounted.
    #[wasm_bindgen(getter)]
    pub fn mounted(&self) -> bool {
        self.mounted.is_some()
    }
}

impl Drop for MountHandle {
    fn drop(&mut self) {
        self.unmount();
    }
}

/// Mounts a form into `host`: a shadow root (the loader's case) or an
/// element. `config` is an object of strings named like an element's
/// `dataset` (`repo`, `runbook`, `incident`, `apiBase`, `githubUrl`,
/// `label`, `draftKey`).
#[wasm_bindgen]
pub fn mount(host: JsValue, config: JsValue) -> Result<MountHandle, JsValue> {
    let config = Config::from_js(&config);
    let (parent, container) = if let Some(root) = host.dyn_ref::<web_sys::ShadowRoot>() {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or_else(|| JsValue::from_str("no document"))?;
        let container = document.create_element("div")?;
        container.set_class_name("pm-host");
        root.append_child(&container)?;
        (
            container.clone().unchecked_into::<web_sys::HtmlElement>(),
            Some(container),
        )
    } else if let Some(element) = host.dyn_ref::<web_sys::HtmlElement>() {
        (element.clone(), None)
    } else {
        return Err(JsValue::from_str(
            "mount expects a ShadowRoot or an HTMLElement to mount into",
        ));
    };
    let flush: app::FlushSlot = Default::default();
    let slot = flush.clone();
    let handle = leptos::mount::mount_to(parent, move || app::app(config, slot).into_any());
    Ok(MountHandle {
        mounted: Some(Mounted {
            flush,
            handle: Box::new(handle),
            container,
        }),
    })
}

/// Unmounts a form mounted by [`mount`] (the same as `handle.unmount()`,
/// and freeing the handle).
#[wasm_bindgen]
pub fn unmount(mut handle: MountHandle) {
    handle.unmount();
}
