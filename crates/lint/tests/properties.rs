//! `lint` never panics on arbitrary postmortems, and is deterministic.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use postmortem_lint::{Severity, lint, lint_with_source, rules};
use postmortem_model::{
    AdrImplication, ChainLevel, ChainLevelFix, ChainWalk, FieldPath, FixStatus, FixTest, Holder,
    HolderRole, Incident, LevelAnswer, Postmortem, Severity as IncidentSeverity, SourceMap,
    TestBinding, TimelineEntry, Timestamp, Verdict,
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

fn parsed<T: std::str::FromStr + std::fmt::Debug + Clone + 'static>(
    candidates: &'static [&'static str],
) -> impl Strategy<Value = Option<T>> {
    prop_oneof![
        select(candidates).prop_map(|s| s.parse::<T>().ok()),
        "[A-Za-z0-9./_-]{0,12}".prop_map(|s| s.parse::<T>().ok()),
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

fn answer() -> impl Strategy<Value = LevelAnswer> {
    (verdict(), prose()).prop_map(|(verdict, reasoning)| LevelAnswer { verdict, reasoning })
}

fn walk() -> impl Strategy<Value = ChainWalk> {
    (answer(), answer(), answer(), answer(), answer()).prop_map(
        |(strategy, discovery, scope, execution, operation)| ChainWalk {
            strategy,
            discovery,
            scope,
            execution,
            operation,
        },
    )
}

fn binding() -> impl Strategy<Value = Option<TestBinding>> {
    (
        select(&["workflow", "check-run", "status", "nightly"][..]),
        select(&["cold-start.yml", "cold start", "", "../x.yml"][..]),
        select(&["main", "a..b", "release/2026"][..]),
    )
        .prop_map(|(k, t, b)| TestBinding::new(k, t, b).ok())
}

fn fix() -> impl Strategy<Value = ChainLevelFix> {
    (
        prop::option::of(select(&ChainLevel::ALL[..])),
        prose(),
        parsed(&["senior-dev", "maya", "po", "a", "-x"]),
        prop::option::of(date()),
        prose(),
        binding(),
        select(&FixStatus::ALL[..]),
    )
        .prop_map(
            |(level, statement, owner, due, test, binding, status)| ChainLevelFix {
                level,
                statement,
                owner,
                due,
                test: FixTest {
                    statement: test,
                    binding,
                },
                status,
            },
        )
}

fn incident() -> impl Strategy<Value = Incident> {
    (
        parsed(&["INC-2026-0142", "a b", ""]),
        prose(),
        prop::collection::vec("[a-z/._-]{0,10}".prop_map(|s| s.parse().ok()), 0..3),
        prop::option::of(select(&IncidentSeverity::ALL[..])),
        prop::collection::vec(prop::option::of(timestamp()), 4),
        prose(),
    )
        .prop_map(
            |(id, title, services, severity, times, user_impact)| Incident {
                id,
                title,
                services: services.into_iter().flatten().collect(),
                severity,
                started_at: times[0],
                detected_at: times[1],
                mitigated_at: times[2],
                resolved_at: times[3],
                user_impact,
            },
        )
}

fn entry() -> impl Strategy<Value = TimelineEntry> {
    (
        timestamp(),
        prop::option::of(timestamp()),
        prose(),
        prop::option::of(name()),
    )
        .prop_map(|(at, written_at, text, author)| TimelineEntry {
            at,
            written_at,
            text,
            author,
        })
}

fn adr() -> impl Strategy<Value = AdrImplication> {
    (
        parsed(&["docs/adr/0012.md", "/etc/passwd"]),
        prose(),
        prose(),
        prop::option::of(date()),
    )
        .prop_map(|(path, title, why, conversation_on)| AdrImplication {
            path,
            title,
            why,
            conversation_on,
        })
}

prop_compose! {
    fn postmortem()(
        incident in incident(),
        login in parsed(&["senior-dev", "tl", "alice"]),
        role in prop::option::of(select(&[HolderRole::TechLead, HolderRole::OnCall][..])),
        held_at in prop::option::of(timestamp()),
        participants in prop::collection::vec(name(), 0..4),
        timeline in prop::collection::vec(entry(), 0..6),
        walk in walk(),
        fix in fix(),
        runbook in (parsed(&["runbooks/RB-021.md"]), prose(), prose(), prose()),
        adrs in prop::collection::vec(adr(), 0..3),
        readers in prop::collection::vec(parsed(&["acme/leadership", "alice", "maya", "@x"]), 0..3),
    ) -> Postmortem {
        Postmortem {
            incident,
            holder: Holder { login, role },
            held_at,
            participants,
            timeline,
            walk,
            fix,
            runbook: postmortem_model::RunbookUpdate {
                path: runbook.0,
                worked: runbook.1,
                did_not_work: runbook.2,
                faster_next_time: runbook.3,
            },
            adrs,
            readers: readers.into_iter().flatten().collect(),
            ..Postmortem::default()
        }
    }
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
