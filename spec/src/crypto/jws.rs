//! The flattened JSON JWS that wraps every Merchant Stack request (seed 003 sample body
//! `{"signature", "payload", "protected"}`; `DOMAIN.md`, Juspay UPI Merchant Stack signing):
//! `protected` = base64url (no padding) of `{"alg":"RS256","kid":"<key id>"}`, `payload` =
//! base64url of the request JSON, `signature` = base64url of the signature over
//! `<protected>.<payload>`. RS256 by default, PS256 when configured.
//!
//! Verification judges, in this order: the body's shape, each segment's encoding, the header
//! (`alg` none, HMAC algorithms and anything but the configured algorithm are refused before
//! any key is touched, so the public key can never serve as an HMAC secret), the `kid`, the
//! signature, then the payload and the freshness of its `iat` and of the `x-timestamp` header.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::RuleError;
use super::catalogue::RuleDef;
use super::encoding::{decode_base64url, encode_base64url};
use super::freshness::{FreshnessWindow, Staleness};
use super::keys::{KeyRing, PrivateKey};
use super::rsa_sig::{self, SignatureAlgorithm};
use crate::rule::Severity;
use crate::source::{Source, seeds};

/// Rule IDs of the request JWS.
pub mod ids {
    /// The body is an object with exactly `protected`, `payload` and `signature` strings.
    pub const BODY_SHAPE: &str = "juspay.jws.body.shape";
    /// Each segment is base64url without padding.
    pub const BASE64URL: &str = "juspay.jws.base64url";
    /// The protected header is a JSON object.
    pub const HEADER_JSON: &str = "juspay.jws.header.json";
    /// `alg: none` is refused.
    pub const ALG_NONE: &str = "juspay.jws.alg-none";
    /// HMAC algorithms are refused (algorithm confusion).
    pub const ALG_HMAC: &str = "juspay.jws.alg-hmac";
    /// `alg` is the configured algorithm.
    pub const ALG_NOT_ALLOWED: &str = "juspay.jws.alg-not-allowed";
    /// No `crit` header parameter is understood.
    pub const HEADER_CRIT: &str = "juspay.jws.header.crit";
    /// `kid` is present.
    pub const KID_MISSING: &str = "juspay.jws.kid-missing";
    /// `kid` names a known key.
    pub const KID_UNKNOWN: &str = "juspay.jws.kid-unknown";
    /// The signature verifies.
    pub const SIGNATURE: &str = "juspay.jws.signature";
    /// The payload is a JSON object.
    pub const PAYLOAD_JSON: &str = "juspay.jws.payload.json";
    /// `iat` is present where the API version requires it.
    pub const IAT_MISSING: &str = "juspay.jws.iat.missing";
    /// `iat` is a 13-digit millisecond string.
    pub const IAT_FORMAT: &str = "juspay.jws.iat.format";
    /// `iat` is inside the freshness window.
    pub const IAT_STALE: &str = "juspay.jws.iat.stale";
    /// `x-timestamp` is a 13-digit millisecond string.
    pub const X_TIMESTAMP_FORMAT: &str = "juspay.jws.x-timestamp.format";
    /// `x-timestamp` is inside the freshness window.
    pub const X_TIMESTAMP_STALE: &str = "juspay.jws.x-timestamp.stale";
}

const SNIPPET: Source = Source::seed(
    seeds::REGISTER_INTENT,
    "API Version: V3 > Sample Code Snippets > Shell Code Snippet",
);
const SIGNING: Source = Source::derived(
    "Juspay UPI Merchant Stack signing (shared/DOMAIN.md): flattened JWS, base64url without padding, RS256 over <protected>.<payload>",
);
const ALG_SAFETY: Source = Source::derived(
    "DOMAIN.md fixes the algorithm (RS256, PS256 configurable); accepting the header's choice would let `none` or an HMAC keyed with the public key pass (RFC 8725 §2.1, §3.1)",
);
const IAT: Source = Source::seed(
    seeds::REGISTER_INTENT,
    "API Version: V3 > Body Parameters > Basic Params > iat",
);
const WINDOW: Source = Source::derived(
    "a timestamp only protects against replay if it is judged against a window; the seeds give none, so it is configurable (default 5 min old, 1 min ahead) and a should",
);
const SCOPE: &str = "merchant.request.jws";

