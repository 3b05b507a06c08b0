//! The HTTP APIs under test, as data: which request model goes to which endpoint, which models
//! judge an acceptance and a rejection, and what context a request needs to be otherwise valid
//! (credentials, fresh unique IDs, an existing order or payment, a current timestamp, the
//! PayU hash or the JWS signature computed last). A rule's own field is never overwritten by
//! context, so a case breaks exactly the rule it is about.

use aws_lc_rs::signature::RsaKeyPair;
use rand::Rng;
use serde_json::{Map, Value};
use upi_spec::crypto::payu_hash;
use upi_spec::crypto::payu_sequence::HashFamily;
use upi_spec::id::{MessageId, RuleId};
use upi_spec::input::Document;
use upi_spec::model::api::{Api as ApiFacts, Credential, Derivation, Operation, Place};
use upi_spec::model::{Encoding, Message};
use upi_spec::sites::{Locus, Step};

use super::config::{Api, RunConfig};
use super::http::{Body, Exchange, Request};

/// One operation under test: its API's facts (the spec's, [`upi_spec::messages::apis`], or any
/// API a caller declares) with the base URL it is served under.
#[derive(Debug, Clone)]
pub struct ApiCase {
    /// Suite name, e.g. `merchant-register-intent`.
    pub suite: &'static str,
    /// Sub-suite for versions, e.g. `v3` (empty when none).
    pub variant: &'static str,
    /// Which base URL.
    pub api: Api,
    /// Request model ID.
    pub request: MessageId,
    /// Response model of an acceptance.
    pub success: MessageId,
    /// Response model of a rejection.
    pub error: MessageId,
    /// Path (the request model's; `{uri}` filled in at run time).
    pub path: &'static str,
    /// The error model when the request cannot be routed at all (PayU: no valid `command`).
    pub unroutable_error: Option<MessageId>,
    /// The operation's facts: refusal shape, context.
    pub facts: &'static Operation,
    /// The facts of the API it belongs to: its flows, whether its operations are versions.
    pub declared: &'static ApiFacts,
    /// The rule that a valid request is accepted.
    pub accepted: RuleId,
    /// Whether an acceptance creates a payment other endpoints' requests name.
    pub creates_payment: bool,
}

/// Every operation of the seed APIs, in suite order, from the spec's API facts.
pub fn all() -> Vec<ApiCase> {
    cases_of(upi_spec::messages::apis())
}

/// Every operation of `apis`, in order (an operation whose request model has no endpoint is
/// left out: nothing can send it).
pub fn cases_of(apis: &'static [ApiFacts]) -> Vec<ApiCase> {
    apis.iter()
        .flat_map(|a| a.operations.iter().filter_map(move |e| case_of(a, e)))
        .collect()
}

/// The setup operations of `apis` (EC `/orders`): sent to create the state other requests
/// name, never under test themselves.
pub fn setup_of(apis: &'static [ApiFacts]) -> Vec<ApiCase> {
    apis.iter()
        .flat_map(|a| a.setup.iter().filter_map(move |e| case_of(a, e)))
        .collect()
}

/// The operation `e` of the API `a` (none when its request model has no endpoint).
fn case_of(a: &'static ApiFacts, e: &'static Operation) -> Option<ApiCase> {
    Some(ApiCase {
        suite: a.suite,
        variant: e.variant,
        api: a.service,
        request: e.request,
        success: e.success,
        error: e.error,
        path: e.request.message().endpoint.map_or("", |ep| ep.path),
        unroutable_error: e.unroutable_error,
        facts: e,
        declared: a,
        accepted: upi_spec::behaviour::accepted(e.request)?,
        creates_payment: a.creates_payment,
    })
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

    /// Whether the exchange is this API's refusal (its status class or body shape). A body
    /// shape is read from the exchange's JSON reading, which judging the answer reuses.
    pub fn rejected(&self, x: &Exchange) -> bool {
        self.facts
            .refusal
            .matches_read(x.status, &x.response_bytes, || x.json().as_ref().ok().map(|d| &d.body))
    }

    /// The PayU hash family of this endpoint's requests, if they carry one.
    fn hash_family(&self) -> Option<HashFamily> {
        self.facts.context.iter().find_map(|c| match c.derivation {
            Derivation::PayuHash(family) => Some(family),
            _ => None,
        })
    }
}

