//! The front matter: a small, strict reader and writer for the flat YAML
//! subset the document uses.
//!
//! A YAML library would accept far more than this (nesting, anchors, tags,
//! YAML 1.1's `no` meaning false) and would report errors in its own terms;
//! this reader knows exactly one shape, `key: value` at the first column
//! with plain, single- or double-quoted scalars and flow (`[a, b]`) or block
//! (`- a`) sequences, so every error names the line and what was expected.
//! It also keeps the crate small for the browser form's WebAssembly build.
//! Values are untyped strings here; the parser gives them their types.

use crate::error::{DocumentError, DocumentErrorKind, clip};

/// Every key the front matter may hold, in the order the renderer writes
/// them.
pub(crate) const KNOWN_KEYS: [&str; 17] = [
    "schema_version",
    "incident",
    "date",
    "services",
    "severity",
    "fix_level",
    "fix_owner",
    "fix_due",
    "status",
    "started_at",
    "detected_at",
    "mitigated_at",
    "resolved_at",
    "holder",
    "holder_role",
    "held_at",
    "participants",
];

/// A value as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    /// Empty, `~` or `null`.
    Null,
    /// One string.
    Scalar(String),
    /// A sequence: each item with its line.
    List(Vec<(usize, String)>),
}

/// One `key: value` line (and, for a block sequence, its items).
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub key: String,
    pub line: usize,
    pub value: Value,
}

/// The front matter as read.
#[derive(Debug, Clone)]
pub(crate) struct FrontMatter {
    pub entries: Vec<Entry>,
    /// Index (0-based) of the first line after the closing `---`.
    pub body_start: usize,
}

const LINE_SHAPE: &str = "a flat `key: value` line starting at the first column, a `- item` of a list, a `# comment` or the closing `---` (nested keys and multi-line values are not part of the document's front matter)";
const QUOTE_IT: &str = "a value on one line, in double quotes when it starts with one of - ? : , [ ] { } # & * ! | > ' \" % @ ` or contains `: ` or ` #` (write it as \"...\")";

fn malformed(line: usize, found: &str, expected: &'static str) -> DocumentError {
    DocumentError::new(
        line,
        DocumentErrorKind::MalformedFrontMatter {
            found: clip(found),
            expected,
        },
    )
}

/// Reads the front matter at the top of `lines`.
pub(crate) fn read(lines: &[&str]) -> Result<FrontMatter, DocumentError> {
    let first = lines.first().copied().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(DocumentError::new(
            1,
            DocumentErrorKind::MissingFrontMatter { found: clip(first) },
        ));
    }
    let mut entries: Vec<Entry> = Vec::new();
    let mut i = 1;
    loop {
        let Some(&raw) = lines.get(i) else {
            return Err(DocumentError::new(
                lines.len(),
                DocumentErrorKind::UnclosedFrontMatter,
            ));
        };
        let line_no = i + 1;
        let text = raw.trim_end();
        i += 1;
        if text == "---" || text == "..." {
            break;
        }
        let content = text.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if content.len() != text.len() {
            return Err(malformed(line_no, text, LINE_SHAPE));
        }
        let Some((key, rest)) = text.split_once(':') else {
            return Err(malformed(line_no, text, LINE_SHAPE));
        };
        let key_ok = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
        if !key_ok || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
            return Err(malformed(line_no, text, LINE_SHAPE));
        }
        let rest = rest.trim();
        let value = if rest.is_empty() || rest.starts_with('#') {
            // Either nothing, or a block sequence on the following lines.
            let mut items = Vec::new();
            let mut j = i;
            while let Some(&next) = lines.get(j) {
                let t = next.trim();
                if t.is_empty() || t.starts_with('#') {
                    j += 1;
                    continue;
                }
                let Some(item) = t
                    .strip_prefix('-')
                    .filter(|r| r.is_empty() || r.starts_with([' ', '\t']))
                else {
                    break;
                };
                let item = item.trim();
                let value = if item.is_empty() {
                    String::new()
                } else {
                    match scalar(item, false, j + 1)? {
                        Value::Scalar(s) => s,
                        _ => String::new(),
                    }
                };
                items.push((j + 1, value));
                j += 1;
                i = j;
            }
            if items.is_empty() {
                Value::Null
            } else {
                Value::List(items)
            }
        } else if rest.starts_with('[') {
            flow_list(rest, line_no)?
        } else {
            scalar(rest, false, line_no)?
        };
        if let Some(first) = entries.iter().find(|e| e.key == key) {
            return Err(DocumentError::new(
                line_no,
                DocumentErrorKind::DuplicateKey {
                    key: key.to_owned(),
                    first_line: u32::try_from(first.line).unwrap_or(u32::MAX),
                },
            ));
        }
        entries.push(Entry {
            key: key.to_owned(),
            line: line_no,
            value,
        });
    }
    Ok(FrontMatter {
        entries,
        body_start: i,
    })
}

