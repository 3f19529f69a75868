//! Parse + lint + render of a postmortem document with 1,000 and 10,000
//! timeline entries: the work the CLI, the form and the Action each do per
//! document. Run: `cargo bench -p postmortem --bench parse_lint_render`.

use std::hint::black_box;

use chrono::TimeDelta;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use postmortem::check::{Checked, Form, check};
use postmortem::document::render;
use postmortem::model::{TimelineEntry, from_json};

/// The practice's example with `n` timeline entries, one a minute, each
/// written 20 seconds after the event.
fn document_with_entries(n: usize) -> String {
    let mut pm = from_json(include_str!("../../../examples/queue-render.json"))
        .expect("the bundled example reads");
    let start = pm.incident.started_at.expect("the example has a start");
    pm.timeline = (0..n)
        .map(|i| {
            let at = start + TimeDelta::minutes(i64::try_from(i).unwrap_or(0));
            TimelineEntry {
                at,
                written_at: Some(at + TimeDelta::seconds(20)),
                text: format!(
                    "Step {i}: p95 at {} ms; scaled read replicas per RB-021.",
                    400 + i % 300
                ),
                author: Some("the senior dev".to_owned()),
            }
        })
        .collect();
    pm.incident.resolved_at = Some(start + TimeDelta::minutes(i64::try_from(n).unwrap_or(0)));
    render(&pm)
}

fn parse_lint_render(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse_lint_render");
    for n in [1_000usize, 10_000] {
        let text = document_with_entries(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
            b.iter(|| {
                let checked = check(Form::Document, black_box(text)).expect("the document reads");
                let Checked::Postmortem { read, findings } = checked else {
                    panic!("one fix expected");
                };
                black_box(findings);
                black_box(render(&read.postmortem))
            });
        });
    }
    group.finish();
}

/// Each step alone on 1,000 entries, to see where the time goes.
fn steps(c: &mut Criterion) {
    let text = document_with_entries(1_000);
    let read = postmortem::check::read(Form::Document, &text).expect("the document reads");
    let mut group = c.benchmark_group("steps_1000");
    group.bench_function("parse", |b| {
        b.iter(|| postmortem::document::parse(black_box(&text)))
    });
    group.bench_function("lint", |b| {
        b.iter(|| postmortem::lint::lint_with_source(black_box(&read.postmortem), &read.source_map))
    });
    group.bench_function("render", |b| b.iter(|| render(black_box(&read.postmortem))));
    group.finish();
}

criterion_group!(benches, parse_lint_render, steps);
criterion_main!(benches);
