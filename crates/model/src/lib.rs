//! The postmortem as the practice defines it.
//!
//! A postmortem is bound to one [`Incident`], opens with the [`TimelineEntry`]
//! list the on-call wrote during it, walks the five [`ChainLevel`]s in a
//! [`ChainWalk`] and lands exactly one [`ChainLevelFix`]: owned, dated and
//! testable. The absolutes of the practice live in the types: the walk has
//! exactly five answers and the fix is a field, not a list. Everything a
//! person has not filled in yet is an `Option` or an empty string, so a
//! draft is a value of the same type and the linter says what is missing.
//!
//! This crate is pure: no I/O, no clock.

#[cfg(feature = "arbitrary")]
pub mod arbitrary;
mod ids;
mod json;
mod path;
mod text;
pub mod time;

pub use ids::{IncidentId, InvalidName, Login, Reader, RepoPath, ServiceName};
pub use json::{JsonError, from_json, json_error_message, to_json};
pub use path::{FieldPath, SourceMap};
pub use text::{normalize_line, normalize_prose, percent_encode, percent_encode_path};

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The version of the JSON form and of the document's front matter. A reader
/// refuses any other version instead of guessing.
pub const SCHEMA_VERSION: u32 = 1;

/// A point in time as a person wrote it, keeping their UTC offset.
pub type Timestamp = DateTime<FixedOffset>;

/// One postmortem: bound to one incident, with one chain-level fix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Postmortem {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The one incident this postmortem is bound to.
    pub incident: Incident,
    /// Who holds the postmortem: the TL, or the on-call who held the bridge.
    #[serde(default)]
    pub holder: Holder,
    /// When the postmortem is held. The practice asks for within 72 hours
    /// of the incident.
    #[serde(default, with = "time::serde_option_timestamp")]
    #[schemars(with = "Option<Timestamp>")]
    pub held_at: Option<Timestamp>,
    /// Everyone who took part, as they are called in the timeline. Names
    /// may appear in the timeline only; the linter uses this list to find
    /// them anywhere else.
    #[serde(default)]
    pub participants: Vec<String>,
    /// The timeline written during the incident, oldest first.
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
    /// The walk of the five chain levels.
    #[serde(default)]
    pub walk: ChainWalk,
    /// The one chain-level fix. One: the rest go to the retro.
    #[serde(default)]
    pub fix: ChainLevelFix,
    /// What the runbook that was used gets from this incident.
    #[serde(default)]
    pub runbook: RunbookUpdate,
    /// The decisions the incident re-opens.
    #[serde(default)]
    pub adrs: Vec<AdrImplication>,
    /// Leadership who must read the artefact itself.
    #[serde(default)]
    pub readers: Vec<Reader>,
}

impl Default for Postmortem {
    fn default() -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            incident: Incident::default(),
            holder: Holder::default(),
            held_at: None,
            participants: Vec::new(),
            timeline: Vec::new(),
            walk: ChainWalk::default(),
            fix: ChainLevelFix::default(),
            runbook: RunbookUpdate::default(),
            adrs: Vec::new(),
            readers: Vec::new(),
        }
    }
}

impl Postmortem {
    /// The same postmortem with every prose field normalised the way a
    /// document stores it (see [`normalize_prose`]). Parsing a rendered
    /// document gives back exactly this value.
    #[must_use]
    pub fn normalized(&self) -> Postmortem {
        let mut pm = self.clone();
        let n = |s: &mut String| *s = normalize_prose(s);
        let l = |s: &mut String| *s = normalize_line(s);
        l(&mut pm.incident.title);
        n(&mut pm.incident.user_impact);
        for p in &mut pm.participants {
            l(p);
        }
        for e in &mut pm.timeline {
            n(&mut e.text);
            if let Some(a) = &mut e.author {
                l(a);
            }
        }
        for level in ChainLevel::ALL {
            n(&mut pm.walk.get_mut(level).reasoning);
        }
        n(&mut pm.fix.statement);
        n(&mut pm.fix.test.statement);
        n(&mut pm.runbook.worked);
        n(&mut pm.runbook.did_not_work);
        n(&mut pm.runbook.faster_next_time);
        for adr in &mut pm.adrs {
            l(&mut adr.title);
            n(&mut adr.why);
        }
        pm
    }

    /// The date the postmortem is filed under: the day the incident started,
    /// in the offset it was written with.
    pub fn date(&self) -> Option<NaiveDate> {
        self.incident.started_at.map(|t| t.date_naive())
    }
}

