//! How prose is stored. A document keeps prose as Markdown paragraphs, so
//! the model agrees on one normal form: line endings are `\n`, no line ends
//! in whitespace, no blank line starts or ends a text, blank lines never
//! come two in a row, and control characters other than tab and newline
//! are dropped. One-line fields (titles, names) fold to a single line.

/// Brings multi-line prose to the stored form. Idempotent.
pub fn normalize_prose(text: &str) -> String {
    if is_normal_prose(text) {
        return text.to_owned();
    }
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(unified.len());
    let mut pending_blank = false;
    for line in unified.split('\n') {
        let line: String = line
            .chars()
            .filter(|c| !c.is_control() || *c == '\t')
            .collect();
        let line = line.trim_end();
        if line.is_empty() {
            pending_blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if pending_blank {
                out.push('\n');
            }
        }
        pending_blank = false;
        out.push_str(line);
    }
    out
}

/// Brings a one-line field (a title, a name) to the stored form: every run
/// of whitespace becomes one space, control characters are dropped, and
/// the ends are trimmed. Idempotent.
pub fn normalize_line(text: &str) -> String {
    let normal = !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !has_control(text, false)
        && (text.is_ascii() || !text.chars().any(|c| c != ' ' && c.is_whitespace()));
    if normal {
        return text.to_owned();
    }
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `text` holds a control character (C0, DEL or C1), tabs aside
/// when `allow_tab`, looking at bytes: every such character is either one
/// ASCII byte or the two bytes `C2 80`..`C2 9F` in UTF-8.
fn has_control(text: &str, allow_tab: bool) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 && !(allow_tab && b == b'\t'))
            || b == 0x7F
            || (b == 0xC2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)))
    })
}

/// Whether `text` is already in the stored form, checked in one pass so
/// that the common case costs no allocation.
fn is_normal_prose(text: &str) -> bool {
    if text.is_empty() {
        return true;
    }
    let mut previous_blank = true; // no blank line may start the text
    for line in text.split('\n') {
        if line.is_empty() {
            if previous_blank {
                return false;
            }
            previous_blank = true;
            continue;
        }
        if line.ends_with(char::is_whitespace) || has_control(line, true) {
            return false;
        }
        previous_blank = false;
    }
    // A text that ends in a blank line is not normal.
    !previous_blank
}

/// Percent-encodes a URL path segment or query value: every byte but
/// RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`) becomes `%XX`.
/// The one encoder of the core, the form and the Action.
pub fn percent_encode(value: &str) -> String {
    encode_keeping(value, b"")
}

/// [`percent_encode`] for a path, keeping its `/` separators.
pub fn percent_encode_path(path: &str) -> String {
    encode_keeping(path, b"/")
}

fn encode_keeping(value: &str, keep: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || keep.contains(&b)
        {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The definition, without the fast path.
    fn normalize_line_slowly(text: &str) -> String {
        text.split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn prose_keeps_paragraphs_and_drops_noise() {
        assert_eq!(
            normalize_prose("\r\n\n  first line  \r\nsecond\n\n\n\nthird\t\n\n"),
            "  first line\nsecond\n\nthird"
        );
        assert_eq!(normalize_prose("a\u{0}b\u{7}"), "ab");
        assert_eq!(normalize_prose(" \n \n"), "");
    }

    #[test]
    fn lines_fold_to_one() {
        assert_eq!(
            normalize_line("  queue.render\n p95 \t >2s "),
            "queue.render p95 >2s"
        );
    }

    #[test]
    fn percent_encoding_keeps_only_unreserved_characters() {
        assert_eq!(percent_encode("a b/c:d~é"), "a%20b%2Fc%3Ad~%C3%A9");
        assert_eq!(percent_encode_path("run books/x.md"), "run%20books/x.md");
    }

    proptest! {
        #[test]
        fn percent_encoding_decodes_back(s in any::<String>()) {
            let e = percent_encode(&s);
            prop_assert!(e.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
            let bytes = e.as_bytes();
            let mut back = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'%' {
                    back.push(u8::from_str_radix(&e[i + 1..i + 3], 16).unwrap());
                    i += 3;
                } else {
                    back.push(bytes[i]);
                    i += 1;
                }
            }
            prop_assert_eq!(String::from_utf8(back).unwrap(), s);
        }

        #[test]
        fn prose_normal_form_is_idempotent(s in any::<String>()) {
            let once = normalize_prose(&s);
            prop_assert_eq!(normalize_prose(&once), once);
        }

        #[test]
        fn the_fast_path_agrees_with_the_full_normalisation(s in "[a \t\n\r\u{7}x]{0,12}") {
            let full = normalize_prose(&s);
            prop_assert_eq!(is_normal_prose(&s), full == s, "{:?}", s);
        }

        #[test]
        fn the_line_fast_path_agrees_with_the_full_normalisation(s in "[a \t\n\u{85}\u{a0}\u{2003}\u{7f}x]{0,12}") {
            prop_assert_eq!(normalize_line(&s), normalize_line_slowly(&s));
        }

        #[test]
        fn line_normal_form_is_idempotent(s in any::<String>()) {
            let once = normalize_line(&s);
            prop_assert!(!once.contains('\n'));
            prop_assert_eq!(normalize_line(&once), once);
        }
    }
}
