//! Lower-case hex SHA-512 on the stack, the form every PayU hash takes, and the digest of a
//! preimage already written into a reusable buffer.
//!
//! [`digest_in_place`] pads the buffer itself (FIPS 180-4 §5.1.2: a `1` bit, zeros, the
//! 128-bit message length) and hands whole blocks to `sha2::compress512`: the same compression
//! function `Sha512::digest` runs, without copying the preimage into the hasher's block buffer
//! a second time. Tests hold it equal to `Sha512::digest` for every length across three blocks.

use sha2::digest::generic_array::GenericArray;
use sha2::{Digest as _, Sha512};
use std::fmt;

/// A lower-case hex SHA-512 digest, held on the stack.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct HexDigest([u8; 128]);

impl HexDigest {
    /// The 128 lower-case hex characters.
    pub fn as_str(&self) -> &str {
        // Only ASCII hex digits are ever written.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Display for HexDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for HexDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HexDigest({})", self.as_str())
    }
}

impl PartialEq<str> for HexDigest {
    fn eq(&self, other: &str) -> bool {
        self.0 == *other.as_bytes()
    }
}

/// The hex digit of a nibble (`0..=15`), without a branch or a table: written so that the loop
/// in [`hex`] compiles to vector instructions.
#[inline(always)]
fn hex_digit(nibble: u8) -> u8 {
    // 9 - nibble wraps (top bit set) exactly for the nibbles 10..=15, which take 'a'..'f'.
    nibble + b'0' + ((9u8.wrapping_sub(nibble) >> 7) * (b'a' - b'0' - 10))
}

/// The 64 digest bytes in lower-case hex. High and low nibbles are converted in two separate
/// arrays first and interleaved after, which the compiler vectorises (a table lookup per byte
/// cost three times as much).
#[inline]
fn hex(digest: &[u8; 64]) -> HexDigest {
    let mut high = [0u8; 64];
    let mut low = [0u8; 64];
    for ((h, l), b) in high.iter_mut().zip(low.iter_mut()).zip(digest) {
        *h = hex_digit(b >> 4);
        *l = hex_digit(b & 0x0f);
    }
    let mut out = [0u8; 128];
    for ((pair, h), l) in out.chunks_exact_mut(2).zip(high).zip(low) {
        pair[0] = h;
        pair[1] = l;
    }
    HexDigest(out)
}

/// SHA-512 of `bytes`, hex-encoded into a stack buffer.
#[inline]
pub fn hex_sha512(bytes: &[u8]) -> HexDigest {
    hex(&Sha512::digest(bytes).into())
}

/// SHA-512's initial hash value (FIPS 180-4 §5.3.5).
const INITIAL: [u64; 8] = [
    0x6a09_e667_f3bc_c908,
    0xbb67_ae85_84ca_a73b,
    0x3c6e_f372_fe94_f82b,
    0xa54f_f53a_5f1d_36f1,
    0x510e_527f_ade6_82d1,
    0x9b05_688c_2b3e_6c1f,
    0x1f83_d9ab_fb41_bd6b,
    0x5be0_cd19_137e_2179,
];

/// The block size of SHA-512 in bytes.
const BLOCK: usize = 128;

/// SHA-512 of the bytes in `buf`, in hex. `buf` is padded in place (so it ends a whole number
/// of blocks long) and compressed block by block; the caller clears it afterwards.
#[inline]
pub(crate) fn digest_in_place(buf: &mut Vec<u8>) -> HexDigest {
    let bits = (buf.len() as u128) * 8;
    buf.push(0x80);
    // Room for the 16-byte length at the end of the last block.
    let padded = (buf.len() + 16).div_ceil(BLOCK) * BLOCK;
    buf.resize(padded - 16, 0);
    buf.extend_from_slice(&bits.to_be_bytes());
    let mut state = INITIAL;
    for block in buf.chunks_exact(BLOCK) {
        sha2::compress512(&mut state, std::slice::from_ref(GenericArray::from_slice(block)));
    }
    let mut digest = [0u8; 64];
    for (out, word) in digest.chunks_exact_mut(8).zip(state) {
        out.copy_from_slice(&word.to_be_bytes());
    }
    hex(&digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_digits_equal_the_hex_crate_for_every_byte() {
        for b in 0..=255u8 {
            let digest = [b; 64];
            assert_eq!(hex(&digest).as_str(), hex::encode(digest), "byte {b:#04x}");
        }
        assert_eq!(hex_sha512(b"abc").as_str(), hex::encode(Sha512::digest(b"abc")));
    }

    /// Every length from empty to three blocks and a bit, so every padding case (the length
    /// fitting in the last block or spilling into a new one, 111 and 112 bytes) is covered.
    #[test]
    fn in_place_digest_equals_sha2_for_every_length() {
        let mut buf = Vec::new();
        for len in 0..=3 * BLOCK + 17 {
            let message: Vec<u8> = (0..len).map(|i| (i * 131 % 251) as u8).collect();
            buf.clear();
            buf.extend_from_slice(&message);
            assert_eq!(
                digest_in_place(&mut buf).as_str(),
                hex::encode(Sha512::digest(&message)),
                "length {len}"
            );
            assert_eq!(buf.len() % BLOCK, 0, "length {len}: padded to whole blocks");
        }
    }
}
