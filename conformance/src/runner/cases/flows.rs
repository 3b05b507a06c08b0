//! The steps of the flows an API's facts name ([`Flow`], declared in the spec next to each API's
//! messages): multi-step cases whose steps run in order against the target's state (an order
//! created then paid, a registration sent twice, a payment completed in the sandbox, its
//! callback, verify_payment and udf_update).

use std::collections::BTreeMap;
use upi_spec::messages::ids;
use upi_spec::rule_ids as rules;

use serde_json::Value;
use upi_spec::crypto::payu_hash;
use upi_spec::crypto::payu_sequence::HashFamily;
use upi_spec::input::{DEFAULT_MAX_BYTES, Document};
use upi_spec::read::{Syntax, read};

use crate::runner::api::{self, ApiCase, Context};
use crate::runner::case::Finding;
use crate::runner::judge;
use crate::runner::outcome::CaseError;
use crate::runner::session::{Session, Trace, now_millis};

use super::security::send_expecting_rejection;

pub use upi_spec::model::flow::Flow;

/// The generated document numbers of the flows: distinct, so no two cases send the same
/// generated document (and none the acceptance cases' numbers `0..generated`).
const ORDER_DOCUMENT: u64 = 1_000;
const UNKNOWN_ORDER_DOCUMENT: u64 = 2_000;
const DUPLICATE_DOCUMENT: u64 = 3_000;
const DUPLICATE_TXNID_DOCUMENT: u64 = 5_000;
const CALLBACK_DOCUMENT: u64 = 8_000;
const FORMAT_DOCUMENT: u64 = 9_000;
/// The generated document number of the udf_update persistence flow's payment.
pub(super) const UDF_PERSIST_DOCUMENT: u64 = 10_000;
/// The generated document number of the `api_version` 7 hash flow's payments.
pub(super) const API_VERSION_7_DOCUMENT: u64 = 11_000;
/// The generated document numbers of the tid uniqueness flow's two payments.
pub(super) const TID_DOCUMENT: u64 = 12_000;

/// The `format` the redirect flow sends: not `json` (seed 001 names no other value).
const NOT_JSON_FORMAT: &str = "html";

/// Runs the flow's steps in order against `api`.
pub async fn run(flow: Flow, session: &Session, api: &ApiCase, trace: &mut Trace) -> Result<(), CaseError> {
    match flow {
        Flow::OrderTxnsDeeplink => order_txns_deeplink(session, api, trace).await,
        Flow::UnknownOrderRejected => unknown_order(session, api, trace).await,
        Flow::FormatRedirect => format_redirect(session, api, trace).await,
        Flow::DuplicateRejected => duplicate_registration(session, api, trace).await,
        Flow::DuplicateTxnidRejected => duplicate_txnid(session, api, trace).await,
        Flow::CallbackVerifyUdf => callback_verify_udf(session, api, trace).await,
        Flow::UdfUpdatePersisted => super::relation_flows::udf_update_persisted(session, api, trace).await,
        Flow::ApiVersion7Hash => super::relation_flows::api_version_7_hash(session, api, trace).await,
        Flow::IntentTidUnique => super::relation_flows::intent_tid_unique(session, api, trace).await,
        Flow::UdfUpdateUnknownTxnid => super::relation_flows::udf_update_unknown_txnid(session, api, trace).await,
        Flow::InvoiceUnknownPayuid => super::relation_flows::invoice_unknown_payuid(session, api, trace).await,
    }
}

async fn order_txns_deeplink(session: &Session, api: &ApiCase, trace: &mut Trace) -> Result<(), CaseError> {
    let (doc, x) = session.send_valid(api, None, ORDER_DOCUMENT, false, trace).await?;
    let findings = &mut trace.findings;
    findings.extend(judge::transport(&x));
    if let Some(order) = trace.exchanges.first()
        && let Some(answer) = judge::response_against(ids::EC_ORDERS_RESPONSE, order, findings)
    {
        // The order the case paid is the one it created: its order_id is the echo.
        let mut sent = serde_json::Map::new();
        if let Some(order_id) = doc.body.get("order_id") {
            sent.insert("order_id".into(), order_id.clone());
        }
        let request = Document {
            headers: None,
            body: Value::Object(sent),
        };
        judge::echoes(ids::EC_ORDERS_RESPONSE, &request, &answer, findings);
    }
    if api.rejected(x.status, &x.response_bytes) {
        findings.push(Finding::must(
            rules::accepted::EC_TXNS,
            "paying a fresh order was rejected",
        ));
    } else {
        judge::success(api, session.psp_key(), &doc, &x, findings);
        let body: Value = serde_json::from_slice(&x.response_bytes).unwrap_or(Value::Null);
        let amount = body
            .pointer("/payment/sdk_params/amount")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !upi_spec::validate::decimal_eq(amount, "100.00") {
            findings.push(Finding::must(
                rules::deeplink::CONSISTENCY_AM,
                format!("sdk_params.amount {amount:?} is not the order's amount 100.00"),
            ));
        }
    }
    trace.exchanges.push(x);
    Ok(())
}

