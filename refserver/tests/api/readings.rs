//! The readings of ambiguous seed sentences the server serves (`serve --reading`): each chosen
//! reading changes exactly the answer it is about, and the default is what `start()` serves.

use upi_reference_server::{Readings, ServerConfig};

use crate::support::*;

async fn under(id: &str) -> Server {
    start_with(ServerConfig::test_defaults().with_readings(Readings::default().with(id))).await
}

#[tokio::test]
async fn e061_txn_initiation_mode_is_in_v3_answers_only_under_response_field() {
    let (_, _, a) = register(&start().await, Version::V3).await;
    assert_eq!(a.status, 200, "{:#}", a.json);
    assert!(a.json["payload"].get("txnInitiationMode").is_none(), "{:#}", a.json);
    let (_, _, a) = register(&under("E-061/response-field").await, Version::V3).await;
    assert_eq!(a.json["payload"]["txnInitiationMode"], "00", "{:#}", a.json);
    assert_valid(Version::V3.response().as_str(), &a.json);
}

#[tokio::test]
async fn e091_a_payment_refusal_is_200_failed_only_under_that_reading() {
    let mut form = payment_form(&unique("T"));
    form.remove("productinfo");
    rehash(&mut form);
    let a = start_payment(&start().await, &form).await;
    assert_eq!(a.status, 400, "{:#}", a.json);
    let a = start_payment(&under("E-091/200-failed").await, &form).await;
    assert_eq!(a.status, 200, "{:#}", a.json);
    assert_eq!(a.json["metaData"]["txnStatus"], "failed", "{:#}", a.json);
}

#[tokio::test]
async fn c02_api_version_7_hashes_udf6_to_10_only_under_the_default() {
    // A payment with api_version 7 and udf6, hashed per Case 4 (`case4`) or without udf6..udf10
    // (`version_1`, C-02's other reading); each with a fresh txnid.
    let payment = |hashed_as_version_1: bool| {
        let mut form = payment_form(&unique("T"));
        form.insert("api_version".into(), "7".into());
        form.insert("udf6".into(), "SIX".into());
        form.remove("hash");
        let mut hashed = if hashed_as_version_1 {
            upi_spec::crypto::payu_sequence::as_version_1(&form)
        } else {
            form.clone()
        };
        rehash(&mut hashed);
        form.insert("hash".into(), hashed["hash"].clone());
        form
    };
    let default = start().await;
    assert_eq!(start_payment(&default, &payment(false)).await.status, 200);
    assert_eq!(start_payment(&default, &payment(true)).await.status, 400);
    let domain = under("C-02/domain").await;
    let a = start_payment(&domain, &payment(false)).await;
    assert_eq!(a.status, 400, "{:#}", a.json);
    let a = start_payment(&domain, &payment(true)).await;
    assert_eq!(a.status, 200, "{:#}", a.json);
}

#[tokio::test]
async fn e092_a_payment_without_firstname_is_accepted_only_under_absent() {
    let mut form = payment_form(&unique("T"));
    form.remove("firstname");
    rehash(&mut form);
    let a = start_payment(&start().await, &form).await;
    assert_eq!(a.status, 400, "{:#}", a.json);
    let a = start_payment(&under("E-092/absent").await, &form).await;
    assert_eq!(a.status, 200, "{:#}", a.json);
    assert_eq!(a.json["metaData"]["txnStatus"], "pending", "{:#}", a.json);
}

#[tokio::test]
async fn e046_the_range_reading_allows_a_hyphen_and_forbids_a_dollar() {
    async fn send(server: &Server, udf: &str) -> Answer {
        let id = unique("ORD");
        let mut payload = intent_payload(Version::V3, &id);
        payload["udfParameters"] = serde_json::json!({ "udf1": udf }).to_string().into();
        post_intent(server, &intent_headers(Version::V3, &id), envelope(&payload)).await
    }
    let literal = start().await;
    assert_eq!(send(&literal, "a-b").await.status, 400);
    assert_eq!(send(&literal, "a$b").await.status, 200);
    let range = under("E-046/range").await;
    assert_eq!(send(&range, "a-b").await.status, 200);
    let refused = send(&range, "a$b").await;
    assert_intent_failure(
        &refused,
        400,
        "INVALID_DATA",
        "merchant.register-intent.v3.request.udfParameters.*.charset",
    );
}

#[tokio::test]
async fn e093_an_invoice_missing_its_file_is_answered_status_0_only_under_that_reading() {
    for (server, status_0) in [(start().await, false), (under("E-093/status-0").await, true)] {
        let txnid = unique("inv");
        let started = start_payment(&server, &payment_form(&txnid)).await;
        let id = started.json["result"]["paymentId"].as_str().unwrap().to_owned();
        let hash = command_hash("opgsp_upload_invoice_awb", &id);
        let missing = crate::payu::upload(&server, &id, None, &hash).await;
        assert_eq!(missing.status, 200);
        if status_0 {
            assert_eq!(missing.json["status"], 0, "{:#}", missing.json);
            assert!(missing.json["msg"].is_string() && missing.json.get("responseCode").is_none());
        } else {
            assert_eq!(missing.json["responseCode"], "109", "{:#}", missing.json);
        }
        // A refusal that is not a missing field keeps the seed's code under either reading.
        let bad_hash = crate::payu::upload(&server, &id, Some(("invoice.pdf", b"%PDF")), "0").await;
        assert_eq!(bad_hash.json["responseCode"], "109", "{:#}", bad_hash.json);
    }
}
