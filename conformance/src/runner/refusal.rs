//! Whether an answer is an operation's refusal, read without building the body's JSON tree.
//!
//! [`Refusal::matches`] parses a 2xx body into a `serde_json::Value` to look at one pointer; the
//! runner asks this of every answer it judges (2-3 % of the fuzzer's CPU on PayU). Here serde
//! walks the body once and keeps only the value at the predicate's pointer: the same verdict
//! (the body must still be one whole JSON document; of a key given twice the last counts, as in
//! a `Value`), without the tree.

use std::fmt;

use serde::Deserialize as _;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use upi_spec::model::api::{BodyPredicate, Refusal};

/// Whether an answer with `status` and `body` is `refusal` (no answer is none): what
/// [`Refusal::matches`] says, without a `Value` tree.
pub fn is_refusal(refusal: &Refusal, status: Option<u16>, body: &[u8]) -> bool {
    let Some(status) = status else { return false };
    if refusal.client_error && (400..500).contains(&status) {
        return true;
    }
    match &refusal.ok_body {
        Some(p) if (200..300).contains(&status) => holds(p, body),
        _ => false,
    }
}

/// Whether `body` (one JSON document) satisfies `predicate`; a body that is not JSON does not.
fn holds(predicate: &BodyPredicate, body: &[u8]) -> bool {
    let (BodyPredicate::Present(at) | BodyPredicate::NotEqual(at, _) | BodyPredicate::Equals(at, _)) = predicate;
    let Ok(leaf) = value_at(body, at) else { return false };
    match predicate {
        BodyPredicate::Present(_) => leaf.is_some(),
        BodyPredicate::NotEqual(_, v) => !matches!(&leaf, Some(Leaf::Str(s)) if s == v),
        BodyPredicate::Equals(_, v) => match &leaf {
            Some(Leaf::Str(s)) => s == v,
            Some(Leaf::Number(n)) => n.to_string() == *v,
            _ => false,
        },
    }
}

/// The value a pointer reaches, as far as a predicate needs it.
#[derive(Debug)]
enum Leaf {
    Str(String),
    Number(serde_json::Number),
    /// `null`, a boolean, an array or an object.
    Other,
}

/// The value at the RFC 6901 `pointer` in `body` (none when it reaches nothing), or the parse
/// error when `body` is not one JSON document.
fn value_at(body: &[u8], pointer: &str) -> Result<Option<Leaf>, serde_json::Error> {
    // As `Value::pointer`: "" is the whole document, anything else must start with '/'.
    let path: Option<Vec<String>> = match pointer {
        "" => Some(Vec::new()),
        p if p.starts_with('/') => Some(
            p.split('/')
                .skip(1)
                .map(|s| s.replace("~1", "/").replace("~0", "~"))
                .collect(),
        ),
        _ => None,
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let leaf = match &path {
        Some(path) => At(path).deserialize(&mut de)?,
        None => {
            Skip::deserialize(&mut de)?;
            None
        }
    };
    de.end()?;
    Ok(leaf)
}

/// Descends `path`; at its end keeps the value.
struct At<'p>(&'p [String]);

impl<'de> DeserializeSeed<'de> for At<'_> {
    type Value = Option<Leaf>;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// An array index as `Value::pointer` reads one: digits, no sign, no leading zero.
fn index(segment: &str) -> Option<usize> {
    if segment.starts_with('+') || (segment.starts_with('0') && segment.len() != 1) {
        return None;
    }
    segment.parse().ok()
}

impl<'de> Visitor<'de> for At<'_> {
    type Value = Option<Leaf>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(self.0.is_empty().then_some(Leaf::Other))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(self.0.is_empty().then(|| Leaf::Number(v.into())))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(self.0.is_empty().then(|| Leaf::Number(v.into())))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        // A `Value` holds a non-finite float as `null`.
        Ok(self
            .0
            .is_empty()
            .then(|| serde_json::Number::from_f64(v).map_or(Leaf::Other, Leaf::Number)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.is_empty().then(|| Leaf::Str(v.to_owned())))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(self.0.is_empty().then_some(Leaf::Other))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let (wanted, rest) = match self.0.split_first() {
            Some((first, rest)) => (index(first), rest),
            None => (None, &[][..]),
        };
        let mut found = None;
        let mut i = 0;
        loop {
            if wanted == Some(i) {
                match seq.next_element_seed(At(rest))? {
                    Some(leaf) => found = leaf,
                    None => break,
                }
            } else if seq.next_element::<Skip>()?.is_none() {
                break;
            }
            i += 1;
        }
        Ok(if self.0.is_empty() { Some(Leaf::Other) } else { found })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        match self.0.split_first() {
            None => while map.next_entry::<Skip, Skip>()?.is_some() {},
            Some((first, rest)) => {
                while let Some(is_it) = map.next_key_seed(KeyIs(first))? {
                    if is_it {
                        // Of a key given twice the last counts, as in a `Value`.
                        found = map.next_value_seed(At(rest))?;
                    } else {
                        map.next_value::<Skip>()?;
                    }
                }
            }
        }
        Ok(if self.0.is_empty() { Some(Leaf::Other) } else { found })
    }
}

/// A value read and dropped. Not `IgnoredAny`: serde_json skips that without its nesting limit
/// and without reading numbers (`1e400` passes), both of which a `Value` (and so
/// [`Refusal::matches`]) refuses.
struct Skip;

