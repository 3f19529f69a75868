//! Proptest strategies for arbitrary postmortems, for the property tests of
//! the crates that read, render or judge them. Behind the `arbitrary`
//! feature; enable it from a dev-dependency.
//!
//! [`postmortem`] assembles a [`Postmortem`] from [`Parts`]: one strategy
//! per kind of leaf value (prose, names, times, logins, paths, ...). A
//! suite starts from [`Parts::with_prose`], which takes valid values
//! everywhere and its own prose, and swaps in the parts it cares about:
//! a renderer feeds prose hostile to its format, a linter feeds the words
//! its rules look for and strings that may not parse at all.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};
use proptest::prelude::*;
use proptest::sample::select;

use crate::{
    AdrImplication, ChainLevel, ChainLevelFix, ChainWalk, FixStatus, FixTest, Holder, HolderRole,
    Incident, IncidentId, LevelAnswer, Login, Postmortem, Reader, RepoPath, RunbookUpdate,
    ServiceName, Severity, TestBinding, TimelineEntry, Timestamp, Verdict,
};

/// The leaf strategies an arbitrary [`Postmortem`] is built from. Every
/// field is public: override the ones a suite cares about, e.g.
/// `Parts { login: parsed(&["senior-dev"]).boxed(), ..Parts::with_prose(p) }`.
#[derive(Debug, Clone)]
pub struct Parts {
    /// Free text: titles, impact, reasoning, statements, timeline text,
    /// runbook notes, ADR titles and reasons.
    pub prose: BoxedStrategy<String>,
    /// People as the timeline names them: participants and entry authors.
    pub name: BoxedStrategy<String>,
    /// Every point in time: incident times, `held_at`, timeline entries.
    pub timestamp: BoxedStrategy<Timestamp>,
    /// Every date: the fix's due date and ADR conversations.
    pub date: BoxedStrategy<NaiveDate>,
    /// The verdict of each level of the walk.
    pub verdict: BoxedStrategy<Verdict>,
    /// The incident's id, `None` for a missing one.
    pub incident_id: BoxedStrategy<Option<IncidentId>>,
    /// One affected service; `None`s are dropped from the list.
    pub service: BoxedStrategy<Option<ServiceName>>,
    /// The holder's and the fix owner's login.
    pub login: BoxedStrategy<Option<Login>>,
    /// The runbook's and the ADRs' paths.
    pub repo_path: BoxedStrategy<Option<RepoPath>>,
    /// One reader; `None`s are dropped from the list.
    pub reader: BoxedStrategy<Option<Reader>>,
    /// The fix test's binding to a check.
    pub binding: BoxedStrategy<Option<TestBinding>>,
}

impl Parts {
    /// Valid values everywhere ([`timestamp`], [`date`], [`login`], ...),
    /// uniform verdicts, and `prose` for every text and every name.
    pub fn with_prose(prose: impl Strategy<Value = String> + 'static) -> Parts {
        let prose = prose.boxed();
        Parts {
            name: prose.clone(),
            timestamp: timestamp().boxed(),
            date: date().boxed(),
            verdict: select(&Verdict::ALL[..]).boxed(),
            incident_id: prop::option::of(incident_id()).boxed(),
            service: service().prop_map(Some).boxed(),
            login: prop::option::of(login()).boxed(),
            repo_path: prop::option::of(repo_path()).boxed(),
            reader: reader().prop_map(Some).boxed(),
            binding: prop::option::of(binding(prose.clone())).boxed(),
            prose,
        }
    }
}

/// A valid incident id.
pub fn incident_id() -> impl Strategy<Value = IncidentId> {
    "[A-Za-z0-9][A-Za-z0-9._-]{0,20}".prop_filter_map("valid id", |s| s.parse().ok())
}

/// A valid GitHub login.
pub fn login() -> impl Strategy<Value = Login> {
    "[A-Za-z0-9]([A-Za-z0-9-]{0,10}[A-Za-z0-9])?".prop_filter_map("valid login", |s| s.parse().ok())
}

