//! Amounts as the APIs write them: decimal strings, never floats. Every comparison and
//! re-writing of an amount in the workspace is one of these functions (the deeplink grammar's
//! paise, the runner's "same amount" relation, the reference server's two-decimal answers and
//! its faults' wrong amount).

/// An amount (`1`, `1.5`, `1.00`) in paise, for comparisons; `None` when it is not a plain
/// decimal with at most two decimals.
pub fn paise(s: &str) -> Option<u128> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || int.len() > 30 || !digits(int) || frac.len() > 2 || !digits(frac) {
        return None;
    }
    if s.ends_with('.') {
        return None;
    }
    let frac_paise = match frac.len() {
        0 => 0,
        1 => frac.parse::<u128>().ok()? * 10,
        _ => frac.parse::<u128>().ok()?,
    };
    Some(int.parse::<u128>().ok()? * 100 + frac_paise)
}

/// A plain decimal (surrounding space ignored, any number of decimals) as its integer part
/// without leading zeros and its fraction without trailing zeros, so that equal numbers give
/// equal parts; `None` when the text is not one.
pub fn canonical(amount: &str) -> Option<(&str, &str)> {
    let s = amount.trim();
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((int.trim_start_matches('0'), frac.trim_end_matches('0')))
}

/// Whether two amounts are the same number (`1`, `1.0` and `1.00` are); text that is not a
/// plain decimal is compared as it is (trimmed).
pub fn same(a: &str, b: &str) -> bool {
    match (canonical(a), canonical(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a.trim() == b.trim(),
    }
}

/// `amount` (a valid decimal with at most two decimals) written with exactly two decimals:
/// `1` → `1.00`, `40.5` → `40.50`.
pub fn two_decimals(amount: &str) -> String {
    let (int, frac) = amount.split_once('.').unwrap_or((amount, ""));
    let int = if int.is_empty() { "0" } else { int };
    format!("{int}.{frac:0<2}")
}

/// An amount one rupee above `amount`, with two decimals: the deliberate error of the
/// reference server's faults that change an amount. Any text that is not a plain decimal gets
/// `1` in front, which is just as wrong.
pub fn one_rupee_more(amount: &str) -> String {
    let (int, frac) = amount.split_once('.').unwrap_or((amount, ""));
    match int.parse::<u64>().ok().and_then(|n| n.checked_add(1)) {
        Some(n) if frac.len() <= 2 && frac.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{n}.{frac:0<2}")
        }
        _ => format!("1{amount}"),
    }
}

/// Numeric order of two decimal strings, `None` when either is not a plain decimal.
pub fn decimal_cmp(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    fn parts(s: &str) -> Option<(String, String)> {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        if int.is_empty() || !int.bytes().chain(frac.bytes()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        Some((
            int.trim_start_matches('0').to_string(),
            frac.trim_end_matches('0').to_string(),
        ))
    }
    let ((ai, af), (bi, bf)) = (parts(a)?, parts(b)?);
    let width = af.len().max(bf.len());
    Some(
        ai.len()
            .cmp(&bi.len())
            .then(ai.cmp(&bi))
            .then(format!("{af:0<width$}").cmp(&format!("{bf:0<width$}"))),
    )
}

/// Numeric equality of two decimal strings (`2000.0` equals `2000.00`).
pub fn decimal_eq(a: &str, b: &str) -> bool {
    fn norm(s: &str) -> Option<(String, String)> {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        if int.is_empty() && frac.is_empty() || !int.bytes().chain(frac.bytes()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        let int = int.trim_start_matches('0').to_string();
        let frac = frac.trim_end_matches('0').to_string();
        Some((int, frac))
    }
    match (norm(a), norm(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paise_reads_at_most_two_decimals() {
        for (text, want) in [
            ("1", Some(100)),
            ("1.5", Some(150)),
            ("1.05", Some(105)),
            ("0.00", Some(0)),
            ("1.", None),
            (".5", None),
            ("1.005", None),
            ("1e2", None),
            ("-1", None),
        ] {
            assert_eq!(paise(text), want, "{text}");
        }
    }

    #[test]
    fn amounts_compare_as_numbers() {
        for (a, b, same_number) in [
            ("1", "1.00", true),
            ("10.17", "10.170", true),
            ("0.50", ".5", true),
            ("1.00", "2.00", false),
            ("10.17", "10.71", false),
            ("abc", "abc", true),
            ("abc", "1.00", false),
        ] {
            assert_eq!(same(a, b), same_number, "{a} vs {b}");
        }
    }

    #[test]
    fn two_decimals_pads() {
        assert_eq!(two_decimals("1"), "1.00");
        assert_eq!(two_decimals("40.5"), "40.50");
        assert_eq!(two_decimals("2.00"), "2.00");
        assert_eq!(two_decimals("0"), "0.00");
    }

    #[test]
    fn one_rupee_more_differs() {
        assert_eq!(one_rupee_more("2.00"), "3.00");
        assert_eq!(one_rupee_more("1"), "2.00");
        assert_eq!(one_rupee_more("99999999999999999999999"), "199999999999999999999999");
    }
}
