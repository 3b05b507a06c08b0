//! Masking a request for the report: secret-named headers, form fields, JSON members and query
//! parameters masked, the body cut to [`MAX_BODY_CHARS`] characters (a long form or multipart
//! body read from its start only), and known secret values replaced wherever they stand.

use std::collections::BTreeMap;

use serde_json::Value;

/// The longest request body summary, in characters.
pub(super) const MAX_BODY_CHARS: usize = 2048;
/// What a masked secret reads as.
pub(super) const MASK: &str = "***";

/// `text` with every match of `secret` (left to right, not overlapping) replaced by `mask`: what
/// `str::replace` gives, with a searcher built once. A secret is whole text, so every match
/// starts and ends on character boundaries.
pub(super) fn replace_all(text: &str, secret: &memchr::memmem::Finder<'_>, mask: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    // `find_iter` reports matches left to right, not overlapping, as `str::replace` takes them.
    for start in secret.find_iter(text.as_bytes()) {
        out.push_str(&text[last..start]);
        out.push_str(mask);
        last = start + secret.needle().len();
    }
    out.push_str(&text[last..]);
    out
}

/// Whether a header or field name holds a credential.
fn secret_name(name: &str) -> bool {
    // Compared ASCII case-insensitively in place (every header and form name of a summary
    // asks; lower-casing a copy first allocated for each).
    let name = name.as_bytes();
    let contains = |part: &str| {
        name.windows(part.len())
            .any(|w| w.eq_ignore_ascii_case(part.as_bytes()))
    };
    ["authorization", "proxy-authorization", "cookie", "key", "hash"]
        .iter()
        .any(|s| name.eq_ignore_ascii_case(s.as_bytes()))
        || ["salt", "secret", "password", "token", "api_key", "api-key", "apikey"]
            .iter()
            .any(|s| contains(s))
}

/// `NAME: VALUE` pairs as the report shows them: credentials masked (an Authorization header
/// keeps its scheme).
pub(super) fn masked_headers<'a>(headers: impl Iterator<Item = (&'a str, &'a str)>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (name, text) in headers {
        let shown = if secret_name(name) {
            // Keep the scheme of an Authorization header; mask its credentials.
            match text.split_once(' ') {
                Some((scheme, _)) if name.ends_with("authorization") => format!("{scheme} {MASK}"),
                _ => MASK.to_owned(),
            }
        } else {
            text.to_owned()
        };
        out.insert(name.to_owned(), shown);
    }
    out
}

fn mask_json(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if secret_name(k) && !v.is_object() && !v.is_array() {
                    *v = Value::String(MASK.into());
                } else {
                    mask_json(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_json),
        _ => {}
    }
}

/// The longest name or value [`masked_form`] decodes; a longer one is decoded from its first
/// `PART_BYTES` bytes. Decoding shrinks at most 3 bytes to 1, so a cut part still decodes to
/// over `4 * MAX_BODY_CHARS + 16` bytes: more than is shown, the last few bytes (an escape or a
/// UTF-8 sequence cut in two) aside.
const PART_BYTES: usize = 3 * (4 * MAX_BODY_CHARS + 16);

/// Whether `bytes` can be no JSON text once it holds a `=`: it starts (after whitespace) with
/// a letter (a JSON literal, which only whitespace may follow) or with `--` (a multipart
/// body's boundary; no JSON text starts so).
fn never_json(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let rest = &bytes[start..];
    rest.first().is_some_and(u8::is_ascii_alphabetic) || rest.starts_with(b"--")
}

/// The body as the report shows it: a form or JSON with secret-named fields masked.
pub(super) fn masked_body(bytes: &[u8]) -> String {
    // A body that is no JSON and holds a `=` (a form, or a multipart body, which the form
    // reading shows too) is read pair by pair, only as far as is shown: a 200 KB fuzzing value
    // is never decoded whole, nor checked as UTF-8 whole, and a masked one not at all.
    if never_json(bytes) && memchr::memchr(b'=', bytes).is_some() {
        return cut_shown(masked_form(bytes), bytes.len());
    }
    let text = String::from_utf8_lossy(bytes);
    let shown = if let Ok(mut value) = serde_json::from_str::<Value>(&text) {
        mask_json(&mut value);
        value.to_string()
    } else if text.contains('=') && !text.trim_start().starts_with('{') {
        masked_form(text.as_bytes())
    } else {
        text.into_owned()
    };
    cut_shown(shown, bytes.len())
}

