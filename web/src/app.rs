//! The form as a whole: its state, the autosave and the debounced findings,
//! the step navigation, the 72-hour clock and the draft bar (save status,
//! export, import, discard) shown on every step.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

use gloo_timers::callback::{Interval, Timeout};
use leptos::prelude::*;
use postmortem::check::{Form as TextForm, read};
use postmortem::document::render;
use postmortem::lint::{Audience, Finding, Severity, lint_for};
use postmortem::model::time::format_clock;
use postmortem::model::{Postmortem, to_json};
use wasm_bindgen::JsCast;

use crate::config::Config;
use crate::draft::{self, Draft};
use crate::form::{FormState, SaveStatus, Seen, Step};
use crate::steps;
use crate::time::{clock_sentence, now};

/// How long typing pauses before the findings are recomputed.
pub const LINT_DELAY_MS: u32 = 150;
/// How long typing pauses before the draft is saved (it is also saved when
/// the page hides and when the form unmounts).
pub const SAVE_DELAY_MS: u32 = 400;

/// Where the form registers its "save now" function, so unmounting can
/// save before the form's state is dropped.
pub type FlushSlot = Rc<RefCell<Option<Box<dyn Fn()>>>>;

static INSTANCES: AtomicUsize = AtomicUsize::new(0);

/// The core's findings, in the form's words.
pub fn lint(pm: &Postmortem) -> Vec<Finding> {
    lint_for(pm, Audience::Form)
}

/// A new postmortem, prefilled from the embedding page.
pub fn fresh(config: &Config) -> Postmortem {
    let mut pm = Postmortem::default();
    pm.incident.id = config.incident.clone();
    pm.runbook.path = config.runbook.clone();
    pm
}