/// Reads one scalar from the start of `text`; in a flow sequence it ends at
/// `,` or `]`. Returns the value and, through `rest`, what follows it.
fn scalar_prefix(text: &str, flow: bool, line: usize) -> Result<(Value, &str), DocumentError> {
    let bad = || malformed(line, text, QUOTE_IT);
    if let Some(inner) = text.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = inner.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return Ok((Value::Scalar(out), &inner[i + 1..])),
                '\\' => {
                    let (_, e) = chars.next().ok_or_else(bad)?;
                    match e {
                        '\\' | '"' | '/' => out.push(e),
                        ' ' => out.push(' '),
                        't' => out.push('\t'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        '0' => out.push('\0'),
                        'x' | 'u' | 'U' => {
                            let digits = match e {
                                'x' => 2,
                                'u' => 4,
                                _ => 8,
                            };
                            let mut code = 0u32;
                            for _ in 0..digits {
                                let (_, d) = chars.next().ok_or_else(bad)?;
                                code = code * 16 + d.to_digit(16).ok_or_else(bad)?;
                            }
                            out.push(char::from_u32(code).ok_or_else(bad)?);
                        }
                        _ => return Err(bad()),
                    }
                }
                _ => out.push(c),
            }
        }
        return Err(bad());
    }
    if let Some(inner) = text.strip_prefix('\'') {
        let mut out = String::new();
        let mut rest = inner;
        loop {
            let q = rest.find('\'').ok_or_else(bad)?;
            out.push_str(&rest[..q]);
            rest = &rest[q + 1..];
            if let Some(after) = rest.strip_prefix('\'') {
                out.push('\'');
                rest = after;
            } else {
                return Ok((Value::Scalar(out), rest));
            }
        }
    }
    if text.starts_with([
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`',
    ]) && !(text.starts_with('-') && text.len() > 1 && !text[1..].starts_with([' ', '\t']))
    {
        return Err(bad());
    }
    // A plain scalar ends at ` #` (a comment), or in a flow at `,` / `]`.
    let mut end = text.len();
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let comment = b == b'#' && i > 0 && matches!(bytes[i - 1], b' ' | b'\t');
        if comment || (flow && matches!(b, b',' | b']')) {
            end = i;
            break;
        }
        if flow && matches!(b, b'[' | b'{' | b'}') {
            return Err(bad());
        }
    }
    let value = text[..end].trim_end();
    if value.contains(": ") || value.ends_with(':') && !flow {
        return Err(bad());
    }
    let value = match value {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        _ => Value::Scalar(value.to_owned()),
    };
    Ok((value, &text[end..]))
}

fn scalar(text: &str, flow: bool, line: usize) -> Result<Value, DocumentError> {
    let (value, rest) = scalar_prefix(text, flow, line)?;
    let rest = rest.trim_start();
    if rest.is_empty() || rest.starts_with('#') {
        Ok(value)
    } else {
        Err(malformed(line, text, QUOTE_IT))
    }
}

