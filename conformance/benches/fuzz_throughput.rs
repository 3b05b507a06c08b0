//! In one run: the cost of generating and judging one case offline (generate a valid message and
//! a rule-breaking one from the models, validate both), and the live fuzzer's throughput against
//! the embedded reference server on loopback (judged requests per second).
//!
//! `cargo bench -p upi-conformance --bench fuzz_throughput`

// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The same allocator as the `upi-conformance` binary, so the numbers are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
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
    group.throughput(Throughput::Elements(cases));
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let mut rates = Vec::new();
    // `--workers` defaults to the number of cores; twice that keeps both sides of the loopback busy.
    for workers in [cores, cores * 2] {
        let mut last_rate = 0.0;
        group.bench_function(
            format!("judged_requests_against_reference_server/{workers}_workers"),
            |b| {
                b.iter_custom(|iterations| {
                    let mut total = Duration::ZERO;
                    for i in 0..iterations {
                        let mut config = RunConfig::default();
                        config.targets.base = Some(server.base_url());
                        let options = FuzzOptions {
                            interrupt: None,
                            suites: Vec::new(),
                            seed: i,
                            cases: Some(cases),
                            duration: None,
                            workers,
                            // The CLI's default (`--in-flight 1`).
                            in_flight: 1,
                            out: None,
                            progress: false,
                            shard: Default::default(),
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
            },
        );
        rates.push((workers, last_rate));
    }
    // Baseline in the same run: the same number of bare requests (GET /sandbox/health, nothing
    // generated, signed or judged) over the same loopback, from the same number of tasks.
    let client = reqwest::Client::new();
    let health = format!("{}/sandbox/health", server.base_url());
    let mut bare_rate = 0.0;
    group.bench_function(format!("bare_http_get/{cores}_workers"), |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let started = Instant::now();
                runtime.block_on(async {
                    let tasks: Vec<_> = (0..cores)
                        .map(|_| {
                            let (client, health) = (client.clone(), health.clone());
                            tokio::spawn(async move {
                                for _ in 0..cases / cores as u64 {
                                    let r = client.get(&health).send().await.expect("health");
                                    r.bytes().await.expect("body");
                                }
                            })
                        })
                        .collect();
                    for t in tasks {
                        t.await.expect("task");
                    }
                });
                let elapsed = started.elapsed();
                total += elapsed;
                bare_rate = cases as f64 / elapsed.as_secs_f64();
            }
            total
        })
    });
    group.finish();
    for (workers, rate) in rates {
        println!(
            "live fuzzer, {workers} workers: {rate:.0} judged requests/s (last iteration, {cases} cases); \
             bare GET baseline {bare_rate:.0} requests/s: {:.2} of it",
            rate / bare_rate
        );
    }
    runtime.block_on(server.shutdown()).expect("shutdown");
}

criterion_group!(benches, generate_and_judge, live_fuzzer);
criterion_main!(benches);
