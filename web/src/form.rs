//! The form's state and the field widgets every step is built from.
//!
//! The state is one [`Postmortem`] signal, the draft's pending texts (what
//! was typed where it does not parse yet, or reads differently from how the
//! postmortem shows it back) and the core's findings, recomputed shortly
//! after each change. A field shows exactly the findings whose
//! [`FieldPath`](postmortem::model::FieldPath) is its own, so what the form
//! shows at a field is what the CLI and the Action report for it.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use postmortem::lint::{Finding, Severity};
use postmortem::model::Postmortem;
use serde::{Deserialize, Serialize};

use crate::config::Config;

/// Text typed into a field that the postmortem does not hold as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    /// The text as typed.
    pub text: String,
    /// Why it does not parse, when it does not.
    #[serde(default)]
    pub error: Option<String>,
}

/// The steps of the guided flow, in the practice's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// The incident, who holds the postmortem and the 72-hour clock.
    Incident,
    /// The timeline written during the incident.
    Timeline,
    /// The walk of the five chain levels.
    Walk,
    /// The one chain-level fix.
    Fix,
    /// The runbook update and the ADRs.
    Runbook,
    /// Leadership who read the artefact.
    Readers,
    /// The rendered document, the findings and submission.
    Review,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 7] = [
        Step::Incident,
        Step::Timeline,
        Step::Walk,
        Step::Fix,
        Step::Runbook,
        Step::Readers,
        Step::Review,
    ];

    /// The step's name, as the navigation and its heading show it.
    pub fn title(self) -> &'static str {
        match self {
            Step::Incident => "Incident",
            Step::Timeline => "Timeline",
            Step::Walk => "Walk the chain levels",
            Step::Fix => "One chain-level fix",
            Step::Runbook => "Runbook and ADRs",
            Step::Readers => "Readers",
            Step::Review => "Review and submit",
        }
    }

    /// 1-based position.
    pub fn number(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    /// The step after this one.
    pub fn next(self) -> Option<Step> {
        Step::ALL.get(self.number()).copied()
    }

    /// The step before this one.
    pub fn previous(self) -> Option<Step> {
        self.number().checked_sub(2).map(|i| Step::ALL[i])
    }

    /// The step that shows the field at `path`.
    pub fn of_path(path: &str) -> Step {
        let head = path.split(['.', '[']).next().unwrap_or("");
        match head {
            "timeline" => Step::Timeline,
            "walk" => Step::Walk,
            "fix" => Step::Fix,
            "runbook" | "adrs" => Step::Runbook,
            "readers" => Step::Readers,
            _ => Step::Incident,
        }
    }
}

/// How the last save went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveStatus {
    /// Nothing saved yet in this session.
    Idle,
    /// A saved draft was restored.
    Restored(String),
    /// Saved at this time.
    Saved(String),
    /// The draft was discarded.
    Discarded,
    /// The browser refused to store it.
    Failed(String),
}

/// Everything a step needs: the state of one mounted form.
#[derive(Clone, Copy)]
pub struct FormState {
    /// The postmortem being written.
    pub pm: RwSignal<Postmortem>,
    /// Field path to text typed there that the postmortem does not hold as
    /// typed.
    pub pending: RwSignal<BTreeMap<String, Pending>>,
    /// The core's findings for the current postmortem.
    pub findings: RwSignal<Vec<Finding>>,
    /// The step on screen.
    pub step: RwSignal<Step>,
    /// How the last save went.
    pub saved: RwSignal<SaveStatus>,
    /// The configuration from the embedding page.
    pub config: StoredValue<Config>,
    /// Prefix of every element id of this instance.
    pub prefix: StoredValue<String>,
    /// The form's root element, to move focus inside it.
    pub root: NodeRef<leptos::html::Div>,
    /// The last action's outcome, announced politely.
    pub notice: RwSignal<String>,
    /// A problem the person must see (storage refused, a failed import).
    pub alert: RwSignal<Option<String>>,
}

