//! PM005 no-holder: the postmortem is driven by the TL, or the on-call who
//! held the bridge; the holder says who and which.

use postmortem_model::Postmortem;

use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM005",
    name: "no-holder",
    severity: Severity::Warning,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "Nobody is named as holding the postmortem, or not as TL or on-call.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"Driven by the TL (or the on-call who held the bridge).\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    if pm.holder.login.is_none() {
        let message = say!(out,
            doc: "Nobody holds the postmortem: the practice has the TL, or the on-call who held the bridge, drive it, so set the holder's login (the postmortem itself, not a chain level).",
            form: "Enter who holds the postmortem: the tech lead, or the on-call who held the bridge.",
        );
        out.push(rule.finding(None, "holder.login", message));
    } else if pm.holder.role.is_none() {
        let message = say!(out,
            doc: "The holder's role is not given: say whether they hold the postmortem as tech-lead or as the on-call who held the bridge (the postmortem itself, not a chain level).",
            form: "Choose the holder's role: tech lead, or the on-call who held the bridge.",
        );
        out.push(rule.finding(None, "holder.role", message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_without_login_then_without_role() {
        let mut pm = example();
        pm.holder.role = None;
        assert_eq!(RULE.check(&pm)[0].field.as_str(), "holder.role");
        pm.holder.login = None;
        let f = RULE.check(&pm);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].field.as_str(), "holder.login");
    }

    #[test]
    fn quiet_with_a_holder() {
        assert!(codes(&RULE, &example()).is_empty());
    }
}
