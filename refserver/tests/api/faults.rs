//! Every fault changes the server's behaviour observably: one test per fault, each asserting
//! what the clean server would not do.

use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use upi_reference_server::{Fault, ServerConfig};
use upi_spec::crypto::SignatureAlgorithm;
use upi_spec::crypto::payu_hash;
use upi_spec::crypto::payu_sequence::HashFamily;

use crate::payu::{callback_fields, callback_receiver, set_callback};
use crate::support::*;

/// A V3 request with one payload field replaced, against a server with `fault`.
async fn intent_with(fault: Fault, name: &str, value: serde_json::Value) -> Answer {
    let server = faulty(fault).await;
    let id = unique("F");
    let mut payload = intent_payload(Version::V3, &id);
    payload[name] = value;
    post_intent(&server, &intent_headers(Version::V3, &id), envelope(&payload)).await
}

#[tokio::test]
async fn accept_long_merchant_request_id() {
    let server = faulty(Fault::AcceptLongMerchantRequestId).await;
    let id = format!("{}{}", unique("L"), "X".repeat(40));
    let payload = intent_payload(Version::V3, &id);
    let a = post_intent(&server, &intent_headers(Version::V3, &id), envelope(&payload)).await;
    assert_eq!(a.status, 200, "{:#}", a.json);
}

#[tokio::test]
async fn accept_amount_without_decimals() {
    let a = intent_with(Fault::AcceptAmountWithoutDecimals, "amount", json!("2")).await;
    assert_eq!(a.status, 200, "{:#}", a.json);
}

#[tokio::test]
async fn accept_ref_url_without_category() {
    let server = faulty(Fault::AcceptRefUrlWithoutCategory).await;
    let id = unique("F");
    let mut payload = intent_payload(Version::V3, &id);
    payload.as_object_mut().unwrap().remove("refCategory");
    let a = post_intent(&server, &intent_headers(Version::V3, &id), envelope(&payload)).await;
    assert_eq!(a.status, 200, "{:#}", a.json);
}

#[tokio::test]
async fn ignore_routing_header() {
    let server = faulty(Fault::IgnoreRoutingHeader).await;
    let id = unique("F");
    let mut headers = intent_headers(Version::V3, &id);
    headers[4].1 = "someone-else".into();
    let a = post_intent(&server, &headers, envelope(&intent_payload(Version::V3, &id))).await;
    assert_eq!(a.status, 200, "{:#}", a.json);
}

#[tokio::test]
async fn skip_jws_verification() {
    let server = faulty(Fault::SkipJwsVerification).await;
    let id = unique("F");
    let payload = intent_payload(Version::V3, &id);
    let body = envelope_with(
        WRONG_PRIVATE_PEM,
        SignatureAlgorithm::Rs256,
        "nobody",
        &payload.to_string(),
    );
    let a = post_intent(&server, &intent_headers(Version::V3, &id), body).await;
    assert_eq!(a.status, 200, "{:#}", a.json);
}