/// The incident the postmortem is bound to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    /// The incident's identifier, e.g. `INC-2026-0142`.
    #[serde(default)]
    pub id: Option<IncidentId>,
    /// A one-line title, e.g. "queue.render p95 above 2s".
    #[serde(default)]
    pub title: String,
    /// The services the incident touched.
    #[serde(default)]
    pub services: Vec<ServiceName>,
    /// SEV-1 (worst) to SEV-4.
    #[serde(default)]
    pub severity: Option<Severity>,
    /// When the incident started (T+0:00).
    #[serde(default, with = "time::serde_option_timestamp")]
    #[schemars(with = "Option<Timestamp>")]
    pub started_at: Option<Timestamp>,
    /// When it was detected (alerted, reported).
    #[serde(default, with = "time::serde_option_timestamp")]
    #[schemars(with = "Option<Timestamp>")]
    pub detected_at: Option<Timestamp>,
    /// When the user impact stopped.
    #[serde(default, with = "time::serde_option_timestamp")]
    #[schemars(with = "Option<Timestamp>")]
    pub mitigated_at: Option<Timestamp>,
    /// When the incident was closed (watch ended).
    #[serde(default, with = "time::serde_option_timestamp")]
    #[schemars(with = "Option<Timestamp>")]
    pub resolved_at: Option<Timestamp>,
    /// Who saw what, in numbers where possible.
    #[serde(default)]
    pub user_impact: String,
}

impl Incident {
    /// How long users were affected: from start to mitigation, or to
    /// resolution when no mitigation time is known.
    pub fn duration(&self) -> Option<TimeDelta> {
        let start = self.started_at?;
        let end = self.mitigated_at.or(self.resolved_at)?;
        (end >= start).then(|| end - start)
    }
}

/// Incident severity, SEV-1 the worst.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum Severity {
    /// Critical.
    #[serde(rename = "SEV-1")]
    Sev1,
    /// Major.
    #[serde(rename = "SEV-2")]
    Sev2,
    /// Minor.
    #[serde(rename = "SEV-3")]
    Sev3,
    /// Low.
    #[serde(rename = "SEV-4")]
    Sev4,
}

impl Severity {
    /// All severities, worst first.
    pub const ALL: [Severity; 4] = [
        Severity::Sev1,
        Severity::Sev2,
        Severity::Sev3,
        Severity::Sev4,
    ];

    /// `SEV-1` … `SEV-4`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Sev1 => "SEV-1",
            Severity::Sev2 => "SEV-2",
            Severity::Sev3 => "SEV-3",
            Severity::Sev4 => "SEV-4",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = InvalidName;
    fn from_str(s: &str) -> Result<Self, InvalidName> {
        let t = s.trim().to_ascii_uppercase().replace(' ', "-");
        match t.as_str() {
            "SEV-1" | "SEV1" => Ok(Severity::Sev1),
            "SEV-2" | "SEV2" => Ok(Severity::Sev2),
            "SEV-3" | "SEV3" => Ok(Severity::Sev3),
            "SEV-4" | "SEV4" => Ok(Severity::Sev4),
            _ => Err(InvalidName {
                kind: "severity",
                value: s.to_owned(),
                expected: "one of SEV-1, SEV-2, SEV-3, SEV-4",
            }),
        }
    }
}

/// Who holds the postmortem.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Holder {
    /// Their GitHub login.
    #[serde(default)]
    pub login: Option<Login>,
    /// Why they hold it.
    #[serde(default)]
    pub role: Option<HolderRole>,
}

/// Why someone holds the postmortem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum HolderRole {
    /// The team's tech lead.
    TechLead,
    /// The on-call who held the bridge.
    OnCall,
}

impl HolderRole {
    /// `tech-lead` or `on-call`.
    pub fn as_str(self) -> &'static str {
        match self {
            HolderRole::TechLead => "tech-lead",
            HolderRole::OnCall => "on-call",
        }
    }
}

impl FromStr for HolderRole {
    type Err = InvalidName;
    fn from_str(s: &str) -> Result<Self, InvalidName> {
        match s.trim() {
            "tech-lead" => Ok(HolderRole::TechLead),
            "on-call" => Ok(HolderRole::OnCall),
            _ => Err(InvalidName {
                kind: "holder role",
                value: s.to_owned(),
                expected: "tech-lead or on-call",
            }),
        }
    }
}