/// A valid service name.
pub fn service() -> impl Strategy<Value = ServiceName> {
    "[A-Za-z0-9._/-]{1,20}".prop_filter_map("valid service", |s| s.parse().ok())
}

/// A valid path inside a repository, with characters Markdown cares about.
pub fn repo_path() -> impl Strategy<Value = RepoPath> {
    prop::collection::vec("[A-Za-z0-9 _.@<>&|#`*\\[\\]-]{1,8}", 1..4)
        .prop_filter_map("valid path", |segs| segs.join("/").parse().ok())
}

/// A valid reader: a user or a team.
pub fn reader() -> impl Strategy<Value = Reader> {
    prop_oneof![
        login().prop_map(Reader::User),
        (login(), "[A-Za-z0-9_-]{1,10}").prop_map(|(org, team)| Reader::Team { org, team }),
    ]
}

/// A timestamp RFC 3339 can write: years 1000 to 9999, offsets in whole
/// minutes, sometimes with nanoseconds.
pub fn timestamp() -> impl Strategy<Value = Timestamp> {
    let secs = prop_oneof![
        (-15_000_000i64..4_200_000i64).prop_map(|m| m * 60),
        -30_610_224_000i64..253_402_214_400i64,
    ];
    let nanos = prop_oneof![3 => Just(0u32), 1 => 0u32..1_000_000_000];
    (secs, nanos, -1439i32..=1439).prop_map(|(s, n, off)| {
        let offset = FixedOffset::east_opt(off * 60).unwrap();
        DateTime::from_timestamp(s, n)
            .unwrap()
            .with_timezone(&offset)
    })
}

/// A date with a four-digit year.
pub fn date() -> impl Strategy<Value = NaiveDate> {
    (-300_000i32..2_900_000)
        .prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d + 719_163).unwrap())
}

/// A valid test binding: a workflow file, or a check run or status named
/// by `prose`.
pub fn binding(prose: impl Strategy<Value = String> + Clone) -> impl Strategy<Value = TestBinding> {
    let branch = "[A-Za-z0-9/_.@<&-]{1,12}";
    let who = "[a-z0-9][a-z0-9-]{0,8}(\\[bot\\])?";
    prop_oneof![
        (
            "[A-Za-z0-9._-]{1,10}\\.ya?ml",
            branch,
            prop_oneof![Just(String::new()), prose.clone()]
        )
            .prop_map(|(t, b, job)| ("workflow", t, b, job)),
        (prose.clone(), branch, "[a-z0-9][a-z0-9-]{0,8}").prop_map(|(t, b, a)| (
            "check-run",
            t,
            b,
            a
        )),
        (prose, branch, who).prop_map(|(t, b, c)| ("status", t, b, c)),
    ]
    .prop_filter_map("valid binding", |(k, t, b, d)| {
        TestBinding::new(k, t.trim(), &b, d.trim()).ok()
    })
}

/// `T` parsed from one of `candidates` or from a short string of name
/// characters; `None` when it does not parse.
pub fn parsed<T>(candidates: &'static [&'static str]) -> impl Strategy<Value = Option<T>>
where
    T: std::str::FromStr + std::fmt::Debug + Clone + 'static,
{
    prop_oneof![
        select(candidates).prop_map(|s| s.parse::<T>().ok()),
        "[A-Za-z0-9./_-]{0,12}".prop_map(|s| s.parse::<T>().ok()),
    ]
}

