//! The `postmortem-action` binary: the imperative shell around the pure
//! core in the library.
//!
//! For now it reads the inputs and the event and, in `check` mode with
//! `--dry-run --state FILE` (a JSON list of fix issue snapshots), prints
//! the plan as text (or JSON with `--json`). Applying a plan on GitHub
//! (the octocrab layer) is not wired in yet.
//!
//! ```text
//! postmortem-action --dry-run [--json] [--state FILE] [--now RFC3339]
//! ```

use std::collections::BTreeMap;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use postmortem_action::check::{self, CheckInput, FixIssueSnapshot};
use postmortem_action::commands::escape_data;
use postmortem_action::config::{self, Mode};
use postmortem_action::event;
use postmortem_action::plan::Exit;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(message) => {
            println!("::error title=postmortem-action::{}", escape_data(&message));
            ExitCode::from(2)
        }
    }
}

struct Args {
    dry_run: bool,
    json: bool,
    state: Option<String>,
    now: Option<DateTime<Utc>>,
}

fn args() -> Result<Args, String> {
    let mut out = Args {
        dry_run: false,
        json: false,
        state: None,
        now: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--dry-run" => out.dry_run = true,
            "--json" => out.json = true,
            "--state" => out.state = Some(it.next().ok_or("--state needs a file")?),
            "--now" => {
                let t = it.next().ok_or("--now needs an RFC 3339 time")?;
                out.now = Some(
                    DateTime::parse_from_rfc3339(&t)
                        .map_err(|e| format!("--now {t:?}: {e}"))?
                        .with_timezone(&Utc),
                );
            }
            other => {
                return Err(format!(
                    "unknown argument {other:?}; see --dry-run, --json, --state FILE, --now TIME"
                ));
            }
        }
    }
    Ok(out)
}

fn run() -> Result<ExitCode, String> {
    let args = args()?;
    let mut env: BTreeMap<String, String> = std::env::vars().collect();
    if args.dry_run {
        env.insert("INPUT_DRY-RUN".into(), "true".into());
    }
    let config = config::from_env(&env).map_err(|e| e.to_string())?;

    let event = match (env.get("GITHUB_EVENT_NAME"), env.get("GITHUB_EVENT_PATH")) {
        (Some(name), Some(path)) => {
            let json = std::fs::read_to_string(path)
                .map_err(|e| format!("reading the event at {path}: {e}"))?;
            Some(event::parse(name, &json, &config.label).map_err(|e| e.to_string())?)
        }
        _ => None,
    };
    if let Some(event::Event {
        trigger: event::Trigger::Ignored { reason },
        ..
    }) = &event
    {
        println!("Nothing to do: {reason}");
        return Ok(ExitCode::SUCCESS);
    }

    if !config.dry_run {
        return Err(
            "applying a plan on GitHub is not available in this build yet; run with --dry-run"
                .into(),
        );
    }
    match config.mode {
        Mode::Check => {
            let issues: Vec<FixIssueSnapshot> = match &args.state {
                Some(path) => {
                    let text = std::fs::read_to_string(path)
                        .map_err(|e| format!("reading {path}: {e}"))?;
                    serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?
                }
                None => Vec::new(),
            };
            let default_branch = event
                .as_ref()
                .and_then(|e| e.repository.as_ref())
                .and_then(|r| r.default_branch.clone())
                .unwrap_or_else(|| "main".to_owned());
            let branch = config.check_branch.clone().unwrap_or(default_branch);
            let (plan, _) = check::plan(&CheckInput {
                config: &config,
                check_branch: &branch,
                now: args
                    .now
                    .unwrap_or_else(|| DateTime::<Utc>::from(std::time::SystemTime::now())),
                issues: &issues,
            });
            if args.json {
                println!("{}", plan.to_json());
            } else {
                print!("{}", plan.render_text());
            }
            Ok(match plan.exit {
                Exit::Success => ExitCode::SUCCESS,
                Exit::Failure { .. } => ExitCode::FAILURE,
            })
        }
        Mode::Open | Mode::Lint => Err(format!(
            "mode {} needs the document and lint crates, not wired in yet",
            config.mode.as_str()
        )),
    }
}
