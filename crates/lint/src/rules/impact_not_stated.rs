//! PM006 impact-not-stated: the practice's timeline closes with who saw
//! what ("~120 graders saw queue >2s"); a postmortem without user impact
//! cannot be weighed.

use postmortem_model::Postmortem;

use super::blank;
use crate::{Out, Rule, Severity, say};

pub(crate) const RULE: Rule = Rule {
    code: "PM006",
    name: "impact-not-stated",
    severity: Severity::Warning,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "The incident does not say who saw what.",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"User impact: ~120 graders saw queue >2s during the window.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    if blank(&pm.incident.user_impact) {
        let message = say!(out,
            doc: "The incident does not state its user impact: say who saw what, in numbers where possible, e.g. \"about 120 graders saw the queue above 2s\" (the incident itself, not a chain level).",
            form: "Describe the user impact: who saw what, in numbers where possible.",
        );
        out.push(rule.finding(None, "incident.user_impact", message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    #[test]
    fn fires_on_blank_impact() {
        let mut pm = example();
        pm.incident.user_impact = " \n".into();
        assert_eq!(codes(&RULE, &pm), ["PM006"]);
    }

    #[test]
    fn quiet_with_impact() {
        assert!(codes(&RULE, &example()).is_empty());
    }
}
