//! Indian mobile numbers: 10 digits, or 12 with the `91` country code; one implementation, two
//! lengths.

use rand::{Rng, RngCore};

use super::FormatKind;
use super::lex::{digits, random_digits};

/// A mobile number of a fixed number of digits, with its wording and near misses.
pub(super) struct Mobile {
    /// What a drawn number starts with before its 10 national digits (`91` or nothing).
    country_code: &'static str,
    /// [`FormatKind::describe`].
    describe: &'static str,
    /// [`FormatKind::pattern`] (anchored, `[0-9]{len}`).
    pattern: &'static str,
    /// [`FormatKind::near_misses`].
    near_misses: &'static [&'static str],
    /// [`FormatKind::other_side`].
    other_side: &'static str,
    /// [`FormatKind::seed_words`].
    seed_words: &'static str,
}

/// [`super::Format::Mobile12`].
pub(super) const MOBILE12: Mobile = Mobile {
    country_code: "91",
    describe: "a 12-digit mobile number with country code",
    pattern: r"^[0-9]{12}$",
    near_misses: &["98765432101", "9876543210123", "+919876543210", "91987654321a"],
    other_side: "9876543210123",
    seed_words: r"12 digits?|country code",
};

/// [`super::Format::Phone10`].
pub(super) const PHONE10: Mobile = Mobile {
    country_code: "",
    describe: "a 10-digit mobile number",
    pattern: r"^[0-9]{10}$",
    near_misses: &["987654321", "98765432101", "##########", "98765 4321"],
    other_side: "98765432101",
    seed_words: r"10 digits?|10-digit",
};

impl FormatKind for Mobile {
    fn describe(&self) -> &'static str {
        self.describe
    }
    fn pattern(&self) -> &'static str {
        self.pattern
    }
    fn check(&self, s: &str) -> bool {
        s.len() == self.country_code.len() + 10 && digits(s.as_bytes())
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        format!(
            "{}{}{}",
            self.country_code,
            rng.random_range(6..10u8),
            random_digits(rng, 9)
        )
    }
    fn near_misses(&self) -> &'static [&'static str] {
        self.near_misses
    }
    fn other_side(&self) -> Option<&'static str> {
        Some(self.other_side)
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(self.seed_words)
    }
}
