//! Step 4: exactly one chain-level fix, owned, dated and testable, at the
//! level that produced the incident, with an optional check binding the
//! Action verifies.

use leptos::prelude::*;
use postmortem::model::{ChainLevel, Login, TestBinding};

use super::{Control, field, optional, select_field, step_frame};
use crate::form::{FormState, Pending, Step, finding_list};
use crate::time::{DATE_HINT, parse_date};

/// The fix step's view.
pub fn view(form: FormState) -> AnyView {
    let levels = std::iter::once(("", "Choose the level".to_owned()))
        .chain(ChainLevel::ALL.iter().map(|l| (l.code(), l.label())))
        .collect();
    let body = view! {
        <p class="rule">"One fix: the rest go to the retro, or to the next postmortem if they recur."</p>
        {select_field(
            form,
            "fix.level",
            "Level of the fix".into(),
            levels,
            |pm| pm.fix.level.map(|l| l.code().to_owned()).unwrap_or_default(),
            |pm, v| pm.fix.level = v.parse::<ChainLevel>().ok(),
        )}
        <p class="hint">
            {move || {
                let found = form.pm.with(|pm| pm.walk.contributing());
                if found.is_empty() {
                    "The walk has not found a contributing level yet.".to_owned()
                } else {
                    format!(
                        "The walk found: {}.",
                        found.iter().map(|l| l.label()).collect::<Vec<_>>().join(", ")
                    )
                }
            }}
        </p>
        {field(
            form,
            "fix.statement".into(),
            "What changes, at that level".into(),
            Some("About the level, never about a person, e.g. the cold-cache warming job ships in the current cycle."),
            Control::Prose,
            |pm| pm.fix.statement.clone(),
            |pm, t| {
                pm.fix.statement = t.to_owned();
                Ok(())
            },
        )}
        {field(
            form,
            "fix.owner".into(),
            "Owner (GitHub login)".into(),
            Some("Without @, e.g. senior-dev"),
            Control::Line,
            |pm| pm.fix.owner.as_ref().map(ToString::to_string).unwrap_or_default(),
            |pm, t| {
                pm.fix.owner = optional(t, str::parse::<Login>)?;
                Ok(())
            },
        )}
        {field(
            form,
            "fix.due".into(),
            "Live by (date)".into(),
            Some(DATE_HINT),
            Control::Line,
            |pm| pm.fix.due.map(|d| d.to_string()).unwrap_or_default(),
            |pm, t| {
                pm.fix.due = optional(t, parse_date)?;
                Ok(())
            },
        )}
        {field(
            form,
            "fix.test.statement".into(),
            "Test: what proves it works".into(),
            Some("An observable outcome, e.g. queue.render.p95 stays below 500ms during the next cold start."),
            Control::Prose,
            |pm| pm.fix.test.statement.clone(),
            |pm, t| {
                pm.fix.test.statement = t.to_owned();
                Ok(())
            },
        )}
        {binding(form)}
    };
    step_frame(
        form,
        Step::Fix,
        "One fix, owned, dated, testable, at the level that produced the incident.",
        body.into_any(),
    )
}

const KIND: &str = "fix.test.binding.kind";
const TARGET: &str = "fix.test.binding.target";
const BRANCH: &str = "fix.test.binding.branch";
const DETAIL: &str = "fix.test.binding.detail";
const PARTS: [&str; 4] = [KIND, TARGET, BRANCH, DETAIL];

