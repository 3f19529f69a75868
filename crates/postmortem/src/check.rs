//! Reading a postmortem from text, in either of its two forms, and judging
//! it. A document that lists several fixes is readable but breaks the
//! practice, so it comes back as the one-fix finding rather than as
//! unreadable input; anything else that cannot be read is [`Unreadable`]
//! with the line and what was expected.

use std::fmt;

use postmortem_document::{DocumentErrorKind, parse};
use postmortem_lint::{Audience, Finding, several_fixes};
use postmortem_model::{JsonError, Postmortem, SourceMap, from_json};

/// Which form a postmortem was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The Markdown document with YAML front matter.
    Document,
    /// The JSON form.
    Json,
}

impl Form {
    /// Guesses the form from a file name, then from the text: JSON starts
    /// with `{`.
    pub fn detect(file_name: Option<&str>, text: &str) -> Form {
        match file_name
            .and_then(|n| n.rsplit_once('.'))
            .map(|(_, ext)| ext)
        {
            Some(ext) if ext.eq_ignore_ascii_case("json") => Form::Json,
            Some(ext) if ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown") => {
                Form::Document
            }
            _ if text.trim_start().starts_with('{') => Form::Json,
            _ => Form::Document,
        }
    }
}

/// Text that is not a postmortem: where and why, in one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// 1-based line of the problem, when known.
    pub line: Option<u32>,
    /// What was wrong and what was expected.
    pub message: String,
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Unreadable {}

/// A postmortem read from text.
#[derive(Debug, Clone)]
pub struct Read {
    /// The postmortem.
    pub postmortem: Postmortem,
    /// Where its fields stand in the text (empty for JSON).
    pub source_map: SourceMap,
}

/// The outcome of reading a text that may break the one-fix rule.
#[derive(Debug, Clone)]
pub enum Checked {
    /// A postmortem and the findings of every rule.
    Postmortem {
        /// What was read.
        read: Box<Read>,
        /// The findings, in document order.
        findings: Vec<Finding>,
    },
    /// The text lists several fixes, so no postmortem could be read; the
    /// only finding is the one-fix rule's.
    SeveralFixes(Finding),
}

impl Checked {
    /// The findings, whichever way the text was judged.
    pub fn findings(&self) -> &[Finding] {
        match self {
            Checked::Postmortem { findings, .. } => findings,
            Checked::SeveralFixes(finding) => std::slice::from_ref(finding),
        }
    }
}

/// Reads a postmortem in the given form, without judging it.
pub fn read(form: Form, text: &str) -> Result<Read, ReadError> {
    match form {
        Form::Document => match parse(text) {
            Ok(parsed) => Ok(Read {
                postmortem: parsed.postmortem,
                source_map: parsed.source_map,
            }),
            Err(e) => match e.kind {
                DocumentErrorKind::SeveralFixes { count } => Err(ReadError::SeveralFixes {
                    count,
                    line: Some(e.line),
                }),
                _ => Err(ReadError::Unreadable(Unreadable {
                    line: Some(e.line),
                    message: e.to_string(),
                })),
            },
        },
        Form::Json => match from_json(text) {
            Ok(postmortem) => Ok(Read {
                postmortem,
                source_map: SourceMap::new(),
            }),
            Err(JsonError::SeveralFixes { count }) => {
                Err(ReadError::SeveralFixes { count, line: None })
            }
            Err(e) => Err(ReadError::Unreadable(Unreadable {
                line: match &e {
                    JsonError::Invalid { line, .. } => u32::try_from(*line).ok(),
                    _ => None,
                },
                message: e.to_string(),
            })),
        },
    }
}

/// Why [`read`] gave no postmortem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The text lists several fixes: the practice lands one.
    SeveralFixes {
        /// How many.
        count: usize,
        /// The line of the second fix, in a document.
        line: Option<u32>,
    },
    /// The text is not a postmortem.
    Unreadable(Unreadable),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::SeveralFixes { count, line } => {
                let finding = several_fixes(*count, *line, READER);
                match line {
                    Some(line) => write!(f, "line {line}: {}", finding.message),
                    None => f.write_str(&finding.message),
                }
            }
            ReadError::Unreadable(u) => u.fmt(f),
        }
    }
}

impl std::error::Error for ReadError {}

/// The wording a [`ReadError`] is shown in: the document's where this build
/// carries it (the CLI, the Action), else the form's.
#[cfg(feature = "document")]
const READER: Audience = Audience::Document;
#[cfg(not(feature = "document"))]
const READER: Audience = Audience::Form;

/// Reads a postmortem and runs every rule of the practice on it, worded for
/// the document's readers.
#[cfg(feature = "document")]
pub fn check(form: Form, text: &str) -> Result<Checked, Unreadable> {
    match read(form, text) {
        Ok(read) => {
            let findings = postmortem_lint::lint_with_source(&read.postmortem, &read.source_map);
            Ok(Checked::Postmortem {
                read: Box::new(read),
                findings,
            })
        }
        Err(ReadError::SeveralFixes { count, line }) => Ok(Checked::SeveralFixes(several_fixes(
            count,
            line,
            Audience::Document,
        ))),
        Err(ReadError::Unreadable(u)) => Err(u),
    }
}
