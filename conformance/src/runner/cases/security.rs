//! Security cases as typed values: credentials on `/orders`, the JWS attacks on the Merchant
//! Stack, wrong PayU hashes, and the large-body check of every suite. Each knows its name (the
//! last part of its case ID), its title, the rules it checks and the suites it applies to.

use anyhow::Context as _;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use upi_spec::id::RuleId;
use upi_spec::input::Document;
use upi_spec::model::api::{Derivation, HashFamily, Place};
use upi_spec::rule_ids as rules;

use crate::runner::api::{self, ApiCase, Context};
use crate::runner::http::Body;
use crate::runner::judge;
use crate::runner::outcome::CaseError;
use crate::runner::session::{Session, Trace, now_millis};

/// An attack on the Merchant Stack's flattened JWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwsAttack {
    /// The payload changed after signing.
    TamperedPayload,
    /// Signed with a key the target does not know under the configured kid.
    WrongKey,
    /// `alg: none` with an empty signature.
    AlgNone,
    /// HS256 keyed with the merchant's public key (algorithm confusion).
    AlgHmac,
    /// A kid the target does not know.
    UnknownKid,
    /// `iat` and `x-timestamp` an hour old.
    StaleIat,
    /// base64 padding on every segment.
    PaddedBase64,
}

impl JwsAttack {
    /// Every attack, in plan order.
    pub const ALL: [JwsAttack; 7] = [
        JwsAttack::TamperedPayload,
        JwsAttack::WrongKey,
        JwsAttack::AlgNone,
        JwsAttack::AlgHmac,
        JwsAttack::UnknownKid,
        JwsAttack::StaleIat,
        JwsAttack::PaddedBase64,
    ];

