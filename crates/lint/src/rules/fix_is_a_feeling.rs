//! PM310 fix-is-a-feeling: "We need to be more careful with releases." A
//! fix that asks people to feel or try differently, with no observable
//! test, is the clinic's "postmortem that produced a feeling".
//!
//! Fires when the fix statement or its test statement contains a feeling
//! phrase ("be more careful", "more vigilant", "pay more attention",
//! "remember to", "communicate better", "we need to be more …", "try
//! harder", "won't happen again", …) **and** the test is not observable.
//!
//! A test is observable when it has a CI binding, or when its statement is
//! not itself a feeling and names something a person can check: a number
//! (a metric value, threshold, count, date or time), a comparison (`<`,
//! `>`, `%`), a metric name (`queue.render.p95`), a weekday or month, or
//! an event or outcome (the next release, deploy, cold start, maintenance
//! window, drill, migration; the pipeline fails, the check passes, zero
//! incidents). An honest fix whose wording is warm but whose test is
//! observable stays quiet.

use postmortem_model::{FixTest, Postmortem};

use crate::text::{extend_over_next_word, find, first_of};
use crate::{Out, Rule, Severity, say};

/// Feeling phrases. Those ending in "more" or "be" quote the next word too.
pub(crate) const FEELINGS: &[&str] = &[
    "we need to be more",
    "we should be more",
    "we must be more",
    "we have to be more",
    "we need to be",
    "need to be more",
    "be more careful",
    "more careful",
    "be careful",
    "be extra careful",
    "extra careful",
    "take more care",
    "take extra care",
    "more vigilant",
    "be vigilant",
    "stay vigilant",
    "more vigilance",
    "stay alert",
    "pay more attention",
    "pay closer attention",
    "pay attention",
    "be more attentive",
    "more attentive",
    "more mindful",
    "be mindful",
    "more diligent",
    "more disciplined",
    "more thorough",
    "be more aware",
    "more aware",
    "raise awareness",
    "increase awareness",
    "remember to",
    "don't forget to",
    "do not forget to",
    "not forget to",
    "communicate better",
    "better communication",
    "improve communication",
    "communicate more",
    "try harder",
    "do better",
    "keep an eye on",
    "double-check",
    "double check",
    "won't happen again",
    "will not happen again",
    "never happen again",
    "lessons learned",
    "lesson learned",
];

/// Words in a test statement that make it a feeling too.
const FEELING_WORDS: &[&str] = &[
    "careful",
    "carefully",
    "vigilant",
    "attentive",
    "mindful",
    "diligent",
    "cautious",
    "awareness",
    "feels",
    "feel",
    "confident",
];

/// Events and outcomes a person can observe.
const OBSERVABLE: &[&str] = &[
    "release",
    "releases",
    "deploy",
    "deploys",
    "deployment",
    "deployments",
    "rollout",
    "cold start",
    "cold-start",
    "maintenance window",
    "migration",
    "failover",
    "restart",
    "drill",
    "game day",
    "load test",
    "pipeline",
    "CI",
    "check passes",
    "test passes",
    "passes",
    "fails",
    "blocks",
    "rejects",
    "in production",
    "live",
    "merged",
    "zero",
    "no longer",
    "p50",
    "p95",
    "p99",
    "latency",
    "error rate",
    "hit ratio",
    "incident",
    "incidents",
];

const DAYS_AND_MONTHS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "april",
    "june",
    "july",
    "september",
    "october",
    "november",
    "december",
];

/// Months that are also common words, matched only capitalised.
const CAPITALISED_MONTHS: &[&str] = &["March", "May", "August"];

/// The first feeling phrase in `text`, quoted as written.
pub(crate) fn feeling(text: &str) -> Option<(usize, usize)> {
    let (start, end) = first_of(text, FEELINGS)?;
    let phrase = &text[start..end];
    let open_ended = phrase.to_ascii_lowercase();
    let end = if open_ended.ends_with(" more") || open_ended.ends_with(" be") {
        extend_over_next_word(text, end)
    } else {
        end
    };
    Some((start, end))
}

/// A dotted metric name such as `queue.render.p95`: two or more parts of at
/// least two word characters each.
fn has_metric_name(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || "()[]{},;:\"'".contains(c))
        .map(|w| w.trim_end_matches('.'))
        .any(|w| {
            let parts: Vec<&str> = w.split('.').collect();
            parts.len() >= 2
                && parts.iter().all(|p| {
                    p.chars().count() >= 2 && p.chars().all(|c| c.is_alphanumeric() || c == '_')
                })
        })
}

/// Whether the test proves the fix to someone who did not attend.
pub(crate) fn observable(test: &FixTest) -> bool {
    if test.binding.is_some() {
        return true;
    }
    let s = test.statement.as_str();
    if feeling(s).is_some() || first_of(s, FEELING_WORDS).is_some() {
        return false;
    }
    s.chars().any(|c| c.is_ascii_digit() || "<>≤≥%".contains(c))
        || has_metric_name(s)
        || first_of(s, DAYS_AND_MONTHS).is_some()
        || CAPITALISED_MONTHS
            .iter()
            .any(|m| find(s, m, true).is_some())
        || first_of(s, OBSERVABLE).is_some()
}

