//! PayU: `_payment`, the sandbox completion and S2S callback, `verify_payment`, `udf_update`
//! and the invoice upload.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use tokio::sync::mpsc;
use upi_spec::crypto::payu_hash;
use upi_spec::crypto::payu_sequence::HashFamily;
use upi_spec::deeplink;
use upi_spec::input::{Document, pairs_to_object, parse_form_pairs};

use crate::support::*;

/// A merchant's callback endpoint: every body posted to `/callback` arrives on the channel.
pub async fn callback_receiver() -> (String, mpsc::UnboundedReceiver<String>) {
    let (sender, receiver) = mpsc::unbounded_channel::<String>();
    let app = Router::new()
        .route(
            "/callback",
            post(
                |State(tx): State<Arc<mpsc::UnboundedSender<String>>>, body: Bytes| async move {
                    let _ = tx.send(String::from_utf8_lossy(&body).into_owned());
                    "ok"
                },
            ),
        )
        .with_state(Arc::new(sender));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/callback", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, receiver)
}

pub async fn set_callback(server: &Server, url: &str) -> Answer {
    let response = server
        .http
        .post(server.url("/sandbox/payu/callback-url"))
        .form(&[("url", url)])
        .send()
        .await
        .unwrap();
    answer(response).await
}

/// The callback's fields, after checking it against `payu.callback`.
pub fn callback_fields(body: &str) -> BTreeMap<String, String> {
    let pairs = parse_form_pairs(body).unwrap();
    let document = Document::body(pairs_to_object(pairs.clone(), "form body").unwrap());
    let message = upi_spec::messages::find("payu.callback").unwrap();
    let broken: Vec<_> = upi_spec::validate::validate(message, &document)
        .into_iter()
        .filter(|v| v.severity == upi_spec::Severity::Must)
        .collect();
    assert!(broken.is_empty(), "{broken:#?}");
    assert_eq!(pairs.len(), 49);
    pairs.into_iter().collect()
}

#[tokio::test]
async fn the_whole_intent_flow() {
    let server = start().await;
    let (url, mut callbacks) = callback_receiver().await;
    assert_eq!(set_callback(&server, &url).await.status, 200);

    let txnid = unique("payuTxn");
    let started = start_payment(&server, &payment_form(&txnid)).await;
    assert_eq!(started.status, 200, "{:#}", started.json);
    assert_valid("payu.payment.response", &started.json);
    let result = &started.json["result"];
    assert_eq!(started.json["metaData"]["txnStatus"], "pending");
    assert_eq!(started.json["metaData"]["unmappedStatus"], "pending");
    assert_eq!(started.json["metaData"]["txnId"], txnid.as_str());
    assert_eq!(result["amount"], "100.00");
    let payment_id = result["paymentId"].as_str().unwrap().to_owned();
    let intent = result["intentURIData"].as_str().unwrap();
    let parsed = deeplink::parse_intent_uri_data(intent).unwrap();
    assert!(parsed.is_conformant(), "{intent}: {:?}", parsed.violations);
    assert!(intent.contains(&format!("tr={payment_id}")) && intent.contains("tn=UPI%20Intent"));
    assert!(!intent.contains(' '));

    let pending = verify_payment(&server, &txnid, &command_hash("verify_payment", &txnid)).await;
    assert_valid("payu.verify-payment.response", &pending.json);
    assert_eq!(pending.json["transaction_details"][&txnid]["status"], "pending");

    let done = complete(&server, &txnid, "success").await;
    assert_eq!(done.status, 200, "{:#}", done.json);
    assert_eq!(done.json["delivered"], true);
    assert_eq!(done.json["callback_status"], 200);
    let body = callbacks.recv().await.unwrap();
    let fields = callback_fields(&body);
    assert_eq!(fields["status"], "success");
    assert_eq!(fields["mihpayid"], payment_id);
    assert_eq!(fields["txnid"], txnid);
    payu_hash::verify(HashFamily::Response, &fields, &payu_salt(), &fields["hash"]).expect("the reverse hash verifies");

    let verified = verify_payment(&server, &txnid, &command_hash("verify_payment", &txnid)).await;
    assert_eq!(verified.status, 200);
    assert_valid("payu.verify-payment.response", &verified.json);
    assert_eq!(verified.json["status"], 1);
    let details = &verified.json["transaction_details"][&txnid];
    assert_eq!(details["status"], "success");
    assert_eq!(details["mihpayid"], payment_id.as_str());

    let updated = udf_update(&server, &txnid, &command_hash("udf_update", &txnid)).await;
    assert_eq!(updated.status, 200);
    assert_valid("payu.udf-update.response", &updated.json);
    assert_eq!(updated.json["transaction_id"], txnid.as_str());
    assert_eq!(updated.json["udf1"], "AAAPZ1234C");
    assert_eq!(updated.json["udf2"], "");
    assert_eq!(updated.json["udf5"], "INV000000005");

    // Completing twice is refused.
    assert_eq!(complete(&server, &txnid, "failure").await.status, 409);
}

#[tokio::test]
async fn a_failed_payment_is_reported_failed() {
    let server = start().await;
    let txnid = unique("fail");
    start_payment(&server, &payment_form(&txnid)).await;
    let done = complete(&server, &txnid, "failure").await;
    assert_eq!(done.json["delivered"], false, "no callback URL is set");
    let verified = verify_payment(&server, &txnid, &command_hash("verify_payment", &txnid)).await;
    assert_eq!(verified.json["transaction_details"][&txnid]["status"], "failure");
}

