//! The file contents the postmortem commit writes, as pure functions:
//! where the document goes (the path pattern, expanded and confined), the
//! runbook with the incident's update appended under a dated heading, and
//! each implicated ADR with a back-reference to the postmortem.
//!
//! Each function takes the file as it is now and returns it as it should
//! be; run on its own output it changes nothing, which is what lets a
//! rerun of the Action find nothing left to do.
//!
//! ADR back-references follow adr-tools: `adr link SOURCE LINK TARGET
//! REVERSE-LINK` writes the line `<LINK> [<target title>](<target file>)`
//! at the end of the record's `## Status` section, followed by a blank
//! line, and its documented example pairs `Amends` with `Amended by`.
//! The Action writes the reverse line, [`ADR_REVERSE_LINK`], the same way,
//! so `adr` tooling that reads those links sees the postmortem.

use chrono::{Datelike, NaiveDate};
use postmortem_model::{IncidentId, RepoPath, RunbookUpdate};

/// The link type written into an implicated ADR (adr-tools' reverse link
/// for `Amends`).
pub const ADR_REVERSE_LINK: &str = "Amended by";

/// Why the document path could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    /// What went wrong, naming the placeholder or the path.
    pub message: String,
}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PathError {}

/// Expands a document path pattern (checked by
/// [`crate::config::check_path_pattern`]) and checks the result is a
/// confined [`RepoPath`]. `{runbook_dir}` is the folder of the runbook the
/// incident used (empty for a runbook at the top, so the document lands
/// in `postmortems/…`); `{slug}` comes from the document crate's `slug`
/// and, like every other value, may not hold a `/`.
pub fn document_path(
    pattern: &str,
    runbook: Option<&RepoPath>,
    date: NaiveDate,
    slug: &str,
    incident: &IncidentId,
) -> Result<RepoPath, PathError> {
    let single_segment = |name: &str, value: &str| -> Result<(), PathError> {
        let ok = !value.is_empty()
            && value != "."
            && value != ".."
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if ok {
            Ok(())
        } else {
            Err(PathError {
                message: format!(
                    "{{{name}}} would be {value:?}: expected letters, digits, '.', '_' or '-'"
                ),
            })
        }
    };
    single_segment("slug", slug)?;
    let runbook_dir = runbook.and_then(RepoPath::parent).unwrap_or("");
    let date_text = date.format("%Y-%m-%d").to_string();
    let year = date.year().to_string();
    let expanded = pattern
        .replace("{runbook_dir}", runbook_dir)
        .replace("{date}", &date_text)
        .replace("{year}", &year)
        .replace("{slug}", slug)
        .replace("{incident_id}", incident.as_str());
    // An empty {runbook_dir} leaves an empty segment: drop it rather than
    // produce an absolute path.
    let collapsed: Vec<&str> = expanded.split('/').filter(|s| !s.is_empty()).collect();
    let joined = collapsed.join("/");
    joined.parse::<RepoPath>().map_err(|e| PathError {
        message: format!("the document path {joined:?} is refused: {e}"),
    })
}

/// The hidden line that marks a runbook section as this incident's, so it
/// is appended once.
pub fn runbook_marker(incident: &IncidentId) -> String {
    format!("<!-- postmortem:{incident} -->")
}

/// The runbook with the incident's update appended under a dated heading,
/// or the runbook unchanged when the section is already there. `link` is
/// the document's path relative to the runbook.
pub fn append_runbook_update(
    existing: &str,
    incident: &IncidentId,
    date: NaiveDate,
    update: &RunbookUpdate,
    link: &str,
) -> String {
    let marker = runbook_marker(incident);
    if existing.contains(&marker) {
        return existing.to_owned();
    }
    let mut out = existing.trim_end().to_owned();
    if !out.is_empty() {
        out.push_str("\n\n");
    }
    out.push_str(&format!(
        "## {date} — Postmortem {incident}\n\n{marker}\n\n"
    ));
    for (label, text) in [
        ("What worked", &update.worked),
        ("What did not", &update.did_not_work),
        ("What would be faster next time", &update.faster_next_time),
    ] {
        let text = postmortem_model::normalize_prose(text);
        if text.is_empty() {
            continue;
        }
        // Continuation lines are indented so a paragraph stays in its item.
        let body = text.replace('\n', "\n  ");
        out.push_str(&format!("- **{label}:** {body}\n"));
    }
    out.push_str(&format!("\nPostmortem: [{incident}]({link})\n"));
    out
}

