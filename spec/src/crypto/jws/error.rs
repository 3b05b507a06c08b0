//! Why a request JWS is refused: one variant per rule, its message the rule ID and what is
//! wrong.

use std::fmt;

use super::super::RuleError;
use super::rules::ids;

/// Why a request JWS was refused (or could not be made).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwsError {
    /// The body is not an object of three string members.
    BodyShape {
        /// What is wrong.
        reason: String,
    },
    /// A segment is not base64url without padding.
    Base64Url {
        /// `protected`, `payload` or `signature`.
        segment: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The protected header is not a JSON object.
    HeaderJson,
    /// `alg: none`.
    AlgNone {
        /// The alg value.
        alg: String,
    },
    /// An HMAC algorithm.
    AlgHmac {
        /// The alg value.
        alg: String,
    },
    /// Any other algorithm than the configured one.
    AlgNotAllowed {
        /// The alg found (`<missing>` when absent or not a string).
        found: String,
        /// The configured algorithm.
        expected: &'static str,
    },
    /// A `crit` header parameter.
    Crit,
    /// No usable `kid`.
    KidMissing,
    /// `kid` names no known key.
    KidUnknown {
        /// The kid.
        kid: String,
    },
    /// The signature does not verify (or could not be made).
    Signature {
        /// The kid whose key was used.
        kid: String,
    },
    /// The payload is not a UTF-8 JSON object.
    PayloadJson,
    /// No `iat` where one is required.
    IatMissing,
    /// `iat` is not a 13-digit string.
    IatFormat,
    /// `iat` outside the window.
    IatStale(StaleBy),
    /// `x-timestamp` is not 13 digits.
    XTimestampFormat,
    /// `x-timestamp` outside the window.
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

impl fmt::Display for JwsError {
    /// The rule ID, then what is wrong: the ID is [`RuleError::rule_id`]'s, written nowhere else.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.rule_id())?;
        match self {
            JwsError::BodyShape { reason } => write!(f, "{reason}"),
            JwsError::Base64Url { segment, reason } => write!(f, "`{segment}`: {reason}"),
            JwsError::HeaderJson => write!(f, "protected header is not a JSON object without duplicate members"),
            JwsError::AlgNone { alg } => write!(f, "unsigned JWS (alg {alg:?}) refused"),
            JwsError::AlgHmac { alg } => write!(f, "HMAC algorithm {alg:?} refused (algorithm confusion)"),
            JwsError::AlgNotAllowed { found, expected } => {
                write!(f, "alg {found:?} is not the configured {expected}")
            }
            JwsError::Crit => write!(f, "crit header parameter not understood"),
            JwsError::KidMissing => write!(f, "protected header has no non-empty string kid"),
            JwsError::KidUnknown { kid } => write!(f, "no key registered for kid {kid:?}"),
            JwsError::Signature { kid } => write!(f, "signature does not verify with the key of kid {kid:?}"),
            JwsError::PayloadJson => write!(f, "payload is not a UTF-8 JSON object"),
            JwsError::IatMissing => write!(f, "payload has no iat"),
            JwsError::IatFormat => write!(f, "iat is not a string of 13 digits"),
            JwsError::IatStale(by) => write!(f, "iat is {by}"),
            JwsError::XTimestampFormat => write!(f, "x-timestamp is not 13 digits"),
            JwsError::XTimestampStale(by) => write!(f, "x-timestamp is {by}"),
        }
    }
}
