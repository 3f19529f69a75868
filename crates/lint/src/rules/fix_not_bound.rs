//! PM313 fix-not-bound: a fix nobody will verify. Without a check binding
//! (a workflow, check run or commit status that proves the test), the
//! Action cannot verify the fix before its due date, and the fix issue
//! must be closed by hand with evidence.

use postmortem_model::Postmortem;

use super::blank;
use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM313",
    name: "fix-not-bound",
    severity: Severity::Warning,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "The fix's test is bound to no CI result, so nothing will verify it.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"One fix, owned, dated, testable.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    // Until the test is stated, PM307 asks for it; the binding comes next.
    if pm.fix.test.binding.is_some() || blank(&pm.fix.test.statement) {
        return;
    }
    let message = say!(out,
        doc: format!(
            "{}'s test is bound to no CI result, so the Action cannot verify it before its due date and its fix issue must be closed by hand with evidence: bind it in fix.test.binding to the workflow, check run or commit status that proves it.",
            super::the_fix_cap(pm)
        ),
        form: "Nothing verifies this fix before its date: its issue must be closed by hand, with evidence.",
    );
    out.push(rule.finding(pm.fix.level, "fix.test.binding", message));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn warns_when_a_stated_test_has_no_binding() {
        let mut pm = example();
        pm.fix.test.binding = None;
        let f = RULE.check(&pm);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!(f[0].field.as_str(), "fix.test.binding");
        assert!(
            f[0].message
                .starts_with("The L3 Scope fix's test is bound to no CI result")
        );
    }

    #[test]
    fn quiet_with_a_binding_or_without_a_test_yet() {
        assert!(codes(&RULE, &example()).is_empty());
        let mut pm = example();
        pm.fix.test.binding = None;
        pm.fix.test.statement.clear();
        assert!(codes(&RULE, &pm).is_empty());
    }
}