fn flow_list(text: &str, line: usize) -> Result<Value, DocumentError> {
    const FLOW: &str = "a list on one line such as [a, b, \"c, d\"] with items separated by commas and no nested lists";
    let mut items = Vec::new();
    let mut rest = text[1..].trim_start();
    if let Some(after) = rest.strip_prefix(']') {
        rest = after;
    } else {
        loop {
            let (value, after) = scalar_prefix(rest, true, line)?;
            match value {
                Value::Scalar(s) => items.push((line, s)),
                _ => return Err(malformed(line, text, FLOW)),
            }
            let after = after.trim_start();
            if let Some(a) = after.strip_prefix(',') {
                rest = a.trim_start();
                if let Some(a) = rest.strip_prefix(']') {
                    // A trailing comma, as YAML allows.
                    rest = a;
                    break;
                }
            } else if let Some(a) = after.strip_prefix(']') {
                rest = a;
                break;
            } else {
                return Err(malformed(line, text, FLOW));
            }
        }
    }
    let rest = rest.trim_start();
    if rest.is_empty() || rest.starts_with('#') {
        Ok(Value::List(items))
    } else {
        Err(malformed(line, text, FLOW))
    }
}

/// Appends `key: value` with `value` quoted when it has to be.
pub(crate) fn push_entry(out: &mut String, key: &str, value: Option<&str>) {
    out.push_str(key);
    out.push(':');
    if let Some(v) = value {
        out.push(' ');
        push_scalar(out, v, false);
    }
    out.push('\n');
}

/// Appends `key: [a, b]`.
pub(crate) fn push_list<'a>(out: &mut String, key: &str, items: impl IntoIterator<Item = &'a str>) {
    out.push_str(key);
    out.push_str(": [");
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_scalar(out, item, true);
    }
    out.push_str("]\n");
}

fn push_scalar(out: &mut String, value: &str, flow: bool) {
    if plain_is_safe(value, flow) {
        out.push_str(value);
        return;
    }
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            // Markup characters are written as escapes too, so that a tool
            // that shows the front matter as Markdown text shows no HTML,
            // comment or mention.
            c if c.is_control() || matches!(c, '<' | '>' | '&' | '@') => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Whether `value` reads back as itself, as a string, both here and in any
/// YAML reader (so no `null`, `yes`, numbers or indicators).
fn plain_is_safe(value: &str, flow: bool) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    let lower = value.to_ascii_lowercase();
    !first.is_whitespace()
        && !value.ends_with(char::is_whitespace)
        && !"-?:,[]{}#&*!|>'\"%@`.".contains(first)
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.ends_with(':')
        && !value
            .chars()
            .any(|c| c.is_control() || matches!(c, '<' | '>' | '&' | '@'))
        && !(flow && value.contains([',', '[', ']', '{', '}']))
        && !matches!(
            lower.as_str(),
            "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
        )
        && !reads_as_float(value)
        && !lower.starts_with("0x")
        && !lower.starts_with("0o")
        && !value.chars().all(|c| c.is_ascii_digit() || c == '_')
}

