//! Juspay EC: `/orders` and `/txns`.

use std::time::Duration;

use upi_reference_server::ServerConfig;
use upi_spec::deeplink::{self, MessageId};

use crate::support::*;

#[tokio::test]
async fn an_order_is_created_and_paid_with_sdk_params_for_a_deeplink() {
    let server = start().await;
    let order_id = unique("order");
    let created = create_order(&server, &order_id, "1.5").await;
    assert_eq!(created.status, 200, "{:#}", created.json);
    assert_valid("ec.orders.response", &created.json);
    assert_eq!(created.json["order_id"], order_id.as_str());

    let paid = pay_order(&server, &txns_form(&order_id)).await;
    assert_eq!(paid.status, 200, "{:#}", paid.json);
    assert_valid("ec.txns.response", &paid.json);
    let sdk = &paid.json["payment"]["sdk_params"];
    assert_eq!(sdk["amount"], "1.50");
    assert_eq!(sdk["merchant_vpa"], "merchant@testbank");
    assert_eq!(sdk["merchant_name"], "Test Merchant");
    assert_eq!(sdk["mcc"], "5411");
    assert!(sdk["tr"].as_str().unwrap().bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(paid.json["payment"]["authentication"]["method"], "GET");
    assert_eq!(paid.json["order_id"], order_id.as_str());

    let mapped = deeplink::map_response(MessageId::EcTxns, &paid.json).unwrap();
    assert!(mapped.violations.is_empty(), "{:?}", mapped.violations);
    let link = deeplink::build(&mapped.deeplink);
    assert!(deeplink::parse(&link).unwrap().is_conformant(), "{link}");
}

#[tokio::test]
async fn orders_need_the_api_key() {
    let server = start().await;
    let form = [("order_id", "o1"), ("amount", "1.00")];
    for auth in [None, Some("wrong_key")] {
        let mut request = server.http.post(server.url("/orders")).form(&form);
        if let Some(user) = auth {
            request = request.basic_auth(user, Some(""));
        }
        let a = answer(request.send().await.unwrap()).await;
        assert_eq!(a.status, 401);
        assert_eq!(a.json["error_code"], "UNAUTHENTICATED");
        assert_valid("ec.txns.error", &a.json);
    }
}

#[tokio::test]
async fn orders_are_judged_by_their_model_and_unique() {
    let server = start().await;
    let bad = create_order(&server, "has space", "1.00").await;
    assert_eq!(bad.status, 400);
    assert_valid("ec.txns.error", &bad.json);
    assert!(
        bad.json["error_message"]
            .as_str()
            .unwrap()
            .starts_with("ec.orders.request.order_id.charset")
    );

    let id = unique("dup");
    assert_eq!(create_order(&server, &id, "1.00").await.status, 200);
    let again = create_order(&server, &id, "1.00").await;
    assert_eq!(again.status, 400);
    assert_valid("ec.txns.error", &again.json);
}

#[tokio::test]
async fn txns_rejections_use_the_error_shape() {
    let server = start().await;
    // Unknown order.
    let unknown = pay_order(&server, &txns_form("no-such-order")).await;
    assert_eq!(unknown.status, 400);
    assert_valid("ec.txns.error", &unknown.json);
    assert_eq!(unknown.json["error_message"], "Order not found");

    // A rule of the model: payment_method_type must be UPI.
    let id = unique("o");
    create_order(&server, &id, "10").await;
    let mut form = txns_form(&id);
    form[2].1 = "CARD".into();
    let bad = pay_order(&server, &form).await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.json["error_message"]
            .as_str()
            .unwrap()
            .starts_with("ec.txns.request.payment_method_type.const")
    );

    // Missing header x-routing-id.
    let response = server
        .http
        .post(server.url("/txns"))
        .form(&txns_form(&id))
        .send()
        .await
        .unwrap();
    let missing = answer(response).await;
    assert_eq!(missing.status, 400);
    assert_eq!(missing.json["error_code"], "MISSING_MANDATORY_PARAMETER");

    // Wrong merchant.
    let mut form = txns_form(&id);
    form[1].1 = "someone_else".into();
    assert_eq!(pay_order(&server, &form).await.status, 400);

    // Paid once, then refused.
    assert_eq!(pay_order(&server, &txns_form(&id)).await.status, 200);
    let twice = pay_order(&server, &txns_form(&id)).await;
    assert_eq!(twice.status, 400);
    assert_eq!(twice.json["error_message"], "Order already paid");
}

#[tokio::test]
async fn an_expired_order_has_timed_out() {
    let mut config = ServerConfig::test_defaults();
    config.limits.order_lifetime = Duration::from_millis(1);
    let server = start_with(config).await;
    let id = unique("late");
    create_order(&server, &id, "1.00").await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    let late = pay_order(&server, &txns_form(&id)).await;
    assert_eq!(late.status, 400);
    assert_eq!(late.json["error_message"], "Order timed out");
    assert_valid("ec.txns.error", &late.json);
}

/// Seed 001, `format`: "Otherwise, the response is HTTP 302 with the Location attribute having
/// the destination URL."
#[tokio::test]
async fn a_format_other_than_json_is_answered_302_with_location() {
    let server = start().await;
    let id = unique("F");
    create_order(&server, &id, "10").await;
    let mut form = txns_form(&id);
    form.retain(|(k, _)| *k != "format");
    form.push(("format", "html".to_owned()));
    let a = pay_order(&server, &form).await;
    assert_eq!(a.status, 302);
    let location = a.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(location.contains("/v2/pay/start/"), "{location:?}");
}
