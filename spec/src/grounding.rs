//! What every rule rests on: the seed's (or a verified `shared/DOMAIN.md` item's) own words, a
//! reasoning of ours, or a fact DOMAIN.md marks unverified.
//!
//! The quotes are data: `spec/data/grounding.json` is generated from the seed texts by
//! `spec/tests/grounding.rs` (`UPI_REGENERATE_GROUNDING=1 cargo test -p upi-spec --test grounding`),
//! and `spec/data/grounding-hand.json` holds the quotes found by reading (cross-field rules,
//! echoes, DOMAIN.md facts). The law test in the same file checks that every quote occurs verbatim
//! in the file it cites and carries the rule's constraint.
//!
//! The law *must ⇒ stated* is enforced here for message rules: a message rule whose model says
//! `must` but that has no quote is reported as `should` ([`settle`]), by the catalogue and by the
//! validator alike, so a seed-faithful implementation never fails a rule no seed sentence states.
//! The other rule families (deeplink grammar, JWS, PayU hash, TPV, behaviour, transport) declare
//! their own severity; the law test holds every one of their `must` rules to a stated quote too,
//! so a rule no seed sentence (or verified DOMAIN.md item) states is declared `should` with its
//! reasoning recorded as `derived`. No list of exceptions exists.
//!
//! ## Preconditions
//!
//! A few rules are not statements about the API at all but conditions without which no case can
//! be judged: the target answers ([`PRECONDITIONS`]: `transport.reachable`), in time
//! (`transport.timeout`), with a body the runner reads (`transport.body-size`), with an answer
//! that is not the server's own admission of failure (`transport.no-server-error`: RFC 9110
//! §15.6 defines a 5xx as "the server is aware that it has erred", so it judges no rule of the
//! request), and the setup the seeds presuppose without documenting it succeeds
//! (`ec.orders.request.accepted`: seed 001 pays an `order_id` but no seed documents creating the
//! order), and the suite's own shim protocol reaches a TPAP SDK at all (`tpap.shim.protocol`,
//! docs/SHIM.md: ours, not a seed's). They keep `must` (a run in which they break has judged nothing, and reporting it as a
//! mere warning would let an unreachable target pass), and their grounding says
//! [`Grounding::Precondition`] with the reason, never `stated`: `rules show` and the reports say
//! what they are. The law test pins this list; adding to it needs a rule that truly gates
//! judging, not a rule we failed to find a quote for.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::rule::{Rule, RuleDef, SchemaCoverage, Severity};
use crate::source::Source;

/// The words a rule rests on, as stored in the grounding data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    /// The file quoted: a seed's file name (see [`crate::source::seeds`]) or `DOMAIN.md`.
    pub file: String,
    /// The words, verbatim up to whitespace; ` … ` joins parts that occur in this order within a
    /// few thousand characters (a field's label and, further down, its own tags line).
    pub quote: String,
    /// For hand entries: the words in the quote that carry the constraint (each must also occur
    /// in the quote; the law test checks them against the rule's statement).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub carries: Vec<String>,
}

/// The grounding of a rule (declared in the rule vocabulary, [`crate::rule`], which every
/// rule family names; what it rests on is settled here).
pub use crate::rule::Grounding;

const GENERATED: &str = include_str!("../data/grounding.json");
const HAND: &str = include_str!("../data/grounding-hand.json");

static QUOTES: LazyLock<BTreeMap<String, Quote>> = LazyLock::new(|| {
    // Both files are committed and checked by the law test; a parse failure is a build defect.
    let mut all: BTreeMap<String, Quote> = serde_json::from_str(GENERATED).unwrap_or_default();
    let hand: BTreeMap<String, Quote> = serde_json::from_str(HAND).unwrap_or_default();
    all.extend(hand);
    all
});

/// Every stored quote, by rule ID (generated and hand entries; hand entries win).
pub fn quotes() -> &'static BTreeMap<String, Quote> {
    &QUOTES
}

/// The quote stored for `rule`, if any.
pub fn quote(rule: &str) -> Option<&'static Quote> {
    QUOTES.get(rule)
}