/// One line of the timeline. It keeps both when the event happened and
/// when the entry was written: a timeline written during the incident has
/// the two close together; a reconstructed one does not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineEntry {
    /// When the event happened.
    #[serde(with = "time::serde_timestamp")]
    #[schemars(with = "Timestamp")]
    pub at: Timestamp,
    /// When the entry was written, if known.
    #[serde(default, with = "time::serde_option_timestamp")]
    #[schemars(with = "Option<Timestamp>")]
    pub written_at: Option<Timestamp>,
    /// What happened, in the on-call's words. Names of people belong here.
    pub text: String,
    /// Who wrote the entry, if known.
    #[serde(default)]
    pub author: Option<String>,
}

/// The five chain levels, in the practice's order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum ChainLevel {
    /// L1 Strategy.
    L1,
    /// L2 Discovery.
    L2,
    /// L3 Scope.
    L3,
    /// L4 Execution.
    L4,
    /// L5 Operation.
    L5,
}

impl ChainLevel {
    /// The five levels, L1 first.
    pub const ALL: [ChainLevel; 5] = [
        ChainLevel::L1,
        ChainLevel::L2,
        ChainLevel::L3,
        ChainLevel::L4,
        ChainLevel::L5,
    ];

    /// `L1` … `L5`.
    pub fn code(self) -> &'static str {
        match self {
            ChainLevel::L1 => "L1",
            ChainLevel::L2 => "L2",
            ChainLevel::L3 => "L3",
            ChainLevel::L4 => "L4",
            ChainLevel::L5 => "L5",
        }
    }

    /// The level's name: Strategy, Discovery, Scope, Execution, Operation.
    pub fn name(self) -> &'static str {
        match self {
            ChainLevel::L1 => "Strategy",
            ChainLevel::L2 => "Discovery",
            ChainLevel::L3 => "Scope",
            ChainLevel::L4 => "Execution",
            ChainLevel::L5 => "Operation",
        }
    }

    /// `L3 Scope`.
    pub fn label(self) -> String {
        format!("{} {}", self.code(), self.name())
    }

    /// The practice's question for this level. Every question asks whether
    /// the level produced the incident or failed to catch it, so "yes"
    /// always means "this level contributed".
    pub fn question(self) -> &'static str {
        match self {
            ChainLevel::L1 => "Did the strategic bet contribute to the incident?",
            ChainLevel::L2 => "Did the brief miss a known assumption?",
            ChainLevel::L3 => "Was a story missing, cut or slipped?",
            ChainLevel::L4 => "Did the code, a test or the pipeline fail?",
            ChainLevel::L5 => "Did the runbook, the alerting or the on-call response fall short?",
        }
    }
}

impl fmt::Display for ChainLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for ChainLevel {
    type Err = InvalidName;
    fn from_str(s: &str) -> Result<Self, InvalidName> {
        let t = s.trim();
        let code = t.split_whitespace().next().unwrap_or("");
        ChainLevel::ALL
            .into_iter()
            .find(|l| {
                code.eq_ignore_ascii_case(l.code())
                    || t.eq_ignore_ascii_case(l.name())
                    || t.eq_ignore_ascii_case(&l.label())
            })
            .ok_or_else(|| InvalidName {
                kind: "chain level",
                value: s.to_owned(),
                expected: "one of L1, L2, L3, L4, L5 (Strategy, Discovery, Scope, Execution, Operation)",
            })
    }
}

/// The answer to a level's question.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Not answered yet.
    #[default]
    Unanswered,
    /// The level did not contribute.
    No,
    /// The level may have contributed.
    Possibly,
    /// The level contributed.
    Yes,
}

impl Verdict {
    /// Every verdict, in the order a form offers them.
    pub const ALL: [Verdict; 4] = [
        Verdict::Unanswered,
        Verdict::No,
        Verdict::Possibly,
        Verdict::Yes,
    ];

    /// `unanswered`, `no`, `possibly` or `yes`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Unanswered => "unanswered",
            Verdict::No => "no",
            Verdict::Possibly => "possibly",
            Verdict::Yes => "yes",
        }
    }

    /// Whether the walk found this level contributing (possibly or yes).
    pub fn contributed(self) -> bool {
        matches!(self, Verdict::Possibly | Verdict::Yes)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Verdict {
    type Err = InvalidName;
    fn from_str(s: &str) -> Result<Self, InvalidName> {
        Verdict::ALL
            .into_iter()
            .find(|v| s.trim().eq_ignore_ascii_case(v.as_str()))
            .ok_or_else(|| InvalidName {
                kind: "verdict",
                value: s.to_owned(),
                expected: "one of no, possibly, yes, unanswered",
            })
    }
}

/// The answer for one level: the verdict and the reasoning behind it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelAnswer {
    /// Did this level produce or fail to catch the incident?
    #[serde(default)]
    pub verdict: Verdict,
    /// Why: the evidence for the verdict.
    #[serde(default)]
    pub reasoning: String,
}

