//! PM311 names-outside-timeline: blameless. Names of people appear only in
//! the timeline; the fix is at a level, not a person.
//!
//! The names are the participants, the timeline's authors, the holder, the
//! fix owner and the readers who are single users, plus any `@mention`.
//! They are looked for, as whole words, in the walk's reasoning, the fix
//! and its test, the runbook update and the ADRs' reasons.
//!
//! Care with short names and roles:
//! - roles the practice itself uses as positions in the chain (on-call,
//!   TL, tech lead, PO, PM, EM, SRE, QA, IC, …) and bots (`pagerbot`,
//!   `deploy[bot]`) are not names;
//! - names of four or more letters match case-insensitively; names of two
//!   or three letters, and names that are also common words (Will, May,
//!   Grace, Mark, …), match only as written; one-letter names never match;
//! - logins shorter than four characters are matched only as `@login`;
//! - a participant written as a proper name ("Maya Patel") is also found
//!   by each part ("Maya").

use postmortem_model::{ChainLevel, FieldPath, Postmortem, Reader};

use crate::text::{find, is_word_char};
use crate::{Out, Rule, Severity, say};

/// Roles, not people: the positions the practice speaks of.
const ROLES: &[&str] = &[
    "on-call",
    "oncall",
    "on call",
    "the on-call",
    "on-call engineer",
    "tl",
    "the tl",
    "tech lead",
    "the tech lead",
    "technical lead",
    "po",
    "the po",
    "product owner",
    "the product owner",
    "pm",
    "product manager",
    "em",
    "engineering manager",
    "ic",
    "incident commander",
    "sre",
    "qa",
    "cto",
    "ceo",
    "vp",
    "team",
    "the team",
    "everyone",
    "support",
    "leadership",
    "client",
    "customer",
];

/// Names that are also common words, matched only as written.
const COMMON_WORDS: &[&str] = &[
    "will", "may", "june", "april", "august", "mark", "bill", "rich", "grace", "hope", "joy",
    "faith", "page", "art", "rose", "jack", "chase", "drew", "pat", "sue", "gene", "dawn",
    "summer", "ray", "sky", "max", "frank", "glen", "hunter", "skip", "lane", "reed", "wade",
    "ward", "young", "long", "cash", "king", "rob", "guy", "sage", "storm", "river", "miles",
    "penny", "robin", "carol", "amber", "crystal", "ruby", "victor", "don", "sandy", "brook",
    "ash", "cliff", "dean", "norm", "wes", "ben", "al", "ed", "jo", "bo",
];

/// Mentions that notify a channel, not a person.
const CHANNEL_MENTIONS: &[&str] = &["here", "channel", "everyone", "all"];

/// One name to look for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Name {
    text: String,
    case_sensitive: bool,
}

fn is_role(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    ROLES.contains(&lower.as_str())
}

fn is_bot(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    lower.ends_with("bot")
        || lower.ends_with("[bot]")
        || [
            "pagerduty",
            "opsgenie",
            "alertmanager",
            "system",
            "automation",
            "ci",
        ]
        .contains(&lower.as_str())
}

/// A person's name as written in the timeline or the participants.
fn person(name: &str, out: &mut Vec<Name>) {
    let name = name.trim();
    if is_role(name) || is_bot(name) || !name.chars().any(char::is_alphabetic) {
        return;
    }
    let len = name.chars().count();
    if len < 2 {
        return;
    }
    let common = COMMON_WORDS.contains(&name.to_ascii_lowercase().as_str());
    out.push(Name {
        text: name.to_owned(),
        case_sensitive: len <= 3 || common,
    });
    // "Maya Patel": each capitalised part is a name too.
    let parts: Vec<&str> = name.split_whitespace().collect();
    if parts.len() > 1
        && parts
            .iter()
            .all(|p| p.chars().next().is_some_and(char::is_uppercase))
    {
        for p in parts {
            let len = p.chars().count();
            if len >= 3 && !is_role(p) {
                let common = COMMON_WORDS.contains(&p.to_ascii_lowercase().as_str());
                out.push(Name {
                    text: p.to_owned(),
                    case_sensitive: len <= 3 || common,
                });
            }
        }
    }
}

