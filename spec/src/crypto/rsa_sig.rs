//! The two RSA signature schemes the documents use, over SHA-256: RSASSA-PKCS1-v1_5 (`RS256`)
//! and RSASSA-PSS with a 32-byte salt (`PS256`), on AWS-LC (`aws-lc-rs`).

use aws_lc_rs::digest::{Context, Digest, SHA256};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, RsaEncoding};

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
    let signer = key.signer();
    let mut signature = vec![0; signer.public_modulus_len()];
    signer
        .sign(padding(algorithm), &SystemRandom::new(), message, &mut signature)
        .ok()?;
    Some(signature)
}

/// Whether `signature` is a valid signature of `message` under `key`.
pub(crate) fn verify(algorithm: SignatureAlgorithm, key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
    key.verifier(algorithm)
        .is_some_and(|verifier| verifier.verify_sig(message, signature).is_ok())
}

/// Whether `signature` is a valid signature, under `key`, of `parts` one after the other (a
/// JWS signing input `<protected>.<payload>`): the parts are hashed where they are, not copied
/// into one message first.
pub(crate) fn verify_parts(algorithm: SignatureAlgorithm, key: &PublicKey, parts: &[&[u8]], signature: &[u8]) -> bool {
    key.verifier(algorithm)
        .is_some_and(|verifier| verifier.verify_digest_sig(&sha256_of(parts), signature).is_ok())
}

/// Signs `parts` one after the other, as [`sign`] signs their concatenation.
pub(crate) fn sign_parts(algorithm: SignatureAlgorithm, key: &PrivateKey, parts: &[&[u8]]) -> Option<Vec<u8>> {
    let signer = key.signer();
    let mut signature = vec![0; signer.public_modulus_len()];
    signer
        .sign_digest(padding(algorithm), &sha256_of(parts), &mut signature)
        .ok()?;
    Some(signature)
}

fn padding(algorithm: SignatureAlgorithm) -> &'static dyn RsaEncoding {
    match algorithm {
        SignatureAlgorithm::Rs256 => &signature::RSA_PKCS1_SHA256,
        SignatureAlgorithm::Ps256 => &signature::RSA_PSS_SHA256,
    }
}

/// SHA-256 of `parts` one after the other.
fn sha256_of(parts: &[&[u8]]) -> Digest {
    let mut context = Context::new(&SHA256);
    for part in parts {
        context.update(part);
    }
    context.finish()
}
