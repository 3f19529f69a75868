//! The form's state and the field widgets every step is built from.
//!
//! The state is one [`Postmortem`] signal, the draft's pending texts (what
//! was typed where it does not parse yet, or reads differently from how the
//! postmortem shows it back) and the core's findings, recomputed shortly
//! after each change. A field shows exactly the findings whose
//! [`FieldPath`](postmortem::model::FieldPath) is its own, so what the form
//! shows at a field is what the CLI and the Action report for it, in the
//! form's wording.
//!
//! Findings wait until the person has had the chance to get the field
//! right ([`Seen`]): a field shows them once it has been edited and left,
//! or once the person has moved on from its step; until then it shows its
//! guidance. A pristine form shows no errors.

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

/// The draft's pending texts: field path to [`Pending`], in path order,
/// stored as a JSON object. A sorted list rather than a `BTreeMap`: the
/// drafts hold a handful, and the map's code is a few kilobytes of the
/// form's download.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PendingTexts(Vec<(String, Pending)>);

impl PendingTexts {
    fn find(&self, path: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(path))
    }

    /// The text pending at `path`.
    pub fn get(&self, path: &str) -> Option<&Pending> {
        self.find(path).ok().map(|i| &self.0[i].1)
    }

    /// Sets the text pending at `path`.
    pub fn insert(&mut self, path: String, entry: Pending) {
        match self.find(&path) {
            Ok(i) => self.0[i].1 = entry,
            Err(i) => self.0.insert(i, (path, entry)),
        }
    }

    /// Forgets the text pending at `path`.
    pub fn remove(&mut self, path: &str) {
        if let Ok(i) = self.find(path) {
            self.0.remove(i);
        }
    }

    /// Keeps the entries `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &Pending) -> bool) {
        self.0.retain(|(k, v)| keep(k, v));
    }

    /// Every path and its pending text, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Pending)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for PendingTexts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for PendingTexts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = PendingTexts;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of field paths to pending texts")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<PendingTexts, A::Error> {
                let mut out = PendingTexts::default();
                while let Some((path, entry)) = map.next_entry::<String, Pending>()? {
                    out.insert(path, entry);
                }
                Ok(out)
            }
        }
        d.deserialize_map(Visitor)
    }
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

    fn bit(self) -> u8 {
        1 << (self.number() - 1)
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

/// Where the person has had the chance to get things right: the steps
/// they have moved on from (a bit per step) and the fields they have
/// edited and left. Saved with the draft, so a restored draft shows what
/// it showed before.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seen {
    /// Bit `n - 1` for step `n` left (the review step reveals them all).
    steps: u8,
    /// Fields edited and left (a handful: a list).
    fields: Vec<String>,
}

impl Seen {
    /// The stored form: the steps' bits, then each field on its own line
    /// (`"5\nfix.owner"`). A string in the draft rather than a struct:
    /// a struct's serde would cost the form a kilobyte.
    pub fn to_text(&self) -> String {
        let mut text = self.steps.to_string();
        for f in &self.fields {
            text.push('\n');
            text.push_str(f);
        }
        text
    }

    /// Every step left: after an import of a whole postmortem.
    pub fn all() -> Seen {
        Seen {
            steps: u8::MAX,
            fields: Vec::new(),
        }
    }

    /// Whether the findings at `path` are shown.
    pub fn shows(&self, path: &str) -> bool {
        self.left(Step::of_path(path)) || self.fields.iter().any(|f| f == path)
    }

    /// Whether the person has moved on from `step`.
    pub fn left(&self, step: Step) -> bool {
        self.steps & step.bit() != 0
    }

