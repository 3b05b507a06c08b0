//! Conditions on sibling fields, which cross rules are subject to.

use serde_json::{Value, json};

use crate::model::Obj;

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

impl Cond {
    /// The JSON Schema of the condition on an instance of `obj` (absent fields take their
    /// default).
    pub fn schema(&self, obj: &Obj) -> Value {
        let default = |f: &str| obj.fields.iter().find(|x| x.key.label() == f).and_then(|x| x.default);
        let with_default = |f: &str, present: Value, default_holds: bool| {
            if default_holds {
                json!({"anyOf": [present, {"not": {"required": [f]}}]})
            } else {
                present
            }
        };
        match self {
            Cond::Always => json!(true),
            Cond::Eq(f, v) => with_default(
                f,
                json!({"required": [f], "properties": {*f: {"const": v}}}),
                default(f) == Some(*v),
            ),
            Cond::In(f, vs) => with_default(
                f,
                json!({"required": [f], "properties": {*f: {"enum": vs}}}),
                default(f).is_some_and(|d| vs.contains(&d)),
            ),
            Cond::NotIn(f, vs) => with_default(
                f,
                json!({"required": [f], "properties": {*f: {"not": {"enum": vs}}}}),
                default(f).is_some_and(|d| !vs.contains(&d)),
            ),
        }
    }
}
