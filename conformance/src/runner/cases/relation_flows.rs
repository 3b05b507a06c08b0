//! The flows that check a stated relation across requests: a PayU `udf_update` visible in a
//! later `verify_payment` (and refused for a txnid never paid), two payments' intents with
//! distinct `tid`s, and a `_payment` with
//! `api_version` 7 hashed per either reading of ERRATA C-02. The judging is in [`super::relations`]; the shared PayU steps in
//! [`super::flows`].

use rand::Rng;
use serde_json::Value;
use upi_spec::crypto::payu_hash::{self, Salt};
use upi_spec::crypto::payu_sequence::{self, HashFamily, UDF_6_TO_10};
use upi_spec::id::MessageId;
use upi_spec::input::Document;
use upi_spec::messages::ids;
use upi_spec::rule_ids as rules;

use super::flows::{API_VERSION_7_DOCUMENT, TID_DOCUMENT, UDF_PERSIST_DOCUMENT, verify_transaction};
use super::relations::{UDF_UPDATE_VARS, payu_intent_tids_distinct, payu_udf_update_persisted};
use crate::runner::api::{self, ApiCase, Context};
use crate::runner::case::Finding;
use crate::runner::config::Api;
use crate::runner::http::Exchange;
use crate::runner::judge;
use crate::runner::outcome::CaseError;
use crate::runner::session::{Session, Trace};

/// What the persistence flow posts in `var2`..`var6`: seed 004's non-autopay sample, with a
/// `var3` the sample leaves out, so every udf changes.
const UDF_VALUES: [&str; 5] = ["AAAPZ1234C", "Buyer2", "22/08/1972", "SellerName", "INV000000005"];

/// Pays, updates the payment's udfs with `var2`..`var6`, then asks `verify_payment`: the answer
/// to the update carries the udfs as posted, and verify_payment reports them.
pub async fn udf_update_persisted(session: &Session, api: &ApiCase, trace: &mut Trace) -> Result<(), CaseError> {
    let Some((txnid, _)) = pay(session, api, UDF_PERSIST_DOCUMENT, trace).await? else {
        return Ok(());
    };
    let vars: Vec<(&str, &str)> = UDF_UPDATE_VARS
        .iter()
        .zip(UDF_VALUES)
        .map(|((var, _), value)| (*var, value))
        .collect();
    let Some(update) = udf_update(session, &txnid, &vars, trace).await? else {
        return Ok(());
    };
    match verify_transaction(session, &txnid, trace).await? {
        Some(transaction) => payu_udf_update_persisted(&update, &transaction, &mut trace.findings),
        None => trace.findings.push(Finding {
            rule: rules::behaviour::PAYU_UDF_UPDATE_PERSISTED.to_string(),
            severity: upi_spec::Severity::Should,
            message: format!("verify_payment after the udf_update reports no transaction {txnid:?}"),
        }),
    }
    Ok(())
}

/// Pays twice: the two intents carry different `tid`s.
pub async fn intent_tid_unique(session: &Session, api: &ApiCase, trace: &mut Trace) -> Result<(), CaseError> {
    let Some((_, first)) = pay(session, api, TID_DOCUMENT, trace).await? else {
        return Ok(());
    };
    let Some((_, second)) = pay(session, api, TID_DOCUMENT + 1, trace).await? else {
        return Ok(());
    };
    payu_intent_tids_distinct(&first, &second, &mut trace.findings);
    Ok(())
}

/// udf_update of a payment with the `vars` (var2..var6) must be accepted and answered per its
/// model, udf1..udf5 as posted; returns the update sent when it was accepted.
pub(super) async fn udf_update(
    session: &Session,
    txnid: &str,
    vars: &[(&str, &str)],
    trace: &mut Trace,
) -> Result<Option<Document>, CaseError> {
    let (udf, update, x) =
        send_command(session, ids::PAYU_UDF_UPDATE_REQUEST, "udf_update", txnid, vars, trace).await?;
    let mut accepted = None;
    if udf.rejected(x.status, &x.response_bytes) {
        trace.findings.push(Finding::must(
            rules::accepted::PAYU_UDF_UPDATE,
            format!(
                "udf_update of the payment was rejected: {}",
                judge::excerpt(&x.response_body)
            ),
        ));
    } else if let Some(answer) = judge::response_against(udf.success, &x, &mut trace.findings) {
        judge::echoes(udf.success, &update, &answer, &mut trace.findings);
        super::relations::payu_udf_update_echo(&update, &answer.body, &mut trace.findings);
        accepted = Some(update);
    }
    trace.exchanges.push(x);
    Ok(accepted)
}