#[tokio::test]
async fn accept_alg_none() {
    let server = faulty(Fault::AcceptAlgNone).await;
    let id = unique("F");
    let payload = intent_payload(Version::V3, &id);
    let body = json!({
        "protected": URL_SAFE_NO_PAD.encode(r#"{"alg":"none","kid":"merchant-key-1"}"#),
        "payload": URL_SAFE_NO_PAD.encode(payload.to_string()),
        "signature": "AAAA",
    });
    let a = post_intent(&server, &intent_headers(Version::V3, &id), body.to_string()).await;
    assert_eq!(a.status, 200, "{:#}", a.json);
}

#[tokio::test]
async fn drop_payee_vpa() {
    let server = faulty(Fault::DropPayeeVpa).await;
    let (_, _, a) = register(&server, Version::V3).await;
    assert_eq!(a.status, 200);
    let broken = must_violations(Version::V3.response().as_str(), &a.json);
    assert!(
        broken.iter().any(|v| v.contains("payload.payeeVpa.required")),
        "{broken:?}"
    );
}

#[tokio::test]
async fn change_response_amount() {
    let server = faulty(Fault::ChangeResponseAmount).await;
    let (_, payload, a) = register(&server, Version::V3).await;
    assert_eq!(payload["amount"], "2.00");
    assert_eq!(a.json["payload"]["amount"], "3.00");
}

#[tokio::test]
async fn accept_wrong_payu_hash() {
    let server = faulty(Fault::AcceptWrongPayuHash).await;
    let mut form = payment_form(&unique("F"));
    form.insert("hash".into(), "0".repeat(128));
    assert_eq!(start_payment(&server, &form).await.status, 200);
}

#[tokio::test]
async fn wrong_callback_hash() {
    let (fields, verdict) = paid_callback(Fault::WrongCallbackHash).await;
    assert!(verdict.is_err(), "{fields:?}");
}

/// The S2S callback of a payment of 100 completed on a server with `fault`, and whether its
/// reverse hash verifies.
async fn paid_callback(
    fault: Fault,
) -> (
    std::collections::BTreeMap<String, String>,
    Result<(), payu_hash::PayuHashError>,
) {
    let server = faulty(fault).await;
    let (url, mut callbacks) = callback_receiver().await;
    set_callback(&server, &url).await;
    let txnid = unique("F");
    start_payment(&server, &payment_form(&txnid)).await;
    complete(&server, &txnid, "success").await;
    let fields = callback_fields(&callbacks.recv().await.unwrap());
    let verdict = payu_hash::verify(HashFamily::Response, &fields, &payu_salt(), &fields["hash"]);
    (fields, verdict)
}

#[tokio::test]
async fn raw_space_in_intent_uri() {
    let server = faulty(Fault::RawSpaceInIntentUri).await;
    let a = start_payment(&server, &payment_form(&unique("F"))).await;
    let intent = a.json["result"]["intentURIData"].as_str().unwrap();
    assert!(intent.contains("tn=UPI Intent"), "{intent}");
}

#[tokio::test]
async fn accept_duplicate_txnid() {
    let server = faulty(Fault::AcceptDuplicateTxnid).await;
    let form = payment_form(&unique("F"));
    start_payment(&server, &form).await;
    assert_eq!(start_payment(&server, &form).await.status, 200);
}

#[tokio::test]
async fn accept_duplicate_merchant_request_id() {
    let server = faulty(Fault::AcceptDuplicateMerchantRequestId).await;
    let (id, payload, _) = register(&server, Version::V3).await;
    let again = post_intent(&server, &intent_headers(Version::V3, &id), envelope(&payload)).await;
    assert_eq!(again.status, 200);
}

#[tokio::test]
async fn http_500_on_non_ascii_remarks() {
    let server = faulty(Fault::Http500OnNonAsciiRemarks).await;
    let id = unique("F");
    let mut payload = intent_payload(Version::V2, &id);
    payload["remarks"] = json!("Paiement reçu");
    let a = post_intent(&server, &intent_headers(Version::V2, &id), envelope(&payload)).await;
    assert_eq!(a.status, 500);
}

#[tokio::test]
async fn slow_response() {
    let mut config = ServerConfig::test_defaults().with_fault(Some(Fault::SlowResponse));
    config.limits.slow_response_delay = Duration::from_millis(400);
    let server = start_with(config).await;
    let started = Instant::now();
    let quick = server
        .http
        .get(server.url("/sandbox/health"))
        .timeout(Duration::from_millis(150))
        .send()
        .await;
    assert!(quick.is_err_and(|e| e.is_timeout()));
    assert!(started.elapsed() < Duration::from_millis(400));
}

#[tokio::test]
async fn accept_bad_udf_update_hash() {
    let server = faulty(Fault::AcceptBadUdfUpdateHash).await;
    let txnid = unique("F");
    start_payment(&server, &payment_form(&txnid)).await;
    let a = udf_update(&server, &txnid, &"0".repeat(128)).await;
    assert_eq!(a.json["status"], "UDF values updated");
}

#[tokio::test]
async fn verify_payment_wrong_status() {
    let server = faulty(Fault::VerifyPaymentWrongStatus).await;
    let txnid = unique("F");
    start_payment(&server, &payment_form(&txnid)).await;
    let a = verify_payment(&server, &txnid, &command_hash("verify_payment", &txnid)).await;
    assert_eq!(a.json["transaction_details"][&txnid]["status"], "success");
}

#[tokio::test]
async fn txns_accept_unknown_order() {
    let server = faulty(Fault::TxnsAcceptUnknownOrder).await;
    let a = pay_order(&server, &txns_form("never-created")).await;
    assert_eq!(a.status, 200);
}

#[tokio::test]
async fn txns_wrong_sdk_amount() {
    let server = faulty(Fault::TxnsWrongSdkAmount).await;
    let id = unique("F");
    create_order(&server, &id, "10").await;
    let a = pay_order(&server, &txns_form(&id)).await;
    assert_eq!(a.json["payment"]["sdk_params"]["amount"], "11.00");
}

#[tokio::test]
async fn missing_response_signature() {
    let server = faulty(Fault::MissingResponseSignature).await;
    let (_, _, a) = register(&server, Version::V3).await;
    assert_eq!(a.status, 200);
    assert!(a.headers.get("x-response-signature").is_none());
}

#[tokio::test]
async fn accept_missing_jpupi_routing_id() {
    let server = faulty(Fault::AcceptMissingJpupiRoutingId).await;
    let id = unique("F");
    let headers: Vec<_> = intent_headers(Version::V3, &id)
        .into_iter()
        .filter(|(k, _)| k != "jpupi-routing-id")
        .collect();
    let a = post_intent(&server, &headers, envelope(&intent_payload(Version::V3, &id))).await;
    assert_eq!(a.status, 200, "{:#}", a.json);
}

#[tokio::test]
async fn orders_without_auth() {
    let server = faulty(Fault::OrdersWithoutAuth).await;
    let form = [("order_id", unique("F")), ("amount", "1.00".into())];
    let a = answer(
        server
            .http
            .post(server.url("/orders"))
            .form(&form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, 200, "{:#}", a.json);
    // A wrong key is still refused: the fault is about the missing header.
    let wrong = server
        .http
        .post(server.url("/orders"))
        .basic_auth("wrong_key", Some(""));
    let a = answer(wrong.form(&[("order_id", unique("F"))]).send().await.unwrap()).await;
    assert_eq!(a.status, 401);
}

#[tokio::test]
async fn orders_refused() {
    let server = faulty(Fault::OrdersRefused).await;
    let a = create_order(&server, &unique("F"), "1.00").await;
    assert_eq!(a.status, 400, "a valid order is refused: {:#}", a.json);
    let clean = start().await;
    assert_eq!(create_order(&clean, &unique("F"), "1.00").await.status, 200);
}

#[tokio::test]
async fn drop_connection_on_large_body() {
    let server = faulty(Fault::DropConnectionOnLargeBody).await;
    let small = server.http.post(server.url("/sandbox/health")).body("x".repeat(1_000));
    assert_eq!(small.send().await.unwrap().status(), 405, "small bodies are answered");
    for size in [64 * 1024 + 1, 200_000] {
        let large = server
            .http
            .post(server.url("/sandbox/payu/complete"))
            .body("x".repeat(size));
        let error = large.send().await.expect_err("no answer to a large body");
        assert!(
            !error.is_timeout() && error.status().is_none(),
            "{size} bytes: {error:?}"
        );
    }
    // The connection drops; the server does not: the next request is answered.
    let health = server.http.get(server.url("/sandbox/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test]
async fn signature_failure_400() {
    let server = faulty(Fault::SignatureFailure400).await;
    let id = unique("F");
    let payload = intent_payload(Version::V3, &id);
    let body = envelope_with(
        WRONG_PRIVATE_PEM,
        SignatureAlgorithm::Rs256,
        "merchant-key-1",
        &payload.to_string(),
    );
    let a = post_intent(&server, &intent_headers(Version::V3, &id), body).await;
    assert_eq!(a.status, 400, "{:#}", a.json);
    assert_eq!(a.json["status"], "FAILURE");
}

#[tokio::test]
async fn wrong_refusal_code() {
    let a = intent_with(Fault::WrongRefusalCode, "amount", json!("2")).await;
    assert_eq!(a.status, 400, "{:#}", a.json);
    assert_eq!(a.json["responseCode"], "DUPLICATE_REQUEST");
    let server = faulty(Fault::WrongRefusalCode).await;
    let id = unique("F");
    create_order(&server, &id, "10").await;
    let mut form = txns_form(&id);
    form.retain(|(k, _)| *k != "payment_method");
    let a = pay_order(&server, &form).await;
    assert_eq!(a.status, 400, "{:#}", a.json);
    assert_eq!(a.json["error_code"], "UNAUTHENTICATED");
}

#[tokio::test]
async fn ignore_rule_ignores_exactly_one_rule() {
    let rule = "merchant.register-intent.v3.request.amount.format";
    let a = intent_with(Fault::IgnoreRule(rule.into()), "amount", json!("2")).await;
    assert_eq!(a.status, 200, "{:#}", a.json);
    let b = intent_with(
        Fault::IgnoreRule(rule.into()),
        "merchantRequestId",
        json!("X".repeat(40)),
    )
    .await;
    assert_eq!(b.status, 400, "{:#}", b.json);
}

#[tokio::test]
async fn payu_intent_amount_differs() {
    let server = faulty(Fault::PayuIntentAmountDiffers).await;
    let a = start_payment(&server, &payment_form(&unique("F"))).await;
    assert_eq!(a.json["result"]["amount"], "101.00", "{:#}", a.json);
    let intent = a.json["result"]["intentURIData"].as_str().unwrap();
    assert!(intent.contains("am=101.00"), "{intent}");
}

#[tokio::test]
async fn payu_intent_status_success() {
    let server = faulty(Fault::PayuIntentStatusSuccess).await;
    let a = start_payment(&server, &payment_form(&unique("F"))).await;
    assert_eq!(a.json["metaData"]["txnStatus"], "success", "{:#}", a.json);
    assert_eq!(a.json["metaData"]["unmappedStatus"], "captured");
    assert!(a.json["result"]["intentURIData"].is_string());
}

#[tokio::test]
async fn txns_fresh_status_charged() {
    let server = faulty(Fault::TxnsFreshStatusCharged).await;
    let id = unique("F");
    create_order(&server, &id, "10").await;
    let a = pay_order(&server, &txns_form(&id)).await;
    assert_eq!(a.json["status"], "CHARGED", "{:#}", a.json);
}

#[tokio::test]
async fn txns_format_ignored() {
    let server = faulty(Fault::TxnsFormatIgnored).await;
    let id = unique("F");
    create_order(&server, &id, "10").await;
    let mut form = txns_form(&id);
    form.retain(|(k, _)| *k != "format");
    form.push(("format", "html".to_owned()));
    let a = pay_order(&server, &form).await;
    assert_eq!(a.status, 200, "{:#}", a.json);
    assert!(a.headers.get("location").is_none());
}

#[tokio::test]
async fn udf_update_not_persisted() {
    let server = faulty(Fault::UdfUpdateNotPersisted).await;
    let txnid = unique("F");
    start_payment(&server, &payment_form(&txnid)).await;
    let a = udf_update(&server, &txnid, &command_hash("udf_update", &txnid)).await;
    assert_eq!(a.json["udf5"], "INV000000005", "{:#}", a.json);
    let v = verify_payment(&server, &txnid, &command_hash("verify_payment", &txnid)).await;
    assert_eq!(
        v.json["transaction_details"][&txnid]["udf5"], "INV123456",
        "{:#}",
        v.json
    );
}

#[tokio::test]
async fn udf_update_echo_shifted() {
    let server = faulty(Fault::UdfUpdateEchoShifted).await;
    let txnid = unique("F");
    start_payment(&server, &payment_form(&txnid)).await;
    let a = udf_update(&server, &txnid, &command_hash("udf_update", &txnid)).await;
    assert_eq!(a.json["udf1"], txnid.as_str(), "{:#}", a.json);
    let v = verify_payment(&server, &txnid, &command_hash("verify_payment", &txnid)).await;
    assert_eq!(
        v.json["transaction_details"][&txnid]["udf1"], "AAAPZ1234C",
        "{:#}",
        v.json
    );
}

#[tokio::test]
async fn callback_amount_differs() {
    let (fields, verdict) = paid_callback(Fault::CallbackAmountDiffers).await;
    assert_eq!(fields["amount"], "101.00");
    assert!(verdict.is_ok(), "the hash is over the amount sent: {verdict:?}");
}

#[tokio::test]
async fn callback_mihpayid_differs() {
    let server = faulty(Fault::CallbackMihpayidDiffers).await;
    let (url, mut callbacks) = callback_receiver().await;
    set_callback(&server, &url).await;
    let txnid = unique("F");
    let started = start_payment(&server, &payment_form(&txnid)).await;
    complete(&server, &txnid, "success").await;
    let fields = callback_fields(&callbacks.recv().await.unwrap());
    let paid = started.json["result"]["paymentId"].as_str().unwrap_or_default();
    assert!(!paid.is_empty(), "{:#}", started.json);
    assert_ne!(fields["mihpayid"], paid);
    let verdict = payu_hash::verify(HashFamily::Response, &fields, &payu_salt(), &fields["hash"]);
    assert!(verdict.is_ok(), "the hash is over the mihpayid sent: {verdict:?}");
}

#[tokio::test]
async fn intent_tid_repeated() {
    let server = faulty(Fault::IntentTidRepeated).await;
    let tid = |a: &Answer| {
        let data = a.json["result"]["intentURIData"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        data.split('&').find(|p| p.starts_with("tid=")).map(str::to_owned)
    };
    let a = start_payment(&server, &payment_form(&unique("F"))).await;
    let b = start_payment(&server, &payment_form(&unique("F"))).await;
    assert!(tid(&a).is_some(), "{:#}", a.json);
    assert_eq!(tid(&a), tid(&b));
}

#[tokio::test]
async fn udf_update_unknown_txnid() {
    let server = faulty(Fault::UdfUpdateUnknownTxnid).await;
    let txnid = unique("NEVER");
    let a = udf_update(&server, &txnid, &command_hash("udf_update", &txnid)).await;
    assert_eq!(a.json["status"], "UDF values updated", "{:#}", a.json);
}

#[tokio::test]
async fn invoice_unknown_payuid_code() {
    let server = faulty(Fault::InvoiceUnknownPayuidCode).await;
    let hash = command_hash("opgsp_upload_invoice_awb", "123");
    let a = crate::payu::upload(&server, "123", Some(("invoice.pdf", b"%PDF-1.4")), &hash).await;
    assert_eq!(a.json["responseCode"], "103", "{:#}", a.json);
}

#[tokio::test]
async fn udf6_10_after_salt() {
    let server = faulty(Fault::Udf6To10AfterSalt).await;
    let mut form = payment_form(&unique("F"));
    form.insert("api_version".into(), "7".into());
    rehash(&mut form);
    assert_eq!(
        start_payment(&server, &form).await.status,
        200,
        "no udf6..udf10: nothing moves"
    );
    form.insert("txnid".into(), unique("F"));
    form.insert("udf6".into(), "SIX".into());
    form.remove("hash");
    rehash(&mut form);
    assert_eq!(start_payment(&server, &form).await.status, 400);
}

#[test]
fn every_fault_has_a_test_here() {
    let source = include_str!("faults.rs");
    for fault in Fault::ALL {
        let test = format!(
            "async fn {}()",
            fault.name().replace('-', "_").replace("500_on", "http_500_on")
        );
        assert!(source.contains(&test), "no test for {fault}: expected `{test}`");
    }
}
