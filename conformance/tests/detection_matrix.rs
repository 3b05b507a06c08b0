//! Proof that the checks can fail: the suite runs against the clean reference server (no case
//! may fail) and against the server with each deliberate fault switched on (the fault must be
//! detected, and the broken rules are printed). A fault is detected when it makes a case fail,
//! or, for a fault that breaks only `should` rules, when it makes a case a warning the clean
//! run does not give, with a finding naming the broken rule; the faults detected only as
//! warnings are listed in [`ONLY_AS_WARNINGS`] (a ratchet both ways). A fault nothing catches
//! is a missing check: add the check, not an exception.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use upi_conformance::runner::case::Outcome;
use upi_conformance::runner::config::RunConfig;
use upi_conformance::runner::{Report, RunOptions};
use upi_reference_server::{Fault, ServerConfig};

/// The default seed, the seed the README's examples use, and one that once hid a fault.
const SEEDS: [u64; 3] = [upi_conformance::runner::plan::DEFAULT_SEED, 1, 855_252];

/// Faults that break only `should` rules (our reading where no seed sentence states the rule):
/// detected by a warning naming the broken rule, never by a failure. Each with the rule.
const ONLY_AS_WARNINGS: &[(&str, &str)] = &[
    (
        // The callback's mihpayid is not _payment's paymentId: the seed calls mihpayid the
        // "PayU transaction ID" but never names paymentId so, so the equality is our reading.
        "callback-mihpayid-differs",
        "payu.callback.mihpayid-is-payment-id",
    ),
    (
        // A second _payment with a used txnid is accepted: seed 004 gives txnid no description
        // and states duplicate refusal only of the intent's tid, so uniqueness is our reading.
        "accept-duplicate-txnid",
        "payu.payment.txnid.unique",
    ),
    (
        // The answer's amount differs from the request's: the echo of `amount` is our reading
        // (seed 003 describes the response's Amount as "Amount to be used for the intent
        // transaction", never "as passed in request"), so a should rule.
        "change-response-amount",
        "merchant.register-intent.default.response.echo.payload.amount",
    ),
    (
        // Refusals name another cause (DUPLICATE_REQUEST, UNAUTHENTICATED, invoice 107): the seed
        // pins no reason code for the rules these cases break, or pins it (invoice 109 for a
        // missing mandatory field) for rules whose mandatoriness is our reading, so should.
        "wrong-refusal-code",
        "ec.txns.request.header.content-type.required",
    ),
    (
        // A fresh intent reported as paid: seed 004 shows the pending answer only by example
        // ("If metaData.unmappedStatus = pending, then get the result.intentURIData"), so should.
        "payu-intent-status-success",
        "payu.payment.intent.pending",
    ),
    (
        // A fresh /txns answered CHARGED: seed 001 prints PENDING_VBV in a description slot, so
        // our reading, should.
        "txns-fresh-status-charged",
        "ec.txns.fresh.pending",
    ),
    (
        // udf_update kept nothing: seed 004 says the invoice ID "can be updated", but that
        // verify_payment reports the udfs is PayU's documentation, not the seed, so should.
        "udf-update-not-persisted",
        "payu.udf-update.persisted",
    ),
    (
        // udf_update answered var1..var5 as udf1..udf5: seed 004 shows var2..var6 -> udf1..udf5
        // only by its sample (E-077), so should.
        "udf-update-echo-shifted",
        "payu.udf-update.udfs-as-posted",
    ),
];

async fn run_against(seed: u64, fault: Option<Fault>, only: Vec<String>, timeout_ms: u64) -> Report {
    let slow = fault == Some(Fault::SlowResponse);
    let mut server_config = ServerConfig::test_defaults().with_fault(fault);
    if slow {
        server_config.limits.slow_response_delay = std::time::Duration::from_millis(timeout_ms * 3);
    }
    let options = RunOptions {
        only,
        seed,
        ..RunOptions::default()
    };
    let tune = |config: &mut RunConfig| {
        config.limits.request_timeout_ms = timeout_ms;
        config.limits.generated_per_message = 1;
    };
    support::in_process(server_config, tune, &options).await
}

fn failing(report: &Report) -> Vec<(String, Vec<String>)> {
    report
        .cases
        .iter()
        .filter(|c| c.outcome.fails_run())
        .map(|c| (c.id.clone(), c.findings.iter().map(|f| f.rule.clone()).collect()))
        .collect()
}

/// The (case, finding rule) pairs of the warnings of a run.
fn warnings(report: &Report) -> BTreeSet<(String, String)> {
    report
        .cases
        .iter()
        .filter(|c| c.outcome == Outcome::Warning)
        .flat_map(|c| c.findings.iter().map(|f| (c.id.clone(), f.rule.clone())))
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

    let clean_warnings = warnings(&clean);
    let mut matrix: BTreeMap<String, Vec<(String, Vec<String>)>> = BTreeMap::new();
    let mut warned: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for fault in Fault::ALL {
        // The slow fault delays every answer; a handful of cases shows it within the timeout.
        let (only, timeout) = if fault == Fault::SlowResponse {
            (vec!["accept.*.generated.0".to_string()], 300)
        } else {
            (Vec::new(), 2_000)
        };
        let name = fault.to_string();
        let report = run_against(seed, Some(fault), only, timeout).await;
        matrix.insert(name.clone(), failing(&report));
        warned.insert(name, warnings(&report).difference(&clean_warnings).cloned().collect());
    }
    println!("\ndetection matrix, seed {seed} (fault → failing or warning cases: broken rules)");
    let mut undetected = Vec::new();
    let mut only_warnings = BTreeMap::new();
    for (fault, cases) in &matrix {
        let new_warnings = &warned[fault];
        println!(
            "{fault}: {} failing cases, {} new warnings",
            cases.len(),
            new_warnings.len()
        );
        for (case, rules) in cases.iter().take(4) {
            let mut rules = rules.clone();
            rules.dedup();
            println!("    {case}: {}", rules.join(", "));
        }
        if cases.is_empty() {
            for (case, rule) in new_warnings.iter().take(4) {
                println!("    warning {case}: {rule}");
            }
            match new_warnings.first() {
                Some((_, rule)) => {
                    only_warnings.insert(fault.as_str(), rule.as_str());
                }
                None => undetected.push(fault.as_str()),
            }
        }
    }
    let listed: BTreeMap<&str, &str> = ONLY_AS_WARNINGS.iter().copied().collect();
    for (fault, rule) in &listed {
        assert!(
            warned[*fault].iter().any(|(_, r)| r == rule),
            "{fault} is listed as detected by a warning on {rule}, but no new warning names it"
        );
    }
    assert_eq!(
        only_warnings.keys().collect::<Vec<_>>(),
        listed.keys().collect::<Vec<_>>(),
        "faults detected only as warnings (first rule named: {only_warnings:?}) differ from ONLY_AS_WARNINGS"
    );
    undetected.into_iter().map(str::to_string).collect()
}
