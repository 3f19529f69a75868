//! How prose is stored. A document keeps prose as Markdown paragraphs, so
//! the model agrees on one normal form: line endings are `\n`, no line ends
//! in whitespace, no blank line starts or ends a text, blank lines never
//! come two in a row, and control characters other than tab and newline
//! are dropped. One-line fields (titles, names) fold to a single line.

/// Brings multi-line prose to the stored form. Idempotent.
pub fn normalize_prose(text: &str) -> String {
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
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

    proptest! {
        #[test]
        fn prose_normal_form_is_idempotent(s in any::<String>()) {
            let once = normalize_prose(&s);
            prop_assert_eq!(normalize_prose(&once), once);
        }

        #[test]
        fn line_normal_form_is_idempotent(s in any::<String>()) {
            let once = normalize_line(&s);
            prop_assert!(!once.contains('\n'));
            prop_assert_eq!(normalize_line(&once), once);
        }
    }
}