pub(crate) const RULES: &[RuleDef] = &[
    RuleDef {
        id: ids::BODY_SHAPE,
        statement: "A Merchant Stack request body is a JSON object with exactly the string members protected, payload and signature",
        severity: Severity::Must,
        source: SNIPPET,
        scope: SCOPE,
    },
    RuleDef {
        id: ids::BASE64URL,
        statement: "protected, payload and signature are base64url without padding, with no character outside the base64url alphabet",
        severity: Severity::Must,
        source: SIGNING,
        scope: SCOPE,
    },
    RuleDef {
        id: ids::HEADER_JSON,
        statement: "The protected header decodes to a JSON object without duplicate member names (RFC 7515 §4: a parser that keeps one of two alg members could verify with another algorithm than the one checked)",
        severity: Severity::Must,
        source: SIGNING,
        scope: SCOPE,
    },
    RuleDef {
        id: ids::ALG_NONE,
        statement: "A request whose header says alg none is refused",
        severity: Severity::Must,
        source: ALG_SAFETY,
        scope: SCOPE,
    },
    RuleDef {
        id: ids::ALG_HMAC,
        statement: "A request whose header names an HMAC algorithm (HS256/384/512) is refused before any key is used (algorithm confusion)",
        severity: Severity::Must,
        source: ALG_SAFETY,
        scope: SCOPE,
    },
    RuleDef {
        id: ids::ALG_NOT_ALLOWED,
        statement: "The header alg is the configured algorithm (RS256 by default, PS256 when the bank uses it)",
        severity: Severity::Must,
        source: SIGNING,
        scope: SCOPE,
    },
    RuleDef {
        id: ids::HEADER_CRIT,
        statement: "A header with a crit parameter is refused: no extension is understood (RFC 7515 §4.1.11)",
        severity: Severity::Should,
        source: super::catalogue::JWS_CRIT,
        scope: SCOPE,
    },
    RuleDef {
        id: ids::KID_MISSING,
        statement: "The protected header has a non-empty string kid",
        severity: Severity::Must,
        source: SIGNING,
        scope: SCOPE,
    },
    RuleDef {
        id: ids::KID_UNKNOWN,
        statement: "The kid names a key registered for the merchant",
        severity: Severity::Must,
        source: SIGNING,
        scope: SCOPE,
    },
    RuleDef {
        id: ids::SIGNATURE,
        statement: "The signature verifies over the ASCII bytes <protected>.<payload> with the key named by kid (a mismatch answers HTTP 401)",
        severity: Severity::Must,
        source: SIGNING,
        scope: SCOPE,
    },
    RuleDef {
        id: ids::PAYLOAD_JSON,
        statement: "The payload decodes to a UTF-8 JSON object: the request",
        severity: Severity::Must,
        source: SIGNING,
        scope: SCOPE,
    },
    RuleDef {
        id: ids::IAT_MISSING,
        statement: "The signed request carries iat where the API version requires it (V3, Default)",
        severity: Severity::Must,
        source: IAT,
        scope: SCOPE,
    },
    RuleDef {
        id: ids::IAT_FORMAT,
        statement: "iat is a string of 13 digits: epoch milliseconds",
        severity: Severity::Must,
        source: IAT,
        scope: SCOPE,
    },
    RuleDef {
        id: ids::IAT_STALE,
        statement: "iat lies inside the configured freshness window around the verifier's clock",
        severity: Severity::Should,
        source: WINDOW,
        scope: SCOPE,
    },
    RuleDef {
        id: ids::X_TIMESTAMP_FORMAT,
        statement: "The x-timestamp header is 13 digits: epoch milliseconds",
        severity: Severity::Should,
        source: super::catalogue::JWS_X_TIMESTAMP,
        scope: SCOPE,
    },
    RuleDef {
        id: ids::X_TIMESTAMP_STALE,
        statement: "The x-timestamp header lies inside the configured freshness window around the verifier's clock",
        severity: Severity::Should,
        source: WINDOW,
        scope: SCOPE,
    },
];

