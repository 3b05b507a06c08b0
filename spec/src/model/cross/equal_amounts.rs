//! Two decimal amounts are equal when a condition holds.

use std::collections::HashSet;

use super::{Cond, CrossKind, Draft, Values};
use crate::amount::decimal_eq;

/// Two decimal amounts are equal (numerically) when `when` holds.
pub(super) struct EqualAmounts {
    pub a: &'static str,
    pub b: &'static str,
    pub when: Cond,
}

impl CrossKind for EqualAmounts {
    fn describe(&self) -> String {
        format!("{} equals {} when {}", self.a, self.b, self.when.describe())
    }

    fn fields(&self) -> Vec<&'static str> {
        let mut v = vec![self.a, self.b];
        v.extend(self.when.fields());
        v
    }

    fn check(&self, v: &dyn Values) -> Option<String> {
        let (a, b, when) = (self.a, self.b, &self.when);
        match (v.text(a), v.text(b)) {
            (Some(x), Some(y)) if v.get(a).is_some() && v.get(b).is_some() && v.holds(when) && !decimal_eq(&x, &y) => {
                Some(format!(
                    "{a} is {x} but {b} is {y}; they must be equal when {}",
                    when.describe()
                ))
            }
            _ => None,
        }
    }

    /// The amount not kept takes the other's value (both kept: the condition made false).
    fn repair(&self, d: &mut dyn Draft, keep: &HashSet<&str>) -> bool {
        let (a, b) = (self.a, self.b);
        let (Some(x), Some(y)) = (d.text(a), d.text(b)) else {
            return false;
        };
        if d.present(a) && d.present(b) && d.holds(&self.when) && !decimal_eq(&x, &y) {
            if keep.contains(a) && keep.contains(b) {
                return d.force(&self.when, false, keep);
            }
            let (target, value) = if keep.contains(b) { (a, y) } else { (b, x) };
            d.set(target, value);
            return true;
        }
        false
    }

    /// The condition made true, `b` one rupee above `a`.
    fn breach(&self, d: &mut dyn Draft) {
        d.force(&self.when, true, &HashSet::new());
        if !d.present(self.a) {
            d.add(self.a);
        }
        let x = d.text(self.a).unwrap_or_else(|| "1.00".into());
        d.set(self.b, one_more(&x));
    }

    fn compares(&self) -> bool {
        true
    }
}

/// `amount` with one more in its whole part (`"0"` for the whole part when it is not a number).
pub(super) fn one_more(amount: &str) -> String {
    let (int, frac) = amount.split_once('.').unwrap_or((amount, "00"));
    format!("{}.{frac}", int.parse::<u64>().unwrap_or(0) + 1)
}
