//! One member of a JSON text, read without building the rest: what
//! `serde_json::from_slice::<Value>(bytes)` followed by [`Value::pointer`] gives, but the
//! members off the pointer's path are only checked ([`Skip`]), not turned into values. A
//! refusal predicate reads one member of every answer, and a PayU intent answer is a few
//! kilobytes of JSON.

use std::fmt;

use serde::Deserialize as _;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// `None` when `bytes` is not one JSON text (as `from_slice` refuses it: syntax, trailing
/// characters, nesting too deep); otherwise the member at the RFC 6901 `pointer`, if any. A key
/// given twice counts its last value, as in the map `from_slice` builds.
pub(crate) fn member(bytes: &[u8], pointer: &str) -> Option<Option<Value>> {
    let tokens: Option<Vec<String>> = match pointer {
        "" => Some(Vec::new()),
        p if p.starts_with('/') => Some(
            p[1..]
                .split('/')
                .map(|t| t.replace("~1", "/").replace("~0", "~"))
                .collect(),
        ),
        // Not a pointer: nothing is at it, but the text must still be JSON.
        _ => None,
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let found = match &tokens {
        Some(tokens) => At(tokens).deserialize(&mut de),
        None => Skip::deserialize(&mut de).map(|_| None),
    };
    let found = found.ok()?;
    de.end().ok()?;
    Some(found)
}

/// A value checked and dropped. Unlike `IgnoredAny` (which `serde_json` skips without counting
/// depth), it goes down through `deserialize_any`, so a text nested deeper than `from_slice`
/// takes is refused here too.
struct Skip;

impl<'de> serde::Deserialize<'de> for Skip {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Skip, D::Error> {
        d.deserialize_any(SkipVisitor)
    }
}

/// The visitor of [`Skip`]: every scalar accepted, maps and arrays walked member by member.
struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skip;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    visit_scalars_as!(Skip);

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(Skip)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }
}

/// The member at the rest of a pointer's tokens.
struct At<'p>(&'p [String]);

impl<'de> DeserializeSeed<'de> for At<'_> {
    type Value = Option<Value>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        match self.0.split_first() {
            None => Value::deserialize(d).map(Some),
            Some((token, rest)) => d.deserialize_any(Step { token, rest }),
        }
    }
}

/// One step down: the member named (or, in an array, indexed) by `token`.
struct Step<'p> {
    token: &'p str,
    rest: &'p [String],
}

/// An array index as `Value::pointer` reads one: digits, no sign, no leading zero.
fn index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

/// Whether a key is the token (borrowed or unescaped, the key is compared, never kept).
struct KeyIs<'p>(&'p str);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.0)
    }
}

impl<'de> Visitor<'de> for Step<'_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    visit_scalars_as!(None);

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Value>, A::Error> {
        let mut found = None;
        while let Some(hit) = map.next_key_seed(KeyIs(self.token))? {
            if hit {
                found = map.next_value_seed(At(self.rest))?;
            } else {
                map.next_value::<Skip>()?;
            }
        }
        Ok(found)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Value>, A::Error> {
        let wanted = index(self.token);
        let mut found = None;
        let mut i = 0;
        loop {
            if Some(i) == wanted {
                match seq.next_element_seed(At(self.rest))? {
                    Some(member) => found = member,
                    None => break,
                }
            } else if seq.next_element::<Skip>()?.is_none() {
                break;
            }
            i += 1;
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pointer into every text reads what parsing the whole text and `Value::pointer`
    /// read: nested objects and arrays, escaped keys and `~` escapes, a key given twice, numbers,
    /// null, indexes with leading zeros or signs, pointers past a scalar, and texts that are not
    /// JSON (cut short, trailing characters, too deep).
    #[test]
    fn reads_what_the_whole_value_reads() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let texts = [
            r#"{"metaData":{"txnStatus":"failed","n":1},"result":null}"#,
            r#"{"status":"0","msg":"x","status":0}"#,
            r#"{"status":0}"#,
            r#"{"status":1.5e3,"a/b":{"c~d":[10,{"e":"f"}]},"\u0073tatus2":"é"}"#,
            r#"[{"a":1},[2,3],"x",null,true]"#,
            r#""text""#,
            "  {\"responseCode\" : \"00\" }  ",
            r#"{"responseCode":"00"} x"#,
            r#"{"responseCode":"00""#,
            "",
            "nul",
            &deep,
        ];
        let pointers = [
            "",
            "/",
            "/status",
            "/status2",
            "/msg",
            "/metaData/txnStatus",
            "/metaData/n",
            "/metaData/none",
            "/result",
            "/result/x",
            "/a~1b/c~0d/1/e",
            "/a~1b/c~0d/0",
            "/a~1b/c~0d/01",
            "/a~1b/c~0d/+1",
            "/0/a",
            "/1/1",
            "/4",
            "/5",
            "/responseCode",
            "status",
            "/status/x",
        ];
        for text in &texts {
            let whole = serde_json::from_slice::<Value>(text.as_bytes()).ok();
            for pointer in pointers {
                let expected = whole.as_ref().map(|v| v.pointer(pointer).cloned());
                assert_eq!(member(text.as_bytes(), pointer), expected, "{pointer:?} in {text:?}");
            }
        }
    }
}
