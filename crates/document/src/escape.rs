//! Neutralising user text for Markdown, reversibly.
//!
//! Whatever a person typed must show on GitHub as the text they typed and
//! nothing else: no raw HTML or hidden comments, no @mention that notifies
//! someone, no heading, list, table, quote or code block the parser would
//! then misread. So `&`, `<` and `>` become entities, `@name` becomes
//! `@&#8203;name`, `\` is doubled, leading spaces become `&nbsp;`, and the
//! first character of a line is backslash-escaped when Markdown would read
//! it as structure. [`decode`] undoes all of it and also reads what a
//! reviewer writes by hand (backslash escapes and character references), so
//! it returns what GitHub would display.

/// Where an escaped line is placed, which adds characters to escape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// A paragraph line or a list item's value.
    Block,
    /// An ATX heading: a `#` anywhere could close it.
    Heading,
    /// A table cell: a `|` would end the cell.
    Cell,
}

/// Characters that make a line structure when they start it (after the
/// indentation, which is escaped too): headings, quotes, lists, setext
/// underlines, tables, code fences, thematic breaks, link reference
/// definitions, footnotes, math blocks, and the `_` the placeholders start
/// with. `<` and `>` need nothing here: they always become entities.
const STRUCTURAL: &[char] = &['#', '-', '+', '*', '=', '|', '`', '~', '_', ':', '[', '$'];

/// Appends `line` escaped for `place`.
pub(crate) fn push_line(out: &mut String, line: &str, place: Place) {
    // Entities keep the indentation visible without making a code block,
    // and keep any other leading white space from being trimmed away.
    let rest = line.trim_start();
    for c in line[..line.len() - rest.len()].chars() {
        match c {
            ' ' => out.push_str("&nbsp;"),
            c => out.push_str(&format!("&#x{:X};", u32::from(c))),
        }
    }
    let mut rest = rest;
    if let Some(first) = rest.chars().next() {
        if STRUCTURAL.contains(&first) {
            out.push('\\');
            out.push(first);
            rest = &rest[first.len_utf8()..];
        } else if first.is_ascii_digit() {
            // `1.` and `1)` start ordered lists.
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if let Some(&mark @ (b'.' | b')')) = rest.as_bytes().get(digits) {
                out.push_str(&rest[..digits]);
                out.push('\\');
                out.push(char::from(mark));
                rest = &rest[digits + 1..];
            }
        }
    }
    push_inline(out, rest, place);
}

/// `line` escaped for `place`, as a new string.
pub(crate) fn line(line: &str, place: Place) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    push_line(&mut out, line, place);
    out
}

fn push_inline(out: &mut String, text: &str, place: Place) {
    // Every character that needs escaping is ASCII, so the text is copied
    // in runs between them; the bytes at a run's ends are char boundaries.
    let bytes = text.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escaped = match b {
            b'\\' => "\\\\",
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            // A zero-width space after `@` stops GitHub from notifying.
            b'@' if bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric) => "@&#8203;",
            b'|' if place == Place::Cell => "\\|",
            b'#' if place == Place::Heading => "\\#",
            _ => continue,
        };
        out.push_str(&text[run..i]);
        out.push_str(escaped);
        run = i + 1;
    }
    out.push_str(&text[run..]);
}

/// What GitHub displays for escaped text: backslash escapes and character
/// references resolved, and the zero-width space of `@&#8203;` removed.
pub(crate) fn decode(text: &str) -> String {
    if !text.contains(['\\', '&']) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\\' {
            if let Some(next) = rest[1..].chars().next().filter(char::is_ascii_punctuation) {
                out.push(next);
                rest = &rest[2..];
                continue;
            }
        } else if c == '&' {
            if let Some((decoded, used)) = entity(rest) {
                let mention_guard = decoded == '\u{200B}' && out.ends_with('@');
                if !mention_guard {
                    out.push(decoded);
                }
                rest = &rest[used..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The character a reference at the start of `text` stands for, and its
/// length in bytes.
fn entity(text: &str) -> Option<(char, usize)> {
    // The longest reference this reads is `&#x10FFFF;`; look no further.
    let end = text.bytes().take(12).position(|b| b == b';')?;
    let name = &text[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) if !hex.is_empty() && hex.len() <= 6 => {
                    u32::from_str_radix(hex, 16).ok()?
                }
                None if !num.is_empty() && num.len() <= 7 => num.parse().ok()?,
                _ => return None,
            };
            char::from_u32(code).filter(|c| *c != '\0')?
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(s: &str, place: Place) {
        let escaped = line(s, place);
        assert_eq!(decode(&escaped), s, "escaped as {escaped:?}");
    }

    #[test]
    fn structure_at_line_starts_is_escaped() {
        assert_eq!(line("# not a heading", Place::Block), "\\# not a heading");
        assert_eq!(line("1. not a list", Place::Block), "1\\. not a list");
        assert_eq!(
            line("    code?", Place::Block),
            "&nbsp;&nbsp;&nbsp;&nbsp;code?"
        );
        assert_eq!(line("\u{a0}\tx", Place::Cell), "&#xA0;&#x9;x");
        assert_eq!(line("---", Place::Block), "\\---");
        assert_eq!(line("> quote", Place::Block), "&gt; quote");
    }

    #[test]
    fn html_and_mentions_are_neutralised() {
        assert_eq!(
            line("<!-- x --> @alice & @ bob", Place::Block),
            "&lt;!-- x --&gt; @&#8203;alice &amp; @ bob"
        );
    }

    #[test]
    fn escaping_is_reversible() {
        for s in [
            "# a",
            "\\",
            "a\\|b",
            "@&#8203;x",
            "&amp;",
            "  - x",
            "\t\tz",
            "12) x",
            "C# #",
            "_x_",
            "ü@ü@a",
            "&#",
            "&#x;",
            "&#99999999;",
        ] {
            for place in [Place::Block, Place::Heading, Place::Cell] {
                round_trip(s, place);
            }
        }
    }

    #[test]
    fn hand_written_markdown_reads_as_displayed() {
        assert_eq!(decode("AT&T \\* &lt; &#x41; &copy;"), "AT&T * < A &copy;");
    }
}