impl FormState {
    /// The element id of the field at `path`, unique per instance.
    pub fn id(&self, path: &str) -> String {
        let mut id = self.prefix.get_value();
        let mut last_dash = id.ends_with('-');
        for c in path.chars() {
            if c.is_ascii_alphanumeric() || c == '_' {
                id.push(c);
                last_dash = false;
            } else if !last_dash {
                id.push('-');
                last_dash = true;
            }
        }
        id.trim_end_matches('-').to_owned()
    }

    /// Opens the step that shows `path` and moves focus to its field.
    pub fn go_to_field(&self, path: &str) {
        self.step.set(Step::of_path(path));
        crate::browser::focus_later(self.root, format!("#{}", self.id(path)));
    }

    /// Opens `step` and moves focus to its heading.
    pub fn go_to_step(&self, step: Step) {
        self.step.set(step);
        crate::browser::focus_later(self.root, "[data-step-heading]".to_owned());
    }

    /// The findings at exactly `path`.
    pub fn findings_at(&self, path: &str) -> Vec<Finding> {
        self.findings.with(|fs| {
            fs.iter()
                .filter(|f| f.field.as_str() == path)
                .cloned()
                .collect()
        })
    }

    /// Records the text typed at `path`: pending when it does not parse or
    /// reads back differently, cleared otherwise. Only writes when
    /// something changed, so the other fields do not redraw.
    pub fn set_pending(&self, path: &str, entry: Option<Pending>) {
        let same = self
            .pending
            .with_untracked(|p| p.get(path) == entry.as_ref());
        if !same {
            self.pending.update(|p| match entry {
                Some(e) => {
                    p.insert(path.to_owned(), e);
                }
                None => {
                    p.remove(path);
                }
            });
        }
    }

    /// Forgets the pending texts of every field under `prefix` (after a
    /// list entry is removed, its indices no longer mean the same field).
    pub fn clear_pending_under(&self, prefix: &str) {
        if self
            .pending
            .with_untracked(|p| p.keys().any(|k| k.starts_with(prefix)))
        {
            self.pending
                .update(|p| p.retain(|k, _| !k.starts_with(prefix)));
        }
    }
}

/// What kind of control a field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// One line.
    Line,
    /// Several lines.
    Prose,
}

