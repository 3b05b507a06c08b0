//! In one run: the cost of generating and judging one case offline (generate a valid message and
//! a rule-breaking one from the models, validate both), and the live fuzzer's throughput against
//! the embedded reference server on loopback (judged requests per second).
//!
//! `cargo bench -p upi-conformance --bench fuzz_throughput`

// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use upi_conformance::runner::config::RunConfig;
use upi_conformance::runner::fuzz::{FuzzOptions, fuzz};
use upi_reference_server::{ServerConfig, spawn};
use upi_spec::validate::validate;
use upi_spec::{catalogue, generate, messages};

fn generate_and_judge(c: &mut Criterion) {
    let message = messages::find("merchant.register-intent.v3.request").expect("model");
    let rule = catalogue::rules_of(message)
        .into_iter()
        .find(|r| r.id.ends_with("merchantRequestId.max-length"))
        .expect("rule")
        .id;
    let mut seed = 0u64;
    let mut group = c.benchmark_group("case");
    group.throughput(Throughput::Elements(1));
    group.bench_function("generate_valid_and_breaking_then_validate", |b| {
        b.iter(|| {
            seed += 1;
            let valid = generate::valid(message, seed);
            let broken = generate::breaking(message, &rule, seed).expect("breakable");
            assert!(validate(message, &valid).is_empty());
            assert_eq!(validate(message, &broken).len(), 1);
        })
    });
    group.finish();
}

fn live_fuzzer(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime.block_on(spawn(ServerConfig::test_defaults())).expect("server");
    let cases = 2_000u64;
    let mut group = c.benchmark_group("fuzzer");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    let mut last_rate = 0.0;
    group.bench_function("judged_requests_against_reference_server", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for i in 0..iterations {
                let mut config = RunConfig::default();
                config.targets.base = Some(server.base_url());
                let options = FuzzOptions {
                    suites: Vec::new(),
                    seed: i,
                    cases: Some(cases),
                    duration: None,
                    workers: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2) * 4,
                    out: None,
                    progress: false,
                };
                let started = Instant::now();
                let report = runtime
                    .block_on(fuzz(config, server.base_url(), &options))
                    .expect("fuzz");
                total += started.elapsed();
                last_rate = report.requests_per_second;
            }
            total
        })
    });
    group.finish();
    println!("live fuzzer: {last_rate:.0} judged requests/s ({cases} cases per iteration)");
    runtime.block_on(server.shutdown()).expect("shutdown");
}

criterion_group!(benches, generate_and_judge, live_fuzzer);
criterion_main!(benches);
