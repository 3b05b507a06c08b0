//! Proof that the checks can fail: the suite runs against the clean reference server (every
//! case must pass) and against the server with each deliberate fault switched on (at least one
//! case must fail, and the broken rules are printed). A fault nothing catches is a missing
//! check: add the check, not an exception. The matrix holds for three different seeds: the seed
//! varies generated values, never whether a check runs. A fault counts as detected when a case
//! fails or warns (a fault that breaks a `should` rule shows as a warning).

use std::collections::BTreeMap;

use upi_conformance::runner::case::Outcome;
use upi_conformance::runner::config::RunConfig;
use upi_conformance::runner::expect::Expectations;
use upi_conformance::runner::{Report, RunOptions, run};
use upi_reference_server::{Fault, ServerConfig, spawn};

/// The default seed, the seed the README's examples use, and one that once hid a fault.
const SEEDS: [u64; 3] = [upi_conformance::runner::plan::DEFAULT_SEED, 1, 855_252];

async fn run_against(seed: u64, fault: Option<Fault>, only: Vec<String>, timeout_ms: u64) -> Report {
    let slow = fault == Some(Fault::SlowResponse);
    let mut server_config = ServerConfig::test_defaults().with_fault(fault);
    if slow {
        server_config.limits.slow_response_delay = std::time::Duration::from_millis(timeout_ms * 3);
    }
    let server = spawn(server_config).await.expect("the reference server starts");
    let mut config = RunConfig::default();
    config.targets.base = Some(server.base_url());
    config.targets.sandbox = Some(server.base_url());
    config.limits.request_timeout_ms = timeout_ms;
    config.limits.generated_per_message = 1;
    let options = RunOptions {
        suites: Vec::new(),
        versions: Vec::new(),
        only,
        skip: Vec::new(),
        seed,
        progress: false,
        jobs: upi_conformance::runner::DEFAULT_JOBS,
        deadline: None,
    };
    let report = run(config, server.base_url(), &options, &Expectations::default())
        .await
        .expect("the run completes");
    server.shutdown().await.expect("the server stops");
    report
}

fn failing(report: &Report) -> Vec<(String, Vec<String>)> {
    report
        .cases
        .iter()
        .filter(|c| c.outcome.fails_run())
        .map(|c| (c.id.clone(), c.findings.iter().map(|f| f.rule.clone()).collect()))
        .collect()
}

/// The cases a fault shows in: failing or warning.
fn detecting(report: &Report) -> Vec<(String, Vec<String>)> {
    report
        .cases
        .iter()
        .filter(|c| c.outcome.fails_run() || matches!(c.outcome, Outcome::Warning))
        .map(|c| (c.id.clone(), c.findings.iter().map(|f| f.rule.clone()).collect()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_is_detected_and_the_clean_server_passes_for_three_seeds() {
    let mut undetected = Vec::new();
    for seed in SEEDS {
        undetected.extend(matrix(seed).await.into_iter().map(|f| format!("{f} (seed {seed})")));
    }
    assert!(undetected.is_empty(), "faults no case detects: {undetected:?}");
}

/// Runs the clean server (asserting it passes) and every fault with `seed`; the faults nothing
/// detects.
async fn matrix(seed: u64) -> Vec<String> {
    let clean = run_against(seed, None, Vec::new(), 2_000).await;
    let clean_failures = failing(&clean);
    assert!(clean.totals.cases > 300, "only {} cases", clean.totals.cases);
    assert!(
        clean_failures.is_empty(),
        "the clean reference server fails {} cases with seed {seed}: {:#?}",
        clean_failures.len(),
        clean_failures.iter().take(20).collect::<Vec<_>>()
    );
    println!(
        "seed {seed}: clean server: {} cases, {} passed, {} skipped, {:.1} s",
        clean.totals.cases,
        clean.totals.pass,
        clean.totals.skipped,
        clean.elapsed_ms as f64 / 1000.0
    );

    let mut matrix: BTreeMap<String, Vec<(String, Vec<String>)>> = BTreeMap::new();
    for fault in Fault::ALL {
        // The slow fault delays every answer; a handful of cases shows it within the timeout.
        let (only, timeout) = if fault == Fault::SlowResponse {
            (vec!["accept.*.generated.0".to_string()], 300)
        } else {
            (Vec::new(), 2_000)
        };
        let name = fault.to_string();
        let report = run_against(seed, Some(fault), only, timeout).await;
        matrix.insert(name, detecting(&report));
    }
    println!("\ndetection matrix, seed {seed} (fault → failing or warning cases: broken rules)");
    let mut undetected = Vec::new();
    for (fault, cases) in &matrix {
        println!("{fault}: {} cases", cases.len());
        for (case, rules) in cases.iter().take(4) {
            let mut rules = rules.clone();
            rules.dedup();
            println!("    {case}: {}", rules.join(", "));
        }
        if cases.is_empty() {
            undetected.push(fault.clone());
        }
    }
    undetected
}
