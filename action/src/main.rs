//! The `postmortem-action` binary: the imperative shell around the pure
//! core in the library (see [`shell`]).
//!
//! ```text
//! postmortem-action [--dry-run] [--json] [--state FILE] [--now RFC3339]
//! ```
//!
//! Inputs come from the environment (`INPUT_MODE`, `INPUT_TOKEN` or
//! `GITHUB_TOKEN`, …), the event from `GITHUB_EVENT_PATH`, and GitHub's API
//! from `GITHUB_API_URL`. `--dry-run` prints the plan and writes nothing;
//! `--state FILE` runs `check` on a JSON list of fix issue snapshots
//! without GitHub.

mod shell;

use std::collections::BTreeMap;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use postmortem_action::commands::escape_data;

fn main() -> ExitCode {
    match args().and_then(|a| {
        let env: BTreeMap<String, String> = std::env::vars().collect();
        shell::Run::new(env, a)?.run()
    }) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            println!("::error title=postmortem-action::{}", escape_data(&message));
            ExitCode::from(2)
        }
    }
}

fn args() -> Result<shell::Args, String> {
    let mut out = shell::Args {
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
