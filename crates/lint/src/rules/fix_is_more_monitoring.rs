//! PM309 fix-is-more-monitoring: the L5 reflex. A fix at L5 Operation that
//! only adds monitoring — alerts, dashboards, thresholds, paging,
//! observability — while the walk found a level above L5 contributing is
//! "a faster page after the same incident. It does not prevent the next
//! one."
//!
//! Stays quiet when L5 is the only level that contributed (then better
//! alerting may be the honest fix), and when the L5 fix changes the
//! runbook or the on-call process (runbook, playbook, rota, rotation,
//! escalation, handoff, procedure, checklist, drill, training, RB-nnn)
//! rather than only adding monitoring. "On-call" alone is not a process
//! change: "page the on-call at 1.5s" is still a faster page.

use postmortem_model::{ChainLevel, Postmortem};

use super::level_list;
use crate::text::{all_of, first_of, is_word_char};
use crate::{Out, Rule, Severity, say};

/// Words that add monitoring.
pub(crate) const MONITORING: &[&str] = &[
    "alert",
    "alerts",
    "alerting",
    "alarm",
    "alarms",
    "dashboard",
    "dashboards",
    "threshold",
    "thresholds",
    "page",
    "pages",
    "paging",
    "pager",
    "monitor",
    "monitors",
    "monitoring",
    "observability",
    "metric",
    "metrics",
    "telemetry",
    "logging",
    "more logs",
    "tracing",
    "synthetic check",
    "synthetic checks",
    "health check",
    "health checks",
    "probe",
    "probes",
    "SLO alert",
    "notification",
    "notifications",
    "visibility",
    "anomaly detection",
];

/// Words that change how operation is done rather than how it is watched.
const PROCESS: &[&str] = &[
    "runbook",
    "runbooks",
    "playbook",
    "playbooks",
    "rota",
    "rotation",
    "escalation",
    "escalation policy",
    "handoff",
    "hand-off",
    "handover",
    "procedure",
    "procedures",
    "checklist",
    "drill",
    "drills",
    "game day",
    "training",
];

/// Whether the text names a runbook by id, e.g. `RB-021`.
fn names_a_runbook_id(text: &str) -> bool {
    text.split(|c: char| !(is_word_char(c) || c == '-'))
        .any(|w| {
            let b = w.as_bytes();
            b.len() > 3 && b[..3].eq_ignore_ascii_case(b"rb-") && b[3].is_ascii_digit()
        })
}

/// The monitoring words of an L5 statement that only adds monitoring, or
/// nothing when it changes the runbook or the on-call process.
pub(crate) fn only_monitoring(statement: &str) -> Vec<(usize, usize)> {
    if first_of(statement, PROCESS).is_some() || names_a_runbook_id(statement) {
        return Vec::new();
    }
    all_of(statement, MONITORING)
}

/// An L5 fix that only adds monitoring while a level above contributed.
pub(crate) struct Reflex {
    /// The monitoring words, as byte ranges of the fix statement.
    pub(crate) hits: Vec<(usize, usize)>,
    /// The levels above L5 the walk found contributing, L1 first.
    pub(crate) above: Vec<ChainLevel>,
}

/// The L5 monitoring reflex in `pm`'s fix, if it is one.
pub(crate) fn reflex(pm: &Postmortem) -> Option<Reflex> {
    if pm.fix.level != Some(ChainLevel::L5) {
        return None;
    }
    let above: Vec<ChainLevel> = pm
        .walk
        .contributing()
        .into_iter()
        .filter(|l| *l < ChainLevel::L5)
        .collect();
    if above.is_empty() {
        return None;
    }
    let hits = only_monitoring(&pm.fix.statement);
    (!hits.is_empty()).then_some(Reflex { hits, above })
}