impl<'de> serde::Deserialize<'de> for Skip {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Skip, D::Error> {
        deserializer.deserialize_any(Skip)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = Skip;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_unit<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(Skip)
    }
}

/// Reads an object key and says whether it is this one.
struct KeyIs<'k>(&'k str);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E>(self, v: &str) -> Result<bool, E> {
        Ok(v == self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every predicate kind over bodies that reach, miss, repeat, escape and break: the verdict
    /// is `Refusal::matches`'s (the tree-building reading) on each, and the expected one.
    #[test]
    fn the_verdict_is_the_value_trees() {
        use BodyPredicate::*;
        let predicates = [
            Equals("/metaData/txnStatus", "failed"),
            Equals("/status", "0"),
            Present("/msg"),
            NotEqual("/responseCode", "00"),
            Equals("/a/1/b", "x"),
            Present(""),
            Present("no-slash"),
            Equals("/a~1b/c~0d", "y"),
        ];
        // (body, which of the predicates above hold)
        let table: &[(&str, [bool; 8])] = &[
            (
                r#"{"metaData":{"txnStatus":"failed"},"status":0,"msg":null,"responseCode":"00"}"#,
                [true, true, true, false, false, true, false, false],
            ),
            (
                r#"{"metaData":{"txnStatus":"captured"},"status":"1","responseCode":"103"}"#,
                [false, false, false, true, false, true, false, false],
            ),
            (
                r#"{"status":0.0,"responseCode":3}"#,
                [false, false, false, true, false, true, false, false],
            ),
            (
                r#"{"status":"0","status":"1","msg":"m","msg":{"deep":[1,2]}}"#,
                [false, false, true, true, false, true, false, false],
            ),
            (
                r#"{"status":"1","status":"0","metaData":{"txnStatus":"failed"},"metaData":{}}"#,
                [false, true, false, true, false, true, false, false],
            ),
            (
                r#"{"a":[{"b":"no"},{"b":"x"}],"a/b":{"c~d":"y"}}"#,
                [false, false, false, true, true, true, false, true],
            ),
            (
                r#"{"a":[{"b":"x"}],"a":{"1":{"b":"x"}}}"#,
                [false, false, false, true, true, true, false, false],
            ),
            (
                r#"{"status":"\u0030","msg":"\"quoted\""}"#,
                [false, true, true, true, false, true, false, false],
            ),
            (
                r#"[{"status":"0"}]"#,
                [false, false, false, true, false, true, false, false],
            ),
            (r#""0""#, [false, false, false, true, false, true, false, false]),
            (r#"{"status":"0"} trailing"#, [false; 8]),
            (r#"{"status":"0""#, [false; 8]),
            ("", [false; 8]),
            ("not json", [false; 8]),
            (
                r#"{"status":"0"}  "#,
                [false, true, false, true, false, true, false, false],
            ),
            // Out of f64's range: no `Value`, so no refusal (`IgnoredAny` would skip it as a number).
            (r#"{"status":1e400}"#, [false; 8]),
            (r#"{"x":1e400,"msg":true}"#, [false; 8]),
            (
                r#"{"x":[[[]]],"msg":true}"#,
                [false, false, true, true, false, true, false, false],
            ),
        ];
        for (body, expected) in table {
            for (p, want) in predicates.iter().zip(expected) {
                let refusal = Refusal::or_ok_with(p.clone());
                for status in [Some(200), Some(204)] {
                    let got = is_refusal(&refusal, status, body.as_bytes());
                    assert_eq!(got, refusal.matches(status, body.as_bytes()), "{p:?} on {body}");
                    assert_eq!(got, *want, "{p:?} on {body}");
                }
                // Status alone decides outside 2xx.
                for status in [None, Some(301), Some(400), Some(499), Some(500)] {
                    assert_eq!(
                        is_refusal(&refusal, status, body.as_bytes()),
                        refusal.matches(status, body.as_bytes()),
                        "{p:?} on {body} with {status:?}"
                    );
                }
            }
        }
        assert!(!is_refusal(&Refusal::CLIENT_ERROR, Some(200), br#"{"status":"0"}"#));
        assert!(is_refusal(&Refusal::CLIENT_ERROR, Some(404), b"anything"));
    }

    /// Nesting beyond serde_json's limit is not a JSON document for either reading, wherever
    /// it is (skipping a value with `IgnoredAny` instead of [`Skip`] fails this).
    #[test]
    fn too_deep_a_body_is_no_refusal() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        for body in [
            deep(200),
            format!(r#"{{"x":"1","y":{}}}"#, deep(200)),
            format!("[{}]", deep(200)),
        ] {
            let refusal = Refusal::or_ok_with(BodyPredicate::NotEqual("/x", "0"));
            assert!(!refusal.matches(Some(200), body.as_bytes()));
            assert!(!is_refusal(&refusal, Some(200), body.as_bytes()), "{body}");
        }
        let shallow = format!(r#"{{"x":"1","y":{}}}"#, deep(100));
        let refusal = Refusal::or_ok_with(BodyPredicate::NotEqual("/x", "0"));
        assert!(refusal.matches(Some(200), shallow.as_bytes()));
        assert!(is_refusal(&refusal, Some(200), shallow.as_bytes()));
    }
}
