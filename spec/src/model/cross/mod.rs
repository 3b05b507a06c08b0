//! Rules between sibling fields of one object (or between headers and body fields), written as
//! data. Each kind is one module implementing [`CrossKind`] (statement, the fields it reads,
//! check, repair, breach, schema fragment); the validator, the generators, the schema and the
//! catalogue reach a rule's kind through [`Cross::with_kind`] and the [`Values`] and [`Draft`]
//! views of an object they implement.

mod absent_unless;
mod before;
mod cond;
mod equal_amounts;
mod header_equals_field;
mod known_keys;
mod not_above;
mod required_when;
mod same_variant;
mod together;
mod value_only_when;

use std::borrow::Cow;
use std::collections::HashSet;

use serde_json::Value;

use crate::model::{Field, Obj};
use crate::rule::Severity;
use crate::source::Source;
use absent_unless::AbsentUnless;
use before::Before;
pub use cond::Cond;
use equal_amounts::EqualAmounts;
use header_equals_field::HeaderEqualsField;
use known_keys::KnownKeys;
use not_above::NotAbove;
use required_when::RequiredWhen;
use same_variant::SameVariant;
use together::Together;
use value_only_when::ValueOnlyWhen;

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
    /// Runs `f` on the kind of the rule: the one place a declared cross rule is mapped to the
    /// module that gives it its meaning.
    pub fn with_kind<R>(&self, f: impl FnOnce(&dyn CrossKind) -> R) -> R {
        match *self {
            Cross::Together(fields) => f(&Together(fields)),
            Cross::RequiredWhen { field, when } => f(&RequiredWhen { field, when }),
            Cross::AbsentUnless { field, when } => f(&AbsentUnless { field, when }),
            Cross::ValueOnlyWhen { field, value, when } => f(&ValueOnlyWhen { field, value, when }),
            Cross::EqualAmounts { a, b, when } => f(&EqualAmounts { a, b, when }),
            Cross::NotAbove { amount, limit } => f(&NotAbove { amount, limit }),
            Cross::KnownKeys { prefix } => f(&KnownKeys { prefix }),
            Cross::SameVariant(fields) => f(&SameVariant(fields)),
            Cross::Before { earlier, later } => f(&Before { earlier, later }),
            Cross::HeaderEqualsField { header, field } => f(&HeaderEqualsField { header, field }),
        }
    }

    /// Every field label the rule reads (condition fields included; headers excluded).
    pub fn fields(&self) -> Vec<&'static str> {
        self.with_kind(|k| k.fields())
    }
}

/// One kind of cross rule: the operations every derivation needs.
pub trait CrossKind {
    /// Plain-language statement of what the kind requires (the model's rules carry their own
    /// wording; this one is derived from the kind's data).
    fn describe(&self) -> String;

    /// Every field label the rule reads (condition fields included; headers excluded).
    fn fields(&self) -> Vec<&'static str>;

    /// The header and the body field the rule compares, for a rule between headers and body.
    fn header_field(&self) -> Option<(&'static str, &'static str)> {
        None
    }

    /// Why the object `v` breaks the rule, or `None` when it holds (or does not apply).
    fn check(&self, v: &dyn Values) -> Option<String>;

    /// Changes a drawn object so the rule holds, never touching the fields in `keep`; whether
    /// anything changed.
    fn repair(&self, d: &mut dyn Draft, keep: &HashSet<&str>) -> bool;

    /// Changes a drawn (valid) object so that this rule, and no rule of the fields it reads,
    /// fails.
    fn breach(&self, d: &mut dyn Draft);

    /// The JSON Schema fragment of the rule on an instance of `obj`, if JSON Schema can say it.
    fn schema(&self, _obj: &Obj) -> Option<Value> {
        None
    }

    /// Whether the rule compares two values (which JSON Schema cannot express).
    fn compares(&self) -> bool {
        false
    }
}

/// An object as the validator reads it, for [`CrossKind::check`].
pub trait Values {
    /// The value of the field with this label, under any of its wire names.
    fn get(&self, label: &str) -> Option<&Value>;
    /// The field's text (a non-string value as JSON text), or its default when it is absent.
    fn text(&self, label: &str) -> Option<Cow<'_, str>>;
    /// Whether the condition holds.
    fn holds(&self, cond: &Cond) -> bool;
    /// The object's fields in the model.
    fn fields(&self) -> &[Field];
    /// The object's keys as sent.
    fn keys(&self) -> Vec<&str>;
    /// The value of a header, when the rule is between headers and body.
    fn header(&self, name: &str) -> Option<&str>;
}

/// A drawn object as the generators change it, for [`CrossKind::repair`] and
/// [`CrossKind::breach`]. Fields are named by label unless said otherwise.
pub trait Draft {
    /// The field's model.
    fn field(&self, label: &str) -> Option<&Field>;
    /// Whether the field is present under any of its wire names.
    fn present(&self, label: &str) -> bool;
    /// The field's text, or its default when it is absent.
    fn text(&self, label: &str) -> Option<String>;
    /// The text of the entry with this key (no default).
    fn key_text(&self, key: &str) -> Option<String>;
    /// Whether the condition holds.
    fn holds(&self, cond: &Cond) -> bool;
    /// Sets the condition's field so that the condition is `want` (not when its field is in
    /// `keep`); false when impossible.
    fn force(&mut self, cond: &Cond, want: bool, keep: &HashSet<&str>) -> bool;
    /// Draws the field and sets it under its first wire name.
    fn add(&mut self, label: &str);
    /// Removes the field (not when it is in `keep`).
    fn remove(&mut self, label: &str, keep: &HashSet<&str>);
    /// Sets the entry with this key to a string.
    fn set(&mut self, key: &str, value: String);
    /// The position among its wire names of the name the field is present under.
    fn variant(&self, label: &str) -> Option<usize>;
    /// Renames the present field to its wire name at `variant`.
    fn rename(&mut self, label: &str, variant: usize);
    /// A whole number of days in milliseconds, drawn between 1 and 399 days.
    fn days_ms(&mut self) -> u64;
    /// Sets a header, when the rule is between headers and body; false when there are no
    /// headers to set.
    fn set_header(&mut self, name: &str, value: String) -> bool;
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
