//! Every key with a prefix is one the model names.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::{CrossKind, Draft, Values};
use crate::model::Obj;

/// Every key of the object that starts with `prefix` is one the model names.
pub(super) struct KnownKeys {
    pub prefix: &'static str,
}

impl CrossKind for KnownKeys {
    fn describe(&self) -> String {
        format!("every key starting with {} is one the model names", self.prefix)
    }

    fn fields(&self) -> Vec<&'static str> {
        Vec::new()
    }

    fn check(&self, v: &dyn Values) -> Option<String> {
        let prefix = self.prefix;
        let fields = v.fields();
        let unknown: Vec<&str> = v
            .keys()
            .into_iter()
            .filter(|k| k.starts_with(prefix) && !fields.iter().any(|f| f.key.names().contains(k)))
            .collect();
        (!unknown.is_empty()).then(|| format!("unknown keys {unknown:?} start with {prefix}"))
    }

    /// A drawn object has only the model's keys.
    fn repair(&self, _d: &mut dyn Draft, _keep: &HashSet<&str>) -> bool {
        false
    }

    /// An unknown PSP's key added.
    fn breach(&self, d: &mut dyn Draft) {
        d.set(
            &format!("{}UNKNOWN_PSP:gateway_reference_id", self.prefix),
            "ABC123".into(),
        );
    }

    fn schema(&self, obj: &Obj) -> Option<Value> {
        let prefix = self.prefix;
        let known: Vec<&str> = obj
            .fields
            .iter()
            .flat_map(|f| f.key.names().iter().copied())
            .filter(|n| n.starts_with(prefix))
            .collect();
        let pattern = format!("^{}", prefix.replace('.', "\\."));
        Some(json!({"propertyNames": {"anyOf": [{"not": {"pattern": pattern}}, {"enum": known}]}}))
    }
}
