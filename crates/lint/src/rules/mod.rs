//! The catalogue: one rule per file, each with its code, name, severity,
//! level, the line of the practice it enforces and its tests.

use chrono::TimeDelta;
use postmortem_model::{ChainLevel, Postmortem};

use crate::Rule;

pub(crate) mod adr_conversation_not_scheduled;
pub(crate) mod adr_not_named;
pub(crate) mod fix_below_contributing_level;
pub(crate) mod fix_due_before_held;
pub(crate) mod fix_is_a_feeling;
pub(crate) mod fix_is_more_monitoring;
pub(crate) mod fix_level_missing;
pub(crate) mod fix_level_not_contributing;
pub(crate) mod fix_not_dated;
pub(crate) mod fix_not_owned;
pub(crate) mod fix_not_stated;
pub(crate) mod fix_not_testable;
pub(crate) mod held_at_missing;
pub(crate) mod held_late;
pub(crate) mod impact_not_stated;
pub(crate) mod incident_incomplete;
pub(crate) mod incident_times_out_of_order;
pub(crate) mod leadership_summarised;
pub(crate) mod names_outside_timeline;
pub(crate) mod no_holder;
pub(crate) mod no_service;
pub(crate) mod no_timeline;
pub(crate) mod runbook_not_named;
pub(crate) mod runbook_not_updated;
pub(crate) mod runbook_update_partial;
pub(crate) mod several_fixes;
pub(crate) mod target_not_markdown;
pub(crate) mod timeline_out_of_order;
pub(crate) mod timeline_reconstructed;
pub(crate) mod timeline_written_at_unknown;
pub(crate) mod timeline_written_before_event;
pub(crate) mod walk_found_no_level;
pub(crate) mod walk_level_unanswered;
pub(crate) mod walk_reasoning_missing;

/// Every rule, in code order.
pub(crate) static ALL: &[Rule] = &[
    incident_incomplete::RULE,
    held_late::RULE,
    held_at_missing::RULE,
    incident_times_out_of_order::RULE,
    no_holder::RULE,
    impact_not_stated::RULE,
    no_service::RULE,
    no_timeline::RULE,
    timeline_reconstructed::RULE,
    timeline_written_at_unknown::RULE,
    timeline_out_of_order::RULE,
    timeline_written_before_event::RULE,
    walk_level_unanswered::RULE,
    walk_reasoning_missing::RULE,
    walk_found_no_level::RULE,
    fix_level_missing::RULE,
    fix_level_not_contributing::RULE,
    several_fixes::RULE,
    fix_not_stated::RULE,
    fix_not_owned::RULE,
    fix_not_dated::RULE,
    fix_not_testable::RULE,
    fix_due_before_held::RULE,
    fix_is_more_monitoring::RULE,
    fix_is_a_feeling::RULE,
    names_outside_timeline::RULE,
    fix_below_contributing_level::RULE,
    leadership_summarised::RULE,
    runbook_not_named::RULE,
    runbook_not_updated::RULE,
    runbook_update_partial::RULE,
    adr_conversation_not_scheduled::RULE,
    adr_not_named::RULE,
    target_not_markdown::RULE,
];

/// Whether a prose field is empty (blank counts as empty).
pub(crate) fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// "the L3 Scope fix", or "the fix (which names no chain level)".
pub(crate) fn the_fix(pm: &Postmortem) -> String {
    match pm.fix.level {
        Some(level) => format!("the {} fix", level.label()),
        None => "the fix (which names no chain level yet)".to_owned(),
    }
}

/// "The L3 Scope fix", capitalised for the start of a message.
pub(crate) fn the_fix_cap(pm: &Postmortem) -> String {
    let s = the_fix(pm);
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => std::iter::once(c.to_ascii_uppercase())
            .chain(chars)
            .collect(),
        None => s,
    }
}

/// "L3 Scope" or "L3 Scope and L4 Execution" or "L1 Strategy, L3 Scope
/// and L4 Execution".
pub(crate) fn level_list(levels: &[ChainLevel]) -> String {
    let labels: Vec<String> = levels.iter().map(|l| l.label()).collect();
    match labels.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// A duration as people say it: "4 days 3 hours", "2 hours 5 minutes",
/// "40 minutes", "30 seconds".
pub(crate) fn human(d: TimeDelta) -> String {
    let secs = d.num_seconds().unsigned_abs();
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    let unit = |n: u64, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(unit(days, "day"));
    }
    if hours > 0 {
        parts.push(unit(hours, "hour"));
    }
    if days == 0 && minutes > 0 {
        parts.push(unit(minutes, "minute"));
    }
    if parts.is_empty() {
        parts.push(unit(secs, "second"));
    }
    parts.join(" ")
}

/// The practice's own example, `examples/queue-render.json`.
#[cfg(test)]
pub(crate) fn example() -> Postmortem {
    postmortem_model::from_json(include_str!("../../../../examples/queue-render.json"))
        .expect("the practice example reads")
}

/// The codes `rule` finds in `pm`.
#[cfg(test)]
pub(crate) fn codes(rule: &Rule, pm: &Postmortem) -> Vec<&'static str> {
    rule.check(pm).iter().map(|f| f.code).collect()
}

/// A timestamp from RFC 3339 text.
#[cfg(test)]
pub(crate) fn t(s: &str) -> postmortem_model::Timestamp {
    chrono::DateTime::parse_from_rfc3339(s).expect("RFC 3339")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_people_say_them() {
        assert_eq!(human(TimeDelta::hours(99)), "4 days 3 hours");
        assert_eq!(human(TimeDelta::hours(73)), "3 days 1 hour");
        assert_eq!(human(TimeDelta::minutes(125)), "2 hours 5 minutes");
        assert_eq!(human(TimeDelta::seconds(30)), "30 seconds");
        assert_eq!(human(TimeDelta::days(3)), "3 days");
    }

    #[test]
    fn level_lists_read_like_prose() {
        use ChainLevel::*;
        assert_eq!(level_list(&[L3]), "L3 Scope");
        assert_eq!(level_list(&[L3, L4]), "L3 Scope and L4 Execution");
        assert_eq!(
            level_list(&[L1, L3, L4]),
            "L1 Strategy, L3 Scope and L4 Execution"
        );
    }
}
