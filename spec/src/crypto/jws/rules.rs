//! The request JWS's rules: each ID declared once, with its statement, severity and source.

use super::super::catalogue::RuleDef;
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
        source: super::super::catalogue::JWS_CRIT,
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
        source: super::super::catalogue::JWS_X_TIMESTAMP,
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
