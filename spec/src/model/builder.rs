//! A small builder vocabulary so that a message's model reads like the seed's parameter table:
//! `field("merchantRequestId").mandatory().max_len(35).charset(MERCHANT_ID)`.

use super::{Check, Constraint, Field, Item, Key, Kind, Obj, Presence};
use crate::charset::Charset;
use crate::format::Format;
use crate::model::CrossRule;
use crate::rule::Severity;
use crate::source::Source;

/// The source of a field nobody gave one (a test asserts no rule keeps it).
pub(crate) const UNSET: Source = Source::derived("no source recorded");

/// A string field named `name`, optional until told otherwise.
pub fn field(name: &'static str) -> Field {
    Field {
        key: Key::Name(name),
        seed_name: None,
        presence: Presence::Optional,
        presence_severity: Severity::Must,
        value: str_item(),
        default: None,
        nullable: false,
        presence_source: None,
        source: UNSET,
        doc: "",
    }
}

/// A JSON boolean field.
pub fn bool_field(name: &'static str) -> Field {
    field(name).kind(Kind::Bool)
}

/// A field that is a JSON integer or a string.
pub fn int_or_str(name: &'static str) -> Field {
    field(name).kind(Kind::IntOrStr)
}

/// A string item with no constraints yet.
pub fn str_item() -> Item {
    Item {
        kind: Kind::Str,
        checks: Vec::new(),
    }
}

/// An object kind from its fields.
pub fn object(fields: Vec<Field>) -> Kind {
    Kind::Object(Obj {
        fields,
        rules: Vec::new(),
    })
}

/// An array kind of `item`.
pub fn array(item: Item) -> Kind {
    Kind::Array(Box::new(item))
}

/// A stringified-JSON kind whose content is `item`.
pub fn json_string(item: Item) -> Kind {
    Kind::JsonString(Box::new(item))
}

/// An object with free keys whose values are `item`.
pub fn map(item: Item) -> Kind {
    Kind::Map(Box::new(item))
}

impl Item {
    /// An item of the given kind without checks.
    pub fn of(kind: Kind) -> Item {
        Item {
            kind,
            checks: Vec::new(),
        }
    }

    /// Adds a `must` constraint.
    pub fn check(mut self, constraint: Constraint) -> Item {
        self.checks.push(Check {
            constraint,
            severity: Severity::Must,
            source: None,
        });
        self
    }

    /// Adds a `should` constraint with its own source.
    pub fn should(mut self, constraint: Constraint, source: Source) -> Item {
        self.checks.push(Check {
            constraint,
            severity: Severity::Should,
            source: Some(source),
        });
        self
    }

    /// Adds a format check.
    pub fn format(self, f: Format) -> Item {
        self.check(Constraint::Format(f))
    }

    /// Adds a charset check.
    pub fn charset(self, cs: Charset) -> Item {
        self.check(Constraint::Charset(cs))
    }

    /// Adds a maximum length.
    pub fn max_len(self, n: usize) -> Item {
        self.check(Constraint::MaxLen(n))
    }

    /// Adds an enumeration.
    pub fn one_of(self, values: &'static [&'static str]) -> Item {
        self.check(Constraint::Enum(values))
    }

    /// Adds rules between this object item's fields.
    ///
    /// # Panics
    /// When the item is not an object (a modelling mistake caught by every test).
    pub fn rules(mut self, rules: Vec<CrossRule>) -> Item {
        match &mut self.kind {
            Kind::Object(obj) => obj.rules.extend(rules),
            other => panic!("rules() on a {} item", other.json_type()),
        }
        self
    }
}

impl Field {
    /// Replaces the kind.
    pub fn kind(mut self, kind: Kind) -> Field {
        self.value.kind = kind;
        self
    }

    /// Replaces the whole item (kind and checks).
    pub fn item(mut self, item: Item) -> Field {
        self.value = item;
        self
    }

    /// Accepts any of `names` on the wire; `label` names the field in rule IDs.
    pub fn any_of(mut self, label: &'static str, names: &'static [&'static str]) -> Field {
        self.key = Key::OneOf { label, names };
        self
    }

    /// Sets the presence (Recommended implies a `should` presence rule).
    pub fn with_presence(self, presence: Presence) -> Field {
        match presence {
            Presence::Optional => Field { presence, ..self },
            Presence::Mandatory => self.mandatory(),
            Presence::Recommended => self.recommended(),
            Presence::Absent => self.absent(),
            Presence::Conditional => self.conditional(),
        }
    }

    /// Must be present.
    pub fn mandatory(mut self) -> Field {
        self.presence = Presence::Mandatory;
        self
    }

    /// Should be present.
    pub fn recommended(mut self) -> Field {
        self.presence = Presence::Recommended;
        self.presence_severity = Severity::Should;
        self
    }

    /// Must not be present.
    pub fn absent(mut self) -> Field {
        self.presence = Presence::Absent;
        self
    }

    /// Presence governed by a rule of the enclosing object.
    pub fn conditional(mut self) -> Field {
        self.presence = Presence::Conditional;
        self
    }

    /// Adds a `must` constraint.
    pub fn check(mut self, constraint: Constraint) -> Field {
        self.value = self.value.check(constraint);
        self
    }

    /// Adds a `should` constraint with its own source.
    pub fn should(mut self, constraint: Constraint, source: Source) -> Field {
        self.value.checks.push(Check {
            constraint,
            severity: Severity::Should,
            source: Some(source),
        });
        self
    }

    /// Adds a `must` constraint with its own source.
    pub fn check_from(mut self, constraint: Constraint, source: Source) -> Field {
        self.value.checks.push(Check {
            constraint,
            severity: Severity::Must,
            source: Some(source),
        });
        self
    }

    /// At most `n` characters.
    pub fn max_len(self, n: usize) -> Field {
        self.check(Constraint::MaxLen(n))
    }

    /// At least `n` characters.
    pub fn min_len(self, n: usize) -> Field {
        self.check(Constraint::MinLen(n))
    }

    /// Only characters of `cs`.
    pub fn charset(self, cs: Charset) -> Field {
        self.check(Constraint::Charset(cs))
    }

    /// Has format `f`.
    pub fn format(self, f: Format) -> Field {
        self.check(Constraint::Format(f))
    }

    /// One of `values`.
    pub fn one_of(self, values: &'static [&'static str]) -> Field {
        self.check(Constraint::Enum(values))
    }

    /// Exactly `value`.
    pub fn constant(self, value: &'static str) -> Field {
        self.check(Constraint::Const(value))
    }

    /// Accepts JSON `null` as a value.
    pub fn nullable(mut self) -> Field {
        self.nullable = true;
        self
    }

    /// Source of the presence rule, when it differs from the field's.
    pub fn presence_from(mut self, source: Source) -> Field {
        self.presence_source = Some(source);
        self
    }

    /// The value assumed when absent.
    pub fn default(mut self, value: &'static str) -> Field {
        self.default = Some(value);
        self
    }

    /// Where the field is specified.
    pub fn src(mut self, source: Source) -> Field {
        self.source = source;
        self
    }

    /// One-line description.
    pub fn doc(mut self, doc: &'static str) -> Field {
        self.doc = doc;
        self
    }

    /// The spelling in the seed's table, where it differs from the wire name.
    pub fn seed_name(mut self, name: &'static str) -> Field {
        self.seed_name = Some(name);
        self
    }
}
