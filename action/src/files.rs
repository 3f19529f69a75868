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
        let text = postmortem::document::escape_prose(&postmortem_model::normalize_prose(text));
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
    let label = postmortem::document::escape_prose(&postmortem_model::normalize_line(label))
        .replace('[', "\\[")
        .replace(']', "\\]");
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

/// The catalogue files beside a document: `index.json` and `index.md` in
/// the document's folder (what `postmortem index --write` writes there).
pub fn index_paths(document: &RepoPath) -> (String, String) {
    match document.parent() {
        Some(dir) if !dir.is_empty() => (format!("{dir}/index.json"), format!("{dir}/index.md")),
        _ => ("index.json".to_owned(), "index.md".to_owned()),
    }
}

/// One entry of an `index.json` as read back (the document crate only
/// writes them).
#[derive(serde::Deserialize)]
struct StoredEntry {
    path: String,
    #[serde(default)]
    incident: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    date: Option<NaiveDate>,
    #[serde(default)]
    services: Vec<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    fix_level: Option<String>,
    #[serde(default)]
    fix_owner: Option<String>,
    #[serde(default)]
    fix_due: Option<NaiveDate>,
    #[serde(default)]
    fix_status: String,
}

#[derive(serde::Deserialize)]
struct StoredCatalogue {
    #[serde(default)]
    postmortems: Vec<StoredEntry>,
}

/// The catalogue beside `document` with this postmortem's entry added or
/// replaced: `(path, content)` of `index.json` then `index.md`. The other
/// entries are kept as the existing `index.json` lists them (an unreadable
/// one is rebuilt with this entry alone rather than failing the run; the
/// CLI's `postmortem index --write` rebuilds it from the documents).
pub fn index_update(
    existing_json: Option<&str>,
    document: &RepoPath,
    pm: &postmortem_model::Postmortem,
) -> Vec<(RepoPath, String)> {
    use postmortem::document::index::{Catalogue, IndexEntry, entry};
    let (json_path, md_path) = index_paths(document);
    let file_name = document
        .as_str()
        .rsplit('/')
        .next()
        .unwrap_or(document.as_str())
        .to_owned();
    let mine = entry(&file_name, pm);
    let mut entries: Vec<IndexEntry> = existing_json
        .and_then(|j| serde_json::from_str::<StoredCatalogue>(j).ok())
        .map(|c| c.postmortems)
        .unwrap_or_default()
        .into_iter()
        .filter(|e| {
            e.path != mine.path && (mine.incident.is_empty() || e.incident != mine.incident)
        })
        .map(|e| IndexEntry {
            path: e.path,
            incident: e.incident,
            title: e.title,
            date: e.date,
            services: e.services,
            severity: e.severity,
            fix_level: e.fix_level,
            fix_owner: e.fix_owner,
            fix_due: e.fix_due,
            fix_status: e.fix_status,
        })
        .collect();
    entries.push(mine);
    let catalogue = Catalogue::new(entries);
    let mut out = Vec::new();
    if let Ok(p) = json_path.parse::<RepoPath>() {
        out.push((p, catalogue.to_json()));
    }
    if let Ok(p) = md_path.parse::<RepoPath>() {
        out.push((p, catalogue.to_markdown()));
    }
    out
}

