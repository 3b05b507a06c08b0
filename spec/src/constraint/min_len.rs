//! A least length in characters (`min-length`).

use rand_chacha::ChaCha8Rng;
use ref_cast::RefCast;
use serde_json::json;

use super::{Breach, Broken, ConstraintKind, Fragment, TextDraft, length_reason};

/// At least this many characters.
#[derive(Debug, RefCast)]
#[repr(transparent)]
pub struct MinLen(pub usize);

impl ConstraintKind for MinLen {
    fn suffix(&self) -> &'static str {
        "min-length"
    }

    fn statement(&self, what: &str) -> String {
        match self.0 {
            1 => format!("{what} must not be empty"),
            n => format!("{what} must be at least {n} characters long"),
        }
    }

    fn check_str(&self, s: &str) -> bool {
        s.chars().count() >= self.0
    }

    fn reason(&self, s: &str) -> String {
        length_reason(s, self.0)
    }

    fn draw(&self, draft: &mut TextDraft, _rng: &mut ChaCha8Rng) -> Option<String> {
        draft.min = self.0;
        None
    }

    fn breach(&self, cx: &Breach<'_>, rng: &mut ChaCha8Rng) -> Broken {
        Broken::Text(cx.fill(rng, self.0.saturating_sub(1)))
    }

    fn schema(&self, _int_or_str: bool) -> Fragment {
        Fragment::keyword("minLength", json!(self.0))
    }
}
