//! PM312 fix-below-contributing-level: the walk found a level above the
//! fix's level contributing; "the level above is usually where the fix
//! belongs". A warning, because "usually" is not "always". Stays quiet
//! when PM309 (the L5 monitoring reflex) already says so.

use postmortem_model::{ChainLevel, Postmortem};

use super::{fix_is_more_monitoring, level_list};
use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM312",
    name: "fix-below-contributing-level",
    severity: Severity::Warning,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "The walk found a level above the fix's level contributing.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"Walk the levels. The level above is usually where the fix belongs.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    let Some(level) = pm.fix.level else {
        return;
    };
    let above: Vec<ChainLevel> = pm
        .walk
        .contributing()
        .into_iter()
        .filter(|l| *l < level)
        .collect();
    if above.is_empty() || fix_is_more_monitoring::reflex(pm).is_some() {
        return;
    }
    let message = say!(out,
        doc: format!(
            "The fix acts on {} while the walk found {} contributing above it, and the level above is usually where the fix belongs: check whether the fix should act at {} instead.",
            level.label(),
            level_list(&above),
            above[0].label()
        ),
        form: format!(
            "The walk found {} contributing above {}: the fix usually belongs higher. Consider {}.",
            level_list(&above),
            level.label(),
            above[0].label()
        ),
    );
    out.push(rule.finding(Some(level), "fix.level", message));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};
    use postmortem_model::Verdict;

    #[test]
    fn fires_on_a_fix_below_a_contributing_level() {
        let mut pm = example();
        pm.walk.execution.verdict = Verdict::Yes;
        pm.fix.level = Some(ChainLevel::L4);
        pm.fix.statement = "Cache client falls back to read replicas when cold.".into();
        let f = RULE.check(&pm);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("should act at L3 Scope"));
    }

    #[test]
    fn quiet_at_the_highest_contributing_level() {
        assert!(codes(&RULE, &example()).is_empty());
        let mut pm = example();
        pm.walk.execution.verdict = Verdict::Yes;
        assert!(codes(&RULE, &pm).is_empty());
    }

    #[test]
    fn quiet_when_the_monitoring_reflex_says_it() {
        let mut pm = example();
        pm.walk.operation.verdict = Verdict::Possibly;
        pm.fix.level = Some(ChainLevel::L5);
        pm.fix.statement = "Add an alert at 1.5s instead of 2s.".into();
        assert!(codes(&RULE, &pm).is_empty());
        pm.fix.statement = "RB-021 starts with the cache hit ratio.".into();
        assert_eq!(codes(&RULE, &pm), ["PM312"]);
    }
}
