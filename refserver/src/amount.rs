//! Amounts as the APIs write them: decimal strings. The server never turns them into floats;
//! it only re-writes a valid decimal with two decimals and, for two faults, shifts one.

/// `amount` (a valid [`Decimal`](upi_spec::format::Format::Decimal), at most two decimals)
/// written with exactly two decimals: `1` → `1.00`, `40.5` → `40.50`.
pub fn two_decimals(amount: &str) -> String {
    let (int, frac) = amount.split_once('.').unwrap_or((amount, ""));
    let int = if int.is_empty() { "0" } else { int };
    format!("{int}.{frac:0<2}")
}

/// An amount one rupee above `amount`, with two decimals: the deliberate error of the faults
/// that change an amount. Any text that is not a plain decimal gets `1` in front, which is
/// just as wrong.
pub fn one_rupee_more(amount: &str) -> String {
    let (int, frac) = amount.split_once('.').unwrap_or((amount, ""));
    match int.parse::<u64>().ok().and_then(|n| n.checked_add(1)) {
        Some(n) if frac.len() <= 2 && frac.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{n}.{frac:0<2}")
        }
        _ => format!("1{amount}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
