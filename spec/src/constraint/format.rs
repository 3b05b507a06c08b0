//! A value of a named format (`format`): every operation is the [`Format`]'s own.

use rand_chacha::ChaCha8Rng;
use ref_cast::RefCast;

use super::{Breach, Broken, ConstraintKind, Fragment, TextDraft};
use crate::format::Format;

/// A value of this format.
#[derive(Debug, RefCast)]
#[repr(transparent)]
pub struct Formatted(pub Format);

impl ConstraintKind for Formatted {
    fn suffix(&self) -> &'static str {
        "format"
    }

    fn statement(&self, what: &str) -> String {
        format!("{what} must be {}", self.0.describe())
    }

    fn check_str(&self, s: &str) -> bool {
        self.0.check(s)
    }

    fn draw(&self, _draft: &mut TextDraft, rng: &mut ChaCha8Rng) -> Option<String> {
        Some(self.0.example(rng))
    }

    /// The first near miss the other constraints allow (the first near miss when none does);
    /// from the other side of a two-sided bound when asked and allowed.
    fn breach(&self, cx: &Breach<'_>, _rng: &mut ChaCha8Rng) -> Broken {
        let f = self.0;
        if cx.other_side
            && let Some(other) = f.other_side().filter(|o| (cx.fits)(o))
        {
            return Broken::Text(other.to_string());
        }
        let misses = f.near_misses();
        Broken::Text(
            misses
                .iter()
                .find(|m| (cx.fits)(m))
                .map(|m| (*m).to_string())
                .unwrap_or_else(|| misses[0].to_string()),
        )
    }

    fn other_side(&self) -> Option<&'static str> {
        self.0.other_side()
    }

    fn schema(&self, _int_or_str: bool) -> Fragment {
        Fragment::pattern(self.0.pattern().to_string())
    }
}
