//! Strategies for arbitrary postmortems, shared by the property tests.
//! Prose mixes arbitrary Unicode with the fragments most likely to break a
//! Markdown document: headings, fences, table pipes, HTML, comments,
//! mentions, backslashes, entities, line endings and the document's own
//! labels and placeholders.

#![allow(dead_code)]

use chrono::{DateTime, FixedOffset, NaiveDate};
use postmortem_model::{
    AdrImplication, ChainLevel, ChainLevelFix, ChainWalk, FixStatus, FixTest, Holder, HolderRole,
    Incident, IncidentId, LevelAnswer, Login, Postmortem, Reader, RepoPath, RunbookUpdate,
    ServiceName, Severity, TestBinding, TimelineEntry, Timestamp, Verdict,
};
use proptest::prelude::*;
use proptest::sample::select;

const TRICKY: &[&str] = &[
    "#",
    "# ",
    "## Incident",
    "### L3 Scope",
    "---",
    "***",
    "===",
    "|",
    "| a | b |",
    "|---|",
    "`",
    "```",
    "~~~",
    "<!--",
    "-->",
    "<b>",
    "</div>",
    "<br>",
    "@alice",
    "@acme/leadership",
    "@",
    "\\",
    "\\\\",
    "\r\n",
    "\n",
    "\r",
    "\n\n\n",
    "  ",
    "    ",
    "\t",
    "1. ",
    "2) ",
    "- ",
    "* ",
    "+ ",
    "> ",
    "=",
    "_",
    "_Not written yet._",
    "_not set_",
    "_None._",
    "_blank_",
    "_Untitled_",
    "&amp;",
    "&#8203;",
    "&nbsp;",
    "&",
    ";",
    "**",
    "- **Owner:** x",
    "- **Checked by:** workflow a.yml on main",
    "**Was a story missing, cut or slipped?** Yes.",
    "[x]: http://e",
    "[^1]: n",
    "$$",
    " on ",
    ":",
    ": ",
    " #",
    "\"",
    "'",
    "[",
    "]",
    ",",
    "{",
    "~",
    "null",
    "yes",
    "1e3",
    "\u{200B}",
    "\u{a0}",
    "\u{2028}",
    "\u{feff}",
    "é",
    "中文",
    "🦀",
    "\u{0}",
    "\u{7f}",
    "\u{85}",
];

/// Arbitrary text, most of it hostile to Markdown.
pub fn prose() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => select(TRICKY).prop_map(str::to_owned),
            2 => "[a-zA-Z0-9 .]{0,12}",
            1 => any::<String>(),
        ],
        0..10,
    )
    .prop_map(|parts| parts.concat())
}

pub fn incident_id() -> impl Strategy<Value = IncidentId> {
    "[A-Za-z0-9][A-Za-z0-9._-]{0,20}".prop_filter_map("valid id", |s| s.parse().ok())
}

pub fn login() -> impl Strategy<Value = Login> {
    "[A-Za-z0-9]([A-Za-z0-9-]{0,10}[A-Za-z0-9])?".prop_filter_map("valid login", |s| s.parse().ok())
}

pub fn service() -> impl Strategy<Value = ServiceName> {
    "[A-Za-z0-9._/-]{1,20}".prop_filter_map("valid service", |s| s.parse().ok())
}

pub fn repo_path() -> impl Strategy<Value = RepoPath> {
    prop::collection::vec("[A-Za-z0-9 _.@<>&|#`*\\[\\]-]{1,8}", 1..4)
        .prop_filter_map("valid path", |segs| segs.join("/").parse().ok())
}

pub fn reader() -> impl Strategy<Value = Reader> {
    prop_oneof![
        login().prop_map(Reader::User),
        (login(), "[A-Za-z0-9_-]{1,10}").prop_map(|(org, team)| Reader::Team { org, team }),
    ]
}

pub fn timestamp() -> impl Strategy<Value = Timestamp> {
    // Years 1000 to 9999 (RFC 3339's range), offsets in whole minutes.
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

pub fn date() -> impl Strategy<Value = NaiveDate> {
    (-300_000i32..2_900_000)
        .prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d + 719_163).unwrap())
}