/// A JWS in flattened JSON serialization, as the request body carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlattenedJws {
    /// base64url of the protected header JSON.
    pub protected: String,
    /// base64url of the request JSON.
    pub payload: String,
    /// base64url of the signature over `<protected>.<payload>`.
    pub signature: String,
}

impl FlattenedJws {
    /// The body as compact JSON, members in the order `protected`, `payload`, `signature`.
    pub fn to_json(&self) -> String {
        serde_json::json!({"protected": self.protected, "payload": self.payload, "signature": self.signature})
            .to_string()
    }

    fn signing_input(&self) -> String {
        format!("{}.{}", self.protected, self.payload)
    }
}

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

/// Why a request JWS was refused (or could not be made).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwsError {
    /// The body is not an object of three string members.
    #[error("juspay.jws.body.shape: {reason}")]
    BodyShape {
        /// What is wrong.
        reason: String,
    },
    /// A segment is not base64url without padding.
    #[error("juspay.jws.base64url: `{segment}`: {reason}")]
    Base64Url {
        /// `protected`, `payload` or `signature`.
        segment: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The protected header is not a JSON object.
    #[error("juspay.jws.header.json: protected header is not a JSON object without duplicate members")]
    HeaderJson,
    /// `alg: none`.
    #[error("juspay.jws.alg-none: unsigned JWS (alg {alg:?}) refused")]
    AlgNone {
        /// The alg value.
        alg: String,
    },
    /// An HMAC algorithm.
    #[error("juspay.jws.alg-hmac: HMAC algorithm {alg:?} refused (algorithm confusion)")]
    AlgHmac {
        /// The alg value.
        alg: String,
    },
    /// Any other algorithm than the configured one.
    #[error("juspay.jws.alg-not-allowed: alg {found:?} is not the configured {expected}")]
    AlgNotAllowed {
        /// The alg found (`<missing>` when absent or not a string).
        found: String,
        /// The configured algorithm.
        expected: &'static str,
    },
    /// A `crit` header parameter.
    #[error("juspay.jws.header.crit: crit header parameter not understood")]
    Crit,
    /// No usable `kid`.
    #[error("juspay.jws.kid-missing: protected header has no non-empty string kid")]
    KidMissing,
    /// `kid` names no known key.
    #[error("juspay.jws.kid-unknown: no key registered for kid {kid:?}")]
    KidUnknown {
        /// The kid.
        kid: String,
    },
    /// The signature does not verify (or could not be made).
    #[error("juspay.jws.signature: signature does not verify with the key of kid {kid:?}")]
    Signature {
        /// The kid whose key was used.
        kid: String,
    },
    /// The payload is not a UTF-8 JSON object.
    #[error("juspay.jws.payload.json: payload is not a UTF-8 JSON object")]
    PayloadJson,
    /// No `iat` where one is required.
    #[error("juspay.jws.iat.missing: payload has no iat")]
    IatMissing,
    /// `iat` is not a 13-digit string.
    #[error("juspay.jws.iat.format: iat is not a string of 13 digits")]
    IatFormat,
    /// `iat` outside the window.
    #[error("juspay.jws.iat.stale: iat is {0}")]
    IatStale(StaleBy),
    /// `x-timestamp` is not 13 digits.
    #[error("juspay.jws.x-timestamp.format: x-timestamp is not 13 digits")]
    XTimestampFormat,
    /// `x-timestamp` outside the window.
    #[error("juspay.jws.x-timestamp.stale: x-timestamp is {0}")]
    XTimestampStale(StaleBy),
}

