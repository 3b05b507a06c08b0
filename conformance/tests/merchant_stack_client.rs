//! `client-test --merchant-stack-url` against an example merchant's registerIntent client: a
//! tiny axum app whose trigger endpoint registers an intent at the sandbox named in the trigger
//! (contract: docs/MERCHANT_STACK_CLIENT.md). The good client verifies `x-response-signature`
//! with the PSP's public key; the broken one skips that check. Every case passes on the good
//! client; the broken one is caught by the signature case (a `should` case: seed 003 does not
//! state the check, DOMAIN.md implies it), and the CLI runs as the README shows. The same
//! clients driven by a command (`--merchant-stack-cmd`: here `curl` forwarding the trigger JSON
//! from its standard input, exit status 0 on a 2xx) give the same verdicts.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};
use upi_conformance::client_test::merchant_stack::{self, Driver, MerchantStackConfig};
use upi_conformance::runner::Report;
use upi_conformance::runner::case::Outcome;
use upi_spec::crypto::keys::{private_key_from_pem, public_key_from_pem};
use upi_spec::crypto::rsa_sig::SignatureAlgorithm;
use upi_spec::crypto::{jws, response_signature};

const MERCHANT_PEM: &str = include_str!("../../golden/keys/merchant_signing.pem");
const PSP_PUBLIC_PEM: &str = include_str!("../../golden/keys/psp_response_signing.pub.pem");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Client {
    Good,
    /// Trusts the answer without verifying x-response-signature.
    SkipsSignatureCheck,
}

/// The trigger endpoint: registers an intent (V3) at `register_intent_url` and answers 200
/// with the deeplink facts if the answer is accepted, 502 if refused.
async fn create_intent(State(client): State<Arc<Client>>, Json(trigger): Json<Value>) -> (StatusCode, Json<Value>) {
    let url = trigger["register_intent_url"].as_str().unwrap_or_default().to_owned();
    let id = trigger["merchant_request_id"].as_str().unwrap_or_default().to_owned();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis()
        .to_string();
    let payload = json!({
        "merchantRequestId": id, "amount": trigger["amount"], "remarks": "Payment for order",
        "refUrl": "https://www.xyz.com", "refCategory": "01", "intentRequestExpiryMinutes": "10",
        "flow": "TRANSACTION", "iat": now,
    });
    let key = private_key_from_pem(MERCHANT_PEM).unwrap();
    let body = jws::sign(&key, SignatureAlgorithm::Rs256, "merchant-key-1", &payload.to_string())
        .unwrap()
        .to_json();
    let answer = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/json")
        .header("x-merchant-id", "TEST")
        .header("x-merchant-channel-id", "TESTAPP")
        .header("x-timestamp", &now)
        .header("jpupi-routing-id", &id)
        .header("x-api-version", "3")
        .body(body)
        .send()
        .await;
    let Ok(answer) = answer else {
        return (StatusCode::BAD_GATEWAY, Json(json!({"error": "sandbox unreachable"})));
    };
    let signature = answer
        .headers()
        .get("x-response-signature")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = answer.bytes().await.unwrap_or_default();
    if *client == Client::Good {
        let key = public_key_from_pem(PSP_PUBLIC_PEM).unwrap();
        let verified = signature.is_some_and(|s| response_signature::verify(&key, &bytes, &s).is_ok());
        if !verified {
            return (
                StatusCode::BAD_GATEWAY,
                Json(json!({"error": "x-response-signature does not verify"})),
            );
        }
    }
    let parsed: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    if parsed["status"] != "SUCCESS" {
        return (
            StatusCode::BAD_GATEWAY,
            Json(json!({"error": "registerIntent refused", "answer": parsed})),
        );
    }
    (StatusCode::OK, Json(json!({"pay_to": parsed["payload"]["payeeVpa"]})))
}

async fn start(client: Client) -> String {
    let app = Router::new()
        .route("/create-intent", post(create_intent))
        .with_state(Arc::new(client));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/create-intent")
}

fn outcomes(report: &Report) -> BTreeMap<String, String> {
    report
        .cases
        .iter()
        .map(|c| {
            let verdict = match &c.outcome {
                Outcome::Pass => "pass".to_owned(),
                Outcome::Warning => "warning".to_owned(),
                Outcome::Fail => "fail".to_owned(),
                other => format!("{other:?}"),
            };
            (c.id.trim_start_matches("client.merchant-stack.").to_owned(), verdict)
        })
        .collect()
}

/// A command that hands the trigger JSON on its standard input to the client's trigger URL and
/// exits 0 only on a 2xx (`curl --fail`), printing the client's answer.
fn forwarding(url: &str) -> String {
    format!("curl -sS --fail -X POST -H 'content-type: application/json' --data-binary @- '{url}'")
}

async fn run_with(driver: Driver) -> Report {
    let config = MerchantStackConfig {
        driver,
        sandbox_addr: None,
        timeout: std::time::Duration::from_secs(10),
    };
    let report = merchant_stack::run(&config).await.unwrap();
    let known: std::collections::BTreeSet<String> = upi_spec::catalogue::all().into_iter().map(|r| r.id).collect();
    for case in &report.cases {
        for rule in case.rules.iter().chain(case.findings.iter().map(|f| &f.rule)) {
            assert!(known.contains(rule), "{}: {rule} is not in the catalogue", case.id);
        }
    }
    report
}

