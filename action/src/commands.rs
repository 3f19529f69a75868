//! The runner's side channels: workflow commands in the log (annotations),
//! `$GITHUB_OUTPUT` blocks and the `$GITHUB_STEP_SUMMARY` Markdown.
//!
//! These are strings the shell writes out; building them here keeps the
//! escaping rules in one tested place. Text from a document can reach the
//! log, and a line of it starting with `::` would be obeyed by the runner
//! as a command, so every piece of it is escaped (or fenced with
//! `::stop-commands::`) before it is printed.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How loud an annotation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnnotationLevel {
    /// `::error`: the run has a problem someone must act on.
    Error,
    /// `::warning`: worth a look, not a failure.
    Warning,
    /// `::notice`: information.
    Notice,
}

impl AnnotationLevel {
    /// The workflow command's name.
    pub fn command(self) -> &'static str {
        match self {
            AnnotationLevel::Error => "error",
            AnnotationLevel::Warning => "warning",
            AnnotationLevel::Notice => "notice",
        }
    }
}

/// One annotation on the run, optionally pointing at a file and line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    /// Error, warning or notice.
    pub level: AnnotationLevel,
    /// The file it points at, relative to the repository root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The 1-based line in that file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// A short title.
    pub title: String,
    /// The message.
    pub message: String,
}

impl Annotation {
    /// An annotation on the run as a whole (no file).
    pub fn new(
        level: AnnotationLevel,
        title: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Annotation {
            level,
            file: None,
            line: None,
            title: title.into(),
            message: message.into(),
        }
    }

    /// The workflow command line for this annotation, escaped.
    pub fn to_command(&self) -> String {
        let mut props = Vec::new();
        if let Some(file) = &self.file {
            props.push(format!("file={}", escape_property(file)));
        }
        if let Some(line) = self.line {
            props.push(format!("line={line}"));
        }
        props.push(format!("title={}", escape_property(&self.title)));
        format!(
            "::{} {}::{}",
            self.level.command(),
            props.join(","),
            escape_data(&self.message)
        )
    }
}

impl fmt::Display for Annotation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_command())
    }
}

/// Escapes a workflow command's message: `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value: as [`escape_data`], plus
/// `:` and `,`, which would otherwise end the property.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Prints untrusted text to the log with workflow commands switched off:
/// the runner ignores `::…::` lines between `::stop-commands::TOKEN` and
/// `::TOKEN::`. `token` must be unguessable (the shell passes a random
/// one); text that contains it is refused rather than printed.
pub fn without_commands(token: &str, text: &str) -> Result<String, OutputError> {
    if token.len() < 16 || token.contains([':', '\n', '\r']) {
        return Err(OutputError::WeakDelimiter);
    }
    if text.contains(token) {
        return Err(OutputError::ValueContainsDelimiter {
            name: "log text".to_owned(),
        });
    }
    let mut out = format!("::stop-commands::{token}\n{text}");
    if !text.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!("::{token}::\n"));
    Ok(out)
}

/// Why an output could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputError {
    /// The value contains the delimiter, so it could end the block early
    /// and set other outputs.
    ValueContainsDelimiter {
        /// The output's name.
        name: String,
    },
    /// The output's name is empty or holds characters the runner does not
    /// accept in a name.
    BadName {
        /// The refused name.
        name: String,
    },
    /// The delimiter is too short to be unguessable or holds a newline.
    WeakDelimiter,
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::ValueContainsDelimiter { name } => write!(
                f,
                "the value of {name:?} contains the random delimiter; refusing to write it"
            ),
            OutputError::BadName { name } => write!(
                f,
                "{name:?} is not a valid output name: expected letters, digits, '-' or '_'"
            ),
            OutputError::WeakDelimiter => {
                f.write_str("the delimiter must be at least 16 characters without ':' or newlines")
            }
        }
    }
}

impl std::error::Error for OutputError {}

/// One `$GITHUB_OUTPUT` entry in the multi-line form:
/// `name<<DELIM\nvalue\nDELIM\n`. `delimiter` is random, passed in by the
/// shell; a value containing it is refused, because it could close the
/// block and inject other outputs.
pub fn output_block(name: &str, value: &str, delimiter: &str) -> Result<String, OutputError> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    {
        return Err(OutputError::BadName {
            name: name.to_owned(),
        });
    }
    if delimiter.len() < 16 || delimiter.contains(['\n', '\r', ':']) {
        return Err(OutputError::WeakDelimiter);
    }
    if value.contains(delimiter) {
        return Err(OutputError::ValueContainsDelimiter {
            name: name.to_owned(),
        });
    }
    Ok(format!("{name}<<{delimiter}\n{value}\n{delimiter}\n"))
}

