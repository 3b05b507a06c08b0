//! Reads raw input for a message into a [`Document`]: JSON, a form body, or a curl command as
//! the vendors print them, with size, UTF-8 and duplicate-key checks, and the flattened JWS of a
//! Merchant Stack request opened when the input is the envelope rather than its payload. Also
//! the bounded reader every caller reads files and standard input through: [`read_capped`]
//! stops one byte past its cap, so `/dev/zero` or an endless pipe costs at most the cap.

use base64::Engine as _;
use serde_json::Value;

use crate::curl::{CurlBody, parse_curl};
use crate::input::{Document, InputError, normalise_headers, pairs_to_object, parse_form_object, parse_json, text};
use crate::model::{Encoding, Envelope, Message};

/// A reader that fails once more than `limit` bytes have come through it, with an error
/// naming the limit (see [`over_limit`]). Streaming parsers read through it too.
#[derive(Debug)]
pub struct CappedReader<R> {
    inner: std::io::Take<R>,
    limit: u64,
    seen: u64,
}

impl<R: std::io::Read> CappedReader<R> {
    /// Caps `inner` at `limit` bytes.
    pub fn new(inner: R, limit: u64) -> CappedReader<R> {
        CappedReader {
            inner: inner.take(limit.saturating_add(1)),
            limit,
            seen: 0,
        }
    }
}

impl<R: std::io::Read> std::io::Read for CappedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.seen = self.seen.saturating_add(n as u64);
        if self.seen > self.limit {
            return Err(std::io::Error::other(InputError::OverLimit { limit: self.limit }));
        }
        Ok(n)
    }
}

/// The [`InputError::OverLimit`] inside an I/O error of a [`CappedReader`], if that is what it is.
pub fn over_limit(error: &std::io::Error) -> Option<InputError> {
    error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<InputError>())
        .cloned()
}

/// Reads all of `reader`, at most `limit` bytes: more is [`InputError::OverLimit`] (after reading
/// only `limit + 1` bytes), a failed read [`InputError::Io`].
pub fn read_capped(reader: impl std::io::Read, limit: u64) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    let mut capped = CappedReader::new(reader, limit);
    std::io::Read::read_to_end(&mut capped, &mut bytes)
        .map_err(|e| over_limit(&e).unwrap_or_else(|| InputError::Io(e.to_string())))?;
    Ok(bytes)
}

/// The syntax of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Decide from the content and the message's encoding.
    Auto,
    /// A JSON document.
    Json,
    /// An `application/x-www-form-urlencoded` body.
    Form,
    /// A curl command line (headers and body).
    Curl,
}

/// Reads `bytes` as an instance of `message`.
pub fn read(message: &Message, bytes: &[u8], syntax: Syntax, limit: usize) -> Result<Document, InputError> {
    let text = text(bytes, limit)?;
    let syntax = match syntax {
        Syntax::Auto => {
            let t = text.trim_start();
            if t.starts_with("curl ") || t.starts_with("curl\t") {
                Syntax::Curl
            } else if t.starts_with(['{', '[']) || message.encoding == Encoding::Json {
                Syntax::Json
            } else {
                Syntax::Form
            }
        }
        other => other,
    };
    let document = match syntax {
        Syntax::Json => Document::body(parse_json(text)?),
        Syntax::Form => Document::body(parse_form_object(text, "form body")?),
        Syntax::Curl => {
            let curl = parse_curl(text)?;
            let headers = normalise_headers(curl.headers)?;
            let body = match curl.body {
                CurlBody::None => Value::Object(Default::default()),
                CurlBody::Form(pairs) => pairs_to_object(pairs, "form body")?,
                CurlBody::Multipart(pairs) => pairs_to_object(pairs, "multipart body")?,
                CurlBody::Raw(raw) => parse_json(&raw)?,
            };
            Document {
                headers: Some(headers),
                body,
            }
        }
        Syntax::Auto => unreachable!("resolved above"),
    };
    open_envelope(message, document)
}

/// Replaces a flattened-JWS body by its decoded payload when the message travels in one.
pub fn open_envelope(message: &Message, document: Document) -> Result<Document, InputError> {
    if message.envelope != Some(Envelope::FlattenedJws) {
        return Ok(document);
    }
    let Value::Object(map) = &document.body else {
        return Ok(document);
    };
    let is_envelope = map.len() == 3
        && ["protected", "payload", "signature"]
            .iter()
            .all(|k| map.contains_key(*k));
    if !is_envelope {
        return Ok(document);
    }
    let payload = map["payload"]
        .as_str()
        .ok_or_else(|| InputError::Envelope("payload is not a string".into()))?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|e| InputError::Envelope(format!("payload is not base64url without padding: {e}")))?;
    let inner = std::str::from_utf8(&bytes).map_err(|e| InputError::Envelope(format!("payload is not UTF-8: {e}")))?;
    Ok(Document {
        headers: document.headers,
        body: parse_json(inner)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_input_is_cut_at_the_cap() {
        let endless = std::io::repeat(0);
        assert_eq!(read_capped(endless, 1000), Err(InputError::OverLimit { limit: 1000 }));
        assert_eq!(read_capped(&b"12345"[..], 5).unwrap(), b"12345");
        assert_eq!(
            read_capped(&b"123456"[..], 5).unwrap_err().to_string(),
            "input is over the limit of 5 bytes (reading stopped there)"
        );
        // A cap of u64::MAX does not wrap to nothing.
        assert_eq!(read_capped(&b"12"[..], u64::MAX).unwrap(), b"12");
    }
}
