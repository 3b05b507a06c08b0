//! Base64 text: standard padded base64 and unpadded base64url (JWS segments).

use base64::Engine as _;
use rand::{Rng, RngCore};

use super::FormatKind;
use crate::charset::every_byte;

/// `len` random bytes with `len` drawn from `lens`.
fn random_bytes(rng: &mut dyn RngCore, lens: std::ops::Range<usize>) -> Vec<u8> {
    let len = rng.random_range(lens);
    (0..len).map(|_| rng.random()).collect()
}

/// [`super::Format::Base64`].
pub(super) struct Base64;

impl FormatKind for Base64 {
    fn describe(&self) -> &'static str {
        "standard padded base64"
    }
    fn pattern(&self) -> &'static str {
        r"^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
    }
    fn check(&self, s: &str) -> bool {
        let body = s.trim_end_matches('=');
        let pad = s.len() - body.len();
        s.len() % 4 == 0
            && pad <= 2
            && body
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
            && (pad == 0 || body.len() % 4 == 4 - pad)
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        base64::engine::general_purpose::STANDARD.encode(random_bytes(rng, 0..40))
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &["abc", "ab=c", "a!bc", "abcde==="]
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"base64")
    }
}

/// Whether every byte is in the base64url alphabet (`A`–`Z`, `a`–`z`, `0`–`9`, `-`, `_`), in
/// blocks ([`every_byte`]): about ten times the speed of a byte-by-byte `all` on the hundreds of
/// kilobytes of a fuzzed JWS payload.
fn is_base64url_alphabet(bytes: &[u8]) -> bool {
    every_byte(bytes, is_base64url_byte)
}

/// Whether `b` is in the base64url alphabet (`A`–`Z`, `a`–`z`, `0`–`9`, `-`, `_`). Written
/// without short-circuiting, so a block of them vectorises.
#[inline]
pub(crate) fn is_base64url_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() | (b == b'-') | (b == b'_')
}

/// [`super::Format::Base64UrlNoPad`].
pub(super) struct Base64UrlNoPad;

impl FormatKind for Base64UrlNoPad {
    fn describe(&self) -> &'static str {
        "base64url without padding"
    }
    fn pattern(&self) -> &'static str {
        r"^([A-Za-z0-9_\-]{4})*([A-Za-z0-9_\-]{2,3})?$"
    }
    fn check(&self, s: &str) -> bool {
        s.len() % 4 != 1 && is_base64url_alphabet(s.as_bytes())
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes(rng, 1..40))
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &["abc=", "a+bc", "a/bc", "abcde"]
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"base64url")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alphabet_check_agrees_with_a_byte_by_byte_one() {
        let alphabet = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        let mut text = vec![b'A'; 100];
        assert!(is_base64url_alphabet(&text) && is_base64url_alphabet(b""));
        // Every byte value at the first and last positions, inside a block and across the end of
        // a 64-byte block (and of the 32-byte blocks the check once used).
        for at in [0, 31, 32, 33, 63, 64, 65, 99] {
            for byte in 0..=255u8 {
                text[at] = byte;
                assert_eq!(is_base64url_alphabet(&text), alphabet(byte), "byte {byte} at {at}");
            }
            text[at] = b'A';
        }
    }
}
