//! PM203 walk-found-no-level: every defect traces to a level; a walk that
//! answered "no" five times has not found it yet.

use postmortem_model::{ChainLevel, Postmortem, Verdict};

use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM203",
    name: "walk-found-no-level",
    severity: Severity::Error,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "The walk answered all five levels and found none contributing.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"Every defect traces to a level.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    let all_no = ChainLevel::ALL
        .into_iter()
        .all(|l| pm.walk.get(l).verdict == Verdict::No);
    if all_no {
        let message = say!(out,
            doc: "The walk answered \"no\" at all five chain levels, yet every defect traces to a level: revisit the walk, starting at the level above the symptom, and mark the level that produced or failed to catch the incident.",
            form: "Every level says “no”, yet every incident traces to one: look again, from the level above the symptom.",
        );
        out.push(rule.finding(None, "walk", message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_when_every_level_says_no() {
        let mut pm = example();
        pm.walk.scope.verdict = Verdict::No;
        assert_eq!(codes(&RULE, &pm), ["PM203"]);
    }

    #[test]
    fn quiet_while_a_level_contributes_or_is_unanswered() {
        assert!(codes(&RULE, &example()).is_empty());
        let mut pm = example();
        pm.walk.scope.verdict = Verdict::Unanswered;
        assert!(codes(&RULE, &pm).is_empty());
    }
}