/// The walk of the five chain levels: exactly one answer per level.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChainWalk {
    /// L1 Strategy.
    #[serde(rename = "L1", default)]
    pub strategy: LevelAnswer,
    /// L2 Discovery.
    #[serde(rename = "L2", default)]
    pub discovery: LevelAnswer,
    /// L3 Scope.
    #[serde(rename = "L3", default)]
    pub scope: LevelAnswer,
    /// L4 Execution.
    #[serde(rename = "L4", default)]
    pub execution: LevelAnswer,
    /// L5 Operation.
    #[serde(rename = "L5", default)]
    pub operation: LevelAnswer,
}

impl ChainWalk {
    /// The answer for `level`.
    pub fn get(&self, level: ChainLevel) -> &LevelAnswer {
        match level {
            ChainLevel::L1 => &self.strategy,
            ChainLevel::L2 => &self.discovery,
            ChainLevel::L3 => &self.scope,
            ChainLevel::L4 => &self.execution,
            ChainLevel::L5 => &self.operation,
        }
    }

    /// The answer for `level`, to change it.
    pub fn get_mut(&mut self, level: ChainLevel) -> &mut LevelAnswer {
        match level {
            ChainLevel::L1 => &mut self.strategy,
            ChainLevel::L2 => &mut self.discovery,
            ChainLevel::L3 => &mut self.scope,
            ChainLevel::L4 => &mut self.execution,
            ChainLevel::L5 => &mut self.operation,
        }
    }

    /// The levels the walk found contributing (possibly or yes), L1 first.
    pub fn contributing(&self) -> Vec<ChainLevel> {
        ChainLevel::ALL
            .into_iter()
            .filter(|l| self.get(*l).verdict.contributed())
            .collect()
    }
}

/// The one chain-level fix: owned, dated, testable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChainLevelFix {
    /// The level the fix acts on: the level that produced the incident.
    #[serde(default)]
    pub level: Option<ChainLevel>,
    /// What changes, stated at the level (never about a person).
    #[serde(default)]
    pub statement: String,
    /// The GitHub login that owns the fix.
    #[serde(default)]
    pub owner: Option<Login>,
    /// The day by which the fix is live.
    #[serde(default, with = "time::serde_option_date")]
    #[schemars(with = "Option<NaiveDate>")]
    pub due: Option<NaiveDate>,
    /// What proves the fix works.
    #[serde(default)]
    pub test: FixTest,
    /// Where the fix stands; kept current by the Action.
    #[serde(default)]
    pub status: FixStatus,
}

/// What proves the fix: a statement people can check and, optionally, a
/// binding a machine can check.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FixTest {
    /// The observable outcome, e.g. "queue.render.p95 stays below 500ms
    /// during the next cold start".
    #[serde(default)]
    pub statement: String,
    /// A CI result that proves it, verified by the Action before the due date.
    #[serde(default)]
    pub binding: Option<TestBinding>,
}

/// A CI result on a branch that proves the fix. Its parts are checked when
/// it is built or read (see [`TestBinding::new`]).
///
/// Anyone with write access can post a commit status or a check run under
/// any name, so those two name who must have posted them (the account, the
/// GitHub App); a workflow run records its workflow file, and may narrow
/// the proof to one of its jobs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
#[schemars(with = "UncheckedBinding")]
pub enum TestBinding {
    /// A successful run of a workflow file (`.github/workflows/<file>`).
    Workflow {
        /// The workflow's file name, e.g. `cold-start.yml`.
        workflow: String,
        /// The branch the run must be on.
        branch: String,
        /// The job whose success is the test, by its name; `None`: the
        /// whole run must succeed.
        #[serde(skip_serializing_if = "Option::is_none")]
        job: Option<String>,
    },
    /// A successful check run with this name, posted by this app.
    CheckRun {
        /// The check run's name.
        name: String,
        /// The branch the check must be on.
        branch: String,
        /// The slug of the GitHub App that posts it, e.g. `github-actions`.
        app: String,
    },
    /// A successful commit status with this context, posted by this
    /// account.
    Status {
        /// The status context.
        context: String,
        /// The branch the status must be on.
        branch: String,
        /// The login that posts it, e.g. `ci-bot` or `github-actions[bot]`.
        creator: String,
    },
}

