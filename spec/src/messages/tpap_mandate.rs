//! Seed 002, sections 5 and 6: the mandate parts of the TPAP SDK payloads. The signed
//! `signaturePayload` of a mandate request (with the rules between its `mandate.*` keys) and
//! the `mandate` object of the response.

use crate::charset::DIGITS;
use crate::format::Format;
use crate::model::{Cond, Constraint, Cross, Field, Item, Kind, field, object, rule};
use crate::source::{Source, seeds::TPAP_SDK};

const SIG: Source = Source::seed(
    TPAP_SDK,
    "5. UPI Onboarding and Mandate Creation > Request Payload > Payload > SignaturePayload",
);
const SAMPLE: Source = Source::seed(TPAP_SDK, "5. UPI Onboarding and Mandate Creation > Code Snippets");
const RESP: Source = Source::seed(
    TPAP_SDK,
    "5. UPI Onboarding and Mandate Creation > Response Payload > Payload > Mandate",
);

/// Mandate frequencies (`mandate.frequency`, `recurrencePattern`).
pub(super) const FREQUENCIES: &[&str] = &[
    "ONETIME",
    "DAILY",
    "WEEKLY",
    "FORTNIGHTLY",
    "MONTHLY",
    "BIMONTHLY",
    "QUARTERLY",
    "HALFYEARLY",
    "YEARLY",
    "ASPRESENTED",
];
const NO_RECURRENCE_RULE: &[&str] = &["ONETIME", "DAILY", "ASPRESENTED"];

/// The mandate keys of `signaturePayload` (after the payment keys).
pub(super) fn signature_payload_fields() -> Vec<Field> {
    vec![
        field("metadata.<psp>:mandate_name")
            .any_of(
                "metadata.<psp>:mandate_name",
                &["metadata.AXIS_BIZ:mandate_name", "metadata.YES_BIZ:mandate_name"],
            )
            .mandatory()
            .min_len(1)
            .should(
                Constraint::NotPrefixed("metadata."),
                Source::derived(
                    "the value is the mandate's name; the seed's example repeats the key prefix in it (ERRATA E-025)",
                ),
            )
            .src(SIG)
            .seed_name("Metadata.<issuing_psp>:madate_name"),
        field("options.create_mandate")
            .mandatory()
            .one_of(&["REQUIRED", "OPTIONAL"])
            .src(SIG)
            .seed_name("Options.create_mandate"),
        field("mandate.max_amount")
            .mandatory()
            .format(Format::Amount2dp)
            .src(SIG)
            .seed_name("Mandate.max_amount"),
        field("mandate.amount_rule")
            .mandatory()
            .one_of(&["FIXED", "VARIABLE"])
            .default("VARIABLE")
            .src(SIG)
            .seed_name("Mandate.amount_rule"),
        field("mandate.frequency")
            .one_of(FREQUENCIES)
            .default("ASPRESENTED")
            .src(SIG)
            .seed_name("Mandate.frequency"),
        field("mandate.start_date")
            .mandatory()
            .format(Format::EpochMillis13)
            .src(SIG)
            .seed_name("Mandate.start_date"),
        field("mandate.end_date")
            .mandatory()
            .format(Format::EpochMillis13)
            .src(SIG)
            .seed_name("Mandate.end_date"),
        field("mandate.block_fund")
            .format(Format::BoolString)
            .default("false")
            .src(SIG)
            .seed_name("Mandate.block_funds")
            .doc("the table spells it block_funds and types it Boolean; the samples send \"block_fund\": \"true\""),
        field("mandate.rule_type")
            .conditional()
            .one_of(&["ON", "BEFORE", "AFTER"])
            .src(SIG)
            .seed_name("Mandate.rule_type"),
        field("mandate.rule_value")
            .conditional()
            .format(Format::DayOfMonth)
            .src(SIG)
            .seed_name("Mandate.rule_value"),
        field("mandate.payer_revocable")
            .format(Format::BoolString)
            .src(SAMPLE)
            .doc("only in the sample (with a broken quote)"),
        field("bankAccountHashes")
            .kind(Kind::JsonString(Box::new(Item::of(Kind::Array(Box::new(
                Item::of(Kind::Str).should(
                    Constraint::Format(Format::Sha256Hex),
                    Source::derived(
                        "TPV account hashes are SHA-256 hex in seed 003; the seed 002 sample's values are placeholders",
                    ),
                ),
            ))))))
            .src(SAMPLE)
            .doc("only in case of TPV"),
    ]
}