async fn unknown_order(session: &Session, api: &ApiCase, trace: &mut Trace) -> Result<(), CaseError> {
    let ctx = Context {
        order_id: Some(api::unique_id(&mut trace.rng, "NOPE", 20)),
        ..Context::default()
    };
    let doc = session.valid_with_context(api, None, UNKNOWN_ORDER_DOCUMENT, false, &ctx, &mut trace.rng)?;
    send_expecting_rejection(session, api, &doc, rules::behaviour::EC_TXNS_ORDER_EXISTS, trace).await
}

/// Seed 001, `format`: "If it is set to `json`, then the response will be HTTP 200 with a JSON
/// formatted text. Otherwise, the response is HTTP 302 with the Location attribute having the
/// destination URL." Pays a fresh order with `format` set to another value.
async fn format_redirect(session: &Session, api: &ApiCase, trace: &mut Trace) -> Result<(), CaseError> {
    let ctx = session.context(api, &mut trace.rng, &mut trace.exchanges).await?;
    let mut doc = session.valid_with_context(api, None, FORMAT_DOCUMENT, false, &ctx, &mut trace.rng)?;
    if let Some(body) = doc.body.as_object_mut() {
        body.insert("format".into(), Value::String(NOT_JSON_FORMAT.into()));
    }
    let x = session.send_document(api, &doc).await?;
    trace.findings.extend(judge::transport(&x));
    if x.status.is_some() {
        trace
            .findings
            .extend(super::relations::ec_txns_format_redirect(api.suite, &doc, &x).unwrap_or_default());
    }
    trace.exchanges.push(x);
    Ok(())
}

async fn duplicate_registration(session: &Session, api: &ApiCase, trace: &mut Trace) -> Result<(), CaseError> {
    let (doc, first) = session.send_valid(api, None, DUPLICATE_DOCUMENT, false, trace).await?;
    trace.findings.extend(judge::transport(&first));
    let accepted = !api.rejected(first.status, &first.response_bytes);
    trace.exchanges.push(first);
    if !accepted {
        trace.findings.push(Finding::must(
            api.accepted,
            "the first, valid registration was rejected",
        ));
        return Ok(());
    }
    let mut again = doc.clone();
    if let Some(h) = again
        .headers
        .as_mut()
        .and_then(|h| h.iter_mut().find(|(k, _)| k == "x-timestamp"))
    {
        h.1 = now_millis().to_string();
    }
    let x = session.send_document(api, &again).await?;
    trace.findings.extend(judge::transport(&x));
    judge::rejection(
        api,
        judge::Broken::must(rules::behaviour::REGISTER_INTENT_MERCHANT_REQUEST_ID_UNIQUE.as_str()),
        &x,
        &mut trace.findings,
    );
    trace.exchanges.push(x);
    Ok(())
}

async fn duplicate_txnid(session: &Session, api: &ApiCase, trace: &mut Trace) -> Result<(), CaseError> {
    let (doc, first) = session
        .send_valid(api, None, DUPLICATE_TXNID_DOCUMENT, false, trace)
        .await?;
    let accepted = !api.rejected(first.status, &first.response_bytes);
    trace.findings.extend(judge::transport(&first));
    trace.exchanges.push(first);
    if !accepted {
        trace.findings.push(Finding::must(
            rules::accepted::PAYU_PAYMENT,
            "the first, valid payment was rejected",
        ));
        return Ok(());
    }
    send_expecting_rejection(session, api, &doc, rules::behaviour::PAYU_PAYMENT_TXNID_UNIQUE, trace).await
}

/// Asks `verify_payment` for one txnid; returns the status it reports.
async fn verify_payment(session: &Session, txnid: &str, trace: &mut Trace) -> Result<Option<String>, CaseError> {
    let transaction = verify_transaction(session, txnid, trace).await?;
    Ok(transaction
        .as_ref()
        .and_then(|t| t.get("status"))
        .and_then(Value::as_str)
        .map(str::to_string))
}

/// Asks `verify_payment` for one txnid; returns its `transaction_details` entry when the answer
/// reads as the success model.
pub(super) async fn verify_transaction(
    session: &Session,
    txnid: &str,
    trace: &mut Trace,
) -> Result<Option<Value>, CaseError> {
    let (post, _, x) = super::relation_flows::send_command(
        session,
        ids::PAYU_VERIFY_PAYMENT_REQUEST,
        "verify_payment",
        txnid,
        &[],
        trace,
    )
    .await?;
    let transaction = judge::response_against(post.success, &x, &mut trace.findings).and_then(|answer| {
        answer
            .body
            .get("transaction_details")
            .and_then(|d| d.get(txnid))
            .cloned()
    });
    trace.exchanges.push(x);
    Ok(transaction)
}