/// A GitHub login: matched as a word when long enough to be unambiguous.
fn login(login: &str, out: &mut Vec<Name>) {
    if login.len() >= 4 && !is_role(login) && !is_bot(login) {
        out.push(Name {
            text: login.to_owned(),
            case_sensitive: COMMON_WORDS.contains(&login.to_ascii_lowercase().as_str()),
        });
    }
}

fn names(pm: &Postmortem) -> Vec<Name> {
    let mut out = Vec::new();
    for p in &pm.participants {
        person(p, &mut out);
    }
    for a in pm.timeline.iter().filter_map(|e| e.author.as_deref()) {
        person(a, &mut out);
    }
    for l in [&pm.holder.login, &pm.fix.owner].into_iter().flatten() {
        login(l.as_str(), &mut out);
    }
    for r in &pm.readers {
        if let Reader::User(l) = r {
            login(l.as_str(), &mut out);
        }
    }
    // Longest first, so "Maya Patel" is quoted whole rather than "Maya".
    out.sort_by(|a, b| b.text.len().cmp(&a.text.len()).then(a.text.cmp(&b.text)));
    out.dedup_by(|a, b| {
        a.text.eq_ignore_ascii_case(&b.text) && a.case_sensitive == b.case_sensitive
    });
    out
}

/// The first `@mention` of a person in `text`.
fn mention(text: &str) -> Option<(usize, usize)> {
    for (at, _) in text.match_indices('@') {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| is_word_char(c) || c == '.' || c == '-') {
            continue; // an e-mail address or a version
        }
        let rest = &text[at + 1..];
        let len = rest
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '/' || *c == '_'))
            .map_or(rest.len(), |(j, _)| j);
        let handle = rest[..len].trim_end_matches(['/', '-']);
        if handle.is_empty()
            || !handle
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric())
            || CHANNEL_MENTIONS.contains(&handle.to_ascii_lowercase().as_str())
        {
            continue;
        }
        return Some((at, at + 1 + handle.len()));
    }
    None
}

/// The first name (or mention) in `text`: earliest, longest.
fn first_name(text: &str, names: &[Name]) -> Option<(usize, usize)> {
    names
        .iter()
        .filter_map(|n| find(text, &n.text, n.case_sensitive))
        .chain(mention(text))
        .min_by_key(|(start, end)| (*start, usize::MAX - end))
}

pub(crate) const RULE: Rule = Rule {
    code: "PM311",
    name: "names-outside-timeline",
    severity: Severity::Error,
    level: None,
    #[cfg(any(test, feature = "docs"))]
    summary: "A person's name appears outside the timeline (walk, fix, runbook or ADR).",
    #[cfg(any(test, feature = "docs"))]
    practice: "\"Blameless. Names appear only in the timeline. The fix is at a level, not a person.\"",
    check,
};

