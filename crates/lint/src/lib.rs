//! The postmortem practice's rules as a linter: one rule per discipline, each with a stable code.
//!
//! Every rule lives in its own file under `src/rules/`, with its code, its
//! name, its severity, the chain level it belongs to, the line of the
//! practice it enforces and its tests. [`lint`] runs them all over a
//! [`Postmortem`] and returns [`Finding`]s in document order; [`rules`] is
//! the catalogue, for documentation and `postmortem lint --explain`.
//!
//! The crate is pure: no I/O, no clock, no threads, no regular expressions,
//! so it compiles to wasm for the browser form. Heuristic rules (the
//! "more monitoring" reflex, a fix that is a feeling, names outside the
//! timeline) quote the exact words that triggered them.
//!
//! Codes are stable and grouped: `PM0xx` the incident and timing, `PM1xx`
//! the timeline, `PM2xx` the chain walk, `PM3xx` the fix and
//! blamelessness, `PM4xx` readers, the runbook and the ADRs.
//!
//! # Two wordings, one rule
//!
//! Each rule words its findings twice, side by side in its file: for the
//! [`Audience::Document`] (the CLI, the Action, CI: fields named by their
//! path, `fix.level`, as a reviewer finds them in the front matter) and
//! for the [`Audience::Form`] (the person filling in the guided form:
//! fields named by their label, plain words, no field paths). The
//! `document` feature (default) compiles the first, the `form` feature the
//! second; the browser form carries only its own.

use std::fmt;

use postmortem_model::{ChainLevel, FieldPath, Postmortem};
use serde::Serialize;

mod order;
mod rules;
mod text;

/// How serious a finding is. Errors break the practice; warnings ask for a
/// second look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The postmortem breaks the practice.
    Error,
    /// The postmortem may break the practice, or leaves it unverifiable.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem a rule found in a postmortem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's stable code, e.g. `PM305`.
    pub code: &'static str,
    /// The rule's stable kebab-case name, e.g. `fix-not-owned`.
    pub rule: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// The chain level the problem belongs to, when it belongs to one.
    pub level: Option<ChainLevel>,
    /// One sentence: what is wrong, at which chain level, and how to fix it.
    pub message: String,
    /// The field the finding points at, e.g. `fix.owner`.
    pub field: FieldPath,
    /// The source line of that field, when linted from a parsed document.
    pub line: Option<u32>,
    /// For heuristic rules: the exact words that triggered the finding.
    pub quote: Option<String>,
}

impl Finding {
    /// The same finding, quoting the words that triggered it.
    #[must_use]
    pub fn with_quote(mut self, quote: impl Into<String>) -> Finding {
        self.quote = Some(quote.into());
        self
    }
}

/// Who reads the findings, which decides their wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// The CLI, the Action and CI: fields named by their path in the
    /// document (`fix.level`). The `document` feature.
    #[cfg(feature = "document")]
    Document,
    /// The guided form: fields named by their label, no field paths. The
    /// `form` feature.
    #[cfg(any(test, feature = "form"))]
    Form,
}

/// Where a rule's check puts its findings, and for whom it words them.
pub(crate) struct Out {
    pub(crate) audience: Audience,
    pub(crate) findings: Vec<Finding>,
}

impl Out {
    pub(crate) fn new(audience: Audience) -> Out {
        Out {
            audience,
            findings: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }
}

/// A finding's message in the audience's wording: `say!(out, doc: …,
/// form: …)`. Each wording compiles only with its feature, so the form's
/// WebAssembly carries no document wording.
macro_rules! say {
    ($out:expr, doc: $doc:expr, form: $form:expr $(,)?) => {
        match $out.audience {
            #[cfg(feature = "document")]
            $crate::Audience::Document => ::std::string::String::from($doc),
            #[cfg(any(test, feature = "form"))]
            $crate::Audience::Form => ::std::string::String::from($form),
        }
    };
}
pub(crate) use say;

/// The signature of a rule's check: it appends its findings to `out`.
pub(crate) type Check = fn(rule: &Rule, pm: &Postmortem, out: &mut Out);

/// One rule of the practice, as data.
pub struct Rule {
    /// The stable code, e.g. `PM305`.
    pub code: &'static str,
    /// The stable kebab-case name, e.g. `fix-not-owned`.
    pub name: &'static str,
    /// The severity of every finding the rule makes.
    pub severity: Severity,
    /// The chain level the rule always belongs to; `None` when it depends
    /// on the postmortem (e.g. the fix's level) or there is none.
    pub level: Option<ChainLevel>,
    /// One line: what the rule catches. Only with the `docs` feature: the
    /// browser form shows findings, not the catalogue, and does not carry
    /// these texts.
    #[cfg(any(test, feature = "docs"))]
    pub summary: &'static str,
    /// The line of the practice the rule enforces, quoted briefly (`docs`
    /// feature).
    #[cfg(any(test, feature = "docs"))]
    pub practice: &'static str,
    /// The check itself.
    pub(crate) check: Check,
}

impl Rule {
    /// Runs this rule alone over `pm`, worded for the document, findings
    /// in document order.
    #[cfg(feature = "document")]
    pub fn check(&self, pm: &Postmortem) -> Vec<Finding> {
        self.check_for(pm, Audience::Document)
    }