/// How far outside the window a timestamp lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StaleBy {
    /// Too old.
    #[error("{0} ms older than the window allows")]
    Old(u64),
    /// Too far ahead.
    #[error("{0} ms further ahead than the window allows")]
    Ahead(u64),
}

impl RuleError for JwsError {
    fn rule_id(&self) -> &'static str {
        match self {
            JwsError::BodyShape { .. } => ids::BODY_SHAPE,
            JwsError::Base64Url { .. } => ids::BASE64URL,
            JwsError::HeaderJson => ids::HEADER_JSON,
            JwsError::AlgNone { .. } => ids::ALG_NONE,
            JwsError::AlgHmac { .. } => ids::ALG_HMAC,
            JwsError::AlgNotAllowed { .. } => ids::ALG_NOT_ALLOWED,
            JwsError::Crit => ids::HEADER_CRIT,
            JwsError::KidMissing => ids::KID_MISSING,
            JwsError::KidUnknown { .. } => ids::KID_UNKNOWN,
            JwsError::Signature { .. } => ids::SIGNATURE,
            JwsError::PayloadJson => ids::PAYLOAD_JSON,
            JwsError::IatMissing => ids::IAT_MISSING,
            JwsError::IatFormat => ids::IAT_FORMAT,
            JwsError::IatStale(_) => ids::IAT_STALE,
            JwsError::XTimestampFormat => ids::X_TIMESTAMP_FORMAT,
            JwsError::XTimestampStale(_) => ids::X_TIMESTAMP_STALE,
        }
    }
}

#[derive(Serialize)]
struct ProtectedHeader<'a> {
    alg: &'static str,
    kid: &'a str,
}

/// Signs `payload_json` (the request JSON, exactly as it will be sent) under `kid`.
pub fn sign(
    key: &PrivateKey,
    algorithm: SignatureAlgorithm,
    kid: &str,
    payload_json: &str,
) -> Result<FlattenedJws, JwsError> {
    if kid.is_empty() {
        return Err(JwsError::KidMissing);
    }
    if !matches!(crate::input::parse_json(payload_json), Ok(Value::Object(_))) {
        return Err(JwsError::PayloadJson);
    }
    let header = serde_json::to_string(&ProtectedHeader {
        alg: algorithm.jws_name(),
        kid,
    })
    .map_err(|_| JwsError::HeaderJson)?;
    let mut jws = FlattenedJws {
        protected: encode_base64url(header.as_bytes()),
        payload: encode_base64url(payload_json.as_bytes()),
        signature: String::new(),
    };
    let signature = rsa_sig::sign(algorithm, key, jws.signing_input().as_bytes())
        .ok_or_else(|| JwsError::Signature { kid: kid.to_owned() })?;
    jws.signature = encode_base64url(&signature);
    Ok(jws)
}

