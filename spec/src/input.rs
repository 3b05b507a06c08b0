//! Reading untrusted input into a [`Document`]: JSON (duplicate keys rejected), form-urlencoded
//! bodies (strict percent-decoding, UTF-8 checked), and curl command lines as printed in the
//! vendors' documents. Every failure is an [`InputError`] that says where; nothing panics.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Default cap on input size: 1 MiB.
pub const DEFAULT_MAX_BYTES: usize = 1 << 20;

/// A message instance to validate: optional headers (absent: header rules are not judged) and
/// the body as a JSON value (form bodies become an object of strings).
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Header names (lower-case) and values, when known.
    pub headers: Option<Vec<(String, String)>>,
    /// The body.
    pub body: Value,
}

impl Document {
    /// A body without headers.
    pub fn body(body: Value) -> Document {
        Document { headers: None, body }
    }

    /// The value of header `name` (case-insensitive), if headers are known and it is present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .as_ref()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why input could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// Larger than the cap.
    #[error("input is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Actual size.
        size: usize,
        /// The cap.
        limit: usize,
    },
    /// Larger than the cap, found while reading (so its whole size is unknown).
    #[error("input is over the limit of {limit} bytes (reading stopped there)")]
    OverLimit {
        /// The cap.
        limit: u64,
    },
    /// The input could not be read.
    #[error("cannot read input: {0}")]
    Io(String),
    /// Not UTF-8.
    #[error("input is not valid UTF-8 at byte {offset}")]
    InvalidUtf8 {
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// Not JSON (or a duplicate key, or nested too deep).
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// A key given twice in a form body or header list.
    #[error("duplicate key `{key}` in {place}")]
    DuplicateKey {
        /// The key.
        key: String,
        /// "form body", "headers", ...
        place: &'static str,
    },
    /// A form pair that cannot be decoded.
    #[error("form pair {index} (byte {offset}): {message}")]
    Form {
        /// 0-based pair index.
        index: usize,
        /// Byte offset of the pair.
        offset: usize,
        /// What is wrong.
        message: String,
    },
    /// A curl command that cannot be read.
    #[error("curl command: {0}")]
    Curl(String),
    /// A JWS envelope whose payload cannot be decoded.
    #[error("JWS envelope: {0}")]
    Envelope(String),
}

/// Checks size and UTF-8, returning the text.
pub fn text(bytes: &[u8], limit: usize) -> Result<&str, InputError> {
    if bytes.len() > limit {
        return Err(InputError::TooLarge {
            size: bytes.len(),
            limit,
        });
    }
    std::str::from_utf8(bytes).map_err(|e| InputError::InvalidUtf8 {
        offset: e.valid_up_to(),
    })
}

/// Parses JSON strictly: duplicate object keys are an error.
pub fn parse_json(text: &str) -> Result<Value, InputError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = de.deserialize_any(StrictVisitor).and_then(|v| de.end().map(|()| v));
    value.map_err(|e| InputError::Json {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e),
    })
}

fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(StrictSeed)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            let value = access.next_value_seed(StrictSeed)?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

/// Deserializes one JSON value strictly (duplicate object keys are an error), for streaming
/// readers that take a document apart.
pub(crate) struct StrictSeed;

impl<'de> de::DeserializeSeed<'de> for StrictSeed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

/// Parses an `application/x-www-form-urlencoded` body into ordered pairs. `+` is a space;
/// `%XX` escapes must be well formed and decode to UTF-8.
pub fn parse_form_pairs(text: &str) -> Result<Vec<(String, String)>, InputError> {
    // One pair per `&`-separated piece at most: sized once, not grown pair by pair.
    let mut pairs = Vec::with_capacity(memchr::memchr_iter(b'&', text.as_bytes()).count() + 1);
    for_each_form_pair(text, |k, v| pairs.push((k, v)))?;
    Ok(pairs)
}

/// [`pairs_to_object`] of [`parse_form_pairs`], without the list of pairs between them: each
/// pair goes straight into the object. The errors are theirs, in their order: a pair that does
/// not decode is reported before a key sent twice, wherever the two stand in the body.
pub fn parse_form_object(text: &str, place: &'static str) -> Result<Value, InputError> {
    let mut map = Map::with_capacity(memchr::memchr_iter(b'&', text.as_bytes()).count() + 1);
    let mut twice = None;
    for_each_form_pair(text, |k, v| {
        if twice.is_some() {
            return;
        }
        match map.entry(k) {
            serde_json::map::Entry::Occupied(seen) => twice = Some(seen.key().clone()),
            serde_json::map::Entry::Vacant(slot) => {
                slot.insert(Value::String(v));
            }
        }
    })?;
    match twice {
        Some(key) => Err(InputError::DuplicateKey { key, place }),
        None => Ok(Value::Object(map)),
    }
}

/// Decodes each pair of a form body in order and hands it to `each`; stops at the first pair
/// that does not decode.
fn for_each_form_pair(text: &str, mut each: impl FnMut(String, String)) -> Result<(), InputError> {
    let mut offset = 0;
    // `&` and `=` found with `memchr` (a `char` pattern's searcher costs more per hit than a
    // form's short pairs are long); both are ASCII, so every cut is at a character boundary.
    for (index, raw) in split_bytes(text, b'&').enumerate() {
        let pair_offset = offset;
        offset += raw.len() + 1;
        if raw.is_empty() {
            continue;
        }
        let (k, v) = match memchr::memchr(b'=', raw.as_bytes()) {
            Some(eq) => (&raw[..eq], &raw[eq + 1..]),
            None => (raw, ""),
        };
        let decode = |s: &str| {
            decode_form_component(s).map_err(|e| InputError::Form {
                index,
                offset: pair_offset,
                message: match e {
                    FormDecodeError::Escape(i) => format!("malformed percent escape at byte {}", pair_offset + i),
                    FormDecodeError::Utf8 => "escapes decode to invalid UTF-8".into(),
                },
            })
        };
        each(decode(k)?, decode(v)?);
    }
    Ok(())
}

