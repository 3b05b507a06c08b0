//! Scalars written as strings: `true`/`false` and positive whole numbers.

use rand::{Rng, RngCore};

use super::FormatKind;
use super::lex::no_leading_zero;

/// [`super::Format::BoolString`].
pub(super) struct BoolString;

impl FormatKind for BoolString {
    fn describe(&self) -> &'static str {
        "the string true or false"
    }
    fn pattern(&self) -> &'static str {
        r"^(true|false)$"
    }
    fn check(&self, s: &str) -> bool {
        s == "true" || s == "false"
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        (if rng.random_bool(0.5) { "true" } else { "false" }).to_string()
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &["TRUE", "True", "1", "yes", ""]
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"true\s*/\s*false|true or false")
    }
}

/// [`super::Format::PositiveInt`].
pub(super) struct PositiveInt;

impl FormatKind for PositiveInt {
    fn describe(&self) -> &'static str {
        "a whole number greater than 0"
    }
    fn pattern(&self) -> &'static str {
        r"^[1-9][0-9]{0,8}$"
    }
    fn check(&self, s: &str) -> bool {
        s.len() <= 9 && no_leading_zero(s.as_bytes()) && s != "0"
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        rng.random_range(1..1_000u32).to_string()
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &["0", "-1", "010", "1.5", "ten", "1234567890"]
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"number\s*>\s*0|positive")
    }
}