/// `udf_update` of a txnid no payment has is refused (seed 004 Step 6, failure scenarios: "If
/// no data found in the transaction ID").
pub async fn udf_update_unknown_txnid(session: &Session, _api: &ApiCase, trace: &mut Trace) -> Result<(), CaseError> {
    let txnid = api::unique_id(&mut trace.rng, "NOPE", 20);
    let (udf, _, x) = send_command(
        session,
        ids::PAYU_UDF_UPDATE_REQUEST,
        "udf_update",
        &txnid,
        &[("var6", "INV000000005")],
        trace,
    )
    .await?;
    judge::rejection(
        &udf,
        judge::Broken::must(rules::behaviour::PAYU_UDF_UPDATE_TXNID_EXISTS.as_str()),
        &x,
        &mut trace.findings,
    );
    trace.exchanges.push(x);
    Ok(())
}

/// An invoice upload for a PayU ID no payment has is refused with `responseCode` 107 (seed 004
/// Step 7, failure scenarios: "When the payuid is invalid").
pub async fn invoice_unknown_payuid(session: &Session, _api: &ApiCase, trace: &mut Trace) -> Result<(), CaseError> {
    let payuid = format!("9{}", trace.rng.random_range(10_u64.pow(16)..10_u64.pow(17)));
    let (invoice, _, x) = send_command(
        session,
        ids::PAYU_INVOICE_UPLOAD_REQUEST,
        "opgsp_upload_invoice_awb",
        &payuid,
        &[("var2", "INV000000005"), ("var3", "Invoice"), ("file", "@invoice.pdf")],
        trace,
    )
    .await?;
    let rule = rules::behaviour::PAYU_INVOICE_UPLOAD_PAYUID_EXISTS;
    let before = trace.findings.len();
    judge::rejection(&invoice, judge::Broken::must(rule.as_str()), &x, &mut trace.findings);
    let refused = trace.findings[before..].iter().all(|f| f.rule != rule.as_str());
    let code = serde_json::from_slice::<Value>(&x.response_bytes).ok().and_then(|v| {
        v.get("responseCode")
            .map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_owned))
    });
    if refused && x.status.is_some_and(|s| s < 500) && code.as_deref() != Some("107") {
        trace.findings.push(Finding::must(
            rule,
            format!(
                "refused, but not with responseCode 107 (\"The PayuID in request is invalid\"): {}",
                judge::excerpt(&x.response_body)
            ),
        ));
    }
    trace.exchanges.push(x);
    Ok(())
}

/// Sends the PayU postservice command `name` (`verify_payment`, `udf_update`, the invoice
/// upload) whose request model is `request`, naming `var1` (a txnid, or the PayU ID of an invoice
/// upload) with `vars` (its command hash computed last); the API, the document sent and the
/// exchange (its transport findings recorded).
pub(super) async fn send_command(
    session: &Session,
    request: MessageId,
    name: &str,
    txnid: &str,
    vars: &[(&str, &str)],
    trace: &mut Trace,
) -> Result<(ApiCase, Document, Exchange), CaseError> {
    let command = api::all()
        .into_iter()
        .find(|a| a.request == request)
        .ok_or_else(|| CaseError::from(anyhow::anyhow!("no PayU API for {request}")))?;
    let mut body = serde_json::json!({"key": session.config().payu.key, "command": name, "var1": txnid});
    for (var, value) in vars {
        body[*var] = Value::String((*value).to_string());
    }
    let mut doc = Document::body(body);
    let ctx = Context {
        payu_txnid: Some(txnid.to_string()),
        payu_mihpayid: Some(txnid.to_string()),
        ..Context::default()
    };
    session.fill(&command, &ctx).apply(&mut doc, None, &mut trace.rng);
    let x = send_prepared(session, &command, &doc, &session.base(Api::Payu)?, trace).await?;
    Ok((command, doc, x))
}

/// Sends a prepared document of `api` to `base`; the exchange, its transport findings recorded.
async fn send_prepared(
    session: &Session,
    api: &ApiCase,
    doc: &Document,
    base: &str,
    trace: &mut Trace,
) -> Result<Exchange, CaseError> {
    let request = api::to_request(api, api.request.message(), doc, base, session.config(), None, None)?;
    let x = session.client().send(&request).await;
    trace.findings.extend(judge::transport(&x));
    Ok(x)
}