/// Whether `path` is a postmortem document by the document path pattern:
/// `{runbook_dir}` matches any folders (or none), `{date}` a
/// `YYYY-MM-DD`, `{year}` four digits, `{slug}` and `{incident_id}` one
/// non-empty name without `/`. Lint mode reads only such files.
pub fn matches_document_pattern(pattern: &str, path: &str) -> bool {
    #[derive(Debug)]
    enum Tok<'a> {
        Lit(&'a str),
        Dir,
        Date,
        Year,
        Name,
    }
    let mut toks = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            toks.push(Tok::Lit(&rest[..open]));
        }
        let Some(close) = rest[open..].find('}') else {
            return false;
        };
        toks.push(match &rest[open + 1..open + close] {
            "runbook_dir" => Tok::Dir,
            "date" => Tok::Date,
            "year" => Tok::Year,
            _ => Tok::Name,
        });
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        toks.push(Tok::Lit(rest));
    }
    fn go(toks: &[Tok<'_>], s: &str) -> bool {
        let Some((first, more)) = toks.split_first() else {
            return s.is_empty();
        };
        let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
        match first {
            Tok::Lit(l) => {
                // An empty {runbook_dir} before a '/' collapses the slash.
                if let Some(r) = s.strip_prefix(l) {
                    if go(more, r) {
                        return true;
                    }
                }
                false
            }
            Tok::Dir => {
                // Nothing (eating the '/' that follows), or folders.
                if let Some(Tok::Lit(l)) = more.first() {
                    if let Some(stripped) = l.strip_prefix('/') {
                        let mut alt: Vec<Tok<'_>> = Vec::new();
                        if !stripped.is_empty() {
                            alt.push(Tok::Lit(stripped));
                        }
                        alt.extend(more[1..].iter().map(|t| match t {
                            Tok::Lit(x) => Tok::Lit(x),
                            Tok::Dir => Tok::Dir,
                            Tok::Date => Tok::Date,
                            Tok::Year => Tok::Year,
                            Tok::Name => Tok::Name,
                        }));
                        if go(&alt, s) {
                            return true;
                        }
                    }
                }
                (1..=s.len())
                    .filter(|&i| s.is_char_boundary(i))
                    .any(|i| !s[..i].starts_with('/') && go(more, &s[i..]))
            }
            Tok::Date => {
                s.len() >= 10
                    && s.is_char_boundary(10)
                    && chrono::NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d").is_ok()
                    && go(more, &s[10..])
            }
            Tok::Year => {
                s.len() >= 4 && s.is_char_boundary(4) && digits(&s[..4]) && go(more, &s[4..])
            }
            Tok::Name => (1..=s.len())
                .filter(|&i| s.is_char_boundary(i))
                .take_while(|&i| !s[..i].contains('/'))
                .any(|i| go(more, &s[i..])),
        }
    }
    !path.starts_with('/') && go(&toks, path)
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
    fn text_added_to_a_runbook_or_an_adr_is_neutralised() {
        let update = RunbookUpdate {
            path: Some(p("runbooks/RB-021.md")),
            worked: "<script>x</script> @alice\n# not a heading\n<!-- hidden -->".into(),
            ..RunbookUpdate::default()
        };
        let out = append_runbook_update("# RB\n", &inc(), day(), &update, "x.md");
        assert!(
            out.contains("&lt;script&gt;x&lt;/script&gt; @&#8203;alice"),
            "{out}"
        );
        assert!(out.contains("\\# not a heading"), "{out}");
        assert!(
            !out.contains("<!--") || out.matches("<!--").count() == 1,
            "only the Action's marker"
        );
        let adr = add_adr_back_reference(
            ADR,
            &p("docs/adr/7.md"),
            &p("pm/a.md"),
            "Postmortem: <b>@ops</b>",
        );
        assert!(
            adr.contains("[Postmortem: &lt;b&gt;@&#8203;ops&lt;/b&gt;](../../pm/a.md)"),
            "{adr}"
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

    #[test]
    fn lint_finds_documents_by_the_path_pattern() {
        let p = crate::config::DEFAULT_DOCUMENT_PATH;
        assert!(matches_document_pattern(
            p,
            "runbooks/queue/postmortems/2026-05-19-queue-render.md"
        ));
        assert!(matches_document_pattern(
            p,
            "postmortems/2026-05-19-queue-render.md"
        ));
        assert!(!matches_document_pattern(
            p,
            "runbooks/queue/postmortems/index.md"
        ));
        assert!(!matches_document_pattern(
            p,
            "runbooks/queue/postmortems/2026-05-19-x/y.md"
        ));
        assert!(!matches_document_pattern(p, "runbooks/queue/README.md"));
        let q = "postmortems/{year}/{incident_id}.md";
        assert!(matches_document_pattern(q, "postmortems/2026/INC-1.md"));
        assert!(!matches_document_pattern(q, "postmortems/26/INC-1.md"));
    }

    #[test]
    fn the_index_keeps_other_entries_and_replaces_this_one() {
        let pm: postmortem_model::Postmortem = postmortem_model::Postmortem::default();
        let doc: RepoPath = "runbooks/q/postmortems/2026-05-19-x.md".parse().unwrap();
        let first = index_update(None, &doc, &pm);
        assert_eq!(first[0].0.as_str(), "runbooks/q/postmortems/index.json");
        assert_eq!(first[1].0.as_str(), "runbooks/q/postmortems/index.md");
        let again = index_update(Some(&first[0].1), &doc, &pm);
        assert_eq!(again, first, "idempotent");
        let other = first[0].1.replace("2026-05-19-x.md", "2025-01-01-y.md");
        let both = index_update(Some(&other), &doc, &pm);
        assert!(both[0].1.contains("2025-01-01-y.md") && both[0].1.contains("2026-05-19-x.md"));
    }
}
