//! The steps of the guided flow, one module each, in the practice's
//! order: each owns its view and shows the findings for its fields.

pub mod fix;
pub mod incident;
pub mod readers;
pub mod review;
pub mod runbook;
pub mod timeline;
pub mod walk;

use leptos::prelude::*;
use postmortem::model::Postmortem;

use crate::form::{FormState, finding_list};

/// A labelled `<select>` bound to one field of the postmortem; its first
/// option is the empty choice.
pub fn select_field(
    form: FormState,
    path: &'static str,
    label: String,
    options: Vec<(&'static str, String)>,
    get: fn(&Postmortem) -> String,
    set: fn(&mut Postmortem, &str),
) -> AnyView {
    let id = form.id(path);
    let findings_id = format!("{id}-findings");
    let findings = form.watch_findings(path);
    let fid = findings_id.clone();
    let described_by = move || (!findings.with(Vec::is_empty)).then(|| fid.clone());
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                name=path
                aria-describedby=described_by
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    form.pm.update(|pm| set(pm, &v));
                    form.touch(path);
                }
            >
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        view! {
                            <option value=value prop:selected=move || form.pm.with(get) == value>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            {move || finding_list(findings.get(), findings_id.clone())}
        </div>
    }
    .into_any()
}

/// Splits a list typed one per line (or separated by commas when
/// `commas`), parsing each item; the error names every refused item.
pub fn parse_list<T, E: std::fmt::Display>(
    text: &str,
    commas: bool,
    parse: impl Fn(&str) -> Result<T, E>,
) -> (Vec<T>, Option<String>) {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let pieces = text.split(|c| c == '\n' || (commas && c == ','));
    for piece in pieces.map(str::trim).filter(|p| !p.is_empty()) {
        match parse(piece) {
            Ok(v) => items.push(v),
            Err(e) => errors.push(e.to_string()),
        }
    }
    (items, (!errors.is_empty()).then(|| errors.join("; ")))
}

/// The offset a time typed without one is read in: the incident start's,
/// else the browser's.
pub fn default_offset(pm: &Postmortem) -> chrono::FixedOffset {
    pm.incident
        .started_at
        .map(|t| *t.offset())
        .unwrap_or_else(|| *crate::time::now().offset())
}

/// The heading and wrapper every step shares: a fieldset whose legend is
/// the step's heading, which takes focus when the step opens.
pub fn step_frame(
    form: FormState,
    step: crate::form::Step,
    intro: &'static str,
    body: AnyView,
) -> AnyView {
    let heading_id = form.id(&format!("step-{}", step.number()));
    view! {
        <fieldset class="step" aria-describedby=format!("{heading_id}-intro")>
            <legend>
                <h3 id=heading_id.clone() tabindex="-1" data-step-heading="">
                    {format!("Step {} of {}: {}", step.number(), crate::form::Step::ALL.len(), step.title())}
                </h3>
            </legend>
            // One wrapper inside the fieldset: Chromium rebuilds the layout
            // of a fieldset's whole content when a direct child comes, goes
            // or changes display (measured: 350 ms per keystroke on a
            // 500-entry timeline), and never for a grandchild.
            <div class="step-body">
                <p class="intro" id=format!("{heading_id}-intro")>{intro}</p>
                {body}
            </div>
        </fieldset>
    }
    .into_any()
}

pub use crate::form::{Control, field, group_findings, optional};