/// The JSON Schema of a binding as read, before its parts are checked.
#[derive(JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
#[allow(dead_code)] // only its schema is used
enum UncheckedBinding {
    Workflow {
        workflow: String,
        branch: String,
        job: Option<String>,
    },
    CheckRun {
        name: String,
        branch: String,
        app: String,
    },
    Status {
        context: String,
        branch: String,
        creator: String,
    },
}

/// Each kind of binding and the fields it has: kind, target, branch and
/// the detail that names the job or who posts the result.
static BINDING_FIELDS: [(&str, [&str; 4]); 3] = [
    ("workflow", ["kind", "workflow", "branch", "job"]),
    ("check-run", ["kind", "name", "branch", "app"]),
    ("status", ["kind", "context", "branch", "creator"]),
];

/// Reads a binding as the JSON form writes it, `{"kind": "workflow",
/// "workflow": "cold-start.yml", "branch": "main"}`, and checks its parts
/// with [`TestBinding::new`]. Written by hand rather than derived as an
/// internally tagged enum, which buffers every value before it can look at
/// `kind` and costs the browser form several kilobytes; the messages are
/// serde's own (unknown or missing field, unknown kind).
impl<'de> Deserialize<'de> for TestBinding {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(BindingVisitor)
    }
}

struct BindingVisitor;

impl<'de> serde::de::Visitor<'de> for BindingVisitor {
    type Value = TestBinding;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a test binding: an object with \"kind\", its target and \"branch\"")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<TestBinding, A::Error> {
        use serde::de::Error;
        const KEYS: &[&str] = &[
            "kind", "workflow", "name", "context", "branch", "job", "app", "creator",
        ];
        let mut values: [Option<String>; 8] = Default::default();
        while let Some(key) = map.next_key::<String>()? {
            let Some(i) = KEYS.iter().position(|k| *k == key) else {
                return Err(A::Error::unknown_field(&key, KEYS));
            };
            if values[i].is_some() {
                return Err(A::Error::custom(format_args!("duplicate field `{key}`")));
            }
            values[i] = Some(map.next_value()?);
        }
        let [kind, workflow, name, context, branch, job, app, creator] = values;
        let kind = kind.ok_or_else(|| A::Error::missing_field("kind"))?;
        let Some((kind, fields)) = BINDING_FIELDS.iter().find(|(k, _)| *k == kind) else {
            return Err(A::Error::unknown_variant(
                &kind,
                &["workflow", "check-run", "status"],
            ));
        };
        let (mut target, mut detail) = (None, None);
        for (key, value) in [
            ("workflow", workflow),
            ("name", name),
            ("context", context),
            ("job", job),
            ("app", app),
            ("creator", creator),
        ] {
            match value {
                Some(v) if key == fields[1] => target = Some(v),
                Some(v) if key == fields[3] => detail = Some(v),
                Some(_) => return Err(A::Error::unknown_field(key, fields)),
                None => {}
            }
        }
        let target = target.ok_or_else(|| A::Error::missing_field(fields[1]))?;
        let branch = branch.ok_or_else(|| A::Error::missing_field("branch"))?;
        if *kind != "workflow" && detail.is_none() {
            return Err(A::Error::missing_field(fields[3]));
        }
        TestBinding::new(kind, &target, &branch, detail.as_deref().unwrap_or(""))
            .map_err(A::Error::custom)
    }
}

impl TestBinding {
    /// The branch the result must be on.
    pub fn branch(&self) -> &str {
        match self {
            TestBinding::Workflow { branch, .. }
            | TestBinding::CheckRun { branch, .. }
            | TestBinding::Status { branch, .. } => branch,
        }
    }

