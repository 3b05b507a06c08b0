//! Lower-case hex digests (SHA-256 for TPV and Juspay hashes, SHA-512 for PayU hashes); one
//! implementation, two lengths.

use rand::RngCore;

use super::FormatKind;
use super::lex::{hex_lower, random_hex};

/// A lower-case hex digest of a fixed length, with its wording and near misses.
pub(super) struct HexDigest {
    /// Hex characters in the digest.
    len: usize,
    /// [`FormatKind::describe`].
    describe: &'static str,
    /// [`FormatKind::pattern`] (anchored, `[0-9a-f]{len}`).
    pattern: &'static str,
    /// [`FormatKind::near_misses`].
    near_misses: &'static [&'static str],
    /// [`FormatKind::other_side`].
    other_side: Option<&'static str>,
    /// [`FormatKind::seed_words`].
    seed_words: &'static str,
}

/// [`super::Format::Sha256Hex`].
pub(super) const SHA256_HEX: HexDigest = HexDigest {
    len: 64,
    describe: "a lower-case 64-hex SHA-256",
    pattern: r"^[0-9a-f]{64}$",
    near_misses: &[
        "ef907b670f92ba102daeadb0a9ea347c44bde9f4340e9330dd2ff3a674",
        "EF907B670F92BA102DAEADB0A9EA347C44BDE9F4340E9330DD2FF3A674FFFFFF",
        "zz907b670f92ba102daeadb0a9ea347c44bde9f4340e9330dd2ff3a674ffffff",
    ],
    other_side: Some("ef907b670f92ba102daeadb0a9ea347c44bde9f4340e9330dd2ff3a674ffffff00"),
    seed_words: r"sha-?256",
};

/// [`super::Format::Sha512Hex`].
pub(super) const SHA512_HEX: HexDigest = HexDigest {
    len: 128,
    describe: "a lower-case 128-hex SHA-512",
    pattern: r"^[0-9a-f]{128}$",
    near_misses: &["abc", "YOUR_CALCULATED_HASH", "{{hash}}"],
    other_side: None,
    seed_words: r"sha-?512",
};

impl FormatKind for HexDigest {
    fn describe(&self) -> &'static str {
        self.describe
    }
    fn pattern(&self) -> &'static str {
        self.pattern
    }
    fn check(&self, s: &str) -> bool {
        s.len() == self.len && hex_lower(s.as_bytes())
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        random_hex(rng, self.len)
    }
    fn near_misses(&self) -> &'static [&'static str] {
        self.near_misses
    }
    fn other_side(&self) -> Option<&'static str> {
        self.other_side
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(self.seed_words)
    }
}
