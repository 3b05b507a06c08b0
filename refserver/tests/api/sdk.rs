//! What the vendors' own SDKs send (refserver/README.md, "Vendor SDKs"): accepted where the
//! seed allows it, accepted with an `x-upi-conformance-warning` header naming the relaxed rule
//! where the seed is stricter but the meaning is unambiguous, refused (naming the rule) where
//! the seed requires otherwise. Every refusal names its rules; all of a request's violations
//! come in one answer.

use std::collections::BTreeMap;

use base64::Engine as _;
use upi_spec::crypto::payu_hash::hex_sha512;

use crate::support::*;

const WARNING: &str = "x-upi-conformance-warning";

fn warnings(a: &Answer) -> Vec<String> {
    a.headers
        .get_all(WARNING)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

fn rule_ids(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("no rule list: {value}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

async fn order_with_auth(server: &Server, order_id: &str, authorization: &str) -> Answer {
    let response = server
        .http
        .post(server.url("/orders"))
        .header("authorization", authorization)
        .form(&[("order_id", order_id), ("amount", "1.00")])
        .send()
        .await
        .unwrap();
    answer(response).await
}

/// Juspay's Node SDK: `Basic base64(api_key)`, no colon. Accepted with a warning; the form
/// DOMAIN.md states has none; a wrong key is refused under `server.ec.basic-auth`.
#[tokio::test]
async fn basic_auth_without_the_colon_is_accepted_with_a_warning() {
    let server = start().await;
    let b64 = |s: &str| format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(s));
    let node = order_with_auth(&server, &unique("node"), &b64("test_api_key")).await;
    assert_eq!(node.status, 200, "{:#}", node.json);
    let w = warnings(&node);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].starts_with("server.ec.basic-auth.colon; "), "{w:?}");

    // The same warning is in the client report, with severity `warning`.
    let report: serde_json::Value = server
        .http
        .get(server.url("/sandbox/report"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let noted = report["entries"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["violations"].as_array().unwrap().iter())
        .any(|v| v["rule"] == "server.ec.basic-auth.colon" && v["severity"] == "warning");
    assert!(noted, "{report:#}");

    let exact = order_with_auth(&server, &unique("exact"), &b64("test_api_key:")).await;
    assert_eq!(exact.status, 200);
    assert!(warnings(&exact).is_empty());

    let wrong = order_with_auth(&server, &unique("wrong"), &b64("other_key")).await;
    assert_eq!(wrong.status, 401);
    assert_eq!(rule_ids(&wrong.json["rule_ids"]), ["server.ec.basic-auth"]);
    assert_valid("ec.txns.error", &wrong.json);
}

/// Juspay's Python SDK posts `redirect_after_payment=True` (Python's `str(True)`): accepted
/// with a warning naming the format rule; `TRUE` is still refused under that rule.
#[tokio::test]
async fn python_booleans_are_accepted_with_a_warning() {
    let server = start().await;
    for (sent, status) in [("True", 200), ("False", 200), ("true", 200), ("TRUE", 400)] {
        let order_id = unique("py");
        assert_eq!(create_order(&server, &order_id, "2.00").await.status, 200);
        let mut form = txns_form(&order_id);
        form.retain(|(k, _)| *k != "redirect_after_payment");
        form.push(("redirect_after_payment", sent.to_owned()));
        let a = pay_order(&server, &form).await;
        assert_eq!(a.status.as_u16(), status, "{sent}: {:#}", a.json);
        let w = warnings(&a);
        let rule = "ec.txns.request.redirect_after_payment.format";
        match sent {
            "True" | "False" => assert!(w.len() == 1 && w[0].starts_with(&format!("{rule}; ")), "{w:?}"),
            "true" => assert!(w.is_empty(), "{w:?}"),
            _ => {
                assert!(w.is_empty(), "{w:?}");
                assert_eq!(rule_ids(&a.json["rule_ids"]), [rule]);
            }
        }
    }
}

/// `x-routing-id` is "String, Required" in seed 001: a client that cannot send it (Juspay's
/// Python clients) is refused, and the refusal names the rule.
#[tokio::test]
async fn txns_without_x_routing_id_is_refused_naming_the_rule() {
    let server = start().await;
    let order_id = unique("norouting");
    assert_eq!(create_order(&server, &order_id, "2.00").await.status, 200);
    let response = server
        .http
        .post(server.url("/txns"))
        .form(&txns_form(&order_id))
        .send()
        .await
        .unwrap();
    let a = answer(response).await;
    assert_eq!(a.status, 400);
    assert_eq!(
        rule_ids(&a.json["rule_ids"]),
        ["ec.txns.request.header.x-routing-id.required"]
    );
    assert!(warnings(&a).is_empty());
    assert_valid("ec.txns.error", &a.json);
}

/// PayU's web SDKs post `additionalCharges` and hash it after the salt (web-sdk-nodejs
/// `paymentHasher`): read as `additional_charges` with a warning, the hash verifies. A
/// look-alike spelling no SDK uses is refused, naming the field.
#[tokio::test]
async fn payu_sdk_spelling_is_read_with_a_warning_and_look_alikes_refused() {
    let server = start().await;
    let txnid = unique("sdk");
    let mut form: BTreeMap<String, String> = payment_form(&txnid);
    form.remove("udf1");
    form.remove("udf5");
    form.insert("additionalCharges".into(), "10.00".into());
    // The SDK's own string, written out: key|txnid|amount|productinfo|firstname|email|udf1..5|||||salt|additionalCharges.
    let hashed = format!("{PAYU_KEY}|{txnid}|100|Product Info|Ashish|ashish@example.com|||||||||||{PAYU_SALT}|10.00");
    form.insert("hash".into(), hex_sha512(hashed.as_bytes()).to_string());
    let a = start_payment(&server, &form).await;
    assert_eq!(a.status, 200, "{:#}", a.json);
    let w = warnings(&a);
    assert!(
        w.len() == 1 && w[0].starts_with("server.payu.field-name.sdk-spelling; additionalCharges"),
        "{w:?}"
    );

    let mut look_alike = payment_form(&unique("alike"));
    look_alike.insert("productInfo".into(), "Other".into());
    let a = start_payment(&server, &look_alike).await;
    assert_eq!(a.status, 400, "{:#}", a.json);
    assert_eq!(
        rule_ids(&a.json["metaData"]["ruleIds"]),
        ["server.payu.field-name.look-alike"]
    );
    assert!(
        a.json["metaData"]["message"]
            .as_str()
            .unwrap()
            .contains("`productInfo`")
    );
    assert_valid("payu.payment.error", &a.json);
}

/// One request breaking two rules gets both in one answer, in each API's error shape.
#[tokio::test]
async fn two_violations_come_in_one_answer() {
    let server = start().await;
    // EC /txns: merchant_id missing and payment_method_type not UPI.
    let order_id = unique("two");
    assert_eq!(create_order(&server, &order_id, "2.00").await.status, 200);
    let mut form = txns_form(&order_id);
    form.retain(|(k, _)| *k != "merchant_id" && *k != "payment_method_type");
    form.push(("payment_method_type", "CARD".to_owned()));
    let a = pay_order(&server, &form).await;
    assert_eq!(a.status, 400);
    let ids = rule_ids(&a.json["rule_ids"]);
    assert!(
        ids.iter().any(|r| r.starts_with("ec.txns.request.merchant_id.")),
        "{ids:?}"
    );
    assert!(
        ids.iter()
            .any(|r| r.starts_with("ec.txns.request.payment_method_type.")),
        "{ids:?}"
    );
    let message = a.json["error_message"].as_str().unwrap();
    assert!(ids.iter().all(|r| message.contains(r.as_str())), "{message}");
    assert_valid("ec.txns.error", &a.json);

    // PayU _payment: pg and txn_s2s_flow both wrong, hash recomputed so only they are broken.
    let mut payu = payment_form(&unique("two"));
    payu.insert("pg".into(), "CC".into());
    payu.insert("txn_s2s_flow".into(), "3".into());
    rehash(&mut payu);
    let a = start_payment(&server, &payu).await;
    assert_eq!(a.status, 400);
    let ids = rule_ids(&a.json["metaData"]["ruleIds"]);
    assert!(ids.iter().any(|r| r.contains(".pg.")), "{ids:?}");
    assert!(ids.iter().any(|r| r.contains(".txn_s2s_flow.")), "{ids:?}");
    assert_valid("payu.payment.error", &a.json);

    // Merchant Stack: two body fields broken in one signed request.
    let id = unique("two");
    let mut payload = intent_payload(Version::V3, &id);
    payload["amount"] = "1.5".into();
    payload["refCategory"] = "99".into();
    let a = post_intent(&server, &intent_headers(Version::V3, &id), envelope(&payload)).await;
    assert_eq!(a.status, 400, "{:#}", a.json);
    let ids = rule_ids(&a.json["ruleIds"]);
    assert!(ids.iter().any(|r| r.contains(".amount.")), "{ids:?}");
    assert!(ids.iter().any(|r| r.contains(".refCategory.")), "{ids:?}");
    assert_valid(Version::V3.response().as_str(), &a.json);
}

/// Refusals the server decides outside the models name their rule too.
#[tokio::test]
async fn server_decided_refusals_name_their_rule() {
    let server = start().await;
    let mut form = txns_form(&unique("missing"));
    let a = pay_order(&server, &form).await;
    assert_eq!(rule_ids(&a.json["rule_ids"]), ["server.ec.order-payable"]);
    form.retain(|(k, _)| *k != "merchant_id");
    form.push(("merchant_id", "someone_else".to_owned()));
    let a = pay_order(&server, &form).await;
    assert_eq!(rule_ids(&a.json["rule_ids"]), ["server.ec.known-merchant"]);

    let mut wrong_hash = payment_form(&unique("hash"));
    wrong_hash.insert("hash".into(), "0".repeat(128));
    let a = start_payment(&server, &wrong_hash).await;
    assert_eq!(rule_ids(&a.json["metaData"]["ruleIds"]), ["payu.hash.request.mismatch"]);
}