/// Rules between the keys of a mandate `signaturePayload`.
pub(super) fn signature_payload_rules() -> Vec<crate::model::CrossRule> {
    vec![
        rule(
            "fixed-amount-equals-max",
            "with mandate.amount_rule FIXED, amount must equal mandate.max_amount",
            Source::seed(
                TPAP_SDK,
                "5. UPI Onboarding and Mandate Creation > Request Payload > Mandate.amount_rule",
            ),
            Cross::EqualAmounts {
                a: "amount",
                b: "mandate.max_amount",
                when: Cond::Eq("mandate.amount_rule", "FIXED"),
            },
        ),
        rule(
            "amount-not-above-max",
            "amount must not exceed mandate.max_amount",
            Source::seed(
                TPAP_SDK,
                "5. UPI Onboarding and Mandate Creation > Request Payload > Mandate.max_amount",
            ),
            Cross::NotAbove {
                amount: "amount",
                limit: "mandate.max_amount",
            },
        ),
        rule(
            "same-psp",
            "every metadata.<psp>: key of one payload names the same PSP",
            Source::derived(
                "one merchant integration goes through one issuing PSP; the seed's samples mix a placeholder and YES_BIZ (ERRATA E-026)",
            ),
            Cross::SameVariant(&["metadata.<psp>:gateway_reference_id", "metadata.<psp>:mandate_name"]),
        ),
        rule(
            "block-fund-only-onetime",
            "mandate.block_fund may be true only for a ONETIME mandate",
            Source::seed(
                TPAP_SDK,
                "5. UPI Onboarding and Mandate Creation > Request Payload > Mandate.block_funds",
            ),
            Cross::ValueOnlyWhen {
                field: "mandate.block_fund",
                value: "true",
                when: Cond::Eq("mandate.frequency", "ONETIME"),
            },
        ),
        rule(
            "rule-type-not-for-onetime-daily-aspresented",
            "mandate.rule_type must not be sent for ONETIME, DAILY or ASPRESENTED (the default) frequencies",
            Source::seed(
                TPAP_SDK,
                "5. UPI Onboarding and Mandate Creation > Request Payload > Mandate.rule_type",
            ),
            Cross::AbsentUnless {
                field: "mandate.rule_type",
                when: Cond::NotIn("mandate.frequency", NO_RECURRENCE_RULE),
            },
        ),
        rule(
            "rule-value-not-for-onetime-daily-aspresented",
            "mandate.rule_value must not be sent for ONETIME, DAILY or ASPRESENTED (the default) frequencies",
            Source::seed(
                TPAP_SDK,
                "5. UPI Onboarding and Mandate Creation > Request Payload > Mandate.rule_value",
            ),
            Cross::AbsentUnless {
                field: "mandate.rule_value",
                when: Cond::NotIn("mandate.frequency", NO_RECURRENCE_RULE),
            },
        ),
        rule(
            "start-before-end",
            "mandate.start_date must be before mandate.end_date",
            Source::seed(
                TPAP_SDK,
                "5. UPI Onboarding and Mandate Creation > Request Payload > Mandate.start_date",
            ),
            Cross::Before {
                earlier: "mandate.start_date",
                later: "mandate.end_date",
            },
        ),
    ]
}

/// A `should` rule: `field` is `false` only for a ONETIME mandate. Seed 002 says of
/// PayerRevocable and ShareToPayee "For onetime mandate it can be true or false. Default value
/// is true.", which implies, without stating it, that any other mandate holds the default.
fn default_true_unless_onetime(name: &'static str, field_name: &'static str) -> crate::model::CrossRule {
    crate::model::CrossRule {
        severity: crate::rule::Severity::Should,
        ..rule(
            name,
            match field_name {
                "payerRevocable" => {
                    "payerRevocable is false only for a ONETIME mandate (any other mandate holds the default true)"
                }
                _ => "shareToPayee is false only for a ONETIME mandate (any other mandate holds the default true)",
            },
            Source::derived(
                "seed 002 mandate response, PayerRevocable and ShareToPayee: \"For onetime mandate it can be true or false. Default value is true.\" That a recurring mandate holds the default true is implied, not stated (docs/RELATIONS.md), so a should",
            ),
            Cross::ValueOnlyWhen {
                field: field_name,
                value: "false",
                when: Cond::Eq("recurrencePattern", "ONETIME"),
            },
        )
    }
}

