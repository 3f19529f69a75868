//! PM202 walk-reasoning-missing: a verdict without its evidence cannot be
//! checked, and the chain-level conversation is what surfaces the cause.

use postmortem_model::{ChainLevel, FieldPath, Postmortem, Verdict};

use super::blank;
use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM202",
    name: "walk-reasoning-missing",
    severity: Severity::Error,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "A chain level is answered without reasoning.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"The chain-level conversation surfaces the structural cause.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    for level in ChainLevel::ALL {
        let answer = pm.walk.get(level);
        if answer.verdict != Verdict::Unanswered && blank(&answer.reasoning) {
            let message = say!(out,
                doc: format!(
                    "{} is answered \"{}\" without reasoning: write the evidence for the verdict, as in \"the warming job was not yet in production\", so the walk can be checked.",
                    level.label(),
                    answer.verdict
                ),
                form: format!(
                    "You answered “{}” for {}: write the evidence under “Why?”, so others can check the walk.",
                    answer.verdict,
                    level.label()
                ),
            );
            out.push(rule.finding(Some(level), FieldPath::walk(level, "reasoning"), message));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_on_an_answer_without_reasoning() {
        let mut pm = example();
        pm.walk.execution.reasoning = "  ".into();
        let f = RULE.check(&pm);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].field.as_str(), "walk.L4.reasoning");
        assert!(f[0].message.starts_with("L4 Execution is answered \"no\""));
    }

    #[test]
    fn quiet_on_unanswered_levels_which_pm201_reports() {
        let mut pm = example();
        pm.walk.execution = Default::default();
        assert!(codes(&RULE, &pm).is_empty());
        assert!(codes(&RULE, &example()).is_empty());
    }
}
