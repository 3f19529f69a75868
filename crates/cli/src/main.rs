//! The `postmortem` command: the imperative shell around the core. It reads
//! files and standard input, calls the pure core, and writes results and
//! exit codes: 0 clean, 1 findings of error severity, 2 unreadable input.

mod files;
mod index;
mod lint;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use postmortem::check::{Form, read};
use postmortem::document::render;
use postmortem::model::{IncidentId, Postmortem, normalize_line, to_json};
use postmortem::timeline::{ImportOptions, import};

use crate::files::{Input, write_new, write_replacing};

/// Exit code: input that is not a postmortem, or a command that could not
/// be carried out.
const UNREADABLE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "postmortem",
    version,
    about = "Blameless, chain-level postmortems: write, lint, render and catalogue them.",
    long_about = "Blameless, chain-level postmortems: write, lint, render and catalogue them.\n\nExit codes: 0 clean, 1 findings of error severity, 2 unreadable input."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start a postmortem document for one incident.
    New {
        /// The incident's id, e.g. INC-2026-0142.
        #[arg(long)]
        id: Option<String>,
        /// The incident's one-line title.
        #[arg(long)]
        title: Option<String>,
        /// Write the JSON form instead of the Markdown document.
        #[arg(long)]
        json: bool,
        /// Write to this file instead of standard output (never overwrites).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Judge postmortems (Markdown or JSON) by the practice's rules.
    Lint {
        /// Files to lint; `-` reads standard input.
        #[arg(required = true)]
        files: Vec<String>,
        /// How to print findings.
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
    },
    /// Convert a postmortem between the Markdown document and JSON.
    Render {
        /// The postmortem to read; `-` reads standard input.
        file: String,
        /// The form to write.
        #[arg(long, value_enum, default_value_t = RenderTo::Markdown)]
        to: RenderTo,
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Work with the timeline the on-call wrote during the incident.
    Timeline {
        #[command(subcommand)]
        command: TimelineCommand,
    },
    /// Print the JSON Schema of the postmortem's JSON form.
    Schema,
    /// Catalogue every postmortem document under a folder.
    Index {
        /// The folder to search (recursively).
        dir: PathBuf,
        /// What to print.
        #[arg(long, value_enum, default_value_t = IndexFormat::Json)]
        format: IndexFormat,
        /// Also write index.json and index.md into the folder.
        #[arg(long)]
        write: bool,
    },
    /// List the practice's rules with their codes.
    Rules,
}

#[derive(Subcommand)]
enum TimelineCommand {
    /// Import the on-call's notes (T+0:00 lines, HH:MM under a dated
    /// header, Markdown tables, bullets, ISO-8601 timestamps, a Slack
    /// conversation pasted as text or Slack's export JSON).
    Import {
        /// The notes or the export; `-` or nothing reads standard input.
        file: Option<String>,
        /// When the incident started (RFC 3339); anchors `T+h:mm` lines.
        #[arg(long)]
        start: Option<String>,
        /// The day of bare `HH:MM` lines before any dated header (YYYY-MM-DD).
        #[arg(long)]
        date: Option<String>,
        /// The UTC offset of times that name none, e.g. +02:00 or -07:00.
        #[arg(long, allow_hyphen_values = true)]
        offset: Option<String>,
        /// When the notes were written (RFC 3339), stamped on every entry
        /// but chat messages, which were written when they were sent.
        #[arg(long)]
        written_at: Option<String>,
        /// Who wrote the notes, stamped on every entry that names no
        /// author (a table's column, a chat's speaker).
        #[arg(long)]
        author: Option<String>,
        /// Put the entries into this postmortem's timeline (replacing it)
        /// and rewrite the file, instead of printing them as JSON.
        #[arg(long)]
        into: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum LintFormat {
    /// One line per finding, for people.
    Text,
    /// A JSON array, one object per file.
    Json,
    /// GitHub workflow-command annotations on the file and line.
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum RenderTo {
    /// The Markdown document with YAML front matter.
    Markdown,
    /// The JSON form.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum IndexFormat {
    /// The catalogue as JSON.
    Json,
    /// The catalogue as a Markdown table.
    Markdown,
}

/// A command that could not be carried out: one sentence for stderr.
pub(crate) struct Failure(String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(Failure(message)) => {
            eprintln!("postmortem: {message}");
            ExitCode::from(UNREADABLE)
        }
    }
}

fn run(cli: Cli) -> Result<u8, Failure> {
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::New {
            id,
            title,
            json,
            output,
        } => {
            let mut pm = Postmortem::default();
            if let Some(id) = id {
                pm.incident.id = Some(id.parse::<IncidentId>().map_err(|e| format!("--id: {e}"))?);
            }
            if let Some(title) = title {
                pm.incident.title = normalize_line(&title);
            }
            let text = if json { to_json(&pm) } else { render(&pm) };
            match output {
                Some(path) => {
                    write_new(&path, &text)?;
                    eprintln!("postmortem: wrote {}", path.display());
                }
                None => out.write_all(text.as_bytes())?,
            }
            Ok(0)
        }
        Command::Lint { files, format } => lint::run(&files, format, &mut out),
        Command::Render { file, to, output } => {
            let input = Input::load(&file)?;
            let pm = read_postmortem(&input)?;
            let text = match to {
                RenderTo::Markdown => render(&pm),
                RenderTo::Json => to_json(&pm),
            };
            match output {
                Some(path) => write_replacing(&path, &text)?,
                None => out.write_all(text.as_bytes())?,
            }
            Ok(0)
        }
        Command::Timeline {
            command:
                TimelineCommand::Import {
                    file,
                    start,
                    date,
                    offset,
                    written_at,
                    author,
                    into,
                },
        } => {
            let input = Input::load(file.as_deref().unwrap_or("-"))?;
            let options = ImportOptions {
                incident_start: start
                    .as_deref()
                    .map(|s| parse_time("--start", s))
                    .transpose()?,
                date: date
                    .as_deref()
                    .map(|d| {
                        d.parse()
                            .map_err(|_| format!("--date {d:?}: expected a day as YYYY-MM-DD"))
                    })
                    .transpose()?,
                offset: offset
                    .as_deref()
                    .map(|o| {
                        o.parse::<chrono::FixedOffset>().map_err(|_| {
                            format!("--offset {o:?}: expected an offset such as +02:00")
                        })
                    })
                    .transpose()?,
                written_at: written_at
                    .as_deref()
                    .map(|s| parse_time("--written-at", s))
                    .transpose()?,
                author: author.map(|a| normalize_line(&a)),
            };
            let imported = import(&input.text, &options);
            if !imported.errors.is_empty() {
                for e in &imported.errors {
                    eprintln!("{}:{e}", input.name);
                }
                eprintln!(
                    "postmortem: {} line(s) of {} could not be read; nothing was written",
                    imported.errors.len(),
                    input.name
                );
                return Ok(UNREADABLE);
            }
            match into {
                Some(path) => {
                    let target = Input::load(&path.to_string_lossy())?;
                    let mut pm = read_postmortem(&target)?;
                    pm.timeline = imported.entries;
                    let text = match Form::detect(Some(&target.name), &target.text) {
                        Form::Json => to_json(&pm),
                        Form::Document => render(&pm),
                    };
                    write_replacing(&path, &text)?;
                    eprintln!(
                        "postmortem: {} timeline entries written into {}",
                        pm.timeline.len(),
                        path.display()
                    );
                }
                None => {
                    let json = serde_json::to_string_pretty(&imported.entries)?;
                    writeln!(out, "{json}")?;
                }
            }
            Ok(0)
        }
        Command::Schema => {
            let schema = serde_json::to_string_pretty(&postmortem::model::json_schema())?;
            writeln!(out, "{schema}")?;
            Ok(0)
        }
        Command::Index { dir, format, write } => index::run(&dir, format, write, &mut out),
        Command::Rules => {
            for rule in postmortem::lint::rules() {
                let level = rule.level.map(|l| l.label()).unwrap_or_default();
                writeln!(
                    out,
                    "{}  {:<32} {:<8} {:<14} {}",
                    rule.code,
                    rule.name,
                    lint::severity_name(rule.severity),
                    level,
                    rule.summary
                )?;
            }
            Ok(0)
        }
    }
}

/// Reads a postmortem from a loaded input, or says in one sentence why not.
fn read_postmortem(input: &Input) -> Result<Postmortem, Failure> {
    let form = Form::detect(Some(&input.name), &input.text);
    read(form, &input.text)
        .map(|r| r.postmortem)
        .map_err(|e| Failure(format!("{}: {e}", input.name)))
}

fn parse_time(flag: &str, s: &str) -> Result<postmortem::model::Timestamp, Failure> {
    chrono::DateTime::parse_from_rfc3339(s).map_err(|_| {
        Failure(format!(
            "{flag} {s:?}: expected an RFC 3339 time such as 2026-05-18T14:51:00+00:00"
        ))
    })
}

/// The display name of a path.
pub(crate) fn display(path: &Path) -> String {
    path.display().to_string()
}