/// Body fields whose values the runner takes from the target's state (credentials, existing
/// orders and payments): changing one makes the verdict depend on that state, so the fuzzer
/// accepts either answer there and judges only its shape.
pub fn context_fields(api: &ApiCase) -> Vec<&'static str> {
    api.facts.state_fields()
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

/// What context must leave alone: the top-level body fields and the headers a case is about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
    /// Top-level body fields (every wire name of each).
    pub fields: Vec<String>,
    /// Header names (lower case).
    pub headers: Vec<String>,
}

impl Touched {
    /// The top-level body field holding `name` (a field path: a label or wire name, possibly
    /// followed by `.`/`[` and a nested path) with all its names; nothing when no top-level
    /// field holds it.
    pub fn field(message: &Message, name: &str) -> Touched {
        let fields: Vec<String> = message
            .body
            .fields
            .iter()
            .filter(|f| {
                let within = |k: &str| {
                    name.strip_prefix(k)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
                };
                within(f.key.label()) || f.key.names().iter().any(|k| within(k))
            })
            .flat_map(|f| f.key.names().iter().copied().chain(std::iter::once(f.key.label())))
            .map(str::to_string)
            .collect();
        Touched {
            fields,
            headers: Vec::new(),
        }
    }
}

/// Which top-level body fields and headers a rule reads (those are never overwritten), from
/// the rule's site in the model (its path, whether it is a header, a cross rule's fields); a
/// rule with no site in `message` (a signature or hash rule, a behaviour rule) reads none.
pub fn touched(message: &Message, rule_id: Option<&str>) -> (Vec<String>, Vec<String>) {
    let t = rule_id.map(|r| touched_by(message, r)).unwrap_or_default();
    (t.fields, t.headers)
}

/// [`touched`] as a [`Touched`] (the model's sites walked once per process for a registered
/// model: [`upi_spec::sites::sites_of`]).
pub fn touched_by(message: &Message, rule_id: &str) -> Touched {
    upi_spec::sites::sites_of(message)
        .iter()
        .find(|s| s.rule == rule_id)
        .map(|site| touched_at(message, site))
        .unwrap_or_default()
}

/// What the rule at `site` of `message` touches ([`touched_by`]).
fn touched_at(message: &Message, site: &upi_spec::sites::Site<'_>) -> Touched {
    let first = match site.steps.first() {
        Some(Step::Key(k)) => Some(k.as_str()),
        _ => None,
    };
    if site.header {
        return Touched {
            fields: Vec::new(),
            headers: first.map(str::to_string).into_iter().collect(),
        };
    }
    match site.locus {
        Locus::HeaderEquals { header, field, .. } => Touched {
            fields: vec![field.to_string()],
            headers: vec![header.to_string()],
        },
        Locus::Cross { rule, .. } if site.steps.is_empty() => Touched {
            fields: rule.kind.fields().into_iter().map(str::to_string).collect(),
            headers: Vec::new(),
        },
        _ => first.map(|f| Touched::field(message, f)).unwrap_or_default(),
    }
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

/// What one case fills a request's context from, built once per case: the operation (its
/// request model and context facts), the run's credentials, the target's state and the clock.
#[derive(Debug, Clone, Copy)]
pub struct ContextFill<'a> {
    /// The operation whose request is filled.
    pub api: &'a ApiCase,
    /// The run's credentials and PayU salt.
    pub config: &'a RunConfig,
    /// The target's state (an existing order or payment).
    pub ctx: &'a Context,
    /// The clock, in milliseconds since the Unix epoch.
    pub now_millis: u64,
}

