//! Exactly one value (`const`).

use rand_chacha::ChaCha8Rng;
use ref_cast::RefCast;
use serde_json::json;

use super::{Breach, Broken, ConstraintKind, Fragment, TextDraft};

/// Exactly this value.
#[derive(Debug, RefCast)]
#[repr(transparent)]
pub struct Exactly(pub &'static str);

impl ConstraintKind for Exactly {
    fn suffix(&self) -> &'static str {
        "const"
    }

    fn statement(&self, what: &str) -> String {
        format!("{what} must be exactly {}", self.0)
    }

    fn check_str(&self, s: &str) -> bool {
        s == self.0
    }

    fn draw(&self, _draft: &mut TextDraft, _rng: &mut ChaCha8Rng) -> Option<String> {
        Some(self.0.to_string())
    }

    /// A number, but not the next one: in a family of numbered values (API versions, flows)
    /// the next is often another valid value, which a server reads as that one rather than
    /// refusing it as the broken constant.
    fn breach(&self, _cx: &Breach<'_>, _rng: &mut ChaCha8Rng) -> Broken {
        Broken::Text(match self.0.parse::<i64>() {
            Ok(n) => n.saturating_add(10).to_string(),
            Err(_) => format!("{}X", self.0),
        })
    }

    /// The value; where the value may be a JSON integer, a numeric constant as one too.
    fn schema(&self, int_or_str: bool) -> Fragment {
        if !int_or_str {
            return Fragment::keyword("const", json!(self.0));
        }
        let mut options = vec![json!(self.0)];
        if let Ok(n) = self.0.parse::<i64>() {
            options.insert(0, json!(n));
        }
        Fragment::keyword("enum", json!(options))
    }

    fn constant(&self) -> Option<&'static str> {
        Some(self.0)
    }
}
