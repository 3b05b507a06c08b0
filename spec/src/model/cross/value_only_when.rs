//! A field may have a value only when a condition holds.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::{Cond, CrossKind, Draft, Values};
use crate::model::Obj;

/// `field` may have `value` only when `when` holds.
pub(super) struct ValueOnlyWhen {
    pub field: &'static str,
    pub value: &'static str,
    pub when: Cond,
}

impl CrossKind for ValueOnlyWhen {
    fn describe(&self) -> String {
        format!("{} is {} only when {}", self.field, self.value, self.when.describe())
    }

    fn fields(&self) -> Vec<&'static str> {
        let mut v = vec![self.field];
        v.extend(self.when.fields());
        v
    }

    fn check(&self, v: &dyn Values) -> Option<String> {
        let (field, value, when) = (self.field, self.value, &self.when);
        (v.text(field).as_deref() == Some(value) && v.get(field).is_some() && !v.holds(when))
            .then(|| format!("{field} is {value} although {} does not hold", when.describe()))
    }

    /// Another value drawn, or (when the field is kept) the condition made true.
    fn repair(&self, d: &mut dyn Draft, keep: &HashSet<&str>) -> bool {
        let (field, value) = (self.field, self.value);
        if d.text(field).as_deref() == Some(value) && d.present(field) && !d.holds(&self.when) {
            let prefer_cond = keep.contains(field);
            if !(prefer_cond && d.force(&self.when, true, keep)) {
                for _ in 0..20 {
                    d.add(field);
                    if d.text(field).as_deref() != Some(value) {
                        break;
                    }
                }
            }
            return true;
        }
        false
    }

    /// The condition made false, the field set to the value.
    fn breach(&self, d: &mut dyn Draft) {
        d.force(&self.when, false, &HashSet::new());
        d.set(self.field, self.value.to_string());
    }

    fn schema(&self, obj: &Obj) -> Option<Value> {
        Some(json!({
            "if": {"required": [self.field], "properties": {self.field: {"const": self.value}}},
            "then": self.when.schema(obj)
        }))
    }
}
