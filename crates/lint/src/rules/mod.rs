//! The catalogue: one rule per file, each with its code, name, severity,
//! level, the line of the practice it enforces and its tests.

use chrono::TimeDelta;
use postmortem_model::ChainLevel;

use crate::Rule;

pub(crate) mod adr_conversation_not_scheduled;
pub(crate) mod adr_not_named;
pub(crate) mod fix_below_contributing_level;
pub(crate) mod fix_due_before_held;
pub(crate) mod fix_is_a_feeling;
pub(crate) mod fix_is_more_monitoring;
pub(crate) mod fix_level_missing;
pub(crate) mod fix_level_not_contributing;
pub(crate) mod fix_not_bound;
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
    fix_not_bound::RULE,
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
#[cfg(feature = "document")]
pub(crate) fn the_fix(pm: &postmortem_model::Postmortem) -> String {
    match pm.fix.level {
        Some(level) => format!("the {} fix", level.label()),
        None => "the fix (which names no chain level yet)".to_owned(),
    }
}

/// "The L3 Scope fix", capitalised for the start of a message.
#[cfg(feature = "document")]
pub(crate) fn the_fix_cap(pm: &postmortem_model::Postmortem) -> String {
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
pub(crate) fn example() -> postmortem_model::Postmortem {
    postmortem_model::from_json(include_str!("../../../../examples/queue-render.json"))
        .expect("the practice example reads")
}

/// The codes `rule` finds in `pm`.
#[cfg(test)]
pub(crate) fn codes(rule: &Rule, pm: &postmortem_model::Postmortem) -> Vec<&'static str> {
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

/// The form's wording, over every rule: no field paths, no JSON names.
#[cfg(test)]
mod form_wording {
    use std::collections::BTreeSet;

    use chrono::TimeDelta;
    use postmortem_model::{ChainLevel, Postmortem, RepoPath, Verdict};

    use super::{example, t};
    use crate::{Audience, lint_for, several_fixes};

    /// Postmortems that, between them, break every rule a postmortem
    /// value can break.
    fn every_rule_broken() -> Vec<Postmortem> {
        let mut out = vec![Postmortem::default()];
        let mut pm = example();
        pm.held_at = Some(t("2026-05-23T10:00:00Z"));
        pm.incident.detected_at = Some(t("2026-05-18T14:00:00Z"));
        pm.holder.role = None;
        pm.fix.due = Some(chrono::NaiveDate::from_ymd_opt(2026, 5, 20).unwrap());
        out.push(pm);
        let mut pm = example();
        let first = pm.timeline[0].at;
        pm.timeline[0].written_at = Some(first + TimeDelta::days(2));
        pm.timeline[1].written_at = None;
        pm.timeline[2].at = first - TimeDelta::hours(1);
        pm.timeline[3].written_at = Some(pm.timeline[3].at - TimeDelta::hours(3));
        pm.walk.strategy.reasoning.clear();
        pm.runbook.worked.clear();
        pm.adrs[0].conversation_on = None;
        pm.adrs.push(Default::default());
        pm.adrs.push(postmortem_model::AdrImplication {
            path: "docs/adr/0013.txt".parse::<RepoPath>().ok(),
            ..Default::default()
        });
        pm.runbook.path = "runbooks/RB-021.txt".parse::<RepoPath>().ok();
        pm.fix.level = Some(ChainLevel::L1);
        pm.fix.test.binding = None;
        pm.fix.statement = "Maya will be more careful.".into();
        pm.fix.test.statement = "Maya is more careful.".into();
        pm.participants.push("Maya".into());
        out.push(pm);
        let mut pm = example();
        for level in ChainLevel::ALL {
            pm.walk.get_mut(level).verdict = Verdict::No;
        }
        out.push(pm);
        let mut pm = example();
        pm.fix.level = Some(ChainLevel::L5);
        pm.walk.operation.verdict = Verdict::Yes;
        pm.fix.statement = "Add an alert on the cache hit ratio.".into();
        out.push(pm);
        let mut pm = example();
        pm.fix.level = Some(ChainLevel::L4);
        pm.walk.execution.verdict = Verdict::Yes;
        out.push(pm);
        out
    }

    /// A field path or a JSON name: `fix.level`, `timeline[2]`,
    /// `held_at`.
    fn speaks_internals(message: &str) -> Option<String> {
        for name in crate::order::NAMES {
            if name.contains('_') && message.contains(name) {
                return Some((*name).to_owned());
            }
            for sep in [".", "["] {
                let needle = format!("{name}{sep}");
                let mut from = 0;
                while let Some(at) = message[from..].find(&needle) {
                    let start = from + at;
                    let end = start + needle.len();
                    let before = message[..start].chars().next_back();
                    let after = message[end..].chars().next();
                    if !before.is_some_and(|c| c.is_alphanumeric())
                        && after.is_some_and(|c| c.is_ascii_alphanumeric())
                    {
                        return Some(needle);
                    }
                    from = end;
                }
            }
        }
        None
    }

    #[test]
    fn the_internals_detector_sees_paths_and_names() {
        assert!(speaks_internals("set fix.level to L3").is_some());
        assert!(speaks_internals("timeline[2] comes first").is_some());
        assert!(speaks_internals("record held_at").is_some());
        assert!(speaks_internals("the fix. The test.").is_none());
        assert!(speaks_internals("Choose the level of the fix.").is_none());
    }

    #[test]
    fn every_rule_speaks_to_the_form_in_its_words() {
        let mut seen = BTreeSet::new();
        let mut messages = Vec::new();
        for pm in every_rule_broken() {
            for f in lint_for(&pm, Audience::Form) {
                seen.insert(f.code);
                messages.push((f.code, f.message));
            }
        }
        let several = several_fixes(3, None, Audience::Form);
        seen.insert(several.code);
        messages.push((several.code, several.message));
        let all: BTreeSet<&str> = super::ALL.iter().map(|r| r.code).collect();
        assert_eq!(seen, all, "every rule is exercised");
        for (code, message) in messages {
            assert_eq!(speaks_internals(&message), None, "{code}: {message}");
            let doc_name = ["PM", "error", "warning"];
            assert!(
                !doc_name.iter().any(|w| message.starts_with(w)),
                "{code}: {message}"
            );
        }
    }

    #[test]
    fn the_document_wording_keeps_its_paths() {
        let mut pm = example();
        pm.fix.level = None;
        let doc = lint_for(&pm, Audience::Document);
        assert!(doc[0].message.contains("fix.level"));
        let form = lint_for(&pm, Audience::Form);
        assert_eq!((form[0].code, &form[0].field), (doc[0].code, &doc[0].field));
        assert!(!form[0].message.contains("fix.level"));
    }
}
