//! A field may be present only when a condition holds.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::{Cond, CrossKind, Draft, Values};
use crate::model::Obj;

/// `field` may be present only when `when` holds.
pub(super) struct AbsentUnless {
    pub field: &'static str,
    pub when: Cond,
}

impl CrossKind for AbsentUnless {
    fn describe(&self) -> String {
        format!("{} is present only when {}", self.field, self.when.describe())
    }

    fn fields(&self) -> Vec<&'static str> {
        let mut v = vec![self.field];
        v.extend(self.when.fields());
        v
    }

    fn check(&self, v: &dyn Values) -> Option<String> {
        let (field, when) = (self.field, &self.when);
        (v.get(field).is_some() && !v.holds(when))
            .then(|| format!("{field} is present although {} does not hold", when.describe()))
    }

    /// The field removed, or (when it is kept) the condition made true.
    fn repair(&self, d: &mut dyn Draft, keep: &HashSet<&str>) -> bool {
        if d.present(self.field) && !d.holds(&self.when) {
            let prefer_cond = keep.contains(self.field);
            if !(prefer_cond && d.force(&self.when, true, keep)) {
                d.remove(self.field, keep);
            }
            return true;
        }
        false
    }

    /// The field present, the condition made false (a `NotIn` condition's field set to one of
    /// its values when no other way is found).
    fn breach(&self, d: &mut dyn Draft) {
        if !d.present(self.field) {
            d.add(self.field);
        }
        if !d.force(&self.when, false, &HashSet::new())
            && let Cond::NotIn(f, vs) = self.when
        {
            d.set(f, vs[0].to_string());
        }
    }

    fn schema(&self, obj: &Obj) -> Option<Value> {
        Some(json!({"if": {"required": [self.field]}, "then": self.when.schema(obj)}))
    }
}
