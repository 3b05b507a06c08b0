//! Throughput of the deeplink parser (full validation) against a baseline of
//! `url::Url::parse` plus `query_pairs()` collected into owned strings, on the same
//! deterministic corpus of 10,000 varied deeplinks. Results: `spec/DEEPLINK.md`.
//!
//! Run: `cargo bench -p upi-spec --bench deeplink_parse -- --warm-up-time 1 --measurement-time 3`

// criterion_group! and criterion_main! generate undocumented items.
#![allow(missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

#[path = "support/deeplink_corpus.rs"]
mod deeplink_corpus;
use deeplink_corpus::{corpus, parse_ours, parse_url};

fn bench(c: &mut Criterion) {
    let corpus = corpus();
    let bytes: usize = corpus.iter().map(String::len).sum();
    let mut group = c.benchmark_group("deeplink_parse");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("upi_spec_parse_full_validation", |b| {
        b.iter(|| corpus.iter().map(|link| parse_ours(link)).sum::<usize>())
    });
    group.bench_function("baseline_url_parse_query_pairs_owned", |b| {
        b.iter(|| corpus.iter().map(|link| parse_url(link)).sum::<usize>())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
