//! Addresses of the form `local@domain`: UPI virtual payment addresses and e-mail addresses.

use rand::{Rng, RngCore};

use super::FormatKind;
use super::lex::{ecma_space, random_digits, random_upper};

/// [`super::Format::Vpa`].
pub(super) struct Vpa;

/// The bytes of a VPA's local part: ASCII letters, digits, `.`, `_` and `-`.
static VPA_LOCAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-');
        c += 1;
    }
    t
};

impl FormatKind for Vpa {
    fn describe(&self) -> &'static str {
        "a VPA (local@handle)"
    }
    fn pattern(&self) -> &'static str {
        r"^[A-Za-z0-9._\-]{1,200}@[A-Za-z0-9]{2,64}$"
    }
    fn check(&self, s: &str) -> bool {
        // One pass over the bytes: the local part up to the first byte outside its set, which
        // must be the `@`, then the handle (a `split_once` searched for `@` through a
        // `CharSearcher` and a `memcmp` call, then read both parts again).
        let b = s.as_bytes();
        let at = b.iter().position(|&c| !VPA_LOCAL[usize::from(c)]).unwrap_or(b.len());
        let handle = match b.get(at) {
            Some(b'@') => &b[at + 1..],
            _ => return false,
        };
        (1..=200).contains(&at) && (2..=64).contains(&handle.len()) && handle.iter().all(u8::is_ascii_alphanumeric)
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        let handles = ["axisbank", "ybl", "okhdfcbank", "paytm", "ypay", "yesg"];
        let local_digits = rng.random_range(3..10);
        let handle = handles[rng.random_range(0..handles.len())];
        format!(
            "{}{}@{handle}",
            random_upper(rng, 1).to_lowercase(),
            random_digits(rng, local_digits)
        )
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &[
            "merchant",
            "merchant@",
            "@axisbank",
            "mer chant@axisbank",
            "a@b@c",
            "merchant@axis.bank",
        ]
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"\bvpa\b|virtual payment address")
    }
}

/// [`super::Format::Email`].
pub(super) struct Email;

impl FormatKind for Email {
    fn describe(&self) -> &'static str {
        "an e-mail address"
    }
    fn pattern(&self) -> &'static str {
        r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$"
    }
    fn check(&self, s: &str) -> bool {
        match s.split_once('@') {
            Some((local, domain)) => {
                let bad = |c: char| c == '@' || ecma_space(c);
                !local.is_empty()
                    && !local.chars().any(bad)
                    && !domain.chars().any(bad)
                    && domain.split('.').count() >= 2
                    && domain.split('.').all(|l| !l.is_empty())
            }
            None => false,
        }
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        format!("user{}@example.com", random_digits(rng, 4))
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &["user", "user@", "@example.com", "user@example", "us er@example.com"]
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"e-?mail")
    }
}
