//! The Action's inputs, read from an environment map the shell passes in.
//!
//! The core never reads `std::env`: the shell collects the variables once
//! and hands them over, so tests state every input explicitly. Each input
//! is read as `INPUT_<NAME>` with the name upper-cased, trying the
//! runner's own spelling with hyphens kept (`INPUT_DOCUMENT-PATH`, what
//! JavaScript and Docker actions receive) and then with underscores
//! (`INPUT_DOCUMENT_PATH`, easier to map by hand in a composite action's
//! `env:`, which receives no `INPUT_*` of its own). Every invalid input is
//! reported at once, each error naming the input and the expected form.
//!
//! Time zone: due dates are whole days, and a day ends at midnight in the
//! team's time zone. This build accepts `UTC` (or `Z`) and fixed offsets
//! such as `+02:00` or `-05:30`, not IANA names: it keeps the core free of
//! a time-zone database, and a fixed offset is wrong by at most the one
//! hour of a daylight-saving shift at the very end of a due day. An IANA
//! name is refused with a message saying what to write instead.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{FixedOffset, NaiveDate, NaiveTime, Offset, TimeZone, Utc};
use postmortem_model::is_branch_name;
use serde::{Deserialize, Serialize};

/// What the Action does on this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Turn a submitted postmortem into a PR next to the runbook and a
    /// dated fix issue.
    Open,
    /// Verify open fixes against their test binding before their due date.
    Check,
    /// Lint postmortem documents and annotate, writing nothing.
    Lint,
}

impl Mode {
    /// `open`, `check` or `lint`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Open => "open",
            Mode::Check => "check",
            Mode::Lint => "lint",
        }
    }
}

/// The time zone due dates are read in: a fixed offset from UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct DueZone(FixedOffset);

impl DueZone {
    /// UTC.
    pub fn utc() -> Self {
        DueZone(Utc.fix())
    }

    /// The offset.
    pub fn offset(self) -> FixedOffset {
        self.0
    }

    /// The first instant after `due` in this zone: a test that passed
    /// strictly before it passed on or before the due date.
    pub fn end_of_day(self, due: NaiveDate) -> chrono::DateTime<Utc> {
        let next = due.succ_opt().unwrap_or(due);
        let local = next.and_time(NaiveTime::MIN);
        // A fixed offset has exactly one instant per local time.
        self.0
            .from_local_datetime(&local)
            .single()
            .map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc))
    }

    /// The date of `instant` in this zone.
    pub fn date_of(self, instant: chrono::DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.0).date_naive()
    }

    /// Reads `UTC`, `Z`, `+02:00`, `-0530` or `+2`.
    pub fn parse(text: &str) -> Option<DueZone> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("utc") || t == "Z" || t.eq_ignore_ascii_case("gmt") {
            return Some(DueZone::utc());
        }
        let t = t
            .strip_prefix("UTC")
            .or_else(|| t.strip_prefix("utc"))
            .unwrap_or(t);
        let (sign, rest) = match t.as_bytes().first()? {
            b'+' => (1, &t[1..]),
            b'-' => (-1, &t[1..]),
            _ => return None,
        };
        let (h, m) = match rest.split_once(':') {
            Some((h, m)) => (h, m),
            None if rest.len() == 4 => rest.split_at(2),
            None => (rest, "0"),
        };
        if h.is_empty() || h.len() > 2 || m.len() > 2 || m.is_empty() {
            return None;
        }
        let h: i32 = h.parse().ok().filter(|h| *h <= 14)?;
        let m: i32 = m.parse().ok().filter(|m| *m < 60)?;
        FixedOffset::east_opt(sign * (h * 3600 + m * 60)).map(DueZone)
    }
}

impl fmt::Display for DueZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.local_minus_utc() == 0 {
            f.write_str("UTC")
        } else {
            write!(f, "{}", self.0)
        }
    }
}

impl From<DueZone> for String {
    fn from(z: DueZone) -> String {
        z.to_string()
    }
}

impl TryFrom<String> for DueZone {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        DueZone::parse(&s).ok_or_else(|| format!("{s:?} is not a UTC offset"))
    }
}

/// The default document path: next to the runbook the incident used.
pub const DEFAULT_DOCUMENT_PATH: &str = "{runbook_dir}/postmortems/{date}-{slug}.md";

/// The placeholders a document path pattern may use.
pub const PATH_PLACEHOLDERS: [&str; 5] = ["runbook_dir", "date", "year", "slug", "incident_id"];

