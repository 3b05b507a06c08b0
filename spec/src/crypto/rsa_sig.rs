//! The two RSA signature schemes the documents use, over SHA-256: RSASSA-PKCS1-v1_5 (`RS256`)
//! and RSASSA-PSS with a 32-byte salt (`PS256`), on the RustCrypto `rsa` crate.

use rsa::pkcs1v15;
use rsa::pss;
use rsa::rand_core::CryptoRngCore;
use rsa::signature::{RandomizedSigner as _, SignatureEncoding as _, Verifier as _};
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::Sha256;

/// A signature algorithm over SHA-256.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (JWS `RS256`): deterministic.
    #[default]
    Rs256,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (JWS `PS256`): randomised.
    Ps256,
}

impl SignatureAlgorithm {
    /// The JWS `alg` name.
    pub fn jws_name(self) -> &'static str {
        match self {
            SignatureAlgorithm::Rs256 => "RS256",
            SignatureAlgorithm::Ps256 => "PS256",
        }
    }

    /// The algorithm for a JWS `alg` name, if it is one we implement.
    pub fn from_jws_name(name: &str) -> Option<Self> {
        match name {
            "RS256" => Some(SignatureAlgorithm::Rs256),
            "PS256" => Some(SignatureAlgorithm::Ps256),
            _ => None,
        }
    }
}

/// Signs `message`. `rng` blinds the private-key operation (against timing side channels) and
/// draws the PS256 salt; RS256 signatures are still deterministic. Returns `None` only if the
/// key cannot sign.
pub(crate) fn sign(
    algorithm: SignatureAlgorithm,
    key: &RsaPrivateKey,
    message: &[u8],
    rng: &mut impl CryptoRngCore,
) -> Option<Vec<u8>> {
    match algorithm {
        SignatureAlgorithm::Rs256 => pkcs1v15::SigningKey::<Sha256>::new(key.clone())
            .try_sign_with_rng(rng, message)
            .ok()
            .map(|s| s.to_vec()),
        SignatureAlgorithm::Ps256 => pss::BlindedSigningKey::<Sha256>::new(key.clone())
            .try_sign_with_rng(rng, message)
            .ok()
            .map(|s| s.to_vec()),
    }
}

/// Whether `signature` is a valid signature of `message` under `key`.
pub(crate) fn verify(algorithm: SignatureAlgorithm, key: &RsaPublicKey, message: &[u8], signature: &[u8]) -> bool {
    match algorithm {
        SignatureAlgorithm::Rs256 => pkcs1v15::Signature::try_from(signature).is_ok_and(|sig| {
            pkcs1v15::VerifyingKey::<Sha256>::new(key.clone())
                .verify(message, &sig)
                .is_ok()
        }),
        SignatureAlgorithm::Ps256 => pss::Signature::try_from(signature).is_ok_and(|sig| {
            pss::VerifyingKey::<Sha256>::new(key.clone())
                .verify(message, &sig)
                .is_ok()
        }),
    }
}