#[tokio::test]
async fn payment_rejections_use_the_error_shape() {
    let server = start().await;
    let txnid = unique("rej");
    let mut wrong_hash = payment_form(&txnid);
    wrong_hash.insert("hash".into(), "0".repeat(128));
    let mut wrong_key = payment_form(&txnid);
    wrong_key.insert("key".into(), "OTHER1".into());
    rehash(&mut wrong_key);
    let mut bad_flow = payment_form(&txnid);
    bad_flow.insert("txn_s2s_flow".into(), "2".into());
    rehash(&mut bad_flow);
    for (form, rule) in [
        (wrong_hash, "payu.hash.request.mismatch"),
        (wrong_key, "server.payu.known-key"),
        (bad_flow, "payu.payment.request.txn_s2s_flow.const"),
    ] {
        let a = start_payment(&server, &form).await;
        assert_eq!(a.status, 400, "{:#}", a.json);
        assert_valid("payu.payment.error", &a.json);
        let message = a.json["metaData"]["message"].as_str().unwrap();
        assert!(message.starts_with(rule), "{message}");
    }
    assert_eq!(start_payment(&server, &payment_form(&txnid)).await.status, 200);
    let again = start_payment(&server, &payment_form(&txnid)).await;
    assert_eq!(again.status, 400);
    assert_valid("payu.payment.error", &again.json);
}

#[tokio::test]
async fn commands_check_the_hash_and_the_txnid() {
    let server = start().await;
    let txnid = unique("cmd");
    start_payment(&server, &payment_form(&txnid)).await;
    let bad = verify_payment(&server, &txnid, &"0".repeat(128)).await;
    assert_eq!(bad.status, 200);
    assert_eq!(
        bad.json,
        serde_json::json!({"status": 0, "msg": "Invalid Hash.", "rule_ids": ["payu.hash.command.mismatch"]})
    );
    assert_valid("payu.verify-payment.response", &bad.json);

    let bad = udf_update(&server, &txnid, &command_hash("udf_update", "other")).await;
    assert_eq!(
        bad.json,
        serde_json::json!({"status": 0, "msg": "Invalid Hash.", "rule_ids": ["payu.hash.command.mismatch"]})
    );
    assert_valid("payu.udf-update.error", &bad.json);

    let unknown = udf_update(&server, "nope", &command_hash("udf_update", "nope")).await;
    assert_eq!(unknown.json["msg"], "Invalid TXN ID");
    assert_valid("payu.udf-update.error", &unknown.json);

    let missing = verify_payment(&server, "absent", &command_hash("verify_payment", "absent")).await;
    assert_eq!(missing.json["transaction_details"]["absent"]["status"], "Not Found");
    assert_valid("payu.verify-payment.response", &missing.json);
}

pub(crate) async fn upload(server: &Server, payu_id: &str, file: Option<(&str, &[u8])>, hash: &str) -> Answer {
    let mut form = reqwest::multipart::Form::new()
        .text("key", PAYU_KEY)
        .text("command", "opgsp_upload_invoice_awb")
        .text("var1", payu_id.to_owned())
        .text("var2", "TestInv0001234568")
        .text("var3", "Invoice")
        .text("hash", hash.to_owned());
    if let Some((name, bytes)) = file {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_owned()),
        );
    }
    let response = server
        .http
        .post(server.url("/merchant/postservice.php?form=2"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    answer(response).await
}

#[tokio::test]
async fn invoices_upload_with_the_seed_codes() {
    let server = start().await;
    let txnid = unique("inv");
    let started = start_payment(&server, &payment_form(&txnid)).await;
    let id = started.json["result"]["paymentId"].as_str().unwrap().to_owned();
    let hash = command_hash("opgsp_upload_invoice_awb", &id);
    let pdf: &[u8] = b"%PDF-1.4 \xff\xfe binary";
    for (payu_id, file, hash, code) in [
        (id.as_str(), Some(("invoice.pdf", pdf)), hash.as_str(), "00"),
        (id.as_str(), Some(("invoice.exe", pdf)), hash.as_str(), "105"),
        (id.as_str(), None, hash.as_str(), "109"),
        (id.as_str(), Some(("invoice.pdf", pdf)), "0", "109"),
        (id.as_str(), Some(("invoice.pdf", pdf)), &"a".repeat(128), "103"),
        (
            "123",
            Some(("invoice.pdf", pdf)),
            &command_hash("opgsp_upload_invoice_awb", "123"),
            "107",
        ),
    ] {
        let a = upload(&server, payu_id, file, hash).await;
        assert_eq!(a.status, 200);
        assert_valid("payu.invoice-upload.response", &a.json);
        assert_eq!(a.json["responseCode"], code, "{:#}", a.json);
    }
}

#[tokio::test]
async fn callback_urls_must_be_loopback() {
    let server = start().await;
    assert_eq!(set_callback(&server, "http://192.0.2.1/cb").await.status, 400);
    assert_eq!(set_callback(&server, "http://127.0.0.1:1/cb").await.status, 200);
    let health = answer(server.http.get(server.url("/sandbox/health")).send().await.unwrap()).await;
    assert_eq!(health.json, serde_json::json!({"sandbox": "upi-reference-server"}));
}
