//! Rules between sibling fields of one object (or between headers and body fields), written as
//! data so that the validator, the schema and the generators can each interpret them.

use crate::rule::Severity;
use crate::source::Source;

/// A named cross-field rule.
#[derive(Debug, Clone)]
pub struct CrossRule {
    /// Kebab-case name; the rule ID is `<message>[.<object path>].rule.<name>`.
    pub name: &'static str,
    /// One-line statement.
    pub statement: &'static str,
    /// `must` or `should`.
    pub severity: Severity,
    /// Where the rule is specified.
    pub source: Source,
    /// What the rule requires.
    pub kind: Cross,
}

impl CrossRule {
    /// Makes the rule a recommendation.
    pub fn should(mut self) -> CrossRule {
        self.severity = Severity::Should;
        self
    }
}

/// What a cross-field rule requires. Keys are sibling field labels. A rule only judges fields
/// that are individually valid: when a field it names is absent (where presence matters) or
/// breaks its own rules, the cross rule is not evaluated, so one mistake is reported once.
#[derive(Debug, Clone)]
pub enum Cross {
    /// All of these fields are present, or none is.
    Together(&'static [&'static str]),
    /// `field` must be present when `when` holds.
    RequiredWhen {
        /// The field.
        field: &'static str,
        /// The condition.
        when: Cond,
    },
    /// `field` may be present only when `when` holds.
    AbsentUnless {
        /// The field.
        field: &'static str,
        /// The condition.
        when: Cond,
    },
    /// `field` may have `value` only when `when` holds.
    ValueOnlyWhen {
        /// The field.
        field: &'static str,
        /// The restricted value.
        value: &'static str,
        /// The condition.
        when: Cond,
    },
    /// Two decimal amounts are equal (numerically) when `when` holds.
    EqualAmounts {
        /// First amount field.
        a: &'static str,
        /// Second amount field.
        b: &'static str,
        /// The condition.
        when: Cond,
    },
    /// The decimal in `amount` does not exceed the one in `limit`.
    NotAbove {
        /// The amount.
        amount: &'static str,
        /// Its upper bound.
        limit: &'static str,
    },
    /// Every key of the object that starts with `prefix` is one the model names.
    KnownKeys {
        /// The key prefix, e.g. `metadata.`.
        prefix: &'static str,
    },
    /// Fields with alternative wire names (`Key::OneOf`) all use the alternative at the same
    /// position (e.g. the same PSP in every `metadata.<psp>:` key).
    SameVariant(&'static [&'static str]),
    /// The whole number in `earlier` is smaller than the one in `later`.
    Before {
        /// The earlier timestamp field.
        earlier: &'static str,
        /// The later timestamp field.
        later: &'static str,
    },
    /// A header carries the same value as a top-level body field.
    HeaderEqualsField {
        /// Lower-case header name.
        header: &'static str,
        /// Body field label.
        field: &'static str,
    },
}

impl Cross {
    /// Every field label the rule reads (condition fields included; headers excluded).
    pub fn fields(&self) -> Vec<&'static str> {
        match self {
            Cross::Together(keys) => keys.to_vec(),
            Cross::RequiredWhen { field, when } | Cross::AbsentUnless { field, when } => {
                let mut v = vec![*field];
                v.extend(when.fields());
                v
            }
            Cross::ValueOnlyWhen { field, when, .. } => {
                let mut v = vec![*field];
                v.extend(when.fields());
                v
            }
            Cross::EqualAmounts { a, b, when } => {
                let mut v = vec![*a, *b];
                v.extend(when.fields());
                v
            }
            Cross::Before { earlier, later } => vec![*earlier, *later],
            Cross::NotAbove { amount, limit } => vec![*amount, *limit],
            Cross::KnownKeys { .. } => Vec::new(),
            Cross::SameVariant(fields) => fields.to_vec(),
            Cross::HeaderEqualsField { field, .. } => vec![*field],
        }
    }
}

/// A condition on sibling fields (absent fields take their declared default, if any).
#[derive(Debug, Clone, Copy)]
pub enum Cond {
    /// Always true.
    Always,
    /// The field equals the value.
    Eq(&'static str, &'static str),
    /// The field is one of the values.
    In(&'static str, &'static [&'static str]),
    /// The field is present and not one of the values (or absent with a default not in them).
    NotIn(&'static str, &'static [&'static str]),
}

impl Cond {
    /// Fields the condition reads.
    pub fn fields(&self) -> Vec<&'static str> {
        match self {
            Cond::Always => Vec::new(),
            Cond::Eq(f, _) | Cond::In(f, _) | Cond::NotIn(f, _) => vec![*f],
        }
    }

    /// Plain-language form.
    pub fn describe(&self) -> String {
        match self {
            Cond::Always => "always".into(),
            Cond::Eq(f, v) => format!("{f} is {v}"),
            Cond::In(f, vs) => format!("{f} is one of {}", vs.join(", ")),
            Cond::NotIn(f, vs) => format!("{f} is not one of {}", vs.join(", ")),
        }
    }
}

/// Shorthand constructor used by the message models.
pub fn rule(name: &'static str, statement: &'static str, source: Source, kind: Cross) -> CrossRule {
    CrossRule {
        name,
        statement,
        severity: Severity::Must,
        source,
        kind,
    }
}
