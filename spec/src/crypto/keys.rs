//! RSA keys as the vendors exchange them: PEM text, at least 2048 bits. Parsing is here so
//! every signature module rejects a weak or unreadable key the same way, and a [`KeyRing`]
//! maps the key IDs that messages name (`kid`, `merchantKeyId`) to public keys.
//!
//! A key is read once (RustCrypto `rsa` decodes the PEM and checks the size) and held as a
//! [`PrivateKey`] or [`PublicKey`] that also carries what AWS-LC needs to sign or verify, so
//! the per-signature work is the RSA operation alone.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_lc_rs::signature::{self, ParsedPublicKey, RsaKeyPair, RsaParameters};
use rsa::pkcs1::{DecodeRsaPrivateKey as _, DecodeRsaPublicKey as _, EncodeRsaPublicKey as _};
use rsa::pkcs8::{DecodePrivateKey as _, DecodePublicKey as _, EncodePrivateKey as _, EncodePublicKey as _};
use rsa::traits::PublicKeyParts as _;
use rsa::{RsaPrivateKey, RsaPublicKey};

use super::RuleError;
use super::catalogue::RuleDef;
use super::rsa_sig::SignatureAlgorithm;
use crate::rule::Severity;
use crate::source::{Source, seeds};

/// Rule: keys are RSA, PEM encoded, at least 2048 bits.
pub const RULE_RSA_2048_PEM: &str = "crypto.key.rsa-2048-pem";

/// The smallest modulus accepted, in bits.
pub const MIN_MODULUS_BITS: usize = 2048;

/// The largest modulus accepted, in bits (the limit of the signing library; the documents
/// exchange 2048-bit keys).
pub const MAX_MODULUS_BITS: usize = 8192;

/// The only public exponent accepted.
pub const REQUIRED_EXPONENT: u64 = 65537;

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
    /// The modulus is longer than [`MAX_MODULUS_BITS`].
    #[error("crypto.key.rsa-2048-pem: RSA key has {bits} bits, at most 8192 are supported")]
    TooLarge {
        /// Modulus length in bits.
        bits: usize,
    },
    /// The public exponent is not 65537 (a small exponent such as 3 makes PKCS#1 v1.5
    /// signatures forgeable when a verifier is lax).
    #[error("crypto.key.rsa-2048-pem: RSA public exponent is {exponent}, only 65537 is accepted")]
    Exponent {
        /// The exponent (its low 64 bits for a larger one).
        exponent: u64,
    },
    /// The key decodes but its parts are inconsistent (the signing library refuses it).
    #[error("crypto.key.rsa-2048-pem: RSA private key is inconsistent: {reason}")]
    Inconsistent {
        /// What the signing library said.
        reason: String,
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
    if bits > MAX_MODULUS_BITS {
        return Err(KeyError::TooLarge { bits });
    }
    let digits = key.e().to_bytes_be();
    if digits != REQUIRED_EXPONENT.to_be_bytes()[5..] {
        let exponent = digits.iter().fold(0u64, |acc, d| (acc << 8) | u64::from(*d));
        return Err(KeyError::Exponent { exponent });
    }
    Ok(())
}

/// An RSA private key, checked and ready to sign.
#[derive(Clone)]
pub struct PrivateKey {
    key: RsaPrivateKey,
    signer: Arc<RsaKeyPair>,
}

impl PrivateKey {
    /// Checks `key` (size, consistency) and prepares it for signing.
    pub fn new(key: RsaPrivateKey) -> Result<Self, KeyError> {
        check_size(&key.to_public_key())?;
        let der = key
            .to_pkcs8_der()
            .map_err(|e| KeyError::Inconsistent { reason: e.to_string() })?;
        let signer =
            RsaKeyPair::from_pkcs8(der.as_bytes()).map_err(|e| KeyError::Inconsistent { reason: e.to_string() })?;
        Ok(PrivateKey {
            key,
            signer: Arc::new(signer),
        })
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey::from_checked(self.key.to_public_key())
    }

    /// The RustCrypto form of the key.
    pub fn as_rsa(&self) -> &RsaPrivateKey {
        &self.key
    }

    pub(crate) fn signer(&self) -> &RsaKeyPair {
        &self.signer
    }
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrivateKey({} bits, redacted)", self.key.n().bits())
    }
}

/// An RSA public key, checked and ready to verify.
#[derive(Clone)]
pub struct PublicKey {
    key: RsaPublicKey,
    /// The key as AWS-LC holds it for each algorithm, parsed once (parsing the DER and setting
    /// up the modulus's Montgomery context on every verification cost about as much as a
    /// tenth of the verification itself).
    verifiers: Arc<Verifiers>,
}

