//! The catalogue of hashing and signature rules: every rule ID that an error of this module can
//! name, with its statement, severity and source.

use crate::rule::{Rule, SchemaCoverage};
use crate::source::Source;

use super::{jws, keys, payu_hash, response_signature, signature_payload, tpv};

/// One catalogue entry, written as a `const` table next to the errors that name it.
pub(crate) use crate::rule::RuleDef;

/// Why `juspay.jws.header.crit` is a `should` (kept here: `jws.rs` is at the size limit).
pub(crate) const JWS_CRIT: Source = Source::derived(
    "RFC 7515 section 4.1.11 makes a recipient reject a crit extension it does not understand; DOMAIN.md's header is {\"alg\":\"RS256\",\"kid\":\"<key id>\"} and no seed or DOMAIN.md sentence mentions crit, so a should",
);

/// Why `juspay.jws.x-timestamp.format` is a `should`.
pub(crate) const JWS_X_TIMESTAMP: Source = Source::derived(
    "seed 003 shows x-timestamp only by example (-H 'x-timestamp: 1700158230380' in its shell snippet); the 13-digit epoch milliseconds are stated for iat, not for the header, so a should",
);

/// Why no JSON Schema can state a hashing or signature rule.
const NOT_EXPRESSIBLE: &str =
    "a hash or signature is a function of other values (and of a secret or key); JSON Schema cannot compute it";

/// Every hashing and signature rule, in a stable order.
pub fn rules() -> Vec<Rule> {
    [
        payu_hash::RULES,
        tpv::RULES,
        jws::RULES,
        response_signature::RULES,
        signature_payload::RULES,
        keys::RULES,
    ]
    .concat()
    .into_iter()
    .map(|def| def.rule(SchemaCoverage::NotExpressible { why: NOT_EXPRESSIBLE }))
    .collect()
}