/// The path of `to` relative to the folder of `from`, '/'-separated, as a
/// Markdown link from one repository file to another needs.
pub fn relative_link(from: &RepoPath, to: &RepoPath) -> String {
    let from_dir: Vec<&str> = from.parent().map_or(Vec::new(), |d| d.split('/').collect());
    let to_parts: Vec<&str> = to.as_str().split('/').collect();
    let to_dir = &to_parts[..to_parts.len() - 1];
    let common = from_dir
        .iter()
        .zip(to_dir)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

/// The ADR with a back-reference to the postmortem in its `## Status`
/// section, adr-tools style (`Amended by [label](link)`), or unchanged
/// when it already links the document. A record without a Status section
/// gets the line at its end.
pub fn add_adr_back_reference(
    existing: &str,
    adr: &RepoPath,
    document: &RepoPath,
    label: &str,
) -> String {
    let link = relative_link(adr, document);
    if existing.contains(&format!("]({link})")) {
        return existing.to_owned();
    }
    let label = label
        .replace('[', "\\[")
        .replace(']', "\\]")
        .replace('\n', " ");
    let line = format!("{ADR_REVERSE_LINK} [{label}]({link})");
    let lines: Vec<&str> = existing.split('\n').collect();
    let status = lines.iter().position(|l| l.trim_end() == "## Status");
    let insert_at = status.and_then(|s| {
        lines[s + 1..]
            .iter()
            .position(|l| l.starts_with("##"))
            .map(|p| s + 1 + p)
    });
    match insert_at {
        Some(at) => {
            let mut out: Vec<String> = lines[..at].iter().map(|s| (*s).to_owned()).collect();
            // Keep exactly one blank line before the link, as adr-tools does.
            while out.last().is_some_and(|l| l.trim().is_empty()) {
                out.pop();
            }
            out.push(String::new());
            out.push(line);
            out.push(String::new());
            out.extend(lines[at..].iter().map(|s| (*s).to_owned()));
            out.join("\n")
        }
        None => {
            let mut out = existing.trim_end().to_owned();
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&line);
            out.push('\n');
            out
        }
    }
}

/// The web address of a file on a branch, e.g.
/// `https://github.com/acme/app/blob/postmortem/INC-1/runbooks/x.md`.
pub fn blob_url(server: &str, repo: &str, branch: &str, path: &RepoPath) -> String {
    format!(
        "{}/{repo}/blob/{}/{}",
        server.trim_end_matches('/'),
        encode_path(branch),
        encode_path(path.as_str())
    )
}

