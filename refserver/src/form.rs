//! Forms as a lenient parser (PHP's, say) reads them; shared by the judge and the client
//! report, so neither imports the other for it.

use serde_json::{Map, Value};

/// Form pairs as a lenient parser reads them (PHP's, say): a malformed percent escape stays as
/// it is, escapes that are not UTF-8 become U+FFFD.
pub fn lenient_form_pairs(text: &str) -> Vec<(String, String)> {
    // Pieces of a `str` cut at ASCII bytes are UTF-8 (borrowed, not copied, by the lossy read).
    raw_pairs(text.as_bytes())
        .map(|(k, v)| {
            (
                lenient_decode(&String::from_utf8_lossy(k)),
                lenient_decode(&String::from_utf8_lossy(v)),
            )
        })
        .collect()
}

/// A form's raw `(name, value)` pairs, left to right: the body cut at each `&` (empty pieces
/// skipped), each piece at its first `=` (none: the whole piece is the name, the value empty).
/// `&` and `=` are found with `memchr`, as the strict reader finds them; the iterator reads
/// only as far as it is taken.
pub(crate) fn raw_pairs(bytes: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'&', bytes).chain(std::iter::once(bytes.len()));
    std::iter::from_fn(move || {
        while start <= bytes.len() {
            let end = ends.next().unwrap_or(bytes.len());
            let raw = &bytes[start..end];
            start = end + 1;
            if !raw.is_empty() {
                return Some(match memchr::memchr(b'=', raw) {
                    Some(eq) => (&raw[..eq], &raw[eq + 1..]),
                    None => (raw, &[][..]),
                });
            }
        }
        None
    })
}

/// One name or value decoded leniently: `+` is a space, `%XX` a byte, a `%` not followed by two
/// hex digits stays as it is, and bytes that are not UTF-8 become U+FFFD (what
/// `percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy()` gives). Runs without `%` or
/// `+` are found with `memchr` and copied whole: a text without either is one copy.
pub(crate) fn lenient_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let Some(first) = memchr::memchr2(b'%', b'+', bytes) else {
        return s.to_owned();
    };
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..first]);
    let mut i = first;
    while i < bytes.len() {
        let hex = |j: usize| bytes.get(j).and_then(|b| char::from(*b).to_digit(16));
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            _ => match (hex(i + 1), hex(i + 2)) {
                // Both digits are below 16.
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
        }
        let run = memchr::memchr2(b'%', b'+', &bytes[i..]).map_or(bytes.len(), |n| i + n);
        out.extend_from_slice(&bytes[i..run]);
        i = run;
    }
    match String::from_utf8(out) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// Form pairs as an object of strings, the first of a repeated name kept.
pub fn lenient_form(pairs: Vec<(String, String)>) -> Value {
    let mut map = Map::new();
    for (k, v) in pairs {
        map.entry(k).or_insert(Value::String(v));
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use percent_encoding::percent_decode_str;

    /// The reading this module replaced, kept as the oracle.
    fn reference(s: &str) -> String {
        percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    }

    /// Plain text, `+`, good and malformed escapes (at the end, cut short, non-hex, `%%`),
    /// escapes that are not UTF-8, multi-byte characters, and an escaped `+`.
    #[test]
    fn decodes_as_percent_encoding_does() {
        let cases = [
            "",
            "plain",
            "a+b++c",
            "%41%42c",
            "%e2%82%b9+100",
            "%",
            "%4",
            "%4G",
            "%%41",
            "100%",
            "%zz%41",
            "%FF%FE",
            "%E2%82",
            "न%41+x%2B",
            "+%2",
            "%C3%A9t%C3",
        ];
        for case in cases {
            assert_eq!(lenient_decode(case), reference(case), "{case:?}");
        }
    }

    /// Pairs are cut where `str::split` and `split_once` cut them (the reading this module
    /// replaced): empty pairs skipped, a pair without `=` an empty value, a second `=` kept in
    /// the value.
    #[test]
    fn pairs_are_cut_as_str_split_cuts_them() {
        for text in [
            "",
            "&",
            "a",
            "a=",
            "=b",
            "a=b=c",
            "&&a=1&&b&",
            "é=₹&x=%41+y&=",
            "k=v&k=w",
        ] {
            let by_split: Vec<(String, String)> = text
                .split('&')
                .filter(|raw| !raw.is_empty())
                .map(|raw| raw.split_once('=').unwrap_or((raw, "")))
                .map(|(k, v)| (reference(k), reference(v)))
                .collect();
            assert_eq!(lenient_form_pairs(text), by_split, "{text:?}");
        }
    }

    /// Every string of up to three symbols over an alphabet of escape pieces reads the same.
    #[test]
    fn decodes_every_short_combination_as_percent_encoding_does() {
        let pieces = ["%", "4", "1", "G", "+", "a", "%E2", "%82", "é", "%f"];
        let mut checked = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let case = format!("{a}{b}{c}");
                    assert_eq!(lenient_decode(&case), reference(&case), "{case:?}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 1000);
    }
}