async fn run(client: Client) -> Report {
    run_with(Driver::Url(start(client).await)).await
}

/// Driven by a command, the good client passes and the broken one is caught, as by URL; the
/// command's run is the case's evidence (its exit status and output).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn driven_by_a_command_the_verdicts_are_the_same() {
    let command = |url: &str| Driver::Command(upi_conformance::client_test::command::split(&forwarding(url)).unwrap());
    let good = run_with(command(&start(Client::Good).await)).await;
    assert_eq!(
        outcomes(&good),
        BTreeMap::from([
            ("accepts-valid".to_owned(), "pass".to_owned()),
            ("verifies-response-signature".to_owned(), "pass".to_owned()),
        ])
    );
    assert!(good.target.starts_with("command: curl"), "{}", good.target);
    let broken = run_with(command(&start(Client::SkipsSignatureCheck).await)).await;
    assert_eq!(outcomes(&broken)["verifies-response-signature"], "warning");
    let case = broken
        .cases
        .iter()
        .find(|c| c.id.ends_with("verifies-response-signature"))
        .unwrap();
    let run = case
        .exchanges
        .iter()
        .find(|e| e.request_line.starts_with("RUN curl"))
        .unwrap();
    assert!(
        run.response_body.starts_with("exit status 0\n") && run.response_body.contains("tampered@sandbox"),
        "{}",
        run.response_body
    );
    // A command that cannot start, or never ends, is a finding with the reason, not a panic.
    for (argv, why) in [
        (vec!["/nonexistent/merchant-client".to_owned()], "cannot start"),
        (vec!["sh".into(), "-c".into(), "exec sleep 30".into()], "did not finish"),
    ] {
        let config = MerchantStackConfig {
            driver: Driver::Command(argv),
            sandbox_addr: None,
            timeout: std::time::Duration::from_millis(300),
        };
        let report = merchant_stack::run(&config).await.unwrap();
        let first = &report.cases[0];
        assert_eq!(first.outcome, Outcome::Warning, "{:?}", first.findings);
        assert!(first.findings[0].message.contains(why), "{:?}", first.findings);
        assert!(matches!(report.cases[1].outcome, Outcome::Skipped { .. }));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_good_client_passes_and_the_one_skipping_the_signature_check_is_caught() {
    let good = outcomes(&run(Client::Good).await);
    assert_eq!(
        good,
        BTreeMap::from([
            ("accepts-valid".to_owned(), "pass".to_owned()),
            ("verifies-response-signature".to_owned(), "pass".to_owned()),
        ])
    );
    let report = run(Client::SkipsSignatureCheck).await;
    let broken = outcomes(&report);
    assert_eq!(broken["accepts-valid"], "pass");
    assert_eq!(broken["verifies-response-signature"], "warning", "{broken:?}");
    let case = report
        .cases
        .iter()
        .find(|c| c.id.ends_with("verifies-response-signature"))
        .unwrap();
    assert_eq!(case.findings[0].rule, merchant_stack::RULE_VERIFIES_SIGNATURE);
    // The broken client reported the tampered payee as the one to pay.
    let trigger = case
        .exchanges
        .iter()
        .find(|e| e.request_line.contains("/create-intent"))
        .unwrap();
    assert!(
        trigger.response_body.contains("tampered@sandbox"),
        "{}",
        trigger.response_body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_runs_as_the_readme_shows() {
    let good = start(Client::Good).await;
    let broken = start(Client::SkipsSignatureCheck).await;
    let cli = |flag: &'static str, value: String| {
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
                .args(["client-test", flag, &value, "--format", "json"])
                .output()
                .unwrap()
        })
    };
    // By URL and, as the README's second command shows, by a command.
    for (flag, good, broken) in [
        ("--merchant-stack-url", good.clone(), broken.clone()),
        ("--merchant-stack-cmd", forwarding(&good), forwarding(&broken)),
    ] {
        let out = cli(flag, good).await.unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{flag}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = cli(flag, broken).await.unwrap();
        // `should` findings warn; the exit code stays 0, and the JSON names the rule.
        assert_eq!(
            out.status.code(),
            Some(0),
            "{flag}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let case = report["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "client.merchant-stack.verifies-response-signature")
            .unwrap();
        assert_eq!(case["outcome"]["verdict"], "warning", "{flag}: {case:#}");
        assert_eq!(
            case["findings"][0]["rule"],
            merchant_stack::RULE_VERIFIES_SIGNATURE.as_str()
        );
    }
    // An unbalanced quote is a usage error (exit 2), and the URL and the command exclude each other.
    let out = cli("--merchant-stack-cmd", "curl 'open".into()).await.unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let both = std::process::Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
        .args([
            "client-test",
            "--merchant-stack-url",
            "http://127.0.0.1:9/",
            "--merchant-stack-cmd",
            "true",
        ])
        .output()
        .unwrap();
    assert_eq!(both.status.code(), Some(2));
}
