//! Juspay UPI Merchant Stack `POST /api/{uri}/merchants/transactions/registerIntent` (seed 003),
//! every version. The order of judgement, and the HTTP status of each refusal:
//!
//! 1. `x-api-version` picks the version (anything but 3, 2, 1 or absent: 400);
//! 2. `x-merchant-id` / `x-merchant-channel-id`, when sent, must be the configured ones (401
//!    INVALID_MERCHANT);
//! 3. the body must be a flattened JWS (`merchant.jws-envelope`, 400 BAD_REQUEST);
//! 4. the JWS must verify: algorithm, `kid`, signature (401 UNAUTHORIZED);
//! 5. headers and payload must satisfy the version's request model (400);
//! 6. `iat` and `x-timestamp` must lie in the freshness window (401 UNAUTHORIZED);
//! 7. `merchantRequestId` must be new for the merchant (409 DUPLICATE_REQUEST).

mod answer;
mod signature;
mod version;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value};
use upi_spec::input::{Document, parse_json};
use upi_spec::read::Syntax;

use crate::app::AppState;
use crate::fault::Fault;
use crate::judge::{Refusal, judge, judge_except, named_headers, read_request};
use crate::{ids, models, reply};
use answer::{codes, failure, invalid};
pub use version::Version;

/// Handles `POST /api/{uri}/merchants/transactions/registerIntent`.
pub async fn register_intent(
    State(app): State<AppState>,
    Path(_uri): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let config = &app.config;
    let stack = &config.merchant;
    let version = match Version::of(&headers, config.fault.as_ref()) {
        Ok(v) => v,
        Err(refusal) => return failure(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, &refusal),
    };
    let merchant_id = header(&headers, "x-merchant-id");
    let channel_id = header(&headers, "x-merchant-channel-id");
    for (name, sent, expected) in [
        ("x-merchant-id", merchant_id, &stack.merchant_id),
        ("x-merchant-channel-id", channel_id, &stack.merchant_channel_id),
    ] {
        if let Some(sent) = sent.filter(|s| *s != expected.as_str()) {
            let refusal = Refusal::new(
                "server.merchant.known-merchant",
                format!("header:{name}"),
                format!("{name} {sent:?} is not a merchant of this server"),
            );
            return failure(StatusCode::UNAUTHORIZED, codes::INVALID_MERCHANT, &refusal);
        }
    }

    let limit = config.limits.max_body_bytes;
    let envelope = models::get(models::JWS_ENVELOPE);
    let read = read_request(
        envelope,
        &HeaderMap::new(),
        &body,
        Syntax::Json,
        limit,
        config.fault.as_ref(),
    )
    .and_then(|document| judge(envelope, &document, config).map(|()| document));
    let envelope_document = match read {
        Ok(document) => document,
        Err(refusal) => return invalid(&refusal, config.fault.as_ref()),
    };
    let now = ids::now_millis();
    let opened = signature::open(&envelope_document.body, &stack.request_keys, config.fault.as_ref(), now);
    let signature::Opened {
        text: payload_json,
        object: payload,
    } = match opened {
        Ok(p) => p,
        Err(refusal) if config.has(Fault::SignatureFailure400) => {
            return failure(StatusCode::BAD_REQUEST, codes::UNAUTHORIZED, &refusal);
        }
        Err(refusal) => return failure(StatusCode::UNAUTHORIZED, codes::UNAUTHORIZED, &refusal),
    };

    let model = models::get(version.request_model());
    if config.has(Fault::Http500OnNonAsciiRemarks) && non_ascii_remarks(&payload_json) {
        let refusal = Refusal::new(
            format!("{}.remarks", model.id),
            "remarks",
            "the server failed on a non-ASCII character",
        );
        return failure(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL_SERVER_ERROR,
            &refusal,
        );
    }
    let mut document = match payload_document(model, &headers, &payload_json, payload) {
        Ok(d) => d,
        Err(refusal) => return invalid(&refusal, config.fault.as_ref()),
    };
    if !document.body.is_object() && config.ignores(&format!("{}.type", model.id)) {
        // A server that does not check that the payload is an object finds none of its fields.
        document.body = Value::Object(Map::new());
    }
    if let Err(refusal) = judge_except(model, &document, config, |r| config.readings.waives(r)) {
        return invalid(&refusal, config.fault.as_ref());
    }
    if let Some((key, value)) = config.readings.udf_range_refusal(&document.body) {
        // E-046/range: the class read as a regex, `#-(` a range.
        return invalid(
            &Refusal::new(
                format!("{}.udfParameters.*.charset", model.id),
                format!("udfParameters.{key}"),
                format!("{value:?} holds a character of ^[^/#-()*!%~`]+$ read as a regex (#-( the range # to ()"),
            ),
            config.fault.as_ref(),
        );
    }
    let Value::Object(request) = &document.body else {
        // judge() refuses any body that is not an object.
        return invalid(
            &Refusal::new(format!("{}.type", model.id), "body", "not an object"),
            config.fault.as_ref(),
        );
    };
    let (window, fault) = (&config.limits.freshness, config.fault.as_ref());
    if let Err(refusal) =
        signature::check_freshness(request, document.header("x-timestamp"), window, now, model.id, fault)
    {
        return failure(StatusCode::UNAUTHORIZED, codes::UNAUTHORIZED, &refusal);
    }
    let merchant_request_id = request.get("merchantRequestId").and_then(Value::as_str).unwrap_or("");
    let lifetime = intent_lifetime(request, &config.limits);
    let new = app
        .store
        .register_intent(&stack.merchant_id, merchant_request_id, lifetime);
    if !new && !config.has(Fault::AcceptDuplicateMerchantRequestId) {
        let refusal = Refusal::new(
            "server.merchant.new-merchant-request-id",
            "merchantRequestId",
            format!("merchantRequestId {merchant_request_id:?} is already registered"),
        );
        return failure(StatusCode::CONFLICT, codes::DUPLICATE_REQUEST, &refusal);
    }
    let body = answer::success_body(
        version,
        request,
        merchant_id.unwrap_or_default(),
        channel_id.unwrap_or_default(),
        config,
    );
    // A response-rule fault breaks the body before it is signed: the signature stays valid.
    let body = reply::as_model(version.response_model(), &body, config.fault.as_ref());
    answer::signed(&body, config).await
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The signed payload read strictly (no duplicate keys) with the headers the model names;
/// `read` is the payload already read so (by the signature's verifier), if it was.
fn payload_document(
    model: &upi_spec::model::Message,
    headers: &HeaderMap,
    payload_json: &str,
    read: Option<Map<String, Value>>,
) -> Result<Document, Refusal> {
    let headers = named_headers(model, headers)?;
    let body = match read {
        Some(object) => Value::Object(object),
        None => parse_json(payload_json).map_err(|e| Refusal::unreadable(model, &e))?,
    };
    Ok(Document {
        headers: Some(headers),
        body,
    })
}

fn non_ascii_remarks(payload_json: &str) -> bool {
    serde_json::from_str::<Value>(payload_json)
        .ok()
        .and_then(|v| v.get("remarks").and_then(Value::as_str).map(|r| !r.is_ascii()))
        .unwrap_or(false)
}

/// How long an intent is remembered: its `intentRequestExpiryMinutes` ("Minutes for which intent
/// is valid", seed 003), at most [`Limits::max_intent_lifetime`]; without one (V2, V1),
/// [`Limits::intent_lifetime`].
fn intent_lifetime(request: &Map<String, Value>, limits: &crate::config::Limits) -> std::time::Duration {
    request
        .get("intentRequestExpiryMinutes")
        .and_then(Value::as_str)
        .and_then(|m| m.parse::<u64>().ok())
        .map_or(limits.intent_lifetime, |minutes| {
            std::time::Duration::from_secs(minutes.saturating_mul(60)).min(limits.max_intent_lifetime)
        })
}