    /// Reads [`Seen::to_text`]; anything else shows nothing yet.
    pub fn from_text(text: &str) -> Seen {
        let mut lines = text.split('\n');
        let steps = lines.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        let fields = lines.map(str::to_owned).collect();
        Seen { steps, fields }
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
    pub pending: RwSignal<PendingTexts>,
    /// The core's findings for the current postmortem.
    pub findings: RwSignal<Vec<Finding>>,
    /// Where findings are shown yet.
    pub seen: RwSignal<Seen>,
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
    /// Fired after a change that did not come from typing in a field
    /// (import, discard, another tab's version, sorting or removing
    /// entries): every field re-reads its text. Typing in one field does
    /// not make the other fields re-read, so a long timeline stays fast.
    pub reread: Trigger,
    /// The fields on screen, each with the findings it shows: after a
    /// lint run only the fields whose findings changed are redrawn.
    pub watchers: StoredValue<Watchers>,
}

/// The findings signal of every field on screen. A field's registration
/// number is its slot; a slot is emptied when its field goes and reused by
/// the next field. (Slots rather than a map: one collection type fewer in
/// the WebAssembly.)
#[derive(Default)]
pub struct Watchers {
    slots: Vec<Option<(String, RwSignal<Vec<Finding>>)>>,
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
        self.open(Step::of_path(path));
        crate::browser::focus_later(self.root, format!("#{}", self.id(path)));
    }

    /// Opens `step` and moves focus to its heading.
    pub fn go_to_step(&self, step: Step) {
        self.open(step);
        crate::browser::focus_later(self.root, "[data-step-heading]".to_owned());
    }

    /// Opens `step`: the step on screen has been left, so its findings
    /// show from now on (all of them once the person reaches review).
    fn open(&self, step: Step) {
        let mut seen = self.seen.get_untracked();
        seen.steps |= if step == Step::Review {
            u8::MAX
        } else {
            self.step.get_untracked().bit()
        };
        self.reveal(seen);
        self.step.set(step);
    }

    /// The field at `path` was edited and left: its findings show from
    /// now on.
    pub fn touch(&self, path: &str) {
        let mut seen = self.seen.get_untracked();
        if !seen.fields.iter().any(|f| f == path) {
            seen.fields.push(path.to_owned());
            self.reveal(seen);
        }
    }

    /// Shows findings where `seen` says, redrawing the fields it changes.
    pub fn reveal(&self, seen: Seen) {
        if self.seen.with_untracked(|s| *s != seen) {
            self.seen.set(seen);
            self.findings.with_untracked(|fs| self.redraw(fs));
        }
    }

    /// Whether the findings at `path` are shown (tracked).
    pub fn shows(&self, path: &str) -> bool {
        self.seen.with(|s| s.shows(path))
    }

    /// A signal with the findings at exactly `path` once they are shown,
    /// kept current by [`FormState::set_findings`] while the calling view
    /// lives.
    pub fn watch_findings(&self, path: &str) -> RwSignal<Vec<Finding>> {
        let signal = RwSignal::new(self.findings_at(path));
        let watchers = self.watchers;
        let slot = watchers.try_update_value(|w| {
            let entry = Some((path.to_owned(), signal));
            match w.slots.iter().position(Option::is_none) {
                Some(free) => {
                    w.slots[free] = entry;
                    free
                }
                None => {
                    w.slots.push(entry);
                    w.slots.len() - 1
                }
            }
        });
        on_cleanup(move || {
            if let Some(slot) = slot {
                watchers.try_update_value(|w| w.slots[slot] = None);
            }
        });
        signal
    }

    /// Stores a lint run's findings and redraws exactly the fields whose
    /// findings changed.
    pub fn set_findings(&self, findings: Vec<Finding>) {
        self.redraw(&findings);
        let _ = self.findings.try_set(findings);
    }

    /// Gives every field on screen the findings it shows now.
    fn redraw(&self, findings: &[Finding]) {
        let Some(seen) = self.seen.try_get_untracked() else {
            return;
        };
        self.watchers.with_value(|w| {
            for (path, signal) in w.slots.iter().flatten() {
                let shown = shown_at(&seen, findings, path);
                let changed = signal.try_with_untracked(|old| !old.iter().eq(shown.clone()));
                if changed == Some(true) {
                    signal.set(shown.cloned().collect());
                }
            }
        });
    }

    /// Changes the postmortem from outside its fields (an import, a
    /// discard, a sort) and has every field re-read its text.
    pub fn replace(&self, change: impl FnOnce(&mut Postmortem)) {
        self.pm.update(change);
        self.reread.notify();
    }