/// A form with secret-named fields masked, read leniently (as
/// [`crate::form::lenient_form_pairs`] reads `String::from_utf8_lossy` of it), pair by pair
/// until a little over what is shown. `&` and `=` are ASCII, which no UTF-8 sequence holds
/// and which ends any malformed one, so a pair decodes the same on its own as within the whole
/// text.
fn masked_form(bytes: &[u8]) -> String {
    let mut shown = String::new();
    for (name, value) in crate::form::raw_pairs(bytes) {
        if !shown.is_empty() {
            shown.push('&');
        }
        let (name, name_cut) = decoded_start(name);
        shown.push_str(&name);
        // A name cut short is already more than is shown.
        if name_cut {
            break;
        }
        shown.push('=');
        if secret_name(&name) {
            shown.push_str(MASK);
        } else {
            shown.push_str(&decoded_start(value).0);
        }
        // Over 4 bytes a character: more than the characters shown; the rest is cut anyway.
        if shown.len() > 4 * MAX_BODY_CHARS {
            break;
        }
    }
    shown
}

/// A form name or value decoded leniently from its first [`PART_BYTES`] bytes; whether it was
/// cut.
fn decoded_start(raw: &[u8]) -> (String, bool) {
    let cut = raw.len() > PART_BYTES;
    let part = if cut { &raw[..PART_BYTES] } else { raw };
    (crate::form::lenient_decode(&String::from_utf8_lossy(part)), cut)
}

/// `shown` cut to [`MAX_BODY_CHARS`] characters, with the body's whole size when cut.
fn cut_shown(shown: String, size: usize) -> String {
    if shown.len() > MAX_BODY_CHARS && shown.chars().count() > MAX_BODY_CHARS {
        let cut: String = shown.chars().take(MAX_BODY_CHARS).collect();
        format!("{cut}… ({size} bytes in all)")
    } else {
        shown
    }
}

