//! Reads raw input for a message into a [`Document`]: JSON, a form body, or a curl command as
//! the vendors print them, with size, UTF-8 and duplicate-key checks, and the flattened JWS of a
//! Merchant Stack request opened when the input is the envelope rather than its payload.

use base64::Engine as _;
use serde_json::Value;

use crate::curl::{CurlBody, parse_curl};
use crate::input::{Document, InputError, normalise_headers, pairs_to_object, parse_form_pairs, parse_json, text};
use crate::model::{Encoding, Envelope, Message};

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
        Syntax::Form => Document::body(pairs_to_object(parse_form_pairs(text)?, "form body")?),
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
