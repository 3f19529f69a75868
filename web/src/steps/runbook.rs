//! Step 5: before the postmortem closes, the runbook that was used learns
//! what worked, what did not and what would be faster; the ADRs the
//! incident re-opens are named with a day for the conversation.

use std::sync::Arc;

use leptos::prelude::*;
use postmortem::model::{AdrImplication, RepoPath};

use super::{Control, field, group_findings, optional, step_frame};
use crate::form::{FormState, Step};
use crate::time::{DATE_HINT, parse_date};
use crate::ui::items;

/// The runbook step's view.
pub fn view(form: FormState) -> AnyView {
    let body = view! {
        {group_findings(form, "runbook")}
        {field(
            form,
            "runbook.path".into(),
            "Runbook used (path in the repository)".into(),
            Some("e.g. runbooks/RB-021.md: the postmortem is published next to it"),
            Control::Line,
            |pm| pm.runbook.path.as_ref().map(ToString::to_string).unwrap_or_default(),
            |pm, t| {
                pm.runbook.path = optional(t, str::parse::<RepoPath>)?;
                Ok(())
            },
        )}
        {field(form, "runbook.worked".into(), "What worked".into(), None, Control::Prose,
            |pm| pm.runbook.worked.clone(),
            |pm, t| { pm.runbook.worked = t.to_owned(); Ok(()) })}
        {field(form, "runbook.did_not_work".into(), "What did not work".into(), None, Control::Prose,
            |pm| pm.runbook.did_not_work.clone(),
            |pm, t| { pm.runbook.did_not_work = t.to_owned(); Ok(()) })}
        {field(form, "runbook.faster_next_time".into(), "What would be faster next time".into(), None, Control::Prose,
            |pm| pm.runbook.faster_next_time.clone(),
            |pm, t| { pm.runbook.faster_next_time = t.to_owned(); Ok(()) })}
        <h4>"ADRs the incident re-opens"</h4>
        <p class="hint">"If the incident exposes a decision that should be re-opened, name the ADR and schedule the conversation."</p>
        <ol class="adrs">
            {items(
                Memo::new(move |_| form.pm.with(|pm| pm.adrs.len())),
                Arc::new(move |i| adr(form, i).into_any()),
            )}
        </ol>
        <button
            type="button"
            class="secondary"
            on:click=move |_| form.pm.update(|pm| pm.adrs.push(AdrImplication::default()))
        >
            "Add an ADR"
        </button>
    };
    step_frame(
        form,
        Step::Runbook,
        "Update the runbook that was used, today, and name the decisions to re-open.",
        body.into_any(),
    )
}

fn adr(form: FormState, i: usize) -> AnyView {
    let legend = format!("ADR {}", i + 1);
    view! {
        <li>
            <fieldset id=form.id(&format!("adrs[{i}]")) tabindex="-1">
                <legend>{legend.clone()}</legend>
                {field(form, format!("adrs[{i}].path"), "ADR file".into(), Some("e.g. docs/adr/0012-cache-warming-in-deploy.md"), Control::Line,
                    move |pm| pm.adrs.get(i).and_then(|a| a.path.as_ref()).map(ToString::to_string).unwrap_or_default(),
                    move |pm, t| {
                        let path = optional(t, str::parse::<RepoPath>)?;
                        if let Some(a) = pm.adrs.get_mut(i) { a.path = path; }
                        Ok(())
                    })}
                {field(form, format!("adrs[{i}].title"), "Title".into(), None, Control::Line,
                    move |pm| pm.adrs.get(i).map(|a| a.title.clone()).unwrap_or_default(),
                    move |pm, t| { if let Some(a) = pm.adrs.get_mut(i) { a.title = t.to_owned(); } Ok(()) })}
                {field(form, format!("adrs[{i}].why"), "Why the incident re-opens it".into(), None, Control::Prose,
                    move |pm| pm.adrs.get(i).map(|a| a.why.clone()).unwrap_or_default(),
                    move |pm, t| { if let Some(a) = pm.adrs.get_mut(i) { a.why = t.to_owned(); } Ok(()) })}
                {field(form, format!("adrs[{i}].conversation_on"), "Conversation scheduled on".into(), Some(DATE_HINT), Control::Line,
                    move |pm| pm.adrs.get(i).and_then(|a| a.conversation_on).map(|d| d.to_string()).unwrap_or_default(),
                    move |pm, t| {
                        let day = optional(t, parse_date)?;
                        if let Some(a) = pm.adrs.get_mut(i) { a.conversation_on = day; }
                        Ok(())
                    })}
                <button
                    type="button"
                    class="secondary small"
                    on:click=move |_| {
                        form.clear_pending_under("adrs[");
                        form.replace(|pm| { if i < pm.adrs.len() { pm.adrs.remove(i); } });
                    }
                >
                    {format!("Remove {legend}")}
                </button>
            </fieldset>
        </li>
    }
    .into_any()
}
