//! A decimal amount does not exceed another.

use std::collections::HashSet;

use super::equal_amounts::one_more;
use super::{CrossKind, Draft, Values};
use crate::amount::decimal_cmp;

/// The decimal in `amount` does not exceed the one in `limit`.
pub(super) struct NotAbove {
    pub amount: &'static str,
    pub limit: &'static str,
}

impl CrossKind for NotAbove {
    fn describe(&self) -> String {
        format!("{} does not exceed {}", self.amount, self.limit)
    }

    fn fields(&self) -> Vec<&'static str> {
        vec![self.amount, self.limit]
    }

    fn check(&self, v: &dyn Values) -> Option<String> {
        let (amount, limit) = (self.amount, self.limit);
        match (v.text(amount), v.text(limit)) {
            (Some(a), Some(l))
                if v.get(amount).is_some()
                    && v.get(limit).is_some()
                    && decimal_cmp(&a, &l) == Some(std::cmp::Ordering::Greater) =>
            {
                Some(format!("{amount} ({a}) exceeds {limit} ({l})"))
            }
            _ => None,
        }
    }

    /// The one not kept takes the other's value.
    fn repair(&self, d: &mut dyn Draft, keep: &HashSet<&str>) -> bool {
        let (amount, limit) = (self.amount, self.limit);
        let (Some(a), Some(l)) = (d.text(amount), d.text(limit)) else {
            return false;
        };
        if d.present(amount) && d.present(limit) && decimal_cmp(&a, &l) == Some(std::cmp::Ordering::Greater) {
            let (target, value) = if keep.contains(amount) { (limit, a) } else { (amount, l) };
            d.set(target, value);
            return true;
        }
        false
    }

    /// Both present, the amount one rupee above the limit.
    fn breach(&self, d: &mut dyn Draft) {
        for f in [self.amount, self.limit] {
            if !d.present(f) {
                d.add(f);
            }
        }
        let l = d.text(self.limit).unwrap_or_else(|| "1.00".into());
        d.set(self.amount, one_more(&l));
    }

    fn compares(&self) -> bool {
        true
    }
}
