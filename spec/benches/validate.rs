//! `upi_spec::validate` against the `jsonschema` crate on the same instance: the corrected V3
//! registerIntent request sample (`golden/seeds/corrected/`), both judged from one model (the
//! `jsonschema` validator is built once, outside the measurement, from our generated schema).
//! A second pair measures the seed's printed sample as it stands (seven violations reported).
//!
//! Run: `cargo bench -p upi-spec --bench validate -- --warm-up-time 1 --measurement-time 3`.
//! On a loaded machine `examples/hot_path_rates.rs` gives the steadier ratio (best of many
//! alternating rounds).

// criterion_group! and criterion_main! generate undocumented items.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use upi_spec::input::Document;
use upi_spec::validate;

#[path = "support/validate_sample.rs"]
mod validate_sample;
use validate_sample::{message, sample, schema_validator};

fn bench(c: &mut Criterion) {
    let message = message();
    let compiled = schema_validator();
    for (name, dir) in [("corrected", "corrected"), ("printed", "")] {
        let body = sample(dir);
        let document = Document {
            headers: None,
            body: body.clone(),
        };
        // Both must agree on what they are timing: the corrected sample is valid for both.
        if name == "corrected" {
            assert!(validate::validate(message, &document).is_empty());
            assert!(compiled.is_valid(&body));
        }
        let mut group = c.benchmark_group(format!("validate-v3-register-intent-{name}"));
        group.bench_function("upi_spec::validate", |b| {
            b.iter(|| validate::validate(message, black_box(&document)))
        });
        group.bench_function("jsonschema iter_errors", |b| {
            b.iter(|| compiled.iter_errors(black_box(&body)).count())
        });
        group.bench_function("jsonschema is_valid", |b| {
            b.iter(|| compiled.is_valid(black_box(&body)))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
