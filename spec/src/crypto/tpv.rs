//! The TPV (third-party validation) payer account hash of the Merchant Stack (seed 003, "TPV
//! Params > payerAccountHashes"): `sha256(account number without leading zeros + first four
//! characters of the IFSC)`, lower-case hex.
//!
//! The seed gives one example and no edge cases; our decisions, each a rule:
//! * inputs are taken exactly as given: whitespace anywhere is an error, not trimmed
//!   (`tpv.input.whitespace`), because a trimmed hash would silently differ from what the PSP
//!   computes from NPCI's account data;
//! * the account number is ASCII digits (`tpv.account.digits`) and not all zeros
//!   (`tpv.account.all-zero`: stripping leading zeros would leave nothing);
//! * the IFSC has 11 characters (`tpv.ifsc.length`), is upper case (`tpv.ifsc.uppercase`: IFSCs
//!   are upper case in NPCI data, and upper-casing silently would hide a bug) and has the IFSC
//!   format (`tpv.ifsc.format`). "First 4 digit" in the seed means the first four characters,
//!   the bank code, which are letters.

use sha2::{Digest as _, Sha256};

use super::RuleError;
use super::catalogue::RuleDef;
use crate::format::Format;
use crate::rule::Severity;
use crate::source::{Source, seeds};

/// Rule: no whitespace in the account number or IFSC.
pub const RULE_WHITESPACE: &str = "tpv.input.whitespace";
/// Rule: the account number is ASCII digits.
pub const RULE_ACCOUNT_DIGITS: &str = "tpv.account.digits";
/// Rule: the account number is not all zeros.
pub const RULE_ACCOUNT_ALL_ZERO: &str = "tpv.account.all-zero";
/// Rule: the IFSC has 11 characters.
pub const RULE_IFSC_LENGTH: &str = "tpv.ifsc.length";
/// Rule: the IFSC is upper case.
pub const RULE_IFSC_UPPERCASE: &str = "tpv.ifsc.uppercase";
/// Rule: the IFSC has the IFSC format.
pub const RULE_IFSC_FORMAT: &str = "tpv.ifsc.format";
/// Rule: a payerAccountHash is 64 lower-case hex characters.
pub const RULE_HASH_HEX: &str = "tpv.hash.hex-format";
/// Rule: a payerAccountHash equals the hash of the account.
pub const RULE_HASH_MISMATCH: &str = "tpv.hash.mismatch";

const TPV_PARAMS: Source = Source::seed(
    seeds::REGISTER_INTENT,
    "API Version: V3 > Body Parameters > TPV Params > payerAccountHashes",
);
const SCOPE: &str = "merchant.register-intent.payerAccountHashes";
/// The reading of C-08 (ERRATA.md): the seed's one sentence states the hash, not the shape of its
/// inputs or output.
const TPV_READING: Source = Source::derived(
    "seed 003 states only \"payerAccountHash = sha256( account Number + first 4 digit of account IFSC)\" with leading zeros removed, and its worked example (ERRATA C-07, C-08); the shape of the account number, the IFSC and the digest's encoding is our reading of that example, so a should",
);

pub(crate) const RULES: &[RuleDef] = &[
    RuleDef {
        id: RULE_WHITESPACE,
        statement: "The account number and IFSC hashed contain no whitespace; they are never trimmed",
        severity: Severity::Should,
        source: Source::derived(
            "the seed hashes the values as they are; trimming silently would give a hash the PSP does not compute",
        ),
        scope: SCOPE,
    },
    RuleDef {
        id: RULE_ACCOUNT_DIGITS,
        statement: "The account number hashed is ASCII digits (leading zeros are removed before hashing)",
        severity: Severity::Should,
        source: TPV_READING,
        scope: SCOPE,
    },
    RuleDef {
        id: RULE_ACCOUNT_ALL_ZERO,
        statement: "An account number of only zeros cannot be hashed: removing the leading zeros leaves nothing",
        severity: Severity::Should,
        source: Source::derived("seed 003 removes leading zeros; an all-zero number would hash the IFSC prefix alone"),
        scope: SCOPE,
    },
    RuleDef {
        id: RULE_IFSC_LENGTH,
        statement: "The IFSC whose first four characters are hashed has 11 characters",
        severity: Severity::Should,
        source: TPV_READING,
        scope: SCOPE,
    },
    RuleDef {
        id: RULE_IFSC_UPPERCASE,
        statement: "The IFSC is upper case; it is not upper-cased before hashing",
        severity: Severity::Should,
        source: Source::derived(
            "IFSCs are upper case in NPCI account data, against which the PSP checks; seed 003's example IFSC is upper case",
        ),
        scope: SCOPE,
    },
    RuleDef {
        id: RULE_IFSC_FORMAT,
        statement: "The IFSC is 4 letters, 0, then 6 letters or digits; its first four characters (the bank code) are hashed",
        severity: Severity::Should,
        source: TPV_READING,
        scope: SCOPE,
    },
    RuleDef {
        id: RULE_HASH_HEX,
        statement: "Each payerAccountHashes entry is a SHA-256 digest in lower-case hex (64 characters)",
        severity: Severity::Should,
        source: TPV_READING,
        scope: SCOPE,
    },
    RuleDef {
        id: RULE_HASH_MISMATCH,
        statement: "payerAccountHash = sha256(account number without leading zeros + first 4 characters of the IFSC)",
        severity: Severity::Must,
        source: TPV_PARAMS,
        scope: SCOPE,
    },
];