fn check(rule: &Rule, pm: &Postmortem, out: &mut Out) {
    let names = names(pm);
    let fix_level = pm.fix.level;
    let fix_label = fix_level.map_or_else(|| "its level".to_owned(), |l| l.label());
    let mut fields: Vec<(FieldPath, &str, Option<ChainLevel>, String)> = Vec::new();
    for level in ChainLevel::ALL {
        fields.push((
            FieldPath::walk(level, "reasoning"),
            &pm.walk.get(level).reasoning,
            Some(level),
            format!("The {} reasoning names", level.label()),
        ));
    }
    let fix_what = match fix_level {
        Some(l) => format!("The {} fix", l.label()),
        None => "The fix".to_owned(),
    };
    fields.push((
        "fix.statement".into(),
        &pm.fix.statement,
        fix_level,
        format!("{fix_what} names"),
    ));
    fields.push((
        "fix.test.statement".into(),
        &pm.fix.test.statement,
        fix_level,
        format!("{fix_what}'s test names"),
    ));
    for (field, text) in [
        ("runbook.worked", &pm.runbook.worked),
        ("runbook.did_not_work", &pm.runbook.did_not_work),
        ("runbook.faster_next_time", &pm.runbook.faster_next_time),
    ] {
        fields.push((
            field.into(),
            text,
            Some(ChainLevel::L5),
            "The L5 Operation runbook update names".to_owned(),
        ));
    }
    for (i, adr) in pm.adrs.iter().enumerate() {
        fields.push((
            FieldPath::adr(i, "why"),
            &adr.why,
            None,
            format!("The reason adrs[{i}] is re-opened names"),
        ));
    }
    for (field, text, level, what) in fields {
        let Some((a, b)) = first_name(text, &names) else {
            continue;
        };
        let quote = &text[a..b];
        let instead = if field.as_str().starts_with("fix") {
            format!("restate it as what changes at {fix_label}")
        } else if let Some(l) = level {
            format!("say what {} did or failed to catch, not who", l.label())
        } else {
            "say what the decision got wrong, not who".to_owned()
        };
        let message = say!(out,
            doc: format!(
                "{what} \"{quote}\" outside the timeline; Blameless: names appear only in the timeline; the fix is at a level, not a person, so {instead}."
            ),
            form: format!(
                "“{quote}” names a person, and names belong only in the timeline: {instead}."
            ),
        );
        #[cfg(not(feature = "document"))]
        let _ = what;
        out.push(rule.finding(level, field, message).with_quote(quote));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{codes, example};

    fn with_maya() -> Postmortem {
        let mut pm = example();
        pm.participants = vec!["Maya Patel".into(), "PO".into(), "Will".into(), "Jo".into()];
        pm
    }

    #[test]
    fn fires_on_the_practice_own_example() {
        let mut pm = with_maya();
        pm.fix.statement = "Maya will be more careful next time.".into();
        let f = RULE.check(&pm);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].quote.as_deref(), Some("Maya"));
        assert_eq!(f[0].field.as_str(), "fix.statement");
        assert!(f[0].message.contains(
            "Blameless: names appear only in the timeline; the fix is at a level, not a person"
        ));
    }

    #[test]
    fn fires_on_names_in_the_walk_test_runbook_and_adrs() {
        let mut pm = with_maya();
        pm.walk.execution.reasoning = "maya patel's change worked correctly.".into();
        pm.fix.test.statement = "Checked by @octocat after the next cold start.".into();
        pm.runbook.did_not_work = "The senior dev had to guess at step 3.".into();
        pm.participants.push("the senior dev".into());
        pm.adrs[0].why = "Will chose to warm only after deploys.".into();
        let f = RULE.check(&pm);
        let got: Vec<(&str, Option<&str>)> = f
            .iter()
            .map(|f| (f.field.as_str(), f.quote.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("walk.L4.reasoning", Some("maya patel")),
                ("fix.test.statement", Some("@octocat")),
                ("runbook.did_not_work", Some("The senior dev")),
                ("adrs[0].why", Some("Will")),
            ]
        );
        assert_eq!(f[0].level, Some(ChainLevel::L4));
    }

    #[test]
    fn finds_logins_of_the_holder_owner_and_readers() {
        let mut pm = example();
        pm.fix.test.statement = "senior-dev confirms p95 < 500ms.".into();
        pm.readers.push("alice".parse().unwrap());
        pm.walk.strategy.reasoning = "Alice's bet was right.".into();
        let fields: Vec<String> = RULE
            .check(&pm)
            .iter()
            .map(|f| f.field.to_string())
            .collect();
        assert_eq!(fields, ["walk.L1.reasoning", "fix.test.statement"]);
    }

    #[test]
    fn quiet_on_roles_bots_and_common_words() {
        let mut pm = with_maya();
        pm.timeline[0].author = Some("pagerbot".into());
        pm.walk.operation.reasoning =
            "The on-call used RB-021; the PO was notified; we will page sooner; pagerbot paged at 2s.".into();
        pm.walk.discovery.reasoning =
            "The po-box service and jo-jo queue are unrelated; will it recur? May be.".into();
        pm.fix.statement = "The warming job ships; e-mail ops@acme.com or @here on slips.".into();
        assert!(codes(&RULE, &pm).is_empty(), "{:?}", RULE.check(&pm));
    }

    #[test]
    fn short_names_match_only_as_written() {
        let mut pm = example();
        pm.participants = vec!["Bo".into(), "X".into()];
        pm.walk.scope.reasoning = "The bo story slipped; X marks the spot.".into();
        assert!(codes(&RULE, &pm).is_empty());
        pm.walk.scope.reasoning = "Bo let the story slip.".into();
        assert_eq!(RULE.check(&pm)[0].quote.as_deref(), Some("Bo"));
    }

    #[test]
    fn quiet_on_the_example() {
        assert!(codes(&RULE, &example()).is_empty());
    }
}
