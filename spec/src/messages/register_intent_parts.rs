//! Seed 003 building blocks shared by the four registerIntent versions: character sets, NPCI
//! code lists, the mutual-fund item, split settlement, and the per-version presence matrix.

use super::ids;
use crate::charset::{ALNUM, ANY_TEXT, Charset};
use crate::field_rules as rules;
use crate::format::Format;
use crate::id::{MessageId, RuleId};
use crate::model::{Cond, Constraint, Cross, Field, Item, Kind, Presence, field, object, rule};
use crate::source::{Source, seeds::REGISTER_INTENT};

/// `merchantRequestId`: "Max 35 characters alphanumeric, can also contain hyphen(-), dot(.) &
/// underscore(_)".
pub(super) const MERCHANT_REQUEST_ID: Charset = ALNUM.with("letters, digits, '-', '.' and '_'", b"-._");
/// `remarks` (V3): "alphanumeric"; the seed's own samples contain spaces, so we allow them
/// (see ERRATA).
pub(super) const REMARKS: Charset = ALNUM.with("letters, digits and spaces", b" ");
/// udfParameters values: "Regex for the characters which are not allowed: ^[^/#-()*!%~`]+$".
/// We model the listed characters, not the accidental range `#-(` (see ERRATA).
pub(super) const UDF_VALUE: Charset = ANY_TEXT.without("any text except / # - ( ) * ! % ~ and backtick", b"/#-()*!%~`");

/// NPCI initiation modes and purpose codes (`mode`, `purpose`; written once, in [`crate::npci`]).
pub use crate::npci::{MODES, PURPOSES};
/// Outer `responseCode` values seen in Juspay's integrations (DOMAIN.md).
pub(super) const RESPONSE_CODES: &[&str] = &[
    "SUCCESS",
    "FAILURE",
    "REQUEST_NOT_FOUND",
    "REQUEST_EXPIRED",
    "DROPOUT",
    "BAD_REQUEST",
    "UNAUTHORIZED",
    "INVALID_DATA",
    "INVALID_MERCHANT",
    "DEVICE_FINGERPRINT_MISMATCH",
    "INTERNAL_SERVER_ERROR",
    "INVALID_TRANSACTION_ID",
    "UNINITIATED_REQUEST",
    "INVALID_REFUND_AMOUNT",
    "REQUEST_PENDING",
    "SERVICE_UNAVAILABLE",
    "GATEWAY_TIMEOUT",
    "DUPLICATE_REQUEST",
];

/// The registerIntent API versions: one declaration ([`crate::deeplink::mapping::Version`],
/// which the deeplink mapping table names); their facts are here.
pub use crate::deeplink::mapping::Version;

impl Version {
    /// The four versions, in the seed's order.
    pub const ALL: [Version; 4] = [Version::V3, Version::V2, Version::V1, Version::Default];

    /// The version's request model.
    pub fn request(self) -> MessageId {
        match self {
            Version::V3 => ids::REGISTER_INTENT_V3_REQUEST,
            Version::V2 => ids::REGISTER_INTENT_V2_REQUEST,
            Version::V1 => ids::REGISTER_INTENT_V1_REQUEST,
            Version::Default => ids::REGISTER_INTENT_DEFAULT_REQUEST,
        }
    }

    /// The version's response model.
    pub fn response(self) -> MessageId {
        match self {
            Version::V3 => ids::REGISTER_INTENT_V3_RESPONSE,
            Version::V2 => ids::REGISTER_INTENT_V2_RESPONSE,
            Version::V1 => ids::REGISTER_INTENT_V1_RESPONSE,
            Version::Default => ids::REGISTER_INTENT_DEFAULT_RESPONSE,
        }
    }

