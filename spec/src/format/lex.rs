//! Byte-level tests and random strings the format modules share.

use rand::{Rng, RngCore};

/// Non-empty and all ASCII digits.
pub(super) fn digits(x: &[u8]) -> bool {
    !x.is_empty() && x.iter().all(u8::is_ascii_digit)
}

/// Digits without a leading zero (a lone `0` is allowed).
pub(super) fn no_leading_zero(x: &[u8]) -> bool {
    digits(x) && (x.len() == 1 || x[0] != b'0')
}

/// All lower-case hex digits. No early exit: the loop vectorises (10x faster on a 64-digit
/// digest than `all`), and a valid digest is read whole anyway.
pub(super) fn hex_lower(x: &[u8]) -> bool {
    x.iter()
        .fold(true, |ok, c| ok & (c.is_ascii_digit() | (b'a'..=b'f').contains(c)))
}

/// Exactly two digits.
pub(super) fn two(x: &[u8]) -> bool {
    x.len() == 2 && digits(x)
}

/// Exactly two digits whose value is in `lo..=hi`.
pub(super) fn in_range(x: &[u8], lo: u32, hi: u32) -> bool {
    two(x) && {
        let v = u32::from(x[0] - b'0') * 10 + u32::from(x[1] - b'0');
        (lo..=hi).contains(&v)
    }
}

/// `n` random decimal digits.
pub(super) fn random_digits(rng: &mut dyn RngCore, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect()
}

/// `n` random upper-case ASCII letters.
pub(super) fn random_upper(rng: &mut dyn RngCore, n: usize) -> String {
    (0..n).map(|_| char::from(b'A' + rng.random_range(0..26u8))).collect()
}

/// `n` random lower-case hex digits.
pub(super) fn random_hex(rng: &mut dyn RngCore, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b"0123456789abcdef"[rng.random_range(0..16usize)]))
        .collect()
}

/// White space as ECMA-262's `\s` counts it (WhiteSpace and LineTerminator), the reading JSON
/// Schema's `pattern` gives the `\s` in our patterns: Unicode White_Space without U+0085 NEXT
/// LINE, plus U+FEFF (the byte-order mark). Rust's `char::is_whitespace` differs on exactly these
/// two, so a checker using it disagreed with its own schema pattern.
pub(super) fn ecma_space(c: char) -> bool {
    (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}'
}
