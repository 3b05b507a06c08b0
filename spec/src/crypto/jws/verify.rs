//! Verifying a request JWS, in the order the module documentation gives.

use serde_json::{Map, Value};

use super::super::encoding::decode_base64url;
use super::super::freshness::{FreshnessWindow, Staleness};
use super::super::keys::KeyRing;
use super::super::rsa_sig::{self, SignatureAlgorithm};
use super::envelope::{FlattenedJws, parse_body};
use super::error::{JwsError, StaleBy};

/// What a verifier accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JwsPolicy {
    /// The only algorithm accepted.
    pub algorithm: SignatureAlgorithm,
    /// The window for `iat` and `x-timestamp`.
    pub window: FreshnessWindow,
    /// Whether the payload must carry `iat` (registerIntent V3 and Default do).
    pub require_iat: bool,
}

/// A verified request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedJws {
    /// The key ID that verified.
    pub kid: String,
    /// The request JSON exactly as signed.
    pub payload_json: String,
    /// The request as a JSON object.
    pub payload: Map<String, Value>,
}

/// Verifies a request body (the raw JSON text) and, when given, its `x-timestamp` header.
pub fn verify_body(
    body: &str,
    keys: &KeyRing,
    policy: &JwsPolicy,
    now_millis: u64,
    x_timestamp: Option<&str>,
) -> Result<VerifiedJws, JwsError> {
    verify(&parse_body(body)?, keys, policy, now_millis, x_timestamp)
}

/// Verifies a parsed JWS (see the module documentation for the order of checks).
pub fn verify(
    jws: &FlattenedJws,
    keys: &KeyRing,
    policy: &JwsPolicy,
    now_millis: u64,
    x_timestamp: Option<&str>,
) -> Result<VerifiedJws, JwsError> {
    let decode = |segment: &'static str, text: &str| {
        decode_base64url(text).map_err(|p| JwsError::Base64Url {
            segment,
            reason: p.reason,
        })
    };
    let header_bytes = decode("protected", &jws.protected)?;
    let payload_bytes = decode("payload", &jws.payload)?;
    let signature = decode("signature", &jws.signature)?;

    // The strict reader refuses duplicate member names (two `alg`s, say) instead of keeping one.
    let header = std::str::from_utf8(&header_bytes).ok().map(crate::input::parse_json);
    let Some(Ok(Value::Object(header))) = header else {
        return Err(JwsError::HeaderJson);
    };
    check_algorithm(header.get("alg"), policy.algorithm)?;
    if header.contains_key("crit") {
        return Err(JwsError::Crit);
    }
    let kid = match header.get("kid") {
        Some(Value::String(kid)) if !kid.is_empty() => kid.clone(),
        _ => return Err(JwsError::KidMissing),
    };
    let key = keys
        .get(&kid)
        .ok_or_else(|| JwsError::KidUnknown { kid: kid.clone() })?;
    if !rsa_sig::verify_parts(policy.algorithm, key, &jws.signing_input_parts(), &signature) {
        return Err(JwsError::Signature { kid });
    }

    let payload_json = String::from_utf8(payload_bytes).map_err(|_| JwsError::PayloadJson)?;
    let Ok(Value::Object(payload)) = crate::input::parse_json(&payload_json) else {
        return Err(JwsError::PayloadJson);
    };
    match payload.get("iat") {
        Some(Value::String(iat)) => policy.window.check(iat, now_millis).map(|_| ()).map_err(|s| match s {
            Staleness::Malformed => JwsError::IatFormat,
            Staleness::TooOld(by) => JwsError::IatStale(StaleBy::Old(by)),
            Staleness::TooNew(by) => JwsError::IatStale(StaleBy::Ahead(by)),
        })?,
        Some(_) => return Err(JwsError::IatFormat),
        None if policy.require_iat => return Err(JwsError::IatMissing),
        None => {}
    }
    if let Some(timestamp) = x_timestamp {
        policy.window.check(timestamp, now_millis).map_err(|s| match s {
            Staleness::Malformed => JwsError::XTimestampFormat,
            Staleness::TooOld(by) => JwsError::XTimestampStale(StaleBy::Old(by)),
            Staleness::TooNew(by) => JwsError::XTimestampStale(StaleBy::Ahead(by)),
        })?;
    }
    Ok(VerifiedJws {
        kid,
        payload_json,
        payload,
    })
}

pub(super) fn check_algorithm(alg: Option<&Value>, expected: SignatureAlgorithm) -> Result<(), JwsError> {
    let Some(Value::String(alg)) = alg else {
        return Err(JwsError::AlgNotAllowed {
            found: "<missing>".to_owned(),
            expected: expected.jws_name(),
        });
    };
    if alg.eq_ignore_ascii_case("none") {
        return Err(JwsError::AlgNone { alg: alg.clone() });
    }
    if alg.get(..2).is_some_and(|prefix| prefix.eq_ignore_ascii_case("HS")) {
        return Err(JwsError::AlgHmac { alg: alg.clone() });
    }
    if SignatureAlgorithm::from_jws_name(alg) != Some(expected) {
        return Err(JwsError::AlgNotAllowed {
            found: alg.clone(),
            expected: expected.jws_name(),
        });
    }
    Ok(())
}
