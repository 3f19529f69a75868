//! Names for the fields of a postmortem, shared by everything that points
//! at one: a lint finding, a document's source map, a form field.
//!
//! A path follows the JSON form: `incident.started_at`, `timeline[3].text`,
//! `walk.L3.reasoning`, `fix.test.binding`, `adrs[0].conversation_on`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ChainLevel;

/// The path of one field of a postmortem, as in its JSON form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldPath(String);

impl FieldPath {
    /// A path from its text, e.g. `fix.owner`.
    pub fn new(path: impl Into<String>) -> Self {
        Self(path.into())
    }

    /// `timeline[i].<field>`, or `timeline[i]` for an empty field.
    pub fn timeline(i: usize, field: &str) -> Self {
        Self::indexed("timeline", i, field)
    }

    /// `adrs[i].<field>`, or `adrs[i]` for an empty field.
    pub fn adr(i: usize, field: &str) -> Self {
        Self::indexed("adrs", i, field)
    }

    /// `walk.<level>.<field>`, or `walk.<level>` for an empty field.
    pub fn walk(level: ChainLevel, field: &str) -> Self {
        if field.is_empty() {
            Self(format!("walk.{}", level.code()))
        } else {
            Self(format!("walk.{}.{field}", level.code()))
        }
    }

    fn indexed(list: &str, i: usize, field: &str) -> Self {
        if field.is_empty() {
            Self(format!("{list}[{i}]"))
        } else {
            Self(format!("{list}[{i}].{field}"))
        }
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The enclosing path: `fix` for `fix.owner`, `timeline[3]` for
    /// `timeline[3].text`, `timeline` for `timeline[3]`.
    pub fn parent(&self) -> Option<FieldPath> {
        let cut = self.0.rfind(['.', '['])?;
        Some(Self(self.0[..cut].to_owned()))
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for FieldPath {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

/// Where each field stands in a parsed document: field path to 1-based line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    /// Keyed by the path's text, to the line: the map type the document
    /// parser uses too, so the browser form's WebAssembly carries one.
    lines: BTreeMap<String, usize>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that `path` is on `line` (1-based). The first record wins.
    pub fn insert(&mut self, path: FieldPath, line: u32) {
        self.lines.entry(path.0).or_insert(line as usize);
    }

    /// The line of `path`, or of its nearest recorded enclosing field.
    pub fn line_of(&self, path: &FieldPath) -> Option<u32> {
        let mut current = Some(path.clone());
        while let Some(p) = current {
            if let Some(line) = self.lines.get(p.as_str()) {
                return u32::try_from(*line).ok();
            }
            current = p.parent();
        }
        None
    }

    /// Every recorded field and its line.
    pub fn iter(&self) -> impl Iterator<Item = (FieldPath, u32)> {
        self.lines.iter().map(|(p, l)| {
            (
                FieldPath::new(p.as_str()),
                u32::try_from(*l).unwrap_or(u32::MAX),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_the_json_form() {
        assert_eq!(FieldPath::timeline(3, "text").as_str(), "timeline[3].text");
        assert_eq!(
            FieldPath::walk(ChainLevel::L3, "reasoning").as_str(),
            "walk.L3.reasoning"
        );
        assert_eq!(FieldPath::adr(0, "").as_str(), "adrs[0]");
    }

    #[test]
    fn a_field_without_a_line_falls_back_to_its_parent() {
        let mut map = SourceMap::new();
        map.insert("fix".into(), 40);
        map.insert(FieldPath::timeline(2, ""), 21);
        assert_eq!(map.line_of(&"fix.test.binding".into()), Some(40));
        assert_eq!(map.line_of(&FieldPath::timeline(2, "text")), Some(21));
        assert_eq!(map.line_of(&"readers".into()), None);
    }
}