    /// `workflow`, `check-run` or `status`.
    pub fn kind(&self) -> &'static str {
        match self {
            TestBinding::Workflow { .. } => "workflow",
            TestBinding::CheckRun { .. } => "check-run",
            TestBinding::Status { .. } => "status",
        }
    }

    /// The workflow file, check name or status context.
    pub fn target(&self) -> &str {
        match self {
            TestBinding::Workflow { workflow, .. } => workflow,
            TestBinding::CheckRun { name, .. } => name,
            TestBinding::Status { context, .. } => context,
        }
    }

    /// The job of a workflow, the app of a check run, the creator of a
    /// status; `None` for a workflow whose whole run is the test.
    pub fn detail(&self) -> Option<&str> {
        match self {
            TestBinding::Workflow { job, .. } => job.as_deref(),
            TestBinding::CheckRun { app, .. } => Some(app),
            TestBinding::Status { creator, .. } => Some(creator),
        }
    }

    /// What [`TestBinding::detail`] names for a kind: `job`, `app` or
    /// `creator` (`None` for an unknown kind).
    pub fn detail_key(kind: &str) -> Option<&'static str> {
        BINDING_FIELDS
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, fields)| fields[3])
    }

    /// Builds a binding from its parts, checking each: the kind
    /// (`workflow`, `check-run`, `status`), the target, the branch, and the
    /// detail: a workflow's job (empty: the whole run), the app that posts
    /// a check run, or the account that posts a status (both required).
    pub fn new(
        kind: &str,
        target: &str,
        branch: &str,
        detail: &str,
    ) -> Result<TestBinding, InvalidName> {
        let bad = |kind_name: &'static str, value: &str, expected: &'static str| InvalidName {
            kind: kind_name,
            value: value.to_owned(),
            expected,
        };
        if !is_branch_name(branch) {
            return Err(bad(
                "branch",
                branch,
                "a git branch name such as main: no spaces, '..', '~', '^', ':', '?', '*', '[' or '\\', not starting with '-' or '/'",
            ));
        }
        let plain = |t: &str| {
            !t.trim().is_empty()
                && t.trim() == t
                && !t.chars().any(char::is_control)
                && t.len() <= 200
        };
        let branch = branch.to_owned();
        match kind {
            "workflow" => {
                let file_ok = plain(target)
                    && (target.ends_with(".yml") || target.ends_with(".yaml"))
                    && target
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
                if !file_ok {
                    return Err(bad(
                        "workflow file",
                        target,
                        "a workflow file name in .github/workflows, such as cold-start.yml",
                    ));
                }
                if !detail.is_empty() && !plain(detail) {
                    return Err(bad(
                        "job name",
                        detail,
                        "the name of the workflow's job that is the test, as GitHub shows it, without surrounding spaces (or nothing: the whole run)",
                    ));
                }
                Ok(TestBinding::Workflow {
                    workflow: target.to_owned(),
                    branch,
                    job: (!detail.is_empty()).then(|| detail.to_owned()),
                })
            }
            "check-run" | "status" if !plain(target) => Err(bad(
                "check name or status context",
                target,
                "a non-empty name without surrounding spaces or control characters",
            )),
            "check-run" if !is_app_slug(detail) => Err(bad(
                "app",
                detail,
                "the slug of the GitHub App that posts the check run, such as github-actions: anyone with write access can post a check run of any name, so only the named app's count",
            )),
            "check-run" => Ok(TestBinding::CheckRun {
                name: target.to_owned(),
                branch,
                app: detail.to_owned(),
            }),
            "status" if !is_account(detail) => Err(bad(
                "creator",
                detail,
                "the login that posts the status, such as ci-bot or github-actions[bot]: anyone with write access can post a status of any context, so only the named account's count",
            )),
            "status" => Ok(TestBinding::Status {
                context: target.to_owned(),
                branch,
                creator: detail.to_owned(),
            }),
            _ => Err(bad(
                "test binding kind",
                kind,
                "one of workflow, check-run, status",
            )),
        }
    }
}

/// A GitHub App's slug: letters, digits and hyphens.
fn is_app_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && !s.starts_with('-')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// A login, or an app's bot account (`name[bot]`).
fn is_account(s: &str) -> bool {
    let base = s.strip_suffix("[bot]").unwrap_or(s);
    base.parse::<Login>().is_ok() || (s.ends_with("[bot]") && is_app_slug(base))
}

/// Whether `name` is a usable git branch name (the subset of
/// `git check-ref-format --branch` a tool can pass around safely).
pub fn is_branch_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && !name.starts_with('-')
        && !name.starts_with('/')
        && !name.ends_with('/')
        && !name.ends_with('.')
        && !name.ends_with(".lock")
        && !name.contains("..")
        && !name.contains("//")
        && !name.contains("@{")
        && !name
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || "~^:?*[\\".contains(c))
}