/// Why an account could not be hashed or a hash did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TpvError {
    /// Whitespace in an input.
    #[error("tpv.input.whitespace: {input} contains whitespace at byte {at}")]
    Whitespace {
        /// `account number` or `IFSC`.
        input: &'static str,
        /// Byte offset of the first whitespace.
        at: usize,
    },
    /// A non-digit in the account number.
    #[error("tpv.account.digits: account number has a non-digit at byte {at}")]
    AccountNotDigits {
        /// Byte offset of the first non-digit.
        at: usize,
    },
    /// The account number is empty or all zeros.
    #[error("tpv.account.all-zero: account number is empty or all zeros")]
    AccountAllZero,
    /// The IFSC is not 11 characters long.
    #[error("tpv.ifsc.length: IFSC has {len} characters, 11 are required")]
    IfscLength {
        /// Its length in characters.
        len: usize,
    },
    /// The IFSC has lower-case letters.
    #[error("tpv.ifsc.uppercase: IFSC has lower-case letters")]
    IfscLowerCase,
    /// The IFSC does not have the IFSC format.
    #[error("tpv.ifsc.format: IFSC is not 4 letters, 0, 6 letters or digits")]
    IfscFormat,
    /// The received hash is not 64 lower-case hex characters.
    #[error("tpv.hash.hex-format: payerAccountHash is not 64 lower-case hex characters")]
    HexFormat,
    /// The received hash is not the hash of the account.
    #[error("tpv.hash.mismatch: payerAccountHash is not the hash of this account and IFSC")]
    Mismatch,
}

impl RuleError for TpvError {
    fn rule_id(&self) -> &'static str {
        match self {
            TpvError::Whitespace { .. } => RULE_WHITESPACE,
            TpvError::AccountNotDigits { .. } => RULE_ACCOUNT_DIGITS,
            TpvError::AccountAllZero => RULE_ACCOUNT_ALL_ZERO,
            TpvError::IfscLength { .. } => RULE_IFSC_LENGTH,
            TpvError::IfscLowerCase => RULE_IFSC_UPPERCASE,
            TpvError::IfscFormat => RULE_IFSC_FORMAT,
            TpvError::HexFormat => RULE_HASH_HEX,
            TpvError::Mismatch => RULE_HASH_MISMATCH,
        }
    }
}

/// The exact string hashed: the account number without leading zeros, then the IFSC's first
/// four characters. Checks every input rule first.
pub fn hashed_input(account_number: &str, ifsc: &str) -> Result<String, TpvError> {
    for (input, text) in [("account number", account_number), ("IFSC", ifsc)] {
        if let Some(at) = text.find(char::is_whitespace) {
            return Err(TpvError::Whitespace { input, at });
        }
    }
    if let Some(at) = account_number.find(|c: char| !c.is_ascii_digit()) {
        return Err(TpvError::AccountNotDigits { at });
    }
    let significant = account_number.trim_start_matches('0');
    if significant.is_empty() {
        return Err(TpvError::AccountAllZero);
    }
    let len = ifsc.chars().count();
    if len != 11 {
        return Err(TpvError::IfscLength { len });
    }
    if ifsc.chars().any(|c| c.is_lowercase()) {
        return Err(TpvError::IfscLowerCase);
    }
    if !Format::Ifsc.check(ifsc) {
        return Err(TpvError::IfscFormat);
    }
    Ok(format!("{significant}{}", &ifsc[..4]))
}

/// The payerAccountHash of an account: lower-case hex SHA-256 of [`hashed_input`].
pub fn payer_account_hash(account_number: &str, ifsc: &str) -> Result<String, TpvError> {
    let input = hashed_input(account_number, ifsc)?;
    Ok(hex::encode(Sha256::digest(input.as_bytes())))
}

/// Checks that `received` is the payerAccountHash of the account.
pub fn verify(account_number: &str, ifsc: &str, received: &str) -> Result<(), TpvError> {
    let expected = payer_account_hash(account_number, ifsc)?;
    if !Format::Sha256Hex.check(received) {
        return Err(TpvError::HexFormat);
    }
    if expected != received {
        return Err(TpvError::Mismatch);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_ifsc_is_an_error_not_a_slice_panic() {
        assert_eq!(hashed_input("1", "ÄBCD0000345"), Err(TpvError::IfscFormat));
    }
}
