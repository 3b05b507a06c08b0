//! All of some fields are present, or none is.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::{CrossKind, Draft, Values};
use crate::model::Obj;

/// All of these fields are present, or none is.
pub(super) struct Together(pub &'static [&'static str]);

impl CrossKind for Together {
    fn describe(&self) -> String {
        format!("{} are all present or all absent", self.0.join(", "))
    }

    fn fields(&self) -> Vec<&'static str> {
        self.0.to_vec()
    }

    fn check(&self, v: &dyn Values) -> Option<String> {
        let keys = self.0;
        let there = keys.iter().filter(|k| v.get(k).is_some()).count();
        (there > 0 && there < keys.len()).then(|| {
            let (there, missing): (Vec<&str>, Vec<&str>) = keys.iter().partition(|k| v.get(k).is_some());
            format!("{} is present but {} is not", there.join(", "), missing.join(", "))
        })
    }

    /// The missing ones are drawn.
    fn repair(&self, d: &mut dyn Draft, _keep: &HashSet<&str>) -> bool {
        let present: Vec<bool> = self.0.iter().map(|k| d.present(k)).collect();
        if present.iter().all(|p| *p) || present.iter().all(|p| !*p) {
            return false;
        }
        for (k, p) in self.0.iter().zip(present) {
            if !p {
                d.add(k);
            }
        }
        true
    }

    /// All but the last present.
    fn breach(&self, d: &mut dyn Draft) {
        for k in self.0 {
            if !d.present(k) {
                d.add(k);
            }
        }
        d.remove(self.0[self.0.len() - 1], &HashSet::new());
    }

    fn schema(&self, _obj: &Obj) -> Option<Value> {
        let keys = self.0;
        let deps: Map<String, Value> = keys
            .iter()
            .map(|k| {
                (
                    (*k).to_string(),
                    json!(keys.iter().filter(|o| *o != k).collect::<Vec<_>>()),
                )
            })
            .collect();
        Some(json!({"dependentRequired": deps}))
    }
}