    fn name(self) -> &'static str {
        match self {
            JwsAttack::TamperedPayload => "jws-tampered-payload",
            JwsAttack::WrongKey => "jws-wrong-key",
            JwsAttack::AlgNone => "jws-alg-none",
            JwsAttack::AlgHmac => "jws-alg-hmac",
            JwsAttack::UnknownKid => "jws-unknown-kid",
            JwsAttack::StaleIat => "jws-stale-iat",
            JwsAttack::PaddedBase64 => "jws-padded-base64",
        }
    }

    fn title(self) -> &'static str {
        match self {
            JwsAttack::TamperedPayload => "a payload changed after signing is rejected",
            JwsAttack::WrongKey => "a JWS signed with another key is rejected",
            JwsAttack::AlgNone => "an unsigned JWS with alg none is rejected",
            JwsAttack::AlgHmac => "HS256 keyed with the public key (algorithm confusion) is rejected",
            JwsAttack::UnknownKid => "a JWS naming an unknown kid is rejected",
            JwsAttack::StaleIat => "a request whose iat and x-timestamp are an hour old is rejected",
            JwsAttack::PaddedBase64 => "JWS segments with base64 padding are rejected",
        }
    }

    /// The rule a target accepting the attack breaks.
    fn rule(self) -> RuleId {
        match self {
            JwsAttack::AlgNone => rules::crypto::JWS_ALG_NONE,
            JwsAttack::AlgHmac => rules::crypto::JWS_ALG_HMAC,
            JwsAttack::UnknownKid => rules::crypto::JWS_KID_UNKNOWN,
            JwsAttack::StaleIat => rules::crypto::JWS_IAT_STALE,
            JwsAttack::PaddedBase64 => rules::crypto::JWS_BASE64URL,
            JwsAttack::TamperedPayload | JwsAttack::WrongKey => rules::crypto::JWS_SIGNATURE,
        }
    }

    /// The envelope carrying `payload` (the JSON of `doc`) with this attack applied.
    fn envelope(self, session: &Session, doc: &Document, payload: &str) -> anyhow::Result<String> {
        let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let kid = session.config().merchant.key_id.clone();
        let key = session.signing_key();
        Ok(match self {
            JwsAttack::TamperedPayload => {
                let signed = api::sign_flattened_jws(key, &kid, "RS256", payload.as_bytes())?;
                let mut envelope: Value = serde_json::from_str(&signed)?;
                let mut tampered = doc.body.clone();
                tampered["amount"] = Value::String("99999.00".into());
                envelope["payload"] = Value::String(b64(tampered.to_string().as_bytes()));
                envelope.to_string()
            }
            JwsAttack::WrongKey => api::sign_flattened_jws(session.wrong_key(), &kid, "RS256", payload.as_bytes())?,
            JwsAttack::UnknownKid => api::sign_flattened_jws(key, "unknown-key-id", "RS256", payload.as_bytes())?,
            JwsAttack::StaleIat => api::sign_flattened_jws(key, &kid, "RS256", payload.as_bytes())?,
            JwsAttack::AlgNone => {
                let protected = b64(format!(r#"{{"alg":"none","kid":"{kid}"}}"#).as_bytes());
                serde_json::json!({"protected": protected, "payload": b64(payload.as_bytes()), "signature": ""})
                    .to_string()
            }
            JwsAttack::AlgHmac => {
                let protected = b64(format!(r#"{{"alg":"HS256","kid":"{kid}"}}"#).as_bytes());
                let body = b64(payload.as_bytes());
                let mut mac = Hmac::<Sha256>::new_from_slice(session.merchant_public_pem().as_bytes())
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                mac.update(format!("{protected}.{body}").as_bytes());
                serde_json::json!({"protected": protected, "payload": body, "signature": b64(&mac.finalize().into_bytes())}).to_string()
            }
            JwsAttack::PaddedBase64 => {
                let signed = api::sign_flattened_jws(key, &kid, "RS256", format!("{payload} ").as_bytes())?;
                let signed: Value = serde_json::from_str(&signed)?;
                let pad = |v: &Value| {
                    let s = v.as_str().unwrap_or_default();
                    format!("{s}{}", "=".repeat(((4 - s.len() % 4) % 4).clamp(1, 2)))
                };
                serde_json::json!({"protected": pad(&signed["protected"]), "payload": pad(&signed["payload"]), "signature": pad(&signed["signature"])})
                    .to_string()
            }
        })
    }
}

/// A security case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `POST /orders` without the API key is refused (EC).
    OrdersNeedAuth,
    /// A JWS attack (Merchant Stack).
    Jws(JwsAttack),
    /// `_payment` with a hash computed with the wrong salt is refused (PayU).
    WrongHash,
    /// `udf_update` with a wrong command hash is refused (PayU postservice).
    UdfUpdateBadHash,
    /// A valid request padded past 64 KiB is answered, never dropped or a 5xx (every suite).
    LargeBody,
}

/// The generated document numbers of the security cases: distinct, so no two cases send the
/// same generated document (and none the acceptance cases' numbers `0..generated`).
const WRONG_HASH_DOCUMENT: u64 = 4_000;
const UDF_BAD_HASH_DOCUMENT: u64 = 6_000;
const JWS_DOCUMENT: u64 = 7_000;

impl Security {
    /// The security cases of an endpoint, read from its context facts, in plan order: an
    /// endpoint paying an existing order checks that `/orders` needs the API key, a JWS-signed
    /// one gets the JWS attacks, a PayU-hashed one a wrong hash; every endpoint a large body.
    pub fn of(api: &ApiCase) -> Vec<Security> {
        let mut own = Vec::new();
        for c in &api.facts.context {
            match c.derivation {
                Derivation::ExistingOrder => own.push(Security::OrdersNeedAuth),
                Derivation::Jws => own.extend(JwsAttack::ALL.into_iter().map(Security::Jws)),
                Derivation::PayuHash(HashFamily::Request) => own.push(Security::WrongHash),
                Derivation::PayuHash(HashFamily::Command) => own.push(Security::UdfUpdateBadHash),
                _ => {}
            }
        }
        own.into_iter().chain([Security::LargeBody]).collect()
    }

    /// The last part of the case ID.
    pub fn name(self) -> &'static str {
        match self {
            Security::OrdersNeedAuth => "orders-need-auth",
            Security::Jws(attack) => attack.name(),
            Security::WrongHash => "wrong-hash-rejected",
            Security::UdfUpdateBadHash => "udf-update-bad-hash",
            Security::LargeBody => "large-body",
        }
    }

    /// One line saying what is checked.
    pub fn title(self) -> &'static str {
        match self {
            Security::OrdersNeedAuth => "POST /orders without the API key is rejected",
            Security::Jws(attack) => attack.title(),
            Security::WrongHash => "_payment with a hash computed with the wrong salt is rejected",
            Security::UdfUpdateBadHash => "udf_update with a wrong command hash is rejected",
            Security::LargeBody => super::large_body::TITLE,
        }
    }

    /// The rules the case checks.
    pub fn rules(self) -> &'static [RuleId] {
        match self {
            Security::OrdersNeedAuth => &[rules::behaviour::EC_ORDERS_AUTHENTICATED],
            Security::Jws(JwsAttack::AlgNone) => &[rules::crypto::JWS_ALG_NONE],
            Security::Jws(JwsAttack::AlgHmac) => &[rules::crypto::JWS_ALG_HMAC],
            Security::Jws(JwsAttack::UnknownKid) => &[rules::crypto::JWS_KID_UNKNOWN],
            Security::Jws(JwsAttack::StaleIat) => &[rules::crypto::JWS_IAT_STALE],
            Security::Jws(JwsAttack::PaddedBase64) => &[rules::crypto::JWS_BASE64URL],
            Security::Jws(JwsAttack::TamperedPayload | JwsAttack::WrongKey) => &[rules::crypto::JWS_SIGNATURE],
            Security::WrongHash => &[rules::crypto::PAYU_REQUEST_HASH],
            Security::UdfUpdateBadHash => &[rules::crypto::PAYU_COMMAND_HASH],
            Security::LargeBody => super::large_body::RULES,
        }
    }

    /// Runs the case against `api`.
    pub async fn run(self, session: &Session, api: &ApiCase, trace: &mut Trace) -> Result<(), CaseError> {
        match self {
            Security::OrdersNeedAuth => orders_need_auth(session, api, trace).await,
            Security::Jws(attack) => jws(session, api, attack, trace).await,
            Security::WrongHash => {
                wrong_hash(
                    session,
                    api,
                    WRONG_HASH_DOCUMENT,
                    rules::crypto::PAYU_REQUEST_HASH,
                    trace,
                )
                .await
            }
            Security::UdfUpdateBadHash => {
                wrong_hash(
                    session,
                    api,
                    UDF_BAD_HASH_DOCUMENT,
                    rules::crypto::PAYU_COMMAND_HASH,
                    trace,
                )
                .await
            }
            Security::LargeBody => super::large_body::run(session, api, trace).await,
        }
    }
}

