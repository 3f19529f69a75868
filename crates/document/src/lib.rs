//! The postmortem document: Markdown with YAML front matter, its renderer,
//! its parser and the catalogue of documents.
//!
//! The document is the artefact leadership reads, living next to the
//! runbook in a git repository. The front matter is the record card: the
//! flat, searchable facts (incident, date, services, severity, the fix's
//! level, owner, due date and status, the incident's timestamps, who holds
//! the postmortem). The body is the story for people: the title, the user
//! impact, the timeline, the walk of the five chain levels, the one
//! chain-level fix and its test, the runbook update, the ADRs it re-opens
//! and who must read it. Every fact lives in exactly one place; the few
//! body lines that only display a front-matter fact (the fix's level,
//! owner, due date and status, the severity, services and duration, the
//! T+ column) are checked on [`parse`], so an edit to them is refused with
//! both lines named instead of being lost.
//!
//! [`render`] and [`parse`] are inverses: `parse(&render(pm))` is
//! `pm.normalized()`, and rendering what was parsed gives the same bytes.
//! User text is neutralised on the way out (no raw HTML, no @mentions, no
//! Markdown structure at line starts) and restored on the way in.
//!
//! The crate is pure (no I/O, no clock) and builds for `wasm32`.

mod error;
mod escape;
pub mod index;
mod parse;
mod render;
mod yaml;

pub use error::{DocumentError, DocumentErrorKind};
pub use parse::{Parsed, parse};
pub use render::render;

/// People's prose made safe for a Markdown file of the repository (a
/// runbook, an ADR) the way the document's own prose is: no raw HTML or
/// hidden comment, no `@mention` that notifies, no line read as a heading,
/// list, quote, table or code block. Line by line; line breaks are kept.
pub fn escape_prose(text: &str) -> String {
    text.split('\n')
        .map(|l| escape::line(l, escape::Place::Block))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A file-name-safe slug for a title: lowercase ASCII letters, digits and
/// single hyphens, at most 60 characters, never empty (`postmortem` when the
/// title has nothing usable).
///
/// ```
/// assert_eq!(postmortem_document::slug("queue.render p95 above 2s!"), "queue-render-p95-above-2s");
/// assert_eq!(postmortem_document::slug("¿?"), "postmortem");
/// ```
pub fn slug(title: &str) -> String {
    const MAX: usize = 60;
    let mut out = String::with_capacity(title.len().min(MAX + 1));
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() > MAX {
            break;
        }
    }
    if out.len() > MAX {
        // Cut at the last word boundary that fits, so the slug does not end
        // in half a word when a boundary is close enough.
        out.truncate(MAX);
        if let Some(cut) = out.rfind('-').filter(|&i| i >= MAX / 2) {
            out.truncate(cut);
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "postmortem".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_are_short_lowercase_and_never_empty() {
        assert_eq!(slug("Queue Render: p95 > 2s"), "queue-render-p95-2s");
        assert_eq!(slug("---"), "postmortem");
        assert_eq!(slug(""), "postmortem");
        assert_eq!(slug("Café crème"), "caf-cr-me");
        let long = slug(&"word ".repeat(40));
        assert!(long.len() <= 60 && !long.ends_with('-'), "{long}");
        let one = slug(&"x".repeat(100));
        assert_eq!(one.len(), 60);
    }
}