/// The Action's inputs, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    /// What this run does.
    pub mode: Mode,
    /// Whether a token was given. Only a dry run may go without one.
    pub has_token: bool,
    /// The label that marks an intake issue as a postmortem.
    pub label: String,
    /// Where the document goes, e.g. `{runbook_dir}/postmortems/{date}-{slug}.md`.
    pub document_path: String,
    /// The branch a test binding's result must be on; `None` means the
    /// repository's default branch (known from the event).
    pub check_branch: Option<String>,
    /// The zone in which a due date ends.
    pub timezone: DueZone,
    /// How many days before the due date the owner is reminded; 0 turns
    /// reminders off.
    pub reminder_days: u32,
    /// Whether an overdue fix fails the run.
    pub fail_on_overdue: bool,
    /// Whether a fix issue closed by hand without evidence is reopened.
    pub reopen_hand_closed: bool,
    /// The most write operations one run may plan.
    pub operations_budget: usize,
    /// Print the plan instead of applying it.
    pub dry_run: bool,
    /// The login the Action writes as (`github-actions[bot]` for the
    /// default token): only comments by it count as the Action's own.
    pub bot_login: String,
}

/// The identity the default `GITHUB_TOKEN` writes as.
pub const DEFAULT_BOT_LOGIN: &str = "github-actions[bot]";

/// One refused input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The input's name as written in the workflow, e.g. `reminder-days`.
    pub input: &'static str,
    /// The value given.
    pub value: String,
    /// What a valid value looks like.
    pub expected: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(
                f,
                "input `{}` is missing: expected {}",
                self.input, self.expected
            )
        } else {
            write!(
                f,
                "input `{}`: {:?} is not valid: expected {}",
                self.input, self.value, self.expected
            )
        }
    }
}

/// Every refused input of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// Reads the inputs from `env`. Every problem is collected, so one run
/// names all of them.
pub fn from_env(env: &BTreeMap<String, String>) -> Result<Config, ConfigErrors> {
    let mut errors = Vec::new();
    let get = |name: &str| input(env, name);

    let mode = match get("mode").as_deref().map(str::trim) {
        Some("open") => Some(Mode::Open),
        Some("check") => Some(Mode::Check),
        Some("lint") => Some(Mode::Lint),
        other => {
            errors.push(ConfigError {
                input: "mode",
                value: other.unwrap_or_default().to_owned(),
                expected: "one of open, check, lint".into(),
            });
            None
        }
    };

    let dry_run = boolean(env, "dry-run", false, &mut errors);
    let has_token = get("token").is_some_and(|t| !t.trim().is_empty());
    if !has_token && !dry_run {
        errors.push(ConfigError {
            input: "token",
            value: String::new(),
            expected: "a token with issues and pull-requests write access (e.g. ${{ github.token }}), or dry-run: true".into(),
        });
    }

    let label = get("label").map_or_else(
        || postmortem::submission::DEFAULT_LABEL.to_owned(),
        |l| l.trim().to_owned(),
    );
    if label.is_empty() || label.chars().count() > 50 || label.contains(',') {
        errors.push(ConfigError {
            input: "label",
            value: label.clone(),
            expected: "a GitHub label name of 1 to 50 characters without ',' (default postmortem)"
                .into(),
        });
    }

    let document_path = get("document-path")
        .map(|p| p.trim().to_owned())
        .unwrap_or_else(|| DEFAULT_DOCUMENT_PATH.to_owned());
    if let Err(why) = check_path_pattern(&document_path) {
        errors.push(ConfigError {
            input: "document-path",
            value: document_path.clone(),
            expected: why,
        });
    }

    let check_branch = get("check-branch").map(|b| b.trim().to_owned());
    if let Some(b) = &check_branch {
        if !is_branch_name(b) {
            errors.push(ConfigError {
                input: "check-branch",
                value: b.clone(),
                expected: "a branch name such as main, or leave it empty for the default branch"
                    .into(),
            });
        }
    }

    let timezone = match get("timezone") {
        None => DueZone::utc(),
        Some(t) => DueZone::parse(&t).unwrap_or_else(|| {
            let iana = t.contains('/');
            errors.push(ConfigError {
                input: "timezone",
                value: t.clone(),
                expected: if iana {
                    "a UTC offset such as +02:00 or UTC: IANA names like Europe/Berlin are not read; write the offset the team keeps at due dates".into()
                } else {
                    "UTC or a UTC offset such as +02:00 or -05:30".into()
                },
            });
            DueZone::utc()
        }),
    };

    let reminder_days = number(env, "reminder-days", 3, 0, 365, "days", &mut errors) as u32;
    // The floor lets the busiest fix issue (reopen, comment, label,
    // comment) fit, so no issue is deferred forever.
    let operations_budget = number(
        env,
        "operations-budget",
        200,
        crate::check::MAX_WRITES_PER_FIX as u64,
        10_000,
        "operations",
        &mut errors,
    ) as usize;
    let fail_on_overdue = boolean(env, "fail-on-overdue", true, &mut errors);
    let bot_login =
        get("bot-login").map_or_else(|| DEFAULT_BOT_LOGIN.to_owned(), |l| l.trim().to_owned());
    if bot_login.is_empty()
        || bot_login.len() > 60
        || !bot_login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '[' | ']' | '_'))
    {
        errors.push(ConfigError {
            input: "bot-login",
            value: bot_login.clone(),
            expected: "the login the token writes as, e.g. github-actions[bot] (the default)"
                .into(),
        });
    }
    let reopen_hand_closed = boolean(env, "reopen-hand-closed", true, &mut errors);

    match (mode, errors.is_empty()) {
        (Some(mode), true) => Ok(Config {
            mode,
            has_token,
            label,
            document_path,
            check_branch,
            timezone,
            reminder_days,
            fail_on_overdue,
            reopen_hand_closed,
            operations_budget,
            dry_run,
            bot_login,
        }),
        _ => Err(ConfigErrors(errors)),
    }
}

