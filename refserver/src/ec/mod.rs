//! Juspay EC: `POST /orders` (the order a payment presupposes) and `POST /txns` (seed 001, UPI
//! intent). Both answer rejections in seed 001's error shape, `ec.txns.error`:
//! `{"status":"error","error_message":…,"error_code":…}`, plus `rule_ids`: the IDs of every rule
//! the request broke (an extra field the error model allows; Juspay's own error bodies carry
//! extra fields too, DOMAIN.md).

pub mod orders;
pub mod txns;

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::fault::Fault;
use crate::judge::Refusal;
use crate::{models, reply};

/// A missing mandatory parameter (DOMAIN.md's EC error codes).
pub const MISSING_MANDATORY_PARAMETER: &str = "MISSING_MANDATORY_PARAMETER";
/// Any other invalid parameter.
pub const INVALID_INPUT: &str = "INVALID_INPUT";
/// No or wrong API key.
pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
/// The order cannot be paid (seed 001's `invalid_request`, e.g. "Order timed out").
pub const INVALID_REQUEST: &str = "invalid_request";

/// Server-decided rules of the EC endpoints (not model rules; refserver/README.md).
pub mod rules {
    /// `Authorization: Basic base64(api_key:)` (DOMAIN.md: API key as user name, empty password).
    pub const BASIC_AUTH: &str = "server.ec.basic-auth";
    /// An `order_id` is created once.
    pub const NEW_ORDER_ID: &str = "server.ec.new-order-id";
    /// `merchant_id` is this server's merchant account.
    pub const KNOWN_MERCHANT: &str = "server.ec.known-merchant";
    /// The order exists, is unpaid and has not timed out.
    pub const ORDER_PAYABLE: &str = "server.ec.order-payable";
}

/// An `ec.txns.error` body with `status`, naming the broken rules in `rule_ids`.
pub fn error(status: StatusCode, code: &str, message: &str, rule_ids: &[String], fault: Option<&Fault>) -> Response {
    reply::model_json(
        models::EC_TXNS_ERROR,
        status,
        &json!({"status": "error", "error_message": message, "error_code": code, "rule_ids": rule_ids}),
        fault,
    )
}

/// [`error`] for one server-decided rule, noted in the client report.
pub fn refuse(status: StatusCode, code: &str, rule: &str, message: &str, fault: Option<&Fault>) -> Response {
    let refusal = Refusal::new(rule, "body", message);
    error(status, code, message, &refusal.rule_ids(), fault)
}

/// The HTTP 400 answer to a request its model refuses.
pub fn refused(refusal: &Refusal, fault: Option<&Fault>) -> Response {
    let code = if fault == Some(&Fault::WrongRefusalCode) {
        UNAUTHENTICATED
    } else if refusal.is_missing() {
        MISSING_MANDATORY_PARAMETER
    } else {
        INVALID_INPUT
    };
    error(
        StatusCode::BAD_REQUEST,
        code,
        &refusal.message(),
        &refusal.rule_ids(),
        fault,
    )
}