/// The whole form. `flush` receives the function that saves immediately.
pub fn app(config: Config, flush: FlushSlot) -> impl IntoView {
    let key = config.storage_key();
    let blank = fresh(&config);
    let (initial, restored) = match draft::load(&key) {
        Ok(Some(d)) => (d, SaveStatus::Restored(key.clone())),
        Ok(None) => (Draft::new(blank.clone()), SaveStatus::Idle),
        Err(e) => (Draft::new(blank.clone()), SaveStatus::Failed(e.0)),
    };
    let n = INSTANCES.fetch_add(1, Ordering::Relaxed) + 1;
    let first_findings = lint(&initial.postmortem);
    let form = FormState {
        pm: RwSignal::new(initial.postmortem),
        pending: RwSignal::new(initial.pending),
        findings: RwSignal::new(first_findings),
        seen: RwSignal::new(Seen::from_text(&initial.seen)),
        step: RwSignal::new(Step::Incident),
        saved: RwSignal::new(restored),
        config: StoredValue::new(config),
        prefix: StoredValue::new(format!("pmf{n}-")),
        root: NodeRef::new(),
        notice: RwSignal::new(String::new()),
        alert: RwSignal::new(None),
        reread: Trigger::new(),
        watchers: StoredValue::new(Default::default()),
    };
    let key = StoredValue::new(key);
    let blank = StoredValue::new(blank);

    // Findings, recomputed once typing pauses.
    let lint_timer = StoredValue::new_local(None::<Timeout>);
    Effect::new(move |prev: Option<()>| {
        form.pm.track();
        if prev.is_some() {
            lint_timer.set_value(Some(Timeout::new(LINT_DELAY_MS, move || {
                crate::browser::mark("postmortem:lint");
                if let Some(findings) = form.pm.try_with_untracked(lint) {
                    crate::browser::measure("postmortem:rules", "postmortem:lint");
                    form.set_findings(findings);
                }
            })));
        }
    });

    // Another tab or window saved this draft: autosave stops until the
    // person chooses which version to keep, so neither is overwritten
    // unseen.
    let conflict = RwSignal::new(false);
    // What this tab last stored: a write of the same text is skipped, and
    // another tab storing the same text is no conflict.
    let last_stored = StoredValue::new(None::<String>);

    // Autosave.
    let save_timer = StoredValue::new_local(None::<Timeout>);
    let write = move || {
        if conflict.try_get_untracked() != Some(false) {
            return;
        }
        let Some(pm) = form.pm.try_get_untracked() else {
            return;
        };
        let pending = form.pending.get_untracked();
        if pm == blank.get_value() && pending.is_empty() {
            return;
        }
        let draft = Draft {
            version: draft::DRAFT_VERSION,
            postmortem: pm,
            pending,
            seen: form.seen.with_untracked(Seen::to_text),
        };
        let stored = draft.to_json();
        if last_stored.with_value(|last| last.as_deref() == Some(stored.as_str())) {
            return;
        }
        match draft::save(&key.get_value(), &stored) {
            Ok(()) => {
                last_stored.set_value(Some(stored));
                form.saved.set(SaveStatus::Saved(clock_time()));
            }
            Err(e) => form.saved.set(SaveStatus::Failed(e.0)),
        }
    };
    Effect::new(move |prev: Option<()>| {
        form.pm.track();
        form.pending.track();
        form.seen.track();
        if prev.is_some() {
            save_timer.set_value(Some(Timeout::new(SAVE_DELAY_MS, write)));
        }
    });
    let save_now = move || {
        if save_timer.try_with_value(Option::is_some) == Some(true) {
            save_timer.set_value(None);
            write();
        }
    };
    *flush.borrow_mut() = Some(Box::new(save_now));
    let hide = window_event_listener(leptos::ev::pagehide, move |_| save_now());
    let hidden = window_event_listener(leptos::ev::visibilitychange, move |_| save_now());
    let other_tab = window_event_listener(leptos::ev::storage, move |ev| {
        let ours = ev.key().as_deref() == key.try_get_value().as_deref();
        let same = last_stored.try_with_value(|last| *last == ev.new_value()) == Some(true);
        if ours && !same {
            let _ = conflict.try_set(true);
        }
    });
    on_cleanup(move || {
        hide.remove();
        hidden.remove();
        other_tab.remove();
    });

    // The 72-hour clock, ticking every 30 seconds.
    let tick = RwSignal::new(now());
    let interval = Interval::new(30_000, move || {
        let _ = tick.try_set(now());
    });
    StoredValue::new_local(interval);

    provide_context(form);
    let title_id = form.id("title");
    let labelled_by = title_id.clone();
    view! {
        <div class="pm" node_ref=form.root>
            <form novalidate aria-labelledby=labelled_by on:submit=|ev| ev.prevent_default()>
                <header class="head">
                    <h2 id=title_id>
                        {move || form.pm.with(|pm| match &pm.incident.id {
                            Some(id) => format!("Postmortem {id}"),
                            None => "Postmortem".to_owned(),
                        })}
                    </h2>
                    <p class=move || {
                        form.pm.with(|pm| clock_sentence(pm.incident.started_at, pm.held_at, tick.get()).1).class()
                    }>
                        <span class="clock-label">"72-hour clock: "</span>
                        {move || form.pm.with(|pm| clock_sentence(pm.incident.started_at, pm.held_at, tick.get()).0)}
                    </p>
                    {problems(form)}
                </header>
                {nav(form)}
                {move || match form.step.get() {
                    Step::Incident => steps::incident::view(form).into_any(),
                    Step::Timeline => steps::timeline::view(form).into_any(),
                    Step::Walk => steps::walk::view(form).into_any(),
                    Step::Fix => steps::fix::view(form).into_any(),
                    Step::Runbook => steps::runbook::view(form).into_any(),
                    Step::Readers => steps::readers::view(form).into_any(),
                    Step::Review => steps::review::view(form).into_any(),
                }}
                {back_next(form)}
                {draft_bar(form, key, blank, conflict, last_stored)}
            </form>
        </div>
    }
}

/// The time of day for "draft saved at".
fn clock_time() -> String {
    format_clock(now())
}

