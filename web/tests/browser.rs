//! The form's components in a real browser (headless Chromium through
//! `wasm-bindgen-test-runner`): mounting into a shadow root, findings at
//! their field, text kept as typed, live mode, inert hostile text and the
//! review's rendered document.

#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use gloo_timers::future::sleep;
use postmortem::model::from_json;
use postmortem_web::{MountHandle, mount};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

const EXAMPLE: &str = include_str!("../../examples/queue-render.json");

/// A fresh host element with an open shadow root and a form mounted in it.
fn mounted(incident: &str) -> (ShadowRoot, MountHandle) {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let root = host
        .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
        .unwrap();
    let config = js_sys::Object::new();
    for (k, v) in [("repo", "acme/ops"), ("incident", incident)] {
        js_sys::Reflect::set(&config, &k.into(), &v.into()).unwrap();
    }
    let handle = mount(root.clone().into(), config.into()).unwrap();
    (root, handle)
}

fn find(root: &ShadowRoot, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} not found"))
}

/// The field whose id ends in `-<id>` (ids carry an instance prefix).
fn field(root: &ShadowRoot, id: &str) -> Element {
    find(root, &format!("[id$='-{id}']"))
}

/// Types `text` into a field the way the browser reports it: value, then
/// an `input` event.
fn type_into(el: &Element, text: &str) {
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        input.set_value(text);
    } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(text);
    }
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    el.dispatch_event(&event).unwrap();
    // A person types, then leaves the field: its findings show from then on.
    el.dispatch_event(&web_sys::Event::new("blur").unwrap())
        .unwrap();
}

fn press_enter(el: &Element) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    el.dispatch_event(&event).unwrap();
}

/// Clicks the step navigation button whose text contains `step`.
fn open_step(root: &ShadowRoot, step: &str) {
    let buttons = root.query_selector_all("nav button").unwrap();
    for i in 0..buttons.length() {
        let b: HtmlElement = buttons.get(i).unwrap().unchecked_into();
        if b.text_content().unwrap_or_default().contains(step) {
            b.click();
            return;
        }
    }
    panic!("no step {step}");
}

/// Lets the debounced findings and the reactive updates run.
async fn settle() {
    sleep(Duration::from_millis(300)).await;
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
async fn mounts_into_a_shadow_root_and_unmounts_cleanly() {
    let (root, mut handle) = mounted("INC-T1");
    settle().await;
    let heading = find(&root, "h2").text_content().unwrap();
    assert_eq!(heading, "Postmortem INC-T1");
    assert!(
        find(&root, "[data-step-heading]")
            .text_content()
            .unwrap()
            .contains("Step 1 of 7: Incident")
    );
    handle.unmount();
    assert!(root.query_selector(".pm-host").unwrap().is_none());
    assert!(!handle.mounted());
}

#[wasm_bindgen_test]
async fn findings_appear_at_their_field_and_leave_when_fixed() {
    storage().clear().unwrap();
    let (root, _handle) = mounted("INC-T2");
    settle().await;
    let title = field(&root, "incident-title");
    // Nothing shows on a pristine form; edited and left, the title speaks.
    assert!(root.query_selector(".findings").unwrap().is_none());
    type_into(&title, "");
    settle().await;
    let described = title.get_attribute("aria-describedby").unwrap_or_default();
    assert!(described.contains("incident-title-findings"), "{described}");
    let findings = field(&root, "incident-title-findings")
        .text_content()
        .unwrap();
    assert!(findings.contains("PM001"), "{findings}");
    assert_eq!(title.get_attribute("aria-invalid").as_deref(), Some("true"));
    type_into(&title, "queue.render p95 above 2s");
    settle().await;
    assert!(
        root.query_selector("[id$='-incident-title-findings']")
            .unwrap()
            .is_none()
    );
    assert_eq!(title.get_attribute("aria-invalid"), None);
}

#[wasm_bindgen_test]
async fn text_that_does_not_parse_is_kept_with_its_error_and_saved() {
    storage().clear().unwrap();
    let (root, mut handle) = mounted("INC-T3");
    settle().await;
    let login = field(&root, "holder-login");
    type_into(&login, "@senior-dev");
    settle().await;
    assert_eq!(
        login.unchecked_ref::<HtmlInputElement>().value(),
        "@senior-dev"
    );
    let error = field(&root, "holder-login-error").text_content().unwrap();
    assert!(error.contains("not a valid GitHub login"), "{error}");
    handle.unmount();
    let saved = storage()
        .get_item("postmortem-form:v1:acme/ops:INC-T3")
        .unwrap()
        .unwrap();
    assert!(saved.contains("@senior-dev"), "{saved}");
    // Mounting again restores the text as typed.
    let (root, _handle) = mounted("INC-T3");
    settle().await;
    let login = field(&root, "holder-login");
    assert_eq!(
        login.unchecked_ref::<HtmlInputElement>().value(),
        "@senior-dev"
    );
}

#[wasm_bindgen_test]
async fn live_mode_adds_an_entry_stamped_now_on_enter() {
    storage().clear().unwrap();
    let (root, _handle) = mounted("INC-T4");
    open_step(&root, "Timeline");
    settle().await;
    let live = field(&root, "live-text");
    type_into(&live, "alert fired");
    press_enter(&live);
    settle().await;
    let text = field(&root, "timeline-0-text");
    assert_eq!(
        text.unchecked_ref::<web_sys::HtmlTextAreaElement>().value(),
        "alert fired"
    );
    let written = field(&root, "timeline-0-written_at")
        .unchecked_into::<HtmlInputElement>()
        .value();
    assert!(!written.is_empty());
    assert_eq!(
        live.unchecked_ref::<HtmlInputElement>().value(),
        "",
        "ready for the next line"
    );
}

#[wasm_bindgen_test]
async fn hostile_text_stays_text() {
    storage().clear().unwrap();
    let (root, _handle) = mounted("INC-T5");
    settle().await;
    type_into(
        &field(&root, "incident-title"),
        "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>",
    );
    open_step(&root, "Review");
    settle().await;
    assert!(root.query_selector("img, script").unwrap().is_none());
    let pwned =
        js_sys::Reflect::get(&web_sys::window().unwrap(), &JsValue::from_str("pwned")).unwrap();
    assert!(pwned.is_undefined());
}

#[wasm_bindgen_test]
async fn the_review_shows_the_document_the_cli_renders() {
    let pm = from_json(EXAMPLE).unwrap();
    let draft = serde_json::json!({ "version": 1, "postmortem": pm, "pending": {} });
    storage()
        .set_item("postmortem-form:v1:acme/ops:INC-T6", &draft.to_string())
        .unwrap();
    let (root, _handle) = mounted("INC-T6");
    open_step(&root, "Review");
    settle().await;
    let preview = find(&root, ".preview").text_content().unwrap();
    assert_eq!(preview, postmortem::document::render(&pm.normalized()));
    let summary = find(&root, ".summary h4").text_content().unwrap();
    assert!(summary.contains("find nothing"), "{summary}");
}
