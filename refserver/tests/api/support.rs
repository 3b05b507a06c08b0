//! Starting servers, signing registerIntent requests, hashing PayU requests and judging
//! responses by their models.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use upi_reference_server::{Fault, RunningServer, ServerConfig, spawn};
use upi_spec::crypto::payu_hash::{self, Salt};
use upi_spec::crypto::payu_sequence::HashFamily;
use upi_spec::crypto::{SignatureAlgorithm, jws, keys};
use upi_spec::input::Document;
use upi_spec::{Severity, validate};

/// The merchant's signing key (test only).
pub const MERCHANT_PRIVATE_PEM: &str = include_str!("../../../golden/keys/merchant_signing.pem");
/// Another merchant's key.
pub const WRONG_PRIVATE_PEM: &str = include_str!("../../../golden/keys/wrong_key.pem");
/// The PSP's response-signing public key.
pub const PSP_PUBLIC_PEM: &str = include_str!("../../../golden/keys/psp_response_signing.pub.pem");
/// The PayU test key and salt.
pub const PAYU_KEY: &str = "JPM7Fg";
/// See [`PAYU_KEY`].
pub const PAYU_SALT: &str = "upiConformanceTestSalt";

/// A server under test with a client.
pub struct Server {
    pub running: RunningServer,
    pub base: String,
    pub http: reqwest::Client,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// A clean server.
pub async fn start() -> Server {
    start_with(ServerConfig::test_defaults()).await
}

/// A server with one fault.
pub async fn faulty(fault: Fault) -> Server {
    start_with(ServerConfig::test_defaults().with_fault(Some(fault))).await
}

/// A server with `config`.
pub async fn start_with(config: ServerConfig) -> Server {
    let running = spawn(config).await.expect("bind 127.0.0.1:0");
    let base = running.base_url();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    Server { running, base, http }
}

/// A fresh identifier with `prefix` (letters and digits only).
pub fn unique(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}{}{}",
        std::process::id() % 10_000,
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

pub fn now_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// Every `must` violation of `body` against `model`.
pub fn must_violations(model: &str, body: &Value) -> Vec<String> {
    let message = upi_spec::messages::find(model).unwrap_or_else(|| panic!("no model {model}"));
    validate::validate(message, &Document::body(body.clone()))
        .into_iter()
        .filter(|v| v.severity == Severity::Must)
        .map(|v| v.to_string())
        .collect()
}

/// Asserts `body` satisfies every `must` rule of `model`.
#[track_caller]
pub fn assert_valid(model: &str, body: &Value) {
    let broken = must_violations(model, body);
    assert!(broken.is_empty(), "{model}: {broken:#?}\nbody: {body:#}");
}

/// A JSON answer: status, headers, raw body and parsed body.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub raw: Vec<u8>,
    pub json: Value,
}

pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status();
    let headers = response.headers().clone();
    let raw = response.bytes().await.expect("body").to_vec();
    let json = serde_json::from_slice(&raw).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        raw,
        json,
    }
}

// ---- EC ----

/// `POST /orders` with the test API key.
pub async fn create_order(server: &Server, order_id: &str, amount: &str) -> Answer {
    let response = server
        .http
        .post(server.url("/orders"))
        .basic_auth("test_api_key", Some(""))
        .form(&[("order_id", order_id), ("amount", amount), ("currency", "INR")])
        .send()
        .await
        .unwrap();
    answer(response).await
}

/// A valid `/txns` form for `order_id`.
pub fn txns_form(order_id: &str) -> Vec<(&'static str, String)> {
    vec![
        ("order_id", order_id.to_owned()),
        ("merchant_id", "upi_conformance_test".to_owned()),
        ("payment_method_type", "UPI".to_owned()),
        ("payment_method", "UPI".to_owned()),
        ("txn_type", "UPI_PAY".to_owned()),
        ("redirect_after_payment", "true".to_owned()),
        ("format", "json".to_owned()),
        ("sdk_params", "true".to_owned()),
    ]
}