/// A public key parsed for each signature algorithm (`None`: AWS-LC refused it, and every
/// signature then fails to verify).
struct Verifiers {
    rs256: Option<ParsedPublicKey>,
    ps256: Option<ParsedPublicKey>,
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for PublicKey {}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicKey")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl PublicKey {
    /// Checks `key`'s size and prepares it for verification.
    pub fn new(key: RsaPublicKey) -> Result<Self, KeyError> {
        check_size(&key)?;
        Ok(Self::from_checked(key))
    }

    fn from_checked(key: RsaPublicKey) -> Self {
        let der = key.to_pkcs1_der().ok();
        let parse = |parameters: &'static RsaParameters| {
            der.as_ref()
                .and_then(|der| ParsedPublicKey::new(parameters, der.as_bytes()).ok())
        };
        let verifiers = Verifiers {
            rs256: parse(&signature::RSA_PKCS1_2048_8192_SHA256),
            ps256: parse(&signature::RSA_PSS_2048_8192_SHA256),
        };
        PublicKey {
            key,
            verifiers: Arc::new(verifiers),
        }
    }

    /// The RustCrypto form of the key.
    pub fn as_rsa(&self) -> &RsaPublicKey {
        &self.key
    }

    /// The key as SPKI PEM (`PUBLIC KEY`).
    pub fn to_pem(&self) -> String {
        self.key
            .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
            .unwrap_or_default()
    }

    /// The key parsed for `algorithm` (`None` if AWS-LC refused it).
    pub(crate) fn verifier(&self, algorithm: SignatureAlgorithm) -> Option<&ParsedPublicKey> {
        match algorithm {
            SignatureAlgorithm::Rs256 => self.verifiers.rs256.as_ref(),
            SignatureAlgorithm::Ps256 => self.verifiers.ps256.as_ref(),
        }
    }
}

/// Parses a public key from PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`).
pub fn public_key_from_pem(pem: &str) -> Result<PublicKey, KeyError> {
    let key = RsaPublicKey::from_public_key_pem(pem.trim())
        .or_else(|_| RsaPublicKey::from_pkcs1_pem(pem.trim()))
        .map_err(|_| KeyError::Unreadable { kind: "public" })?;
    PublicKey::new(key)
}

/// Parses a private key from PEM (`PRIVATE KEY` or `RSA PRIVATE KEY`).
pub fn private_key_from_pem(pem: &str) -> Result<PrivateKey, KeyError> {
    let key = RsaPrivateKey::from_pkcs8_pem(pem.trim())
        .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem.trim()))
        .map_err(|_| KeyError::Unreadable { kind: "private" })?;
    PrivateKey::new(key)
}

/// Public keys by the key ID that messages carry (`kid` of a JWS header, `merchantKeyId` of a
/// TPAP payload).
#[derive(Debug, Clone, Default)]
pub struct KeyRing {
    keys: BTreeMap<String, PublicKey>,
}

impl KeyRing {
    /// An empty ring.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) the key for `key_id`.
    pub fn insert(&mut self, key_id: impl Into<String>, key: PublicKey) -> &mut Self {
        self.keys.insert(key_id.into(), key);
        self
    }

