//! The HTTP APIs under test, as data: which request model goes to which endpoint, which models
//! judge an acceptance and a rejection, and what context a request needs to be otherwise valid
//! (credentials, fresh unique IDs, an existing order or payment, a current timestamp, the
//! PayU hash or the JWS signature computed last). A rule's own field is never overwritten by
//! context, so a case breaks exactly the rule it is about.

use std::collections::BTreeMap;

use aws_lc_rs::signature::RsaKeyPair;
use rand::Rng;
use serde_json::{Map, Value};
use upi_spec::crypto::payu_hash;
use upi_spec::crypto::payu_sequence::HashFamily;
use upi_spec::input::Document;
use upi_spec::model::{Cross, Encoding, Message};

use super::config::{Api, RunConfig};
use super::http::{Body, Request};

/// One endpoint under test.
#[derive(Debug, Clone)]
pub struct ApiCase {
    /// Suite name, e.g. `merchant-register-intent`.
    pub suite: &'static str,
    /// Sub-suite for versions, e.g. `v3` (empty when none).
    pub variant: &'static str,
    /// Which base URL.
    pub api: Api,
    /// Request model ID.
    pub request: &'static str,
    /// Response model of an acceptance.
    pub success: &'static str,
    /// Response model of a rejection.
    pub error: &'static str,
    /// Path (with `{uri}` filled in at run time).
    pub path: &'static str,
    /// How a rejection is recognised.
    pub rejection: Rejection,
    /// The error model when the request cannot be routed at all (PayU: no valid `command`).
    pub unroutable_error: Option<&'static str>,
}

/// How an API says "no".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// Any 4xx status.
    ClientError,
    /// HTTP 200 with a JSON body whose `msg` is present (PayU udf_update).
    PayuMessage,
    /// HTTP 200 with `responseCode` other than `00` (PayU invoice upload).
    PayuResponseCode,
    /// HTTP 200 with `status` 0 (PayU verify_payment).
    PayuStatusZero,
}

/// Every API the runner knows, in suite order.
pub fn all() -> Vec<ApiCase> {
    let merchant = |variant, request, success| ApiCase {
        suite: "merchant-register-intent",
        variant,
        api: Api::Merchant,
        request,
        success,
        error: success,
        path: "/api/{uri}/merchants/transactions/registerIntent",
        rejection: Rejection::ClientError,
        unroutable_error: None,
    };
    let postservice = |variant, request, success, error, rejection| ApiCase {
        suite: "payu-postservice",
        variant,
        api: Api::Payu,
        request,
        success,
        error,
        path: "/merchant/postservice.php?form=2",
        rejection,
        unroutable_error: Some("payu.postservice.error"),
    };
    vec![
        ApiCase {
            suite: "ec-txns",
            variant: "",
            api: Api::Ec,
            request: "ec.txns.request",
            success: "ec.txns.response",
            error: "ec.txns.error",
            path: "/txns",
            rejection: Rejection::ClientError,
            unroutable_error: None,
        },
        merchant(
            "v3",
            "merchant.register-intent.v3.request",
            "merchant.register-intent.v3.response",
        ),
        merchant(
            "v2",
            "merchant.register-intent.v2.request",
            "merchant.register-intent.v2.response",
        ),
        merchant(
            "v1",
            "merchant.register-intent.v1.request",
            "merchant.register-intent.v1.response",
        ),
        merchant(
            "default",
            "merchant.register-intent.default.request",
            "merchant.register-intent.default.response",
        ),
        ApiCase {
            suite: "payu-intent",
            variant: "",
            api: Api::Payu,
            request: "payu.payment.request",
            success: "payu.payment.response",
            error: "payu.payment.error",
            path: "/_payment",
            rejection: Rejection::ClientError,
            unroutable_error: None,
        },
        postservice(
            "verify-payment",
            "payu.verify-payment.request",
            "payu.verify-payment.response",
            "payu.verify-payment.response",
            Rejection::PayuStatusZero,
        ),
        postservice(
            "udf-update",
            "payu.udf-update.request",
            "payu.udf-update.response",
            "payu.udf-update.error",
            Rejection::PayuMessage,
        ),
        postservice(
            "invoice-upload",
            "payu.invoice-upload.request",
            "payu.invoice-upload.response",
            "payu.invoice-upload.response",
            Rejection::PayuResponseCode,
        ),
    ]
}