/// The attribute problems of the embedding page, if any.
fn problems(form: FormState) -> impl IntoView {
    let problems = form.config.with_value(|c| c.problems.clone());
    (!problems.is_empty()).then(|| {
        view! {
            <ul class="config-problems">
                {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
            </ul>
        }
    })
}

/// The steps, each with its count of the errors shown (none for a step
/// the person has not had the chance to get right yet).
fn nav(form: FormState) -> impl IntoView {
    view! {
        <nav class="steps" aria-label="Steps">
            <ol>
                {Step::ALL
                    .into_iter()
                    .map(|step| {
                        let errors = move || {
                            form.seen.with(|seen| {
                                let findings = form.findings.with(|fs| {
                                    fs.iter()
                                        .filter(|f| f.severity == Severity::Error && Step::of_path(f.field.as_str()) == step && seen.shows(f.field.as_str()))
                                        .count()
                                });
                                let unread = form.pending.with(|p| {
                                    p.iter().filter(|(k, e)| e.error.is_some() && Step::of_path(k) == step && seen.shows(k)).count()
                                });
                                findings + unread
                            })
                        };
                        view! {
                            <li>
                                <button
                                    type="button"
                                    aria-current=move || (form.step.get() == step).then_some("step")
                                    on:click=move |_| form.go_to_step(step)
                                >
                                    {format!("{}. {}", step.number(), step.title())}
                                    {move || {
                                        let n = errors();
                                        (n > 0 && step != Step::Review).then(|| view! {
                                            <span class="badge">{format!(" ({n} {})", if n == 1 { "error" } else { "errors" })}</span>
                                        })
                                    }}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

fn back_next(form: FormState) -> impl IntoView {
    view! {
        <div class="back-next">
            {move || form.step.get().previous().map(|s| view! {
                <button type="button" class="secondary" on:click=move |_| form.go_to_step(s)>
                    {format!("Back: {}", s.title())}
                </button>
            })}
            {move || form.step.get().next().map(|s| view! {
                <button type="button" class="primary" on:click=move |_| form.go_to_step(s)>
                    {format!("Next: {}", s.title())}
                </button>
            })}
        </div>
    }
}

/// The file name of an export: the incident id, else `postmortem`.
fn file_stem(pm: &Postmortem) -> String {
    pm.incident
        .id
        .as_ref()
        .map_or_else(|| "postmortem".to_owned(), |id| format!("postmortem-{id}"))
}

/// Save status, export, import and discard: on every step, so the work can
/// always leave the browser, even when storage fails.
fn draft_bar(
    form: FormState,
    key: StoredValue<String>,
    blank: StoredValue<Postmortem>,
    conflict: RwSignal<bool>,
    last_stored: StoredValue<Option<String>>,
) -> impl IntoView {
    // Ends the pause and saves this tab's version, whatever is stored now.
    let save_again = move || {
        conflict.set(false);
        last_stored.set_value(None);
        form.pm.update(|_| ());
    };
    let load_other = move |_| match draft::load(&key.get_value()) {
        Ok(Some(d)) => {
            last_stored.set_value(Some(d.to_json()));
            form.pending.set(d.pending);
            form.reveal(Seen::from_text(&d.seen));
            form.replace(|pm| *pm = d.postmortem);
            conflict.set(false);
            form.saved.set(SaveStatus::Restored(key.get_value()));
            form.notice
                .set("Loaded the version saved in the other tab.".to_owned());
        }
        Ok(None) => {
            save_again();
            form.notice.set(
                "The other tab discarded this draft; this tab's version is kept and saved."
                    .to_owned(),
            );
        }
        Err(e) => {
            // `draft::load` kept the unreadable text under its own key.
            save_again();
            form.alert.set(Some(format!(
                "The other tab's version could not be read ({}); this tab's version is kept.",
                e.0
            )));
        }
    };
    let keep_this = move |_| {
        save_again();
        form.notice
            .set("Keeping this tab's version; it replaces the other.".to_owned());
    };
    let confirming = RwSignal::new(false);
    let manual_copy: RwSignal<Option<String>> = RwSignal::new(None);
    let file_id = form.id("import-file");
    let export = move |markdown: bool| {
        let pm = form.pm.with_untracked(Postmortem::normalized);
        let stem = file_stem(&pm);
        let result = if markdown {
            crate::browser::download(&format!("{stem}.md"), "text/markdown", &render(&pm))
        } else {
            crate::browser::download(&format!("{stem}.json"), "application/json", &to_json(&pm))
        };
        let file = format!("{stem}.{}", if markdown { "md" } else { "json" });
        match result {
            // A frame's sandbox can refuse the download without a word to
            // the page, so the person is told what to do if none came.
            Ok(()) if crate::browser::framed() => form.notice.set(format!(
                "Exported {file}. If no file arrived, this page blocks downloads from the form: use Copy Markdown instead (the Markdown imports back into the form too)."
            )),
            Ok(()) => form.notice.set(format!("Exported {file}.")),
            Err(e) => form.alert.set(Some(format!(
                "The download failed ({e}): use Copy Markdown instead."
            ))),
        }
    };
    let copy = move |_| {
        let doc = form.pm.with_untracked(|pm| render(&pm.normalized()));
        leptos::task::spawn_local(async move {
            match crate::browser::copy(&doc).await {
                Ok(()) => {
                    let _ = form
                        .notice
                        .try_set("The Markdown document is on your clipboard.".to_owned());
                    let _ = manual_copy.try_set(None);
                }
                Err(_) => {
                    let _ = form.notice.try_set(
                        "This page may not use the clipboard: the document is shown below, selected; press Ctrl+C (Cmd+C) to copy it.".to_owned(),
                    );
                    let _ = manual_copy.try_set(Some(doc));
                    crate::browser::focus_later(form.root, "textarea.manual-copy".to_owned());
                }
            }
        });
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        leptos::task::spawn_local(async move {
            let name = file.name();
            let text = match crate::browser::read_file(file).await {
                Ok(t) => t,
                Err(e) => {
                    let _ = form
                        .alert
                        .try_set(Some(format!("{name} could not be read: {e}")));
                    return;
                }
            };
            match read(TextForm::detect(Some(&name), &text), &text) {
                Ok(r) => {
                    form.pending.set(Default::default());
                    form.replace(|pm| *pm = r.postmortem);
                    // A whole postmortem brought in has had its chance.
                    form.reveal(Seen::all());
                    form.alert.set(None);
                    form.notice.set(format!("Imported {name}."));
                }
                Err(e) => form
                    .alert
                    .set(Some(format!("{name} was not imported: {e}"))),
            }
        });
    };
    let discard = move |_| {
        let _ = draft::remove(&key.get_value());
        last_stored.set_value(None);
        form.pending.set(Default::default());
        form.replace(|pm| *pm = blank.get_value());
        form.saved.set(SaveStatus::Discarded);
        confirming.set(false);
        form.go_to_step(Step::Incident);
        form.reveal(Seen::default());
    };
    view! {
        <section class="draft-bar" aria-label="Draft">
            <p role="status" class="status">
                {move || match form.saved.get() {
                    _ if conflict.get() => "Saving paused: another tab saved this draft.".to_owned(),
                    SaveStatus::Idle => "Your draft is saved in this browser as you type.".to_owned(),
                    SaveStatus::Restored(_) => "Restored your saved draft.".to_owned(),
                    SaveStatus::Saved(t) => format!("Draft saved at {t}."),
                    SaveStatus::Discarded => "Draft discarded.".to_owned(),
                    SaveStatus::Failed(_) => "Draft not saved.".to_owned(),
                }}
                " "
                {move || form.notice.get()}
            </p>
            <div role="alert" class="alerts">
                {move || match form.saved.get() {
                    SaveStatus::Failed(e) => Some(view! {
                        <p class="warning">
                            {format!("This browser did not let the form save your draft ({e}). Your work stays in this page while it is open: export it before you leave.")}
                        </p>
                    }),
                    _ => None,
                }}
                {move || form.alert.get().map(|a| view! { <p class="warning">{a}</p> })}
                {move || conflict.get().then(|| view! {
                    <div class="warning">
                        <p>"This draft was just saved in another tab or window. Saving here is paused so neither version is overwritten unseen: choose the one to keep."</p>
                        <button type="button" class="secondary" on:click=load_other>"Load the other version"</button>
                        " "
                        <button type="button" class="secondary" on:click=keep_this>"Keep this tab's version"</button>
                    </div>
                })}
            </div>
            <div class="buttons">
                <button type="button" class="secondary" on:click=move |_| export(false)>"Export JSON"</button>
                <button type="button" class="secondary" on:click=move |_| export(true)>"Export Markdown"</button>
                <button type="button" class="secondary" on:click=copy>"Copy Markdown"</button>
                <span class="file">
                    <label for=file_id.clone()>"Import JSON or Markdown"</label>
                    <input type="file" id=file_id accept=".json,.md,.markdown,application/json,text/markdown,text/plain" on:change=import />
                </span>
                {move || if confirming.get() {
                    view! {
                        <span class="confirm">
                            <span>"Discard everything typed in this draft?"</span>
                            <button type="button" class="danger" on:click=discard>"Yes, discard"</button>
                            <button type="button" class="secondary" on:click=move |_| confirming.set(false)>"Keep it"</button>
                        </span>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="secondary" on:click=move |_| confirming.set(true)>"Discard draft…"</button>
                    }.into_any()
                }}
            </div>
            {move || manual_copy.get().map(|doc| view! {
                <div class="field">
                    <label for=form.id("manual-copy")>"The document, to copy by hand"</label>
                    <textarea id=form.id("manual-copy") class="manual-copy" readonly rows="8"
                        on:focus=|ev| {
                            if let Some(t) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
                                t.select();
                            }
                        }
                    >{doc}</textarea>
                </div>
            })}
        </section>
    }
}