pub async fn pay_order(server: &Server, form: &[(&'static str, String)]) -> Answer {
    let response = server
        .http
        .post(server.url("/txns"))
        .header("x-routing-id", "customer_1122")
        .form(form)
        .send()
        .await
        .unwrap();
    answer(response).await
}

// ---- Merchant Stack ----

/// A registerIntent version (the spec's one declaration: its `x-api-version` value and its
/// models).
pub use upi_spec::deeplink::mapping::Version;

/// A valid request payload of `version` with `merchant_request_id`.
pub fn intent_payload(version: Version, merchant_request_id: &str) -> Value {
    let fund = json!([{
        "memberId": "ABCDE", "userId": "ABCDEFGHIJ", "mfPartner": "BSE",
        "folioNumber": "190983010", "orderNumber": "order_zer12345", "amount": "5000.00",
        "schemeCode": "LT", "amcCode": "UYTIUI", "panNumber": "TYLIO7823U",
        "investmentType": "LUMPSUM"
    }]);
    let hashes = json!(["ef907b670f92ba102daeadb0a9ea347c44bde9f4340e9330dd2ff3a674abcdef"]);
    let mut p = json!({
        "merchantRequestId": merchant_request_id,
        "amount": "2.00",
        "remarks": "Payment for order",
        "refUrl": "https://www.xyz.com",
        "refCategory": "01",
        "udfParameters": "{\"udf1\":\"value1\"}",
        "mutualFundDetails": fund,
        "payerAccountHashes": hashes,
    });
    let map = p.as_object_mut().unwrap();
    let iat = now_millis().to_string();
    match version {
        Version::V3 => {
            map.insert("intentRequestExpiryMinutes".into(), "10".into());
            map.insert("flow".into(), "TRANSACTION".into());
            map.insert("iat".into(), iat.into());
            map.insert(
                "splitSettlementDetails".into(),
                json!({"splitType": "AMOUNT", "merchantSplit": "1.00",
                       "partnersSplit": [{"partnerId": "vendor1", "value": "1.00"}]}),
            );
        }
        Version::V2 => {
            map.insert("flow".into(), "TRANSACTION".into());
            map.insert("merchantCustomerId".into(), "cust42".into());
        }
        Version::V1 => {
            map.insert("merchantCustomerId".into(), "cust42".into());
        }
        Version::Default => {
            map.insert("intentRequestExpiryMinutes".into(), "10".into());
            map.insert("flow".into(), "TRANSACTION".into());
            map.insert("iat".into(), iat.into());
        }
    }
    p
}

/// The flattened JWS of `payload_json` signed with `pem` under `kid`.
pub fn envelope_with(pem: &str, algorithm: SignatureAlgorithm, kid: &str, payload_json: &str) -> String {
    let key = keys::private_key_from_pem(pem).unwrap();
    jws::sign(&key, algorithm, kid, payload_json).unwrap().to_json()
}

/// The request body for `payload`, RS256 with the merchant key.
pub fn envelope(payload: &Value) -> String {
    envelope_with(
        MERCHANT_PRIVATE_PEM,
        SignatureAlgorithm::Rs256,
        "merchant-key-1",
        &payload.to_string(),
    )
}

/// The headers of a valid request of `version` for `merchant_request_id`.
pub fn intent_headers(version: Version, merchant_request_id: &str) -> Vec<(String, String)> {
    let mut h = vec![
        ("content-type".to_owned(), "application/json".to_owned()),
        ("x-merchant-id".to_owned(), "TEST".to_owned()),
        ("x-merchant-channel-id".to_owned(), "TESTAPP".to_owned()),
        ("x-timestamp".to_owned(), now_millis().to_string()),
        ("jpupi-routing-id".to_owned(), merchant_request_id.to_owned()),
    ];
    if let Some(v) = version.header() {
        h.push(("x-api-version".to_owned(), v.to_owned()));
    }
    h
}

/// Posts `body` with `headers` to registerIntent.
pub async fn post_intent(server: &Server, headers: &[(String, String)], body: String) -> Answer {
    let mut request = server
        .http
        .post(server.url("/api/upi/merchants/transactions/registerIntent"))
        .body(body);
    for (k, v) in headers {
        request = request.header(k.as_str(), v.as_str());
    }
    answer(request.send().await.unwrap()).await
}

/// A valid, signed registerIntent of `version`; returns the merchantRequestId and the answer.
pub async fn register(server: &Server, version: Version) -> (String, Value, Answer) {
    let id = unique("ORD");
    let payload = intent_payload(version, &id);
    let answer = post_intent(server, &intent_headers(version, &id), envelope(&payload)).await;
    (id, payload, answer)
}

/// Asserts a registerIntent FAILURE answer with `status` and `code`, naming `rule`.
#[track_caller]
pub fn assert_intent_failure(a: &Answer, status: u16, code: &str, rule: &str) {
    assert_eq!(a.status.as_u16(), status, "{:#}", a.json);
    assert_eq!(a.json["status"], "FAILURE", "{:#}", a.json);
    assert_eq!(a.json["responseCode"], code, "{:#}", a.json);
    let message = a.json["responseMessage"].as_str().unwrap_or("");
    assert!(message.starts_with(rule), "expected {rule} in {message:?}");
    assert!(a.json.get("payload").is_none());
    assert_valid(Version::V3.response().as_str(), &a.json);
}

// ---- PayU ----

pub fn payu_salt() -> Salt {
    Salt::new(PAYU_SALT)
}

/// A valid `_payment` form for `txnid`, hashed.
pub fn payment_form(txnid: &str) -> BTreeMap<String, String> {
    let mut form: BTreeMap<String, String> = [
        ("key", PAYU_KEY),
        ("txnid", txnid),
        ("amount", "100"),
        ("firstname", "Ashish"),
        ("email", "ashish@example.com"),
        ("phone", "9988776655"),
        ("productinfo", "Product Info"),
        ("surl", "https://test.payu.in/admin/test_response"),
        ("furl", "https://test.payu.in/admin/test_response"),
        ("pg", "UPI"),
        ("bankcode", "INTENT"),
        ("txn_s2s_flow", "4"),
        ("s2s_client_ip", "10.200.12.12"),
        ("s2s_device_info", "Mozilla/5.0 PayU-API-Test/1.0"),
        ("udf1", "AELPR1234E"),
        ("udf5", "INV123456"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    rehash(&mut form);
    form
}

/// Recomputes the request hash after a change.
pub fn rehash(form: &mut BTreeMap<String, String>) {
    let hash = payu_hash::compute(HashFamily::Request, form, &payu_salt()).unwrap();
    form.insert("hash".into(), hash);
}

pub async fn start_payment(server: &Server, form: &BTreeMap<String, String>) -> Answer {
    let response = server
        .http
        .post(server.url("/_payment"))
        .form(form)
        .send()
        .await
        .unwrap();
    answer(response).await
}

/// The command hash `sha512(key|command|var1|salt)`.
pub fn command_hash(command: &str, var1: &str) -> String {
    let fields: BTreeMap<String, String> = [("key", PAYU_KEY), ("command", command), ("var1", var1)]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    payu_hash::compute(HashFamily::Command, &fields, &payu_salt()).unwrap()
}

pub async fn verify_payment(server: &Server, txnid: &str, hash: &str) -> Answer {
    let response = server
        .http
        .post(server.url("/merchant/postservice.php?form=2"))
        .form(&[
            ("key", PAYU_KEY),
            ("command", "verify_payment"),
            ("var1", txnid),
            ("hash", hash),
        ])
        .send()
        .await
        .unwrap();
    answer(response).await
}

pub async fn udf_update(server: &Server, txnid: &str, hash: &str) -> Answer {
    let form = reqwest::multipart::Form::new()
        .text("key", PAYU_KEY)
        .text("command", "udf_update")
        .text("var1", txnid.to_owned())
        .text("var2", "AAAPZ1234C")
        .text("var4", "22/08/1972")
        .text("var5", "SellerName")
        .text("var6", "INV000000005")
        .text("hash", hash.to_owned());
    let response = server
        .http
        .post(server.url("/merchant/postservice.php?form=2"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    answer(response).await
}

pub async fn complete(server: &Server, txnid: &str, status: &str) -> Answer {
    let response = server
        .http
        .post(server.url("/sandbox/payu/complete"))
        .form(&[("txnid", txnid), ("status", status)])
        .send()
        .await
        .unwrap();
    answer(response).await
}