impl ContextFill<'_> {
    /// The same facts at another time (a stale `iat`, say).
    pub fn at(self, now_millis: u64) -> Self {
        ContextFill { now_millis, ..self }
    }

    /// Fills in the context an otherwise valid request of the operation needs. `rule` is the
    /// rule a rejection case breaks (the fields and headers it reads are left alone).
    pub fn apply(&self, doc: &mut Document, rule: Option<&str>, rng: &mut impl Rng) {
        let touched = rule
            .map(|r| touched_by(self.api.request.message(), r))
            .unwrap_or_default();
        self.apply_sparing(doc, &touched, rng);
    }

    /// [`ContextFill::apply`] leaving `touched`'s fields and headers alone (a fuzz mutation's
    /// field).
    pub fn apply_sparing(&self, doc: &mut Document, touched: &Touched, rng: &mut impl Rng) {
        fill(self, doc, touched, rng);
    }
}

/// [`ContextFill::apply_sparing`].
fn fill(facts: &ContextFill<'_>, doc: &mut Document, touched: &Touched, rng: &mut impl Rng) {
    let ContextFill {
        api,
        config,
        ctx,
        now_millis,
    } = *facts;
    let message = api.request.message();
    let (fields, headers) = (&touched.fields, &touched.headers);
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
    // The context the API facts declare, in order (a value derived from another after it;
    // hashes last). A field or header the rule is about is left alone.
    for c in &api.facts.context {
        let value = match c.derivation {
            Derivation::Config(credential) => Some(credential_value(config, credential)),
            Derivation::BasicAuth(credential) => Some(basic_auth(&credential_value(config, credential))),
            Derivation::UniqueId { prefix, len } => Some(unique_id(rng, prefix, len)),
            Derivation::NowMillis => Some(now.clone()),
            Derivation::ExistingOrder => ctx.order_id.clone(),
            Derivation::ExistingPaymentTxnid => ctx.payu_txnid.clone(),
            Derivation::ExistingPaymentId => ctx.payu_mihpayid.clone(),
            // Derived from the document as sent, broken or not (a routing header equal to a
            // too-long merchantRequestId): the case breaks its rule and no relation with it.
            // A value no header can carry (non-ASCII, control characters) leaves the header as
            // it was: the request is still sent, and breaks the equality as well.
            Derivation::SameAs(field) => doc
                .body
                .get(field)
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .filter(|v| v.bytes().all(|b| b == b'\t' || (0x20..0x7f).contains(&b))),
            // Computed over what is sent, after everything else.
            Derivation::PayuHash(_) | Derivation::Jws => None,
        };
        let Some(value) = value else { continue };
        match c.at {
            // A time-valued field the model does not have (`iat` before V3) is not added.
            Place::Body(field)
                if c.derivation != Derivation::NowMillis
                    || message.body.fields.iter().any(|f| f.key.label() == field) =>
            {
                set_body(doc, field, &value, fields);
            }
            Place::Header(name) => set_header(doc, name, &value, headers),
            Place::Body(_) | Place::Envelope => {}
        }
    }
    // Hashes are computed last, over what is sent, unless the case is about the hash.
    let hash_is_the_subject = fields.iter().any(|f| f == "hash");
    if !hash_is_the_subject && let Some(hash) = payu_request_hash(api, doc, &config.payu.salt) {
        set_body(doc, "hash", &hash, &[]);
    }
}

/// A configured credential's value.
fn credential_value(config: &RunConfig, credential: Credential) -> String {
    match credential {
        Credential::EcMerchantId => config.ec.merchant_id.clone(),
        Credential::EcCustomerId => config.ec.customer_id.clone(),
        Credential::MerchantId => config.merchant.merchant_id.clone(),
        Credential::MerchantChannelId => config.merchant.channel_id.clone(),
        Credential::PayuKey => config.payu.key.clone(),
        Credential::EcApiKey => config.ec.api_key.clone(),
    }
}

/// HTTP Basic credentials with `user` as user name and an empty password.
fn basic_auth(user: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:"))
    )
}

