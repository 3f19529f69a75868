//! The document's laws, over arbitrary postmortems and arbitrary text:
//! render and parse are inverses, rendering is stable, and parsing never
//! panics and always names a line inside the document.

mod common;

use postmortem_document::{parse, render};
use proptest::prelude::*;

fn line_count(text: &str) -> u32 {
    let n = text.split('\n').count() - usize::from(text.ends_with('\n') && text.len() > 1);
    u32::try_from(n.max(1)).unwrap()
}

fn assert_error_is_within(text: &str) -> Result<(), TestCaseError> {
    if let Err(e) = parse(text) {
        prop_assert!(
            e.line >= 1 && e.line <= line_count(text),
            "line {} outside 1..={}: {e}",
            e.line,
            line_count(text)
        );
        let message = e.to_string();
        prop_assert!(
            message.starts_with(&format!("line {}: ", e.line)),
            "{message}"
        );
        prop_assert!(message.contains("expected"), "{message}");
    }
    Ok(())
}

proptest! {
    // 512 cases by default; PROPTEST_CASES=20000 for a deeper run.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512),
    ))]

    #[test]
    fn parsing_a_rendered_postmortem_gives_its_normal_form(pm in common::postmortem()) {
        let text = render(&pm);
        let parsed = parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(parsed.postmortem, pm.normalized(), "{}", text);
    }

    #[test]
    fn render_parse_render_is_byte_identical(pm in common::postmortem()) {
        let text = render(&pm);
        let again = render(&parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?.postmortem);
        prop_assert_eq!(again, text);
    }

    #[test]
    fn user_text_never_leaks_html_mentions_or_comments(pm in common::postmortem()) {
        let text = render(&pm);
        prop_assert!(!text.contains('<') || text.split('<').skip(1).all(|s| s.starts_with("br>")), "{}", text);
        for (i, _) in text.match_indices('@') {
            let next = text[i + 1..].chars().next();
            prop_assert!(!next.is_some_and(|c| c.is_ascii_alphanumeric()), "mention at byte {i}: {}", text);
        }
    }

    #[test]
    fn parse_never_panics_on_arbitrary_text(text in any::<String>()) {
        assert_error_is_within(&text)?;
    }

    #[test]
    fn parse_never_panics_on_arbitrary_text_after_front_matter(body in common::prose(), fm in common::prose()) {
        assert_error_is_within(&format!("---\nschema_version: 1\n{fm}\n---\n{body}"))?;
        assert_error_is_within(&format!("---\nschema_version: 1\n---\n{body}"))?;
    }

    #[test]
    fn parse_never_panics_on_a_mutated_document(
        pm in common::postmortem(),
        edits in prop::collection::vec((0u8..4, any::<prop::sample::Index>(), any::<prop::sample::Index>(), common::prose()), 1..6),
    ) {
        let text = render(&pm);
        let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
        for (op, a, b, junk) in edits {
            let i = a.index(lines.len());
            let j = b.index(lines.len());
            match op {
                0 => { lines.remove(i); if lines.is_empty() { lines.push(String::new()); } }
                1 => { let l = lines[i].clone(); lines.insert(j, l); }
                2 => lines.swap(i, j),
                _ => {
                    let at = lines[i].char_indices().map(|(k, _)| k).nth(j % (lines[i].chars().count() + 1)).unwrap_or(lines[i].len());
                    lines[i].insert_str(at, &junk);
                }
            }
        }
        assert_error_is_within(&lines.join("\n"))?;
    }
}