    fn findings_at(&self, path: &str) -> Vec<Finding> {
        let seen = self.seen.get_untracked();
        self.findings
            .with_untracked(|fs| shown_at(&seen, fs, path).cloned().collect())
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
            .with_untracked(|p| p.iter().any(|(k, _)| k.starts_with(prefix)))
        {
            self.pending
                .update(|p| p.retain(|k, _| !k.starts_with(prefix)));
        }
    }
}

/// The findings that point at exactly `path`, once they are shown.
/// `Seen` is asked only where a finding points: a lint run visits every
/// field on screen, and most have none.
fn shown_at<'a>(
    seen: &'a Seen,
    findings: &'a [Finding],
    path: &'a str,
) -> impl Iterator<Item = &'a Finding> + Clone {
    findings
        .iter()
        .filter(move |f| f.field.as_str() == path && seen.shows(path))
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
    // The field's text and parse error live in signals of its own: typing
    // here updates them, and a change from elsewhere (an import, a
    // discard) reaches them through `reread`; a keystroke in another field
    // touches neither, whatever the length of the timeline.
    let read = {
        let (path, get) = (path.clone(), get.clone());
        move || {
            form.pending
                .with_untracked(|p| p.get(&path).cloned())
                .map(|e| (e.text, e.error))
                .unwrap_or_else(|| (form.pm.with_untracked(|pm| get(pm)), None))
        }
    };
    let (text, error) = read();
    let value = RwSignal::new(text);
    let parse_error = RwSignal::new(error);
    let show = move |(text, error): (String, Option<String>)| {
        if value.try_with_untracked(|v| *v != text) == Some(true) {
            value.set(text);
        }
        if parse_error.try_with_untracked(|e| *e != error) == Some(true) {
            parse_error.set(error);
        }
    };
    // Whether this field's parse error shows: its own signal, so a field
    // left elsewhere redraws no other field (a form-wide one would rerun
    // every field's closures on each blur, 2,000 on a 500-entry timeline).
    let visible = RwSignal::new(form.seen.with_untracked(|s| s.shows(&path)));
    let p6 = path.clone();
    Effect::new(move |first: Option<()>| {
        form.reread.track();
        if first.is_some() {
            show(read());
            visible.set(form.seen.with_untracked(|s| s.shows(&p6)));
        }
    });
    let findings = form.watch_findings(&path);
    let p4 = path.clone();
    // Leaving a field after editing it (even back to what it held) shows
    // its findings from then on.
    let edited = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (e1, p5) = (edited.clone(), path.clone());
    let on_blur = move |_| {
        if e1.load(std::sync::atomic::Ordering::Relaxed) {
            form.touch(&p5);
            visible.set(true);
        }
    };
    // A parse error waits like a finding.
    let parse_error = move || parse_error.get().filter(|_| visible.get());
    let on_input = move |ev: leptos::ev::Event| {
        edited.store(true, std::sync::atomic::Ordering::Relaxed);
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
                text: raw.clone(),
                error: None,
            }),
            Err(error) => Some(Pending {
                text: raw.clone(),
                error: Some(error),
            }),
        };
        show((raw, entry.as_ref().and_then(|e| e.error.clone())));
        form.set_pending(&p4, entry);
    };
    let (hint_a, error_a, findings_a) = (hint_id.clone(), error_id.clone(), findings_id.clone());
    let described_by = move || {
        let mut ids = Vec::new();
        if hint.is_some() {
            ids.push(hint_a.clone());
        }
        if parse_error().is_some() {
            ids.push(error_a.clone());
        }
        if !findings.with(Vec::is_empty) {
            ids.push(findings_a.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let invalid = move || {
        let bad = parse_error().is_some()
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
                on:blur=on_blur
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
                on:blur=on_blur
            ></textarea>
        }
        .into_any(),
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {input}
            {move || parse_error().map(|e| view! { <p class="parse-error" id=error_id.clone()>{e}</p> })}
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
    let findings = form.watch_findings(path);
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
