//! `POST /_payment` (seed 004, UPI intent S2S): judged by `payu.payment.request`, the merchant
//! key, the request hash and the txnid's novelty; answered with `payu.payment.response`
//! (pending, with `intentURIData`) or, with HTTP 400, `payu.payment.error`.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};
use upi_spec::crypto::RuleError;
use upi_spec::crypto::payu_hash::{self, PayuHashError};
use upi_spec::crypto::payu_sequence::{self, HashFamily};
use upi_spec::input::Document;
use upi_spec::read::Syntax;

use super::{fields, intent, into_fields, string_fields};
use crate::app::AppState;
use crate::config::ServerConfig;
use crate::fault::Fault;
use crate::judge::{Refusal, judge_except, read_request, text};
use crate::store::{Payment, PaymentStatus};
use crate::{ids, models, reply};
use upi_spec::amount::two_decimals;

/// Handles `POST /_payment`.
pub async fn start(State(app): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let config = &app.config;
    let model = models::get(models::PAYU_PAYMENT_REQUEST);
    let mut document = match read_request(
        model,
        &headers,
        &body,
        Syntax::Form,
        config.limits.max_body_bytes,
        config.fault.as_ref(),
    ) {
        Ok(d) => d,
        Err(refusal) => return rejected(&refusal, None, config),
    };
    let names = crate::sdk_compat::payu_field_names(&mut document, HashFamily::Request);
    let txnid = text(&document, "txnid");
    let txn = Some(txnid).filter(|t| !t.is_empty());
    if let Err(refusal) = names {
        return rejected(&refusal, txn, config);
    }
    if let Err(refusal) = judge_except(model, &document, config, |r| config.readings.waives(r)) {
        return rejected(&refusal, txn, config);
    }
    let key = text(&document, "key");
    if key != config.payu.key {
        let refusal = Refusal::new(
            "server.payu.known-key",
            "key",
            format!(
                "key {} is not a merchant of this server",
                upi_spec::constraint::quote(key)
            ),
        );
        return rejected(&refusal, txn, config);
    }
    let hash = text(&document, "hash");
    let salt = &config.payu.salt;
    // The hash over the fields as posted is checked on the form's object itself (no map, no
    // copies); a reading or fault that rearranges them builds the map it changes.
    let verified = match rearranged(&document, config) {
        Some(hashed) => payu_hash::verify(HashFamily::Request, &hashed, salt, hash),
        None => payu_hash::verify_from(HashFamily::Request, string_fields(&document), salt, hash),
    };
    match verified {
        Err(PayuHashError::Mismatch { .. }) if config.has(Fault::AcceptWrongPayuHash) => {}
        Err(e) => {
            return rejected(&Refusal::new(e.rule_id(), "hash", e.to_string()), txn, config);
        }
        Ok(()) => {}
    }
    if app.store.has_payment(txnid) && !config.has(Fault::AcceptDuplicateTxnid) {
        let refusal = Refusal::new(
            "server.payu.new-txnid",
            "txnid",
            format!("txnid {} has been used already", upi_spec::constraint::quote(txnid)),
        );
        return rejected(&refusal, txn, config);
    }

    let payment_id = ids::digits(18);
    let tid = if config.has(Fault::IntentTidRepeated) {
        format!("PPPL{}", "0".repeat(30))
    } else {
        format!("PPPL{payment_id}{}", ids::digits(12))
    };
    let mut amount = two_decimals(text(&document, "amount"));
    if config.has(Fault::PayuIntentAmountDiffers) {
        amount = upi_spec::amount::one_rupee_more(&amount);
    }
    let origin = reply::origin(&headers);
    let intent_status_wrong = config.has(Fault::PayuIntentStatusSuccess);
    let body = json!({
        "metaData": {
            "message": null,
            "referenceId": ids::hex(64),
            "statusCode": null,
            "txnId": txnid,
            "txnStatus": if intent_status_wrong { "success" } else { "pending" },
            "unmappedStatus": if intent_status_wrong { "captured" } else { "pending" },
        },
        "result": {
            "paymentId": payment_id,
            "merchantName": config.payu.merchant_name,
            "merchantVpa": config.payu.merchant_vpa,
            "amount": amount,
            "intentURIData": intent::uri_data(&config.payu, &payment_id, &tid, &amount, config.fault.as_ref()),
            "acsTemplate": intent::acs_template(
                &format!("{origin}/intentSeamlessHandler.php"), &payment_id, &amount, &config.payu),
            "otpPostUrl": format!("{origin}/ResponseHandler.php"),
        },
    });
    // The document is done with: its fields move into the payment (no copy of each).
    let txnid = txnid.to_owned();
    app.store.record_payment(
        &txnid,
        Payment {
            mihpayid: payment_id,
            request: into_fields(document),
            status: PaymentStatus::Pending,
            bank_ref_no: String::new(),
        },
    );
    reply::model_json(
        models::PAYU_PAYMENT_RESPONSE,
        StatusCode::OK,
        &body,
        app.config.fault.as_ref(),
    )
}

/// The fields the request hash covers when the server's reading or fault makes them other than
/// the fields posted: under C-02/domain, api_version 7 changes nothing (udf6..udf10 are not
/// hashed); under the `udf6-10-after-salt` fault, udf6..udf10 move behind the salt, into the
/// after-salt slot of `udf_params`. `None`: the fields as posted.
fn rearranged(document: &Document, config: &ServerConfig) -> Option<BTreeMap<String, String>> {
    let version_1 = config.follows("C-02/domain");
    let after_salt = config.has(Fault::Udf6To10AfterSalt) && text(document, payu_sequence::API_VERSION) == "7";
    if !version_1 && !after_salt {
        return None;
    }
    let posted = fields(document);
    let mut hashed = if version_1 {
        payu_sequence::as_version_1(&posted)
    } else {
        posted
    };
    if after_salt {
        let moved: Vec<String> = payu_sequence::UDF_6_TO_10
            .iter()
            .filter_map(|u| hashed.remove(*u))
            .filter(|v| !v.is_empty())
            .collect();
        if !moved.is_empty() {
            let params = hashed.remove("udf_params").into_iter().chain(moved).collect::<Vec<_>>();
            hashed.insert("udf_params".into(), params.join("|"));
        }
    }
    Some(hashed)
}

/// The `payu.payment.error` answer (`metaData.ruleIds` names every broken rule): HTTP 400, or HTTP 200 under the reading E-091/200-failed
/// (the refusal is the body's `metaData.txnStatus = failed`).
fn rejected(refusal: &Refusal, txnid: Option<&str>, config: &ServerConfig) -> Response {
    let status = if config.follows("E-091/200-failed") {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    reply::model_json(
        models::PAYU_PAYMENT_ERROR,
        status,
        &json!({
            "metaData": {
                "message": refusal.message(),
                "ruleIds": refusal.rule_ids(),
                "referenceId": null,
                "statusCode": null,
                "txnId": txnid.map_or(Value::Null, |t| Value::String(t.to_owned())),
                "txnStatus": "failed",
                "unmappedStatus": "failed",
            },
            "result": null,
        }),
        config.fault.as_ref(),
    )
}
