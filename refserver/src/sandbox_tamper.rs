//! Sandbox control for the Merchant Stack client test: on request, the next registerIntent
//! HTTP 200 answer is tampered after signing, so its `x-response-signature` does not verify.
//! This is how `client-test --merchant-stack-url` shows whether a merchant's client checks the
//! signature (DOMAIN.md: "Responses with HTTP 200 carry an `x-response-signature` header: RS256
//! over the raw response body, verifiable with the PSP's public key").
//!
//! - `POST /sandbox/merchant/tamper` with form `next=response-signature` arms it for one answer
//!   (`next=off` disarms); answers `{"armed":true|false,"served":N}`.
//! - `GET /sandbox/merchant/tamper` answers the same: whether it is armed, and how many tampered
//!   answers were served.
//!
//! The tampered answer is the real one with `payload.payeeVpa` replaced by
//! [`TAMPERED_PAYEE_VPA`] (or, without one, one space appended) and the original signature kept:
//! what a man in the middle redirecting the payment would produce. The merchant cannot
//! cross-check the payee from its own order, so only the signature reveals it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};
use upi_spec::input::{parse_form_pairs, text};

use crate::reply;

/// The control path.
pub const PATH: &str = "/sandbox/merchant/tamper";
/// The form value that arms the tamper.
pub const RESPONSE_SIGNATURE: &str = "response-signature";
/// The payee VPA a tampered answer names.
pub const TAMPERED_PAYEE_VPA: &str = "tampered@sandbox";
/// The largest tampered body read.
const MAX_ANSWER_BYTES: usize = 1 << 20;

/// Whether the next registerIntent answer is tampered, and how many were.
#[derive(Debug, Default)]
pub struct Tamper {
    armed: AtomicBool,
    served: AtomicU64,
}

impl Tamper {
    fn state(&self) -> Value {
        json!({"armed": self.armed.load(Ordering::SeqCst), "served": self.served.load(Ordering::SeqCst)})
    }

    /// `response`, the answer to a request whose answers are signed
    /// (`crate::routes::signs_response`), tampered if it is a signed HTTP 200 and the tamper is
    /// armed (which disarms it).
    pub async fn apply(&self, response: Response) -> Response {
        let signed = response.status() == StatusCode::OK && response.headers().contains_key("x-response-signature");
        if !(signed && self.armed.swap(false, Ordering::SeqCst)) {
            return response;
        }
        let (mut parts, body) = response.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, MAX_ANSWER_BYTES).await else {
            return reply::json(
                StatusCode::INTERNAL_SERVER_ERROR,
                &json!({"error": "the answer to tamper could not be read"}),
            );
        };
        self.served.fetch_add(1, Ordering::SeqCst);
        parts.headers.remove(header::CONTENT_LENGTH);
        Response::from_parts(parts, Body::from(tampered(&bytes)))
    }
}

/// `GET /sandbox/merchant/tamper`.
pub async fn status(State(tamper): State<Arc<Tamper>>) -> Response {
    reply::json(StatusCode::OK, &tamper.state())
}

/// `POST /sandbox/merchant/tamper` with form `next=response-signature` or `next=off`.
pub async fn arm(State(tamper): State<Arc<Tamper>>, body: Bytes) -> Response {
    let next = text(&body, 4096)
        .ok()
        .and_then(|t| parse_form_pairs(t).ok())
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "next").map(|(_, v)| v));
    match next.as_deref() {
        Some(RESPONSE_SIGNATURE) => tamper.armed.store(true, Ordering::SeqCst),
        Some("off") => tamper.armed.store(false, Ordering::SeqCst),
        _ => {
            return reply::json(
                StatusCode::BAD_REQUEST,
                &json!({"error": "the form needs next=response-signature or next=off"}),
            );
        }
    }
    reply::json(StatusCode::OK, &tamper.state())
}

/// `body` with another `payload.payeeVpa`, or with a space appended.
fn tampered(body: &[u8]) -> Vec<u8> {
    let mut value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(_) => return [body, b" "].concat(),
    };
    match value.pointer_mut("/payload/payeeVpa") {
        Some(Value::String(vpa)) => {
            TAMPERED_PAYEE_VPA.clone_into(vpa);
            value.to_string().into_bytes()
        }
        _ => [body, b" "].concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payee_changes_or_a_space_is_added() {
        let body = br#"{"status":"SUCCESS","payload":{"payeeVpa":"merchant@testbank"}}"#;
        let out: Value = serde_json::from_slice(&tampered(body)).unwrap();
        assert_eq!(out["payload"]["payeeVpa"], TAMPERED_PAYEE_VPA);
        assert_eq!(
            tampered(br#"{"status":"FAILURE"}"#),
            br#"{"status":"FAILURE"} "#.to_vec()
        );
    }
}
