//! `application/x-www-form-urlencoded` bodies, byte for byte as `form_urlencoded::Serializer`
//! writes them (ASCII letters, digits and `*-._` as they are, a space as `+`, every other byte
//! as `%XX` in upper case: the WHATWG URL standard's serializer), but with each run of bytes that
//! need no escape found 32 bytes at a time and copied as one slice. A PayU request is mostly
//! such runs, and a fuzzed one can carry a 200,000-character value; the serializer tests them one
//! byte at a time and hands each escape over as a separate string.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// Whether a byte is written as it is.
static PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        table[i] = plain(b);
        i += 1;
    }
    table
};

/// The serializer's set of bytes written as they are.
const fn plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_')
}

/// The length of the run of plain bytes `bytes` starts with. Whole 32-byte blocks are tested
/// without a branch per byte (the test is range compares the compiler turns into vector
/// instructions); the block with the first escape, and the tail, one byte at a time.
fn plain_run(bytes: &[u8]) -> usize {
    const BLOCK: usize = 32;
    let mut run = 0;
    for block in bytes.chunks_exact(BLOCK) {
        if !block.iter().fold(true, |all, &b| all & plain(b)) {
            break;
        }
        run += BLOCK;
    }
    let rest = &bytes[run..];
    run + rest.iter().position(|&b| !PLAIN[usize::from(b)]).unwrap_or(rest.len())
}

/// Appends `text` encoded.
fn append_encoded(out: &mut Vec<u8>, text: &str) {
    let mut rest = text.as_bytes();
    loop {
        let run = plain_run(rest);
        out.extend_from_slice(&rest[..run]);
        let Some((&b, tail)) = rest[run..].split_first() else {
            return;
        };
        if b == b' ' {
            out.push(b'+');
        } else {
            out.extend_from_slice(percent_encoding::percent_encode_byte(b).as_bytes());
        }
        rest = tail;
    }
}

/// `name=value` pairs joined by `&`, each name and value encoded, into a buffer of `capacity`
/// bytes to start with.
pub fn encode_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: impl IntoIterator<Item = (K, V)>, capacity: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(capacity);
    for (i, (name, value)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        append_encoded(&mut out, name.as_ref());
        out.push(b'=');
        append_encoded(&mut out, value.as_ref());
    }
    out
}

/// A JSON object's fields as a form body: a string value as it is, any other value as its JSON
/// text (what the runner has always given the serializer).
pub fn encode_object(fields: &Map<String, Value>) -> Vec<u8> {
    // Sized for the unescaped text up front: a 200 KB value is not grown by doubling.
    let size: usize = fields
        .iter()
        .map(|(k, v)| k.len() + v.as_str().map_or(8, str::len) + 2)
        .sum();
    let pairs = fields.iter().map(|(name, value)| {
        let text = match value.as_str() {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(value.to_string()),
        };
        (name, text)
    });
    encode_pairs(pairs, size)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The serializer this module stands in for, as the oracle.
    fn serializer(pairs: &[(String, String)]) -> String {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            ser.append_pair(k, v);
        }
        ser.finish()
    }

    fn ours(pairs: &[(String, String)]) -> String {
        let bytes = encode_pairs(pairs.iter().map(|(k, v)| (k, v)), 0);
        String::from_utf8(bytes).expect("an encoded form is ASCII")
    }

    /// Every byte value alone, at each position of a 32-byte block and just past it (the block
    /// test and the byte test must agree on every byte), in names and values.
    #[test]
    fn every_character_at_every_block_position_encodes_as_the_serializer_does() {
        let mut checked = 0;
        for c in (0u32..=0x80).chain([0xe9, 0x20b9, 0x1f600]).filter_map(char::from_u32) {
            for at in [0, 1, 15, 31, 32, 33, 63, 64, 70] {
                let mut value: String = "a".repeat(at);
                value.push(c);
                value.push_str(&"Z".repeat(40));
                let pairs = vec![(format!("k{c}"), value.clone()), (value, String::new())];
                assert_eq!(ours(&pairs), serializer(&pairs), "{c:?} at {at}");
                checked += 1;
            }
        }
        assert_eq!(checked, 132 * 9);
    }

    /// Random texts over an alphabet of plain bytes, spaces, reserved ASCII, control characters
    /// and multi-byte characters, of lengths around the block size and long ones; empty names
    /// and values; no pairs at all.
    #[test]
    fn random_forms_encode_as_the_serializer_does() {
        const PIECES: [&str; 14] = [
            "a", "Z", "7", "*", "-", ".", "_", " ", "+", "&", "=", "%", "\u{7}", "₹é",
        ];
        let mut rng = ChaCha8Rng::seed_from_u64(15);
        assert_eq!(ours(&[]), "");
        for _ in 0..2_000 {
            let text = |rng: &mut ChaCha8Rng| -> String {
                let len = [0, 1, 31, 32, 33, 100, 5_000][rng.random_range(0..7)];
                (0..len)
                    .map(|_| {
                        // Mostly plain runs, as real values are.
                        if rng.random_bool(0.9) {
                            "b"
                        } else {
                            PIECES[rng.random_range(0..PIECES.len())]
                        }
                    })
                    .collect()
            };
            let pairs: Vec<(String, String)> = (0..rng.random_range(1..5))
                .map(|_| (text(&mut rng), text(&mut rng)))
                .collect();
            assert_eq!(ours(&pairs), serializer(&pairs), "{pairs:?}");
        }
    }

    /// A JSON object: strings as they are, other values as their JSON text, in key order.
    #[test]
    fn an_object_encodes_as_the_serializer_does() {
        let object = serde_json::json!({"b": "x y", "a": 12, "c": {"d": [1, "é"]}, "e": null, "f": ""});
        let map = object.as_object().unwrap();
        let pairs: Vec<(String, String)> = map
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
            .collect();
        assert_eq!(String::from_utf8(encode_object(map)).unwrap(), serializer(&pairs));
    }
}
