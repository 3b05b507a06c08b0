//! The case "the callback arrives before the payment request has completed"
//! (`client.payu.callback.before-payment-answer`, `--payment-trigger-url`).
//!
//! The tool serves a payment sandbox of its own on loopback and asks the merchant, through its
//! payment trigger, to start a payment there. When the merchant's S2S `_payment` request
//! arrives, the sandbox holds its answer, posts the success callback for that txnid (reverse hash
//! over the request's own fields) to the merchant's callback URL, waits for the merchant to
//! answer it, and only then answers the `_payment` request with the seed's `pending` response.
//! Seed 004 step 4: "PayU can also send a server-to-server callback response whenever the
//! transaction status gets updated": nothing makes the callback wait for the `_payment` answer.
//! The merchant should keep it: the order ends paid, not pending (the late answer undid the
//! callback) nor unknown (the callback was dropped because the order was not recorded yet). No
//! sentence states it, so the case is `should`.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use serde_json::{Value, json};
use upi_spec::Severity;
use upi_spec::crypto::payu_hash::Salt;

use super::callback::{Callback, Facts};
use super::send;
use super::{ClientTestError, RULE_BEFORE_ANSWER, RULE_WEAK_EVIDENCE, Run, finding};
use crate::runner::case::{CaseKind, Outcome};
use crate::runner::http::Exchange;

/// The sandbox's payment path, as PayU's (`https://test.payu.in/_payment`).
pub const PAYMENT_PATH: &str = "/_payment";
/// The amount the trigger asks the merchant to charge.
pub const AMOUNT: &str = "1.00";
const ID: &str = "before-payment-answer";
const TITLE: &str = "a success callback that arrives while the merchant's own _payment request is still in flight is kept: the order ends paid (seed 004 step 4: PayU sends the callback \"whenever the transaction status gets updated\"; inferred: should)";

/// The payment sandbox's state for one case.
struct Sandbox {
    callback_url: String,
    key: String,
    salt: Salt,
    mihpayid: String,
    http: reqwest::Client,
    seen: Mutex<Seen>,
}

/// What the sandbox saw.
#[derive(Debug, Default)]
struct Seen {
    /// The txnid of the first `_payment` request.
    txnid: Option<String>,
    /// The merchant's answer to the early callback (`None`: it did not answer).
    callback_status: Option<u16>,
    /// The `_payment` request and the early callback, in order.
    exchanges: Vec<Exchange>,
}

fn answer(status: StatusCode, body: &Value) -> (StatusCode, String) {
    (status, body.to_string())
}

/// `POST /_payment`: the early callback first, then the `pending` answer.
async fn payment(State(sandbox): State<Arc<Sandbox>>, body: Bytes) -> (StatusCode, String) {
    let form: BTreeMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let received = Exchange {
        request_line: format!("POST {PAYMENT_PATH} (received by the payment sandbox)"),
        request_body: String::from_utf8_lossy(&body).chars().take(send::KEEP).collect(),
        ..Exchange::default()
    };
    let (txnid, amount) = match (form.get("txnid"), form.get("amount")) {
        (Some(t), Some(a)) if !t.is_empty() && !a.is_empty() => (t.clone(), a.clone()),
        _ => {
            let why = json!({"error": "the _payment form needs txnid and amount"});
            lock(&sandbox.seen).exchanges.push(Exchange {
                status: Some(400),
                response_body: why.to_string(),
                ..received
            });
            return answer(StatusCode::BAD_REQUEST, &why);
        }
    };
    {
        let mut seen = lock(&sandbox.seen);
        if seen.txnid.is_some() {
            return answer(
                StatusCode::CONFLICT,
                &json!({"error": "this sandbox takes one payment per case"}),
            );
        }
        seen.txnid = Some(txnid.clone());
        seen.exchanges.push(received);
    }
    let facts = Facts {
        key: &sandbox.key,
        txnid: &txnid,
        amount: &amount,
        status: "success",
        mihpayid: &sandbox.mihpayid,
    };
    let callback = match Callback::echoing(&facts, &form, &sandbox.salt) {
        Ok(c) => c,
        Err(e) => return answer(StatusCode::INTERNAL_SERVER_ERROR, &json!({"error": e.to_string()})),
    };
    let (status, mut posted) = send::post(&sandbox.http, &sandbox.callback_url, send::FORM, callback.body()).await;
    posted
        .request_line
        .push_str(" (the callback, before the _payment answer)");
    let status = status.ok();
    {
        let mut seen = lock(&sandbox.seen);
        seen.callback_status = status;
        seen.exchanges.push(posted);
    }
    // The answer seed 004 shows for an S2S intent request: still pending.
    let body = json!({
        "metaData": {"message": null, "referenceId": format!("{:064x}", 0xC0FFEE_u64), "statusCode": null,
            "txnId": txnid, "txnStatus": "pending", "unmappedStatus": "pending"},
        "result": {"paymentId": sandbox.mihpayid, "merchantName": "upi-conformance", "merchantVpa": "conformance@payu",
            "amount": amount, "intentURIData": format!("pa=conformance@payu&pn=upi-conformance&tr={}&am={amount}&cu=INR", sandbox.mihpayid)},
    });
    answer(StatusCode::OK, &body)
}