/// Whether `value` is a floating-point number as Rust's `f64::from_str`
/// reads it (`1.5`, `-.5`, `1e3`, `+inf`, `NaN`), which covers YAML's
/// floats. Written out rather than calling the parser, whose tables are a
/// sizeable share of the browser form's download.
fn reads_as_float(value: &str) -> bool {
    let unsigned = value.strip_prefix(['+', '-']).unwrap_or(value);
    if ["inf", "infinity", "nan"]
        .iter()
        .any(|w| unsigned.eq_ignore_ascii_case(w))
    {
        return true;
    }
    let bytes = unsigned.as_bytes();
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let whole = digits(0);
    let mut i = whole;
    let mut fraction = 0;
    if bytes.get(i) == Some(&b'.') {
        fraction = digits(i + 1);
        i += 1 + fraction;
    }
    if whole + fraction == 0 {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exponent = digits(i);
        if exponent == 0 {
            return false;
        }
        i += exponent;
    }
    i == bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn reads_as_float_agrees_with_rust(s in "[-+]?[0-9.eE+_-]{0,8}|[-+]?(?i:inf|infinity|nan|in|infinit)") {
            prop_assert_eq!(reads_as_float(&s), s.parse::<f64>().is_ok(), "{:?}", s);
        }
    }

    #[test]
    fn floats_are_told_from_dates_and_versions() {
        for yes in [
            "1",
            "1.",
            ".5",
            "-0.5e-3",
            "+1E9",
            "inf",
            "-Infinity",
            "NaN",
        ] {
            assert!(reads_as_float(yes), "{yes}");
        }
        for no in [
            "",
            ".",
            "e5",
            "1e",
            "1.2.3",
            "2026-05-18",
            "1_000",
            "0x10",
            "infinite",
        ] {
            assert!(!reads_as_float(no), "{no}");
        }
    }

    fn read_text(text: &str) -> Result<FrontMatter, DocumentError> {
        let lines: Vec<&str> = text.split('\n').collect();
        read(&lines)
    }

    #[test]
    fn scalars_lists_and_comments_are_read() {
        let fm = read_text(
            "---\n# a comment\na: plain value # note\nb: \"q: \\\"x\\\" \\u00e9\"\nc: 'it''s'\nd: [x, \"y, z\", 'w']\ne:\n  - one\n  - \"two\"\nf:\ng: ~\n---\nbody",
        )
        .unwrap();
        let v: Vec<_> = fm
            .entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.clone()))
            .collect();
        assert_eq!(v[0], ("a", Value::Scalar("plain value".into())));
        assert_eq!(v[1], ("b", Value::Scalar("q: \"x\" é".into())));
        assert_eq!(v[2], ("c", Value::Scalar("it's".into())));
        assert_eq!(
            v[3],
            (
                "d",
                Value::List(vec![(6, "x".into()), (6, "y, z".into()), (6, "w".into())])
            )
        );
        assert_eq!(
            v[4],
            ("e", Value::List(vec![(8, "one".into()), (9, "two".into())]))
        );
        assert_eq!(v[5], ("f", Value::Null));
        assert_eq!(v[6], ("g", Value::Null));
        assert_eq!(fm.body_start, 12);
    }

    #[test]
    fn anything_written_reads_back() {
        for s in [
            "",
            "null",
            "- x",
            "a: b",
            "#x",
            "[x]",
            "x #y",
            "it's \"q\"",
            "yes",
            "1e3",
            "a,b",
            "\\",
            " x",
            "ü",
            "<!-- @x &",
        ] {
            let mut out = String::from("---\n");
            push_entry(&mut out, "k", Some(s));
            push_list(&mut out, "l", [s, "b"]);
            out.push_str("---\n");
            let fm = read_text(&out).unwrap_or_else(|e| panic!("{s:?}: {e}\n{out}"));
            let expected = if s.is_empty() {
                Value::Null
            } else {
                Value::Scalar(s.into())
            };
            if !s.is_empty() {
                assert_eq!(fm.entries[0].value, expected, "{out}");
            }
            assert_eq!(
                fm.entries[1].value,
                Value::List(vec![(3, s.into()), (3, "b".into())]),
                "{out}"
            );
        }
    }

    #[test]
    fn nesting_and_unclosed_front_matter_are_refused_with_their_line() {
        let e = read_text("---\na: 1\n  b: 2\n---").unwrap_err();
        assert_eq!(e.line, 3);
        let e = read_text("---\na: 1\n").unwrap_err();
        assert_eq!(e.kind, DocumentErrorKind::UnclosedFrontMatter);
        let e = read_text("---\na: |\n---").unwrap_err();
        assert_eq!(e.line, 2);
        let e = read_text("---\na: 1\na: 2\n---").unwrap_err();
        assert!(matches!(
            e.kind,
            DocumentErrorKind::DuplicateKey { first_line: 2, .. }
        ));
    }
}