    /// The `x-api-version` value that selects the version (`None`: Default, selected by
    /// sending no `x-api-version`).
    pub fn header(self) -> Option<&'static str> {
        match self {
            Version::V3 => Some("3"),
            Version::V2 => Some("2"),
            Version::V1 => Some("1"),
            Version::Default => None,
        }
    }

    /// The version's request rule on `x-api-version` (that it is the version's number; for
    /// Default, that it is absent): what a server refusing another value names.
    pub fn header_rule(self) -> RuleId {
        match self {
            Version::V3 => rules::REGISTER_INTENT_V3_REQUEST_API_VERSION_CONST,
            Version::V2 => rules::REGISTER_INTENT_V2_REQUEST_API_VERSION_CONST,
            Version::V1 => rules::REGISTER_INTENT_V1_REQUEST_API_VERSION_CONST,
            Version::Default => rules::REGISTER_INTENT_DEFAULT_REQUEST_API_VERSION_ABSENT,
        }
    }

    fn column(self) -> usize {
        match self {
            Version::V3 => 0,
            Version::V2 => 1,
            Version::V1 => 2,
            Version::Default => 3,
        }
    }

    /// Picks this version's presence from a row of the matrix (`None`: not in this version).
    pub(super) fn pick(self, row: [Option<Presence>; 4]) -> Option<Presence> {
        row[self.column()]
    }

    pub(super) fn section(self, part: &'static str) -> Source {
        let s: &'static str = match (self, part) {
            (Version::V3, "body") => "API Version: V3 > Body Parameters",
            (Version::V2, "body") => "API Version: V2 > Body Parameters",
            (Version::V1, "body") => "API Version: V1 > Body Parameters",
            (Version::Default, "body") => "API Version: Default > Body Parameters",
            (Version::V3, "response") => "API Version: V3 > API Responses > 200",
            (Version::V2, "response") => "API Version: V2 > API Responses > 200",
            (Version::V1, "response") => "API Version: V1 > API Responses > 200",
            (Version::Default, "response") => "API Version: Default > API Responses > 200",
            (Version::V3, "headers") => "API Version: V3 > Headers / Code Snippets",
            (Version::V2, "headers") => "API Version: V2 > Headers / Code Snippets",
            (Version::V1, "headers") => "API Version: V1 > Headers / Code Snippets",
            (Version::Default, _) => "API Version: Default > Headers / Code Snippets",
            (_, _) => "API Version: V3 > Merchant Register Intent",
        };
        Source::seed(REGISTER_INTENT, s)
    }
}

/// Shorthands for the presence matrix.
pub(super) const M: Option<Presence> = Some(Presence::Mandatory);
pub(super) const O: Option<Presence> = Some(Presence::Optional);
pub(super) const R: Option<Presence> = Some(Presence::Recommended);
pub(super) const C: Option<Presence> = Some(Presence::Conditional);
pub(super) const X: Option<Presence> = None;

/// Applies the matrix: keeps the rows present in `version`, with their presence and source.
pub(super) fn for_version(version: Version, source: Source, rows: Vec<([Option<Presence>; 4], Field)>) -> Vec<Field> {
    rows.into_iter()
        .filter_map(|(row, f)| {
            version.pick(row).map(|p| {
                let f = if f.source == crate::model::UNSET {
                    f.src(source)
                } else {
                    f
                };
                f.with_presence(p)
            })
        })
        .collect()
}

/// One `mutualFundDetails` item (`ihNumber` is V3 only).
pub(super) fn mutual_fund_item(version: Version, source: Source) -> Item {
    let rows = vec![
        ([M, M, M, M], field("memberId").min_len(1).seed_name("MemberId")),
        ([M, M, M, M], field("userId").min_len(1).seed_name("UserId")),
        (
            [M, M, M, M],
            field("mfPartner")
                .one_of(&["NSE", "BSE", "KFIN", "CAMS"])
                .seed_name("MfPartner"),
        ),
        (
            [O, O, O, O],
            field("folioNumber")
                .seed_name("FolioNumber")
                .doc("mandatory for RTA reporting"),
        ),
        ([M, M, M, M], field("orderNumber").min_len(1).seed_name("OrderNumber")),
        (
            [M, M, M, M],
            field("amount").format(Format::Amount2dp).seed_name("Amount"),
        ),
        (
            [O, O, O, O],
            field("schemeCode")
                .seed_name("SchemeCode")
                .doc("mandatory for RTA reporting"),
        ),
        (
            [O, O, O, O],
            field("amcCode").seed_name("AmcCode").doc("mandatory for RTA reporting"),
        ),
        (
            [O, O, O, O],
            field("panNumber")
                .should(
                    Constraint::Format(Format::Pan),
                    Source::derived("a PAN has the public form AAAAA9999A"),
                )
                .seed_name("PanNumber"),
        ),
        (
            [M, M, M, M],
            field("investmentType")
                .one_of(&["LUMPSUM", "SIP"])
                .seed_name("InvestmentType"),
        ),
        (
            [O, X, X, X],
            field("ihNumber").seed_name("IhNumber").doc("mandatory for K-Fin RTA"),
        ),
    ];
    Item::of(object(for_version(version, source, rows)))
}

