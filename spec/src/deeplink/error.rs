//! Fatal errors: the input is not a deeplink at all, so nothing can be reported per parameter.
//! Everything else is a non-fatal [`crate::Violation`].

use thiserror::Error;

/// Why an input could not be read as a deeplink. Each message names the rule
/// (`deeplink.syntax.uri`) and the byte position.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DeeplinkError {
    /// The input is empty.
    #[error("deeplink.syntax.uri at byte 0: empty input")]
    Empty,
    /// The input is longer than the parser accepts.
    #[error("deeplink.syntax.uri at byte {max}: input is {len} bytes, more than the {max}-byte limit")]
    TooLong {
        /// Input length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Neither `scheme:` nor a bare `name=value` query.
    #[error("deeplink.syntax.uri at byte {at}: not a URI: {reason}")]
    NotAUri {
        /// Byte offset of the offending byte.
        at: usize,
        /// What is wrong.
        reason: &'static str,
    },
}

impl DeeplinkError {
    /// The rule every fatal error breaks.
    pub const RULE: &'static str = "deeplink.syntax.uri";

    /// The byte offset the error names.
    pub fn at(&self) -> usize {
        match self {
            DeeplinkError::Empty => 0,
            DeeplinkError::TooLong { max, .. } => *max,
            DeeplinkError::NotAUri { at, .. } => *at,
        }
    }
}
