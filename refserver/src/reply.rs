//! Building answers: JSON bodies with a status, the 404 of unknown paths, and the origin the
//! server names in URLs it hands out. Every answer of a response model goes through
//! [`as_model`], the one place the `break-response-rule=RULE_ID` fault changes it.

use axum::http::header::{CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use upi_spec::input::Document;

use crate::fault::Fault;

/// `body` as compact JSON with `status`.
pub fn json(status: StatusCode, body: &Value) -> Response {
    // Straight into the byte buffer (`to_string` goes through `fmt::Write`); a `Value` always
    // serialises, so the empty fallback is never taken.
    bytes(status, serde_json::to_vec(body).unwrap_or_default())
}

/// `body` as the answer of response model `model` with `status` (see [`as_model`]).
pub fn model_json(model: &'static str, status: StatusCode, body: &Value, fault: Option<&Fault>) -> Response {
    // Without a `break-response-rule` fault for `model` the answer is `body` itself: written
    // as it is, not cloned first.
    if fault.and_then(|f| f.broken_response_rule(model)).is_none() {
        return json(status, body);
    }
    json(status, &as_model(model, body, fault))
}

/// `body`, an answer of response model `model`, as the server sends it: unchanged, except under
/// `break-response-rule=RULE_ID` for a rule of `model`, where it breaks exactly that rule
/// (`upi_spec::generate::break_document`) and is otherwise the same.
pub fn as_model(model: &'static str, body: &Value, fault: Option<&Fault>) -> Value {
    let Some(rule) = fault.and_then(|f| f.broken_response_rule(model)) else {
        return body.clone();
    };
    let message = crate::models::get(model);
    let document = Document {
        headers: None,
        body: body.clone(),
    };
    upi_spec::generate::break_document(message, &document, rule, 0).map_or_else(|| body.clone(), |d| d.body)
}

/// Raw JSON bytes with `status`.
pub fn bytes(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// The answer to a path no API has.
pub async fn not_found() -> Response {
    json(StatusCode::NOT_FOUND, &json!({"error": "no endpoint at this path"}))
}

/// `http://HOST` from the request's `Host` header when it is a plain host and port, else
/// `http://localhost`: used in the URLs the server returns (EC authentication URL, PayU
/// `otpPostUrl`).
pub fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty() && h.len() <= 255 && h.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_refuses_odd_hosts() {
        let mut headers = HeaderMap::new();
        assert_eq!(origin(&headers), "http://localhost");
        headers.insert(HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert_eq!(origin(&headers), "http://127.0.0.1:8080");
        headers.insert(HOST, HeaderValue::from_static("evil.example/path?x"));
        assert_eq!(origin(&headers), "http://localhost");
    }
}
