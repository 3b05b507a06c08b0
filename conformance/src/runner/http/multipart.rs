//! Multipart bodies rendered in memory for the plain path: byte for byte what reqwest's
//! `multipart::Form` streams for the same parts (each part's `Content-Disposition` with the
//! name percent-encoded as reqwest's default path-segment encoding does, `name*=utf-8''…` when
//! that changed it, a file name escaped as reqwest escapes it, no part content type; the
//! closing boundary; nothing at all for no parts), under a boundary of reqwest's shape. The
//! request's `content-type` and `content-length` headers follow from [`content_type`] and the
//! rendered length, as reqwest sets them. reqwest streams the form in pieces through its body
//! layers; rendered whole, a multipart request costs what a form-encoded one does.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::{DOCUMENT_BYTES, document_name};

/// <https://url.spec.whatwg.org/#fragment-percent-encode-set>
const FRAGMENT: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');
/// <https://url.spec.whatwg.org/#path-percent-encode-set>
const PATH: &AsciiSet = &FRAGMENT.add(b'#').add(b'?').add(b'{').add(b'}');
/// The path-segment set reqwest encodes part names with by default.
const PATH_SEGMENT: &AsciiSet = &PATH.add(b'/').add(b'%');

/// A fresh boundary of reqwest's shape: four random 64-bit numbers in hex, joined by `-`.
pub(super) fn boundary() -> String {
    let [a, b, c, d]: [u64; 4] = rand::random();
    format!("{a:016x}-{b:016x}-{c:016x}-{d:016x}")
}

/// The request's `content-type` for `boundary`.
pub(super) fn content_type(boundary: &str) -> String {
    format!("multipart/form-data; boundary={boundary}")
}

/// The body of `parts` (name and value; a value `@path` is a file part named after `path`
/// holding [`DOCUMENT_BYTES`]) under `boundary`.
pub(super) fn render(parts: &[(String, String)], boundary: &str) -> Vec<u8> {
    let mut body = Vec::with_capacity(
        parts
            .iter()
            .map(|(k, v)| 2 * boundary.len() + k.len() + v.len() + DOCUMENT_BYTES.len() + 64)
            .sum(),
    );
    for (name, value) in parts {
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"\r\nContent-Disposition: form-data; ");
        let encoded: std::borrow::Cow<'_, str> = utf8_percent_encode(name, PATH_SEGMENT).into();
        if encoded == name.as_str() {
            body.extend_from_slice(b"name=\"");
            body.extend_from_slice(name.as_bytes());
            body.push(b'"');
        } else {
            body.extend_from_slice(b"name*=utf-8''");
            body.extend_from_slice(encoded.as_bytes());
        }
        let content: &[u8] = match value.strip_prefix('@') {
            Some(file) => {
                body.extend_from_slice(b"; filename=\"");
                for c in document_name(file).chars() {
                    // reqwest's escapes (RFC 7578 4.2 has no `filename*`).
                    if matches!(c, '\\' | '"' | '\r' | '\n') {
                        body.push(b'\\');
                    }
                    let mut utf8 = [0; 4];
                    body.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
                }
                body.push(b'"');
                DOCUMENT_BYTES
            }
            None => value.as_bytes(),
        };
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    if !parts.is_empty() {
        body.extend_from_slice(b"--");
        body.extend_from_slice(boundary.as_bytes());
        body.extend_from_slice(b"--\r\n");
    }
    body
}

#[cfg(test)]
mod tests {
    use futures_util::TryStreamExt;

    use super::*;

    fn parts(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    /// Part lists whose bytes must equal reqwest's: none, text, empty values, a file, names
    /// reqwest percent-encodes (space, `/`, `%`, `"`, non-ASCII, a control character), file
    /// names it escapes, values with CRLF and non-ASCII text, a repeated name.
    fn corpus() -> Vec<Vec<(String, String)>> {
        vec![
            parts(&[]),
            parts(&[("key", "JPM7Fg"), ("command", "udf_update"), ("var1", "T1")]),
            parts(&[("empty", ""), ("", "no name")]),
            parts(&[("file", "@invoice.pdf"), ("key", "k")]),
            parts(&[("file", "@dir/sub/bill \"q\".pdf")]),
            parts(&[("file", "@back\\slash\r\nname.pdf")]),
            parts(&[("a b", "1"), ("a/b", "2"), ("100%", "3"), ("q\"uote", "4")]),
            parts(&[("नाम", "मूल्य ₹"), ("ctl\u{7}", "x"), ("ok-_.~!$&'()*+,;=:@", "y")]),
            parts(&[("var1", "line\r\nbreak\r\n--not-a-boundary"), ("var1", "again")]),
        ]
    }

    #[tokio::test]
    async fn rendered_bodies_are_the_bytes_reqwest_streams() {
        for list in corpus() {
            let form = super::super::reqwest_form(&list);
            let boundary = form.boundary().to_string();
            let streamed: Vec<u8> = form
                .into_stream()
                .try_fold(Vec::new(), |mut all, chunk| async move {
                    all.extend_from_slice(&chunk);
                    Ok(all)
                })
                .await
                .unwrap();
            let rendered = render(&list, &boundary);
            assert_eq!(
                String::from_utf8_lossy(&rendered),
                String::from_utf8_lossy(&streamed),
                "parts {list:?}"
            );
            assert_eq!(rendered, streamed, "parts {list:?}");
        }
    }

    #[test]
    fn boundaries_have_reqwests_shape_and_differ() {
        let (a, b) = (boundary(), boundary());
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 * 16 + 3);
        assert!(
            a.split('-')
                .all(|g| g.len() == 16 && g.bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())),
            "{a}"
        );
        assert_eq!(content_type(&a), format!("multipart/form-data; boundary={a}"));
    }
}
