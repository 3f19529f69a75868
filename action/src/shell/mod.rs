//! The imperative shell: reads the environment and the event, reads
//! GitHub into the planners' snapshots, runs the pure planner, then prints
//! the plan (`--dry-run`) or applies it, and writes outputs, annotations
//! and the step summary.

pub mod apply;
mod check;
pub mod gh;
mod lint;
mod open;
pub mod read;

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use chrono::{DateTime, Utc};
use postmortem::check::{Checked, Form, check};
use postmortem_action::commands::{cap_step_summary, escape_data, output_block, without_commands};
use postmortem_action::config::{Config, Mode};
use postmortem_action::event::{self, Event, Trigger};
use postmortem_action::open::{self as opener, Finding, FindingSeverity};
use postmortem_action::plan::{Exit, Plan, Text};
use postmortem_model::Postmortem;

use gh::{Backoff, Gh, GhError};

/// A plan and the tree of each commit it read.
type OpenPlan = (Plan, std::collections::HashMap<String, String>);

/// Plans an open run again, reading everything.
type Replan<'a> = dyn Fn() -> Result<Option<OpenPlan>, String> + 'a;

/// Above this many fix issues with comments, the check reads the
/// repository's comment list (pages) instead of each issue's.
const PER_ISSUE_COMMENT_READS: usize = 10;

/// The command line.
pub struct Args {
    /// Print the plan, write nothing.
    pub dry_run: bool,
    /// Print the plan as JSON.
    pub json: bool,
    /// `check` without GitHub: a JSON list of snapshots.
    pub state: Option<String>,
    /// The time of the run (tests).
    pub now: Option<DateTime<Utc>>,
}

/// Everything a run reads from its environment, once.
pub struct Run {
    env: BTreeMap<String, String>,
    config: Config,
    args: Args,
    now: DateTime<Utc>,
}

fn gh_err(e: GhError) -> String {
    e.message
}

impl Run {
    /// Reads the inputs.
    pub fn new(mut env: BTreeMap<String, String>, args: Args) -> Result<Run, String> {
        if args.dry_run {
            env.insert("INPUT_DRY-RUN".into(), "true".into());
        }
        // The token: the `token` input, else GITHUB_TOKEN from the
        // environment; never from the event or a file.
        let has_input = ["INPUT_TOKEN"]
            .iter()
            .any(|k| env.get(*k).is_some_and(|v| !v.trim().is_empty()));
        if !has_input {
            if let Some(t) = env.get("GITHUB_TOKEN").cloned() {
                env.insert("INPUT_TOKEN".into(), t);
            }
        }
        let config = postmortem_action::config::from_env(&env).map_err(|e| e.to_string())?;
        let now = args
            .now
            .unwrap_or_else(|| DateTime::<Utc>::from(std::time::SystemTime::now()));
        Ok(Run {
            env,
            config,
            args,
            now,
        })
    }

    /// Whether this is a re-run of a workflow run (its event is stale).
    fn rerun(&self) -> bool {
        self.var("GITHUB_RUN_ATTEMPT")
            .and_then(|a| a.parse::<u32>().ok())
            .is_some_and(|a| a > 1)
    }

    /// The intake issue's comment count as the event gives it.
    fn event_issue_comments(&self) -> Option<u64> {
        let path = self.var("GITHUB_EVENT_PATH")?;
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
        v["issue"]["comments"].as_u64()
    }