/// Percent-encodes everything but unreserved characters and `/`.
fn encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> RepoPath {
        s.parse().unwrap()
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, 20).unwrap()
    }

    fn inc() -> IncidentId {
        "INC-2026-0142".parse().unwrap()
    }

    #[test]
    fn the_document_lands_next_to_the_runbook() {
        let path = document_path(
            crate::config::DEFAULT_DOCUMENT_PATH,
            Some(&p("runbooks/RB-021.md")),
            day(),
            "queue-render-p95",
            &inc(),
        )
        .unwrap();
        assert_eq!(
            path.as_str(),
            "runbooks/postmortems/2026-05-20-queue-render-p95.md"
        );
        let top = document_path(
            crate::config::DEFAULT_DOCUMENT_PATH,
            Some(&p("RB.md")),
            day(),
            "x",
            &inc(),
        )
        .unwrap();
        assert_eq!(top.as_str(), "postmortems/2026-05-20-x.md");
        let other = document_path("pm/{year}/{incident_id}.md", None, day(), "x", &inc()).unwrap();
        assert_eq!(other.as_str(), "pm/2026/INC-2026-0142.md");
    }

    #[test]
    fn values_cannot_escape_the_repository() {
        for slug in ["../x", "a/b", "..", ""] {
            assert!(
                document_path("{slug}.md", None, day(), slug, &inc()).is_err(),
                "{slug:?} accepted"
            );
        }
        // The expanded path is checked as a RepoPath whatever the pattern.
        assert!(document_path("{runbook_dir}/{slug}.md", None, day(), "s", &inc()).is_ok());
    }

    #[test]
    fn the_runbook_update_is_appended_once() {
        let update = RunbookUpdate {
            path: Some(p("runbooks/RB-021.md")),
            worked: "Scaling read replicas took 90 seconds.".into(),
            did_not_work: String::new(),
            faster_next_time: "Pre-warm the cache\nbefore the maintenance window.".into(),
        };
        let before = "# RB-021 Queue performance\n\nSteps.\n";
        let once = append_runbook_update(before, &inc(), day(), &update, "postmortems/x.md");
        assert!(once.starts_with(
            "# RB-021 Queue performance\n\nSteps.\n\n## 2026-05-20 — Postmortem INC-2026-0142\n"
        ));
        assert!(once.contains("- **What worked:** Scaling read replicas took 90 seconds.\n"));
        assert!(!once.contains("What did not"));
        assert!(
            once.contains("- **What would be faster next time:** Pre-warm the cache\n  before")
        );
        assert!(once.ends_with("Postmortem: [INC-2026-0142](postmortems/x.md)\n"));
        assert_eq!(
            append_runbook_update(&once, &inc(), day(), &update, "postmortems/x.md"),
            once
        );
    }

    #[test]
    fn relative_links_walk_up_and_down() {
        assert_eq!(
            relative_link(
                &p("docs/adr/0007-cache.md"),
                &p("runbooks/postmortems/a.md")
            ),
            "../../runbooks/postmortems/a.md"
        );
        assert_eq!(
            relative_link(&p("runbooks/RB.md"), &p("runbooks/postmortems/a.md")),
            "postmortems/a.md"
        );
        assert_eq!(relative_link(&p("README.md"), &p("a/b.md")), "a/b.md");
        assert_eq!(relative_link(&p("a/b/c.md"), &p("x.md")), "../../x.md");
    }

    const ADR: &str =
        "# 7. Cache warming\n\nDate: 2026-01-10\n\n## Status\n\nAccepted\n\n## Context\n\nWhy.\n";

    #[test]
    fn the_adr_gets_an_adr_tools_link_in_its_status() {
        let out = add_adr_back_reference(
            ADR,
            &p("docs/adr/0007-cache-warming.md"),
            &p("runbooks/postmortems/2026-05-20-queue.md"),
            "Postmortem INC-2026-0142: queue.render p95 [SEV-2]",
        );
        assert_eq!(
            out,
            "# 7. Cache warming\n\nDate: 2026-01-10\n\n## Status\n\nAccepted\n\nAmended by [Postmortem INC-2026-0142: queue.render p95 \\[SEV-2\\]](../../runbooks/postmortems/2026-05-20-queue.md)\n\n## Context\n\nWhy.\n"
        );
        let again = add_adr_back_reference(
            &out,
            &p("docs/adr/0007-cache-warming.md"),
            &p("runbooks/postmortems/2026-05-20-queue.md"),
            "other label",
        );
        assert_eq!(again, out);
    }

    #[test]
    fn a_record_without_status_or_with_status_last_gets_the_line_at_the_end() {
        let adr = p("docs/adr/1.md");
        let doc = p("docs/pm.md");
        assert_eq!(
            add_adr_back_reference("# 1. X\n\n## Status\n\nAccepted\n", &adr, &doc, "PM"),
            "# 1. X\n\n## Status\n\nAccepted\n\nAmended by [PM](../pm.md)\n"
        );
        assert_eq!(
            add_adr_back_reference("", &adr, &doc, "PM"),
            "Amended by [PM](../pm.md)\n"
        );
    }

    #[test]
    fn blob_urls_are_encoded() {
        assert_eq!(
            blob_url(
                "https://github.com/",
                "acme/app",
                "postmortem/INC-1",
                &p("run books/x.md")
            ),
            "https://github.com/acme/app/blob/postmortem/INC-1/run%20books/x.md"
        );
    }

    proptest! {
        #[test]
        fn appending_is_idempotent(existing in any::<String>(), worked in any::<String>()) {
            let update = RunbookUpdate { worked, ..RunbookUpdate::default() };
            let once = append_runbook_update(&existing, &inc(), day(), &update, "x.md");
            prop_assert_eq!(append_runbook_update(&once, &inc(), day(), &update, "x.md"), once);
        }

        #[test]
        fn back_references_are_idempotent(existing in any::<String>(), label in any::<String>()) {
            let adr = p("docs/adr/1.md");
            let doc = p("runbooks/pm/a.md");
            let once = add_adr_back_reference(&existing, &adr, &doc, &label);
            prop_assert!(once.contains("](../../runbooks/pm/a.md)"));
            prop_assert_eq!(add_adr_back_reference(&once, &adr, &doc, &label), once);
        }

        #[test]
        fn expanded_paths_are_confined(slug in any::<String>()) {
            if let Ok(path) = document_path(crate::config::DEFAULT_DOCUMENT_PATH, None, day(), &slug, &inc()) {
                prop_assert!(path.as_str().split('/').all(|seg| seg != ".." && seg != "." && !seg.is_empty()));
                prop_assert!(path.as_str().starts_with("postmortems/"));
            }
        }
    }
}