async fn orders_need_auth(session: &Session, api: &ApiCase, trace: &mut Trace) -> Result<(), CaseError> {
    // The order the API's setup operation creates, without the credentials its facts add.
    let (setup, mut doc) = session.setup_document(api, &mut trace.rng)?;
    let credentials: Vec<&str> = setup
        .facts
        .context
        .iter()
        .filter_map(|c| match (c.at, c.derivation) {
            (Place::Header(h), Derivation::BasicAuth(_)) => Some(h),
            _ => None,
        })
        .collect();
    if let Some(headers) = doc.headers.as_mut() {
        headers.retain(|(k, _)| !credentials.iter().any(|c| k.eq_ignore_ascii_case(c)));
    }
    let x = session.send_document(&setup, &doc).await?;
    trace.findings.extend(judge::transport(&x));
    if !x.status.is_some_and(|s| (400..500).contains(&s)) {
        trace.findings.push(crate::runner::case::Finding::must(
            rules::behaviour::EC_ORDERS_AUTHENTICATED,
            format!("POST /orders without credentials answered {:?}", x.status),
        ));
    }
    trace.exchanges.push(x);
    Ok(())
}

/// A valid request (document `n`) whose hash is computed with the wrong salt; the target must
/// refuse it under `rule`.
async fn wrong_hash(
    session: &Session,
    api: &ApiCase,
    n: u64,
    rule: RuleId,
    trace: &mut Trace,
) -> Result<(), CaseError> {
    let ctx = session.context(api, &mut trace.rng, &mut trace.exchanges).await?;
    let mut doc = session.valid_with_context(api, None, n, false, &ctx, &mut trace.rng)?;
    if let Some(wrong) = api::payu_request_hash(api, &doc, "not-the-salt")
        && let Some(m) = doc.body.as_object_mut()
    {
        m.insert("hash".into(), Value::String(wrong));
    }
    send_expecting_rejection(session, api, &doc, rule, trace).await
}

async fn jws(session: &Session, api: &ApiCase, attack: JwsAttack, trace: &mut Trace) -> Result<(), CaseError> {
    let message = api.request.message();
    let mut doc = session.document(api, None, JWS_DOCUMENT, None, false)?.context("doc")?;
    let now = if attack == JwsAttack::StaleIat {
        now_millis() - 3_600_000
    } else {
        now_millis()
    };
    session
        .fill(api, &Context::default())
        .at(now)
        .apply(&mut doc, None, &mut trace.rng);
    let payload = serde_json::to_string(&doc.body).context("payload")?;
    let envelope = attack.envelope(session, &doc, &payload)?;
    let mut request = api::to_request(
        api,
        message,
        &doc,
        &session.base(api.api)?,
        session.config(),
        None,
        None,
    )?;
    request.body = Body::Bytes(envelope.into_bytes());
    let x = session.client().send(&request).await;
    trace.findings.extend(judge::transport(&x));
    let broken = match attack {
        // DOMAIN.md pins the status of a signature mismatch.
        JwsAttack::TamperedPayload | JwsAttack::WrongKey => {
            judge::Broken::must(attack.rule().as_str()).pinned(crate::runner::reason::SIGNATURE_MISMATCH)
        }
        _ => judge::Broken::must(attack.rule().as_str()),
    };
    judge::rejection(api, broken, &x, &mut trace.findings);
    if x.status.is_some_and(|s| s < 500) && api.rejected(&x) {
        crate::runner::reason::judge(api, broken, &x, &mut trace.findings);
    }
    trace.exchanges.push(x);
    Ok(())
}

/// Sends `doc` as `api`'s request (unsigned, as built) and expects the API's rejection,
/// naming `rule` when it is accepted.
pub(crate) async fn send_expecting_rejection(
    session: &Session,
    api: &ApiCase,
    doc: &Document,
    rule: RuleId,
    trace: &mut Trace,
) -> Result<(), CaseError> {
    let message = api.request.message();
    let request = api::to_request(api, message, doc, &session.base(api.api)?, session.config(), None, None)?;
    let x = session.client().send(&request).await;
    trace.findings.extend(judge::transport(&x));
    judge::rejection(api, judge::Broken::must(rule.as_str()), &x, &mut trace.findings);
    trace.exchanges.push(x);
    Ok(())
}
