//! `client-test` against an example merchant: a tiny axum app with PayU's S2S callback endpoint
//! and an order-state endpoint, in a good variant and three deliberately broken ones. Every case
//! passes on the good merchant; each broken variant fails (or, for a `should` case, warns on)
//! exactly the case that targets its bug.

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
}

struct OrderRec {
    amount: String,
    status: &'static str,
    credits: u32,
}

struct Shop {
    variant: Merchant,
    orders: HashMap<String, OrderRec>,
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
    let shop = Arc::new(Mutex::new(Shop { variant, orders }));
    let app = Router::new()
        .route("/payu/callback", post(callback))
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
    ];
    // What each variant's bug breaks, derived from the bug: a missing hash check pays on a
    // forged hash and on a flipped status (both `must`); ignoring the amount pays for another
    // amount (`should`); no replay protection credits a repeat and a replay again (`should`).
    let expected: [(Merchant, &[(&str, &str)]); 4] = [
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