/// The PayU request or command hash of a document's string fields (`hash` itself left out),
/// read where they are in the JSON object: no value is copied, a 200 KB one included.
pub fn payu_request_hash(api: &ApiCase, doc: &Document, salt: &str) -> Option<String> {
    let fields = doc.body.as_object()?;
    let family = api.hash_family()?;
    let pairs = fields
        .iter()
        .filter(|(k, _)| k.as_str() != "hash")
        .filter_map(|(k, v)| v.as_str().map(|s| (k.as_str(), s)));
    payu_hash::compute_hex_from(family, pairs, &payu_hash::Salt::new(salt))
        .ok()
        .map(|h| h.as_str().to_owned())
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
                None => doc.body.as_object().map(super::form::encode_object).unwrap_or_default(),
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
    // The signing input `<protected>.<payload>` is hashed in its parts, not copied into one
    // string first (a fuzzed payload can be hundreds of kilobytes).
    let mut input = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256);
    for part in [protected.as_bytes(), b".", payload.as_bytes()] {
        input.update(part);
    }
    let mut signature = vec![0; key.public_modulus_len()];
    key.sign_digest(&aws_lc_rs::signature::RSA_PKCS1_SHA256, &input.finish(), &mut signature)
        .map_err(|_| anyhow::anyhow!("RSA signing failed"))?;
    // The members are base64url, which JSON needs no escape for: the body is written as
    // `serde_json` writes the object, without copying the members into one first.
    let signature = b64(&signature);
    Ok(format!(
        r#"{{"protected":"{protected}","payload":"{payload}","signature":"{signature}"}}"#
    ))
}

/// Encodes string fields as `application/x-www-form-urlencoded`.
pub fn form_body(fields: Map<String, Value>) -> String {
    form_body_of(&fields)
}

/// [`form_body`] of a borrowed map: string values are encoded where they are, not copied.
pub fn form_body_of(fields: &Map<String, Value>) -> String {
    // The encoding is ASCII: the lossy branch is never taken.
    String::from_utf8(super::form::encode_object(fields))
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use rsa::pkcs8::EncodePrivateKey as _;
    use upi_spec::crypto::jws::{JwsPolicy, verify_body};
    use upi_spec::crypto::keys::{KeyRing, private_key_from_pem};

    use super::*;

    /// The runner's JWS body is what `serde_json` writes for the three members, and
    /// `upi-spec`'s verifier (written apart from it) accepts its signature; a payload with a
    /// quote and a non-ASCII character too.
    #[test]
    fn a_signed_body_is_the_json_object_of_its_members_and_verifies() {
        let pem = include_str!("../../../golden/keys/merchant_signing.pem");
        let key = private_key_from_pem(pem).unwrap();
        let pair = RsaKeyPair::from_pkcs8(key.as_rsa().to_pkcs8_der().unwrap().as_bytes()).unwrap();
        let mut ring = KeyRing::new();
        ring.insert("key-1", key.public_key());
        let policy = JwsPolicy {
            require_iat: false,
            ..JwsPolicy::default()
        };
        for payload in [r#"{"amount":"1.00"}"#, r#"{"note":"a \"quoted\" ₹ note"}"#] {
            let body = sign_flattened_jws(&pair, "key-1", "RS256", payload.as_bytes()).unwrap();
            let members: Map<String, Value> = serde_json::from_str(&body).unwrap();
            let keys: Vec<&str> = members.keys().map(String::as_str).collect();
            assert_eq!(keys, ["protected", "payload", "signature"]);
            assert_eq!(body, serde_json::to_string(&members).unwrap());
            let verified = verify_body(&body, &ring, &policy, 0, None).unwrap();
            assert_eq!(verified.payload_json, payload);
            // A signature over other bytes does not verify: the check can fail.
            let other = sign_flattened_jws(&pair, "key-1", "RS256", br#"{"amount":"2.00"}"#).unwrap();
            let other: Map<String, Value> = serde_json::from_str(&other).unwrap();
            let mut forged = members.clone();
            forged.insert("signature".into(), other["signature"].clone());
            assert!(verify_body(&serde_json::to_string(&forged).unwrap(), &ring, &policy, 0, None).is_err());
        }
    }
}