/// The optional check binding: which CI result proves the test. Its four
/// parts only make a binding together, so they are kept as typed until
/// they do.
fn binding(form: FormState) -> impl IntoView {
    let part = move |path: &'static str| {
        form.pending
            .with(|p| p.get(path).map(|e| e.text.clone()))
            .unwrap_or_else(|| {
                form.pm.with(|pm| match &pm.fix.test.binding {
                    None => String::new(),
                    Some(b) => match path {
                        KIND => b.kind().to_owned(),
                        TARGET => b.target().to_owned(),
                        BRANCH => b.branch().to_owned(),
                        _ => b.detail().unwrap_or_default().to_owned(),
                    },
                })
            })
    };
    let change = move |path: &'static str, value: String| {
        let mut parts = PARTS.map(part);
        if let Some(i) = PARTS.iter().position(|p| *p == path) {
            parts[i] = value;
        }
        if parts[0].is_empty() {
            form.pm.update(|pm| pm.fix.test.binding = None);
            for (p, text) in PARTS.into_iter().zip(parts).skip(1) {
                form.set_pending(
                    p,
                    (!text.is_empty()).then_some(Pending { text, error: None }),
                );
            }
            form.set_pending(KIND, None);
            return;
        }
        let [kind, target, branch, detail] = &parts;
        match TestBinding::new(kind, target.trim(), branch.trim(), detail.trim()) {
            Ok(b) => {
                form.pm.update(|pm| pm.fix.test.binding = Some(b));
                for p in PARTS {
                    form.set_pending(p, None);
                }
            }
            Err(e) => {
                form.pm.update(|pm| pm.fix.test.binding = None);
                // The message goes to the part it is about.
                let at = match e.kind {
                    "branch" => BRANCH,
                    "job name" | "app" | "creator" => DETAIL,
                    _ => TARGET,
                };
                let msg = e.to_string();
                for (p, text) in PARTS.into_iter().zip(parts) {
                    let error = (p == at).then(|| msg.clone());
                    form.set_pending(p, Some(Pending { text, error }));
                }
            }
        }
    };
    let kind_id = form.id(KIND);
    let findings = form.watch_findings("fix.test.binding");
    let findings_id = form.id("fix.test.binding-findings");
    let line = move |path: &'static str, label: &'static str, hint: &'static str| {
        let id = form.id(path);
        let err_id = format!("{id}-error");
        let hint_id = format!("{id}-hint");
        let error = move || {
            form.pending
                .with(|p| p.get(path).and_then(|e| e.error.clone()))
                .filter(|_| form.shows(path))
        };
        let (e2, h2) = (err_id.clone(), hint_id.clone());
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <p class="hint" id=hint_id>{hint}</p>
                <input
                    type="text"
                    id=id
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || part(path)
                    aria-invalid=move || error().map(|_| "true")
                    aria-describedby=move || if error().is_some() { format!("{h2} {e2}") } else { h2.clone() }
                    on:input=move |ev| change(path, event_target_value(&ev))
                    on:change=move |_| form.touch(path)
                />
                {move || error().map(|e| view! { <p class="parse-error" id=err_id.clone()>{e}</p> })}
            </div>
        }
    };
    view! {
        <fieldset class="binding" id=form.id("fix.test.binding") tabindex="-1">
            <legend>"Check binding (optional): the CI result the Action verifies before the due date"</legend>
            <p class="hint">"Without one, nothing verifies the fix: its issue is closed by hand, with evidence."</p>
            {move || finding_list(findings.get(), findings_id.clone())}
            <div class="field">
                <label for=kind_id.clone()>"Kind of result"</label>
                <select id=kind_id on:change=move |ev| {
                    change(KIND, event_target_value(&ev));
                    form.touch(KIND);
                }>
                    {[("", "No binding"), ("workflow", "A workflow run"), ("check-run", "A check run"), ("status", "A commit status")]
                        .into_iter()
                        .map(|(v, t)| view! { <option value=v prop:selected=move || part(KIND) == v>{t}</option> })
                        .collect_view()}
                </select>
            </div>
            {line(TARGET, "Workflow file, check name or status context", "e.g. cold-start-p95.yml")}
            {line(BRANCH, "Branch", "e.g. main")}
            {line(DETAIL, "Job, app or account", "A workflow: the job that is the test (empty: the whole run). A check run: the app that posts it, e.g. github-actions. A status: the account that posts it, e.g. ci-bot.")}
        </fieldset>
    }
}
