//! What every format is: the one trait each format module implements.

use rand::RngCore;

/// Everything the suite knows about one string format, in one place: how rule statements
/// describe it, how the validator checks it, how JSON Schemas state it, how the generators draw
/// a valid value and how they break it. Each format implements it once, in its module under
/// `format/`; [`super::Format::kind`] is the only place that maps a [`super::Format`] to its
/// implementation.
///
/// Laws every implementation keeps (tested for every format in `spec/tests/format_laws.rs`):
/// [`FormatKind::draw`] passes [`FormatKind::check`]; every [`FormatKind::near_misses`] value and
/// the [`FormatKind::other_side`] value fail it; [`FormatKind::pattern`] agrees with
/// [`FormatKind::check`] on all of them; [`FormatKind::describe`] is not empty.
pub trait FormatKind: Sync {
    /// Short description used in rule statements ("a UUID v4").
    fn describe(&self) -> &'static str;

    /// Anchored regex for the JSON Schema `pattern` keyword (the ECMA-262 subset shared with
    /// Rust's `regex`), accepting exactly what [`FormatKind::check`] accepts under ECMA-262
    /// semantics (where the two dialects differ, as `\s` does on U+0085 and U+FEFF, the checker
    /// follows ECMA-262, the dialect schema consumers use).
    fn pattern(&self) -> &'static str;

    /// Whether `s` has this format (the fast checker the validator and parsers use).
    fn check(&self, s: &str) -> bool;

    /// A random valid value.
    fn draw(&self, rng: &mut dyn RngCore) -> String;

    /// Values that miss the format narrowly (each is invalid; the first is the most typical).
    fn near_misses(&self) -> &'static [&'static str];

    /// For a format bounded by a length or a precision, the near miss on the other side of the
    /// bound from the first of [`FormatKind::near_misses`]; `None` for unbounded formats.
    fn other_side(&self) -> Option<&'static str> {
        None
    }

    /// The words a seed uses to state this format, as a case-insensitive regex (the grounding
    /// test looks for them in the field's seed line); `None` where seeds show the format only by
    /// example.
    fn seed_words(&self) -> Option<&'static str>;
}
