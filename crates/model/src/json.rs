//! The stable JSON form of a postmortem: what the form exports, what the
//! CLI's `--format json` reads and writes, and what `schema` describes.

use std::fmt;

use crate::{Postmortem, SCHEMA_VERSION};

/// Why a JSON postmortem was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonError {
    /// It lists several fixes. The practice lands one.
    SeveralFixes {
        /// How many it lists.
        count: usize,
    },
    /// It declares a schema version this build does not read.
    UnsupportedSchemaVersion {
        /// The version it declares.
        found: u64,
    },
    /// It is not a postmortem in the JSON form.
    Invalid {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What was wrong and what was expected.
        message: String,
    },
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::SeveralFixes { count } => write!(
                f,
                "the postmortem lists {count} fixes under \"fixes\"; a postmortem lands one fix, in \"fix\": one fix; the rest go to the retro"
            ),
            JsonError::UnsupportedSchemaVersion { found } => write!(
                f,
                "schema_version {found} is not supported: this build reads schema_version {SCHEMA_VERSION}"
            ),
            JsonError::Invalid {
                line,
                column,
                message,
            } => write!(f, "line {line}, column {column}: {message}"),
        }
    }
}

impl std::error::Error for JsonError {}

/// Reads a postmortem from its JSON form.
pub fn from_json(text: &str) -> Result<Postmortem, JsonError> {
    // Look at the shape first, so that a list of fixes or a newer version is
    // named as such rather than as an unknown field.
    if let Ok(shape) = serde_json::from_str::<Shape>(text) {
        if let Some(fixes) = shape.fixes {
            return Err(JsonError::SeveralFixes {
                count: fixes.items.unwrap_or(1),
            });
        }
        match shape.schema_version.and_then(|v| v.number) {
            Some(v) if v != u64::from(SCHEMA_VERSION) => {
                return Err(JsonError::UnsupportedSchemaVersion { found: v });
            }
            _ => {}
        }
    }
    serde_json::from_str(text).map_err(|e| JsonError::Invalid {
        line: e.line(),
        column: e.column(),
        message: json_error_message(&e),
    })
}

/// The two facts [`from_json`] looks at before reading the whole document;
/// every other field is skipped unread.
#[derive(serde::Deserialize)]
struct Shape {
    #[serde(default)]
    fixes: Option<Probe>,
    #[serde(default)]
    schema_version: Option<Probe>,
}

/// Any JSON value, reduced to what the shape check needs: the length of an
/// array, or the value of a whole number. A generic JSON value type would
/// do the same and bring float parsing and printing into the form's
/// WebAssembly.
#[derive(Default)]
struct Probe {
    items: Option<usize>,
    number: Option<u64>,
}

impl<'de> serde::Deserialize<'de> for Probe {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Probe;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_u64<E>(self, v: u64) -> Result<Probe, E> {
                Ok(Probe {
                    number: Some(v),
                    ..Probe::default()
                })
            }
            fn visit_i64<E>(self, _: i64) -> Result<Probe, E> {
                Ok(Probe::default())
            }
            fn visit_f64<E>(self, _: f64) -> Result<Probe, E> {
                Ok(Probe::default())
            }
            fn visit_bool<E>(self, _: bool) -> Result<Probe, E> {
                Ok(Probe::default())
            }
            fn visit_str<E>(self, _: &str) -> Result<Probe, E> {
                Ok(Probe::default())
            }
            fn visit_unit<E>(self) -> Result<Probe, E> {
                Ok(Probe::default())
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Probe, A::Error> {
                let mut n = 0;
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(Probe {
                    items: Some(n),
                    ..Probe::default()
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Probe, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Probe::default())
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A serde_json error's sentence without its trailing "at line L column C",
/// for callers that report the position themselves.
pub fn json_error_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    text.split(" at line ")
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Writes a postmortem in its JSON form, pretty-printed, ending in a newline.
pub fn to_json(pm: &Postmortem) -> String {
    let mut out = serde_json::to_string_pretty(pm).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_bytes_are_refused_or_read_never_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let _ = from_json(&String::from_utf8_lossy(&bytes));
        }

        #[test]
        fn mutated_examples_are_refused_or_read_never_a_panic(
            cut in 0usize..4000,
            insert in "[{}\\[\\]\",:0-9a-z -]{0,8}",
        ) {
            let example = include_str!("../../../examples/queue-render.json");
            let mut text = example.to_owned();
            let at = text.char_indices().map(|(i, _)| i).nth(cut % example.chars().count()).unwrap_or(0);
            text.insert_str(at, &insert);
            if let Err(JsonError::Invalid { line, .. }) = from_json(&text) {
                prop_assert!(line <= text.lines().count() + 1);
            }
        }
    }

    #[test]
    fn a_list_of_fixes_is_refused_with_the_practice_rule() {
        let err =
            from_json(r#"{"schema_version":1,"incident":{},"fixes":[{},{},{}]}"#).unwrap_err();
        assert_eq!(err, JsonError::SeveralFixes { count: 3 });
        assert!(
            err.to_string()
                .contains("one fix; the rest go to the retro")
        );
    }

    #[test]
    fn the_shape_check_reads_any_value_and_only_these_two_facts() {
        // A single fix object under "fixes" still counts as a list of fixes.
        let one = from_json(r#"{"fixes":{"level":"L3"},"extra":[1.5,-2,{"a":null}],"x":true}"#);
        assert_eq!(one.unwrap_err(), JsonError::SeveralFixes { count: 1 });
        // A version that is not a whole number is left to the full read,
        // which names the field and what it expected.
        for version in ["\"1\"", "1.5", "-1", "null", "[1]"] {
            let err = from_json(&format!(
                r#"{{"schema_version":{version},"incident":{{}}}}"#
            ));
            assert!(
                matches!(err, Err(JsonError::Invalid { .. })),
                "{version}: {err:?}"
            );
        }
    }

    #[test]
    fn other_versions_are_refused() {
        let err = from_json(r#"{"schema_version":2,"incident":{}}"#).unwrap_err();
        assert_eq!(err, JsonError::UnsupportedSchemaVersion { found: 2 });
    }

    #[test]
    fn errors_carry_line_and_field() {
        let err = from_json("{\n \"schema_version\": 1,\n \"incident\": {\"id\": \"a b\"}\n}")
            .unwrap_err();
        let JsonError::Invalid { line, message, .. } = err else {
            panic!("expected Invalid");
        };
        assert_eq!(line, 3);
        assert!(message.contains("incident id"), "{message}");
    }

    #[test]
    fn json_round_trips() {
        let pm = Postmortem::default();
        assert_eq!(from_json(&to_json(&pm)).unwrap(), pm);
    }
}