impl ApiCase {
    /// `suite` or `suite.variant`.
    pub fn name(&self) -> String {
        if self.variant.is_empty() {
            self.suite.to_string()
        } else {
            format!("{}.{}", self.suite, self.variant)
        }
    }

    /// Whether the exchange is this API's rejection.
    pub fn rejected(&self, status: Option<u16>, body: &[u8]) -> bool {
        let json = || serde_json::from_slice::<Value>(body).ok();
        match (self.rejection, status) {
            (Rejection::ClientError, Some(s)) => (400..500).contains(&s),
            (Rejection::PayuMessage, Some(s)) => {
                (400..500).contains(&s) || json().is_some_and(|v| v.get("msg").is_some())
            }
            (Rejection::PayuResponseCode, Some(s)) => {
                (400..500).contains(&s)
                    || json().is_some_and(|v| v.get("responseCode").and_then(Value::as_str) != Some("00"))
            }
            (Rejection::PayuStatusZero, Some(s)) => {
                (400..500).contains(&s)
                    || json().is_some_and(|v| {
                        matches!(v.get("status"), Some(Value::Number(n)) if n.as_i64() == Some(0))
                            || v.get("status") == Some(&Value::String("0".into()))
                    })
            }
            (_, None) => false,
        }
    }
}

/// Body fields whose values the runner takes from the target's state (credentials, existing
/// orders and payments): changing one makes the verdict depend on that state, so the fuzzer
/// accepts either answer there and judges only its shape.
pub fn context_fields(api: &ApiCase) -> &'static [&'static str] {
    match api.suite {
        "ec-txns" => &["order_id", "merchant_id"],
        "payu-intent" => &["key"],
        "payu-postservice" => &["key", "var1"],
        _ => &[],
    }
}

/// Values a request needs from the target's state.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// An existing, unpaid EC order.
    pub order_id: Option<String>,
    /// An existing PayU txnid.
    pub payu_txnid: Option<String>,
    /// Its PayU ID (mihpayid).
    pub payu_mihpayid: Option<String>,
}

/// Which top-level body fields and headers a rule reads (those are never overwritten).
pub fn touched(message: &Message, rule_id: Option<&str>) -> (Vec<String>, Vec<String>) {
    let Some(rule_id) = rule_id else {
        return (Vec::new(), Vec::new());
    };
    let rest = rule_id
        .strip_prefix(message.id)
        .unwrap_or(rule_id)
        .trim_start_matches('.');
    if let Some(h) = rest.strip_prefix("header.") {
        return (Vec::new(), vec![h.split('.').next().unwrap_or("").to_string()]);
    }
    if let Some(name) = rest.strip_prefix("rule.") {
        let rule = message
            .rules
            .iter()
            .chain(message.body.rules.iter())
            .find(|r| r.name == name);
        if let Some(rule) = rule {
            let headers = match rule.kind {
                Cross::HeaderEqualsField { header, .. } => vec![header.to_string()],
                _ => Vec::new(),
            };
            return (rule.kind.fields().into_iter().map(str::to_string).collect(), headers);
        }
    }
    let fields = message
        .body
        .fields
        .iter()
        .flat_map(|f| f.key.names().iter().copied().chain(std::iter::once(f.key.label())))
        .filter(|k| rest.starts_with(&format!("{k}.")) || rest.starts_with(&format!("{k}[")) || rest == *k)
        .map(|k| (*k).to_string())
        .collect();
    (fields, Vec::new())
}

/// Per-process offsets for [`unique_id`] and [`fresh_tag`], drawn once from the OS.
static PROCESS_NONCE: std::sync::LazyLock<[u8; 32]> = std::sync::LazyLock::new(rand::random);

