//! Seed 002: the bank-account objects that the TPAP SDK returns (`vpaAccounts`,
//! `linkedAccounts`, `selectedAccount`), shared by every action's response.

use crate::format::Format;
use crate::model::{Constraint, Field, Item, Kind, field, object};
use crate::source::{Source, seeds::TPAP_SDK};

/// Where the account table of each action is specified.
pub(super) const SESSION_ACCOUNT: Source = Source::seed(
    TPAP_SDK,
    "1. Get Session Token > Response Payload > Payload > VpaAccounts > Account",
);

/// Where the account `Type` lists its values ("Type of account: SAVINGS/CURRENT/OVERDRAFT").
const ONBOARDING_ACCOUNT: Source = Source::seed(
    TPAP_SDK,
    "2. UPI Onboarding > Response Payload > Payload > LinkedAccounts > Account",
);

/// The account types seed 002 lists; the session table's example is "Savings", so letter case
/// is not part of the value.
const ACCOUNT_TYPES: &[&str] = &["SAVINGS", "CURRENT", "OVERDRAFT"];

/// The `account` object (every attribute the seed's account tables name; the responses show
/// subsets, so every attribute is optional).
pub(super) fn account(source: Source) -> Kind {
    object(vec![
        field("bankCode")
            .src(source)
            .seed_name("BankCode")
            .doc("IIN code of the bank"),
        field("bankName").src(source).seed_name("BankName"),
        field("maskedAccountNumber")
            .src(source)
            .seed_name("MaskedAccountNumber"),
        field("mpinLength")
            .format(Format::PositiveInt)
            .src(source)
            .seed_name("MpinLength"),
        field("mpinSet")
            .format(Format::BoolString)
            .src(source)
            .seed_name("MpinSet"),
        field("referenceId").min_len(1).src(source).seed_name("ReferenceId"),
        field("otpLength")
            .format(Format::PositiveInt)
            .src(source)
            .seed_name("OtpLength"),
        field("atmPinLength")
            .format(Format::PositiveInt)
            .src(source)
            .seed_name("AtmPinLength"),
        field("type")
            .check_from(Constraint::EnumIgnoreCase(ACCOUNT_TYPES), ONBOARDING_ACCOUNT)
            .src(source)
            .seed_name("Type")
            .doc("SAVINGS/CURRENT/OVERDRAFT; the session table's example is 'Savings'"),
        field("branchName").src(source).seed_name("BranchName"),
        field("bankAccountUniqueId")
            .src(source)
            .seed_name("BankAccountUniqueId"),
        field("ifsc").format(Format::Ifsc).src(source).seed_name("Ifsc"),
        field("isInitialTopUpDone")
            .one_of(&["true", "topup_txn_pending"])
            .src(source)
            .seed_name("IsInitialTopUpDone")
            .doc("UPI Lite only"),
        field("isPrimary")
            .format(Format::BoolString)
            .src(source)
            .seed_name("IsPrimary"),
        field("name").src(source).seed_name("Name").doc("account holder name"),
    ])
}

/// A `{vpa, account}` pair.
pub(super) fn vpa_account(source: Source) -> Kind {
    object(vec![
        field("vpa")
            .mandatory()
            .format(Format::Vpa)
            .src(source)
            .seed_name("Vpa"),
        field("account")
            .mandatory()
            .kind(account(source))
            .src(source)
            .seed_name("Account"),
    ])
}

/// An array of `{vpa, account}` pairs under `name`.
pub(super) fn vpa_accounts(name: &'static str, seed_name: &'static str, source: Source) -> Field {
    field(name)
        .kind(Kind::Array(Box::new(Item::of(vpa_account(source)))))
        .src(source)
        .seed_name(seed_name)
}
