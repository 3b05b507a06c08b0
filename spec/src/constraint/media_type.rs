//! A media type (`media-type`), compared without letter case, parameters ignored.

use rand_chacha::ChaCha8Rng;
use ref_cast::RefCast;

use super::{Breach, Broken, ConstraintKind, Fragment, TextDraft};

/// This media type.
#[derive(Debug, RefCast)]
#[repr(transparent)]
pub struct MediaType(pub &'static str);

impl ConstraintKind for MediaType {
    fn suffix(&self) -> &'static str {
        "media-type"
    }

    fn statement(&self, what: &str) -> String {
        format!("{what} must be the media type {}", self.0)
    }

    fn check_str(&self, s: &str) -> bool {
        s.split(';')
            .next()
            .is_some_and(|t| t.trim().eq_ignore_ascii_case(self.0))
    }

    fn draw(&self, _draft: &mut TextDraft, _rng: &mut ChaCha8Rng) -> Option<String> {
        Some(self.0.to_string())
    }

    fn breach(&self, _cx: &Breach<'_>, _rng: &mut ChaCha8Rng) -> Broken {
        Broken::Text("text/plain".into())
    }

    /// The type as written, parameters allowed (the schema, stricter than the check, does not
    /// ignore letter case).
    fn schema(&self, _int_or_str: bool) -> Fragment {
        Fragment::pattern(format!("^{}(;.*)?$", self.0.replace('.', "\\.").replace('+', "\\+")))
    }
}
