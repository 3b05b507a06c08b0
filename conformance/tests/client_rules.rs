//! Every rule a client-side report names is in the catalogue, so `rules show` explains it: the
//! TPAP suite's reports (the clean reference shim, each shim fault, a shim that refuses the
//! hello, one that answers garbage) and every handle the `client-test` suites report by
//! (`rule_ids::client`; `client_test.rs` and `merchant_stack_client.rs` check their own
//! reports the same way).

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;
use upi_conformance::tpap::reference::Fault;

const BIN: &str = env!("CARGO_BIN_EXE_upi-conformance");

fn catalogue() -> BTreeSet<String> {
    upi_spec::catalogue::all().into_iter().map(|r| r.id).collect()
}

/// Every rule ID a JSON report names: each case's rules and each finding's rule.
fn named(report: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for case in report["cases"].as_array().into_iter().flatten() {
        let rules = case["rules"].as_array().into_iter().flatten();
        let findings = case["findings"].as_array().into_iter().flatten().map(|f| &f["rule"]);
        out.extend(rules.chain(findings).filter_map(Value::as_str).map(str::to_owned));
    }
    out
}

fn tpap(shim: &str, extra: &[&str]) -> Value {
    let out = Command::new(BIN)
        .args(["tpap", "run", "--format", "json", "--shim", shim])
        .args(extra)
        .output()
        .expect("the CLI runs");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{shim}: a JSON report ({e}): {}", String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn every_rule_a_tpap_report_names_is_in_the_catalogue() {
    let known = catalogue();
    let mut shims: Vec<(String, Vec<&str>)> = vec![(format!("'{BIN}' tpap-shim"), Vec::new())];
    shims.extend(
        Fault::ALL
            .iter()
            .map(|f| (format!("'{BIN}' tpap-shim --fault {}", f.name()), Vec::new())),
    );
    // A shim whose SDK takes keys out of band (hello refused), then silent; and one that answers
    // garbage: the shim rules.
    let refuses_hello =
        r#"sh -c 'read l; echo "{\"id\":0,\"error\":\"keys are registered out of band\"}"; while read l; do :; done'"#;
    shims.push((refuses_hello.to_owned(), vec!["--only", "accept.*", "--timeout-ms=150"]));
    let garbage = "sh -c 'while read l; do echo garbage; done'";
    shims.push((garbage.to_owned(), vec!["--only", "accept.*"]));
    let mut seen = BTreeSet::new();
    for (shim, extra) in &shims {
        let report = tpap(shim, extra);
        let missing: Vec<String> = named(&report).into_iter().filter(|id| !known.contains(id)).collect();
        assert!(missing.is_empty(), "{shim}: not in the catalogue: {missing:?}");
        seen.extend(named(&report));
    }
    // The runs above did reach the client rules (the check is not vacuous).
    use upi_spec::rule_ids::client as c;
    for rule in [
        c::TPAP_SHIM_HELLO,
        c::TPAP_SHIM_PROTOCOL,
        c::TPAP_ACCEPTS_VALID,
        c::TPAP_PAIR_REQUEST_ID,
        c::TPAP_PAIR_UDF,
    ] {
        assert!(seen.contains(rule.as_str()), "no report named {rule}");
    }
}

/// `rules show` finds every handle the client suites report by, with its grounding; the shim
/// rules say they are our protocol, the two seed-stated `must` rules quote the seed.
#[test]
fn rules_show_explains_every_client_rule() {
    for rule in upi_spec::rule_ids::client::DECLARED {
        let out = Command::new(BIN)
            .args(["rules", "show", rule.as_str()])
            .output()
            .expect("the CLI runs");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{rule}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(text.contains("grounding:"), "{rule}: {text}");
        if rule.as_str().starts_with("tpap.shim.") {
            assert!(text.contains("our protocol, not a seed's"), "{rule}: {text}");
        }
    }
    let out = Command::new(BIN)
        .args(["rules", "show", "merchant.payu.callback.verifies-reverse-hash"])
        .output()
        .expect("the CLI runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("must") && text.contains("Response hash for verification"),
        "{text}"
    );
}
