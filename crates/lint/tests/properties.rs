//! `lint` never panics on arbitrary postmortems, and is deterministic.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use postmortem_lint::{Severity, lint, lint_with_source, rules};
use postmortem_model::arbitrary::{Parts, parsed, postmortem as postmortem_from};
use postmortem_model::{
    ChainLevel, FieldPath, Postmortem, SourceMap, TestBinding, Timestamp, Verdict,
};
use proptest::prelude::*;
use proptest::sample::select;

/// Words the heuristic rules look for, so that generated prose exercises
/// them, mixed with arbitrary text.
const WORDS: &[&str] = &[
    "Maya",
    "maya",
    "Will",
    "PO",
    "the senior dev",
    "senior-dev",
    "@octocat",
    "@here",
    "ops@acme.com",
    "be more careful",
    "we need to be more",
    "remember to",
    "communicate better",
    "alert",
    "dashboard",
    "threshold",
    "runbook",
    "RB-021",
    "on-call",
    "p95",
    "<500ms",
    "2026-05-30",
    "Sunday",
    "May",
    "queue.render.p95",
    "e.g.",
    "next release",
    "İ",
    "ß",
    "é",
    "\n",
    "\n\n",
    " ",
    "",
    "-",
    "'",
    ".",
    "more",
    "be",
    "\u{0}",
    "\u{202e}",
    "日本語",
    "🙂",
];

fn prose() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just(String::new()),
        3 => prop::collection::vec(select(WORDS), 0..8).prop_map(|w| w.join(" ")),
        1 => any::<String>(),
        1 => prop::collection::vec(select(WORDS), 0..6).prop_map(|w| w.concat()),
    ]
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        select(
            &[
                "Maya",
                "Maya Patel",
                "PO",
                "the senior dev",
                "pagerbot",
                "X",
                "Will",
                "Bo",
                "",
                " ",
                "on-call",
                "ü"
            ][..]
        )
        .prop_map(str::to_owned),
        any::<String>(),
    ]
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    // Anywhere from the year 1 to 9999, near the example's week more often.
    let near = (1_779_000_000i64..1_780_000_000i64).boxed();
    let far = (-62_135_596_800i64..253_402_300_799i64).boxed();
    (prop_oneof![3 => near, 1 => far], -86_399i32..86_400i32).prop_map(|(secs, offset)| {
        let offset =
            FixedOffset::east_opt(offset).unwrap_or_else(|| FixedOffset::east_opt(0).unwrap());
        DateTime::from_timestamp(secs, 0)
            .map(|t| t.with_timezone(&offset))
            .unwrap_or_else(|| offset.timestamp_opt(0, 0).unwrap())
    })
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (-700_000i32..3_000_000i32)
        .prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).unwrap_or(NaiveDate::MIN))
}

fn verdict() -> impl Strategy<Value = Verdict> {
    // "No" is the common answer, so that whole walks of "no" turn up too.
    prop_oneof![3 => Just(Verdict::No), 1 => select(&Verdict::ALL[..])]
}

fn binding() -> impl Strategy<Value = Option<TestBinding>> {
    (
        select(&["workflow", "check-run", "status", "nightly"][..]),
        select(&["cold-start.yml", "cold start", "", "../x.yml"][..]),
        select(&["main", "a..b", "release/2026"][..]),
        select(&["", "ci-bot", "github-actions[bot]", "p95 gate"][..]),
    )
        .prop_map(|(k, t, b, d)| TestBinding::new(k, t, b, d).ok())
}

