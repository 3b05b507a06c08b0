//! Network addresses: absolute http(s) URLs and IPv4 dotted quads.

use rand::{Rng, RngCore};

use super::FormatKind;
use super::lex::{ecma_space, no_leading_zero, random_digits};

/// [`super::Format::HttpUrl`].
pub(super) struct HttpUrl;

impl FormatKind for HttpUrl {
    fn describe(&self) -> &'static str {
        "an http(s) URL"
    }
    fn pattern(&self) -> &'static str {
        r"^https?://[^\s/?#]+[^\s]*$"
    }
    fn check(&self, s: &str) -> bool {
        match s.strip_prefix("https://").or_else(|| s.strip_prefix("http://")) {
            Some(rest) => {
                // ASCII text (the usual URL) is read byte by byte: its white space is the
                // ASCII white space, with no character decoding.
                let spaced = match s.is_ascii() {
                    true => s.bytes().any(|b| char::from(b).is_whitespace()),
                    false => s.chars().any(ecma_space),
                };
                !spaced && rest.chars().next().is_some_and(|c| !matches!(c, '/' | '?' | '#'))
            }
            None => false,
        }
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        format!(
            "https://merchant{}.example.com/ref/{}",
            random_digits(rng, 2),
            random_digits(rng, 4)
        )
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &[
            "www.xyz.com",
            "ftp://xyz.com",
            "https://",
            "https://xyz.com/a b",
            "http//xyz.com",
        ]
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"https?\b")
    }
}

/// [`super::Format::Ipv4`].
pub(super) struct Ipv4;

impl FormatKind for Ipv4 {
    fn describe(&self) -> &'static str {
        "an IPv4 address"
    }
    fn pattern(&self) -> &'static str {
        r"^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$"
    }
    fn check(&self, s: &str) -> bool {
        let parts: Vec<&str> = s.split('.').collect();
        parts.len() == 4
            && parts
                .iter()
                .all(|p| no_leading_zero(p.as_bytes()) && p.len() <= 3 && p.parse::<u16>().is_ok_and(|v| v <= 255))
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        format!(
            "{}.{}.{}.{}",
            rng.random_range(1..=223u8),
            rng.random::<u8>(),
            rng.random::<u8>(),
            rng.random_range(1..=254u8)
        )
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &["10.200.12", "10.200.12.256", "10.200.012.12", "a.b.c.d", "::1"]
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"ipv4")
    }
}
