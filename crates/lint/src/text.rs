//! Word and phrase matching for the heuristic rules, without regular
//! expressions. Case folding is ASCII only, so byte offsets in the folded
//! and the original text agree and a quote is always the exact original
//! words. A phrase matches whole words, with any run of whitespace
//! (including a line break) between its words.

/// Whether `c` continues a word.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn starts_with_at(text: &str, at: usize, word: &str, case_sensitive: bool) -> bool {
    let Some(candidate) = text.as_bytes().get(at..at + word.len()) else {
        return false;
    };
    if case_sensitive {
        candidate == word.as_bytes()
    } else {
        candidate.eq_ignore_ascii_case(word.as_bytes())
    }
}

/// The end of `phrase` matched at byte `start` of `text`, if it matches
/// there as whole words.
fn match_at(text: &str, start: usize, words: &[&str], case_sensitive: bool) -> Option<usize> {
    let before_ok = match (text[..start].chars().next_back(), words[0].chars().next()) {
        (Some(prev), Some(first)) => !(is_word_char(prev) && is_word_char(first)),
        _ => true,
    };
    if !before_ok {
        return None;
    }
    let mut at = start;
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            let gap = text[at..]
                .char_indices()
                .find(|(_, c)| !c.is_whitespace())
                .map_or(text.len() - at, |(j, _)| j);
            if gap == 0 {
                return None;
            }
            at += gap;
        }
        if !starts_with_at(text, at, word, case_sensitive) {
            return None;
        }
        at += word.len();
    }
    let after_ok = match (
        text[at..].chars().next(),
        words[words.len() - 1].chars().last(),
    ) {
        (Some(next), Some(last)) => !(is_word_char(next) && is_word_char(last)),
        _ => true,
    };
    after_ok.then_some(at)
}

/// Every whole-word occurrence of `phrase` in `text`, as byte ranges,
/// earliest first, not overlapping.
pub(crate) fn find_all(text: &str, phrase: &str, case_sensitive: bool) -> Vec<(usize, usize)> {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    let mut out = Vec::new();
    if words.is_empty() {
        return out;
    }
    let mut next_free = 0;
    for (start, _) in text.char_indices() {
        if start < next_free {
            continue;
        }
        if let Some(end) = match_at(text, start, &words, case_sensitive) {
            out.push((start, end));
            next_free = end;
        }
    }
    out
}

/// The first whole-word occurrence of `phrase` in `text`.
pub(crate) fn find(text: &str, phrase: &str, case_sensitive: bool) -> Option<(usize, usize)> {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    text.char_indices()
        .find_map(|(start, _)| match_at(text, start, &words, case_sensitive).map(|e| (start, e)))
}

/// The earliest match of any of `phrases` (the longest when several start
/// at the same place), case-insensitive.
pub(crate) fn first_of(text: &str, phrases: &[&str]) -> Option<(usize, usize)> {
    phrases
        .iter()
        .filter_map(|p| find(text, p, false))
        .min_by_key(|(start, end)| (*start, usize::MAX - end))
}

/// Every match of any of `phrases`, case-insensitive, earliest first,
/// longest first where they overlap, overlaps dropped.
pub(crate) fn all_of(text: &str, phrases: &[&str]) -> Vec<(usize, usize)> {
    let mut hits: Vec<(usize, usize)> = phrases
        .iter()
        .flat_map(|p| find_all(text, p, false))
        .collect();
    hits.sort_by_key(|(start, end)| (*start, usize::MAX - end));
    let mut out: Vec<(usize, usize)> = Vec::new();
    for hit in hits {
        if out.last().is_none_or(|last| hit.0 >= last.1) {
            out.push(hit);
        }
    }
    out
}

/// Extends a match over the next word, so that "we need to be more" quotes
/// "we need to be more careful".
pub(crate) fn extend_over_next_word(text: &str, end: usize) -> usize {
    let rest = &text[end..];
    let Some(ws) = rest.find(|c: char| !c.is_whitespace()) else {
        return end;
    };
    if ws == 0 || rest[ws..].starts_with('\n') {
        return end;
    }
    let word_len = rest[ws..]
        .char_indices()
        .find(|(_, c)| !(is_word_char(*c) || *c == '-' || *c == '\''))
        .map_or(rest.len() - ws, |(j, _)| j);
    if word_len == 0 {
        end
    } else {
        end + ws + word_len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_whole_words_across_whitespace() {
        let t = "We need to be more\ncareful with releases.";
        assert_eq!(find(t, "more careful", false), Some((14, 26)));
        assert_eq!(find(t, "need to be", false), Some((3, 13)));
        assert_eq!(find("remember tomorrow", "remember to", false), None);
        assert_eq!(find("carefully", "careful", false), None);
        assert_eq!(find("Maya's fix", "maya", false), Some((0, 4)));
        assert_eq!(find("PO notified", "po", true), None);
        assert_eq!(find("PO notified", "PO", true), Some((0, 2)));
    }

    #[test]
    fn non_ascii_text_is_safe() {
        assert_eq!(find("İİ careful ü", "careful", false), Some((5, 12)));
        assert_eq!(find("ßß", "ss", false), None);
        assert!(find_all("ééé", "é", false).is_empty());
    }

    #[test]
    fn overlapping_hits_keep_the_longest() {
        let t = "be more careful";
        assert_eq!(
            all_of(t, &["more careful", "be more careful"]),
            vec![(0, 15)]
        );
        assert_eq!(
            first_of(t, &["more careful", "be more careful"]),
            Some((0, 15))
        );
    }

    #[test]
    fn quotes_extend_over_one_word() {
        let t = "we need to be more careful, really";
        let (_, end) = find(t, "we need to be more", false).unwrap();
        assert_eq!(
            &t[..extend_over_next_word(t, end)],
            "we need to be more careful"
        );
        assert_eq!(extend_over_next_word("more", 4), 4);
    }
}
