//! PM308 fix-due-before-held: a fix due before the postmortem that landed
//! it was held cannot be a fix this postmortem produced.

use postmortem_model::Postmortem;

use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM308",
    name: "fix-due-before-held",
    severity: Severity::Error,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "The fix is due before the day the postmortem was held.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"One fix, owned, dated, testable.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    let (Some(due), Some(held)) = (pm.fix.due, pm.held_at) else {
        return;
    };
    let held_on = held.date_naive();
    if due < held_on {
        let message = say!(out,
            doc: format!(
                "{} is due {due}, before the postmortem was held on {held_on}: give it a due date on or after the postmortem, when the fix can actually go live.",
                super::the_fix_cap(pm)
            ),
            form: format!(
                "The fix is due {due}, before the postmortem was held ({held_on}): choose a day when the fix can actually go live."
            ),
        );
        out.push(rule.finding(pm.fix.level, "fix.due", message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_on_a_due_date_in_the_past() {
        let mut pm = example();
        pm.fix.due = "2026-05-18".parse().ok();
        let f = RULE.check(&pm);
        assert!(
            f[0].message
                .contains("due 2026-05-18, before the postmortem was held on 2026-05-19")
        );
    }

    #[test]
    fn quiet_on_the_day_itself_and_later() {
        let mut pm = example();
        pm.fix.due = "2026-05-19".parse().ok();
        assert!(codes(&RULE, &pm).is_empty());
        assert!(codes(&RULE, &example()).is_empty());
    }
}