/// Where the fix stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FixStatus {
    /// Not yet proven.
    #[default]
    Open,
    /// The test passed on or before the due date.
    Verified,
    /// The test passed, but after the due date.
    VerifiedLate,
    /// The due date passed with no passing test.
    Overdue,
}

impl FixStatus {
    /// Every status.
    pub const ALL: [FixStatus; 4] = [
        FixStatus::Open,
        FixStatus::Verified,
        FixStatus::VerifiedLate,
        FixStatus::Overdue,
    ];

    /// `open`, `verified`, `verified-late` or `overdue`.
    pub fn as_str(self) -> &'static str {
        match self {
            FixStatus::Open => "open",
            FixStatus::Verified => "verified",
            FixStatus::VerifiedLate => "verified-late",
            FixStatus::Overdue => "overdue",
        }
    }
}

impl fmt::Display for FixStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FixStatus {
    type Err = InvalidName;
    fn from_str(s: &str) -> Result<Self, InvalidName> {
        FixStatus::ALL
            .into_iter()
            .find(|v| s.trim() == v.as_str())
            .ok_or_else(|| InvalidName {
                kind: "fix status",
                value: s.to_owned(),
                expected: "one of open, verified, verified-late, overdue",
            })
    }
}

/// What the runbook that was used learns from the incident.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunbookUpdate {
    /// The runbook used, e.g. `runbooks/RB-021.md`. The postmortem is
    /// published next to it.
    #[serde(default)]
    pub path: Option<RepoPath>,
    /// What worked.
    #[serde(default)]
    pub worked: String,
    /// What did not.
    #[serde(default)]
    pub did_not_work: String,
    /// What would be faster next time.
    #[serde(default)]
    pub faster_next_time: String,
}

/// A decision record the incident re-opens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdrImplication {
    /// The ADR's file, e.g. `docs/adr/0007-cache-warming.md`.
    #[serde(default)]
    pub path: Option<RepoPath>,
    /// Its title as people know it, e.g. "ADR-0007 Cache warming".
    #[serde(default)]
    pub title: String,
    /// Why the incident re-opens it.
    #[serde(default)]
    pub why: String,
    /// The day the conversation is scheduled.
    #[serde(default, with = "time::serde_option_date")]
    #[schemars(with = "Option<NaiveDate>")]
    pub conversation_on: Option<NaiveDate>,
}

