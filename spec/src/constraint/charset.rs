//! Every character from a set (`charset`).

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use ref_cast::RefCast;

use super::{Breach, Broken, ConstraintKind, Fragment, TextDraft};
use crate::charset::Charset;

/// Every character from this set.
#[derive(Debug, RefCast)]
#[repr(transparent)]
pub struct OnlyChars(pub Charset);

impl ConstraintKind for OnlyChars {
    fn suffix(&self) -> &'static str {
        "charset"
    }

    fn statement(&self, what: &str) -> String {
        format!("{what} must contain only {}", self.0.name)
    }

    fn check_str(&self, s: &str) -> bool {
        self.0.allows(s)
    }

    fn reason(&self, s: &str) -> String {
        let (i, c) = self.0.first_outside(s).unwrap_or((0, '?'));
        format!("character {c:?} at position {i} is not allowed (only {})", self.0.name)
    }

    fn draw(&self, draft: &mut TextDraft, _rng: &mut ChaCha8Rng) -> Option<String> {
        draft.charset = Some(self.0);
        None
    }

    /// One character of the value replaced by one outside the set.
    fn breach(&self, cx: &Breach<'_>, rng: &mut ChaCha8Rng) -> Broken {
        let outsider = self.0.outsider().unwrap_or('\u{1}');
        let mut chars: Vec<char> = if cx.current.is_empty() {
            vec!['a']
        } else {
            cx.current.chars().collect()
        };
        let i = rng.random_range(0..chars.len());
        chars[i] = outsider;
        Broken::Text(chars.into_iter().collect())
    }

    fn schema(&self, _int_or_str: bool) -> Fragment {
        Fragment::pattern(format!("^{}*$", self.0.regex_class()))
    }

    fn charset(&self) -> Option<Charset> {
        Some(self.0)
    }
}
