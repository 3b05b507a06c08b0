//! `client-test` against an example merchant: a tiny axum app with PayU's S2S callback endpoint,
//! an order-state endpoint and a payment trigger (it starts a payment with an S2S `_payment`
//! request to the URL the trigger names), in a good variant and five deliberately broken ones.
//! Every case passes on the good merchant; each broken variant fails (or, for a `should` case,
//! warns on) exactly the case that targets its bug.

use std::collections::{BTreeMap, HashMap};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde_json::{Value, json};
use upi_conformance::client_test::oracle::Oracle;
use upi_conformance::client_test::{Config, Order, run};
use upi_conformance::runner::Report;
use upi_spec::crypto::payu_hash::{self, Salt};
use upi_spec::crypto::payu_sequence::HashFamily;

const KEY: &str = "TESTKEY";
const SALT: &str = "testsalt123";
const ORDERS: [(&str, &str); 4] = [
    ("ORD-A", "800.00"),
    ("ORD-B", "250.00"),
    ("ORD-C", "99.50"),
    ("ORD-D", "10.00"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Merchant {
    Good,
    NoHashCheck,
    HashCheckIgnoringAmount,
    NoReplayProtection,
    /// Records a new order only once its `_payment` answer is back: a callback that overtakes
    /// the answer finds no order and is dropped.
    RecordsOrderAfterAnswer,
    /// Sets the order's status from the `_payment` answer (`pending`), over a callback that
    /// already paid it.
    AnswerOverwritesCallback,
}

struct OrderRec {
    amount: String,
    status: &'static str,
    credits: u32,
}

struct Shop {
    variant: Merchant,
    orders: HashMap<String, OrderRec>,
    started: u32,
}

type Shared = Arc<Mutex<Shop>>;

async fn callback(State(shop): State<Shared>, Form(params): Form<BTreeMap<String, String>>) -> StatusCode {
    let mut shop = shop.lock().expect("lock");
    let variant = shop.variant;
    let received = params.get("hash").cloned().unwrap_or_default();
    if variant != Merchant::NoHashCheck
        && payu_hash::verify(HashFamily::Response, &params, &Salt::new(SALT), &received).is_err()
    {
        return StatusCode::BAD_REQUEST;
    }
    let txnid = params.get("txnid").cloned().unwrap_or_default();
    let Some(order) = shop.orders.get_mut(&txnid) else {
        return StatusCode::NOT_FOUND;
    };
    let amount = params.get("amount").map(String::as_str).unwrap_or_default();
    if variant != Merchant::HashCheckIgnoringAmount && amount != order.amount {
        return StatusCode::BAD_REQUEST;
    }
    match params.get("status").map(String::as_str) {
        Some("success") => {
            if order.status != "paid" || variant == Merchant::NoReplayProtection {
                order.credits += 1;
            }
            order.status = "paid";
        }
        Some(_) if order.status == "pending" => order.status = "failed",
        _ => {}
    }
    StatusCode::OK
}

fn pending(amount: &str) -> OrderRec {
    OrderRec {
        amount: amount.to_owned(),
        status: "pending",
        credits: 0,
    }
}

/// The payment trigger: a new order, an S2S `_payment` request (request hash over the seed's
/// sequence) to `payment_url`, and the answer recorded as the variant does.
async fn pay(State(shop): State<Shared>, Json(trigger): Json<Value>) -> (StatusCode, Json<Value>) {
    let url = trigger["payment_url"].as_str().unwrap_or_default().to_owned();
    let amount = trigger["amount"].as_str().unwrap_or("1.00").to_owned();
    let (txnid, variant) = {
        let mut shop = shop.lock().expect("lock");
        shop.started += 1;
        let txnid = format!("PAY-{}", shop.started);
        if shop.variant != Merchant::RecordsOrderAfterAnswer {
            shop.orders.insert(txnid.clone(), pending(&amount));
        }
        (txnid, shop.variant)
    };
    let mut form: BTreeMap<String, String> = [
        ("key", KEY),
        ("txnid", &txnid),
        ("amount", &amount),
        ("productinfo", "Shoes"),
        ("firstname", "Asha"),
        ("email", "asha@example.com"),
        ("phone", "9999999999"),
        ("pg", "UPI"),
        ("bankcode", "INTENT"),
        ("txn_s2s_flow", "4"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let hash = payu_hash::compute(HashFamily::Request, &form, &Salt::new(SALT)).expect("hashes");
    form.insert("hash".into(), hash);
    let answer = reqwest::Client::new().post(&url).form(&form).send().await;
    let Ok(answer) = answer else {
        return (StatusCode::BAD_GATEWAY, Json(json!({"error": "no answer"})));
    };
    let answer: Value = serde_json::from_str(&answer.text().await.unwrap_or_default()).unwrap_or(Value::Null);
    let status = answer["metaData"]["txnStatus"].as_str().unwrap_or("failed");
    let mut shop = shop.lock().expect("lock");
    match variant {
        Merchant::RecordsOrderAfterAnswer => {
            shop.orders.entry(txnid.clone()).or_insert_with(|| pending(&amount));
        }
        Merchant::AnswerOverwritesCallback => {
            if let Some(order) = shop.orders.get_mut(&txnid) {
                order.status = if status == "pending" { "pending" } else { "failed" };
            }
        }
        // The good merchant: the answer only says the payment started; a callback decides.
        _ => {}
    }
    (StatusCode::OK, Json(json!({"txnid": txnid, "answer": status})))
}

async fn order_state(State(shop): State<Shared>, Path(txnid): Path<String>) -> Result<Json<Value>, StatusCode> {
    let shop = shop.lock().expect("lock");
    let order = shop.orders.get(&txnid).ok_or(StatusCode::NOT_FOUND)?;
    Ok(Json(
        json!({"txnid": txnid, "status": order.status, "credits": order.credits}),
    ))
}

async fn start(variant: Merchant) -> String {
    let orders = ORDERS
        .iter()
        .map(|(t, a)| {
            (
                (*t).to_owned(),
                OrderRec {
                    amount: (*a).to_owned(),
                    status: "pending",
                    credits: 0,
                },
            )
        })
        .collect();
    let shop = Arc::new(Mutex::new(Shop {
        variant,
        orders,
        started: 0,
    }));
    let app = Router::new()
        .route("/payu/callback", post(callback))
        .route("/pay", post(pay))
        .route("/orders/{txnid}", get(order_state))
        .with_state(shop);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

fn config(base: &str, oracle: bool) -> Config {
    Config {
        callback_url: format!("{base}/payu/callback"),
        oracle: oracle.then(|| Oracle {
            template: format!("{base}/orders/{{txnid}}"),
            status_field: "status".into(),
            paid_values: vec!["paid".into()],
            credit_field: Some("credits".into()),
        }),
        key: KEY.into(),
        salt: Salt::new(SALT),
        orders: ORDERS
            .iter()
            .map(|(t, a)| Order {
                txnid: (*t).into(),
                amount: (*a).into(),
            })
            .collect(),
        timeout: Duration::from_secs(5),
        payment_trigger: Some(format!("{base}/pay")),
    }
}

/// Case ID suffix → verdict, for every case of the report.
fn verdicts(report: &Report) -> BTreeMap<String, String> {
    report
        .cases
        .iter()
        .map(|c| {
            (
                c.id.trim_start_matches("client.payu.callback.").to_owned(),
                c.outcome.label().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_case_passes_on_the_good_merchant_and_each_broken_one_fails_its_case() {
    let all = [
        "valid",
        "duplicate",
        "replay",
        "forged-hash",
        "amount-mismatch",
        "status-flipped",
        "unknown-txnid",
        "before-payment-answer",
    ];
    // What each variant's bug breaks, derived from the bug: a missing hash check pays on a
    // forged hash and on a flipped status (both `must`); ignoring the amount pays for another
    // amount (`should`); no replay protection credits a repeat and a replay again (`should`).
    // A merchant that records the order after the `_payment` answer, or lets that answer
    // overwrite the order's status, loses the callback that overtook the answer (`should`).
    let expected: [(Merchant, &[(&str, &str)]); 6] = [
        (Merchant::Good, &[]),
        (
            Merchant::NoHashCheck,
            &[("forged-hash", "fail"), ("status-flipped", "fail")],
        ),
        (Merchant::HashCheckIgnoringAmount, &[("amount-mismatch", "warning")]),
        (
            Merchant::NoReplayProtection,
            &[("duplicate", "warning"), ("replay", "warning")],
        ),
        (
            Merchant::RecordsOrderAfterAnswer,
            &[("before-payment-answer", "warning")],
        ),
        (
            Merchant::AnswerOverwritesCallback,
            &[("before-payment-answer", "warning")],
        ),
    ];
    for (variant, broken) in expected {
        let base = start(variant).await;
        let report = run(&config(&base, true)).await.expect("the client test runs");
        let got = verdicts(&report);
        let want: BTreeMap<String, String> = all
            .iter()
            .map(|id| {
                let verdict = broken.iter().find(|(b, _)| b == id).map_or("pass", |(_, v)| v);
                ((*id).to_owned(), verdict.to_owned())
            })
            .collect();
        assert_eq!(got, want, "{variant:?}");
        assert_catalogued(&report);
        assert_eq!(report.failed(), broken.iter().any(|(_, v)| *v == "fail"), "{variant:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_oracle_the_http_status_is_reported_as_weaker_evidence() {
    let base = start(Merchant::NoHashCheck).await;
    let report = run(&config(&base, false)).await.expect("runs");
    let got = verdicts(&report);
    assert_eq!(got["valid"], "info");
    assert_eq!(
        got["forged-hash"], "warning",
        "a 200 to a forged callback is suspicious, not proven"
    );
    assert_eq!(got["replay"], "skipped");
    let forged = report
        .cases
        .iter()
        .find(|c| c.id.ends_with("forged-hash"))
        .expect("case");
    assert!(
        forged.findings[0].message.contains("weaker evidence"),
        "{:?}",
        forged.findings
    );
    assert!(!report.failed());
    let good = start(Merchant::Good).await;
    let report = run(&config(&good, false)).await.expect("runs");
    assert_eq!(verdicts(&report)["forged-hash"], "info", "refused with HTTP 400");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_runs_as_the_readme_shows_and_exits_1_on_a_broken_merchant() {
    for (variant, code) in [(Merchant::Good, 0), (Merchant::NoHashCheck, 1)] {
        let base = start(variant).await;
        let out = tokio::task::spawn_blocking(move || {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_upi-conformance"));
            cmd.args([
                "client-test",
                "--callback-url",
                &format!("{base}/payu/callback"),
                "--order-status-url",
                &format!("{base}/orders/{{txnid}}"),
                "--credit-field",
                "credits",
                "--payment-trigger-url",
                &format!("{base}/pay"),
                "--key",
                KEY,
                "--salt",
                SALT,
            ]);
            for (t, a) in ORDERS {
                cmd.args(["--order", &format!("{t}={a}")]);
            }
            cmd.output().expect("runs")
        })
        .await
        .expect("joins");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(code), "{variant:?}: {stdout}");
        if code == 1 {
            assert!(
                stdout.contains("merchant.payu.callback.verifies-reverse-hash"),
                "{stdout}"
            );
        }
        assert!(!stdout.contains("needs --payment-trigger-url"), "{stdout}");
    }
    let bad = Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
        .args([
            "client-test",
            "--callback-url",
            "http://127.0.0.1:9/",
            "--key",
            "k",
            "--salt",
            "s",
            "--order",
            "A=1.00",
        ])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("needs 4 pending orders"));
}

/// Every rule the report names is a catalogue rule (`rules show` explains it).
fn assert_catalogued(report: &Report) {
    let known: std::collections::BTreeSet<String> = upi_spec::catalogue::all().into_iter().map(|r| r.id).collect();
    for case in &report.cases {
        for rule in case.rules.iter().chain(case.findings.iter().map(|f| &f.rule)) {
            assert!(known.contains(rule), "{}: {rule} is not in the catalogue", case.id);
        }
    }
}

/// The case's evidence: the merchant's `_payment` request reached the sandbox, the callback was
/// posted before it was answered, and the finding names the rule; without a trigger the case
/// is skipped with the reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_callback_overtakes_the_payment_answer_and_a_lost_one_is_named() {
    let base = start(Merchant::RecordsOrderAfterAnswer).await;
    let report = run(&config(&base, true)).await.expect("runs");
    let case = report
        .cases
        .iter()
        .find(|c| c.id == "client.payu.callback.before-payment-answer")
        .expect("the case");
    let lines: Vec<&str> = case.exchanges.iter().map(|e| e.request_line.as_str()).collect();
    assert!(lines[0].starts_with("POST /_payment"), "{lines:?}");
    assert!(
        lines[1].contains("/payu/callback (the callback, before the _payment answer)"),
        "{lines:?}"
    );
    assert_eq!(case.exchanges[1].status, Some(404), "the order was not recorded yet");
    assert!(case.exchanges[2].request_line.ends_with("/pay"), "{lines:?}");
    assert_eq!(case.findings[0].rule, "merchant.payu.callback.before-payment-answer");
    assert!(case.findings[0].message.contains("PAY-1"), "{:?}", case.findings);
    let mut without = config(&base, true);
    without.payment_trigger = None;
    let report = run(&without).await.expect("runs");
    assert_eq!(verdicts(&report)["before-payment-answer"], "skipped");
}
