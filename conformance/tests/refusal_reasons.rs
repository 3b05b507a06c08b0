//! The refusal's reason (issue 11, root cause 3b): each reason check shown passing on the clean
//! reference server and failing (or warning) on the fault that answers the refusal the wrong
//! way. Data-driven: one row per check.

use upi_conformance::runner::case::{CaseResult, Outcome};
use upi_conformance::runner::config::RunConfig;
use upi_conformance::runner::expect::Expectations;
use upi_conformance::runner::{RunOptions, run};
use upi_reference_server::{Fault, ServerConfig, spawn};

/// A check: the cases (`--only` glob), the fault that breaks it, the verdict there and words of
/// the finding.
struct Row {
    only: &'static str,
    fault: Fault,
    verdict: Outcome,
    says: &'static str,
}

const ROWS: &[Row] = &[
    // DOMAIN.md: "A signature mismatch on a request answers HTTP 401." (must)
    Row {
        only: "security.merchant-register-intent.v3.jws-tampered-payload",
        fault: Fault::SignatureFailure400,
        verdict: Outcome::Fail,
        says: "answers HTTP 401",
    },
    Row {
        only: "security.merchant-register-intent.default.jws-wrong-key",
        fault: Fault::SignatureFailure400,
        verdict: Outcome::Fail,
        says: "answers HTTP 401",
    },
    // Seed 004: "When a mandatory field is missing: ... 109" (the field's mandatoriness is
    // our reading: should).
    Row {
        only: "reject.payu.invoice-upload.request.var2.required",
        fault: Fault::WrongRefusalCode,
        verdict: Outcome::Warning,
        says: "says \"109\"",
    },
    // A Merchant Stack responseCode naming another cause (should).
    Row {
        only: "reject.merchant.register-intent.v3.request.amount.format",
        fault: Fault::WrongRefusalCode,
        verdict: Outcome::Warning,
        says: "refused, but not for this rule",
    },
    // An EC error_code naming the API key for a field's value (should).
    Row {
        only: "reject.ec.txns.request.payment_method_type.const",
        fault: Fault::WrongRefusalCode,
        verdict: Outcome::Warning,
        says: "refused, but not for this rule",
    },
];

async fn run_one(only: &str, fault: Option<Fault>) -> CaseResult {
    let server = spawn(ServerConfig::test_defaults().with_fault(fault))
        .await
        .expect("the reference server starts");
    let mut config = RunConfig::default();
    config.targets.base = Some(server.base_url());
    config.targets.sandbox = Some(server.base_url());
    config.limits.generated_per_message = 0;
    let options = RunOptions {
        only: vec![only.to_string()],
        seed: 1,
        jobs: 1,
        ..RunOptions::default()
    };
    let report = run(config, server.base_url(), &options, &Expectations::default())
        .await
        .expect("the run completes");
    server.shutdown().await.expect("the server stops");
    assert_eq!(report.cases.len(), 1, "{only} selects one case");
    report.cases.into_iter().next().expect("one case")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_reason_check_passes_clean_and_catches_its_fault() {
    for row in ROWS {
        let clean = run_one(row.only, None).await;
        assert_eq!(
            clean.outcome,
            Outcome::Pass,
            "{} on the clean server: {:?}",
            row.only,
            clean.findings
        );
        let faulty = run_one(row.only, Some(row.fault.clone())).await;
        assert_eq!(
            faulty.outcome, row.verdict,
            "{} with {}: {:?}",
            row.only, row.fault, faulty.findings
        );
        assert!(
            faulty
                .findings
                .iter()
                .any(|f| faulty.rules.contains(&f.rule) && f.message.contains(row.says)),
            "{} with {}: no finding on its rule says {:?}: {:?}",
            row.only,
            row.fault,
            row.says,
            faulty.findings
        );
    }
}
