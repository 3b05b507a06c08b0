//! Strict decoders for the two base64 alphabets the signatures use. Both reject what a lenient
//! decoder would silently accept: the other alphabet, padding where none is allowed (or missing
//! where it is required), whitespace and non-canonical trailing bits.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

use crate::format::encoding::is_base64url_byte;

/// Why a string is not valid in the expected base64 alphabet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EncodingProblem {
    /// Plain-language reason, naming the first offending character where there is one.
    pub reason: String,
}

/// Decodes base64url without padding (RFC 7515 §2 `BASE64URL`).
pub(crate) fn decode_base64url(text: &str) -> Result<Vec<u8>, EncodingProblem> {
    // The decoder refuses every character outside the alphabet, padding and non-canonical
    // trailing bits; only a refusal is scanned again (a JWS segment can be hundreds of
    // kilobytes), to name the first character outside the alphabet whole, so a non-ASCII one
    // is named as such.
    URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|e| match text.bytes().position(|b| !is_base64url_byte(b)) {
            Some(index) => {
                let c = text[index..].chars().next().unwrap_or('\u{fffd}');
                EncodingProblem {
                    reason: format!(
                        "character {c:?} at byte {index} is not in the base64url alphabet (no padding allowed)"
                    ),
                }
            }
            None => EncodingProblem {
                reason: format!("not canonical base64url: {e}"),
            },
        })
}

/// Encodes bytes as base64url without padding.
pub(crate) fn encode_base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes standard base64 with padding (RFC 4648 §4).
pub(crate) fn decode_base64(text: &str) -> Result<Vec<u8>, EncodingProblem> {
    // As `decode_base64url`: the text is scanned only when the decoder refuses it.
    STANDARD.decode(text).map_err(|e| {
        match text
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
        {
            Some((index, c)) => EncodingProblem {
                reason: format!("character {c:?} at byte {index} is not in the standard base64 alphabet"),
            },
            None => EncodingProblem {
                reason: format!("not canonical padded base64: {e}"),
            },
        }
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

    /// A refusal names the first character outside the alphabet, whole, wherever the decoder
    /// stopped; a text in the alphabet is refused as not canonical.
    #[test]
    fn refusals_name_the_first_foreign_character() {
        let reason = |text: &str| decode_base64url(text).unwrap_err().reason;
        assert_eq!(
            reason("YWJjé"),
            "character 'é' at byte 4 is not in the base64url alphabet (no padding allowed)"
        );
        assert_eq!(
            reason("YWI="),
            "character '=' at byte 3 is not in the base64url alphabet (no padding allowed)"
        );
        assert!(
            reason("YWK").starts_with("not canonical base64url: "),
            "{}",
            reason("YWK")
        );
        assert!(reason("Y").starts_with("not canonical base64url: "), "{}", reason("Y"));
        assert_eq!(
            decode_base64("YW I=").unwrap_err().reason,
            "character ' ' at byte 2 is not in the standard base64 alphabet"
        );
        assert!(
            decode_base64("YWI")
                .unwrap_err()
                .reason
                .starts_with("not canonical padded base64: ")
        );
    }

    #[test]
    fn base64_requires_padding_and_standard_alphabet() {
        assert_eq!(decode_base64("YWI=").unwrap(), b"ab");
        assert!(decode_base64("YWI").is_err());
        assert!(decode_base64("a-b_").is_err());
    }
}