/// A request target (path and query) with secret-named query parameters masked.
pub(super) fn masked_path(target: &str) -> String {
    match target.split_once('?') {
        None => target.to_owned(),
        Some((path, query)) => {
            let shown: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((k, _)) if secret_name(k) => format!("{k}={MASK}"),
                    _ => pair.to_owned(),
                })
                .collect();
            format!("{path}?{}", shown.join("&"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_fields_are_masked_in_forms_and_json() {
        let form = masked_body(b"key=JPM7Fg&txnid=T1&hash=abc&salt=s3cr3t");
        assert_eq!(form, "key=***&txnid=T1&hash=***&salt=***");
        let json = masked_body(br#"{"api_key":"k","nested":{"password":"p"},"amount":"1.00"}"#);
        assert!(
            !json.contains("\"k\"") && !json.contains("\"p\"") && json.contains("1.00"),
            "{json}"
        );
    }

    /// What the report showed of a form before forms were read pair by pair: the whole body
    /// made UTF-8 (`from_utf8_lossy`), every pair decoded, secret-named ones masked.
    fn shown_whole(bytes: &[u8]) -> String {
        let text = String::from_utf8_lossy(bytes);
        let pairs: Vec<String> = crate::form::lenient_form_pairs(&text)
            .into_iter()
            .map(|(k, v)| {
                if secret_name(&k) {
                    format!("{k}={MASK}")
                } else {
                    format!("{k}={v}")
                }
            })
            .collect();
        cut_shown(pairs.join("&"), bytes.len())
    }

    /// A form reads the same pair by pair as whole: a 200,000-character value (plain, under a
    /// masked name first, as the hash last), many short pairs, percent escapes and multi-byte
    /// characters, a value and a name cut at [`PART_BYTES`] inside an escape or a character, a
    /// name longer than [`PART_BYTES`] ending in a secret word, bytes that are not UTF-8 beside
    /// the separators, a multipart body (read as a form too) with a large file part, and short
    /// forms.
    #[test]
    fn a_form_reads_the_same_pair_by_pair() {
        let huge = "A".repeat(200_000);
        let mut bodies: Vec<Vec<u8>> = [
            format!("txnid=T1&key=k&productinfo={huge}&hash=h"),
            format!("key={huge}&command=verify_payment&var1=T1&hash=h"),
            format!("key=k&command=verify_payment&var1=T1&hash={huge}"),
            (0..20_000)
                .map(|i| format!("f{i}=%E2%82%B9{i}"))
                .collect::<Vec<_>>()
                .join("&"),
            format!("remarks={}&salt=s", "न%41+".repeat(40_000)),
            format!("a=1{}&b={}", "&".repeat(60_000), "x".repeat(60_000)),
            format!("a=1&{}salt=v&b=2", "x".repeat(PART_BYTES)),
            format!("a=1&{}_salt=v&b=2", "x".repeat(PART_BYTES - 3)),
            format!("v={}%E2%82%B9&w=1", "A".repeat(PART_BYTES - 5)),
            format!("v={}₹₹&w=1", "A".repeat(PART_BYTES - 1)),
            format!(
                "--XyZ\r\nContent-Disposition: form-data; name=\"command\"\r\n\r\nopgsp_upload_invoice_awb\r\n\
                 --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"inv.pdf\"\r\n\r\n{}\r\n--XyZ--\r\n",
                "%PDF-1.4 key=v&".repeat(20_000)
            ),
            "key=JPM7Fg&txnid=T1&hash=abc&salt=s3cr3t".into(),
            "&&a=1&&b&=2&c=%zz+%41&".into(),
            "ha%73h=abc&k%65y=k&note=%2B1".into(),
        ]
        .into_iter()
        .map(String::into_bytes)
        .collect();
        let mut not_utf8 = b"a=\xff&\xe2\x82&b\xc3=\xe2\x82\xac\xe2&key=\xff".to_vec();
        not_utf8.extend(b"&c=".iter().chain(&[0xf0u8; 30_000]));
        bodies.push(not_utf8);
        for body in &bodies {
            let shown = masked_body(body);
            assert_eq!(shown, shown_whole(body), "{:?}", String::from_utf8_lossy(&body[..20]));
        }
        // A long value is cut with the body's size; a masked one leaves the form short.
        let shown = masked_body(&bodies[0]);
        assert!(
            shown.ends_with(&format!("… ({} bytes in all)", bodies[0].len())),
            "{shown}"
        );
        assert_eq!(
            masked_body(&bodies[1]),
            "key=***&command=verify_payment&var1=T1&hash=***"
        );
    }

    /// Long JSON texts holding `=` (an array, a string, an object after whitespace) are shown
    /// as JSON, never from a form reading of their prefix.
    #[test]
    fn a_long_json_text_is_shown_as_json() {
        let filler = "A=".repeat(20_000);
        let bodies = [
            format!(r#"[ "note=%41", "{filler}" ]"#),
            format!(r#""note=%41+{filler}""#),
            format!(r#"  {{"password":"p","note":"{filler}"}}"#),
            format!("-1{}", " ".repeat(2 * PART_BYTES)),
        ];
        for body in &bodies {
            assert!(body.len() > 4 * MAX_BODY_CHARS);
            let mut value: Value = serde_json::from_str(body).unwrap();
            mask_json(&mut value);
            assert_eq!(
                masked_body(body.as_bytes()),
                cut_shown(value.to_string(), body.len()),
                "{}",
                &body[..20]
            );
        }
    }

    /// Scrubbing masks every secret of the configuration wherever it stands, the longest
    /// first, matches not overlapping, as `str::replace` does.
    /// Secret names, in any ASCII case, exact or contained; other names, including near
    /// misses and non-ASCII ones, are not.
    #[test]
    fn secret_names_in_any_case() {
        for name in [
            "Authorization",
            "PROXY-AUTHORIZATION",
            "cookie",
            "Key",
            "HASH",
            "merchant_salt",
            "x-Secret-1",
            "PassWord",
            "access_token",
            "my_API_KEY",
            "x-api-key",
            "ApiKey",
        ] {
            assert!(secret_name(name), "{name}");
        }
        for name in [
            "keys",
            "hashes",
            "txnid",
            "sal",
            "tok",
            "api key",
            "pässword",
            "",
            "authorisation",
        ] {
            assert!(!secret_name(name), "{name}");
        }
    }

    #[test]
    fn authorization_keeps_its_scheme_only() {
        let h = [
            ("authorization", "Basic dGVzdF9hcGlfa2V5Og=="),
            ("x-merchant-id", "TEST"),
        ];
        let m = masked_headers(h.into_iter());
        assert_eq!(m["authorization"], "Basic ***");
        assert_eq!(m["x-merchant-id"], "TEST");
    }
}
