//! Adding imported entries to a timeline that already has some: the
//! browser form's paste import (notes pasted twice add nothing the second
//! time) and anything else that merges rather than replaces.

use postmortem_model::TimelineEntry;

/// What importing notes did to the timeline.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Merged {
    /// Entries added.
    pub added: usize,
    /// Entries left out because the timeline already had them (the same
    /// time and text), e.g. notes pasted twice.
    pub duplicates: usize,
    /// Whether the timeline was put back in time order.
    pub sorted: bool,
}

/// Adds imported entries to the timeline, leaving out the ones it already
/// has (same time, same text once spaces are normalised). A timeline that
/// was in time order stays in time order; one the person arranged
/// otherwise only grows at its end.
pub fn merge(timeline: &mut Vec<TimelineEntry>, imported: Vec<TimelineEntry>) -> Merged {
    let key = |e: &TimelineEntry| (e.at, postmortem_model::normalize_line(&e.text));
    let was_in_order = in_time_order(timeline);
    let mut merged = Merged::default();
    for entry in imported {
        let k = key(&entry);
        if timeline.iter().any(|e| key(e) == k) {
            merged.duplicates += 1;
        } else {
            timeline.push(entry);
            merged.added += 1;
        }
    }
    if was_in_order && !in_time_order(timeline) {
        sort_by_time(timeline);
        merged.sorted = true;
    }
    merged
}

/// Whether every entry happened no earlier than the one before it.
pub fn in_time_order(timeline: &[TimelineEntry]) -> bool {
    timeline.windows(2).all(|w| w[0].at <= w[1].at)
}

/// Puts the entries in time order; entries at the same time keep their
/// order.
pub fn sort_by_time(timeline: &mut [TimelineEntry]) {
    timeline.sort_by_key(|e| e.at);
}

#[cfg(test)]
mod tests {
    use super::*;
    use postmortem_model::time::parse_timestamp;

    fn entry(at: &str, text: &str) -> TimelineEntry {
        TimelineEntry {
            at: parse_timestamp(at).unwrap(),
            written_at: None,
            text: text.to_owned(),
            author: None,
        }
    }

    #[test]
    fn notes_pasted_twice_are_imported_once_and_in_time_order() {
        let mut timeline = vec![entry("2026-05-18 14:55 +00:00", "diagnose: cold cache")];
        let notes = vec![
            entry("2026-05-18 14:51 +00:00", "alert fired"),
            entry("2026-05-18 14:55 +00:00", "diagnose:  cold cache"),
            entry("2026-05-18 14:59 +00:00", "p95 back to <500ms"),
        ];
        let first = merge(&mut timeline, notes.clone());
        assert_eq!(
            first,
            Merged {
                added: 2,
                duplicates: 1,
                sorted: true
            }
        );
        let texts: Vec<&str> = timeline.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts,
            ["alert fired", "diagnose: cold cache", "p95 back to <500ms"]
        );
        let again = merge(&mut timeline, notes);
        assert_eq!(
            again,
            Merged {
                added: 0,
                duplicates: 3,
                sorted: false
            }
        );
        assert_eq!(timeline.len(), 3);
    }

    #[test]
    fn an_arrangement_out_of_time_order_is_kept_until_sorted() {
        let mut timeline = vec![
            entry("2026-05-18 15:00 +00:00", "b"),
            entry("2026-05-18 14:00 +00:00", "a"),
        ];
        let merged = merge(&mut timeline, vec![entry("2026-05-18 14:30 +00:00", "c")]);
        assert!(!merged.sorted);
        assert_eq!(timeline[2].text, "c");
        sort_by_time(&mut timeline);
        assert!(in_time_order(&timeline));
        assert_eq!(timeline[0].text, "a");
    }
}