/// Parses a request body into its three members, refusing any other shape.
pub fn parse_body(body: &str) -> Result<FlattenedJws, JwsError> {
    let shape = |reason: &str| JwsError::BodyShape {
        reason: reason.to_owned(),
    };
    // The strict reader (duplicate member names refused) for the envelope, the protected
    // header and the payload alike: the server reads them the same way.
    let members = match crate::input::parse_json(body) {
        Ok(Value::Object(members)) => members,
        Ok(_) => return Err(shape("body is not a JSON object")),
        Err(e) => return Err(shape(&format!("body is not a JSON object: {e}"))),
    };
    if let Some(extra) = members
        .keys()
        .find(|k| !matches!(k.as_str(), "protected" | "payload" | "signature"))
    {
        return Err(JwsError::BodyShape {
            reason: format!("unexpected member {extra:?}"),
        });
    }
    let member = |name: &str| match members.get(name) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(JwsError::BodyShape {
            reason: format!("member {name:?} is not a string"),
        }),
        None => Err(JwsError::BodyShape {
            reason: format!("member {name:?} is missing"),
        }),
    };
    Ok(FlattenedJws {
        protected: member("protected")?,
        payload: member("payload")?,
        signature: member("signature")?,
    })
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
    if !rsa_sig::verify(policy.algorithm, key, jws.signing_input().as_bytes(), &signature) {
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

fn check_algorithm(alg: Option<&Value>, expected: SignatureAlgorithm) -> Result<(), JwsError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_shape_errors_name_the_member() {
        assert_eq!(parse_body("[]").unwrap_err().rule_id(), ids::BODY_SHAPE);
        let err = parse_body(r#"{"protected":"a","payload":"b"}"#).unwrap_err();
        assert_eq!(
            err,
            JwsError::BodyShape {
                reason: "member \"signature\" is missing".to_owned()
            }
        );
        let err = parse_body(r#"{"protected":"a","payload":"b","signature":"c","header":{}}"#).unwrap_err();
        assert_eq!(err.rule_id(), ids::BODY_SHAPE);
    }

    #[test]
    fn a_header_with_duplicate_members_is_refused() {
        let jws = FlattenedJws {
            protected: encode_base64url(br#"{"alg":"RS256","alg":"none","kid":"k"}"#),
            payload: encode_base64url(br#"{"iat":"1"}"#),
            signature: encode_base64url(b"x"),
        };
        let policy = JwsPolicy::default();
        assert_eq!(
            verify(&jws, &KeyRing::new(), &policy, 0, None).unwrap_err(),
            JwsError::HeaderJson
        );
        let single = FlattenedJws {
            protected: encode_base64url(br#"{"alg":"RS256","kid":"k"}"#),
            ..jws
        };
        assert_eq!(
            verify(&single, &KeyRing::new(), &policy, 0, None).unwrap_err(),
            JwsError::KidUnknown { kid: "k".into() }
        );
    }

    #[test]
    fn duplicate_envelope_members_and_payload_keys_are_refused() {
        let envelope = |dup: &str| format!(r#"{{"protected":"a","payload":"b","signature":"c",{dup}:"d"}}"#);
        for name in ["payload", "signature"] {
            let err = parse_body(&envelope(&format!("{name:?}"))).unwrap_err();
            assert!(err.to_string().contains(&format!("duplicate key `{name}`")), "{err}");
        }
        let pem = include_str!("../../../golden/keys/merchant_signing.pem");
        let key = crate::crypto::keys::private_key_from_pem(pem).unwrap();
        let mut ring = KeyRing::new();
        ring.insert("k", key.public_key());
        let policy = JwsPolicy {
            require_iat: false,
            ..JwsPolicy::default()
        };
        let duplicate = r#"{"amount":"1.00","amount":"9999.00"}"#;
        assert_eq!(
            sign(&key, SignatureAlgorithm::Rs256, "k", duplicate).unwrap_err(),
            JwsError::PayloadJson
        );
        let mut forged = sign(&key, SignatureAlgorithm::Rs256, "k", r#"{"amount":"1.00"}"#).unwrap();
        forged.payload = encode_base64url(duplicate.as_bytes());
        let signature = rsa_sig::sign(SignatureAlgorithm::Rs256, &key, forged.signing_input().as_bytes()).unwrap();
        forged.signature = encode_base64url(&signature);
        assert_eq!(
            verify(&forged, &ring, &policy, 0, None).unwrap_err(),
            JwsError::PayloadJson
        );
    }

    #[test]
    fn algorithm_checks_come_before_keys() {
        let alg = |s: &str| check_algorithm(Some(&Value::String(s.to_owned())), SignatureAlgorithm::Rs256);
        assert_eq!(alg("NONE").unwrap_err().rule_id(), ids::ALG_NONE);
        assert_eq!(alg("HS256").unwrap_err().rule_id(), ids::ALG_HMAC);
        assert_eq!(alg("PS256").unwrap_err().rule_id(), ids::ALG_NOT_ALLOWED);
        assert_eq!(alg("aé").unwrap_err().rule_id(), ids::ALG_NOT_ALLOWED);
        assert!(alg("RS256").is_ok());
    }
}