/// The guard of `seen`; a poisoned lock (a panicked handler) still holds what was recorded.
fn lock(seen: &Mutex<Seen>) -> std::sync::MutexGuard<'_, Seen> {
    seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Run<'_> {
    /// The case: skipped without `--payment-trigger-url`.
    pub(super) async fn callback_before_answer(&mut self) -> Result<(), ClientTestError> {
        let mut case = Self::start();
        let Some(trigger) = self.config.payment_trigger.clone() else {
            let reason = "needs --payment-trigger-url: the merchant must start a payment against the tool's sandbox for the callback to overtake it".to_owned();
            self.finish(
                case,
                ID,
                CaseKind::Flow,
                TITLE,
                RULE_BEFORE_ANSWER,
                Some(Outcome::Skipped { reason }),
            );
            return Ok(());
        };
        self.mihpayid += 1;
        let http = reqwest::Client::builder()
            .timeout(callback_wait(self.config.timeout))
            .build()
            .map_err(|e| ClientTestError::Client(e.to_string()))?;
        let sandbox = Arc::new(Sandbox {
            callback_url: self.config.callback_url.clone(),
            key: self.config.key.clone(),
            salt: self.config.salt.clone(),
            mihpayid: self.mihpayid.to_string(),
            http,
            seen: Mutex::new(Seen::default()),
        });
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .map_err(|e| ClientTestError::Sandbox(format!("binding the payment sandbox: {e}")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| ClientTestError::Sandbox(e.to_string()))?;
        let app = Router::new()
            .route(PAYMENT_PATH, post(payment))
            .with_state(sandbox.clone());
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        let base = format!("http://{addr}");
        let triggered = self.trigger(&trigger, &base).await;
        server.abort();
        let seen = std::mem::take(&mut *lock(&sandbox.seen));
        case.exchanges.extend(seen.exchanges);
        let (code, exchange) = triggered;
        case.exchanges.push(exchange);
        let outcome = match (code, seen.txnid) {
            (Err(e), _) => {
                case.findings.push(finding(RULE_BEFORE_ANSWER, Severity::Should, e));
                None
            }
            (Ok(code), None) => Some(Outcome::Skipped {
                reason: format!(
                    "the merchant sent no _payment request to {base}{PAYMENT_PATH} (its trigger answered HTTP {code})"
                ),
            }),
            (Ok(_), Some(txnid)) => {
                self.judge_in_flight(&mut case, &txnid, seen.callback_status).await;
                None
            }
        };
        self.finish(case, ID, CaseKind::Flow, TITLE, RULE_BEFORE_ANSWER, outcome);
        Ok(())
    }

    /// Posts the payment trigger; its HTTP status (or why it did not answer) and the exchange.
    async fn trigger(&self, url: &str, base: &str) -> (Result<u16, String>, Exchange) {
        let body = json!({
            "sandbox_url": base,
            "payment_url": format!("{base}{PAYMENT_PATH}"),
            "amount": AMOUNT,
        })
        .to_string();
        let (status, exchange) = send::post(&self.client, url, send::JSON, body).await;
        (
            status.map_err(|e| format!("the payment trigger did not answer: {e}")),
            exchange,
        )
    }

    /// The order of `txnid` must be paid once the merchant's payment request has completed.
    async fn judge_in_flight(&self, case: &mut super::Case, txnid: &str, callback: Option<u16>) {
        let answered = callback.map_or_else(|| "not answered".to_owned(), |c| format!("answered HTTP {c}"));
        match self.state(case, txnid).await {
            Some(s) if s.paid => {}
            Some(s) => case.findings.push(finding(
                RULE_BEFORE_ANSWER,
                Severity::Should,
                format!(
                    "order {txnid} is {} after a valid success callback that arrived while its _payment request was in flight (the callback was {answered}): the callback was lost, or the later pending answer undid it",
                    s.status.map_or_else(|| "without a status".to_owned(), |v| format!("{v:?}"))
                ),
            )),
            None if self.config.oracle.is_none() => {
                let (severity, what) = match callback {
                    Some(code) if (200..300).contains(&code) => (Severity::Info, format!("answered HTTP {code}")),
                    _ => (Severity::Should, answered),
                };
                case.findings.push(finding(
                    RULE_WEAK_EVIDENCE,
                    severity,
                    format!("the callback that overtook the _payment answer was {what}; without --order-status-url the order state is not read (weaker evidence)"),
                ));
            }
            None => {}
        }
    }
}

/// How long the sandbox waits for the merchant to answer the early callback: half the
/// per-request timeout, so the `_payment` answer still reaches the merchant in time.
fn callback_wait(timeout: Duration) -> Duration {
    timeout / 2
}