/// The list of findings for one field, linked from it by id.
pub fn finding_list(findings: Vec<Finding>, id: String) -> AnyView {
    (!findings.is_empty()).then(|| {
        view! {
            <ul class="findings" id=id>
                {findings
                    .into_iter()
                    .map(|f| {
                        let (class, word) = match f.severity {
                            Severity::Error => ("finding finding-error", "Error"),
                            Severity::Warning => ("finding finding-warning", "Warning"),
                        };
                        view! {
                            <li class=class>
                                <strong>{format!("{word} {}: ", f.code)}</strong>
                                {f.message}
                                {f.quote.map(|q| view! { <span class="quote">{format!(" (“{q}”)")}</span> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
    .into_any()
}

/// A labelled text field bound to one field of the postmortem.
///
/// `get` shows the field's value; `set` stores typed text into the
/// postmortem, or says why it cannot. Text that does not parse, or that
/// reads back differently from how it was typed, stays in the draft's
/// pending texts, so nothing typed is lost or rewritten under the cursor.
pub fn field<G, S>(
    form: FormState,
    path: String,
    label: String,
    hint: Option<&'static str>,
    control: Control,
    get: G,
    set: S,
) -> AnyView
where
    G: Fn(&Postmortem) -> String + Send + Sync + 'static,
    S: Fn(&mut Postmortem, &str) -> Result<(), String> + Send + Sync + 'static,
{
    // One non-generic body for every field keeps the WebAssembly small.
    field_view(
        form,
        path,
        label,
        hint,
        control,
        Arc::new(get),
        Arc::new(set),
    )
}

/// Reads one field's text from the postmortem.
pub type Getter = Arc<dyn Fn(&Postmortem) -> String + Send + Sync>;
/// Stores one field's text into the postmortem, or says why it cannot.
pub type Setter = Arc<dyn Fn(&mut Postmortem, &str) -> Result<(), String> + Send + Sync>;

fn field_view(
    form: FormState,
    path: String,
    label: String,
    hint: Option<&'static str>,
    control: Control,
    get: Getter,
    set: Setter,
) -> AnyView {
    let id = form.id(&path);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let findings_id = format!("{id}-findings");
    let p1 = path.clone();
    let g1 = get.clone();
    let value = move || {
        form.pending
            .with(|p| p.get(&p1).map(|e| e.text.clone()))
            .unwrap_or_else(|| form.pm.with(|pm| g1(pm)))
    };
    let p2 = path.clone();
    let parse_error = Memo::new(move |_| {
        form.pending
            .with(|p| p.get(&p2).and_then(|e| e.error.clone()))
    });
    let p3 = path.clone();
    let findings = Memo::new(move |_| form.findings_at(&p3));
    let p4 = path.clone();
    let on_input = move |ev: leptos::ev::Event| {
        let raw = event_target_value(&ev);
        let mut result = Ok(());
        let mut shown = String::new();
        form.pm.update(|pm| {
            result = set(pm, &raw);
            shown = get(pm);
        });
        let entry = match result {
            Ok(()) if shown == raw => None,
            Ok(()) => Some(Pending {
                text: raw,
                error: None,
            }),
            Err(error) => Some(Pending {
                text: raw,
                error: Some(error),
            }),
        };
        form.set_pending(&p4, entry);
    };
    let (hint_a, error_a, findings_a) = (hint_id.clone(), error_id.clone(), findings_id.clone());
    let described_by = move || {
        let mut ids = Vec::new();
        if hint.is_some() {
            ids.push(hint_a.clone());
        }
        if parse_error.with(Option::is_some) {
            ids.push(error_a.clone());
        }
        if !findings.with(Vec::is_empty) {
            ids.push(findings_a.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let invalid = move || {
        let bad = parse_error.with(Option::is_some)
            || findings.with(|fs| fs.iter().any(|f| f.severity == Severity::Error));
        bad.then_some("true")
    };
    let input = match control {
        Control::Line => view! {
            <input
                type="text"
                id=id.clone()
                name=path.clone()
                autocomplete="off"
                spellcheck="false"
                prop:value=value
                aria-describedby=described_by
                aria-invalid=invalid
                on:input=on_input
            />
        }
        .into_any(),
        Control::Prose => view! {
            <textarea
                id=id.clone()
                name=path.clone()
                rows="3"
                prop:value=value
                aria-describedby=described_by
                aria-invalid=invalid
                on:input=on_input
            ></textarea>
        }
        .into_any(),
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {input}
            {move || parse_error.get().map(|e| view! { <p class="parse-error" id=error_id.clone()>{e}</p> })}
            {move || finding_list(findings.get(), findings_id.clone())}
        </div>
    }
    .into_any()
}

/// The findings that point at a whole group (`timeline`, `walk`,
/// `runbook`), shown at the top of its step; the element can take focus
/// so the summary can lead there.
pub fn group_findings(form: FormState, path: &'static str) -> AnyView {
    let id = form.id(path);
    let findings = Memo::new(move |_| form.findings_at(path));
    view! {
        <div id=id tabindex="-1" class="group-findings">
            {move || finding_list(findings.get(), form.id(&format!("{path}-findings")))}
        </div>
    }
    .into_any()
}

/// Turns an empty text into `None`, else parses it.
pub fn optional<T, E: std::fmt::Display>(
    text: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<Option<T>, String> {
    let t = text.trim();
    if t.is_empty() {
        Ok(None)
    } else {
        parse(t).map(Some).map_err(|e| e.to_string())
    }
}
