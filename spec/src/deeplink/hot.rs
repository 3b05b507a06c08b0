//! The parser's hot path through the value rules of [`super::table`]: each key's rules checked
//! by code specialised at compile time, the table staying the one statement of the rules.
//!
//! Three things make it fast: a copy of the loop per key whose rules are constants (so the
//! `Check` and `Format` matches fold), a byte table per character-set rule, and byte-level
//! acceptors for the formats most links carry ([`fast_accepts`]), which may only say "passes"
//! when [`Format::check`] would (anything else falls through to `Format::check`, which
//! decides).

use crate::format::Format;

use super::key::{Key, Kind, same_short};
use super::table::{Check, RULES_OF, VALUE_RULES, ValueRule};

/// The first value rule of `key` in links of `kind` that `value` breaks, in table order (what
/// [`value_rules`] + [`Check::passes`] find), for the parser's hot path. Each key gets its own
/// copy of the loop over its rules, whose bounds and [`Check`]s are constants of
/// [`VALUE_RULES`], so the `Check` and `Format` matches fold at compile time: the table stays
/// the one statement of the rules and the hot path pays no dispatch per rule.
#[inline]
pub(super) fn first_broken(key: Key, kind: Kind, value: &str) -> Option<&'static ValueRule> {
    macro_rules! per_key {
        ($($i:literal)*) => {
            match key.index() {
                $($i => first_broken_of::<$i>(kind, value),)*
                _ => None,
            }
        };
    }
    const _: () = assert!(Key::COUNT == 36, "first_broken lists one arm per key");
    per_key!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35)
}

/// [`first_broken`] for the key with index `K`.
#[inline(always)]
fn first_broken_of<const K: usize>(kind: Kind, value: &str) -> Option<&'static ValueRule> {
    let (start, len) = RULES_OF[K];
    let (start, end) = (usize::from(start), usize::from(start) + usize::from(len));
    let mut i = start;
    while i < end {
        let rule = &VALUE_RULES[i];
        let passes = match rule.check {
            Check::Chars { min, max, .. } => {
                // A byte table instead of a 128-bit shift per character; a value with any
                // non-ASCII byte goes to `Check::passes`, which decides.
                let table = &ASCII_MEMBERS[i];
                (min..=max).contains(&value.len())
                    && (value.bytes().all(|b| table[usize::from(b)]) || !value.is_ascii() && rule.check.passes(value))
            }
            Check::Format(f) => fast_accepts(f, value) || f.check(value),
            // Codes are short: word loads, not a memcmp call per code.
            Check::OneOf(codes) => codes
                .iter()
                .any(|c| c.len() == value.len() && same_short(c.as_bytes(), value.as_bytes())),
            check => check.passes(value),
        };
        if rule.kind.is_none_or(|k| k == kind) && !passes {
            return Some(rule);
        }
        i += 1;
    }
    None
}

/// For each rule of [`VALUE_RULES`] that is a [`Check::Chars`], which bytes are ASCII members
/// of its set (all `false` for other rules and for bytes above 127).
static ASCII_MEMBERS: [[bool; 256]; VALUE_RULES.len()] = {
    let mut tables = [[false; 256]; VALUE_RULES.len()];
    let mut i = 0;
    while i < VALUE_RULES.len() {
        if let Check::Chars { set, .. } = VALUE_RULES[i].check {
            let mut b = 0u8;
            while b < 128 {
                tables[i][b as usize] = set.contains(b as char);
                b += 1;
            }
        }
        i += 1;
    }
    tables
};

