//! Step 3: the walk of the five chain levels. Each level asks the
//! practice's question: did this level produce or fail to catch the
//! incident?

use leptos::prelude::*;
use postmortem::model::{ChainLevel, FieldPath, Verdict};

use super::{Control, field, group_findings, step_frame};
use crate::form::{FormState, Step, finding_list};

/// The walk step's view.
pub fn view(form: FormState) -> AnyView {
    let body = view! {
        {group_findings(form, "walk")}
        {ChainLevel::ALL.into_iter().map(|level| level_view(form, level)).collect_view()}
    };
    step_frame(
        form,
        Step::Walk,
        "For each chain level: did this level produce or fail to catch the incident? The level that did is where the fix belongs; more monitoring (L5) is rarely the right level.",
        body.into_any(),
    )
}

fn level_view(form: FormState, level: ChainLevel) -> AnyView {
    let verdict_path = FieldPath::walk(level, "verdict").to_string();
    let group_id = form.id(&verdict_path);
    let findings_id = format!("{group_id}-findings");
    let vp = verdict_path.clone();
    let findings = form.watch_findings(&vp);
    let fid = findings_id.clone();
    let radios = [Verdict::No, Verdict::Possibly, Verdict::Yes]
        .into_iter()
        .map(|verdict| {
            let id = format!("{group_id}-{}", verdict.as_str());
            let text = match verdict {
                Verdict::No => "No",
                Verdict::Possibly => "Possibly",
                _ => "Yes",
            };
            view! {
                <div class="radio">
                    <input
                        type="radio"
                        id=id.clone()
                        name=group_id.clone()
                        value=verdict.as_str()
                        prop:checked=move || form.pm.with(|pm| pm.walk.get(level).verdict == verdict)
                        on:change=move |_| {
                            form.pm.update(|pm| pm.walk.get_mut(level).verdict = verdict);
                            form.touch(&FieldPath::walk(level, "verdict").to_string());
                        }
                    />
                    <label for=id>{text}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="level">
            <h4>{level.label()}</h4>
            <fieldset
                id=group_id.clone()
                tabindex="-1"
                class="verdict"
                aria-describedby=move || (!findings.with(Vec::is_empty)).then(|| fid.clone())
            >
                <legend>{level.question()}</legend>
                <div class="radios">{radios}</div>
            </fieldset>
            {move || finding_list(findings.get(), findings_id.clone())}
            {field(
                form,
                FieldPath::walk(level, "reasoning").to_string(),
                format!("Why? The evidence for {}", level.label()),
                None,
                Control::Prose,
                move |pm| pm.walk.get(level).reasoning.clone(),
                move |pm, t| {
                    pm.walk.get_mut(level).reasoning = t.to_owned();
                    Ok(())
                },
            )}
        </section>
    }
    .into_any()
}
