//! A greatest length in characters (`max-length`).

use rand_chacha::ChaCha8Rng;
use ref_cast::RefCast;
use serde_json::json;

use super::{Breach, Broken, ConstraintKind, Fragment, TextDraft, length_reason};

/// At most this many characters.
#[derive(Debug, RefCast)]
#[repr(transparent)]
pub struct MaxLen(pub usize);

impl ConstraintKind for MaxLen {
    fn suffix(&self) -> &'static str {
        "max-length"
    }

    fn statement(&self, what: &str) -> String {
        format!("{what} must be at most {} characters long", self.0)
    }

    fn check_str(&self, s: &str) -> bool {
        s.chars().count() <= self.0
    }

    fn reason(&self, s: &str) -> String {
        length_reason(s, self.0)
    }

    fn draw(&self, draft: &mut TextDraft, _rng: &mut ChaCha8Rng) -> Option<String> {
        draft.max = draft.max.min(self.0).max(draft.min);
        None
    }

    /// Keeps the value's form (a URL stays a URL) and only makes it too long, when the other
    /// constraints allow that; otherwise a long value from the charset.
    fn breach(&self, cx: &Breach<'_>, rng: &mut ChaCha8Rng) -> Broken {
        let n = self.0;
        let current = cx.current;
        let padded = format!(
            "{current}{}",
            "a".repeat((n + 1).saturating_sub(current.chars().count()))
        );
        Broken::Text(if !current.is_empty() && (cx.fits)(&padded) {
            padded
        } else {
            cx.fill(rng, n + 1)
        })
    }

    fn schema(&self, _int_or_str: bool) -> Fragment {
        Fragment::keyword("maxLength", json!(self.0))
    }
}
