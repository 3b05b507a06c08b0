//! Strict decoders for the two base64 alphabets the signatures use. Both reject what a lenient
//! decoder would silently accept: the other alphabet, padding where none is allowed (or missing
//! where it is required), whitespace and non-canonical trailing bits.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

/// Why a string is not valid in the expected base64 alphabet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EncodingProblem {
    /// Plain-language reason, naming the first offending character where there is one.
    pub reason: String,
}

/// Decodes base64url without padding (RFC 7515 §2 `BASE64URL`).
pub(crate) fn decode_base64url(text: &str) -> Result<Vec<u8>, EncodingProblem> {
    // A byte scan (a JWS segment can be hundreds of kilobytes); the offending character is then
    // read whole, so a non-ASCII one is named as such.
    if let Some(index) = text
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    {
        let c = text[index..].chars().next().unwrap_or('\u{fffd}');
        return Err(EncodingProblem {
            reason: format!("character {c:?} at byte {index} is not in the base64url alphabet (no padding allowed)"),
        });
    }
    URL_SAFE_NO_PAD.decode(text).map_err(|e| EncodingProblem {
        reason: format!("not canonical base64url: {e}"),
    })
}

/// Encodes bytes as base64url without padding.
pub(crate) fn encode_base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes standard base64 with padding (RFC 4648 §4).
pub(crate) fn decode_base64(text: &str) -> Result<Vec<u8>, EncodingProblem> {
    if let Some((index, c)) = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
    {
        return Err(EncodingProblem {
            reason: format!("character {c:?} at byte {index} is not in the standard base64 alphabet"),
        });
    }
    STANDARD.decode(text).map_err(|e| EncodingProblem {
        reason: format!("not canonical padded base64: {e}"),
    })
}

/// Encodes bytes as standard base64 with padding.
pub(crate) fn encode_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_rejects_padding_and_foreign_alphabet() {
        assert_eq!(decode_base64url("YWJj").unwrap(), b"abc");
        assert!(decode_base64url("YWI=").is_err());
        assert!(decode_base64url("a+b/").is_err());
        assert!(decode_base64url("YW Jj").is_err());
        // `YWJ` would need its last two bits zero; `YWK` is non-canonical.
        assert!(decode_base64url("YWK").is_err());
    }

    #[test]
    fn base64_requires_padding_and_standard_alphabet() {
        assert_eq!(decode_base64("YWI=").unwrap(), b"ab");
        assert!(decode_base64("YWI").is_err());
        assert!(decode_base64("a-b_").is_err());
    }
}
