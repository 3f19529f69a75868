//! The practice's own example, rendered: the product's face. The golden
//! file is committed; a change to the renderer that changes it fails here.
//! Regenerate with `UPDATE_GOLDEN=1 cargo test -p postmortem-document --test golden`
//! and read the diff as a leader would.

use postmortem_document::{parse, render};
use postmortem_model::from_json;

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/queue-render.md");

fn example() -> postmortem_model::Postmortem {
    from_json(include_str!("../../../examples/queue-render.json")).expect("the example reads")
}

#[test]
fn the_practice_example_renders_as_the_golden_document() {
    let rendered = render(&example());
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(GOLDEN, &rendered).expect("golden file written");
    }
    let golden =
        std::fs::read_to_string(GOLDEN).expect("golden file exists (UPDATE_GOLDEN=1 creates it)");
    assert!(
        rendered == golden,
        "the rendered example differs from {GOLDEN}; if the change is intended, regenerate it with UPDATE_GOLDEN=1 and review the diff\n--- rendered ---\n{rendered}"
    );
}

#[test]
fn the_golden_document_parses_back_to_the_example() {
    let golden = std::fs::read_to_string(GOLDEN).expect("golden file exists");
    let parsed = parse(&golden).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.postmortem, example().normalized());
    assert_eq!(render(&parsed.postmortem), golden);
}

#[test]
fn the_source_map_points_at_the_fields_of_the_golden_document() {
    let golden = std::fs::read_to_string(GOLDEN).expect("golden file exists");
    let parsed = parse(&golden).unwrap();
    let lines: Vec<&str> = golden.lines().collect();
    let at = |path: &str| {
        let line = parsed
            .source_map
            .line_of(&path.into())
            .unwrap_or_else(|| panic!("{path} not mapped"));
        lines[line as usize - 1]
    };
    assert_eq!(at("fix.owner"), "fix_owner: senior-dev");
    assert_eq!(
        at("incident.title"),
        "# queue.render p95 above 2s for graders"
    );
    assert!(at("walk.L3.reasoning").starts_with("The \"cold cache warming\" story"));
    assert!(at("walk.L3.verdict").ends_with("Possibly."));
    assert!(at("timeline[3].text").contains("scale up read replicas"));
    assert!(at("fix.test.binding").starts_with("- **Checked by:**"));
    assert!(at("adrs[0].conversation_on").contains("2026-05-21"));
    assert_eq!(at("readers[0]"), "- acme/leadership");
}