/// Counts the IDs and tags handed out in this process.
static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A tag no other call returns, in this process or (with overwhelming likelihood) another:
/// appended where a mutated value must not repeat a value an earlier run of the same seed sent
/// to the same server (a unique txnid, say).
pub fn fresh_tag() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let process: String = PROCESS_NONCE[..4]
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    format!("{process}{}", SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

/// A unique ID with a prefix. It draws from the run's RNG exactly as a seeded ID would (so the
/// rest of a seeded run is unchanged), each character shifted by a per-process nonce and by a
/// digit of a per-process serial number: running the same `--seed` twice against the same
/// server, from one process or two, never resends an ID the server registered the first time
/// (it would rightly refuse it as a duplicate).
pub fn unique_id(rng: &mut impl Rng, prefix: &str, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    let mut serial = SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tail: String = (0..len.saturating_sub(prefix.len()))
        .map(|i| {
            let digit = usize::try_from(serial % ALPHABET.len() as u64).unwrap_or(0);
            serial /= ALPHABET.len() as u64;
            let shift = usize::from(PROCESS_NONCE[i % PROCESS_NONCE.len()]) + digit;
            char::from(ALPHABET[(rng.random_range(0..ALPHABET.len()) + shift) % ALPHABET.len()])
        })
        .collect();
    format!("{prefix}{tail}")
}

fn set_body(doc: &mut Document, key: &str, value: &str, skip: &[String]) {
    if skip.iter().any(|s| s == key) {
        return;
    }
    if let Value::Object(map) = &mut doc.body {
        map.insert(key.to_string(), Value::String(value.to_string()));
    }
}

fn set_header(doc: &mut Document, name: &str, value: &str, skip: &[String]) {
    if skip.iter().any(|s| s == name) {
        return;
    }
    let headers = doc.headers.get_or_insert_with(Vec::new);
    match headers.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
        Some((_, v)) => *v = value.to_string(),
        None => headers.push((name.to_string(), value.to_string())),
    }
}

