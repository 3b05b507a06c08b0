//! The rule catalogue's vocabulary: every constraint the project checks is a [`Rule`] with a
//! stable ID, a one-line statement, a severity and a source reference. Validators report
//! [`Violation`]s that name the rule they break.

use serde::{Deserialize, Serialize};

use crate::source::Source;

/// How strongly a rule binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational: reported, never a failure (for example an unknown deeplink parameter).
    Info,
    /// A recommendation: breaking it is a warning.
    Should,
    /// A requirement: breaking it is a failure.
    Must,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Should => "should",
            Severity::Must => "must",
        })
    }
}

impl Severity {
    /// `text` (a statement or a violation's reason) worded for this severity: a `should` or
    /// `info` rule's text says "should" where a `must` rule's says "must", so a rule no seed
    /// sentence states is never described as a requirement.
    pub fn word(self, text: &str) -> String {
        if self == Severity::Must {
            return text.to_string();
        }
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let mut out = String::with_capacity(text.len() + 8);
        let mut rest = text;
        while let Some(at) = rest.find("ust") {
            let (before, after) = rest.split_at(at);
            let mut head = before.chars();
            let m = head.next_back();
            let prev = head.clone().next_back().or_else(|| out.chars().next_back());
            let bounded = matches!(m, Some('m' | 'M')) && !word(prev) && !word(after[3..].chars().next());
            if bounded {
                out.push_str(head.as_str());
                out.push_str(if m == Some('M') { "Should" } else { "should" });
            } else {
                out.push_str(before);
                out.push_str("ust");
            }
            rest = &after[3..];
        }
        out.push_str(rest);
        out
    }
}

/// Whether a rule can be enforced by the generated JSON Schema, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SchemaCoverage {
    /// The schema named here rejects every document that breaks the rule. `document` is the
    /// JSON-in-string field whose parsed content that schema judges (empty: the message itself).
    Enforced {
        /// The schema's file stem in `schemas/` (a message ID, or a message ID plus the path of
        /// a stringified-JSON field).
        schema: String,
        /// Field path (dotted) of the stringified JSON the schema applies to; empty for the body.
        document: String,
    },
    /// The rule is beyond JSON Schema (headers, comparisons between values, request/response
    /// echoes, parsing rules, `should` presence, ...).
    NotExpressible {
        /// Why the schema cannot state it.
        why: &'static str,
    },
}

/// One rule of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Stable, readable ID, e.g. `merchant.register-intent.v3.request.merchantRequestId.max-length`.
    pub id: String,
    /// One-line statement of what the rule requires.
    pub statement: String,
    /// `must`, `should` or `info`.
    pub severity: Severity,
    /// Where the rule comes from.
    pub source: Source,
    /// The message (or grammar) the rule belongs to.
    pub scope: String,
    /// Whether the generated JSON Schema enforces it.
    pub schema: SchemaCoverage,
    /// What the rule rests on: the seed's words, our reasoning, or an unverified fact.
    pub grounding: Grounding,
}

/// How a rule that is not a field constraint is declared: one entry of a `const` table next to
/// the code that checks it (hashing and signatures, deeplink grammar, capture readers). The
/// catalogue turns each entry into a [`Rule`] with [`RuleDef::rule`].
#[derive(Debug, Clone, Copy)]
pub struct RuleDef {
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

/// A rule broken by a concrete input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The ID of the rule that is broken.
    pub rule: String,
    /// Severity of that rule.
    pub severity: Severity,
    /// Where in the input: a field path such as `payload.mutualFundDetails[1].amount`,
    /// `header:x-merchant-id`, or `byte 17` for grammars.
    pub at: String,
    /// A plain-language reason naming the offending value where that helps.
    pub reason: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} [{}] at {}: {}", self.rule, self.severity, self.at, self.reason)
    }
}

/// The grounding of a rule: what it rests on ([`crate::grounding`] settles which).
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
    /// Not a statement about the API but a condition of judging it at all (see [`crate::grounding`]).
    Precondition {
        /// Why no case can be judged when it breaks.
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
            Grounding::Precondition { .. } => "precondition",
        }
    }
}

impl std::fmt::Display for Grounding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Grounding::Stated { file, quote } => write!(f, "stated ({file}): \"{quote}\""),
            Grounding::Derived { reasoning } => write!(f, "derived: {reasoning}"),
            Grounding::Unverified { reasoning } => write!(f, "unverified: {reasoning}"),
            Grounding::Precondition { reasoning } => write!(f, "precondition: {reasoning}"),
        }
    }
}