/// `mutualFundDetails`: an array of items, present for the mutual-fund use case.
pub(super) fn mutual_funds(version: Version, source: Source) -> Field {
    field("mutualFundDetails")
        .kind(Kind::Array(Box::new(mutual_fund_item(version, source))))
        .check(Constraint::MinItems(1))
        .seed_name("mutualFundDetails")
}

/// `payerAccountHashes`: TPV account hashes (see the TPV hash rules).
pub(super) fn payer_account_hashes() -> Field {
    field("payerAccountHashes")
        .kind(Kind::Array(Box::new(Item::of(Kind::Str).format(Format::Sha256Hex))))
        .check(Constraint::MinItems(1))
        .doc("sha256(account number without leading zeros + first 4 characters of the IFSC)")
}

/// `udfParameters`: stringified JSON of udf values.
pub(super) fn udf_parameters() -> Field {
    field("udfParameters")
        .kind(Kind::JsonString(Box::new(Item::of(Kind::Map(Box::new(
            Item::of(Kind::Str).charset(UDF_VALUE),
        ))))))
        .doc("stringified JSON {\"udf1\":\"value1\",...}; values must avoid / # - ( ) * ! % ~ `")
}

/// `splitSettlementDetails` (V3).
pub(super) fn split_settlement(source: Source) -> Field {
    let partner = object(vec![
        field("partnerId")
            .mandatory()
            .min_len(1)
            .src(source)
            .seed_name("PartnerId"),
        field("value")
            .mandatory()
            .format(Format::Decimal)
            .src(source)
            .seed_name("Value"),
    ]);
    let obj = Item::of(object(vec![
        field("splitType").mandatory().one_of(&["AMOUNT", "PERCENTAGE", "DEFAULT", "LATER"]).src(source).seed_name("SplitType"),
        field("merchantSplit").format(Format::Decimal).src(source).seed_name("MerchantSplit"),
        field("partnersSplit")
            .conditional()
            .kind(Kind::Array(Box::new(Item::of(partner))))
            .check(Constraint::MinItems(1))
            .src(source)
            .seed_name("PartnersSplit"),
    ]))
    .rules(vec![rule(
        "partners-for-amount-and-percentage",
        "partnersSplit is required when splitType is AMOUNT or PERCENTAGE",
        Source::derived("the seed marks partnersSplit conditional; an AMOUNT or PERCENTAGE split has nothing to split without partners"),
        Cross::RequiredWhen { field: "partnersSplit", when: Cond::In("splitType", &["AMOUNT", "PERCENTAGE"]) },
    )
    .should()]);
    field("splitSettlementDetails")
        .item(obj)
        .seed_name("splitSettlementDetails")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::{Locus, Step, sites};

    #[test]
    fn each_version_names_its_requests_rule_and_value_of_x_api_version() {
        for v in Version::ALL {
            let request = v.request().message();
            // The rules the model states about the header's value or absence.
            let stated: Vec<String> = sites(request)
                .into_iter()
                .filter(|s| s.header && matches!(s.steps.first(), Some(Step::Key(k)) if k == "x-api-version"))
                .filter(|s| matches!(s.locus, Locus::Absent(_) | Locus::Check { .. }))
                .map(|s| s.rule)
                .collect();
            assert_eq!(stated, [v.header_rule().as_str()], "{v:?}");
            let fixed = request
                .headers
                .iter()
                .find(|h| h.key.label() == "x-api-version")
                .and_then(Field::fixed_value);
            assert_eq!(fixed, Some(v.header()), "{v:?}");
        }
    }
}