/// The value of input `name`, trying `INPUT_NAME-WITH-HYPHENS` then
/// `INPUT_NAME_WITH_UNDERSCORES`. An empty value counts as not given, as
/// the runner passes unset optional inputs as empty strings.
fn input(env: &BTreeMap<String, String>, name: &str) -> Option<String> {
    let upper = name.to_ascii_uppercase();
    [
        format!("INPUT_{upper}"),
        format!("INPUT_{}", upper.replace('-', "_")),
    ]
    .iter()
    .find_map(|k| env.get(k))
    .filter(|v| !v.trim().is_empty())
    .cloned()
}

/// Booleans as the runner's toolkit reads them (YAML 1.2 core schema).
fn boolean(
    env: &BTreeMap<String, String>,
    name: &'static str,
    default: bool,
    errors: &mut Vec<ConfigError>,
) -> bool {
    match input(env, name).as_deref().map(str::trim) {
        None => default,
        Some("true" | "True" | "TRUE") => true,
        Some("false" | "False" | "FALSE") => false,
        Some(other) => {
            errors.push(ConfigError {
                input: name,
                value: other.to_owned(),
                expected: format!("true or false (default {default})"),
            });
            default
        }
    }
}

fn number(
    env: &BTreeMap<String, String>,
    name: &'static str,
    default: u64,
    min: u64,
    max: u64,
    unit: &str,
    errors: &mut Vec<ConfigError>,
) -> u64 {
    match input(env, name) {
        None => default,
        Some(text) => match text.trim().parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => n,
            _ => {
                errors.push(ConfigError {
                    input: name,
                    value: text,
                    expected: format!(
                        "a whole number of {unit} from {min} to {max} (default {default})"
                    ),
                });
                default
            }
        },
    }
}

