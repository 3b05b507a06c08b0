//! A value not starting with a text (`prefix`).

use rand_chacha::ChaCha8Rng;
use ref_cast::RefCast;
use serde_json::json;

use super::{Breach, Broken, ConstraintKind, Fragment};

/// Does not start with this text.
#[derive(Debug, RefCast)]
#[repr(transparent)]
pub struct NotPrefixed(pub &'static str);

impl ConstraintKind for NotPrefixed {
    fn suffix(&self) -> &'static str {
        "prefix"
    }

    fn statement(&self, what: &str) -> String {
        format!("{what} must not start with {}", self.0)
    }

    fn check_str(&self, s: &str) -> bool {
        !s.starts_with(self.0)
    }

    fn breach(&self, cx: &Breach<'_>, _rng: &mut ChaCha8Rng) -> Broken {
        Broken::Text(format!("{}{}", self.0, cx.current))
    }

    fn schema(&self, _int_or_str: bool) -> Fragment {
        Fragment::keyword("not", json!({"pattern": format!("^{}", self.0.replace('.', "\\."))}))
    }
}
