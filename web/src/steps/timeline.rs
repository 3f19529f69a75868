//! Step 2: the timeline written during the incident. A live mode for use
//! *during* the incident (Enter adds an entry stamped now), the import of
//! the on-call's pasted notes through the core's parser, and the entries.

use std::sync::Arc;

use leptos::prelude::*;
use postmortem::model::{TimelineEntry, Timestamp};
use postmortem::timeline::{
    ImportOptions, LineError, Merged, import, in_time_order, merge, sort_by_time,
};

use super::{Control, default_offset, field, group_findings, optional, step_frame};
use crate::form::{FormState, Step};
use crate::time::{TIMESTAMP_HINT, format_timestamp, now, parse_timestamp};
use crate::ui::{action, button, dynamic, fixed, items, status, text, text_list};

/// The timeline step's view.
pub fn view(form: FormState) -> AnyView {
    let len = Memo::new(move |_| form.pm.with(|pm| pm.timeline.len()));
    let in_order = Memo::new(move |_| form.pm.with(|pm| in_time_order(&pm.timeline)));
    let body = view! {
        {group_findings(form, "timeline")}
        {live_mode(form)}
        {paste_import(form)}
        <h4 class="entries-heading">{text(move || format!("Entries ({})", len.get()))}</h4>
        <ol class="entries">{items(len, Arc::new(move |i| entry(form, i)))}</ol>
        // Shown only while the entries are out of time order. Hidden rather
        // than removed: swapping the button in and out of the view made the
        // browser re-lay out the whole list after it.
        <button
            type="button"
            class="secondary"
            hidden=move || in_order.get()
            on:click=move |_| {
                form.clear_pending_under("timeline[");
                form.replace(|pm| sort_by_time(&mut pm.timeline));
            }
        >
            "Sort the entries by time"
        </button>
        {button(
            "secondary",
            fixed("Add an entry by hand"),
            action(move || {
                let t = now();
                form.pm.update(|pm| {
                    pm.timeline.push(TimelineEntry {
                        at: t,
                        written_at: Some(t),
                        text: String::new(),
                        author: None,
                    })
                });
            }),
        )}
    };
    step_frame(
        form,
        Step::Timeline,
        "The postmortem opens with the timeline the on-call wrote during the incident. Do not reconstruct it now: if it is missing, that itself is the chain-level signal.",
        body.into_any(),
    )
}

/// Live mode: type what happened and press Enter. The entry is stamped with
/// the moment the first key of the line was typed (when it happened, as
/// near as the form can know) and written at the moment Enter was pressed.
fn live_mode(form: FormState) -> AnyView {
    let line = RwSignal::new(String::new());
    let author = RwSignal::new(String::new());
    let started: RwSignal<Option<Timestamp>> = RwSignal::new(None);
    let message = RwSignal::new(String::new());
    let live_id = form.id("live-text");
    let author_id = form.id("live-author");
    let hint_id = form.id("live-hint");
    let add = move || {
        let typed = line.get_untracked();
        if typed.trim().is_empty() {
            return;
        }
        let written = now();
        let at = started.get_untracked().unwrap_or(written);
        let who = postmortem::model::normalize_line(&author.get_untracked());
        form.pm.update(|pm| {
            pm.timeline.push(TimelineEntry {
                at,
                written_at: Some(written),
                text: typed.trim().to_owned(),
                author: (!who.is_empty()).then_some(who),
            });
        });
        message.set(format!(
            "Added at {}: {}",
            format_timestamp(&at),
            typed.trim()
        ));
        line.set(String::new());
        started.set(None);
    };
    let live_heading = format!("{live_id}-heading");
    let labelled_by = live_heading.clone();
    view! {
        <section class="live" aria-labelledby=labelled_by>
            <h4 id=live_heading>"Live mode: during the incident"</h4>
            <p class="hint" id=hint_id.clone()>
                "Type what just happened and press Enter: the entry is stamped now, and the time it was written is kept."
            </p>
            <div class="live-row">
                <div class="field">
                    <label for=live_id.clone()>"What just happened?"</label>
                    <input
                        type="text"
                        id=live_id
                        enterkeyhint="send"
                        autocomplete="off"
                        aria-describedby=hint_id
                        prop:value=line
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            if v.trim().is_empty() {
                                started.set(None);
                            } else if started.get_untracked().is_none() {
                                started.set(Some(now()));
                            }
                            line.set(v);
                        }
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                                ev.prevent_default();
                                add();
                            }
                        }
                    />
                </div>
                <div class="field field-narrow">
                    <label for=author_id.clone()>"Written by"</label>
                    <input
                        type="text"
                        id=author_id
                        autocomplete="off"
                        prop:value=author
                        on:input=move |ev| author.set(event_target_value(&ev))
                    />
                </div>
                {button("", fixed("Add entry"), action(add))}
            </div>
            {status("status", message.into())}
        </section>
    }
    .into_any()
}