/// Postmortems whose words, names, logins and paths are the ones the
/// rules look for, mixed with arbitrary text and strings that do not parse.
fn postmortem() -> impl Strategy<Value = Postmortem> {
    postmortem_from(&Parts {
        name: name().boxed(),
        timestamp: timestamp().boxed(),
        date: date().boxed(),
        verdict: verdict().boxed(),
        incident_id: parsed(&["INC-2026-0142", "a b", ""]).boxed(),
        service: "[a-z/._-]{0,10}".prop_map(|s| s.parse().ok()).boxed(),
        login: parsed(&["senior-dev", "tl", "alice", "maya", "po", "a", "-x"]).boxed(),
        repo_path: parsed(&["docs/adr/0012.md", "/etc/passwd", "runbooks/RB-021.md"]).boxed(),
        reader: parsed(&["acme/leadership", "alice", "maya", "@x"]).boxed(),
        binding: binding().boxed(),
        ..Parts::with_prose(prose())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn lint_never_panics_and_is_deterministic(pm in postmortem()) {
        let first = lint(&pm);
        prop_assert_eq!(&first, &lint(&pm.clone()));
        // Every finding belongs to a rule of the catalogue and agrees with it.
        for f in &first {
            let rule = rules().iter().find(|r| r.code == f.code);
            prop_assert!(rule.is_some(), "{} not in the catalogue", f.code);
            let rule = rule.unwrap();
            prop_assert_eq!(rule.name, f.rule);
            prop_assert_eq!(rule.severity, f.severity);
            if rule.level.is_some() {
                prop_assert_eq!(rule.level, f.level);
            }
            prop_assert!(!f.message.is_empty());
            prop_assert!(f.message.ends_with('.'), "{}", f.message);
            if let Some(q) = &f.quote {
                prop_assert!(!q.is_empty());
            }
        }
        // Lines from a source map never change anything else.
        let mut map = SourceMap::new();
        map.insert(FieldPath::new("fix"), 7);
        let with_lines = lint_with_source(&pm, &map);
        prop_assert_eq!(with_lines.len(), first.len());
        for (a, b) in first.iter().zip(&with_lines) {
            prop_assert_eq!((a.code, &a.field, &a.message), (b.code, &b.field, &b.message));
        }
    }

    #[test]
    fn normalising_prose_never_panics_either(pm in postmortem()) {
        let _ = lint(&pm.normalized());
    }

    #[test]
    fn quotes_are_the_exact_words_of_the_field(pm in postmortem()) {
        for f in lint(&pm) {
            if let Some(q) = &f.quote {
                let text = field_text(&pm, f.field.as_str());
                prop_assert!(text.is_some(), "{} quotes a field without text: {}", f.code, f.field);
                prop_assert!(text.unwrap().contains(q.as_str()), "{} quotes {:?}", f.code, q);
            }
        }
    }

    #[test]
    fn an_empty_postmortem_is_all_errors_never_a_panic(_x in 0u8..1) {
        let findings = lint(&Postmortem::default());
        prop_assert!(findings.iter().any(|f| f.severity == Severity::Error));
    }
}

/// The prose of a field a heuristic rule may quote.
fn field_text<'a>(pm: &'a Postmortem, path: &str) -> Option<&'a str> {
    let text = match path {
        "fix.statement" => &pm.fix.statement,
        "fix.test.statement" => &pm.fix.test.statement,
        "runbook.worked" => &pm.runbook.worked,
        "runbook.did_not_work" => &pm.runbook.did_not_work,
        "runbook.faster_next_time" => &pm.runbook.faster_next_time,
        _ => {
            if let Some(level) = ChainLevel::ALL
                .into_iter()
                .find(|l| FieldPath::walk(*l, "reasoning").as_str() == path)
            {
                &pm.walk.get(level).reasoning
            } else {
                let i: usize = path
                    .strip_prefix("adrs[")?
                    .strip_suffix("].why")?
                    .parse()
                    .ok()?;
                &pm.adrs.get(i)?.why
            }
        }
    };
    Some(text)
}

/// The generator is not vacuous: over a fixed sample it reaches every rule
/// that a postmortem value can break, heuristic rules included.
#[test]
fn the_generator_reaches_every_rule() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::collections::BTreeSet;

    let mut runner = TestRunner::deterministic();
    let strategy = postmortem();
    let mut seen = BTreeSet::new();
    for _ in 0..1500 {
        let pm = strategy.new_tree(&mut runner).unwrap().current();
        seen.extend(lint(&pm).into_iter().map(|f| f.code));
    }
    let missing: Vec<&str> = rules()
        .iter()
        .map(|r| r.code)
        .filter(|c| *c != "PM303" && !seen.contains(c))
        .collect();
    assert!(missing.is_empty(), "never reached: {missing:?}");
}
