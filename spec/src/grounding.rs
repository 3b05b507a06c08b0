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

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::rule::Severity;
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

/// The grounding of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Grounding {
    /// The seed (or a DOMAIN.md item not marked unverified) states the rule in these words.
    Stated {
        /// The file quoted.
        file: String,
        /// The words.
        quote: String,
    },
    /// Our reading where no sentence states the rule.
    Derived {
        /// Why we read it so.
        reasoning: String,
    },
    /// Rests on a DOMAIN.md item marked *unverified*.
    Unverified {
        /// The reasoning, naming the unverified item.
        reasoning: String,
    },
}

impl Grounding {
    /// `stated`, `derived` or `unverified`.
    pub fn kind(&self) -> &'static str {
        match self {
            Grounding::Stated { .. } => "stated",
            Grounding::Derived { .. } => "derived",
            Grounding::Unverified { .. } => "unverified",
        }
    }
}

impl std::fmt::Display for Grounding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Grounding::Stated { file, quote } => write!(f, "stated ({file}): \"{quote}\""),
            Grounding::Derived { reasoning } => write!(f, "derived: {reasoning}"),
            Grounding::Unverified { reasoning } => write!(f, "unverified: {reasoning}"),
        }
    }
}

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

/// The grounding of `rule` with source `source`.
pub fn of(rule: &str, source: &Source) -> Grounding {
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

static DECLARED: LazyLock<BTreeMap<String, Severity>> = LazyLock::new(|| {
    crate::messages::all()
        .iter()
        .flat_map(crate::sites::sites)
        .map(|s| (s.rule, s.declared))
        .collect()
});

/// The severity the message model declares for `rule` before the grounding law (`None` for a
/// rule that is not a message rule). The reference server, which serves our reading, can refuse
/// on it; the runner judges with the settled severity the validator reports.
pub fn declared(rule: &str) -> Option<Severity> {
    DECLARED.get(rule).copied()
}
