//! `run --jobs N` runs independent cases concurrently and `--deadline` bounds the whole run.
//! Concurrency must not change what a run finds: against the same server (clean, and with
//! faults that make cases of several suites fail, the callback flow's included), `--jobs 8`
//! gives the same cases in the same order, with the same verdicts and the same broken rules, as
//! `--jobs 1`. No timing is asserted.

use std::process::Command;

use serde_json::Value;

/// Runs the CLI; returns its exit code and the JSON report.
fn run(args: &[&str]) -> (Option<i32>, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("the CLI runs");
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "run {args:?}: no JSON report ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), report)
}

/// (case ID, verdict, sorted rule IDs of its findings), in report order.
fn summary(report: &Value) -> Vec<(String, String, Vec<String>)> {
    report["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| {
            let mut rules: Vec<String> = c["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
                .collect();
            rules.sort();
            rules.dedup();
            (
                c["id"].as_str().unwrap_or_default().to_string(),
                c["outcome"]["verdict"].as_str().unwrap_or_default().to_string(),
                rules,
            )
        })
        .collect()
}

#[test]
fn jobs_8_gives_the_verdicts_of_jobs_1() {
    // Clean, then faults failing cases of every suite: Merchant Stack (duplicate registration,
    // a JWS attack), PayU (_payment hash, the callback flow's reverse hash) and EC (/txns).
    for fault in [
        None,
        Some("accept-duplicate-merchant-request-id"),
        Some("skip-jws-verification"),
        Some("wrong-callback-hash"),
        Some("txns-accept-unknown-order"),
        Some("accept-wrong-payu-hash"),
    ] {
        let mut args = vec!["run", "--seed", "7"];
        if let Some(f) = fault {
            args.extend(["--fault", f]);
        }
        let (code_1, one) = run(&[args.as_slice(), &["--jobs", "1"]].concat());
        let (code_8, eight) = run(&[args.as_slice(), &["--jobs", "8"]].concat());
        let (one, eight) = (summary(&one), summary(&eight));
        assert!(one.len() > 300, "{fault:?}: {} cases", one.len());
        assert_eq!(code_1, code_8, "{fault:?}: exit codes differ");
        if fault.is_some() {
            assert_eq!(code_8, Some(1), "{fault:?}: the fault must fail the run");
            assert!(eight.iter().any(|(_, v, _)| v == "fail"), "{fault:?}: no case failed");
        }
        assert_eq!(one, eight, "{fault:?}: --jobs 8 differs from --jobs 1");
    }
}

#[test]
fn a_reached_deadline_skips_the_cases_not_started() {
    let (code, report) = run(&["run", "--seed", "7", "--deadline", "0s"]);
    let cases = summary(&report);
    assert!(cases.len() > 300, "{} cases", cases.len());
    assert!(
        cases.iter().all(|(_, verdict, _)| verdict == "skipped"),
        "a zero deadline starts no case"
    );
    let reasons: Vec<&str> = report["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| c["outcome"]["reason"].as_str().unwrap_or_default())
        .collect();
    assert!(reasons.iter().all(|r| *r == "run deadline reached"), "{reasons:?}");
    assert_eq!(report["totals"]["skipped"].as_u64(), Some(cases.len() as u64));
    assert_eq!(code, Some(0), "skipped cases do not fail a run");
}

#[test]
fn zero_jobs_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
        .args(["run", "--jobs", "0"])
        .output()
        .expect("the CLI runs");
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 1"));
}
