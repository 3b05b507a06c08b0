//! The parser's hot path through the value rules of [`super::table`]: each key's rules checked
//! by code specialised at compile time, the table staying the one statement of the rules.
//!
//! Two things make it fast: a copy of the loop per key whose rules are constants (so the
//! `Check` matches fold), and a byte table per character-set rule. Per-format facts stay in
//! `crate::format` (`conformance/tests/format_dispatch.rs`), so a `Format` rule costs its
//! `Format::check`.

use super::key::{Key, Kind, same_short};
use super::table::{Check, RULES_OF, VALUE_RULES, ValueRule};

/// The first value rule of `key` in links of `kind` that `value` breaks, in table order (what
/// [`value_rules`] + [`Check::passes`] find), for the parser's hot path. Each key gets its own
/// copy of the loop over its rules, whose bounds and [`Check`]s are constants of
/// [`VALUE_RULES`], so the `Check` match folds at compile time: the table stays
/// the one statement of the rules and the hot path pays no dispatch per rule.
#[inline(always)]
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
                let outside = &ASCII_OUTSIDE[i];
                (min..=max).contains(&value.len())
                    && (all_inside(outside, value.as_bytes()) || !value.is_ascii() && rule.check.passes(value))
            }
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

/// Whether no byte of `value` is marked in `outside`. The marks are OR-ed without a branch per
/// byte (the loop unrolls; an early exit per byte cost a compare and a branch each, and values
/// such as `tid` run to 35 bytes).
#[inline(always)]
fn all_inside(outside: &[u8; 256], value: &[u8]) -> bool {
    value.iter().fold(0, |acc, &b| acc | outside[usize::from(b)]) == 0
}

/// For each rule of [`VALUE_RULES`] that is a [`Check::Chars`], 1 for each byte that is not an
/// ASCII member of its set (every byte above 127 included), 0 for members (all 1 for other
/// rules).
static ASCII_OUTSIDE: [[u8; 256]; VALUE_RULES.len()] = {
    let mut tables = [[1u8; 256]; VALUE_RULES.len()];
    let mut i = 0;
    while i < VALUE_RULES.len() {
        if let Check::Chars { set, .. } = VALUE_RULES[i].check {
            let mut b = 0u8;
            while b < 128 {
                tables[i][b as usize] = !set.contains(b as char) as u8;
                b += 1;
            }
        }
        i += 1;
    }
    tables
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_broken_is_the_table_order_first_failure() {
        // Every key with each of a set of values, both kinds: the specialised path names the
        // same rule as `value_rules` + `Check::passes` (a broken byte table or code comparison fails).
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
