//! Building answers: JSON bodies with a status, the 404 of unknown paths, and the origin the
//! server names in URLs it hands out.

use axum::http::header::{CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// `body` as compact JSON with `status`.
pub fn json(status: StatusCode, body: &Value) -> Response {
    bytes(status, body.to_string().into_bytes())
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