/// Whether `value` certainly has format `f`, by a byte-level reading of the formats deeplinks
/// carry most (`pa`, `mc`, `am`, `mam`); `false` means "ask [`Format::check`]". Each arm states
/// the same grammar as the format's own check (see `Format::pattern`); the test
/// `fast_acceptors_never_accept_what_the_format_refuses` holds them to it.
#[inline(always)]
fn fast_accepts(f: Format, value: &str) -> bool {
    let b = value.as_bytes();
    let digits = |x: &[u8]| !x.is_empty() && x.iter().all(u8::is_ascii_digit);
    match f {
        // ^[A-Za-z0-9._\-]{1,200}@[A-Za-z0-9]{2,64}$
        Format::Vpa => match b.iter().position(|&c| c == b'@') {
            Some(at) => {
                let (local, handle) = (&b[..at], &b[at + 1..]);
                (1..=200).contains(&local.len())
                    && local
                        .iter()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
                    && (2..=64).contains(&handle.len())
                    && handle.iter().all(u8::is_ascii_alphanumeric)
            }
            None => false,
        },
        // ^[0-9]{4}$
        Format::Mcc => b.len() == 4 && digits(b),
        // ^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$
        Format::Decimal => {
            let (int, frac) = match b.iter().position(|&c| c == b'.') {
                Some(dot) => (&b[..dot], Some(&b[dot + 1..])),
                None => (b, None),
            };
            digits(int)
                && (int.len() == 1 || int[0] != b'0')
                && frac.is_none_or(|f| (1..=2).contains(&f.len()) && digits(f))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    /// Strings near each fast-accepted format: its examples and near misses, and random strings
    /// over the bytes its grammar turns on, of lengths around its bounds.
    fn near(f: Format, rng: &mut ChaCha8Rng) -> Vec<String> {
        let mut out: Vec<String> = f.near_misses().iter().map(|s| s.to_string()).collect();
        out.extend((0..50).map(|_| f.example(rng)));
        let alphabet = b"0123456789.@aZ_-x ";
        for _ in 0..20_000 {
            let len = match rng.random_range(0..4) {
                0 => rng.random_range(0..8),
                1 => rng.random_range(0..70),
                2 => rng.random_range(195..270),
                _ => rng.random_range(0..4),
            };
            out.push(
                (0..len)
                    .map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())]))
                    .collect(),
            );
        }
        for (local, handle) in [(1, 2), (200, 64), (201, 2), (1, 65), (0, 2), (1, 1)] {
            out.push(format!("{}@{}", "a".repeat(local), "b".repeat(handle)));
        }
        out
    }

    #[test]
    fn fast_acceptors_never_accept_what_the_format_refuses() {
        let mut rng = ChaCha8Rng::seed_from_u64(15);
        for f in [Format::Vpa, Format::Mcc, Format::Decimal] {
            let mut accepted = 0;
            for v in near(f, &mut rng) {
                if fast_accepts(f, &v) {
                    assert!(f.check(&v), "{f:?}: the fast path accepts {v:?}, the format refuses it");
                    accepted += 1;
                }
            }
            assert!(
                accepted > 50,
                "{f:?}: the fast path accepts almost nothing ({accepted})"
            );
        }
    }

    #[test]
    fn first_broken_is_the_table_order_first_failure() {
        // Every key with each of a set of values, both kinds: the specialised path names the
        // same rule as `value_rules` + `Check::passes` (a broken byte table or acceptor fails).
        let mut rng = ChaCha8Rng::seed_from_u64(16);
        let mut values: Vec<String> = [
            "",
            "1",
            "1.0",
            "1.000",
            "01",
            "abc",
            "A-1_b.c",
            "x@yy",
            "x@y",
            "0123",
            "1234",
            "12345",
            "INR",
            "inr",
            "MAX",
            "01",
            "02",
            "99",
            "31122026",
            "32132026",
            "MONTHLY",
            "true",
            " a",
            "é",
            "a b",
            "http://x",
            "https://example.com/a",
            "ftp://x",
            "15",
            "YJP000000000000000000000000000001",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        values.extend(near(Format::Vpa, &mut rng).into_iter().step_by(97));
        values.push("a".repeat(35));
        values.push("a".repeat(36));
        values.push("é".repeat(30));
        for key in Key::ALL {
            for kind in [Kind::Pay, Kind::Mandate] {
                for v in &values {
                    let fast = first_broken(*key, kind, v).map(|r| r.suffix);
                    let table = super::super::table::value_rules(*key, kind)
                        .find(|r| !r.check.passes(v))
                        .map(|r| r.suffix);
                    assert_eq!(fast, table, "{key:?} {kind:?} {v:?}");
                }
            }
        }
    }
}
