//! Indian mobile numbers: 10 digits, or 12 with the `91` country code.

use rand::{Rng, RngCore};

use super::FormatKind;
use super::lex::{digits, random_digits};

/// [`super::Format::Mobile12`].
pub(super) struct Mobile12;

impl FormatKind for Mobile12 {
    fn describe(&self) -> &'static str {
        "a 12-digit mobile number with country code"
    }
    fn pattern(&self) -> &'static str {
        r"^[0-9]{12}$"
    }
    fn check(&self, s: &str) -> bool {
        s.len() == 12 && digits(s.as_bytes())
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        format!("91{}{}", rng.random_range(6..10u8), random_digits(rng, 9))
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &["98765432101", "9876543210123", "+919876543210", "91987654321a"]
    }
    fn other_side(&self) -> Option<&'static str> {
        Some("9876543210123")
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"12 digits?|country code")
    }
}

/// [`super::Format::Phone10`].
pub(super) struct Phone10;

impl FormatKind for Phone10 {
    fn describe(&self) -> &'static str {
        "a 10-digit mobile number"
    }
    fn pattern(&self) -> &'static str {
        r"^[0-9]{10}$"
    }
    fn check(&self, s: &str) -> bool {
        s.len() == 10 && digits(s.as_bytes())
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        format!("{}{}", rng.random_range(6..10u8), random_digits(rng, 9))
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &["987654321", "98765432101", "##########", "98765 4321"]
    }
    fn other_side(&self) -> Option<&'static str> {
        Some("98765432101")
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"10 digits?|10-digit")
    }
}