/// The JSON Schema of [`Postmortem`]'s JSON form, generated from the types.
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Postmortem);
    serde_json::to_value(schema).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_from_code_name_or_label() {
        assert_eq!("L3".parse::<ChainLevel>().unwrap(), ChainLevel::L3);
        assert_eq!("scope".parse::<ChainLevel>().unwrap(), ChainLevel::L3);
        assert_eq!("L3 Scope".parse::<ChainLevel>().unwrap(), ChainLevel::L3);
        assert!("L6".parse::<ChainLevel>().is_err());
    }

    #[test]
    fn only_possibly_and_yes_count_as_contributing() {
        let mut walk = ChainWalk::default();
        walk.scope.verdict = Verdict::Possibly;
        walk.operation.verdict = Verdict::No;
        walk.execution.verdict = Verdict::Yes;
        assert_eq!(walk.contributing(), vec![ChainLevel::L3, ChainLevel::L4]);
    }

    #[test]
    fn duration_runs_from_start_to_mitigation() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
        let incident = Incident {
            started_at: Some(t("2026-05-20T14:51:00+02:00")),
            mitigated_at: Some(t("2026-05-20T14:59:00+02:00")),
            resolved_at: Some(t("2026-05-20T15:51:00+02:00")),
            ..Incident::default()
        };
        assert_eq!(incident.duration(), Some(TimeDelta::minutes(8)));
    }

    #[test]
    fn bindings_check_their_parts() {
        assert!(TestBinding::new("workflow", "cold-start.yml", "main", "").is_ok());
        assert!(TestBinding::new("workflow", "cold-start.yml", "main", "p95 gate").is_ok());
        assert!(TestBinding::new("workflow", "cold-start.yml", "main", " p95").is_err());
        assert!(TestBinding::new("workflow", "../x.yml", "main", "").is_err());
        assert!(TestBinding::new("check-run", "cold start", "main", "ci-app").is_ok());
        assert!(TestBinding::new("status", "ci/cold", "release/2026", "ci-bot").is_ok());
        assert!(TestBinding::new("status", "ci", "main", "github-actions[bot]").is_ok());
        assert!(TestBinding::new("status", "ci", "a..b", "ci-bot").is_err());
        assert!(TestBinding::new("status", "ci", "-x", "ci-bot").is_err());
        assert!(TestBinding::new("nightly", "ci", "main", "").is_err());
        // Who posts a status or a check run is part of the proof.
        let e = TestBinding::new("status", "ci", "main", "").unwrap_err();
        assert!(e.expected.contains("anyone with write access"));
        assert!(TestBinding::new("check-run", "ci", "main", "").is_err());
        assert!(TestBinding::new("check-run", "ci", "main", "a b").is_err());
    }

    #[test]
    fn bindings_read_from_json_are_checked() {
        let ok: TestBinding = serde_json::from_str(
            r#"{"kind":"workflow","workflow":"cold-start.yml","branch":"main"}"#,
        )
        .unwrap();
        assert_eq!(ok.target(), "cold-start.yml");
        let bad = serde_json::from_str::<TestBinding>(
            r#"{"kind":"workflow","workflow":"../../evil.yml","branch":"main"}"#,
        );
        assert!(bad.is_err());
        let message = |json: &str| {
            serde_json::from_str::<TestBinding>(json)
                .unwrap_err()
                .to_string()
        };
        assert!(
            message(r#"{"kind":"nightly","name":"x","branch":"main"}"#)
                .contains("unknown variant `nightly`")
        );
        assert!(
            message(r#"{"kind":"workflow","name":"x","branch":"main"}"#)
                .contains("unknown field `name`, expected one of `kind`, `workflow`, `branch`")
        );
        assert!(
            message(r#"{"kind":"status","branch":"main"}"#).contains("missing field `context`")
        );
        assert!(message(r#"{"kind":"status","context":"ci"}"#).contains("missing field `branch`"));
        assert!(
            message(r#"{"kind":"status","context":"ci","branch":"main"}"#)
                .contains("missing field `creator`")
        );
        assert!(
            message(r#"{"kind":"workflow","workflow":"a.yml","branch":"main","app":"x"}"#)
                .contains("unknown field `app`")
        );
        assert!(
            message(r#"{"branch":"main","kind":"check-run","name":"ci","branch":"x"}"#)
                .contains("duplicate field `branch`")
        );
        assert!(
            message(r#"{"kind":"check-run","name":"ci","branch":"main","app":"ci","x":1}"#)
                .contains("unknown field `x`")
        );
        assert!(message(r#"["workflow"]"#).contains("a test binding"));
        // Keys in any order, as serde's derived form read them.
        let any_order: TestBinding = serde_json::from_str(
            r#"{"branch":"main","app":"ci-app","name":"ci/cold","kind":"check-run"}"#,
        )
        .unwrap();
        assert_eq!(
            any_order,
            TestBinding::new("check-run", "ci/cold", "main", "ci-app").unwrap()
        );
        // A workflow without a job writes no job, and reads back equal.
        let whole = TestBinding::new("workflow", "a.yml", "main", "").unwrap();
        let json = serde_json::to_string(&whole).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"workflow","workflow":"a.yml","branch":"main"}"#
        );
        assert_eq!(serde_json::from_str::<TestBinding>(&json).unwrap(), whole);
        let job = TestBinding::new("workflow", "a.yml", "main", "p95").unwrap();
        let json = serde_json::to_string(&job).unwrap();
        assert_eq!(serde_json::from_str::<TestBinding>(&json).unwrap(), job);
    }

    #[test]
    fn schema_names_every_top_level_field() {
        let schema = json_schema();
        let props = schema["properties"].as_object().unwrap();
        for key in [
            "schema_version",
            "incident",
            "timeline",
            "walk",
            "fix",
            "runbook",
            "adrs",
            "readers",
        ] {
            assert!(props.contains_key(key), "{key} missing from schema");
        }
        assert!(!props.contains_key("fixes"));
    }
}

#[cfg(test)]
mod example_tests {
    use super::*;

    #[test]
    fn the_practice_example_reads_as_a_postmortem() {
        let pm = from_json(include_str!("../../../examples/queue-render.json")).unwrap();
        assert_eq!(pm.fix.level, Some(ChainLevel::L3));
        assert_eq!(pm.walk.contributing(), vec![ChainLevel::L3]);
        assert_eq!(pm.incident.duration(), Some(TimeDelta::minutes(8)));
        assert_eq!(pm, pm.normalized());
    }
}