/// The most `$GITHUB_STEP_SUMMARY` accepts for one step: 1 MiB.
pub const STEP_SUMMARY_LIMIT: usize = 1024 * 1024;

/// The step summary as it will be written: `markdown` as is when it fits
/// in [`STEP_SUMMARY_LIMIT`], otherwise cut at a line boundary with a last
/// line saying that it was cut, so the runner does not drop the whole
/// summary.
pub fn cap_step_summary(markdown: &str) -> String {
    if markdown.len() <= STEP_SUMMARY_LIMIT {
        return markdown.to_owned();
    }
    const NOTE: &str =
        "\n\n_The summary was cut at GitHub's 1 MiB limit; the log has every line._\n";
    let budget = STEP_SUMMARY_LIMIT - NOTE.len();
    let mut cut = budget;
    while !markdown.is_char_boundary(cut) {
        cut -= 1;
    }
    // Prefer ending on a whole line so a table row is not left half-written.
    let cut = markdown[..cut].rfind('\n').unwrap_or(cut);
    let mut out = markdown[..cut].to_owned();
    out.push_str(NOTE);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DELIM: &str = "ghadelimiter_4f1c9a7e2b";

    #[test]
    fn annotations_escape_message_and_properties() {
        let a = Annotation {
            level: AnnotationLevel::Error,
            file: Some("runbooks/postmortems/a,b:c.md".into()),
            line: Some(12),
            title: "fix: overdue, 3 days".into(),
            message: "100% late\r\nsecond line".into(),
        };
        assert_eq!(
            a.to_command(),
            "::error file=runbooks/postmortems/a%2Cb%3Ac.md,line=12,title=fix%3A overdue%2C 3 days::100%25 late%0D%0Asecond line"
        );
    }

    #[test]
    fn a_message_cannot_start_a_new_command() {
        let a = Annotation {
            level: AnnotationLevel::Warning,
            file: None,
            line: None,
            title: "t".into(),
            message: "x\n::set-env name=A::b".into(),
        };
        assert!(!a.to_command().contains('\n'));
    }

    #[test]
    fn outputs_use_the_delimiter_and_refuse_values_holding_it() {
        assert_eq!(
            output_block("pr-number", "42", DELIM).unwrap(),
            format!("pr-number<<{DELIM}\n42\n{DELIM}\n")
        );
        let err = output_block("x", &format!("a\n{DELIM}\nevil=1"), DELIM).unwrap_err();
        assert!(matches!(err, OutputError::ValueContainsDelimiter { .. }));
        assert!(output_block("a b", "1", DELIM).is_err());
        assert_eq!(
            output_block("a", "1", "EOF").unwrap_err(),
            OutputError::WeakDelimiter
        );
    }

    #[test]
    fn untrusted_log_text_is_fenced() {
        let out = without_commands(DELIM, "::error::fake").unwrap();
        assert!(out.starts_with(&format!("::stop-commands::{DELIM}\n")));
        assert!(out.ends_with(&format!("::{DELIM}::\n")));
        assert!(without_commands(DELIM, DELIM).is_err());
    }

    #[test]
    fn the_step_summary_is_capped_on_a_line() {
        let small = "| a |\n";
        assert_eq!(cap_step_summary(small), small);
        let big = "| row |\n".repeat(200_000);
        let capped = cap_step_summary(&big);
        assert!(capped.len() <= STEP_SUMMARY_LIMIT);
        assert!(capped.contains("1 MiB limit"));
        assert!(capped.trim_end().lines().rev().nth(2).unwrap() == "| row |");
    }

    proptest! {
        #[test]
        fn escaped_text_holds_no_line_breaks(s in any::<String>()) {
            let d = escape_data(&s);
            prop_assert!(!d.contains('\n') && !d.contains('\r'));
            let p = escape_property(&s);
            prop_assert!(!p.contains(':') && !p.contains(','));
        }

        #[test]
        fn capped_summaries_fit(s in ".{0,64}", n in 0usize..40_000) {
            let text = s.repeat(n);
            prop_assert!(cap_step_summary(&text).len() <= STEP_SUMMARY_LIMIT);
        }
    }
}