/// Checks a document path pattern before any value is put in it: it must
/// stay inside the repository whatever the placeholders hold. The expanded
/// path is checked again (see [`crate::files::document_path`]).
pub fn check_path_pattern(pattern: &str) -> Result<(), String> {
    const FORM: &str = "a relative path ending in .md, such as {runbook_dir}/postmortems/{date}-{slug}.md, using only the placeholders {runbook_dir}, {date}, {year}, {slug}, {incident_id}";
    let fail = |why: &str| Err(format!("{FORM} ({why})"));
    if !pattern.ends_with(".md") {
        return fail("it must end in .md");
    }
    if pattern.starts_with('/') || pattern.contains('\\') || pattern.contains(':') {
        return fail("it must be relative, without '\\' or ':'");
    }
    if pattern.chars().any(char::is_control) {
        return fail("it holds control characters");
    }
    for seg in pattern.split('/') {
        if seg == ".." || seg == "." {
            return fail("'..' and '.' segments are not allowed");
        }
    }
    if pattern
        .split('/')
        .next()
        .is_some_and(|first| first.eq_ignore_ascii_case(".github"))
    {
        return fail("nothing may be written under .github/");
    }
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return fail("a '{' is not closed");
        };
        let name = &after[..close];
        if !PATH_PLACEHOLDERS.contains(&name) {
            return fail(&format!("unknown placeholder {{{name}}}"));
        }
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return fail("a '}' has no '{'");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn defaults_apply() {
        let c = from_env(&env(&[("INPUT_MODE", "check"), ("INPUT_TOKEN", "t")])).unwrap();
        assert_eq!(c.mode, Mode::Check);
        assert!(c.has_token);
        assert_eq!(c.label, "postmortem");
        assert_eq!(c.document_path, DEFAULT_DOCUMENT_PATH);
        assert_eq!(c.check_branch, None);
        assert_eq!(c.timezone, DueZone::utc());
        assert_eq!(c.reminder_days, 3);
        assert!(c.fail_on_overdue && c.reopen_hand_closed && !c.dry_run);
        assert_eq!(c.operations_budget, 200);
    }

    #[test]
    fn both_spellings_of_an_input_are_read() {
        let c = from_env(&env(&[
            ("INPUT_MODE", "open"),
            ("INPUT_DRY-RUN", "true"),
            ("INPUT_REMINDER_DAYS", "7"),
            ("INPUT_DOCUMENT-PATH", "postmortems/{year}/{incident_id}.md"),
            ("INPUT_TIMEZONE", "+02:00"),
            ("INPUT_CHECK-BRANCH", "release/2026"),
        ]))
        .unwrap();
        assert!(c.dry_run && !c.has_token);
        assert_eq!(c.reminder_days, 7);
        assert_eq!(c.document_path, "postmortems/{year}/{incident_id}.md");
        assert_eq!(c.timezone.to_string(), "+02:00");
        assert_eq!(c.check_branch.as_deref(), Some("release/2026"));
    }

    #[test]
    fn every_bad_input_is_named_with_its_form() {
        let err = from_env(&env(&[
            ("INPUT_MODE", "publish"),
            ("INPUT_REMINDER-DAYS", "soon"),
            ("INPUT_FAIL-ON-OVERDUE", "yes"),
            ("INPUT_TIMEZONE", "Europe/Berlin"),
            ("INPUT_DOCUMENT-PATH", "../outside/{slug}.md"),
            ("INPUT_OPERATIONS-BUDGET", "0"),
            ("INPUT_CHECK-BRANCH", "a..b"),
        ]))
        .unwrap_err();
        let names: Vec<_> = err.0.iter().map(|e| e.input).collect();
        assert_eq!(
            names,
            [
                "mode",
                "token",
                "document-path",
                "check-branch",
                "timezone",
                "reminder-days",
                "operations-budget",
                "fail-on-overdue"
            ]
        );
        let text = err.to_string();
        assert!(
            text.contains(
                "input `mode`: \"publish\" is not valid: expected one of open, check, lint"
            )
        );
        assert!(text.contains("IANA names like Europe/Berlin are not read"));
    }

    #[test]
    fn the_bot_login_is_an_input_with_the_default_token_s_identity() {
        let base = [("INPUT_MODE", "check"), ("INPUT_TOKEN", "t")];
        assert_eq!(from_env(&env(&base)).unwrap().bot_login, DEFAULT_BOT_LOGIN);
        let mut app = base.to_vec();
        app.push(("INPUT_BOT-LOGIN", "postmortem-app[bot]"));
        assert_eq!(
            from_env(&env(&app)).unwrap().bot_login,
            "postmortem-app[bot]"
        );
        let mut bad = base.to_vec();
        bad.push(("INPUT_BOT_LOGIN", "a b"));
        assert_eq!(from_env(&env(&bad)).unwrap_err().0[0].input, "bot-login");
    }

    #[test]
    fn path_patterns_stay_confined() {
        assert!(check_path_pattern(DEFAULT_DOCUMENT_PATH).is_ok());
        for bad in [
            "/abs/{slug}.md",
            "a/../{slug}.md",
            ".github/workflows/{slug}.md",
            ".GitHub/x.md",
            "docs/{slug}.txt",
            "docs/{owner}.md",
            "docs/{slug.md",
            "docs/slug}.md",
            "C:/x.md",
            "a\\b.md",
        ] {
            assert!(check_path_pattern(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn zones_are_offsets() {
        assert_eq!(DueZone::parse("UTC"), Some(DueZone::utc()));
        assert_eq!(DueZone::parse("+0530").unwrap().to_string(), "+05:30");
        assert_eq!(DueZone::parse("-5").unwrap().to_string(), "-05:00");
        assert_eq!(DueZone::parse("UTC+2").unwrap().to_string(), "+02:00");
        for bad in ["", "Europe/Berlin", "+25:00", "+02:60", "2", "+", "+123"] {
            assert!(DueZone::parse(bad).is_none(), "{bad} accepted");
        }
    }

    #[test]
    fn a_due_day_ends_at_local_midnight() {
        let due = NaiveDate::from_ymd_opt(2026, 5, 30).unwrap();
        let berlin = DueZone::parse("+02:00").unwrap();
        assert_eq!(
            berlin.end_of_day(due).to_rfc3339(),
            "2026-05-30T22:00:00+00:00"
        );
        assert_eq!(
            DueZone::utc().end_of_day(due).to_rfc3339(),
            "2026-05-31T00:00:00+00:00"
        );
    }
}
