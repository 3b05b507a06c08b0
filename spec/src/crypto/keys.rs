//! RSA keys as the vendors exchange them: PEM text, at least 2048 bits. Parsing is here so
//! every signature module rejects a weak or unreadable key the same way, and a [`KeyRing`]
//! maps the key IDs that messages name (`kid`, `merchantKeyId`) to public keys.

use std::collections::BTreeMap;

use rsa::pkcs1::{DecodeRsaPrivateKey as _, DecodeRsaPublicKey as _};
use rsa::pkcs8::{DecodePrivateKey as _, DecodePublicKey as _};
use rsa::traits::PublicKeyParts as _;
pub use rsa::{RsaPrivateKey, RsaPublicKey};

use super::RuleError;
use super::catalogue::RuleDef;
use crate::rule::Severity;
use crate::source::{Source, seeds};

/// Rule: keys are RSA, PEM encoded, at least 2048 bits.
pub const RULE_RSA_2048_PEM: &str = "crypto.key.rsa-2048-pem";

/// The smallest modulus accepted, in bits.
pub const MIN_MODULUS_BITS: usize = 2048;

pub(crate) const RULES: &[RuleDef] = &[RuleDef {
    id: RULE_RSA_2048_PEM,
    statement: "Signing and verification keys are RSA keys of at least 2048 bits exchanged as PEM (SPKI or PKCS#1 public, PKCS#8 or PKCS#1 private)",
    severity: Severity::Must,
    source: Source::seed(
        seeds::TPAP_SDK,
        "IN-APP UPI with UI > 1. Get Session Token > Request Payload",
    ),
    scope: "crypto.keys",
}];

/// Why a key could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The text is not a PEM RSA key of a supported kind.
    #[error("crypto.key.rsa-2048-pem: not a PEM RSA {kind} key (SPKI/PKCS#1 public, PKCS#8/PKCS#1 private)")]
    Unreadable {
        /// `public` or `private`.
        kind: &'static str,
    },
    /// The modulus is shorter than [`MIN_MODULUS_BITS`].
    #[error("crypto.key.rsa-2048-pem: RSA key has {bits} bits, at least 2048 are required")]
    TooSmall {
        /// Modulus length in bits.
        bits: usize,
    },
}

impl RuleError for KeyError {
    fn rule_id(&self) -> &'static str {
        RULE_RSA_2048_PEM
    }
}

fn check_size(key: &RsaPublicKey) -> Result<(), KeyError> {
    let bits = key.n().bits();
    if bits < MIN_MODULUS_BITS {
        return Err(KeyError::TooSmall { bits });
    }
    Ok(())
}

/// Parses a public key from PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`).
pub fn public_key_from_pem(pem: &str) -> Result<RsaPublicKey, KeyError> {
    let key = RsaPublicKey::from_public_key_pem(pem.trim())
        .or_else(|_| RsaPublicKey::from_pkcs1_pem(pem.trim()))
        .map_err(|_| KeyError::Unreadable { kind: "public" })?;
    check_size(&key)?;
    Ok(key)
}

/// Parses a private key from PEM (`PRIVATE KEY` or `RSA PRIVATE KEY`).
pub fn private_key_from_pem(pem: &str) -> Result<RsaPrivateKey, KeyError> {
    let key = RsaPrivateKey::from_pkcs8_pem(pem.trim())
        .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem.trim()))
        .map_err(|_| KeyError::Unreadable { kind: "private" })?;
    check_size(&key.to_public_key())?;
    Ok(key)
}

/// Public keys by the key ID that messages carry (`kid` of a JWS header, `merchantKeyId` of a
/// TPAP payload).
#[derive(Debug, Clone, Default)]
pub struct KeyRing {
    keys: BTreeMap<String, RsaPublicKey>,
}

impl KeyRing {
    /// An empty ring.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) the key for `key_id`.
    pub fn insert(&mut self, key_id: impl Into<String>, key: RsaPublicKey) -> &mut Self {
        self.keys.insert(key_id.into(), key);
        self
    }

    /// The key for `key_id`, if the ring has one.
    pub fn get(&self, key_id: &str) -> Option<&RsaPublicKey> {
        self.keys.get(key_id)
    }

    /// Whether the ring holds no key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1024-bit public key made with `openssl genpkey … rsa_keygen_bits:1024`.
    const SMALL_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDI/tryPcsgYaUSDVW8D0xbmQM3
scTYR3W9mVtTieBgNuNM4264HFmi7WaSKHi/iR8o0ZpwKIjgvyzjSo1b3tJEWe1l
yo2gU0BlcWsc4T5OZK4Ry4GQIqA+BWf/K0L5wnuXYIUBQICdSb0GQDXJfMZbmhFu
Obm1W5iZf8GCpZqs/QIDAQAB
-----END PUBLIC KEY-----";

    #[test]
    fn keys_under_2048_bits_are_refused() {
        assert_eq!(
            public_key_from_pem(SMALL_PUBLIC),
            Err(KeyError::TooSmall { bits: 1024 })
        );
    }

    #[test]
    fn garbage_is_unreadable_not_a_panic() {
        assert_eq!(
            public_key_from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
            Err(KeyError::Unreadable { kind: "public" })
        );
        assert_eq!(
            private_key_from_pem("not a key").map(|_| ()),
            Err(KeyError::Unreadable { kind: "private" })
        );
    }
}
