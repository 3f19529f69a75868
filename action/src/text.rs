//! Putting people's text into GitHub bodies safely.
//!
//! Everything a person wrote (a fix statement, a test statement, a title,
//! a lint message quoting the document) reaches an issue, a pull request or
//! a comment through [`neutralise`], and nothing else does. Echoing
//! `@alice` or `@acme/leadership` into a body notifies them, and HTML in a
//! body could forge the hidden markers the Action finds its own comments
//! by; both are defused here, once, for every body.
//!
//! The Action mentions people on purpose only where the practice asks for
//! it (the fix's owner, when the fix is due or overdue), by building the
//! mention from a validated [`Login`], never from free text.

use postmortem_model::Login;

/// Makes text safe to place in a GitHub issue, pull request or comment
/// body: `@name` no longer notifies (a zero-width space follows the `@`),
/// and `<`, `>` become `&lt;`, `&gt;`, so the text cannot open HTML, close
/// a hidden comment or forge the Action's markers. Everything else is
/// kept, so the text still reads as written. Idempotent.
pub fn neutralise(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => {
                out.push('@');
                // An `@` inside a word (an e-mail address) notifies nobody;
                // at the start of a word it is a mention.
                let starts_word = !prev.is_some_and(|p| p.is_alphanumeric() || p == '_');
                if starts_word && chars.peek().is_some_and(|n| n.is_ascii_alphanumeric()) {
                    out.push(ZERO_WIDTH_SPACE);
                }
            }
            _ => out.push(c),
        }
        prev = Some(c);
    }
    out
}

/// A one-line, neutralised form of `text` for a Markdown table cell:
/// newlines become spaces and `|` is escaped so the table keeps its shape.
pub fn table_cell(text: &str) -> String {
    let one_line = postmortem_model::normalize_line(text);
    let cell = neutralise(&one_line).replace('|', "\\|");
    if cell.is_empty() {
        "—".to_owned()
    } else {
        cell
    }
}

/// Text for the label of a Markdown link, `[label](…)`: neutralised and
/// with brackets escaped so it cannot end the label early.
pub fn link_label(text: &str) -> String {
    neutralise(&postmortem_model::normalize_line(text))
        .replace('[', "\\[")
        .replace(']', "\\]")
}

/// A deliberate mention of the fix's owner. Only ever built from a
/// validated login, so it mentions exactly that person.
pub fn mention(login: &Login) -> String {
    format!("@{login}")
}

/// The hidden marker that lets the Action find its own comment of a given
/// kind again (so "once" can be checked and a comment edited in place).
/// `kind` is one of the Action's own constants, never user text.
pub fn marker(kind: &str) -> String {
    format!("<!-- postmortem-action:{kind} -->")
}

/// Whether `body` carries the marker of `kind`.
pub fn has_marker(body: &str, kind: &str) -> bool {
    body.contains(&marker(kind))
}

const ZERO_WIDTH_SPACE: char = '\u{200B}';

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn mentions_no_longer_notify() {
        assert_eq!(neutralise("ask @alice"), "ask @\u{200B}alice");
        assert_eq!(
            neutralise("@acme/leadership reads"),
            "@\u{200B}acme/leadership reads"
        );
        // e-mail addresses and a lone @ are left alone
        assert_eq!(neutralise("ops@example.com"), "ops@example.com");
        assert_eq!(neutralise("a @ b"), "a @ b");
    }

    #[test]
    fn html_and_markers_cannot_be_forged() {
        let forged = "<!-- postmortem-action:verified -->";
        let safe = neutralise(forged);
        assert!(!safe.contains('<'));
        assert!(!has_marker(&safe, "verified"));
        assert_eq!(neutralise("p95 > 2s"), "p95 &gt; 2s");
    }

    #[test]
    fn table_cells_stay_in_their_cell() {
        assert_eq!(table_cell("a | b\nc"), "a \\| b c");
        assert_eq!(table_cell(""), "—");
    }

    #[test]
    fn link_labels_cannot_close_early() {
        assert_eq!(link_label("x] (y"), "x\\] (y");
    }

    proptest! {
        #[test]
        fn neutralised_text_has_no_html_and_no_mention(s in any::<String>()) {
            let out = neutralise(&s);
            prop_assert!(!out.contains('<') && !out.contains('>'));
            // no `@` directly followed by a login character at a word start
            let chars: Vec<char> = out.chars().collect();
            for (i, c) in chars.iter().enumerate() {
                if *c == '@' {
                    let starts_word = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
                    let next_is_login = chars.get(i + 1).is_some_and(|n| n.is_ascii_alphanumeric());
                    prop_assert!(!(starts_word && next_is_login));
                }
            }
        }

        #[test]
        fn neutralise_is_idempotent(s in any::<String>()) {
            let once = neutralise(&s);
            prop_assert_eq!(neutralise(&once), once);
        }
    }
}
