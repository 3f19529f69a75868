//! Why a document could not be read. Every error names a 1-based line,
//! what was found there and what was expected, and says in one sentence how
//! to fix it: the person reading it is editing Markdown in a pull request,
//! not debugging a parser.

use std::fmt;

use postmortem_model::SCHEMA_VERSION;

use crate::yaml::KNOWN_KEYS;

/// A document that could not be read: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentError {
    /// 1-based line of the problem, always within the document.
    pub line: u32,
    /// What was wrong.
    pub kind: DocumentErrorKind,
}

/// What was wrong with a document. Each kind carries what was found and,
/// where it is not fixed by the kind, what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentErrorKind {
    /// The document holds more than one fix. The practice lands one.
    SeveralFixes {
        /// How many fixes the document holds.
        count: usize,
    },
    /// The document does not open with front matter.
    MissingFrontMatter {
        /// The first line.
        found: String,
    },
    /// The front matter is never closed by a `---` line.
    UnclosedFrontMatter,
    /// The front matter has no `schema_version`.
    MissingSchemaVersion,
    /// The front matter declares a version this build does not read.
    UnsupportedSchemaVersion {
        /// The declared version.
        found: String,
    },
    /// A front-matter key this version does not know.
    UnknownKey {
        /// The key.
        key: String,
    },
    /// A front-matter key set twice.
    DuplicateKey {
        /// The key.
        key: String,
        /// Where it was first set.
        first_line: u32,
    },
    /// A front-matter line outside the flat YAML subset.
    MalformedFrontMatter {
        /// The line.
        found: String,
        /// What a line looks like.
        expected: &'static str,
    },
    /// A field whose value is not valid.
    InvalidValue {
        /// The field, as the document names it.
        field: String,
        /// The value.
        found: String,
        /// What a valid value looks like.
        expected: String,
    },
    /// A heading the document does not have.
    UnknownSection {
        /// The heading.
        found: String,
        /// The headings allowed at this place.
        expected: String,
    },
    /// A section that appears twice.
    DuplicateSection {
        /// The section.
        section: String,
        /// Where it first appears.
        first_line: u32,
    },
    /// Text the parser does not understand at this place. It is refused
    /// rather than dropped.
    UnexpectedText {
        /// The line.
        found: String,
        /// The section it stands in.
        section: String,
        /// What may stand there, and where the text could go.
        expected: String,
    },
    /// A body line that displays a front-matter fact disagrees with it.
    DerivedMismatch {
        /// What the line shows, e.g. "Owner".
        shown: String,
        /// The value the line shows.
        found: String,
        /// The value the front matter gives.
        expected: String,
        /// The front-matter key(s) the value comes from.
        source: String,
        /// The line of that key, when it is present.
        source_line: Option<u32>,
    },
}

impl DocumentError {
    pub(crate) fn new(line: usize, kind: DocumentErrorKind) -> Self {
        Self {
            line: u32::try_from(line.max(1)).unwrap_or(u32::MAX),
            kind,
        }
    }
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DocumentErrorKind as K;
        write!(f, "line {}: ", self.line)?;
        match &self.kind {
            K::SeveralFixes { count } => write!(
                f,
                "the document holds {count} fixes and this is the second; expected one chain-level fix: one fix; the rest go to the retro (keep the fix at the level that produced the incident and move the others to the retrospective)"
            ),
            K::MissingFrontMatter { found } => write!(
                f,
                "found `{found}`; expected the front matter's opening line `---` (start the file with the YAML front matter between two `---` lines)"
            ),
            K::UnclosedFrontMatter => f.write_str(
                "the front matter is never closed; expected a line `---` after its last key (add `---` before the first heading)",
            ),
            K::MissingSchemaVersion => write!(
                f,
                "the front matter has no schema_version; expected `schema_version: {SCHEMA_VERSION}` (add it as the first key)"
            ),
            K::UnsupportedSchemaVersion { found } => write!(
                f,
                "schema_version is `{found}`; expected {SCHEMA_VERSION} (this build reads version {SCHEMA_VERSION} documents only: use the tool that wrote it or convert the document)"
            ),
            K::UnknownKey { key } => write!(
                f,
                "unknown front-matter key `{key}`; expected one of {} (fix the key's spelling or remove the line; prose belongs in the body)",
                KNOWN_KEYS.join(", ")
            ),
            K::DuplicateKey { key, first_line } => write!(
                f,
                "`{key}` is set again after line {first_line}; expected each key once (keep one of the two lines)"
            ),
            K::MalformedFrontMatter { found, expected } => {
                write!(f, "cannot read `{found}`; expected {expected}")
            }
            K::InvalidValue {
                field,
                found,
                expected,
            } => write!(
                f,
                "{field} is `{found}`; expected {expected} (correct the value, or leave it empty while it is not known)"
            ),
            K::UnknownSection { found, expected } => write!(
                f,
                "unknown heading `{found}`; expected {expected} (rename the heading, or move its text under one of these so that nothing is lost)"
            ),
            K::DuplicateSection {
                section,
                first_line,
            } => write!(
                f,
                "the section `{section}` appears again after line {first_line}; expected it once (merge the two sections)"
            ),
            K::UnexpectedText {
                found,
                section,
                expected,
            } => write!(
                f,
                "`{found}` under {section} is not part of any field; expected {expected}"
            ),
            K::DerivedMismatch {
                shown,
                found,
                expected,
                source,
                source_line,
            } => {
                let gives = if expected.is_empty() {
                    "nothing".to_owned()
                } else {
                    format!("`{expected}`")
                };
                match source_line {
                    Some(l) => write!(
                        f,
                        "shows {shown} `{found}` but the front matter's {source} on line {l} gives {gives}; expected the two to agree (change {source} in the front matter: this line only displays it and is rewritten on every render)"
                    ),
                    None => write!(
                        f,
                        "shows {shown} `{found}` but the front matter has no {source}, which gives {gives}; expected the two to agree (set {source} in the front matter: this line only displays it and is rewritten on every render)"
                    ),
                }
            }
        }
    }
}

impl std::error::Error for DocumentError {}

/// A line as it appears in a message: at most 80 characters.
pub(crate) fn clip(text: &str) -> String {
    const MAX: usize = 80;
    match text.char_indices().nth(MAX) {
        None => text.to_owned(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}
