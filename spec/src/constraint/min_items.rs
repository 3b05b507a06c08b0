//! A least number of array items (`min-items`).

use rand_chacha::ChaCha8Rng;
use ref_cast::RefCast;
use serde_json::json;

use super::{Breach, Broken, ConstraintKind, Fragment};

/// At least this many array items.
#[derive(Debug, RefCast)]
#[repr(transparent)]
pub struct MinItems(pub usize);

impl ConstraintKind for MinItems {
    fn suffix(&self) -> &'static str {
        "min-items"
    }

    fn statement(&self, what: &str) -> String {
        match self.0 {
            1 => format!("{what} must not be empty"),
            n => format!("{what} must have at least {n} items"),
        }
    }

    fn check_str(&self, _s: &str) -> bool {
        true
    }

    fn check_items(&self, n: usize) -> bool {
        n >= self.0
    }

    fn items_reason(&self, n: usize) -> String {
        format!("has {n} items, needs at least {}", self.0)
    }

    fn breach(&self, _cx: &Breach<'_>, _rng: &mut ChaCha8Rng) -> Broken {
        Broken::NoItems
    }

    fn schema(&self, _int_or_str: bool) -> Fragment {
        Fragment::keyword("minItems", json!(self.0))
    }

    fn min_items(&self) -> Option<usize> {
        Some(self.0)
    }
}
