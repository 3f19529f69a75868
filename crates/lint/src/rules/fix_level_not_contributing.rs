//! PM302 fix-level-not-contributing: the fix is at the level that produced
//! the incident, so it acts on a level the walk found contributing
//! (possibly or yes).

use postmortem_model::Postmortem;

use super::level_list;
use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM302",
    name: "fix-level-not-contributing",
    severity: Severity::Error,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "The fix acts on a level the walk did not find contributing.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"The chain-level fix is at the level that produced the incident.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    let Some(level) = pm.fix.level else {
        return;
    };
    let verdict = pm.walk.get(level).verdict;
    if verdict.contributed() {
        return;
    }
    let contributing = pm.walk.contributing();
    let how = if contributing.is_empty() {
        format!(
            "finish the walk and put the fix at the level it finds, or revisit {}",
            level.label()
        )
    } else {
        format!(
            "move the fix to {} where the walk found the cause, or revisit the walk at {}",
            level_list(&contributing),
            level.label()
        )
    };
    let message = say!(out,
        doc: format!(
            "The fix acts on {}, which the walk answered \"{verdict}\", so it is not at the level that produced the incident: {how}.",
            level.label()
        ),
        form: format!(
            "The fix is at {}, which the walk answered “{verdict}”: {how}.",
            level.label()
        ),
    );
    out.push(rule.finding(Some(level), "fix.level", message));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};
    use postmortem_model::{ChainLevel, Verdict};

    #[test]
    fn fires_on_a_fix_at_a_level_the_walk_said_no_to() {
        let mut pm = example();
        pm.fix.level = Some(ChainLevel::L4);
        let f = RULE.check(&pm);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].level, Some(ChainLevel::L4));
        assert!(f[0].message.contains("answered \"no\""));
        assert!(f[0].message.contains("move the fix to L3 Scope"));
    }

    #[test]
    fn fires_on_a_fix_at_an_unanswered_level() {
        let mut pm = example();
        pm.walk.scope.verdict = Verdict::Unanswered;
        assert_eq!(codes(&RULE, &pm), ["PM302"]);
    }

    #[test]
    fn quiet_on_possibly_and_yes() {
        assert!(codes(&RULE, &example()).is_empty());
        let mut pm = example();
        pm.walk.scope.verdict = Verdict::Yes;
        assert!(codes(&RULE, &pm).is_empty());
        pm.fix.level = None;
        assert!(codes(&RULE, &pm).is_empty());
    }
}
