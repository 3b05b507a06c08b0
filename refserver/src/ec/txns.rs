//! `POST /txns` (seed 001): starts the UPI intent payment of an existing, unpaid, unexpired
//! order and answers the `sdk_params` a deeplink is built from (`ec.txns.response`).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;
use upi_spec::read::Syntax;

use super::{INVALID_REQUEST, refuse, refused, rules};
use crate::app::AppState;
use crate::fault::Fault;
use crate::judge::{judge_except, read_request, text};
use crate::store::OrderProblem;
use crate::{ids, models, reply};
use upi_spec::amount::{one_rupee_more, two_decimals};

/// The amount the `txns-accept-unknown-order` fault charges for an order it never saw.
const UNKNOWN_ORDER_AMOUNT: &str = "1.00";

/// The model's format rule of `redirect_after_payment` (the one Python's `True` relaxes).
const REDIRECT_FORMAT: &str = "ec.txns.request.redirect_after_payment.format";

/// Handles `POST /txns`.
pub async fn pay(State(app): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let config = &app.config;
    let model = models::get(models::EC_TXNS_REQUEST);
    let mut document = match read_request(
        model,
        &headers,
        &body,
        Syntax::Form,
        config.limits.max_body_bytes,
        config.fault.as_ref(),
    ) {
        Ok(d) => d,
        Err(refusal) => return refused(&refusal, config.fault.as_ref()),
    };
    crate::sdk_compat::python_bool(&mut document, "redirect_after_payment", REDIRECT_FORMAT);
    if let Err(refusal) = judge_except(model, &document, config, |r| config.readings.waives(r)) {
        return refused(&refusal, config.fault.as_ref());
    }
    let merchant_id = text(&document, "merchant_id");
    if merchant_id != config.ec.merchant_id {
        return refuse(
            StatusCode::BAD_REQUEST,
            INVALID_REQUEST,
            rules::KNOWN_MERCHANT,
            &format!("merchant_id {merchant_id:?} is not this merchant account"),
            config.fault.as_ref(),
        );
    }
    let order_id = text(&document, "order_id");
    let order_amount = match app.store.start_payment(order_id, config.limits.order_lifetime) {
        Ok(order) => order.amount,
        Err(OrderProblem::Unknown) if config.has(Fault::TxnsAcceptUnknownOrder) => UNKNOWN_ORDER_AMOUNT.to_owned(),
        Err(problem) => {
            let message = match problem {
                OrderProblem::Unknown => "Order not found",
                OrderProblem::AlreadyPaid => "Order already paid",
                OrderProblem::TimedOut => "Order timed out",
            };
            return refuse(
                StatusCode::BAD_REQUEST,
                INVALID_REQUEST,
                rules::ORDER_PAYABLE,
                message,
                config.fault.as_ref(),
            );
        }
    };
    let mut amount = two_decimals(&order_amount);
    if config.has(Fault::TxnsWrongSdkAmount) {
        amount = one_rupee_more(&amount);
    }
    let txn_uuid = format!("eul{}", ids::alphanumeric(15));
    let tr = ids::digits(18);
    let start_url = format!("{}/v2/pay/start/{merchant_id}/{txn_uuid}", reply::origin(&headers));
    // Seed 001, `format`: "If it is set to `json`, then the response will be HTTP 200 with a
    // JSON formatted text. Otherwise, the response is HTTP 302 with the Location attribute
    // having the destination URL."
    if text(&document, "format") != "json" && !config.has(Fault::TxnsFormatIgnored) {
        return redirect(&start_url);
    }
    let status = if config.has(Fault::TxnsFreshStatusCharged) {
        "CHARGED"
    } else {
        "PENDING_VBV"
    };
    reply::model_json(
        models::EC_TXNS_RESPONSE,
        StatusCode::OK,
        &json!({
            "txn_uuid": txn_uuid,
            "txn_id": format!("{merchant_id}-{order_id}-1"),
            "status": status,
            "payment": {
                "sdk_params": {
                    "tr": tr,
                    "tid": format!("{}{tr}", ids::digits(6)),
                    "merchant_vpa": config.ec.payee_vpa,
                    "merchant_name": config.ec.payee_name,
                    "mcc": config.ec.mcc,
                    "amount": amount,
                },
                "authentication": {
                    "url": start_url,
                    "method": "GET",
                },
            },
            "order_id": order_id,
        }),
        config.fault.as_ref(),
    )
}

/// HTTP 302 to `location`, with an empty body.
fn redirect(location: &str) -> Response {
    let mut response = reply::bytes(StatusCode::FOUND, Vec::new());
    if let Ok(value) = axum::http::HeaderValue::from_str(location) {
        response.headers_mut().insert(axum::http::header::LOCATION, value);
    }
    response
}
