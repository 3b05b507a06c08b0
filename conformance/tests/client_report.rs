//! `serve --client-report FILE` and `GET /sandbox/report`: a client request breaking two rules
//! gets both listed with their rule IDs and fix hints; the secrets the client sent (the PayU
//! salt it leaked into a form, its PayU key, its EC API key in Basic credentials) appear
//! nowhere in the live report or the file, which is complete even after the server is killed.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use base64::Engine as _;
use serde_json::Value;
use upi_spec::crypto::payu_hash::{self, Salt};
use upi_spec::crypto::payu_sequence::HashFamily;

const SALT: &str = "upiConformanceTestSalt";
const PAYU_KEY: &str = "JPM7Fg";
const API_KEY: &str = "test_api_key";

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(report: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
        .args(["serve", "--addr", "127.0.0.1:0", "--client-report"])
        .arg(report)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix(upi_reference_server::READY_LINE_PREFIX)
        .unwrap_or_else(|| panic!("ready line {line:?}"))
        .to_owned();
    Server {
        child,
        base: format!("http://{addr}"),
    }
}

/// A `_payment` form breaking two `must` rules (`amount` not a number, `pg` missing) and two
/// `should` rules (email, phone), correctly hashed, with the salt leaked into an extra field.
fn payment_form() -> BTreeMap<String, String> {
    let mut form: BTreeMap<String, String> = [
        ("key", PAYU_KEY),
        ("txnid", "REPORT0001"),
        ("amount", "1O0"),
        ("firstname", "Ashish"),
        ("email", "not-an-email"),
        ("phone", "12"),
        ("productinfo", "Product Info"),
        ("surl", "https://test.payu.in/admin/test_response"),
        ("furl", "https://test.payu.in/admin/test_response"),
        ("bankcode", "INTENT"),
        ("txn_s2s_flow", "4"),
        ("s2s_client_ip", "10.200.12.12"),
        ("s2s_device_info", "Mozilla/5.0 PayU-API-Test/1.0"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let hash = payu_hash::compute(HashFamily::Request, &form, &Salt::new(SALT)).unwrap();
    form.insert("hash".into(), hash);
    form.insert("merchant_salt".into(), SALT.into());
    form
}

fn assert_no_secret(what: &str, text: &str) {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{API_KEY}:"));
    for secret in [SALT, PAYU_KEY, API_KEY, basic.as_str()] {
        assert!(!text.contains(secret), "{what} shows the secret {secret:?}:\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_violation_of_a_request_is_reported_with_its_rule_and_no_secret() {
    let dir = std::env::temp_dir().join(format!("upi-client-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report.json");
    let mut server = serve(&file);
    let http = reqwest::Client::new();
    let answer = http
        .post(format!("{}/_payment", server.base))
        .basic_auth(API_KEY, Some(""))
        .form(&payment_form())
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_client_error(), "{}", answer.status());
    let live: Value = http
        .get(format!("{}/sandbox/report", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    assert_eq!(live["requests_seen"], 1, "{live:#}");
    assert_eq!(live["requests_with_violations"], 1, "{live:#}");
    let entry = &live["entries"][0];
    let rules: Vec<&str> = entry["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rule"].as_str().unwrap())
        .collect();
    // Every violation, not only the one the refusal names.
    for rule in [
        "payu.payment.request.amount.format",
        "payu.payment.request.pg.required",
        "payu.payment.request.email.format",
        "payu.payment.request.phone.format",
    ] {
        assert!(rules.contains(&rule), "{rule} missing from {rules:?}");
    }
    for v in entry["violations"].as_array().unwrap() {
        assert!(!v["fix"].as_str().unwrap().is_empty(), "{v}");
        assert!(!v["severity"].as_str().unwrap().is_empty(), "{v}");
    }
    assert_eq!(entry["summary"]["path"], "/_payment");
    assert_eq!(entry["summary"]["headers"]["authorization"], "Basic ***");
    let body = entry["summary"]["body"].as_str().unwrap();
    assert!(
        body.contains("email=not-an-email") && body.contains("hash=***"),
        "{body}"
    );
    assert_no_secret("GET /sandbox/report", &live.to_string());

    // Killed, not shut down: the file is already complete.
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let written = std::fs::read_to_string(&file).unwrap();
    assert_no_secret("the report file", &written);
    let written: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(written["entries"], live["entries"]);
    let _ = std::fs::remove_dir_all(&dir);
}
