//! The route without a token: an intake issue, opened on GitHub's
//! new-issue page, whose body carries the document.
//!
//! [`body`] writes the intake body: a hidden [`MARKER`] line, one line for
//! the people who read the issue, and the document in a ```` ```markdown ````
//! fence long enough that no line of the document can close it. The
//! Action recognises an intake issue by its label or by the marker
//! ([`is_intake`]), and [`extract`] takes the document back out.
//!
//! People also paste a document into an issue by hand, wrap it in fences
//! of their own, or keep an issue template's preamble, so [`extract`]'s
//! rule, in order, is:
//!
//! 1. If the body holds a fenced block whose info string is `markdown` or
//!    `md` (backticks or tildes, three or more), the document is the
//!    content of the FIRST such block. A fence left open is an error, not
//!    a guess.
//! 2. Otherwise, if a line `---` starts the front matter, the document
//!    runs from that line to the end; what stands before it is preamble
//!    and is dropped.
//! 3. Otherwise the whole body is the document; the document parser then
//!    says what is missing.
//!
//! The result remembers on which line of the body the document starts, so
//! a finding on line 7 of the document can be shown on the right line of
//! the issue.

use std::fmt;

use super::{Limits, TooLarge};

/// The hidden line that marks an issue body as a postmortem intake.
pub const MARKER: &str = "<!-- postmortem-intake:v1 -->";

/// The line people read above the document.
const EXPLANATION: &str = "This issue carries a postmortem for the repository's postmortem Action, which opens its pull request next to the runbook. To change it, edit the document below: the Action reads it again on every edit.";

/// The intake body for `document`, or why GitHub would refuse it as an
/// issue body.
pub fn body(document: &str) -> Result<String, TooLarge> {
    let document = document.replace("\r\n", "\n");
    // Longer than any run of backticks in the document, so none of its
    // lines closes the fence.
    let longest = document
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(4));
    let mut out = format!("{MARKER}\n{EXPLANATION}\n\n{fence}markdown\n{document}");
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&fence);
    out.push('\n');
    let size = out.chars().count();
    if size > Limits::ISSUE_BODY_CHARS {
        return Err(TooLarge {
            what: "the issue body",
            size,
            limit: Limits::ISSUE_BODY_CHARS,
            unit: "characters",
        });
    }
    Ok(out)
}

/// Whether an issue body was written by [`body`] (its marker line is
/// there), whatever labels the issue carries.
pub fn is_intake(body: &str) -> bool {
    body.lines().any(|l| l.trim() == MARKER)
}

/// The document found in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The document, with `\n` line endings.
    pub document: String,
    /// The body's 1-based line on which the document's first line stands.
    pub first_line: usize,
    /// How it was found.
    pub found: Found,
}

impl Extracted {
    /// The body's line for the document's 1-based line `line`.
    pub fn body_line(&self, line: usize) -> usize {
        self.first_line + line.saturating_sub(1)
    }
}

/// How the document was found in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Inside a ```` ```markdown ```` fence.
    Fenced,
    /// From the front matter's `---`, after a preamble of this many lines.
    AfterPreamble {
        /// Lines dropped before the front matter.
        lines: usize,
    },
    /// The whole body.
    WholeBody,
}

/// Why no document could be taken from the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntakeError {
    /// The body is empty.
    Empty,
    /// A ```` ```markdown ```` fence is never closed.
    UnclosedFence {
        /// The body's 1-based line of the opening fence.
        line: usize,
    },
}

impl fmt::Display for IntakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntakeError::Empty => f.write_str(
                "the issue body is empty: paste the postmortem document (Markdown with its --- front matter) into it",
            ),
            IntakeError::UnclosedFence { line } => write!(
                f,
                "the ```markdown fence opened on line {line} of the issue is never closed: end the document with a line of the same fence"
            ),
        }
    }
}

impl std::error::Error for IntakeError {}

/// Takes the postmortem document out of an intake issue's body.
pub fn extract(body: &str) -> Result<Extracted, IntakeError> {
    let body = body.replace("\r\n", "\n").replace('\r', "\n");
    if body.trim().is_empty() {
        return Err(IntakeError::Empty);
    }
    let lines: Vec<&str> = body.split('\n').collect();

    if let Some((open, fence)) = lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| markdown_fence(l).map(|f| (i, f)))
    {
        let close = lines[open + 1..]
            .iter()
            .position(|l| closes(l, &fence))
            .map(|p| open + 1 + p)
            .ok_or(IntakeError::UnclosedFence { line: open + 1 })?;
        let mut document = lines[open + 1..close].join("\n");
        document.push('\n');
        return Ok(Extracted {
            document,
            first_line: open + 2,
            found: Found::Fenced,
        });
    }

    if let Some(start) = lines.iter().position(|l| l.trim_end() == "---") {
        let mut document = lines[start..].join("\n");
        if !document.ends_with('\n') {
            document.push('\n');
        }
        return Ok(Extracted {
            document,
            first_line: start + 1,
            found: if start == 0 {
                Found::WholeBody
            } else {
                Found::AfterPreamble { lines: start }
            },
        });
    }

    let mut document = body.clone();
    if !document.ends_with('\n') {
        document.push('\n');
    }
    Ok(Extracted {
        document,
        first_line: 1,
        found: Found::WholeBody,
    })
}

