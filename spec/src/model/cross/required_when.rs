//! A field is required when a condition holds.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::{Cond, CrossKind, Draft, Values};
use crate::model::Obj;

/// `field` must be present when `when` holds.
pub(super) struct RequiredWhen {
    pub field: &'static str,
    pub when: Cond,
}

impl CrossKind for RequiredWhen {
    fn describe(&self) -> String {
        format!("{} is present when {}", self.field, self.when.describe())
    }

    fn fields(&self) -> Vec<&'static str> {
        let mut v = vec![self.field];
        v.extend(self.when.fields());
        v
    }

    fn check(&self, v: &dyn Values) -> Option<String> {
        let (field, when) = (self.field, &self.when);
        (v.holds(when) && v.get(field).is_none()).then(|| format!("{field} is required when {}", when.describe()))
    }

    /// The condition is made false, or (when the field is kept, or it cannot be) the field drawn.
    fn repair(&self, d: &mut dyn Draft, keep: &HashSet<&str>) -> bool {
        if d.holds(&self.when) && !d.present(self.field) {
            if keep.contains(self.field) || !d.force(&self.when, false, keep) {
                d.add(self.field);
            }
            return true;
        }
        false
    }

    /// The condition made true, the field removed.
    fn breach(&self, d: &mut dyn Draft) {
        d.force(&self.when, true, &HashSet::new());
        d.remove(self.field, &HashSet::new());
    }

    fn schema(&self, obj: &Obj) -> Option<Value> {
        Some(json!({"if": self.when.schema(obj), "then": {"required": [self.field]}}))
    }
}
