//! PM201 walk-level-unanswered: the team asks each of the five chain
//! levels whether it produced or failed to catch the incident.

use postmortem_model::{ChainLevel, FieldPath, Postmortem, Verdict};

use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM201",
    name: "walk-level-unanswered",
    severity: Severity::Error,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "A chain level of the walk is unanswered.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"The team asks for each chain level: did this level produce or fail to catch the incident?\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    for level in ChainLevel::ALL {
        if pm.walk.get(level).verdict == Verdict::Unanswered {
            let message = say!(out,
                doc: format!(
                    "{} is unanswered in the chain walk, and postmortems without the walk fix at L5 in 70% of cases: answer \"{}\" with no, possibly or yes.",
                    level.label(),
                    level.question()
                ),
                form: format!(
                    "Answer for {}: no, possibly or yes. Skipping a level is how most fixes end up at L5.",
                    level.label()
                ),
            );
            out.push(rule.finding(Some(level), FieldPath::walk(level, "verdict"), message));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_once_per_unanswered_level() {
        let mut pm = example();
        pm.walk.strategy.verdict = Verdict::Unanswered;
        pm.walk.operation.verdict = Verdict::Unanswered;
        let f = RULE.check(&pm);
        let fields: Vec<&str> = f.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["walk.L1.verdict", "walk.L5.verdict"]);
        assert_eq!(f[1].level, Some(ChainLevel::L5));
        assert!(f[1].message.starts_with("L5 Operation is unanswered"));
    }

    #[test]
    fn fires_on_every_level_of_an_empty_walk() {
        let mut pm = example();
        pm.walk = Default::default();
        assert_eq!(codes(&RULE, &pm).len(), 5);
    }

    #[test]
    fn quiet_when_every_level_is_answered() {
        assert!(codes(&RULE, &example()).is_empty());
    }
}
