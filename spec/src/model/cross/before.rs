//! One whole-number timestamp is before another.

use std::collections::HashSet;

use super::{CrossKind, Draft, Values};

/// The whole number in `earlier` is smaller than the one in `later`.
pub(super) struct Before {
    pub earlier: &'static str,
    pub later: &'static str,
}

impl CrossKind for Before {
    fn describe(&self) -> String {
        format!("{} is before {}", self.earlier, self.later)
    }

    fn fields(&self) -> Vec<&'static str> {
        vec![self.earlier, self.later]
    }

    fn check(&self, v: &dyn Values) -> Option<String> {
        let (earlier, later) = (self.earlier, self.later);
        match (v.text(earlier), v.text(later)) {
            (Some(e), Some(l)) if v.get(earlier).is_some() && v.get(later).is_some() => {
                match (e.parse::<u128>(), l.parse::<u128>()) {
                    (Ok(x), Ok(y)) if x >= y => Some(format!("{earlier} ({e}) is not before {later} ({l})")),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The one not kept moved 1 to 399 days away from the other.
    fn repair(&self, d: &mut dyn Draft, keep: &HashSet<&str>) -> bool {
        let (earlier, later) = (self.earlier, self.later);
        let (Some(x), Some(y)) = (d.text(earlier), d.text(later)) else {
            return false;
        };
        match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(e), Ok(l)) if e >= l => {
                let delta = d.days_ms();
                let (target, value) = if keep.contains(later) {
                    (earlier, l.saturating_sub(delta))
                } else {
                    (later, e + delta)
                };
                d.set(target, value.to_string());
                true
            }
            _ => false,
        }
    }

    /// Both present, the later one equal to the earlier.
    fn breach(&self, d: &mut dyn Draft) {
        for f in [self.earlier, self.later] {
            if !d.present(f) {
                d.add(f);
            }
        }
        if let Some(e) = d.text(self.earlier) {
            d.set(self.later, e);
        }
    }

    fn compares(&self) -> bool {
        true
    }
}
