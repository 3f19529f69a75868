//! The catalogue of postmortems: one entry per document, searchable by
//! date, service, severity, chain level and fix status, as the practice
//! asks ("searchable by date, by service, by chain level"). It is written
//! twice: as JSON for tools and as a Markdown table for people, both
//! derived from the postmortems alone so the catalogue never drifts from
//! the documents it lists.

use chrono::NaiveDate;
use postmortem_model::{Postmortem, SCHEMA_VERSION, time};
use serde::Serialize;

use crate::escape::{self, Place};

/// One postmortem in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexEntry {
    /// The document's path, relative to the catalogue.
    pub path: String,
    /// The incident id, empty when not set.
    pub incident: String,
    /// The incident's title.
    pub title: String,
    /// The day the incident started.
    #[serde(with = "time::serde_option_date")]
    pub date: Option<NaiveDate>,
    /// The services it touched.
    pub services: Vec<String>,
    /// `SEV-1` … `SEV-4`.
    pub severity: Option<String>,
    /// The level of the fix, `L1` … `L5`.
    pub fix_level: Option<String>,
    /// The fix owner's login.
    pub fix_owner: Option<String>,
    /// The day the fix is due.
    #[serde(with = "time::serde_option_date")]
    pub fix_due: Option<NaiveDate>,
    /// `open`, `verified`, `verified-late` or `overdue`.
    pub fix_status: String,
}

/// The catalogue entry of the postmortem stored at `path`.
pub fn entry(path: &str, pm: &Postmortem) -> IndexEntry {
    let pm = pm.normalized();
    IndexEntry {
        path: path.to_owned(),
        incident: pm
            .incident
            .id
            .as_ref()
            .map(|i| i.as_str().to_owned())
            .unwrap_or_default(),
        title: pm.incident.title.clone(),
        date: pm.date(),
        services: pm
            .incident
            .services
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
        severity: pm.incident.severity.map(|s| s.as_str().to_owned()),
        fix_level: pm.fix.level.map(|l| l.code().to_owned()),
        fix_owner: pm.fix.owner.as_ref().map(|o| o.as_str().to_owned()),
        fix_due: pm.fix.due,
        fix_status: pm.fix.status.as_str().to_owned(),
    }
}

/// Every postmortem, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Catalogue {
    /// The entries: newest date first (undated last), then by incident id,
    /// then by path.
    pub entries: Vec<IndexEntry>,
}

#[derive(Serialize)]
struct CatalogueJson<'a> {
    schema_version: u32,
    postmortems: &'a [IndexEntry],
}

impl Catalogue {
    /// A catalogue of `entries`, sorted.
    pub fn new(mut entries: Vec<IndexEntry>) -> Self {
        entries.sort_by(|a, b| {
            // `None` sorts before `Some`, so reversing puts undated last.
            b.date
                .cmp(&a.date)
                .then_with(|| a.incident.cmp(&b.incident))
                .then_with(|| a.path.cmp(&b.path))
        });
        Self { entries }
    }

    /// `{"schema_version": 1, "postmortems": [...]}`, pretty-printed, ending
    /// in a newline.
    pub fn to_json(&self) -> String {
        let doc = CatalogueJson {
            schema_version: SCHEMA_VERSION,
            postmortems: &self.entries,
        };
        let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
        out.push('\n');
        out
    }

    /// A Markdown table with a row per postmortem, each linking to its
    /// document. Every cell is neutralised like the documents' text.
    pub fn to_markdown(&self) -> String {
        let mut out = String::with_capacity(256 + self.entries.len() * 200);
        out.push_str("# Postmortems\n\n");
        if self.entries.is_empty() {
            out.push_str("_No postmortems yet._\n");
            return out;
        }
        out.push_str("| Date | Incident | Title | Service | Severity | Chain level | Fix owner | Fix due | Fix status |\n");
        out.push_str("|---|---|---|---|---|---|---|---|---|\n");
        for e in &self.entries {
            let cell = |s: &str| escape::line(s, Place::Cell);
            let date = |d: Option<NaiveDate>| d.map(time::format_date).unwrap_or_default();
            let opt = |s: &Option<String>| s.as_deref().map(cell).unwrap_or_default();
            let label = if e.incident.is_empty() {
                e.path.rsplit('/').next().unwrap_or(&e.path)
            } else {
                &e.incident
            };
            let link = format!(
                "[{}]({})",
                cell(label).replace(['[', ']'], ""),
                link_target(&e.path)
            );
            let cells = [
                date(e.date),
                link,
                cell(&e.title),
                cell(&e.services.join(", ")),
                opt(&e.severity),
                opt(&e.fix_level),
                opt(&e.fix_owner),
                date(e.fix_due),
                cell(&e.fix_status),
            ];
            out.push_str("| ");
            out.push_str(&cells.join(" | "));
            out.push_str(" |\n");
        }
        out
    }
}

/// A relative link to `path`, percent-encoded so that no character of the
/// path can end the link, the cell or the table.
fn link_target(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dated(id: &str, date: Option<&str>) -> IndexEntry {
        IndexEntry {
            path: format!("{id}.md"),
            incident: id.to_owned(),
            title: String::new(),
            date: date.map(|d| d.parse().unwrap()),
            services: vec![],
            severity: None,
            fix_level: None,
            fix_owner: None,
            fix_due: None,
            fix_status: "open".into(),
        }
    }

    #[test]
    fn catalogue_lists_newest_first_then_by_incident_and_undated_last() {
        let c = Catalogue::new(vec![
            dated("B", Some("2026-05-01")),
            dated("X", None),
            dated("C", Some("2026-06-01")),
            dated("A", Some("2026-05-01")),
        ]);
        let ids: Vec<_> = c.entries.iter().map(|e| e.incident.as_str()).collect();
        assert_eq!(ids, ["C", "A", "B", "X"]);
    }

    #[test]
    fn markdown_cells_cannot_break_the_table_or_notify() {
        let mut e = dated("INC-1", Some("2026-05-01"));
        e.title = "a | b <b>@alice</b>".into();
        e.path = "post mortems/a)b.md".into();
        let md = Catalogue::new(vec![e]).to_markdown();
        assert!(
            md.contains("a \\| b &lt;b&gt;@&#8203;alice&lt;/b&gt;"),
            "{md}"
        );
        assert!(md.contains("[INC-1](post%20mortems/a%29b.md)"), "{md}");
    }

    #[test]
    fn json_has_a_version_and_the_list() {
        let json = Catalogue::new(vec![dated("INC-1", Some("2026-05-01"))]).to_json();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["postmortems"][0]["date"], "2026-05-01");
        assert_eq!(v["postmortems"][0]["fix_status"], "open");
    }
}
