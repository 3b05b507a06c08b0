//! Fixed-shape identifiers and codes: UUID v4, IFSC, PAN and MCC.

use rand::{Rng, RngCore};

use super::FormatKind;
use super::lex::{digits, random_digits, random_hex, random_upper};

/// [`super::Format::UuidV4`].
pub(super) struct UuidV4;

impl FormatKind for UuidV4 {
    fn describe(&self) -> &'static str {
        "a UUID v4"
    }
    fn pattern(&self) -> &'static str {
        r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
    }
    fn check(&self, s: &str) -> bool {
        s.len() == 36
            && s.bytes().enumerate().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == b'-',
                14 => c == b'4',
                19 => matches!(c, b'8' | b'9' | b'a' | b'b' | b'A' | b'B'),
                _ => c.is_ascii_hexdigit(),
            })
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        format!(
            "{}-{}-4{}-{}{}-{}",
            random_hex(rng, 8),
            random_hex(rng, 4),
            random_hex(rng, 3),
            ['8', '9', 'a', 'b'][rng.random_range(0..4usize)],
            random_hex(rng, 3),
            random_hex(rng, 12)
        )
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &[
            "f7443c1d-9acb-1b3d-9ae5-0e3c33dfcf5b",
            "abcd-12345-abcd-12345",
            "f7443c1d9acb4b3d9ae50e3c33dfcf5b",
            "f7443c1d-9acb-4b3d-7ae5-0e3c33dfcf5b",
            "g7443c1d-9acb-4b3d-9ae5-0e3c33dfcf5b",
        ]
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"uuid")
    }
}

/// [`super::Format::Ifsc`].
pub(super) struct Ifsc;

impl FormatKind for Ifsc {
    fn describe(&self) -> &'static str {
        "an IFSC (4 letters, 0, 6 letters or digits)"
    }
    fn pattern(&self) -> &'static str {
        r"^[A-Z]{4}0[A-Z0-9]{6}$"
    }
    fn check(&self, s: &str) -> bool {
        let b = s.as_bytes();
        b.len() == 11
            && b[..4].iter().all(u8::is_ascii_uppercase)
            && b[4] == b'0'
            && b[5..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        format!("{}0{}", random_upper(rng, 4), random_digits(rng, 6))
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &[
            "ABCD1000345",
            "abcd0000345",
            "ABC00000345",
            "ABCD000034",
            "ABCD00003456",
        ]
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"\bifsc\b")
    }
}

/// [`super::Format::Pan`].
pub(super) struct Pan;

impl FormatKind for Pan {
    fn describe(&self) -> &'static str {
        "a PAN (5 letters, 4 digits, 1 letter)"
    }
    fn pattern(&self) -> &'static str {
        r"^[A-Z]{5}[0-9]{4}[A-Z]$"
    }
    fn check(&self, s: &str) -> bool {
        let b = s.as_bytes();
        b.len() == 10
            && b[..5].iter().all(u8::is_ascii_uppercase)
            && b[5..9].iter().all(u8::is_ascii_digit)
            && b[9].is_ascii_uppercase()
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        format!(
            "{}{}{}",
            random_upper(rng, 5),
            random_digits(rng, 4),
            random_upper(rng, 1)
        )
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &["ABCDE1234", "abcde1234f", "ABCD12345F", "ABCDE12345"]
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"\bpan\b")
    }
}

/// [`super::Format::Mcc`].
pub(super) struct Mcc;

impl FormatKind for Mcc {
    fn describe(&self) -> &'static str {
        "a 4-digit MCC"
    }
    fn pattern(&self) -> &'static str {
        r"^[0-9]{4}$"
    }
    fn check(&self, s: &str) -> bool {
        s.len() == 4 && digits(s.as_bytes())
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        random_digits(rng, 4)
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &["123", "12345", "12a4", " 123"]
    }
    fn other_side(&self) -> Option<&'static str> {
        Some("12345")
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"\bmcc\b|merchant category code")
    }
}