pub(crate) const RULE: Rule = Rule {
    code: "PM310",
    name: "fix-is-a-feeling",
    severity: Severity::Error,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "The fix is a feeling (\"be more careful\") with no observable test.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"Postmortem produced a feeling: 'We need to be more careful with releases.'\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    if observable(&pm.fix.test) {
        return;
    }
    let (field, text, hit) = match feeling(&pm.fix.statement) {
        Some(hit) => ("fix.statement", pm.fix.statement.as_str(), hit),
        None => match feeling(&pm.fix.test.statement) {
            Some(hit) => ("fix.test.statement", pm.fix.test.statement.as_str(), hit),
            None => return,
        },
    };
    let quote = &text[hit.0..hit.1];
    let at = pm
        .fix
        .level
        .map_or_else(|| "its level".to_owned(), |l| l.label());
    let message = say!(out,
        doc: format!(
            "{} is a feeling, not a change: \"{quote}\" with no observable test, so state what changes at {at} and a test that names a metric, threshold, date or event (or bind it to a CI check).",
            super::the_fix_cap(pm)
        ),
        form: format!(
            "“{quote}” is a feeling, not a change: say what changes at {at}, and a test that names a metric, threshold, date or event."
        ),
    );
    out.push(rule.finding(pm.fix.level, field, message).with_quote(quote));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    fn with(statement: &str, test: &str) -> Postmortem {
        let mut pm = example();
        pm.fix.statement = statement.into();
        pm.fix.test.statement = test.into();
        pm.fix.test.binding = None;
        pm
    }

    #[test]
    fn fires_on_the_practice_own_feeling() {
        let pm = with(
            "We need to be more careful with releases.",
            "Everyone is more careful with releases from now on.",
        );
        let f = RULE.check(&pm);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].quote.as_deref(), Some("We need to be more careful"));
        assert_eq!(f[0].field.as_str(), "fix.statement");
        assert!(f[0].message.starts_with("The L3 Scope fix is a feeling"));
    }

    #[test]
    fn fires_on_other_feelings_without_an_observable_test() {
        for (statement, test, quote) in [
            (
                "Maya will be more careful next time.",
                "",
                "be more careful",
            ),
            (
                "Pay more attention to the cache warming story.",
                "The team pays attention.",
                "Pay more attention",
            ),
            (
                "Remember to warm the cache after maintenance.",
                "People remember.",
                "Remember to",
            ),
            (
                "Communicate better with the PO when a story slips.",
                "The PO feels informed.",
                "Communicate better",
            ),
            (
                "The team stays more vigilant during\nlaunches.",
                "Nobody is surprised.",
                "more vigilant",
            ),
            (
                "Ship the warming job.",
                "We will be more careful at the next release.",
                "be more careful",
            ),
        ] {
            let f = RULE.check(&with(statement, test));
            assert_eq!(f.len(), 1, "{statement} / {test}");
            assert_eq!(f[0].quote.as_deref(), Some(quote), "{statement}");
        }
    }

    #[test]
    fn a_dated_feeling_is_still_a_feeling() {
        let pm = with(
            "Be more careful with releases.",
            "We are more careful with releases by 2026-06-30.",
        );
        assert_eq!(codes(&RULE, &pm), ["PM310"]);
    }

    #[test]
    fn quiet_on_honest_fixes_with_observable_tests() {
        for (statement, test) in [
            // The practice's own fix.
            (
                "The cold-cache warming job ships in the current cycle, not the next.",
                "queue.render.p95 stays <500ms during the next scheduled cold-start event.",
            ),
            // Warm wording, observable test.
            (
                "We need to be more deliberate about cold starts: the release checklist gains a cache-warm step.",
                "The next three releases show a cache hit ratio above 90% within 5 minutes of deploy.",
            ),
            (
                "Remember-to items in RB-021 become automated steps of the deploy pipeline.",
                "The deploy pipeline fails when the warming step is skipped.",
            ),
            (
                "Be careful no more: the migration runner refuses unreviewed migrations.",
                "An unreviewed migration is rejected by CI on main.",
            ),
            (
                "Pay attention to slips: a slipped story on the critical path re-opens the sprint plan.",
                "Sprint review on Friday lists every slipped critical-path story.",
            ),
        ] {
            assert!(
                codes(&RULE, &with(statement, test)).is_empty(),
                "{statement} / {test}"
            );
        }
    }

    #[test]
    fn quiet_when_a_binding_proves_it() {
        let mut pm = example();
        pm.fix.statement =
            "We need to be more careful: releases wait for the warming check.".into();
        pm.fix.test.statement = "The team is confident.".into();
        assert!(pm.fix.test.binding.is_some());
        assert!(codes(&RULE, &pm).is_empty());
    }

    #[test]
    fn quiet_on_the_example() {
        assert!(codes(&RULE, &example()).is_empty());
    }

    #[test]
    fn metric_names_are_not_abbreviations() {
        assert!(has_metric_name("queue.render.p95 stays low"));
        assert!(!has_metric_name("e.g. stays low, i.e. fine."));
        assert!(!has_metric_name("It ends. Then"));
    }
}
