//! `audit` pairs the request and response lines of a TPAP capture: data-driven from
//! `golden/audit/pairing/cases.json`. Each broken capture flips one thing of `clean.jsonl` and
//! must yield exactly its findings (line and rule); the clean capture yields none.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;
use upi_conformance::audit::{self, SignatureKeys};
use upi_spec::crypto::keys::public_key_from_pem;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    comment: String,
    capture: String,
    /// `[KID=]FILE` under golden/keys, or null: no signature check.
    tpap_key: Option<String>,
    /// `[line, rule]` of every finding expected.
    findings: Vec<(usize, String)>,
}

fn golden(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("golden")
        .join(rel)
}

fn keys(spec: Option<&str>) -> SignatureKeys {
    let mut keys = SignatureKeys::default();
    let Some(spec) = spec else { return keys };
    let (kid, file) = match spec.split_once('=') {
        Some((kid, file)) => (Some(kid), file),
        None => (None, spec),
    };
    let key = public_key_from_pem(&std::fs::read_to_string(golden(&format!("keys/{file}"))).unwrap()).unwrap();
    match kid {
        Some(kid) => {
            keys.by_id.insert(kid, key);
        }
        None => keys.any = Some(key),
    }
    keys
}

fn cases() -> Vec<Case> {
    serde_json::from_str(&std::fs::read_to_string(golden("audit/pairing/cases.json")).unwrap()).unwrap()
}

#[test]
fn each_broken_capture_yields_exactly_its_findings_and_the_clean_one_none() {
    let cases = cases();
    assert!(cases.len() >= 8, "the manifest lost cases");
    let mut failures = Vec::new();
    for case in &cases {
        assert!(!case.comment.is_empty(), "{}: every case says what it flips", case.name);
        let bytes = std::fs::read(golden(&format!("audit/pairing/{}", case.capture))).unwrap();
        let results = audit::json_lines_with(&bytes, &keys(case.tpap_key.as_deref())).unwrap();
        let got: BTreeSet<(usize, String)> = results
            .iter()
            .flat_map(|r| {
                let line: usize = r.id.split('.').nth(2).unwrap().parse().unwrap();
                r.findings.iter().map(move |f| (line, f.rule.clone()))
            })
            .collect();
        let want: BTreeSet<(usize, String)> = case.findings.iter().cloned().collect();
        if got != want {
            failures.push(format!("{}: expected {want:?}, got {got:?}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn cli(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn the_cli_checks_signatures_with_tpap_key_and_exits_1_on_a_broken_echo() {
    let key = "golden/keys/merchant_signing.pub.pem";
    let (code, out) = cli(&["audit", "golden/audit/pairing/clean.jsonl", "--tpap-key", key]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = cli(&["audit", "golden/audit/pairing/bad-signature.jsonl", "--tpap-key", key]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("tpap.signature.signature"), "{out}");
    let (code, out) = cli(&["audit", "golden/audit/pairing/udf-echo.jsonl"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("tpap.pairing.udf-parameters"), "{out}");
    assert!(out.contains("As passed in request"), "{out}");
}
