//! Merchant Stack registerIntent, every version.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use upi_spec::crypto::{SignatureAlgorithm, keys, response_signature};
use upi_spec::input::Document;
use upi_spec::validate::check_echoes;

use crate::support::*;

#[tokio::test]
async fn every_version_answers_a_signed_success_that_its_model_accepts() {
    let server = start().await;
    let psp = keys::public_key_from_pem(PSP_PUBLIC_PEM).unwrap();
    for version in Version::ALL {
        let (id, payload, a) = register(&server, version).await;
        assert_eq!(a.status, 200, "{version:?}: {:#}", a.json);
        assert_valid(version.response().as_str(), &a.json);
        let signature = a.headers["x-response-signature"].to_str().unwrap();
        response_signature::verify(&psp, &a.raw, signature).expect("signature verifies");

        let request = Document {
            headers: Some(intent_headers(version, &id)),
            body: payload.clone(),
        };
        let response = upi_spec::messages::find(version.response().as_str()).unwrap();
        let echoes = check_echoes(response, &request, &Document::body(a.json.clone()));
        assert!(echoes.is_empty(), "{version:?}: {echoes:#?}");

        let p = &a.json["payload"];
        assert_eq!(a.json["responseCode"], "SUCCESS");
        assert_eq!(p["orderId"], id.as_str());
        assert_eq!(p["payeeName"], "Test Merchant");
        assert_eq!(p["currency"], "INR");
        assert_eq!(a.json["udfParameters"], payload["udfParameters"]);
        match version {
            Version::V3 => {
                assert_eq!(p["purpose"], "00");
                // E-061's default reading: no V3 response field (tests/api/readings.rs has the other).
                assert!(p.get("txnInitiationMode").is_none());
                assert_eq!(p["payeeVpa"], "merchant@testbank");
                assert_eq!(p["splitSettlementDetails"], payload["splitSettlementDetails"]);
                assert_eq!(p["flow"], "TRANSACTION");
            }
            Version::V2 => {
                assert_eq!(p["flow"], "TRANSACTION");
                assert_eq!(p["merchantCustomerId"], "cust42");
            }
            Version::V1 | Version::Default => {
                assert!(p.get("flow").is_none() && p.get("purpose").is_none());
            }
        }
    }
}

#[tokio::test]
async fn ps256_is_accepted() {
    let server = start().await;
    let id = unique("PS");
    let payload = intent_payload(Version::V3, &id);
    let body = envelope_with(
        MERCHANT_PRIVATE_PEM,
        SignatureAlgorithm::Ps256,
        "merchant-key-1",
        &payload.to_string(),
    );
    let a = post_intent(&server, &intent_headers(Version::V3, &id), body).await;
    assert_eq!(a.status, 200, "{:#}", a.json);
}

#[tokio::test]
async fn a_duplicate_merchant_request_id_is_a_conflict() {
    let server = start().await;
    let (id, payload, first) = register(&server, Version::V3).await;
    assert_eq!(first.status, 200);
    let again = post_intent(&server, &intent_headers(Version::V3, &id), envelope(&payload)).await;
    assert_intent_failure(
        &again,
        409,
        "DUPLICATE_REQUEST",
        "server.merchant.new-merchant-request-id",
    );
}

/// An envelope whose protected header is `header`, signature `signature`.
fn forged(header: Value, payload: &Value, signature: &str) -> String {
    json!({
        "protected": URL_SAFE_NO_PAD.encode(header.to_string()),
        "payload": URL_SAFE_NO_PAD.encode(payload.to_string()),
        "signature": signature,
    })
    .to_string()
}

#[tokio::test]
async fn jws_failures_are_unauthorized() {
    let server = start().await;
    let id = unique("JWS");
    let headers = intent_headers(Version::V3, &id);
    let payload = intent_payload(Version::V3, &id);
    let cases = [
        (
            "wrong key",
            envelope_with(
                WRONG_PRIVATE_PEM,
                SignatureAlgorithm::Rs256,
                "merchant-key-1",
                &payload.to_string(),
            ),
            "juspay.jws.signature",
        ),
        (
            "unknown kid",
            envelope_with(
                MERCHANT_PRIVATE_PEM,
                SignatureAlgorithm::Rs256,
                "other",
                &payload.to_string(),
            ),
            "juspay.jws.kid-unknown",
        ),
        (
            "alg none",
            forged(json!({"alg": "none", "kid": "merchant-key-1"}), &payload, "AAAA"),
            "juspay.jws.alg-none",
        ),
        (
            "HMAC",
            forged(json!({"alg": "HS256", "kid": "merchant-key-1"}), &payload, "AAAA"),
            "juspay.jws.alg-hmac",
        ),
    ];
    for (what, body, rule) in cases {
        let a = post_intent(&server, &headers, body).await;
        assert_intent_failure(&a, 401, "UNAUTHORIZED", rule);
        let _ = what;
    }
}

