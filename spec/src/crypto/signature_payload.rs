//! The TPAP SDK `signature` over `signaturePayload` (seed 002; `DOMAIN.md`, Juspay TPAP SDK
//! signaturePayload): RSA-SHA256 (PKCS#1 v1.5) over the exact bytes of the `signaturePayload`
//! string, standard base64, with the private key named by `merchantKeyId`. Verification takes
//! the string as sent and never re-serialises it: a whitespace change breaks the signature.

use super::keys::{PrivateKey, PublicKey};

use super::RuleError;
use super::catalogue::RuleDef;
use super::encoding::{decode_base64, encode_base64};
use super::keys::KeyRing;
use super::rsa_sig::{self, SignatureAlgorithm};
use crate::rule::Severity;
use crate::source::{Source, seeds};

/// Rule: the signature is standard padded base64.
pub const RULE_ENCODING: &str = "tpap.signature.encoding";
/// Rule: `merchantKeyId` names a registered key.
pub const RULE_KEY_ID: &str = "tpap.signature.merchant-key-id-unknown";
/// Rule: the signature verifies over the exact payload bytes.
pub const RULE_SIGNATURE: &str = "tpap.signature.signature";

const SECTION: Source = Source::seed(
    seeds::TPAP_SDK,
    "IN-APP UPI with UI > 1. Get Session Token > Request Payload",
);
const SCOPE: &str = "tpap.payload.signature";

pub(crate) const RULES: &[RuleDef] = &[
    RuleDef {
        id: RULE_ENCODING,
        statement: "signature is standard base64 with padding",
        severity: Severity::Must,
        source: Source::derived("Juspay TPAP SDK signaturePayload (shared/DOMAIN.md): RSA-SHA256, base64 encoded"),
        scope: SCOPE,
    },
    RuleDef {
        id: RULE_KEY_ID,
        statement: "merchantKeyId names a key pair registered for the merchant",
        severity: Severity::Must,
        source: SECTION,
        scope: SCOPE,
    },
    RuleDef {
        id: RULE_SIGNATURE,
        statement: "signature is RSA-SHA256 (PKCS#1 v1.5) over the exact bytes of the signaturePayload string, with the key named by merchantKeyId",
        severity: Severity::Must,
        source: SECTION,
        scope: SCOPE,
    },
];

/// Why a signaturePayload signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignaturePayloadError {
    /// The signature is not padded standard base64.
    #[error("tpap.signature.encoding: {reason}")]
    Encoding {
        /// What is wrong.
        reason: String,
    },
    /// No key for the `merchantKeyId`.
    #[error("tpap.signature.merchant-key-id-unknown: no key registered for merchantKeyId {key_id:?}")]
    UnknownKeyId {
        /// The key ID.
        key_id: String,
    },
    /// The signature does not verify (or could not be made).
    #[error("tpap.signature.signature: signature does not verify over the exact signaturePayload bytes")]
    Signature,
}

impl RuleError for SignaturePayloadError {
    fn rule_id(&self) -> &'static str {
        match self {
            SignaturePayloadError::Encoding { .. } => RULE_ENCODING,
            SignaturePayloadError::UnknownKeyId { .. } => RULE_KEY_ID,
            SignaturePayloadError::Signature => RULE_SIGNATURE,
        }
    }
}

/// Signs the exact `signature_payload` string: the `signature` value to send.
pub fn sign(key: &PrivateKey, signature_payload: &str) -> Result<String, SignaturePayloadError> {
    rsa_sig::sign(SignatureAlgorithm::Rs256, key, signature_payload.as_bytes())
        .map(|sig| encode_base64(&sig))
        .ok_or(SignaturePayloadError::Signature)
}

/// Verifies `signature` over the exact `signature_payload` string with `key`.
pub fn verify(key: &PublicKey, signature_payload: &str, signature: &str) -> Result<(), SignaturePayloadError> {
    let bytes = decode_base64(signature).map_err(|p| SignaturePayloadError::Encoding { reason: p.reason })?;
    if rsa_sig::verify(SignatureAlgorithm::Rs256, key, signature_payload.as_bytes(), &bytes) {
        Ok(())
    } else {
        Err(SignaturePayloadError::Signature)
    }
}

/// Verifies with the key that `merchant_key_id` names in `keys`.
pub fn verify_with_ring(
    keys: &KeyRing,
    merchant_key_id: &str,
    signature_payload: &str,
    signature: &str,
) -> Result<(), SignaturePayloadError> {
    let key = keys
        .get(merchant_key_id)
        .ok_or_else(|| SignaturePayloadError::UnknownKeyId {
            key_id: merchant_key_id.to_owned(),
        })?;
    verify(key, signature_payload, signature)
}
