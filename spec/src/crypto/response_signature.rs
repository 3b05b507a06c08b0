//! The `x-response-signature` header of Merchant Stack responses (`DOMAIN.md`, Juspay UPI
//! Merchant Stack signing): RS256 over the raw response body bytes, verifiable with the PSP's
//! public key. The header's encoding is not published; we use base64url without padding, like
//! the request JWS's signature segment, and say so in the rule's source.

use super::keys::{PrivateKey, PublicKey};

use super::RuleError;
use super::catalogue::RuleDef;
use super::encoding::{decode_base64url, encode_base64url};
use super::rsa_sig::{self, SignatureAlgorithm};
use crate::rule::Severity;
use crate::source::Source;

/// Rule: the header is base64url without padding.
pub const RULE_ENCODING: &str = "juspay.response-signature.encoding";
/// Rule: the header verifies over the raw body.
pub const RULE_SIGNATURE: &str = "juspay.response-signature.signature";

const SCOPE: &str = "merchant.response.x-response-signature";

pub(crate) const RULES: &[RuleDef] = &[
    RuleDef {
        id: RULE_ENCODING,
        statement: "x-response-signature is base64url without padding (unverified: the vendor does not publish the encoding)",
        severity: Severity::Should,
        source: Source::derived(
            "DOMAIN.md names RS256 over the raw body but not the header's encoding; we use the JWS signature encoding, base64url without padding",
        ),
        scope: SCOPE,
    },
    RuleDef {
        id: RULE_SIGNATURE,
        statement: "An HTTP 200 response's x-response-signature is RS256 over the raw response body bytes with the PSP's key",
        severity: Severity::Must,
        source: Source::derived(
            "Juspay UPI Merchant Stack signing (shared/DOMAIN.md): responses with HTTP 200 carry x-response-signature, RS256 over the raw body",
        ),
        scope: SCOPE,
    },
];

/// Why a response signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResponseSignatureError {
    /// The header is not base64url without padding.
    #[error("juspay.response-signature.encoding: {reason}")]
    Encoding {
        /// What is wrong.
        reason: String,
    },
    /// The signature does not verify over the body (or could not be made).
    #[error("juspay.response-signature.signature: signature does not verify over the raw body")]
    Signature,
}

impl RuleError for ResponseSignatureError {
    fn rule_id(&self) -> &'static str {
        match self {
            ResponseSignatureError::Encoding { .. } => RULE_ENCODING,
            ResponseSignatureError::Signature => RULE_SIGNATURE,
        }
    }
}

/// Signs a response body: the header value to send.
pub fn sign(key: &PrivateKey, body: &[u8]) -> Result<String, ResponseSignatureError> {
    rsa_sig::sign(SignatureAlgorithm::Rs256, key, body)
        .map(|sig| encode_base64url(&sig))
        .ok_or(ResponseSignatureError::Signature)
}

/// Verifies a header value against the raw body bytes.
pub fn verify(key: &PublicKey, body: &[u8], header: &str) -> Result<(), ResponseSignatureError> {
    let signature = decode_base64url(header).map_err(|p| ResponseSignatureError::Encoding { reason: p.reason })?;
    if rsa_sig::verify(SignatureAlgorithm::Rs256, key, body, &signature) {
        Ok(())
    } else {
        Err(ResponseSignatureError::Signature)
    }
}