async fn callback_verify_udf(session: &Session, api: &ApiCase, trace: &mut Trace) -> Result<(), CaseError> {
    let sandbox = session.sandbox_control();
    if let Some(why) = sandbox.absent() {
        return Err(CaseError::skip(why.to_string()));
    }
    // The receiver is held for the whole flow: the callback URL is the target's, one at a time.
    let mut receiver = session.receiver().await?;
    let callback_url = sandbox.callback_url(&receiver.as_ref().map(|r| r.url()).unwrap_or_default());
    sandbox
        .pass_callback_url(session.client(), &callback_url, &mut trace.exchanges)
        .await?;
    let (doc, pay) = session.send_valid(api, None, CALLBACK_DOCUMENT, false, trace).await?;
    trace.findings.extend(judge::transport(&pay));
    let accepted = pay.status == Some(200) && !api.rejected(pay.status, &pay.response_bytes);
    let payment_id = serde_json::from_slice::<Value>(&pay.response_bytes)
        .ok()
        .and_then(|v| v.pointer("/result/paymentId").cloned())
        .and_then(|id| match id {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
    trace.exchanges.push(pay);
    if !accepted {
        trace.findings.push(Finding::must(
            rules::accepted::PAYU_PAYMENT,
            "the payment to complete was rejected",
        ));
        return Ok(());
    }
    let txnid = doc
        .body
        .get("txnid")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let before = verify_payment(session, &txnid, trace).await?;
    if before.as_deref() != Some("pending") {
        trace.findings.push(Finding::must(
            rules::behaviour::PAYU_VERIFY_PAYMENT_AGREES,
            format!("verify_payment says {before:?} for a payment _payment answered as pending"),
        ));
    }
    let amount = doc.body.get("amount").and_then(Value::as_str).unwrap_or_default();
    sandbox
        .complete(session.client(), &txnid, amount, &mut trace.exchanges)
        .await?;
    let received = match receiver.as_mut() {
        Some(r) => r.next(sandbox.callback_wait()).await,
        None => None,
    };
    drop(receiver);
    let Some(callback) = received else {
        trace.findings.push(Finding::must(
            rules::behaviour::PAYU_CALLBACK_DELIVERED,
            format!(
                "no S2S callback arrived within {} ms of completing the payment ({})",
                sandbox.callback_wait().as_millis(),
                sandbox.completion_described()
            ),
        ));
        return Ok(());
    };
    let paid = Paid {
        txnid: &txnid,
        amount,
        payment_id: payment_id.as_deref(),
    };
    judge_callback(session, &callback, &paid, &mut trace.findings)?;
    sandbox.settled(session.client(), &txnid, &mut trace.exchanges).await?;
    let status = verify_payment(session, &txnid, trace).await?;
    if status.as_deref() != Some("success") {
        trace.findings.push(Finding::must(
            rules::behaviour::PAYU_VERIFY_PAYMENT_AGREES,
            format!("verify_payment says {status:?} after a success callback"),
        ));
    }
    super::relation_flows::udf_update(session, &txnid, &[("var6", "INV000000005")], trace).await?;
    Ok(())
}

/// What the callback of a completed payment must be about.
struct Paid<'a> {
    /// The txnid posted.
    txnid: &'a str,
    /// The amount posted.
    amount: &'a str,
    /// The `result.paymentId` the `_payment` answer gave, if any.
    payment_id: Option<&'a str>,
}

/// The S2S callback must read as its model, carry a valid reverse hash and be about the
/// payment's `txnid`, the `amount` posted and (a should) its `paymentId`.
fn judge_callback(
    session: &Session,
    callback: &[u8],
    paid: &Paid<'_>,
    findings: &mut Vec<Finding>,
) -> anyhow::Result<()> {
    let Paid { txnid, amount, .. } = *paid;
    let callback_model = ids::PAYU_CALLBACK.message();
    match read(callback_model, callback, Syntax::Form, DEFAULT_MAX_BYTES) {
        Err(e) => findings.push(Finding::must(rules::field::PAYU_CALLBACK_FORM, e.to_string())),
        Ok(cb) => {
            findings.extend(
                upi_spec::validate::validate(callback_model, &cb)
                    .into_iter()
                    .map(|v| Finding {
                        rule: v.rule,
                        severity: v.severity,
                        message: format!("{}: {}", v.at, v.reason),
                    }),
            );
            let fields: BTreeMap<String, String> = cb
                .body
                .as_object()
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                        .collect()
                })
                .unwrap_or_default();
            let received_hash = fields.get("hash").cloned().unwrap_or_default();
            if let Err(e) = payu_hash::verify(
                HashFamily::Response,
                &fields,
                &payu_hash::Salt::new(&session.config().payu.salt),
                &received_hash,
            ) {
                findings.push(Finding::must(upi_spec::crypto::RuleError::rule_id(&e), e.to_string()));
            }
            if fields.get("txnid").map(String::as_str) != Some(txnid)
                || fields.get("status").map(String::as_str) != Some("success")
            {
                findings.push(Finding::must(
                    rules::behaviour::PAYU_CALLBACK_DELIVERED,
                    format!(
                        "the callback is for {:?} with status {:?}",
                        fields.get("txnid"),
                        fields.get("status")
                    ),
                ));
            }
            super::relations::payu_callback_amount(amount, fields.get("amount").map(String::as_str), findings);
            super::relations::payu_callback_mihpayid(
                paid.payment_id,
                fields.get("mihpayid").map(String::as_str),
                findings,
            );
        }
    }
    Ok(())
}