fn incident(parts: &Parts) -> impl Strategy<Value = Incident> + use<> {
    let time = || prop::option::of(parts.timestamp.clone());
    (
        parts.incident_id.clone(),
        parts.prose.clone(),
        prop::collection::vec(parts.service.clone(), 0..3),
        prop::option::of(select(&Severity::ALL[..])),
        (time(), time(), time(), time()),
        parts.prose.clone(),
    )
        .prop_map(
            |(id, title, services, severity, (s, d, m, r), user_impact)| Incident {
                id,
                title,
                services: services.into_iter().flatten().collect(),
                severity,
                started_at: s,
                detected_at: d,
                mitigated_at: m,
                resolved_at: r,
                user_impact,
            },
        )
}

fn entry(parts: &Parts) -> impl Strategy<Value = TimelineEntry> + use<> {
    (
        parts.timestamp.clone(),
        prop::option::of(parts.timestamp.clone()),
        parts.prose.clone(),
        prop::option::of(parts.name.clone()),
    )
        .prop_map(|(at, written_at, text, author)| TimelineEntry {
            at,
            written_at,
            text,
            author,
        })
}

/// An entry written minutes after the event, the usual case.
fn entry_written_soon(parts: &Parts) -> impl Strategy<Value = TimelineEntry> + use<> {
    (entry(parts), 0i64..600).prop_map(|(mut e, secs)| {
        e.written_at = Some(e.at + TimeDelta::seconds(secs));
        e
    })
}

fn walk(parts: &Parts) -> impl Strategy<Value = ChainWalk> + use<> {
    let answer = || {
        (parts.verdict.clone(), parts.prose.clone())
            .prop_map(|(verdict, reasoning)| LevelAnswer { verdict, reasoning })
    };
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

fn fix(parts: &Parts) -> impl Strategy<Value = ChainLevelFix> + use<> {
    (
        prop::option::of(select(&ChainLevel::ALL[..])),
        parts.prose.clone(),
        parts.login.clone(),
        prop::option::of(parts.date.clone()),
        parts.prose.clone(),
        parts.binding.clone(),
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

fn runbook(parts: &Parts) -> impl Strategy<Value = RunbookUpdate> + use<> {
    let prose = || parts.prose.clone();
    (parts.repo_path.clone(), prose(), prose(), prose()).prop_map(
        |(path, worked, did_not_work, faster_next_time)| RunbookUpdate {
            path,
            worked,
            did_not_work,
            faster_next_time,
        },
    )
}

fn adr(parts: &Parts) -> impl Strategy<Value = AdrImplication> + use<> {
    let date = prop::option::of(parts.date.clone());
    (
        parts.repo_path.clone(),
        parts.prose.clone(),
        parts.prose.clone(),
        date,
    )
        .prop_map(|(path, title, why, conversation_on)| AdrImplication {
            path,
            title,
            why,
            conversation_on,
        })
}

/// An arbitrary postmortem built from `parts`: every field filled or left
/// empty, up to three services, four participants, six timeline entries
/// (some written minutes after the event), three ADRs and three readers.
pub fn postmortem(parts: &Parts) -> impl Strategy<Value = Postmortem> + use<> {
    let holder = (
        parts.login.clone(),
        prop::option::of(select(&[HolderRole::TechLead, HolderRole::OnCall][..])),
    )
        .prop_map(|(login, role)| Holder { login, role });
    (
        incident(parts),
        holder,
        prop::option::of(parts.timestamp.clone()),
        prop::collection::vec(parts.name.clone(), 0..4),
        prop::collection::vec(prop_oneof![entry(parts), entry_written_soon(parts)], 0..6),
        walk(parts),
        fix(parts),
        runbook(parts),
        prop::collection::vec(adr(parts), 0..3),
        prop::collection::vec(parts.reader.clone(), 0..3),
    )
        .prop_map(
            |(
                incident,
                holder,
                held_at,
                participants,
                timeline,
                walk,
                fix,
                runbook,
                adrs,
                readers,
            )| Postmortem {
                incident,
                holder,
                held_at,
                participants,
                timeline,
                walk,
                fix,
                runbook,
                adrs,
                readers: readers.into_iter().flatten().collect(),
                ..Postmortem::default()
            },
        )
}
