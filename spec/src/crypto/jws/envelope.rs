//! The flattened JWS body: its three members, reading it strictly, and signing a payload.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::super::encoding::encode_base64url;
use super::super::keys::PrivateKey;
use super::super::rsa_sig::{self, SignatureAlgorithm};
use super::error::JwsError;

/// A JWS in flattened JSON serialization, as the request body carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlattenedJws {
    /// base64url of the protected header JSON.
    pub protected: String,
    /// base64url of the request JSON.
    pub payload: String,
    /// base64url of the signature over `<protected>.<payload>`.
    pub signature: String,
}

impl FlattenedJws {
    /// The body as compact JSON, members in the order `protected`, `payload`, `signature`.
    pub fn to_json(&self) -> String {
        serde_json::json!({"protected": self.protected, "payload": self.payload, "signature": self.signature})
            .to_string()
    }

    /// The signing input `<protected>.<payload>` (RFC 7515 §5.1), in its three parts.
    pub(super) fn signing_input_parts(&self) -> [&[u8]; 3] {
        [self.protected.as_bytes(), b".", self.payload.as_bytes()]
    }

    /// The signing input `<protected>.<payload>` as one string.
    #[cfg(test)]
    pub(super) fn signing_input(&self) -> String {
        format!("{}.{}", self.protected, self.payload)
    }
}

#[derive(Serialize)]
struct ProtectedHeader<'a> {
    alg: &'static str,
    kid: &'a str,
}

/// Signs `payload_json` (the request JSON, exactly as it will be sent) under `kid`.
pub fn sign(
    key: &PrivateKey,
    algorithm: SignatureAlgorithm,
    kid: &str,
    payload_json: &str,
) -> Result<FlattenedJws, JwsError> {
    if kid.is_empty() {
        return Err(JwsError::KidMissing);
    }
    if !matches!(crate::input::parse_json(payload_json), Ok(Value::Object(_))) {
        return Err(JwsError::PayloadJson);
    }
    let header = serde_json::to_string(&ProtectedHeader {
        alg: algorithm.jws_name(),
        kid,
    })
    .map_err(|_| JwsError::HeaderJson)?;
    let mut jws = FlattenedJws {
        protected: encode_base64url(header.as_bytes()),
        payload: encode_base64url(payload_json.as_bytes()),
        signature: String::new(),
    };
    let signature = rsa_sig::sign_parts(algorithm, key, &jws.signing_input_parts())
        .ok_or_else(|| JwsError::Signature { kid: kid.to_owned() })?;
    jws.signature = encode_base64url(&signature);
    Ok(jws)
}

/// Parses a request body into its three members, refusing any other shape.
pub fn parse_body(body: &str) -> Result<FlattenedJws, JwsError> {
    // The strict reader (duplicate member names refused) for the envelope, the protected
    // header and the payload alike: the server reads them the same way.
    match crate::input::parse_json(body) {
        Ok(value) => FlattenedJws::from_value(&value),
        Err(e) => Err(JwsError::BodyShape {
            reason: format!("body is not a JSON object: {e}"),
        }),
    }
}

impl FlattenedJws {
    /// The three members of a body already read as JSON (strictly, as [`parse_body`] reads
    /// it), refusing any other shape as [`parse_body`] does.
    pub fn from_value(body: &Value) -> Result<FlattenedJws, JwsError> {
        let shape = |reason: String| JwsError::BodyShape { reason };
        let Value::Object(members) = body else {
            return Err(shape("body is not a JSON object".to_owned()));
        };
        if let Some(extra) = members
            .keys()
            .find(|k| !matches!(k.as_str(), "protected" | "payload" | "signature"))
        {
            return Err(shape(format!("unexpected member {extra:?}")));
        }
        let member = |name: &str| match members.get(name) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(shape(format!("member {name:?} is not a string"))),
            None => Err(shape(format!("member {name:?} is missing"))),
        };
        Ok(FlattenedJws {
            protected: member("protected")?,
            payload: member("payload")?,
            signature: member("signature")?,
        })
    }
}
