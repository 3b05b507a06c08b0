//! The flattened JSON JWS that wraps every Merchant Stack request (seed 003 sample body
//! `{"signature", "payload", "protected"}`; `DOMAIN.md`, Juspay UPI Merchant Stack signing):
//! `protected` = base64url (no padding) of `{"alg":"RS256","kid":"<key id>"}`, `payload` =
//! base64url of the request JSON, `signature` = base64url of the signature over
//! `<protected>.<payload>`. RS256 by default, PS256 when configured.
//!
//! Verification judges, in this order: the body's shape, each segment's encoding, the header
//! (`alg` none, HMAC algorithms and anything but the configured algorithm are refused before
//! any key is touched, so the public key can never serve as an HMAC secret), the `kid`, the
//! signature, then the payload and the freshness of its `iat` and of the `x-timestamp` header.
//!
//! [`rules`] declares each rule ID once (with its statement and source), [`error`] the refusals
//! (each names its rule; the message starts with the ID), [`envelope`] the body and signing,
//! [`verify`] the checks.

mod envelope;
mod error;
mod rules;
mod verify;

pub use envelope::{FlattenedJws, parse_body, sign};
pub use error::{JwsError, StaleBy};
pub(crate) use rules::RULES;
pub use rules::ids;
pub use verify::{JwsPolicy, VerifiedJws, verify, verify_body};

#[cfg(test)]
mod tests;
