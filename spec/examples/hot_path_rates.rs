//! The two hot-path ratios of issue 15, measured so that other processes on the machine matter
//! less than in criterion's wall-clock means: each workload is cut into chunks, every chunk is
//! timed for the measured code and for its baseline alternately, many rounds, and each side's
//! time is the sum over chunks of the fastest round of that chunk. A round that another process
//! preempted is slower and never the fastest, so the sums approach the unloaded cost.
//!
//! * deeplink: the corpus of `benches/deeplink_parse.rs` in chunks of 100 links,
//!   `deeplink::parse` (full validation) against `url::Url::parse` + `query_pairs()`;
//! * PayU: the form of `benches/payu_hash.rs`, chunks of 100 calls, `compute_hex` against raw
//!   SHA-512 of the same preimage;
//! * validate: the corrected V3 registerIntent request of `benches/validate.rs`, chunks of 20
//!   calls, `upi_spec::validate` against the `jsonschema` crate (`is_valid` and `iter_errors`)
//!   on our generated schema of the same message.
//!
//! Run: `cargo run --release -p upi-spec --example hot_path_rates [ROUNDS]` (default 100).
//! Prints one JSON line per workload with both times per pass and the ratio.

use std::hint::black_box;
use std::time::{Duration, Instant};

use sha2::{Digest as _, Sha512};
use upi_spec::crypto::payu_hash::{Salt, compute_hex};
use upi_spec::crypto::payu_sequence::HashFamily;

#[path = "../benches/support/deeplink_corpus.rs"]
mod deeplink_corpus;
#[path = "../benches/support/payu_form.rs"]
mod payu_form;
#[path = "../benches/support/validate_sample.rs"]
mod validate_sample;

/// Sums, over `chunks` chunks, the fastest of `rounds` timings of `a(chunk)` and of `b(chunk)`
/// (timed alternately); returns both sums in milliseconds.
fn best_of(rounds: usize, chunks: usize, a: impl Fn(usize) -> usize, b: impl Fn(usize) -> usize) -> (f64, f64) {
    let mut best = vec![(Duration::MAX, Duration::MAX); chunks];
    let mut sink = 0usize;
    for _ in 0..rounds {
        for (i, slot) in best.iter_mut().enumerate() {
            let t = Instant::now();
            sink += a(i);
            slot.0 = slot.0.min(t.elapsed());
            let t = Instant::now();
            sink += b(i);
            slot.1 = slot.1.min(t.elapsed());
        }
    }
    black_box(sink);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    best.iter().fold((0.0, 0.0), |(x, y), (a, b)| (x + ms(*a), y + ms(*b)))
}

fn main() {
    let rounds: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(100);

    let corpus = deeplink_corpus::corpus();
    let chunks: Vec<&[String]> = corpus.chunks(100).collect();
    let (ours, url) = best_of(
        rounds,
        chunks.len(),
        |i| chunks[i].iter().map(|l| deeplink_corpus::parse_ours(l)).sum(),
        |i| chunks[i].iter().map(|l| deeplink_corpus::parse_url(l)).sum(),
    );
    println!(
        "{{\"workload\": \"deeplink corpus\", \"ours_ms\": {ours:.3}, \"baseline_ms\": {url:.3}, \"baseline_over_ours\": {:.2}}}",
        url / ours
    );

    let fields = payu_form::form();
    let salt = Salt::new(payu_form::SALT);
    let raw = payu_form::preimage(&fields);
    let calls = 100;
    let (hash, digest) = best_of(
        rounds,
        100,
        |_| {
            (0..calls)
                .map(|_| usize::from(compute_hex(HashFamily::Request, black_box(&fields), &salt).is_ok()))
                .sum()
        },
        |_| {
            (0..calls)
                .map(|_| usize::from(Sha512::digest(black_box(raw.as_bytes()))[0]))
                .sum()
        },
    );
    let per_call_ns = |ms: f64| ms * 1e6 / (100.0 * f64::from(calls));
    println!(
        "{{\"workload\": \"payu request hash\", \"preimage_bytes\": {}, \"compute_hex_ns\": {:.1}, \"raw_sha512_ns\": {:.1}, \"ours_over_baseline\": {:.3}}}",
        raw.len(),
        per_call_ns(hash),
        per_call_ns(digest),
        hash / digest
    );

    validate_rates(rounds);
}

/// The validate workload: ours against `jsonschema`'s `is_valid` and `iter_errors`.
fn validate_rates(rounds: usize) {
    let message = validate_sample::message();
    let body = validate_sample::sample("corrected");
    let compiled = validate_sample::schema_validator();
    let document = upi_spec::input::Document {
        headers: None,
        body: body.clone(),
    };
    assert!(upi_spec::validate::validate(message, &document).is_empty());
    assert!(compiled.is_valid(&body));
    let calls = 20;
    let ours = |_| {
        (0..calls)
            .map(|_| upi_spec::validate::validate(message, black_box(&document)).len())
            .sum()
    };
    let (ours_ms, is_valid_ms) = best_of(rounds, 50, ours, |_| {
        (0..calls)
            .map(|_| usize::from(compiled.is_valid(black_box(&body))))
            .sum()
    });
    let (ours_again_ms, iter_errors_ms) = best_of(rounds, 50, ours, |_| {
        (0..calls).map(|_| compiled.iter_errors(black_box(&body)).count()).sum()
    });
    let per_call_us = |ms: f64| ms * 1e3 / (50.0 * f64::from(calls));
    println!(
        "{{\"workload\": \"validate v3 registerIntent\", \"ours_us\": {:.3}, \"is_valid_us\": {:.3}, \"iter_errors_us\": {:.3}, \"is_valid_over_ours\": {:.2}, \"iter_errors_over_ours\": {:.2}}}",
        per_call_us(ours_ms),
        per_call_us(is_valid_ms),
        per_call_us(iter_errors_ms),
        is_valid_ms / ours_ms,
        iter_errors_ms / ours_again_ms
    );
}