pub(crate) const RULE: Rule = Rule {
    code: "PM309",
    name: "fix-is-more-monitoring",
    severity: Severity::Error,
    level: Some(ChainLevel::L5),
    #[cfg(any(test, feature = "docs"))]
    summary: "An L5 fix only adds monitoring while a level above L5 contributed.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"More monitoring is rarely the right level.\" — the L5 reflex: walk the levels; the level above is usually where the fix belongs.",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    let Some(Reflex { hits, above }) = reflex(pm) else {
        return;
    };
    let s = &pm.fix.statement;
    let mut words: Vec<String> = Vec::new();
    for (a, b) in &hits {
        let w = format!("\"{}\"", &s[*a..*b]);
        if !words.contains(&w) {
            words.push(w);
        }
    }
    let (a, b) = hits[0];
    let message = say!(out,
        doc: format!(
            "The fix is at L5 Operation and only adds monitoring ({}) while the walk found {} contributing: that is the L5 reflex, a faster page after the same incident that does not prevent the next one, so move the fix to {}.",
            words.join(", "),
            level_list(&above),
            above[0].label()
        ),
        form: format!(
            "This fix only adds monitoring ({}) while the walk found {} contributing: it pages faster, it prevents nothing. Consider {}.",
            words.join(", "),
            level_list(&above),
            above[0].label()
        ),
    );
    out.push(
        rule.finding(Some(ChainLevel::L5), "fix.statement", message)
            .with_quote(&s[a..b]),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};
    use postmortem_model::Verdict;

    /// The example, with the fix at L5 and L5 marked as contributing.
    fn at_l5(statement: &str) -> Postmortem {
        let mut pm = example();
        pm.fix.level = Some(ChainLevel::L5);
        pm.fix.statement = statement.into();
        pm.walk.operation.verdict = Verdict::Possibly;
        pm
    }

    #[test]
    fn fires_on_the_practice_own_more_monitoring_fix() {
        let pm = at_l5("We will add an alert at 1.5s instead of 2s.");
        let f = RULE.check(&pm);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].quote.as_deref(), Some("alert"));
        assert!(f[0].message.contains("move the fix to L3 Scope"));
    }

    #[test]
    fn fires_on_dashboards_thresholds_and_paging() {
        for s in [
            "Add a dashboard for queue.render and lower the paging threshold.",
            "Improve observability of the cache: more metrics and tracing.",
            "Page the on-call at 1.5s instead of 2s.",
        ] {
            assert_eq!(codes(&RULE, &at_l5(s)), ["PM309"], "{s}");
        }
        let f = RULE.check(&at_l5("Add a Dashboard and lower the threshold."));
        assert_eq!(f[0].quote.as_deref(), Some("Dashboard"));
        assert!(f[0].message.contains("(\"Dashboard\", \"threshold\")"));
    }

    #[test]
    fn quiet_when_l5_is_the_only_level_that_failed() {
        let mut pm = at_l5("Add an alert on queue.render.p95 above 1.5s; none existed.");
        pm.walk.scope.verdict = Verdict::No;
        pm.walk.operation.verdict = Verdict::Yes;
        assert!(codes(&RULE, &pm).is_empty());
    }

    #[test]
    fn quiet_on_an_l5_fix_that_changes_the_runbook_or_on_call() {
        for s in [
            "RB-021 gains a first step: check the cache hit ratio before the DB checks.",
            "Update the runbook so the alert links to the cold-cache mitigation.",
            "The on-call rota pairs a second responder for SEV-2 pages.",
            "Escalation policy pages the TL after 10 minutes without an ack.",
        ] {
            assert!(codes(&RULE, &at_l5(s)).is_empty(), "{s}");
        }
    }

    #[test]
    fn runbook_ids_are_read_safely() {
        assert!(names_a_runbook_id("see rb-021 now"));
        assert!(!names_a_runbook_id("rb-x Σஎ எஎஎஎ rb-"));
    }

    #[test]
    fn quiet_on_fixes_at_other_levels_and_on_the_example() {
        assert!(codes(&RULE, &example()).is_empty());
        let mut pm = at_l5("Add an alert at 1.5s.");
        pm.fix.level = Some(ChainLevel::L4);
        assert!(codes(&RULE, &pm).is_empty());
    }

    #[test]
    fn quiet_when_the_walk_above_is_unanswered() {
        // PM201 reports the unfinished walk; this rule needs a level above.
        let mut pm = at_l5("Add an alert at 1.5s.");
        pm.walk.scope.verdict = Verdict::Unanswered;
        assert!(codes(&RULE, &pm).is_empty());
    }
}
