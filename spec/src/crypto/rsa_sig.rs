//! The two RSA signature schemes the documents use, over SHA-256: RSASSA-PKCS1-v1_5 (`RS256`)
//! and RSASSA-PSS with a 32-byte salt (`PS256`), on AWS-LC (`aws-lc-rs`).

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, RsaEncoding, RsaParameters, UnparsedPublicKey};

use super::keys::{PrivateKey, PublicKey};

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

/// Signs `message`. AWS-LC blinds the private-key operation (against timing side channels) and
/// draws the PS256 salt from its own generator; RS256 signatures are still deterministic.
/// Returns `None` only if the key cannot sign.
pub(crate) fn sign(algorithm: SignatureAlgorithm, key: &PrivateKey, message: &[u8]) -> Option<Vec<u8>> {
    let padding: &'static dyn RsaEncoding = match algorithm {
        SignatureAlgorithm::Rs256 => &signature::RSA_PKCS1_SHA256,
        SignatureAlgorithm::Ps256 => &signature::RSA_PSS_SHA256,
    };
    let signer = key.signer();
    let mut signature = vec![0; signer.public_modulus_len()];
    signer
        .sign(padding, &SystemRandom::new(), message, &mut signature)
        .ok()?;
    Some(signature)
}

/// Whether `signature` is a valid signature of `message` under `key`.
pub(crate) fn verify(algorithm: SignatureAlgorithm, key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
    let parameters: &'static RsaParameters = match algorithm {
        SignatureAlgorithm::Rs256 => &signature::RSA_PKCS1_2048_8192_SHA256,
        SignatureAlgorithm::Ps256 => &signature::RSA_PSS_2048_8192_SHA256,
    };
    UnparsedPublicKey::new(parameters, key.pkcs1_der())
        .verify(message, signature)
        .is_ok()
}
