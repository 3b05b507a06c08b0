//! The TPAP suite through the shim protocol, end to end through the CLI: green on the clean
//! reference shim (over JSON lines and over HTTP), each named fault detected by the rule the
//! detection matrix (`golden/tpap/shim_faults.json`) names, and a broken shim (dead, silent,
//! garbage, over-long lines) a clear error, never a panic or a hang.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use serde::Deserialize;
use serde_json::Value;
use upi_conformance::tpap::reference::Fault;

const BIN: &str = env!("CARGO_BIN_EXE_upi-conformance");

fn shim_cmd(fault: Option<&str>) -> String {
    match fault {
        Some(f) => format!("'{BIN}' tpap-shim --fault {f}"),
        None => format!("'{BIN}' tpap-shim"),
    }
}

fn tpap_run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(["tpap", "run", "--format", "json"])
        .args(args)
        .output()
        .expect("the CLI runs")
}

fn report(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("a JSON report ({e}); stderr: {}", String::from_utf8_lossy(&out.stderr)))
}

fn not_passing(report: &Value) -> Vec<(String, String)> {
    report["cases"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["outcome"]["verdict"] != "pass")
        .flat_map(|c| {
            let verdict = c["outcome"]["verdict"].as_str().unwrap_or_default().to_owned();
            c["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .map(move |f| (f["rule"].as_str().unwrap_or_default().to_owned(), verdict.clone()))
        })
        .collect()
}

#[test]
fn the_clean_reference_shim_passes_every_case() {
    let out = tpap_run(&["--shim", &shim_cmd(None)]);
    let r = report(&out);
    assert_eq!(out.status.code(), Some(0), "{:?}", not_passing(&r));
    let cases = r["cases"].as_array().expect("cases");
    assert!(not_passing(&r).is_empty(), "{:?}", not_passing(&r));
    let count = |prefix: &str| {
        cases
            .iter()
            .filter(|c| c["id"].as_str().is_some_and(|id| id.starts_with(prefix)))
            .count()
    };
    assert_eq!(count("accept.tpap."), 6, "one acceptance per action");
    assert_eq!(count("flow.tpap."), 2, "the payment and mandate flows");
    assert_eq!(count("security.tpap."), 24, "four signature cases per action");
    assert!(count("reject.tpap.") > 200, "one rejection per must request rule");
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Matrix {
    #[allow(dead_code)]
    about: String,
    faults: Vec<Row>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    fault: String,
    rule: String,
    outcome: String,
    #[allow(dead_code)]
    why: String,
}

#[test]
fn every_shim_fault_is_detected_by_its_rule() {
    let matrix: Matrix =
        serde_json::from_str(include_str!("../../golden/tpap/shim_faults.json")).expect("the matrix parses");
    let listed: Vec<&str> = matrix.faults.iter().map(|r| r.fault.as_str()).collect();
    let all: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
    assert_eq!(listed, all, "every fault has one row, in order");
    for row in &matrix.faults {
        let out = tpap_run(&["--shim", &shim_cmd(Some(&row.fault))]);
        let findings = not_passing(&report(&out));
        assert!(
            findings
                .iter()
                .any(|(rule, verdict)| *rule == row.rule && *verdict == row.outcome),
            "fault {} must grade a case {} on {}; got {:?}",
            row.fault,
            row.outcome,
            row.rule,
            findings.iter().take(10).collect::<Vec<_>>()
        );
        let expected_exit = if row.outcome == "fail" { 1 } else { 0 };
        assert_eq!(out.status.code(), Some(expected_exit), "exit code under {}", row.fault);
    }
}

/// `run --suite tpap --strict` makes a should finding fail the run (exit 1), as in the HTTP
/// suites; without `--strict` the same warning exits 0, and a clean shim passes under `--strict`.
#[test]
fn run_strict_fails_the_tpap_suite_on_warnings() {
    let run = |fault: Option<&str>, strict: bool| {
        let shim = shim_cmd(fault);
        let mut args = vec!["run", "--suite", "tpap", "--shim", shim.as_str(), "--quiet"];
        if strict {
            args.push("--strict");
        }
        Command::new(BIN)
            .args(&args)
            .output()
            .expect("the CLI runs")
            .status
            .code()
    };
    let warning = Some("session-accounts-not-linked");
    assert_eq!(run(warning, false), Some(0), "a should finding passes by default");
    assert_eq!(run(warning, true), Some(1), "--strict: a should finding fails the run");
    assert_eq!(run(None, true), Some(0), "the clean shim passes under --strict");
}

#[test]
fn the_suite_runs_over_http_too() {
    let mut server = Command::new(BIN)
        .args(["tpap-shim", "--listen", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("the HTTP shim starts");
    let mut line = String::new();
    BufReader::new(server.stderr.take().expect("stderr"))
        .read_line(&mut line)
        .expect("it prints its address");
    let url = line.trim().rsplit(' ').next().expect("an address").to_owned();
    let out = tpap_run(&["--shim-url", &url, "--only", "accept.*,flow.*,security.tpap.upi-txn.*"]);
    server.kill().ok();
    server.wait().ok();
    let r = report(&out);
    assert_eq!(out.status.code(), Some(0), "{:?}", not_passing(&r));
    assert_eq!(r["cases"].as_array().map(Vec::len), Some(1 + 6 + 2 + 4));
}

#[test]
fn a_dead_shim_is_a_clear_error_with_exit_3() {
    let out = tpap_run(&["--shim", "sh -c 'exit 7'"]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the shim process ended"), "{stderr}");
    let missing = tpap_run(&["--shim", "/nonexistent/shim --flag"]);
    assert_eq!(missing.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot start the shim"));
}

#[test]
fn garbage_silence_and_over_long_lines_fail_cases_without_panicking() {
    for (shim, extra, expect) in [
        (
            "sh -c 'while read l; do echo garbage; done'",
            "--timeout-ms=5000",
            "not a protocol object",
        ),
        (
            "sh -c 'while read l; do :; done'",
            "--timeout-ms=150",
            "no reply from the shim",
        ),
        (
            "sh -c 'while read l; do head -c 5000 /dev/zero | tr \"\\0\" x; echo; done'",
            "--max-line-bytes=1000",
            "longer than 1000 bytes",
        ),
    ] {
        let out = tpap_run(&["--shim", shim, extra, "--only", "accept.*"]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{shim}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let r = report(&out);
        let cases = r["cases"].as_array().expect("cases");
        assert_eq!(cases.len(), 1 + 6);
        for c in cases {
            let message = c["findings"][0]["message"].as_str().unwrap_or_default();
            assert!(message.contains(expect), "{shim}: {message}");
        }
    }
}

/// A fresh directory for one test's files.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("upi-tpap-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

#[test]
fn run_suite_tpap_writes_every_report_it_is_asked_for() {
    // `run --suite tpap` once ignored `--report`: only `--output` was written.
    let dir = scratch("reports");
    let (json, junit, html) = (dir.join("r.json"), dir.join("r.xml"), dir.join("r.html"));
    let report_arg = |format: &str, path: &std::path::Path| format!("{format}={}", path.display());
    let out = Command::new(BIN)
        .args([
            "run",
            "--suite",
            "tpap",
            "--shim",
            &shim_cmd(None),
            "--quiet",
            "--only",
            "accept.*",
        ])
        .args(["--format", "json", "--output"])
        .arg(&json)
        .args([
            "--report",
            &report_arg("junit", &junit),
            "--report",
            &report_arg("html", &html),
        ])
        .output()
        .expect("the CLI runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&std::fs::read(&json).expect("the --output report")).expect("JSON");
    assert_eq!(r["cases"].as_array().map(Vec::len), Some(1 + 6));
    let suites = junit_parser::from_reader(std::io::BufReader::new(
        std::fs::File::open(&junit).expect("the --report junit file"),
    ))
    .expect("JUnit XML");
    assert_eq!(suites.tests, 7, "the JUnit report counts the same cases");
    let page = std::fs::read_to_string(&html).expect("the --report html file");
    assert!(page.contains("accept.tpap."), "the HTML report lists the cases");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn run_suite_tpap_takes_the_limits_of_its_config_and_refuses_a_bad_one() {
    // `run --suite tpap` once ignored `--config`: a reply over the configured size was read.
    let dir = scratch("config");
    let config = dir.join("limits.toml");
    std::fs::write(&config, "[limits]\nmax_response_bytes = 1000\n").expect("a config");
    let long_lines = "sh -c 'while read l; do head -c 5000 /dev/zero | tr \"\\0\" x; echo; done'";
    let out = Command::new(BIN)
        .args([
            "run", "--suite", "tpap", "--shim", long_lines, "--only", "accept.*", "--format", "json",
        ])
        .arg("--config")
        .arg(&config)
        .output()
        .expect("the CLI runs");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let r = report(&out);
    for c in r["cases"].as_array().expect("cases") {
        let message = c["findings"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("longer than 1000 bytes"), "{message}");
    }
    std::fs::write(&config, "[limits\n").expect("a broken config");
    let out = Command::new(BIN)
        .args(["run", "--suite", "tpap", "--shim", &shim_cmd(None)])
        .arg("--config")
        .arg(&config)
        .output()
        .expect("the CLI runs");
    assert_eq!(out.status.code(), Some(2), "a broken --config is a usage error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("limits.toml"));
    std::fs::remove_dir_all(&dir).ok();
}