/// Sends a valid `_payment` (document `n`); its txnid and answer when it was accepted, else a
/// finding.
async fn pay(
    session: &Session,
    api: &ApiCase,
    n: u64,
    trace: &mut Trace,
) -> Result<Option<(String, Value)>, CaseError> {
    let (doc, x) = session.send_valid(api, None, n, false, trace).await?;
    trace.findings.extend(judge::transport(&x));
    let accepted = x.status.is_some() && !api.rejected(x.status, &x.response_bytes);
    let answer = serde_json::from_slice(&x.response_bytes).unwrap_or(Value::Null);
    trace.exchanges.push(x);
    if !accepted {
        trace.findings.push(Finding::must(
            rules::accepted::PAYU_PAYMENT,
            "a valid payment the flow needs was rejected",
        ));
        return Ok(None);
    }
    let txnid = doc.body.get("txnid").and_then(Value::as_str).unwrap_or_default();
    Ok(Some((txnid.to_string(), answer)))
}

/// Which reading of ERRATA C-02 a request hash follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sequence {
    /// `C-02/case4-udf6-10` (the default): udf1..udf10 before the salt.
    Case4,
    /// `C-02/domain`: `api_version` 7 changes nothing; udf6..udf10 are not hashed.
    Version1,
}

/// `_payment` with `api_version` 7 and udf6..udf10 posted, hashed per the default reading of
/// C-02, must be accepted. When it is refused, the same request (a fresh txnid) hashed per the
/// other reading is sent: accepted, the target follows `C-02/domain` (the runner's readings
/// turn the hash finding into an `acceptable` verdict); refused too, the target accepts neither.
pub async fn api_version_7_hash(session: &Session, api: &ApiCase, trace: &mut Trace) -> Result<(), CaseError> {
    let x = send_v7(session, api, API_VERSION_7_DOCUMENT, Sequence::Case4, trace).await?;
    let refusal = refused(api, &x);
    trace.exchanges.push(x);
    let Some(first) = refusal else { return Ok(()) };
    let other = send_v7(session, api, API_VERSION_7_DOCUMENT + 1, Sequence::Version1, trace).await?;
    let second = refused(api, &other);
    trace.exchanges.push(other);
    trace.findings.push(match second {
        None => Finding::must(
            rules::crypto::PAYU_REQUEST_HASH,
            format!(
                "an api_version 7 request hashed with udf6..udf10 before the salt (Case 4) was refused ({first}); hashed without them it was accepted"
            ),
        ),
        Some(second) => Finding::must(
            rules::accepted::PAYU_PAYMENT,
            format!(
                "an api_version 7 request with udf6..udf10 was refused hashed either way: with them before the salt ({first}), without them ({second})"
            ),
        ),
    });
    Ok(())
}

/// Builds and sends a valid `_payment` (document `n`) with `api_version` 7 and udf6..udf10,
/// its hash over the `sequence`.
async fn send_v7(
    session: &Session,
    api: &ApiCase,
    n: u64,
    sequence: Sequence,
    trace: &mut Trace,
) -> Result<Exchange, CaseError> {
    let ctx = session.context(api, &mut trace.rng, &mut trace.exchanges).await?;
    let mut doc = session
        .document(api, None, n, None, false)?
        .ok_or_else(|| CaseError::from(anyhow::anyhow!("the generator gave no valid _payment document")))?;
    if let Some(body) = doc.body.as_object_mut() {
        body.insert(payu_sequence::API_VERSION.into(), Value::String("7".into()));
        for (i, udf) in UDF_6_TO_10.iter().enumerate() {
            body.insert((*udf).into(), Value::String(format!("UDF{}", i + 6)));
        }
    }
    session.fill(api, &ctx).apply(&mut doc, None, &mut trace.rng);
    if sequence == Sequence::Version1 {
        rehash_as_version_1(&mut doc, &session.config().payu.salt);
    }
    send_prepared(session, api, &doc, &session.base(api.api)?, trace).await
}

/// Replaces the document's hash by the one C-02's other reading computes.
fn rehash_as_version_1(doc: &mut Document, salt: &str) {
    let fields = doc
        .body
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.as_str() != "hash")
        .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
        .collect();
    let hashed = payu_sequence::as_version_1(&fields);
    if let (Ok(hash), Some(body)) = (
        payu_hash::compute(HashFamily::Request, &hashed, &Salt::new(salt)),
        doc.body.as_object_mut(),
    ) {
        body.insert("hash".into(), Value::String(hash));
    }
}

/// `Some(excerpt)` when the answer is a refusal.
fn refused(api: &ApiCase, x: &Exchange) -> Option<String> {
    (x.status.is_none() || api.rejected(x.status, &x.response_bytes)).then(|| {
        format!(
            "HTTP {} {}",
            x.status.map_or_else(|| "-".to_string(), |s| s.to_string()),
            judge::excerpt(&x.response_body)
        )
    })
}