/// `text` split at each `sep` (an ASCII byte), as `str::split` splits it: `n` separators give
/// `n + 1` pieces, empty ones included.
pub fn split_bytes(text: &str, sep: u8) -> impl Iterator<Item = &str> {
    debug_assert!(sep.is_ascii());
    let mut start = 0;
    let mut cuts = memchr::memchr_iter(sep, text.as_bytes());
    std::iter::from_fn(move || {
        if start > text.len() {
            return None;
        }
        let end = cuts.next().unwrap_or(text.len());
        let piece = &text[start..end];
        start = end + 1;
        Some(piece)
    })
}

/// Why one form name or value did not decode.
enum FormDecodeError {
    /// A `%` not followed by two hex digits, at this byte of the component.
    Escape(usize),
    /// The escapes decode to bytes that are not UTF-8.
    Utf8,
}

/// Decodes one form name or value: `+` is a space, `%XX` a byte. Runs without `%` or `+` are
/// found with `memchr` and copied whole (a 200 KB value without escapes is one copy, not a
/// byte loop and three intermediate strings).
fn decode_form_component(s: &str) -> Result<String, FormDecodeError> {
    let bytes = s.as_bytes();
    let Some(first) = memchr::memchr2(b'%', b'+', bytes) else {
        return Ok(s.to_owned());
    };
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..first]);
    let mut i = first;
    while i < bytes.len() {
        if bytes[i] == b'+' {
            out.push(b' ');
            i += 1;
        } else {
            let hex = |j: usize| bytes.get(j).and_then(|b| char::from(*b).to_digit(16));
            match (hex(i + 1), hex(i + 2)) {
                // Both digits are below 16.
                (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
                _ => return Err(FormDecodeError::Escape(i)),
            }
            i += 3;
        }
        let run = memchr::memchr2(b'%', b'+', &bytes[i..]).map_or(bytes.len(), |n| i + n);
        out.extend_from_slice(&bytes[i..run]);
        i = run;
    }
    String::from_utf8(out).map_err(|_| FormDecodeError::Utf8)
}

/// Turns ordered pairs into a JSON object of strings, rejecting duplicate keys.
pub fn pairs_to_object(pairs: Vec<(String, String)>, place: &'static str) -> Result<Value, InputError> {
    let mut map = Map::with_capacity(pairs.len());
    for (k, v) in pairs {
        // One lookup per pair: the entry says whether the key was seen.
        match map.entry(k) {
            serde_json::map::Entry::Occupied(seen) => {
                return Err(InputError::DuplicateKey {
                    key: seen.key().clone(),
                    place,
                });
            }
            serde_json::map::Entry::Vacant(slot) => {
                slot.insert(Value::String(v));
            }
        }
    }
    Ok(Value::Object(map))
}

/// Lower-cases header names and rejects duplicates.
pub fn normalise_headers(headers: Vec<(String, String)>) -> Result<Vec<(String, String)>, InputError> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (k, v) in headers {
        let k = k.trim().to_ascii_lowercase();
        if out.iter().any(|(seen, _)| *seen == k) {
            return Err(InputError::DuplicateKey {
                key: k,
                place: "headers",
            });
        }
        out.push((k, v.trim().to_string()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits as `str::split` does: empty texts and pieces, separators first and last, runs of
    /// them, multi-byte characters next to them.
    #[test]
    fn split_bytes_splits_as_str_split() {
        for text in [
            "",
            "&",
            "&&",
            "a",
            "a&b",
            "&a&",
            "a&&b&",
            "é&₹=&=x",
            "k=v&k2=v2",
            "=&==",
        ] {
            for sep in [b'&', b'='] {
                let ours: Vec<&str> = split_bytes(text, sep).collect();
                let std: Vec<&str> = text.split(char::from(sep)).collect();
                assert_eq!(ours, std, "{text:?} at {:?}", char::from(sep));
            }
        }
    }

    /// Pairs become an object in the order sent; the first key sent twice is refused by name
    /// (whatever follows it), also when the repeat is a different value or empty.
    #[test]
    fn pairs_become_an_object_and_a_repeated_key_is_refused() {
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
        };
        let object = pairs_to_object(pairs(&[("b", "1"), ("a", ""), ("c", "3")]), "form body").unwrap();
        let keys: Vec<&String> = object.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["b", "a", "c"]);
        assert_eq!(object["a"], "");
        for (list, key) in [
            (&[("a", "1"), ("a", "1")][..], "a"),
            (&[("a", "1"), ("b", "2"), ("a", "")][..], "a"),
            (&[("x", ""), ("b", "2"), ("b", "3"), ("x", "4")][..], "b"),
        ] {
            assert_eq!(
                pairs_to_object(pairs(list), "form body"),
                Err(InputError::DuplicateKey {
                    key: key.to_owned(),
                    place: "form body"
                }),
                "{list:?}"
            );
        }
    }
}
