//! Every reading of an ambiguous seed sentence is accepted: the whole suite runs in-process
//! against the reference server under its default readings, under each non-default reading it
//! serves (one at a time) and under all of them together, and must fail no case. Each
//! non-default reading must show up as an `acceptable` verdict naming it (so it is exercised),
//! or be listed in `UNOBSERVED` with the reason the suite cannot see it.

use std::collections::BTreeMap;

mod support;

use upi_conformance::runner::case::Outcome;
use upi_conformance::runner::config::RunConfig;
use upi_conformance::runner::{Report, RunOptions};
use upi_reference_server::readings::{NOT_SERVED, served};
use upi_reference_server::{Readings, ServerConfig};

const SEED: u64 = 20_261_121;

/// Non-default readings the suite cannot observe, and why.
const UNOBSERVED: &[(&str, &str)] = &[];

async fn run_under(readings: Readings) -> Report {
    let options = RunOptions {
        seed: SEED,
        ..RunOptions::default()
    };
    let tune = |config: &mut RunConfig| {
        config.limits.request_timeout_ms = 5_000;
        config.limits.generated_per_message = 1;
    };
    support::in_process(ServerConfig::test_defaults().with_readings(readings), tune, &options).await
}

/// The failing cases with their broken rules.
fn failing(report: &Report) -> Vec<(String, Vec<String>)> {
    report
        .cases
        .iter()
        .filter(|c| c.outcome.fails_run())
        .map(|c| {
            let rules = c
                .findings
                .iter()
                .map(|f| format!("{}: {}", f.rule, f.message))
                .collect();
            (c.id.clone(), rules)
        })
        .collect()
}

/// The readings named by `acceptable` verdicts, with how many cases each.
fn acceptable(report: &Report) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for c in &report.cases {
        if let Outcome::Acceptable { reading } = &c.outcome {
            *out.entry(reading.clone()).or_insert(0) += 1;
        }
    }
    out
}

fn non_default_served() -> Vec<&'static str> {
    upi_spec::readings::all()
        .iter()
        .filter(|r| !r.default && served(r.id))
        .map(|r| r.id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_reading_passes_and_each_non_default_one_is_seen() {
    let default = run_under(Readings::default()).await;
    assert!(default.totals.cases > 300, "only {} cases", default.totals.cases);
    assert_eq!(failing(&default), Vec::new(), "default readings");
    assert_eq!(
        acceptable(&default),
        BTreeMap::new(),
        "the default readings are passes, not acceptable"
    );

    let mut unseen = Vec::new();
    let mut broken = Vec::new();
    for id in non_default_served() {
        let report = run_under(Readings::default().with(id)).await;
        let failures = failing(&report);
        let seen = acceptable(&report);
        if !failures.is_empty() {
            broken.push(format!(
                "{id}: {} failures: {:#?}",
                failures.len(),
                &failures[..failures.len().min(6)]
            ));
            continue;
        }
        println!("{id}: {} cases, acceptable {seen:?}", report.totals.cases);
        assert!(
            seen.keys().all(|r| r == id),
            "{id}: acceptable verdicts name other readings: {seen:?}"
        );
        let noted = UNOBSERVED.iter().any(|(n, _)| *n == id);
        match (seen.contains_key(id), noted) {
            (true, true) => panic!("{id} is listed as unobserved but produced acceptable verdicts"),
            (false, false) => unseen.push(id),
            _ => {}
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    assert_eq!(
        unseen,
        Vec::<&str>::new(),
        "non-default readings with no acceptable verdict and no note in UNOBSERVED"
    );

    let mut all = Readings::default();
    for id in non_default_served() {
        all = all.with(id);
    }
    let together = run_under(all).await;
    assert_eq!(failing(&together), Vec::new(), "all non-default readings together");
    let seen = acceptable(&together);
    for id in non_default_served() {
        if !UNOBSERVED.iter().any(|(n, _)| *n == id) {
            assert!(seen.contains_key(id), "{id} unseen when all are served: {seen:?}");
        }
    }
    // The readings the server cannot serve are named, not silently served as the default: the
    // two TPAP ones (seed 002's SDK payloads do not travel over HTTP).
    let not_served: Vec<&str> = NOT_SERVED.iter().map(|(id, _)| *id).collect();
    assert_eq!(not_served, ["E-089/defaulted", "E-096/payload-status"]);
}