    /// The key for `key_id`, if the ring has one.
    pub fn get(&self, key_id: &str) -> Option<&PublicKey> {
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

    /// A 2048-bit key with public exponent 3 (`openssl genpkey … rsa_keygen_pubexp:3`).
    pub(crate) const EXPONENT_3_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MIIBIDANBgkqhkiG9w0BAQEFAAOCAQ0AMIIBCAKCAQEArT/IcuEp8Lw6Wu3+pg2a
KgoH2a5waZrB4tRZPa3ocVKx8cTLH1ASi+tqoGtKIZHBbmkB2TBFeuFMJoi1NvAs
2z0UqIT/Mh8qx/PJfwxoQJFxnkHinMKsegqr0JqRACMqFmDH0mskYuKHisazl1cd
UgnJOx4ifLUep5uF51zg7qDQIivlHA6eESRM/OMLoi6dCECOwNHz41Nhm6hVK6j0
sLcR8hKaT1aVFexiy2JjZw/GEZHeV+OF5z3eg6pvwCYbti97VsD+Oj/fiD2JiZVE
hfX0RICprgPSX81fFO6t3MRnXAg/hMk6F+p5GFdniiR1cjIuY4XqwbW0xO4UMNsu
vwIBAw==
-----END PUBLIC KEY-----";
    /// Its private half.
    const EXPONENT_3_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCtP8hy4SnwvDpa
7f6mDZoqCgfZrnBpmsHi1Fk9rehxUrHxxMsfUBKL62qga0ohkcFuaQHZMEV64Uwm
iLU28CzbPRSohP8yHyrH88l/DGhAkXGeQeKcwqx6CqvQmpEAIyoWYMfSayRi4oeK
xrOXVx1SCck7HiJ8tR6nm4XnXODuoNAiK+UcDp4RJEz84wuiLp0IQI7A0fPjU2Gb
qFUrqPSwtxHyEppPVpUV7GLLYmNnD8YRkd5X44XnPd6Dqm/AJhu2L3tWwP46P9+I
PYmJlUSF9fREgKmuA9JfzV8U7q3cxGdcCD+EyToX6nkYV2eKJHVyMi5jherBtbTE
7hQw2y6/AgEDAoIBAHN/2vdAxqB9fDyeqcQJEXFcBTvJoEZnK+yNkNPJRaDhy/aD
MhTgDF1HnGryMWu2gPRGATt1g6dA3W8FziSgHed+DcWt/3a/cdqihlSy8CsLoRQr
7GiByFFccosRtgAXcWRAhTbyGEHsWlyEd7o6E4wGhidpbFMjacUSWUTolfRqG+n6
lh10CiNM3XaZjD0LVOtrAfXrwPbFKlhnSRwaCVjFP5Pycn8Qafu/3zG3vLyS9nc2
MsypESlnN4Phyih/TrUVWvFuntrF+C4F5Xm87UulbETBbXVH9+JB09sYIgisKs/Z
KTSQuGhs5Ti+SHatJxBOc+/vlEcvqCDh5+1uzisCgYEA4h5lC8SMUliO45ygnrkg
AZy319pBXGkfAc/3PNtDOlPfo8wJxp7RNUx7s2MTVU2k757XhfpUSffbptiKUvoO
GFbwrJpW8V3bgjw6fffzh9EZJEP0Zc68lWRUdxutaCoUKwvRE9TVY/iAymbcEgNk
w5gunQxLW1raG3EufOabvh8CgYEAxCTO+CtUPIOiHS5cGo19nApoM/Wu9ggMoEcW
KqY+rFevjsgdJ/HswM/Q4J27cv6OZL/pDCqRojFHZGVNbYlZDU+exlJEHpQ7aQb6
M1sGWMNkrZlqH69bSSgWKjCdEqWt/BhxbeEawYLGVtxd6NS790GN429TMPwUHSJs
u2YZO2ECgYEAlr7uB9hdjDsJ7RMVvyYVVmh6j+bWPZtqATVPfeeCJuKVF91b2b82
I4hSd5diON5t9RSPrqbi2/qSbzsG4fwJZY9LHbw59j6SVtLRqU/3r+C7bYKi7onT
DkLi+hJzmsa4HLKLYo3jl/sAhu89YVeYgmV0aLLc55HmvPYe/e8Sfr8CgYEAgsM0
pXI4KFfBaMmSvF5TvVxFd/kfTrAIatoOxxl/HY/KXzATb/ad1d/glb5891Re7dVG
CBxhFsuE7ZjeSQY7XjUUhDbYFGLSRgSmzOdZkIJDHmZGv8o823AOxssTYcPJUrr2
SUC8gQHZjz2T8I3SpNZel5+My1K4E2xIfO67fOsCgYEA1rSL8ufmdiGiM7KArY59
wbbZOnb5pcY+wfXfBtrhMawdE9BC5X3tef7WguWb20flRKRxWUfzRngMIm5SwfCV
F2GCWTxx86/bXq1xO4OHoN0NqVQ2C/SG38kRbmKwRX+btDM+ssGGMIrXXt1VAnQ5
7NTSynY9zvDwqdwl0THCleQ=
-----END PRIVATE KEY-----";

    #[test]
    fn exponents_other_than_65537_are_refused() {
        assert_eq!(
            public_key_from_pem(EXPONENT_3_PUBLIC),
            Err(KeyError::Exponent { exponent: 3 })
        );
        let refused = private_key_from_pem(EXPONENT_3_PRIVATE).map(|_| ()).unwrap_err();
        assert_eq!(refused, KeyError::Exponent { exponent: 3 });
        assert!(refused.to_string().contains("only 65537 is accepted"));
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
