//! Decimal amounts: exactly two decimals (Juspay, the deeplink `am`) and at most two (PayU).

use rand::{Rng, RngCore};

use super::FormatKind;
use super::lex::{digits, no_leading_zero, two};

/// The bytes before and after the first `.` (a byte search: `str::split_once` goes through a
/// `CharSearcher` and a `memcmp` call, most of the cost on values this short).
fn split_dot(b: &[u8]) -> Option<(&[u8], &[u8])> {
    let dot = b.iter().position(|&c| c == b'.')?;
    Some((&b[..dot], &b[dot + 1..]))
}

/// [`super::Format::Amount2dp`].
pub(super) struct Amount2dp;

impl FormatKind for Amount2dp {
    fn describe(&self) -> &'static str {
        "an amount with exactly two decimals (e.g. 1.00)"
    }
    fn pattern(&self) -> &'static str {
        r"^(0|[1-9][0-9]*)\.[0-9]{2}$"
    }
    fn check(&self, s: &str) -> bool {
        match split_dot(s.as_bytes()) {
            Some((int, frac)) => no_leading_zero(int) && two(frac),
            None => false,
        }
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        format!("{}.{:02}", rng.random_range(1..100_000u32), rng.random_range(0..100u32))
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &["1.0", "1", "1.000", "-1.00", "1e3", "01.00", "1,00", " 1.00"]
    }
    fn other_side(&self) -> Option<&'static str> {
        Some("1.000")
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"two decimals?|2 decimals?")
    }
}

/// [`super::Format::Decimal`].
pub(super) struct Decimal;

impl FormatKind for Decimal {
    fn describe(&self) -> &'static str {
        "a decimal number with at most two decimals"
    }
    fn pattern(&self) -> &'static str {
        r"^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$"
    }
    fn check(&self, s: &str) -> bool {
        // One pass: the integer digits up to the first other byte, which may only be a `.`
        // followed by one or two digits.
        let b = s.as_bytes();
        let int = b.iter().position(|c| !c.is_ascii_digit()).unwrap_or(b.len());
        no_leading_zero(&b[..int])
            && match &b[int..] {
                [] => true,
                [b'.', frac @ ..] => (1..=2).contains(&frac.len()) && digits(frac),
                _ => false,
            }
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        match rng.random_range(0..3) {
            0 => rng.random_range(1..10_000u32).to_string(),
            1 => format!("{}.{}", rng.random_range(0..10_000u32), rng.random_range(0..10u32)),
            _ => format!("{}.{:02}", rng.random_range(0..10_000u32), rng.random_range(0..100u32)),
        }
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &["1.000", "-1", "1e3", "01", "1.", ".5", "abc"]
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"decimal")
    }
}