fn body_str(doc: &Document, key: &str) -> Option<String> {
    doc.body.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Fills in the context an otherwise valid request needs. `rule` is the rule a rejection case
/// breaks (its fields are left alone).
// One call per request; the arguments are the request, the rule it is about and the run's state.
#[allow(clippy::too_many_arguments)]
pub fn apply_context(
    api: &ApiCase,
    message: &Message,
    doc: &mut Document,
    rule: Option<&str>,
    config: &RunConfig,
    ctx: &Context,
    rng: &mut impl Rng,
    now_millis: u64,
) {
    let (fields, headers) = touched(message, rule);
    let now = now_millis.to_string();
    // Headers the model fixes (a constant, a media type) or forbids are derived from the model.
    for header in &message.headers {
        let name = header.key.label();
        if headers.iter().any(|h| h == name) {
            continue;
        }
        if header.presence == upi_spec::model::Presence::Absent {
            if let Some(hs) = doc.headers.as_mut() {
                hs.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
            }
            continue;
        }
        let fixed = header.value.checks.iter().find_map(|c| match c.constraint {
            upi_spec::model::Constraint::Const(v) | upi_spec::model::Constraint::MediaType(v) => Some(v),
            _ => None,
        });
        let present = doc
            .headers
            .as_ref()
            .is_some_and(|hs| hs.iter().any(|(k, _)| k.eq_ignore_ascii_case(name)));
        if let (Some(v), false) = (fixed, present) {
            set_header(doc, name, v, &[]);
        }
    }
    match api.suite {
        "ec-txns" => {
            if let Some(order) = &ctx.order_id {
                set_body(doc, "order_id", order, &fields);
            }
            set_body(doc, "merchant_id", &config.ec.merchant_id, &fields);
            set_header(doc, "x-routing-id", &config.ec.customer_id, &headers);
        }
        "merchant-register-intent" => {
            let id = unique_id(rng, "UPC", 24);
            set_body(doc, "merchantRequestId", &id, &fields);
            if message.body.fields.iter().any(|f| f.key.label() == "iat") {
                set_body(doc, "iat", &now, &fields);
            }
            set_header(doc, "x-merchant-id", &config.merchant.merchant_id, &headers);
            set_header(doc, "x-merchant-channel-id", &config.merchant.channel_id, &headers);
            set_header(doc, "x-timestamp", &now, &headers);
            let routing_follows_body =
                !headers.iter().any(|h| h == "jpupi-routing-id") && !fields.iter().any(|f| f == "merchantRequestId");
            if routing_follows_body && let Some(id) = body_str(doc, "merchantRequestId") {
                set_header(doc, "jpupi-routing-id", &id, &[]);
            }
        }
        "payu-intent" => {
            set_body(doc, "key", &config.payu.key, &fields);
            let txnid = unique_id(rng, "upc", 20);
            set_body(doc, "txnid", &txnid, &fields);
        }
        _ => {
            set_body(doc, "key", &config.payu.key, &fields);
            let var1 = if api.variant == "invoice-upload" {
                ctx.payu_mihpayid.clone()
            } else {
                ctx.payu_txnid.clone()
            };
            if let Some(v) = var1 {
                set_body(doc, "var1", &v, &fields);
            }
        }
    }
    // Hashes are computed last, over what is sent, unless the case is about the hash.
    let hash_is_the_subject = fields.iter().any(|f| f == "hash");
    if api.api == Api::Payu && !hash_is_the_subject {
        if let Some(hash) = payu_request_hash(api, doc, &config.payu.salt) {
            set_body(doc, "hash", &hash, &[]);
        }
    }
}

/// The PayU request or command hash of a document's fields.
pub fn payu_request_hash(api: &ApiCase, doc: &Document, salt: &str) -> Option<String> {
    let fields: BTreeMap<String, String> = doc
        .body
        .as_object()?
        .iter()
        .filter(|(k, _)| k.as_str() != "hash")
        .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
        .collect();
    let salt = payu_hash::Salt::new(salt);
    if api.suite == "payu-intent" {
        payu_hash::compute(HashFamily::Request, &fields, &salt).ok()
    } else {
        payu_hash::compute(HashFamily::Command, &fields, &salt).ok()
    }
}

/// Turns a prepared document into an HTTP request. Merchant Stack bodies are signed as a
/// flattened JWS with the configured key; `raw_payload` replaces the JSON payload (for the
/// syntax rule's case).
pub fn to_request(
    api: &ApiCase,
    message: &Message,
    doc: &Document,
    base: &str,
    config: &RunConfig,
    signing_key: Option<&RsaKeyPair>,
    raw_payload: Option<&str>,
) -> anyhow::Result<Request> {
    let path = api.path.replace("{uri}", &config.merchant.uri);
    let mut headers: Vec<(String, String)> = doc.headers.clone().unwrap_or_default();
    let body = match message.encoding {
        Encoding::Json => {
            let payload = match raw_payload {
                Some(p) => p.to_string(),
                None => serde_json::to_string(&doc.body)?,
            };
            match (message.envelope, signing_key) {
                (Some(_), Some(key)) => Body::Bytes(
                    sign_flattened_jws(key, &config.merchant.key_id, "RS256", payload.as_bytes())?.into_bytes(),
                ),
                _ => Body::Bytes(payload.into_bytes()),
            }
        }
        Encoding::Form => {
            let bytes = match raw_payload {
                Some(p) => p.as_bytes().to_vec(),
                None => form_body(doc.body.as_object().cloned().unwrap_or_default()).into_bytes(),
            };
            Body::Bytes(bytes)
        }
        Encoding::Multipart => {
            headers.retain(|(k, _)| !k.eq_ignore_ascii_case("content-type"));
            let parts = doc
                .body
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| {
                            (
                                k.clone(),
                                v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            Body::Multipart(parts)
        }
    };
    // A document without headers gets its encoding's content type; a document with headers is
    // sent as it is (a case may have removed the header on purpose).
    if doc.headers.is_none() {
        match message.encoding {
            Encoding::Json => headers.push(("content-type".into(), "application/json".into())),
            Encoding::Form => headers.push(("content-type".into(), "application/x-www-form-urlencoded".into())),
            Encoding::Multipart => {}
        }
    }
    Ok(Request {
        method: "POST".into(),
        url: format!("{base}{path}"),
        headers,
        body,
    })
}

/// Signs `payload` as a flattened JWS (RS256, RSASSA-PKCS1-v1_5 with SHA-256), built here
/// directly on AWS-LC rather than through `upi-spec`'s JWS code, so that the runner's JWS
/// construction and the verifier a reference implementation may share are independent. The payload is signed
/// as given, even when it is not JSON (the syntax cases need that).
pub fn sign_flattened_jws(key: &RsaKeyPair, kid: &str, alg: &str, payload: &[u8]) -> anyhow::Result<String> {
    use base64::Engine as _;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let protected = b64(serde_json::json!({"alg": alg, "kid": kid}).to_string().as_bytes());
    let payload = b64(payload);
    let mut signature = vec![0; key.public_modulus_len()];
    key.sign(
        &aws_lc_rs::signature::RSA_PKCS1_SHA256,
        &aws_lc_rs::rand::SystemRandom::new(),
        format!("{protected}.{payload}").as_bytes(),
        &mut signature,
    )
    .map_err(|_| anyhow::anyhow!("RSA signing failed"))?;
    Ok(serde_json::json!({"protected": protected, "payload": payload, "signature": b64(&signature)}).to_string())
}

/// Encodes string fields as `application/x-www-form-urlencoded`.
pub fn form_body(fields: Map<String, Value>) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        let v = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
        ser.append_pair(&k, &v);
    }
    ser.finish()
}
