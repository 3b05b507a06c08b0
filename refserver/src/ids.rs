//! Identifiers the server makes up: PayU IDs, transaction references, gateway transaction IDs.

use rand::Rng;

/// `len` random decimal digits, the first not `0`.
pub fn digits(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|i| {
            let low = if i == 0 { b'1' } else { b'0' };
            char::from(rng.random_range(low..=b'9'))
        })
        .collect()
}

/// `len` random lower-case hex digits.
pub fn hex(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from(b"0123456789abcdef"[rng.random_range(0..16)]))
        .collect()
}

/// `len` random letters and digits.
pub fn alphanumeric(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// Milliseconds since the Unix epoch by the system clock.
pub fn now_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let d = digits(18);
        assert_eq!(d.len(), 18);
        assert!(d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0'));
        assert!(hex(64).bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(alphanumeric(10).len(), 10);
    }
}
