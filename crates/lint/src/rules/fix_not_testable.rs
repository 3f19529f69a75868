//! PM307 fix-not-testable: one fix, owned, dated, testable. The test is a
//! statement people can check; a CI binding alone does not tell readers
//! what it proves.

use postmortem_model::Postmortem;

use super::{blank, the_fix_cap};
use crate::{Finding, Rule, Severity};

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

fn check(rule: &Rule, pm: &Postmortem, out: &mut Vec<Finding>) {
    if !blank(&pm.fix.test.statement) {
        return;
    }
    let extra = if pm.fix.test.binding.is_some() {
        " (the CI binding proves it to a machine; readers need the outcome in words)"
    } else {
        ""
    };
    out.push(rule.finding(
        pm.fix.level,
        "fix.test.statement",
        format!(
            "{} has no test{extra}: state the observable outcome that proves it, e.g. \"queue.render.p95 stays below 500ms during the next cold start\".",
            the_fix_cap(pm)
        ),
    ));
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
