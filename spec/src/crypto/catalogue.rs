//! The catalogue of hashing and signature rules: every rule ID that an error of this module can
//! name, with its statement, severity and source.

use crate::rule::{Rule, SchemaCoverage, Severity};
use crate::source::Source;

use super::{jws, keys, payu_hash, response_signature, signature_payload, tpv};

/// One catalogue entry, written as a `const` table next to the errors that name it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RuleDef {
    /// Stable rule ID.
    pub id: &'static str,
    /// One-line statement of what the rule requires.
    pub statement: &'static str,
    /// How strongly it binds.
    pub severity: Severity,
    /// Where it comes from.
    pub source: Source,
    /// The message or mechanism it belongs to.
    pub scope: &'static str,
}

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
    .map(|def| Rule {
        grounding: crate::grounding::of(def.id, &def.source),
        id: def.id.to_owned(),
        statement: def.statement.to_owned(),
        severity: def.severity,
        source: def.source,
        scope: def.scope.to_owned(),
        schema: SchemaCoverage::NotExpressible { why: NOT_EXPRESSIBLE },
    })
    .collect()
}
