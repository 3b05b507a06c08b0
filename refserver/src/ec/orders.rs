//! `POST /orders`: creates an order that `/txns` can pay. HTTP Basic auth with the API key as
//! user name and an empty password (DOMAIN.md); model `ec.orders.request`, answer
//! `ec.orders.response`. A fault ignoring the model's rule that `authorization` is sent
//! (`orders-without-auth`, or `ignore-rule=` that rule) lets a request without it through
//! the Basic check too.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;
use upi_spec::read::Syntax;

use super::{INVALID_INPUT, UNAUTHENTICATED, refuse, refused, rules};
use crate::app::AppState;
use crate::judge::{judge, read_request, text};
use crate::sdk_compat::{BasicKey, basic_key};
use crate::{ids, models, reply};

/// The model's rule that a request carries `authorization`.
const AUTHORIZATION_REQUIRED: &str = "ec.orders.request.header.authorization.required";

/// The rule the `orders-refused` fault names when it refuses a valid order.
const AMOUNT_FORMAT: &str = "ec.orders.request.amount.format";

/// Handles `POST /orders`.
pub async fn create(State(app): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let config = &app.config;
    let unchecked = headers.get(AUTHORIZATION).is_none() && config.ignores(AUTHORIZATION_REQUIRED);
    if !unchecked && !authenticated(&headers, &config.ec.api_key) {
        return refuse(
            StatusCode::UNAUTHORIZED,
            UNAUTHENTICATED,
            rules::BASIC_AUTH,
            "HTTP Basic authentication with the API key as user name is required",
            config.fault.as_ref(),
        );
    }
    let model = models::get(models::EC_ORDERS_REQUEST);
    let limit = config.limits.max_body_bytes;
    let document = match read_request(model, &headers, &body, Syntax::Form, limit, config.fault.as_ref()) {
        Ok(d) => d,
        Err(refusal) => return refused(&refusal, config.fault.as_ref()),
    };
    if let Err(refusal) = judge(model, &document, config) {
        return refused(&refusal, config.fault.as_ref());
    }
    if config.fault == Some(crate::fault::Fault::OrdersRefused) {
        let why = "amount is not a decimal number (orders-refused fault: every order is refused)";
        return refuse(
            StatusCode::BAD_REQUEST,
            INVALID_INPUT,
            AMOUNT_FORMAT,
            why,
            config.fault.as_ref(),
        );
    }
    let order_id = text(&document, "order_id");
    let amount = text(&document, "amount");
    if !app.store.create_order(order_id, amount) {
        return refuse(
            StatusCode::BAD_REQUEST,
            INVALID_INPUT,
            rules::NEW_ORDER_ID,
            &format!("an order with order_id {order_id:?} already exists"),
            config.fault.as_ref(),
        );
    }
    reply::model_json(
        models::EC_ORDERS_RESPONSE,
        StatusCode::OK,
        &json!({
            "order_id": order_id,
            "id": format!("ordeu_{}", ids::hex(24)),
            "status": "CREATED",
            "amount": amount,
        }),
        config.fault.as_ref(),
    )
}

/// Whether `Authorization` is `Basic base64(api_key:)`, or `Basic base64(api_key)` as Juspay's
/// Node SDK sends it (accepted with a warning, `crate::sdk_compat`).
fn authenticated(headers: &HeaderMap, api_key: &str) -> bool {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|value| basic_key(value, api_key) != BasicKey::Wrong)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn basic_auth_needs_the_key_and_an_empty_password() {
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(AUTHORIZATION, HeaderValue::from_static(v));
            authenticated(&h, "test_api_key")
        };
        assert!(with("Basic dGVzdF9hcGlfa2V5Og==")); // test_api_key:
        assert!(with("Basic dGVzdF9hcGlfa2V5")); // test_api_key (Node SDK, with a warning)
        assert!(!with("Basic dGVzdF9hcGlfa2V5OnB3")); // test_api_key:pw
        assert!(!with("Bearer dGVzdF9hcGlfa2V5Og=="));
        assert!(!with("Basic !!!"));
        assert!(!authenticated(&HeaderMap::new(), "test_api_key"));
    }
}
