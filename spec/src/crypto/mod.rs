//! Hashing and signature rules of the vendor documents: PayU's SHA-512 hashes
//! ([`payu_hash`]), the TPV payer account hash of the Merchant Stack ([`tpv`]), the flattened
//! JWS that wraps Merchant Stack requests ([`jws`]) and the `x-response-signature` of its
//! responses ([`response_signature`]), and the TPAP SDK `signaturePayload` signature
//! ([`signature_payload`]).
//!
//! Every failure is a typed error whose [`RuleError::rule_id`] names a rule of [`rules`]. The
//! module is pure: keys arrive as PEM text, clocks as a `now_millis` argument, randomness (only
//! PS256 signing needs it) as an RNG argument.

pub mod freshness;
pub mod jws;
pub mod keys;
pub mod payu_hash;
pub mod payu_names;
pub mod payu_sequence;
pub mod response_signature;
pub mod rsa_sig;
pub mod sha512_hex;
pub mod signature_payload;
pub mod tpv;

mod catalogue;
mod encoding;

pub use catalogue::rules;
pub use keys::{PrivateKey, PublicKey};
pub use rsa_sig::SignatureAlgorithm;

/// An error that names the catalogue rule it enforces.
pub trait RuleError: std::error::Error {
    /// The stable ID of the broken rule, one of [`rules`].
    fn rule_id(&self) -> &'static str;
}