    /// Runs this rule alone over `pm`, worded for `audience`.
    pub fn check_for(&self, pm: &Postmortem, audience: Audience) -> Vec<Finding> {
        let mut out = Out::new(audience);
        (self.check)(self, pm, &mut out);
        order::sort(&mut out.findings);
        out.findings
    }

    /// A finding of this rule.
    pub(crate) fn finding(
        &self,
        level: Option<ChainLevel>,
        field: impl Into<FieldPath>,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            code: self.code,
            rule: self.name,
            severity: self.severity,
            level,
            message: message.into(),
            field: field.into(),
            line: None,
            quote: None,
        }
    }
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("code", &self.code)
            .field("name", &self.name)
            .field("severity", &self.severity)
            .field("level", &self.level)
            .finish_non_exhaustive()
    }
}

/// The catalogue of rules, in code order.
pub fn rules() -> &'static [Rule] {
    rules::ALL
}

/// The rule with this code (`PM305`) or name (`fix-not-owned`), for
/// `--explain`. Case-insensitive.
pub fn rule(code_or_name: &str) -> Option<&'static Rule> {
    let key = code_or_name.trim();
    rules()
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
}

/// Runs every rule over `pm`, worded for the document (the CLI, the
/// Action). Findings come in document order (the order of the fields in
/// the JSON form and the document), then by code.
#[cfg(feature = "document")]
pub fn lint(pm: &Postmortem) -> Vec<Finding> {
    lint_for(pm, Audience::Document)
}

/// [`lint`], worded for `audience`.
pub fn lint_for(pm: &Postmortem, audience: Audience) -> Vec<Finding> {
    let mut out = Out::new(audience);
    for rule in rules() {
        (rule.check)(rule, pm, &mut out);
    }
    order::sort(&mut out.findings);
    out.findings
}

/// [`lint`], with each finding's `line` taken from the parsed document's
/// source map.
#[cfg(feature = "document")]
pub fn lint_with_source(pm: &Postmortem, map: &postmortem_model::SourceMap) -> Vec<Finding> {
    let mut findings = lint(pm);
    for f in &mut findings {
        f.line = map.line_of(&f.field);
    }
    findings
}

/// The one-fix rule's finding (`PM303 several-fixes`), for a document or a
/// JSON form that lists `count` fixes. Parsing refuses such a text, so the
/// caller reports this finding instead of a postmortem's findings.
pub fn several_fixes(count: usize, line: Option<u32>, audience: Audience) -> Finding {
    rules::several_fixes::finding(count, line, audience)
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let all = rules();
        for (i, r) in all.iter().enumerate() {
            assert!(r.code.len() == 5 && r.code.starts_with("PM"), "{}", r.code);
            assert!(
                r.code[2..].chars().all(|c| c.is_ascii_digit()),
                "{}",
                r.code
            );
            assert!(
                r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.name
            );
            assert!(
                !r.summary.is_empty() && !r.practice.is_empty(),
                "{}",
                r.code
            );
            for other in &all[i + 1..] {
                assert_ne!(r.code, other.code);
                assert_ne!(r.name, other.name);
            }
        }
        let codes: Vec<_> = all.iter().map(|r| r.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(codes, sorted, "the catalogue is in code order");
    }

    #[test]
    fn rules_are_found_by_code_or_name() {
        assert_eq!(rule("pm305").map(|r| r.name), Some("fix-not-owned"));
        assert_eq!(rule("fix-not-owned").map(|r| r.code), Some("PM305"));
        assert!(rule("PM999").is_none());
    }

    #[test]
    fn the_practice_example_is_clean() {
        assert_eq!(lint(&rules::example()), Vec::<Finding>::new());
    }

    #[test]
    fn several_fixes_says_one_fix() {
        let f = several_fixes(3, Some(12), Audience::Document);
        assert_eq!(f.code, "PM303");
        assert_eq!(f.line, Some(12));
        assert_eq!(f.severity, Severity::Error);
        assert!(f.message.contains("one fix; the rest go to the retro"));
        assert!(has_errors(&[f]));
        assert!(!has_errors(&[]));
    }

    #[test]
    fn findings_serialize_in_their_stable_shape() {
        let mut pm = rules::example();
        pm.fix.owner = None;
        let f = lint(&pm).remove(0);
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["code"], "PM305");
        assert_eq!(json["rule"], "fix-not-owned");
        assert_eq!(json["severity"], "error");
        assert_eq!(json["level"], "L3");
        assert_eq!(json["field"], "fix.owner");
        assert!(json["line"].is_null());
    }

    #[test]
    fn lines_come_from_the_source_map() {
        let mut pm = rules::example();
        pm.fix.owner = None;
        let mut map = postmortem_model::SourceMap::new();
        map.insert("fix".into(), 40);
        let f = lint_with_source(&pm, &map);
        assert_eq!(f[0].line, Some(40));
    }

    #[test]
    fn findings_are_in_document_order() {
        let mut pm = rules::example();
        pm.readers.clear();
        pm.fix.owner = None;
        pm.walk.strategy.reasoning.clear();
        pm.incident.title.clear();
        let fields: Vec<String> = lint(&pm).iter().map(|f| f.field.to_string()).collect();
        assert_eq!(
            fields,
            [
                "incident.title",
                "walk.L1.reasoning",
                "fix.owner",
                "readers"
            ]
        );
    }
}
