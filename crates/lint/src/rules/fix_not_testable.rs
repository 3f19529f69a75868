//! PM307 fix-not-testable: one fix, owned, dated, testable. The test is a
//! statement people can check; a CI binding alone does not tell readers
//! what it proves.

use postmortem_model::Postmortem;

use super::blank;
use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM307",
    name: "fix-not-testable",
    severity: Severity::Error,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "The fix has no test statement.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"One fix, owned, dated, testable.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    if !blank(&pm.fix.test.statement) {
        return;
    }
    let bound = pm.fix.test.binding.is_some();
    let message = say!(out,
        doc: format!(
            "{} has no test{}: state the observable outcome that proves it, e.g. \"queue.render.p95 stays below 500ms during the next cold start\".",
            super::the_fix_cap(pm),
            if bound {
                " (the CI binding proves it to a machine; readers need the outcome in words)"
            } else {
                ""
            }
        ),
        form: if bound {
            "Say in words what proves the fix works: the binding proves it to a machine, not to readers."
        } else {
            "Say what proves the fix works: an outcome anyone can observe."
        },
    );
    out.push(rule.finding(pm.fix.level, "fix.test.statement", message));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_without_a_test_statement_even_with_a_binding() {
        let mut pm = example();
        pm.fix.test.statement = "\n".into();
        let f = RULE.check(&pm);
        assert!(f[0].message.contains("CI binding"));
        pm.fix.test.binding = None;
        assert_eq!(codes(&RULE, &pm), ["PM307"]);
    }

    #[test]
    fn quiet_with_a_test() {
        assert!(codes(&RULE, &example()).is_empty());
    }
}
