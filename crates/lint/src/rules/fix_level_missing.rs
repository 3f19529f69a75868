//! PM301 fix-level-missing: the fix is always at a chain level, the level
//! that produced the incident.

use postmortem_model::Postmortem;

use super::level_list;
use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM301",
    name: "fix-level-missing",
    severity: Severity::Error,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "The fix names no chain level.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"The fix is always at a chain level.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    if pm.fix.level.is_some() {
        return;
    }
    let contributing = pm.walk.contributing();
    let message = say!(out,
        doc: {
            let hint = if contributing.is_empty() {
                "set fix.level to the level the walk finds produced the incident".to_owned()
            } else {
                format!(
                    "set fix.level to the level that produced the incident; the walk found {} contributing",
                    level_list(&contributing)
                )
            };
            format!("The fix names no chain level, but the fix is always at a chain level: {hint}.")
        },
        form: if contributing.is_empty() {
            "Choose the level of the fix: the level the walk finds produced the incident.".to_owned()
        } else {
            format!(
                "Choose the level of the fix: the walk found {} contributing.",
                level_list(&contributing)
            )
        },
    );
    out.push(rule.finding(None, "fix.level", message));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_and_suggests_the_contributing_level() {
        let mut pm = example();
        pm.fix.level = None;
        let f = RULE.check(&pm);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .contains("the walk found L3 Scope contributing")
        );
    }

    #[test]
    fn quiet_with_a_level() {
        assert!(codes(&RULE, &example()).is_empty());
    }
}