pub fn binding() -> impl Strategy<Value = TestBinding> {
    let branch = "[A-Za-z0-9/_.@<&-]{1,12}";
    prop_oneof![
        ("[A-Za-z0-9._-]{1,10}\\.ya?ml", branch).prop_map(|(t, b)| ("workflow", t, b)),
        (prose(), branch).prop_map(|(t, b)| ("check-run", t, b)),
        (prose(), branch).prop_map(|(t, b)| ("status", t, b)),
    ]
    .prop_filter_map("valid binding", |(k, t, b)| {
        TestBinding::new(k, t.trim(), &b).ok()
    })
}

fn level_answer() -> impl Strategy<Value = LevelAnswer> {
    (select(Verdict::ALL.to_vec()), prose())
        .prop_map(|(verdict, reasoning)| LevelAnswer { verdict, reasoning })
}

fn incident() -> impl Strategy<Value = Incident> {
    (
        prop::option::of(incident_id()),
        prose(),
        prop::collection::vec(service(), 0..3),
        prop::option::of(select(Severity::ALL.to_vec())),
        prop::option::of(timestamp()),
        prop::option::of(timestamp()),
        prop::option::of(timestamp()),
        prop::option::of(timestamp()),
        prose(),
    )
        .prop_map(
            |(id, title, services, severity, s, d, m, r, user_impact)| Incident {
                id,
                title,
                services,
                severity,
                started_at: s,
                detected_at: d,
                mitigated_at: m,
                resolved_at: r,
                user_impact,
            },
        )
}

fn entry() -> impl Strategy<Value = TimelineEntry> {
    (
        timestamp(),
        prop::option::of(timestamp()),
        prose(),
        prop::option::of(prose()),
    )
        .prop_map(|(at, written_at, text, author)| TimelineEntry {
            at,
            written_at,
            text,
            author,
        })
}

/// An entry written minutes after the event, the usual case.
fn entry_written_soon() -> impl Strategy<Value = TimelineEntry> {
    (entry(), 0i64..600).prop_map(|(mut e, secs)| {
        e.written_at = Some(e.at + chrono::TimeDelta::seconds(secs));
        e
    })
}

fn fix() -> impl Strategy<Value = ChainLevelFix> {
    (
        prop::option::of(select(ChainLevel::ALL.to_vec())),
        prose(),
        prop::option::of(login()),
        prop::option::of(date()),
        prose(),
        prop::option::of(binding()),
        select(FixStatus::ALL.to_vec()),
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

fn adr() -> impl Strategy<Value = AdrImplication> {
    (
        prop::option::of(repo_path()),
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

pub fn postmortem() -> impl Strategy<Value = Postmortem> {
    let walk = prop::collection::vec(level_answer(), 5).prop_map(|mut v| ChainWalk {
        operation: v.pop().unwrap(),
        execution: v.pop().unwrap(),
        scope: v.pop().unwrap(),
        discovery: v.pop().unwrap(),
        strategy: v.pop().unwrap(),
    });
    let runbook = (prop::option::of(repo_path()), prose(), prose(), prose()).prop_map(
        |(path, worked, did_not_work, faster_next_time)| RunbookUpdate {
            path,
            worked,
            did_not_work,
            faster_next_time,
        },
    );
    let holder = (
        prop::option::of(login()),
        prop::option::of(select(vec![HolderRole::TechLead, HolderRole::OnCall])),
    )
        .prop_map(|(login, role)| Holder { login, role });
    (
        incident(),
        holder,
        prop::option::of(timestamp()),
        prop::collection::vec(prose(), 0..4),
        prop::collection::vec(prop_oneof![entry(), entry_written_soon()], 0..5),
        walk,
        fix(),
        runbook,
        prop::collection::vec(adr(), 0..3),
        prop::collection::vec(reader(), 0..3),
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
                readers,
                ..Postmortem::default()
            },
        )
}
