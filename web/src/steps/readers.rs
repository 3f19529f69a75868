//! Step 6: leadership reads the artefact itself, not a summary.

use leptos::prelude::*;
use postmortem::model::Reader;

use super::{Control, field, parse_list, step_frame};
use crate::form::{FormState, Step};

/// The readers step's view.
pub fn view(form: FormState) -> AnyView {
    let body = field(
        form,
        "readers".into(),
        "Who must read it".into(),
        Some("One per line: a GitHub login (alice) or a team (acme/leadership), without @."),
        Control::Prose,
        |pm| {
            pm.readers
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        },
        |pm, t| {
            let (items, error) = parse_list(t, false, str::parse::<Reader>);
            pm.readers = items;
            error.map_or(Ok(()), Err)
        },
    );
    step_frame(
        form,
        Step::Readers,
        "The postmortem is read by leadership directly, not summarised in a meeting: the artefact is the medium.",
        body.into_any(),
    )
}