/// The rules that are conditions of judging rather than statements about the API, each with why
/// (see the module docs). They are `must`; the law test pins the list.
pub const PRECONDITIONS: &[(&str, &str)] = &[
    (
        "transport.reachable",
        "a request that gets no answer (refused or dropped connection) leaves every rule of its case unjudged",
    ),
    (
        "transport.timeout",
        "an answer that does not come within the configured timeout leaves every rule of its case unjudged",
    ),
    (
        "transport.body-size",
        "the runner reads a response only up to the configured cap; a longer body is not read, so its case is unjudged",
    ),
    (
        "transport.no-server-error",
        "a 5xx is the server's own statement that it failed to handle the request (RFC 9110 section 15.6: \"the server is aware that it has erred or is incapable of performing the requested method\"), so it judges no rule of the request: neither an acceptance nor a refusal for the rule the case breaks",
    ),
    (
        "ec.orders.request.accepted",
        "seed 001 pays an existing order (`order_id` \"pertaining to the order for which the payment is started\") but no seed documents creating one; the suite creates its orders through POST /orders, and without an order no /txns case can be judged",
    ),
    (
        "tpap.shim.protocol",
        "the shim protocol (docs/SHIM.md) is ours, not a seed's: it is how the suite reaches an SDK at all, and a call the shim does not answer with a protocol object leaves every rule of its case unjudged",
    ),
];

/// The `should` rules a seed's own (corrected) sample breaks, each with the sample: the seed
/// outranks our reading, so the reference server's strict sandbox never refuses them (a client
/// copying the seed must get through). `spec/tests/golden_seeds.rs` pins this list to what the
/// corrected samples actually break.
pub const BROKEN_BY_SEED_SAMPLES: &[(&str, &str)] = &[(
    "payu.payment.request.email.format",
    "seed 004's second _payment sample posts email= (empty; ERRATA E-092, reading E-092/empty)",
)];

/// Whether a seed's own sample breaks the `should` rule `rule` (see [`BROKEN_BY_SEED_SAMPLES`]).
pub fn broken_by_seed_samples(rule: &str) -> bool {
    BROKEN_BY_SEED_SAMPLES.iter().any(|(id, _)| *id == rule)
}

/// Why `rule` is a precondition of judging, if it is one.
pub fn precondition(rule: &str) -> Option<&'static str> {
    PRECONDITIONS.iter().find(|(id, _)| *id == rule).map(|(_, why)| *why)
}

/// The grounding of `rule` with source `source`.
pub fn of(rule: &str, source: &Source) -> Grounding {
    if let Some(why) = precondition(rule) {
        return Grounding::Precondition {
            reasoning: why.to_string(),
        };
    }
    if let Some(q) = quote(rule) {
        return Grounding::Stated {
            file: q.file.clone(),
            quote: q.quote.clone(),
        };
    }
    match source {
        Source::Derived { why } if why.contains("unverified") => Grounding::Unverified {
            reasoning: (*why).to_string(),
        },
        Source::Derived { why } => Grounding::Derived {
            reasoning: (*why).to_string(),
        },
        Source::Seed { file, section } => Grounding::Derived {
            reasoning: format!(
                "no sentence of {file} § {section} states this constraint in words; it is our reading of the section"
            ),
        },
    }
}

/// The severity a message rule is reported with: its model's, except that a `must` without a
/// stated quote is a `should` (must ⇒ stated).
pub fn settle(rule: &str, declared: Severity) -> Severity {
    if declared == Severity::Must && quote(rule).is_none() {
        Severity::Should
    } else {
        declared
    }
}

/// Declared here, not beside [`RuleDef`] in the rule vocabulary: grounding reads the vocabulary,
/// so the vocabulary cannot call grounding without an import cycle.
impl RuleDef {
    /// The catalogue entry, grounded on this declaration's own source, with `schema` saying
    /// whether (and why not) the JSON Schemas enforce it.
    pub fn rule(&self, schema: SchemaCoverage) -> Rule {
        Rule {
            grounding: of(self.id, &self.source),
            id: self.id.to_owned(),
            statement: self.statement.to_owned(),
            severity: self.severity,
            source: self.source,
            scope: self.scope.to_owned(),
            schema,
        }
    }
}
