//! Document order for findings: the order of the fields in the JSON form
//! (which the document follows), list entries by index, then by code.

use postmortem_model::FieldPath;

use crate::Finding;

/// Every field name, in an order that agrees with the order of the fields
/// inside each of their parents (top level first, then the incident's,
/// the holder's, a timeline entry's, the walk's, the fix's, the test's,
/// the runbook's and an ADR's).
pub(crate) const NAMES: &[&str] = &[
    "schema_version",
    "incident",
    "holder",
    "held_at",
    "participants",
    "timeline",
    "walk",
    "fix",
    "fixes",
    "runbook",
    "adrs",
    "readers",
    "id",
    "path",
    "title",
    "services",
    "severity",
    "started_at",
    "detected_at",
    "mitigated_at",
    "resolved_at",
    "user_impact",
    "login",
    "role",
    "at",
    "written_at",
    "text",
    "author",
    "L1",
    "L2",
    "L3",
    "L4",
    "L5",
    "verdict",
    "reasoning",
    "level",
    "statement",
    "owner",
    "due",
    "test",
    "binding",
    "worked",
    "did_not_work",
    "faster_next_time",
    "why",
    "conversation_on",
    "status",
];

/// The sort key of a path: one number per segment, a name's rank or an
/// index. A parent sorts before its fields.
fn key(path: &FieldPath) -> Vec<u64> {
    let mut out = Vec::new();
    for part in path.as_str().split('.') {
        let (name, indexes) = part.split_once('[').unwrap_or((part, ""));
        let rank = NAMES.iter().position(|n| *n == name).unwrap_or(NAMES.len());
        out.push(rank as u64);
        for index in indexes.split('[') {
            let digits = index.trim_end_matches(']');
            if !digits.is_empty() {
                out.push(digits.parse().unwrap_or(u64::MAX));
            }
        }
    }
    out
}

/// Sorts findings in document order, then by code, then by message, so
/// the same postmortem always gives the same list.
pub(crate) fn sort(findings: &mut [Finding]) {
    findings.sort_by_cached_key(|f| {
        (
            key(&f.field),
            f.code,
            f.message.clone(),
            f.field.to_string(),
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Vec<u64> {
        key(&FieldPath::new(s))
    }

    #[test]
    fn fields_sort_as_in_the_document() {
        let ordered = [
            "incident.id",
            "incident.title",
            "incident.started_at",
            "held_at",
            "timeline",
            "timeline[0].written_at",
            "timeline[2]",
            "timeline[10].at",
            "walk.L1.verdict",
            "walk.L1.reasoning",
            "walk.L5.verdict",
            "fix.level",
            "fix.statement",
            "fix.owner",
            "fix.due",
            "fix.test.statement",
            "runbook.path",
            "runbook.faster_next_time",
            "adrs[0].path",
            "adrs[0].conversation_on",
            "adrs[1].path",
            "readers",
        ];
        for pair in ordered.windows(2) {
            assert!(k(pair[0]) < k(pair[1]), "{} !< {}", pair[0], pair[1]);
        }
    }
}
