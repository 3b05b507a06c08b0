//! The guard of every `postservice.php` command: the merchant key must be the configured one
//! and the command hash `sha512(key|command|var1|salt)` must verify.

use serde_json::Value;
use upi_spec::crypto::RuleError;
use upi_spec::crypto::payu_hash::{self, PayuHashError};
use upi_spec::crypto::payu_sequence::HashFamily;
use upi_spec::input::Document;

use super::string_fields;
use crate::config::PayuCredentials;
use crate::judge::Refusal;

/// Why a command is not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denial {
    /// The key is not this server's merchant.
    UnknownKey,
    /// The command hash does not verify.
    BadHash(PayuHashError),
}

impl Denial {
    /// The message PayU answers with (seed 004, step 6 failure scenarios).
    pub fn msg(&self) -> &'static str {
        match self {
            Denial::UnknownKey => "Merchant is not authorized to use PayU API",
            Denial::BadHash(_) => "Invalid Hash.",
        }
    }

    /// The refusal naming the broken rule (noted in the client report).
    pub fn refusal(&self) -> Refusal {
        match self {
            Denial::UnknownKey => Refusal::new("server.payu.known-key", "key", self.msg()),
            Denial::BadHash(e) => Refusal::new(e.rule_id(), "hash", e.to_string()),
        }
    }
}

/// Checks key and command hash; `accept_mismatch` lets a well-formed hash that does not
/// verify through (the `accept-bad-udf-update-hash` fault).
pub fn check(document: &Document, payu: &PayuCredentials, accept_mismatch: bool) -> Result<(), Denial> {
    let text = |name: &str| document.body.get(name).and_then(Value::as_str);
    if text("key") != Some(payu.key.as_str()) {
        return Err(Denial::UnknownKey);
    }
    let hash = text("hash").unwrap_or_default();
    // The posted form's string fields where they are: no map, no copies.
    match payu_hash::verify_from(HashFamily::Command, string_fields(document), &payu.salt, hash) {
        Err(PayuHashError::Mismatch { .. }) if accept_mismatch => Ok(()),
        outcome => outcome.map_err(Denial::BadHash),
    }
}
