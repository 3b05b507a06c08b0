//! registerIntent answers: the version's response model with `status` FAILURE and a
//! `responseCode` from DOMAIN.md's list for every rejection, or SUCCESS with the payload the
//! version's response model lists. Every HTTP 200 is signed (`x-response-signature`, RS256
//! over the raw body with the PSP key).

use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};
use upi_spec::crypto::response_signature;
use upi_spec::model::{Kind, Message};

use super::version::Version;
use crate::config::ServerConfig;
use crate::fault::Fault;
use crate::judge::Refusal;
use crate::{ids, models, reply};
use upi_spec::amount::one_rupee_more;

/// Outer `responseCode` values the server uses (DOMAIN.md's list).
pub mod codes {
    /// Malformed request, header or envelope.
    pub const BAD_REQUEST: &str = "BAD_REQUEST";
    /// A body field breaks its rule.
    pub const INVALID_DATA: &str = "INVALID_DATA";
    /// JWS or freshness failure.
    pub const UNAUTHORIZED: &str = "UNAUTHORIZED";
    /// Unknown merchant or channel.
    pub const INVALID_MERCHANT: &str = "INVALID_MERCHANT";
    /// `merchantRequestId` already registered.
    pub const DUPLICATE_REQUEST: &str = "DUPLICATE_REQUEST";
    /// The `500-on-non-ascii-remarks` fault.
    pub const INTERNAL_SERVER_ERROR: &str = "INTERNAL_SERVER_ERROR";
}

/// A FAILURE answer: no payload, the refusal's rule ID first in `responseMessage`, and the ID of
/// every rule the request broke in `ruleIds`.
pub fn failure(status: StatusCode, code: &str, refusal: &Refusal) -> Response {
    reply::json(
        status,
        &json!({
            "status": "FAILURE",
            "responseCode": code,
            "responseMessage": refusal.message(),
            "ruleIds": refusal.rule_ids(),
        }),
    )
}

/// The HTTP 400 answer to a request its model refuses: BAD_REQUEST for headers, the body's
/// syntax and missing fields, INVALID_DATA for a field's value.
/// With the `wrong-refusal-code` fault the code names another cause (DUPLICATE_REQUEST).
pub fn invalid(refusal: &Refusal, fault: Option<&Fault>) -> Response {
    let code = if fault == Some(&Fault::WrongRefusalCode) {
        codes::DUPLICATE_REQUEST
    } else if refusal.is_header() || refusal.is_missing() || refusal.at == "body" {
        codes::BAD_REQUEST
    } else {
        codes::INVALID_DATA
    };
    failure(StatusCode::BAD_REQUEST, code, refusal)
}

/// The SUCCESS body for a valid `request` of `version` sent with these merchant headers.
pub fn success_body(
    version: Version,
    request: &Map<String, Value>,
    merchant_id: &str,
    channel_id: &str,
    config: &ServerConfig,
) -> Value {
    let sent = |name: &str| request.get(name).cloned();
    let merchant_request_id = sent("merchantRequestId").unwrap_or(Value::Null);
    let mut amount = sent("amount");
    if config.has(Fault::ChangeResponseAmount) {
        amount = amount.map(|a| Value::String(one_rupee_more(a.as_str().unwrap_or(""))));
    }
    let stack = &config.merchant;
    let candidates: Vec<(&str, Option<Value>)> = vec![
        ("merchantId", Some(merchant_id.into())),
        ("merchantChannelId", Some(channel_id.into())),
        ("merchantRequestId", Some(merchant_request_id.clone())),
        ("gatewayTransactionId", Some(format!("TXN{}", ids::hex(32)).into())),
        ("orderId", Some(merchant_request_id)),
        ("payeeVpa", Some(stack.payee_vpa.clone().into())),
        ("payeeName", Some(stack.payee_name.clone().into())),
        ("payeeMcc", Some(stack.payee_mcc.clone().into())),
        ("amount", amount),
        ("currency", Some("INR".into())),
        ("remarks", sent("remarks")),
        ("flow", sent("flow")),
        ("mutualFundDetails", sent("mutualFundDetails")),
        ("payerAccountHashes", sent("payerAccountHashes")),
        ("splitSettlementDetails", sent("splitSettlementDetails")),
        ("refUrl", sent("refUrl")),
        ("refCategory", sent("refCategory")),
        ("merchantCustomerId", sent("merchantCustomerId")),
        ("purpose", Some("00".into())),
        // E-061: only the response-field reading puts the deeplink's mode in the answer.
        (
            "txnInitiationMode",
            config.follows("E-061/response-field").then(|| "00".into()),
        ),
    ];
    let listed = payload_fields(models::get(version.response_model()));
    let drop_payee_vpa =
        version.is(upi_spec::messages::ids::REGISTER_INTENT_V3_REQUEST) && config.has(Fault::DropPayeeVpa);
    let payload: Map<String, Value> = candidates
        .into_iter()
        .filter(|(name, _)| listed.contains(name))
        .filter(|(name, _)| !(drop_payee_vpa && *name == "payeeVpa"))
        .filter_map(|(name, value)| value.map(|v| (name.to_owned(), v)))
        .collect();
    let mut body = json!({
        "status": "SUCCESS",
        "responseCode": "SUCCESS",
        "responseMessage": "SUCCESS",
        "payload": payload,
    });
    if let (Some(udf), Value::Object(top)) = (sent("udfParameters"), &mut body) {
        top.insert("udfParameters".into(), udf);
    }
    body
}

/// The field names of the `payload` object of a response model.
fn payload_fields(response: &Message) -> Vec<&'static str> {
    response
        .body
        .fields
        .iter()
        .filter(|f| f.key.label() == "payload")
        .filter_map(|f| match &f.value.kind {
            Kind::Object(obj) => Some(obj.fields.iter().map(|f| f.key.label())),
            _ => None,
        })
        .flatten()
        .collect()
}

/// The HTTP 200 answer: `body` signed into `x-response-signature` (unless the
/// `missing-response-signature` fault is on).
pub async fn signed(body: &Value, config: &ServerConfig) -> Response {
    let bytes = body.to_string().into_bytes();
    if config.has(Fault::MissingResponseSignature) {
        return reply::bytes(StatusCode::OK, bytes);
    }
    // Signed on the request's own task: one RSA-2048 signature is about 0.3 ms on AWS-LC. Handing
    // it to the blocking pool cost more than that in thread wake-ups: the live fuzzer with 2
    // workers went from about 4,700 to 6,700 judged requests/s on 2 cores when it moved here.
    let signature = response_signature::sign(&config.merchant.response_key, &bytes);
    match signature {
        Ok(signature) => {
            let mut response = reply::bytes(StatusCode::OK, bytes);
            if let Ok(value) = HeaderValue::from_str(&signature) {
                response.headers_mut().insert("x-response-signature", value);
            }
            response
        }
        // Only a key that cannot sign gets here; answering unsigned would hide it.
        Err(_) => failure(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL_SERVER_ERROR,
            &Refusal::new(
                response_signature::RULE_SIGNATURE,
                "x-response-signature",
                "the server could not sign its answer",
            ),
        ),
    }
}