    fn var(&self, k: &str) -> Option<&str> {
        self.env
            .get(k)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn client(&self) -> Result<Option<Gh>, String> {
        let (Some(token), Some(repo)) = (self.var("INPUT_TOKEN"), self.var("GITHUB_REPOSITORY"))
        else {
            return Ok(None);
        };
        let api = self
            .var("GITHUB_API_URL")
            .unwrap_or("https://api.github.com");
        let ms = |k: &str, d: u64| self.var(k).and_then(|v| v.parse::<u64>().ok()).unwrap_or(d);
        let backoff = Backoff {
            base: Duration::from_millis(ms("POSTMORTEM_ACTION_BACKOFF_MS", 1000)),
            max_wait: Duration::from_secs(ms("POSTMORTEM_ACTION_MAX_WAIT_SECS", 900)),
            attempts: 6,
        };
        Gh::new(api, token, repo, backoff).map(Some)
    }

    /// Runs the mode; returns the exit code.
    pub fn run(&self) -> Result<u8, String> {
        let event = match (self.var("GITHUB_EVENT_NAME"), self.var("GITHUB_EVENT_PATH")) {
            (Some(name), Some(path)) => {
                let json = std::fs::read_to_string(path)
                    .map_err(|e| format!("reading the event at {path}: {e}"))?;
                Some(event::parse(name, &json, &self.config.label).map_err(|e| e.to_string())?)
            }
            _ => None,
        };
        if let Some(Event {
            trigger: Trigger::Ignored { reason },
            ..
        }) = &event
        {
            println!("Nothing to do: {}", escape_data(reason));
            return Ok(0);
        }
        let gh = self.client()?;
        if gh.is_none() && !(self.config.dry_run && self.config.mode == Mode::Check) {
            return Err(
                "GITHUB_REPOSITORY and a token (the `token` input or GITHUB_TOKEN) are needed to read GitHub"
                    .into(),
            );
        }
        let (plan, trees) = match self.config.mode {
            Mode::Check => (
                self.plan_check(gh.as_ref(), event.as_ref())?,
                Default::default(),
            ),
            Mode::Open => {
                let gh = gh.as_ref().ok_or("no client")?;
                let Some((plan, trees, assumed)) = self.plan_open(gh, event.as_ref(), true)? else {
                    return Ok(0);
                };
                // Planned on the assumption that the postmortem branch does
                // not exist: if creating it finds it, read and plan again.
                let replan = || -> Result<Option<OpenPlan>, String> {
                    Ok(self
                        .plan_open(gh, event.as_ref(), false)?
                        .map(|(p, t, _)| (p, t)))
                };
                let replan: Option<&Replan<'_>> = if assumed { Some(&replan) } else { None };
                return self.finish(Some(gh), plan, trees, replan);
            }
            Mode::Lint => {
                return self.lint(gh.as_ref().ok_or("no client")?, event.as_ref());
            }
        };
        self.finish(gh.as_ref(), plan, trees, None)
    }

    fn within_budget(&self, plan: &Plan) -> Result<(), String> {
        if plan.operations.len() > self.config.operations_budget {
            return Err(format!(
                "the plan has {} operations, more than the operations budget of {}; nothing was written",
                plan.operations.len(),
                self.config.operations_budget
            ));
        }
        Ok(())
    }

    fn finish(
        &self,
        gh: Option<&Gh>,
        plan: Plan,
        trees: std::collections::HashMap<String, String>,
        replan: Option<&Replan<'_>>,
    ) -> Result<u8, String> {
        let mut plan = plan;
        self.within_budget(&plan)?;
        let token = random_token();
        if self.config.dry_run {
            let text = if self.args.json {
                plan.to_json()
            } else {
                plan.render_text()
            };
            print!(
                "{}",
                without_commands(&token, &text).map_err(|e| e.to_string())?
            );
        }
        let mut applier = None;
        if !self.config.dry_run {
            if let Some(gh) = gh {
                let mut a = apply::Applier::new(gh, trees, &self.config.bot_login);
                let mut res = a.apply(&plan);
                if let (Err(e), true, Some(replan)) = (&res, a.branch_existed, replan) {
                    // Nothing was written but unreferenced git objects.
                    eprintln!("{}; reading it and planning again", escape_data(&e.message));
                    match replan()? {
                        Some((p, t)) => {
                            self.within_budget(&p)?;
                            plan = p;
                            a = apply::Applier::new(gh, t, &self.config.bot_login);
                            res = a.apply(&plan);
                        }
                        None => return Ok(0),
                    }
                }
                res.map_err(gh_err)?;
                // Readers GitHub refused to ask for a review: said on the
                // pull request, never a failure.
                if let Some((pr, refused)) = a.refused.take() {
                    let repo = self.var("GITHUB_REPOSITORY").unwrap_or_default();
                    let more = opener::refused_readers(
                        repo,
                        postmortem_action::plan::Target::Number(pr),
                        &refused,
                    );
                    a.apply(&more).map_err(gh_err)?;
                    plan.annotations.extend(more.annotations);
                }
                eprintln!(
                    "{} GitHub request(s), {} write(s)",
                    gh.requests(),
                    gh.writes()
                );
                applier = Some(a);
            }
        }
        for a in &plan.annotations {
            println!("{}", a.to_command());
        }
        let resolve = |t: &Text| -> String {
            match &applier {
                Some(a) => a.text(t).unwrap_or_default(),
                // A dry run creates nothing: only literal values are known.
                None => t.as_literal().unwrap_or_default(),
            }
        };
        if let Some(path) = self.var("GITHUB_OUTPUT") {
            let mut out = String::new();
            for (k, v) in &plan.outputs {
                out.push_str(&output_block(k, &resolve(v), &token).map_err(|e| e.to_string())?);
            }
            append(path, &out)?;
        }
        if let Some(path) = self.var("GITHUB_STEP_SUMMARY") {
            let mut md = plan.summary.join("\n");
            md.push('\n');
            append(path, &cap_step_summary(&md))?;
        }
        Ok(match plan.exit {
            Exit::Success => 0,
            Exit::Failure { reason } => {
                println!("::error title=postmortem-action::{}", escape_data(&reason));
                1
            }
        })
    }

    fn default_branch(&self, gh: Option<&Gh>, event: Option<&Event>) -> Result<String, String> {
        if let Some(b) = event
            .and_then(|e| e.repository.as_ref())
            .and_then(|r| r.default_branch.clone())
        {
            return Ok(b);
        }
        match gh {
            Some(gh) => read::default_branch(gh).map_err(gh_err),
            None => Ok("main".into()),
        }
    }
}

/// Reads and lints a document: the postmortem when readable, and its
/// findings (an unreadable document is one error finding at its line).
pub fn judge(text: &str) -> (Option<Postmortem>, Vec<Finding>) {
    let map = |f: &postmortem::lint::Finding| Finding {
        code: f.code.to_owned(),
        rule: f.rule.to_owned(),
        severity: match f.severity {
            postmortem::lint::Severity::Error => FindingSeverity::Error,
            postmortem::lint::Severity::Warning => FindingSeverity::Warning,
        },
        message: f.message.clone(),
        field: Some(f.field.to_string()).filter(|s| !s.is_empty()),
        line: f.line,
    };
    match check(Form::Document, text) {
        Ok(Checked::Postmortem { read, findings }) => {
            (Some(read.postmortem), findings.iter().map(map).collect())
        }
        Ok(Checked::SeveralFixes(f)) => (None, vec![map(&f)]),
        Err(u) => (
            None,
            vec![Finding {
                code: "PM000".into(),
                rule: "readable".into(),
                severity: FindingSeverity::Error,
                message: u.message,
                field: None,
                line: u.line,
            }],
        ),
    }
}

fn append(path: &str, text: &str) -> Result<(), String> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("writing {path}: {e}"))
}

/// 32 hex digits from the OS's randomness (std's hasher keys are drawn
/// from it per process).
pub fn random_token() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::new();
    for i in 0..2u8 {
        let mut h = RandomState::new().build_hasher();
        h.write_u8(i);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        out.push_str(&format!("{:016x}", h.finish()));
    }
    format!("ghadelim_{out}")
}
