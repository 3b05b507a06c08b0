//! Fields with alternative wire names all use the alternative at the same position.

use std::collections::HashSet;

use super::{CrossKind, Draft, Values};

/// Fields with alternative wire names (`Key::OneOf`) all use the alternative at the same
/// position (e.g. the same PSP in every `metadata.<psp>:` key).
pub(super) struct SameVariant(pub &'static [&'static str]);

impl CrossKind for SameVariant {
    fn describe(&self) -> String {
        format!("{} use the same variant of their names", self.0.join(", "))
    }

    fn fields(&self) -> Vec<&'static str> {
        self.0.to_vec()
    }

    fn check(&self, v: &dyn Values) -> Option<String> {
        let keys = v.keys();
        let used: Vec<(&str, usize)> = self
            .0
            .iter()
            .filter_map(|l| {
                let f = v.fields().iter().find(|f| f.key.label() == *l)?;
                let i = f.key.names().iter().position(|n| keys.contains(n))?;
                Some((f.key.names()[i], i))
            })
            .collect();
        (used.windows(2).any(|w| w[0].1 != w[1].1)).then(|| {
            format!(
                "{} use different variants",
                used.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(" and ")
            )
        })
    }

    /// Every later field renamed to the first one's variant.
    fn repair(&self, d: &mut dyn Draft, _keep: &HashSet<&str>) -> bool {
        let mut index = None;
        let mut changed = false;
        for label in self.0 {
            let Some(used) = d.variant(label) else {
                continue;
            };
            match index {
                None => index = Some(used),
                Some(i) if i != used => {
                    d.rename(label, i);
                    changed = true;
                }
                Some(_) => {}
            }
        }
        changed
    }

    /// All present, the last renamed to the variant after the first one's.
    fn breach(&self, d: &mut dyn Draft) {
        for label in self.0 {
            if !d.present(label) {
                d.add(label);
            }
        }
        let last = self.0[self.0.len() - 1];
        if let Some(field) = d.field(last) {
            let count = field.key.names().len();
            let first = d.variant(self.0[0]);
            d.rename(last, (first.unwrap_or(0) + 1) % count);
        }
    }

    fn compares(&self) -> bool {
        true
    }
}
