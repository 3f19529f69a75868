//! Step 1: the incident the postmortem is bound to, who holds it, when it
//! is held (the 72-hour clock) and who took part.

use leptos::prelude::*;
use postmortem::model::{HolderRole, Login, ServiceName, Severity};

use super::{Control, default_offset, field, optional, parse_list, select_field, step_frame};
use crate::form::{FormState, Step};
use crate::time::{TIMESTAMP_HINT, format_timestamp, parse_timestamp};

macro_rules! time_field {
    ($form:expr, $path:literal, $label:literal, $($field:ident).+) => {
        field(
            $form,
            $path.into(),
            $label.into(),
            Some(TIMESTAMP_HINT),
            Control::Line,
            |pm| pm.$($field).+.as_ref().map(format_timestamp).unwrap_or_default(),
            |pm, t| {
                let offset = default_offset(pm);
                pm.$($field).+ = optional(t, |t| parse_timestamp(t, offset))?;
                Ok(())
            },
        )
    };
}

/// The incident step's view.
pub fn view(form: FormState) -> AnyView {
    let severities = std::iter::once(("", "Choose a severity".to_owned()))
        .chain(
            Severity::ALL
                .iter()
                .map(|s| (s.as_str(), s.as_str().to_owned())),
        )
        .collect();
    let roles = vec![
        ("", "Choose a role".to_owned()),
        ("tech-lead", "Tech lead".to_owned()),
        ("on-call", "The on-call who held the bridge".to_owned()),
    ];
    let body = view! {
        {field(
            form,
            "incident.id".into(),
            "Incident id".into(),
            Some("Letters, digits, '.', '_' or '-', e.g. INC-2026-0142"),
            Control::Line,
            |pm| pm.incident.id.as_ref().map(|i| i.to_string()).unwrap_or_default(),
            |pm, t| {
                pm.incident.id = optional(t, str::parse)?;
                Ok(())
            },
        )}
        {field(
            form,
            "incident.title".into(),
            "Title".into(),
            Some("One line, e.g. queue.render p95 above 2s for graders"),
            Control::Line,
            |pm| pm.incident.title.clone(),
            |pm, t| {
                pm.incident.title = t.to_owned();
                Ok(())
            },
        )}
        {select_field(
            form,
            "incident.severity",
            "Severity".into(),
            severities,
            |pm| pm.incident.severity.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            |pm, v| pm.incident.severity = v.parse::<Severity>().ok(),
        )}
        {field(
            form,
            "incident.services".into(),
            "Services".into(),
            Some("Separated by commas, e.g. queue-render"),
            Control::Line,
            |pm| pm.incident.services.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
            |pm, t| {
                let (items, error) = parse_list(t, true, str::parse::<ServiceName>);
                pm.incident.services = items;
                error.map_or(Ok(()), Err)
            },
        )}
        {time_field!(form, "incident.started_at", "Started at (T+0:00)", incident.started_at)}
        {time_field!(form, "incident.detected_at", "Detected at", incident.detected_at)}
        {time_field!(form, "incident.mitigated_at", "Mitigated at (user impact stopped)", incident.mitigated_at)}
        {time_field!(form, "incident.resolved_at", "Resolved at (watch closed)", incident.resolved_at)}
        {field(
            form,
            "incident.user_impact".into(),
            "User impact".into(),
            Some("Who saw what, in numbers where possible."),
            Control::Prose,
            |pm| pm.incident.user_impact.clone(),
            |pm, t| {
                pm.incident.user_impact = t.to_owned();
                Ok(())
            },
        )}
        {field(
            form,
            "holder.login".into(),
            "Held by (GitHub login)".into(),
            Some("The TL, or the on-call who held the bridge; without @, e.g. senior-dev"),
            Control::Line,
            |pm| pm.holder.login.as_ref().map(ToString::to_string).unwrap_or_default(),
            |pm, t| {
                pm.holder.login = optional(t, str::parse::<Login>)?;
                Ok(())
            },
        )}
        {select_field(
            form,
            "holder.role",
            "Holder's role".into(),
            roles,
            |pm| pm.holder.role.map(|r| r.as_str().to_owned()).unwrap_or_default(),
            |pm, v| pm.holder.role = v.parse::<HolderRole>().ok(),
        )}
        {time_field!(form, "held_at", "Postmortem held at", held_at)}
        {field(
            form,
            "participants".into(),
            "Participants".into(),
            Some("One per line, as the timeline names them. Names appear only in the timeline: the linter looks for them everywhere else."),
            Control::Prose,
            |pm| pm.participants.join("\n"),
            |pm, t| {
                pm.participants = t
                    .lines()
                    .map(postmortem::model::normalize_line)
                    .filter(|l| !l.is_empty())
                    .collect();
                Ok(())
            },
        )}
    };
    step_frame(
        form,
        Step::Incident,
        "A postmortem is bound to one incident and held within 72 hours of it.",
        body.into_any(),
    )
}