#[tokio::test]
async fn stale_timestamps_are_unauthorized() {
    let server = start().await;
    let id = unique("OLD");
    let mut payload = intent_payload(Version::V3, &id);
    payload["iat"] = json!((now_millis() - 10 * 60 * 1000).to_string());
    let a = post_intent(&server, &intent_headers(Version::V3, &id), envelope(&payload)).await;
    assert_intent_failure(&a, 401, "UNAUTHORIZED", "juspay.jws.iat.stale");

    let payload = intent_payload(Version::V3, &id);
    let mut headers = intent_headers(Version::V3, &id);
    headers[3].1 = (now_millis() - 10 * 60 * 1000).to_string();
    let a = post_intent(&server, &headers, envelope(&payload)).await;
    assert_intent_failure(&a, 401, "UNAUTHORIZED", "juspay.jws.x-timestamp.stale");
}

#[tokio::test]
async fn model_violations_are_bad_requests_naming_the_rule() {
    let server = start().await;
    let id = unique("BAD");
    let headers = intent_headers(Version::V3, &id);
    let with = |name: &str, value: Value| {
        let mut p = intent_payload(Version::V3, &id);
        p[name] = value;
        p
    };
    let cases = [
        (
            with("amount", json!("2")),
            "INVALID_DATA",
            "merchant.register-intent.v3.request.amount.format",
        ),
        (
            with("merchantRequestId", json!("A".repeat(36))),
            "INVALID_DATA",
            "merchant.register-intent.v3.request.merchantRequestId.max-length",
        ),
        (
            with("flow", json!("OTHER")),
            "INVALID_DATA",
            "merchant.register-intent.v3.request.flow.enum",
        ),
    ];
    for (payload, code, rule) in cases {
        let a = post_intent(&server, &headers, envelope(&payload)).await;
        assert_intent_failure(&a, 400, code, rule);
    }
    let mut no_category = intent_payload(Version::V3, &id);
    no_category.as_object_mut().unwrap().remove("refCategory");
    let a = post_intent(&server, &headers, envelope(&no_category)).await;
    assert_intent_failure(
        &a,
        400,
        "INVALID_DATA",
        "merchant.register-intent.v3.request.rule.ref-url-needs-category",
    );

    let mut other_route = headers.clone();
    other_route[4].1 = "someone-else".into();
    let a = post_intent(&server, &other_route, envelope(&intent_payload(Version::V3, &id))).await;
    assert_intent_failure(
        &a,
        400,
        "BAD_REQUEST",
        "merchant.register-intent.v3.request.rule.routing-id-equals-merchant-request-id",
    );

    let no_route: Vec<_> = headers
        .iter()
        .filter(|(k, _)| k != "jpupi-routing-id")
        .cloned()
        .collect();
    let a = post_intent(&server, &no_route, envelope(&intent_payload(Version::V3, &id))).await;
    assert_intent_failure(
        &a,
        400,
        "BAD_REQUEST",
        "merchant.register-intent.v3.request.header.jpupi-routing-id.required",
    );
}

#[tokio::test]
async fn versions_merchants_and_envelopes_are_checked_first() {
    let server = start().await;
    let id = unique("HDR");
    let payload = intent_payload(Version::V3, &id);

    let mut headers = intent_headers(Version::V3, &id);
    headers[5].1 = "4".into();
    let a = post_intent(&server, &headers, envelope(&payload)).await;
    assert_intent_failure(
        &a,
        400,
        "BAD_REQUEST",
        "merchant.register-intent.default.request.header.x-api-version.absent",
    );

    let mut headers = intent_headers(Version::V3, &id);
    headers[1].1 = "OTHER".into();
    let a = post_intent(&server, &headers, envelope(&payload)).await;
    assert_intent_failure(&a, 401, "INVALID_MERCHANT", "server.merchant.known-merchant");

    let mut headers = intent_headers(Version::V3, &id);
    headers[2].1 = "OTHERAPP".into();
    let a = post_intent(&server, &headers, envelope(&payload)).await;
    assert_intent_failure(&a, 401, "INVALID_MERCHANT", "server.merchant.known-merchant");

    let headers = intent_headers(Version::V3, &id);
    let a = post_intent(&server, &headers, payload.to_string()).await;
    assert_intent_failure(&a, 400, "BAD_REQUEST", "merchant.jws-envelope.protected.required");
}