/// The `mandate` object of a mandate-creation response.
pub(super) fn mandate_response() -> Field {
    let role_rule = |name, statement, field_name, when| {
        rule(
            name,
            statement,
            RESP,
            Cross::AbsentUnless {
                field: field_name,
                when,
            },
        )
    };
    let fields = vec![
        field("amount").format(Format::Amount2dp).src(RESP).seed_name("Amount"),
        field("amountRule")
            .one_of(&["FIXED", "VARIABLE"])
            .src(RESP)
            .seed_name("AmountRule"),
        field("blockFund")
            .format(Format::BoolString)
            .src(RESP)
            .seed_name("BlockFund")
            .doc("typed Boolean in the table, a string in both samples"),
        field("expiry")
            .format(Format::IsoTimestampIst)
            .src(RESP)
            .seed_name("Expiry"),
        field("gatewayMandateId").src(RESP).seed_name("GatewayMandateId"),
        field("gatewayReferenceId")
            .charset(DIGITS)
            .src(RESP)
            .seed_name("GatewayReferenceId")
            .doc("RRN"),
        field("gatewayResponseCode").src(RESP).seed_name("GatewayResponseCode"),
        field("gatewayResponseMessage")
            .src(RESP)
            .seed_name("GatewayResponseMessage"),
        field("gatewayResponseStatus")
            .src(RESP)
            .seed_name("GatewayResponseStatus"),
        field("initiatedBy")
            .one_of(&["PAYER", "PAYEE"])
            .src(RESP)
            .seed_name("InitiatedBy"),
        field("mandateName").src(RESP).seed_name("MandateName"),
        field("mandateTimestamp")
            .format(Format::IsoTimestampIst)
            .src(RESP)
            .seed_name("MandateTimestamp"),
        field("merchantCustomerId").src(SAMPLE).doc("only in the sample"),
        field("merchantRequestId").src(SAMPLE).doc("only in the sample"),
        field("orgMandateId").src(RESP).seed_name("OrgMandateId"),
        field("payeeMcc").format(Format::Mcc).src(RESP).seed_name("PayeeMcc"),
        field("payeeName").src(RESP).seed_name("PayeeName"),
        field("payeeVpa").format(Format::Vpa).src(RESP).seed_name("PayeeVpa"),
        field("payerName").src(RESP).seed_name("PayerName"),
        field("payerRevocable")
            .format(Format::BoolString)
            .src(RESP)
            .seed_name("PayerRevocable"),
        field("payerVpa").format(Format::Vpa).src(RESP).seed_name("PayerVpa"),
        field("recurrencePattern")
            .one_of(FREQUENCIES)
            .src(RESP)
            .seed_name("RecurrencePattern"),
        field("recurrenceRule")
            .one_of(&["ON", "BEFORE", "AFTER"])
            .src(RESP)
            .seed_name("RecurrenceRule"),
        field("recurrenceValue")
            .format(Format::DayOfMonth)
            .src(RESP)
            .seed_name("RecurrenceValue"),
        field("refUrl").src(RESP).seed_name("RefUrl"),
        field("remarks").src(RESP).seed_name("Remarks"),
        field("role").one_of(&["PAYER", "PAYEE"]).src(RESP).seed_name("Role"),
        field("shareToPayee")
            .format(Format::BoolString)
            .src(RESP)
            .seed_name("ShareToPayee"),
        field("transactionType").src(RESP).seed_name("TransactionType"),
        field("umn").format(Format::Vpa).src(RESP).seed_name("Umn"),
        field("validityEnd")
            .format(Format::DateSlashYmd)
            .src(RESP)
            .seed_name("ValidityEnd"),
        field("validityStart")
            .format(Format::DateSlashYmd)
            .src(RESP)
            .seed_name("ValidityStart"),
    ];
    let rules = vec![
        role_rule(
            "expiry-only-when-payee-initiated",
            "expiry is present only when the mandate is initiated by PAYEE",
            "expiry",
            Cond::Eq("initiatedBy", "PAYEE"),
        ),
        role_rule(
            "payee-name-only-for-payer",
            "payeeName is present only when role is PAYER",
            "payeeName",
            Cond::Eq("role", "PAYER"),
        ),
        role_rule(
            "payer-name-only-for-payee",
            "payerName is present only when role is PAYEE",
            "payerName",
            Cond::Eq("role", "PAYEE"),
        ),
        role_rule(
            "umn-only-when-payer-initiated",
            "umn is sent only when the mandate is initiated by PAYER",
            "umn",
            Cond::Eq("initiatedBy", "PAYER"),
        ),
        role_rule(
            "recurrence-rule-not-for-onetime-daily-aspresented",
            "recurrenceRule is absent for ONETIME, DAILY and ASPRESENTED patterns",
            "recurrenceRule",
            Cond::NotIn("recurrencePattern", NO_RECURRENCE_RULE),
        ),
        role_rule(
            "recurrence-value-not-for-onetime-daily-aspresented",
            "recurrenceValue is absent for ONETIME, DAILY and ASPRESENTED patterns",
            "recurrenceValue",
            Cond::NotIn("recurrencePattern", NO_RECURRENCE_RULE),
        ),
        default_true_unless_onetime("payer-revocable-unless-onetime", "payerRevocable"),
        default_true_unless_onetime("share-to-payee-unless-onetime", "shareToPayee"),
    ];
    field("mandate")
        .item(Item::of(object(fields)).rules(rules))
        .src(RESP)
        .seed_name("Mandate")
}
