//! `postmortem lint`: judges each file and prints the findings for people
//! (`text`), for tools (`json`) or as GitHub annotations (`github`).

use std::io::Write;

use postmortem::check::{Checked, Form, check};
use postmortem::lint::{Finding, Severity, has_errors};
use serde::Serialize;

use crate::files::Input;
use crate::{Failure, LintFormat, UNREADABLE};

/// What became of one file.
#[derive(Serialize)]
struct FileReport<'a> {
    file: &'a str,
    status: &'static str,
    findings: &'a [Finding],
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<UnreadableReport<'a>>,
}

#[derive(Serialize)]
struct UnreadableReport<'a> {
    line: Option<u32>,
    message: &'a str,
}

/// `error` or `warning`.
pub(crate) fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// What became of one file: judged, or unreadable (where and why).
enum Outcome {
    Judged(Checked),
    Unreadable { line: Option<u32>, message: String },
}

fn judge(file: &str) -> Outcome {
    match Input::load(file) {
        Err(Failure(message)) => Outcome::Unreadable {
            line: None,
            message,
        },
        Ok(input) => match check(Form::detect(Some(&input.name), &input.text), &input.text) {
            Ok(checked) => Outcome::Judged(checked),
            Err(u) => Outcome::Unreadable {
                line: u.line,
                message: u.message,
            },
        },
    }
}

pub(crate) fn run(
    files: &[String],
    format: LintFormat,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let outcomes: Vec<(&str, Outcome)> = files.iter().map(|f| (f.as_str(), judge(f))).collect();
    let mut code = 0u8;
    let (mut errors, mut warnings) = (0usize, 0usize);
    let mut json_reports = Vec::new();
    for (file, outcome) in &outcomes {
        match outcome {
            Outcome::Judged(checked) => {
                let findings = checked.findings();
                if has_errors(findings) {
                    code = code.max(1);
                }
                errors += findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                    .count();
                warnings += findings
                    .iter()
                    .filter(|f| f.severity == Severity::Warning)
                    .count();
                match format {
                    LintFormat::Text => print_text(out, file, findings)?,
                    LintFormat::Github => print_github(out, file, findings)?,
                    LintFormat::Json => json_reports.push(FileReport {
                        file,
                        status: if findings.is_empty() {
                            "clean"
                        } else {
                            "findings"
                        },
                        findings,
                        error: None,
                    }),
                }
            }
            Outcome::Unreadable { line, message } => {
                code = UNREADABLE;
                match format {
                    LintFormat::Text => {
                        let at = line.map(|l| format!(":{l}")).unwrap_or_default();
                        writeln!(out, "{file}{at}: unreadable: {message}")?;
                    }
                    LintFormat::Github => writeln!(
                        out,
                        "{}",
                        annotation("error", file, *line, "unreadable postmortem", message)
                    )?,
                    LintFormat::Json => json_reports.push(FileReport {
                        file,
                        status: "unreadable",
                        findings: &[],
                        error: Some(UnreadableReport {
                            line: *line,
                            message,
                        }),
                    }),
                }
            }
        }
    }
    match format {
        LintFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&json_reports)?)?,
        LintFormat::Text => writeln!(
            out,
            "{} {}, {} {} in {} {}",
            errors,
            plural(errors, "error", "errors"),
            warnings,
            plural(warnings, "warning", "warnings"),
            files.len(),
            plural(files.len(), "file", "files"),
        )?,
        LintFormat::Github => {}
    }
    Ok(code)
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

fn print_text(out: &mut dyn Write, file: &str, findings: &[Finding]) -> std::io::Result<()> {
    if findings.is_empty() {
        return writeln!(out, "{file}: clean");
    }
    for f in findings {
        let at = f.line.map(|l| format!(":{l}")).unwrap_or_default();
        let level = f
            .level
            .map(|l| format!(" [{}]", l.label()))
            .unwrap_or_default();
        writeln!(
            out,
            "{file}{at}: {} {} {}{level}: {} ({})",
            severity_name(f.severity),
            f.code,
            f.rule,
            f.message,
            f.field
        )?;
        if let Some(quote) = &f.quote {
            writeln!(out, "    quote: {quote:?}")?;
        }
    }
    Ok(())
}

fn print_github(out: &mut dyn Write, file: &str, findings: &[Finding]) -> std::io::Result<()> {
    for f in findings {
        let title = format!("{} {}", f.code, f.rule);
        writeln!(
            out,
            "{}",
            annotation(severity_name(f.severity), file, f.line, &title, &f.message)
        )?;
    }
    Ok(())
}

/// A workflow command such as `::error file=F,line=L,title=T::message`,
/// escaped so that no text from a document can end it early or forge
/// another command.
fn annotation(kind: &str, file: &str, line: Option<u32>, title: &str, message: &str) -> String {
    let mut props = format!("file={}", escape_property(file));
    if let Some(line) = line {
        props.push_str(&format!(",line={line}"));
    }
    props.push_str(&format!(",title={}", escape_property(title)));
    format!("::{kind} {props}::{}", escape_data(message))
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_escape_text_that_could_forge_commands() {
        let a = annotation(
            "error",
            "a,b:c.md",
            Some(3),
            "PM1 x",
            "50% done\n::warning::forged",
        );
        assert_eq!(
            a,
            "::error file=a%2Cb%3Ac.md,line=3,title=PM1 x::50%25 done%0A::warning::forged"
        );
        assert_eq!(a.lines().count(), 1);
    }
}
