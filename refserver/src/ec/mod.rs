//! Juspay EC: `POST /orders` (the order a payment presupposes) and `POST /txns` (seed 001, UPI
//! intent). Both answer rejections in seed 001's error shape, `ec.txns.error`:
//! `{"status":"error","error_message":…,"error_code":…}`.

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

/// An `ec.txns.error` body with `status`.
pub fn error(status: StatusCode, code: &str, message: &str, fault: Option<&Fault>) -> Response {
    reply::model_json(
        models::EC_TXNS_ERROR,
        status,
        &json!({"status": "error", "error_message": message, "error_code": code}),
        fault,
    )
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
    error(StatusCode::BAD_REQUEST, code, &refusal.message(), fault)
}