/// An opening fence: up to three spaces, three or more backticks or
/// tildes, and the info string `markdown` or `md`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fence {
    ch: char,
    len: usize,
}

fn markdown_fence(line: &str) -> Option<Fence> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let ch = rest.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let len = rest.chars().take_while(|c| *c == ch).count();
    if len < 3 {
        return None;
    }
    let info = rest[len..].trim();
    let word = info.split_whitespace().next().unwrap_or("");
    (word.eq_ignore_ascii_case("markdown") || word.eq_ignore_ascii_case("md"))
        .then_some(Fence { ch, len })
}

/// A closing fence: the same character, at least as long, nothing after.
fn closes(line: &str, fence: &Fence) -> bool {
    let t = line.trim();
    let indent = line.len() - line.trim_start_matches(' ').len();
    indent <= 3 && t.chars().count() >= fence.len && t.chars().all(|c| c == fence.ch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DOC: &str = "---\nschema_version: 1\nincident:\n  id: INC-1\n---\n\n# Postmortem\n";

    #[test]
    fn a_bare_document_is_the_whole_body() {
        let e = extract(DOC).unwrap();
        assert_eq!(e.document, DOC);
        assert_eq!(e.first_line, 1);
        assert_eq!(e.found, Found::WholeBody);
    }

    #[test]
    fn a_fenced_document_is_unwrapped() {
        let body = format!("Filed from the form.\r\n\r\n````markdown\r\n{DOC}```\n````\ntrailing");
        let e = extract(&body).unwrap();
        assert_eq!(e.document, format!("{DOC}```\n"));
        assert_eq!(e.first_line, 4);
        assert_eq!(e.found, Found::Fenced);
        assert_eq!(e.body_line(2), 5);
    }

    #[test]
    fn a_preamble_is_dropped() {
        let body = format!("### Postmortem document\n\n{DOC}");
        let e = extract(&body).unwrap();
        assert_eq!(e.document, DOC);
        assert_eq!(e.first_line, 3);
        assert_eq!(e.found, Found::AfterPreamble { lines: 2 });
    }

    #[test]
    fn empty_and_unclosed_are_errors() {
        assert_eq!(extract(" \n\t\n"), Err(IntakeError::Empty));
        let err = extract("intro\n~~~md\n---\nx: 1\n").unwrap_err();
        assert_eq!(err, IntakeError::UnclosedFence { line: 2 });
        assert!(err.to_string().contains("line 2"));
    }

    #[test]
    fn other_fences_are_content() {
        let body = "```yaml\n---\n```\n";
        let e = extract(body).unwrap();
        assert_eq!(e.found, Found::AfterPreamble { lines: 1 });
    }

    #[test]
    fn a_body_without_front_matter_is_handed_on_whole() {
        let e = extract("just some words").unwrap();
        assert_eq!(e.document, "just some words\n");
    }

    #[test]
    fn the_intake_body_gives_back_the_document_it_carries() {
        let doc = format!("{DOC}\n```\n````\ncode\n````\n");
        let b = body(&doc).unwrap();
        assert!(is_intake(&b));
        assert!(
            b.contains("`````markdown\n"),
            "the fence outgrows the document's: {b}"
        );
        let e = extract(&b).unwrap();
        assert_eq!(e.document, doc);
        assert_eq!(e.found, Found::Fenced);
        assert_eq!(e.first_line, 5);
        assert!(!is_intake(DOC));
    }

    #[test]
    fn an_intake_body_over_github_s_limit_is_refused() {
        let long = "é".repeat(Limits::ISSUE_BODY_CHARS);
        let err = body(&long).unwrap_err();
        assert_eq!(err.limit, 65_536);
        assert!(err.to_string().contains("characters"));
    }

    proptest! {
        #[test]
        fn any_document_survives_the_intake_body(doc in any::<String>()) {
            let doc = doc.replace('\r', "");
            if let Ok(b) = body(&doc) {
                let e = extract(&b).unwrap();
                let mut want = doc.clone();
                if !want.ends_with('\n') { want.push('\n'); }
                prop_assert_eq!(e.document, want);
            }
        }

        #[test]
        fn extraction_never_panics_and_stays_within_the_body(s in any::<String>()) {
            if let Ok(e) = extract(&s) {
                prop_assert!(e.first_line >= 1);
                prop_assert!(e.document.ends_with('\n'));
                prop_assert!(!e.document.contains('\r'));
            }
        }

        #[test]
        fn a_fenced_document_comes_back(doc in "[a-z:\\- \n]{0,80}") {
            prop_assume!(!doc.lines().any(|l| l.trim().chars().all(|c| c == '`') && l.trim().len() >= 3));
            let body = format!("intro\n```markdown\n{doc}\n```\n");
            let e = extract(&body).unwrap();
            prop_assert_eq!(e.document, format!("{doc}\n"));
        }
    }
}