/// Paste import of the on-call's notes through the core's timeline parser;
/// every line it cannot read is listed with its number and the form that
/// was expected.
fn paste_import(form: FormState) -> AnyView {
    let notes = RwSignal::new(String::new());
    let errors: RwSignal<Vec<LineError>> = RwSignal::new(Vec::new());
    let message = RwSignal::new(String::new());
    let paste_id = form.id("paste");
    let hint_id = format!("{paste_id}-hint");
    let errors_id = form.id("paste-errors");
    let (h, e) = (hint_id.clone(), errors_id.clone());
    let described_by = text(move || {
        if errors.with(Vec::is_empty) {
            h.clone()
        } else {
            format!("{h} {e}")
        }
    });
    let run = move || {
        let options = ImportOptions {
            incident_start: form.pm.with_untracked(|pm| pm.incident.started_at),
            offset: Some(form.pm.with_untracked(default_offset)),
            ..ImportOptions::default()
        };
        let result = import(&notes.get_untracked(), &options);
        let mut merged = Merged::default();
        if !result.entries.is_empty() {
            form.pm
                .update(|pm| merged = merge(&mut pm.timeline, result.entries));
            if merged.sorted {
                form.clear_pending_under("timeline[");
                form.reread.notify();
            }
        }
        message.set(import_message(merged, result.errors.len()));
        errors.set(result.errors);
    };
    view! {
        <details class="paste">
            <summary>"Import the on-call's notes"</summary>
            <div class="field">
                <label for=paste_id.clone()>"Paste the notes written during the incident"</label>
                <p class="hint" id=hint_id>
                    "T+0:00 lines, clock times under a dated header, Markdown tables, bullets or ISO-8601 times. T+ times count from the incident's start."
                </p>
                <textarea
                    id=paste_id
                    rows="6"
                    aria-describedby=described_by
                    prop:value=notes
                    on:input=move |ev| notes.set(event_target_value(&ev))
                ></textarea>
            </div>
            {button("", fixed("Import lines"), action(run))}
            {status("status", message.into())}
            {dynamic(move || {
                let lines: Vec<String> = errors.with(|es| es.iter().map(ToString::to_string).collect());
                if lines.is_empty() {
                    ().into_any()
                } else {
                    text_list("line-errors", errors_id.clone(), lines)
                }
            })}
        </details>
    }
    .into_any()
}

/// One sentence on what an import did.
fn import_message(merged: Merged, unread: usize) -> String {
    let plural = |n: usize, one: &'static str, many: &'static str| if n == 1 { one } else { many };
    let mut out = format!(
        "Imported {} {}",
        merged.added,
        plural(merged.added, "entry", "entries")
    );
    if merged.duplicates > 0 {
        out.push_str(&format!(
            " ({} already in the timeline, left out)",
            merged.duplicates
        ));
    }
    out.push_str(&format!(
        "; {unread} {} could not be read.",
        plural(unread, "line", "lines")
    ));
    out
}

/// One entry of the timeline.
fn entry(form: FormState, i: usize) -> AnyView {
    let legend = format!("Entry {}", i + 1);
    let at_field = field(
        form,
        format!("timeline[{i}].at"),
        "Happened at".into(),
        Some(TIMESTAMP_HINT),
        Control::Line,
        move |pm| {
            pm.timeline
                .get(i)
                .map(|e| format_timestamp(&e.at))
                .unwrap_or_default()
        },
        move |pm, t| {
            let offset = default_offset(pm);
            let at = parse_timestamp(t, offset)?;
            if let Some(e) = pm.timeline.get_mut(i) {
                e.at = at;
            }
            Ok(())
        },
    );
    let written_field = field(
        form,
        format!("timeline[{i}].written_at"),
        "Written at".into(),
        None,
        Control::Line,
        move |pm| {
            pm.timeline
                .get(i)
                .and_then(|e| e.written_at.as_ref())
                .map(format_timestamp)
                .unwrap_or_default()
        },
        move |pm, t| {
            let offset = default_offset(pm);
            let written = optional(t, |t| parse_timestamp(t, offset))?;
            if let Some(e) = pm.timeline.get_mut(i) {
                e.written_at = written;
            }
            Ok(())
        },
    );
    let author_field = field(
        form,
        format!("timeline[{i}].author"),
        "Written by".into(),
        None,
        Control::Line,
        move |pm| {
            pm.timeline
                .get(i)
                .and_then(|e| e.author.clone())
                .unwrap_or_default()
        },
        move |pm, t| {
            if let Some(e) = pm.timeline.get_mut(i) {
                e.author = (!t.trim().is_empty()).then(|| t.to_owned());
            }
            Ok(())
        },
    );
    let text_field = field(
        form,
        format!("timeline[{i}].text"),
        "What happened".into(),
        None,
        Control::Prose,
        move |pm| {
            pm.timeline
                .get(i)
                .map(|e| e.text.clone())
                .unwrap_or_default()
        },
        move |pm, t| {
            if let Some(e) = pm.timeline.get_mut(i) {
                e.text = t.to_owned();
            }
            Ok(())
        },
    );
    let remove = action(move || {
        form.clear_pending_under("timeline[");
        form.replace(|pm| {
            if i < pm.timeline.len() {
                pm.timeline.remove(i);
            }
        });
    });
    view! {
        <li class="entry">
            <fieldset id=form.id(&format!("timeline[{i}]")) tabindex="-1">
                <legend>{legend.clone()}</legend>
                <div class="entry-times">{at_field} {written_field} {author_field}</div>
                {text_field}
                {button("secondary small", fixed(format!("Remove {}", legend.to_ascii_lowercase())), remove)}
            </fieldset>
        </li>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_import_message_counts_what_was_added_left_out_and_unread() {
        let merged = Merged {
            added: 0,
            duplicates: 3,
            sorted: false,
        };
        assert_eq!(
            import_message(merged, 1),
            "Imported 0 entries (3 already in the timeline, left out); 1 line could not be read."
        );
        let one = Merged {
            added: 1,
            duplicates: 0,
            sorted: true,
        };
        assert_eq!(
            import_message(one, 2),
            "Imported 1 entry; 2 lines could not be read."
        );
    }
}
