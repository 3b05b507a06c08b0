//! `parse_form_pairs` decodes exactly as the straightforward reading does (`+` to a space, then
//! strict percent-decoding to UTF-8), on listed cases and on generated ones: the fast path
//! (whole runs without `%` or `+` copied at once) changes no result and no error.

use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use upi_spec::input::{pairs_to_object, parse_form_object, parse_form_pairs};

/// The reading before the fast path: every `%` checked, `+` replaced, then percent-decoded.
fn reference(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    let mut offset = 0;
    for raw in text.split('&') {
        let pair_offset = offset;
        offset += raw.len() + 1;
        if raw.is_empty() {
            continue;
        }
        let (k, v) = raw.split_once('=').unwrap_or((raw, ""));
        let decode = |s: &str| -> Result<String, String> {
            let b = s.as_bytes();
            for (i, c) in b.iter().enumerate() {
                if *c == b'%'
                    && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                        && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
                {
                    return Err(format!("malformed percent escape at byte {}", pair_offset + i));
                }
            }
            percent_decode_str(&s.replace('+', " "))
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| "escapes decode to invalid UTF-8".to_string())
        };
        pairs.push((decode(k)?, decode(v)?));
    }
    Ok(pairs)
}

/// A listed case: the body and the pairs or the error message expected.
type Case = (&'static str, Result<Vec<(&'static str, &'static str)>, &'static str>);

fn ours(text: &str) -> Result<Vec<(String, String)>, String> {
    parse_form_pairs(text).map_err(|e| match e {
        upi_spec::input::InputError::Form { message, .. } => message,
        other => other.to_string(),
    })
}

#[test]
fn listed_cases_decode_as_the_reference_does() {
    let cases: &[Case] = &[
        ("a=b&c=d", Ok(vec![("a", "b"), ("c", "d")])),
        (
            "name=Asha+Verma&note=50%25+off",
            Ok(vec![("name", "Asha Verma"), ("note", "50% off")]),
        ),
        ("k=%2B%20%e2%82%b9", Ok(vec![("k", "+ ₹")])),
        ("k=v&&x", Ok(vec![("k", "v"), ("x", "")])),
        ("k=100%", Err("malformed percent escape at byte 3")),
        ("a=1&k=%zz", Err("malformed percent escape at byte 4")),
        ("k=%ff", Err("escapes decode to invalid UTF-8")),
        ("k=%ff%zz", Err("malformed percent escape at byte 3")),
    ];
    for (text, expected) in cases {
        let expected = expected
            .clone()
            .map(|p| {
                p.into_iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect::<Vec<_>>()
            })
            .map_err(str::to_string);
        assert_eq!(ours(text), expected, "{text}");
        assert_eq!(reference(text), expected, "reference on {text}");
    }
}

#[test]
fn a_long_value_without_escapes_is_kept_whole() {
    let value = "A".repeat(200_000);
    let pairs = parse_form_pairs(&format!("remarks={value}&x=1")).unwrap();
    assert_eq!(pairs[0].1, value);
    assert_eq!(pairs[1], ("x".to_string(), "1".to_string()));
}

/// `parse_form_object` (the form read straight into an object) gives what the two steps give:
/// the same object (same order), or the same error, a pair that does not decode winning over a
/// key sent twice wherever each stands.
fn object_as_in_two_steps(text: &str) {
    let two_steps = parse_form_pairs(text).and_then(|pairs| pairs_to_object(pairs, "form body"));
    let fused = parse_form_object(text, "form body");
    assert_eq!(
        fused.as_ref().map(|v| serde_json::to_string(v).unwrap()),
        two_steps.as_ref().map(|v| serde_json::to_string(v).unwrap()),
        "{text}"
    );
}

#[test]
fn the_object_is_the_pairs_made_an_object() {
    for text in [
        "a=b&c=d",
        "z=1&a=2&m=3",
        "a=1&a=2",
        "a=1&b=2&a=3&b=4",
        "a=1&a=2&k=%zz",
        "k=%zz&a=1&a=2",
        "a=1&a=2&k=%ff",
        "a=1&&a",
        "",
        "&&",
        "k=v&&x",
    ] {
        object_as_in_two_steps(text);
    }
}

proptest! {
    #[test]
    fn generated_forms_decode_as_the_reference_does(text in "([a-zA-Z0-9=&+ %.é₹]|%[0-9a-fA-F]{2}|%[eE][0-9a-fA-F]%[89abAB][0-9a-fA-F]%[89abAB][0-9a-fA-F]){0,40}") {
        prop_assert_eq!(ours(&text), reference(&text));
    }

    #[test]
    fn generated_forms_read_into_the_same_object(text in "([abk=&+%]|%[0-9a-fA-F]{2}|%ff){0,30}") {
        object_as_in_two_steps(&text);
    }
}
