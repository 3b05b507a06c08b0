//! The response-to-deeplink mappings of the seeds, selected by message ID:
//!
//! | message ID | source | mapping |
//! |---|---|---|
//! | `ec.txns.response` | seed 001 | `payment.sdk_params` fields to `upi://pay`, `tid` optional, `cu=INR` |
//! | `merchant.register-intent.v3.response` | seed 003 V3 | the V3 table (adds `purpose`, `mode`) |
//! | `merchant.register-intent.v2.response` (`v1`, `default`) | seed 003 | the V2/V1/Default table |
//! | `payu.payment.response` | seed 004 | `upi://pay?` + `result.intentURIData` |
//!
//! Values are borrowed from the JSON document. A Mandatory field that is missing is reported
//! (`deeplink.mapping.missing-field`) and its parameter left out, so a link can still be built
//! and checked.

use std::borrow::Cow;

use serde_json::Value;
use thiserror::Error;

use crate::rule::Violation;

use super::error::DeeplinkError;
use super::key::Key;
use super::link::{Deeplink, Target};
use super::parse::parse_intent_uri_data;
use super::rules;

/// Which API response a mapping reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageId {
    /// Juspay EC `POST /txns` response (seed 001).
    EcTxns,
    /// Juspay Merchant Stack registerIntent response, per API version (seed 003).
    RegisterIntent(Version),
    /// PayU S2S `_payment` response (seed 004).
    PayuPayment,
}

/// registerIntent API versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// V3: the table adds `purpose` and `TxnInitiationMode` → `mode`.
    V3,
    /// V2.
    V2,
    /// V1.
    V1,
    /// Default.
    Default,
}

impl MessageId {
    /// Every message ID with a mapping, as the CLI accepts them.
    pub const IDS: [&'static str; 6] = [
        "ec.txns.response",
        "merchant.register-intent.v3.response",
        "merchant.register-intent.v2.response",
        "merchant.register-intent.v1.response",
        "merchant.register-intent.default.response",
        "payu.payment.response",
    ];

    /// The message with this ID.
    pub fn from_id(id: &str) -> Result<Self, MappingError> {
        Ok(match id {
            "ec.txns.response" => MessageId::EcTxns,
            "merchant.register-intent.v3.response" => MessageId::RegisterIntent(Version::V3),
            "merchant.register-intent.v2.response" => MessageId::RegisterIntent(Version::V2),
            "merchant.register-intent.v1.response" => MessageId::RegisterIntent(Version::V1),
            "merchant.register-intent.default.response" => MessageId::RegisterIntent(Version::Default),
            "payu.payment.response" => MessageId::PayuPayment,
            other => return Err(MappingError::UnknownMessage(other.to_string())),
        })
    }
}

/// Why no deeplink can be made from a response.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MappingError {
    /// The message ID has no deeplink mapping.
    #[error("no deeplink mapping for message {0:?}; known: {ids}", ids = MessageId::IDS.join(", "))]
    UnknownMessage(String),
    /// The object the mapping reads is missing or not an object.
    #[error("{rule} at {path}: missing or not a JSON object", rule = rules::MAPPING_MISSING.id)]
    NotAnObject {
        /// Dotted path of the object.
        path: &'static str,
    },
    /// PayU's `intentURIData` is missing or not a string.
    #[error("{rule} at {path}: missing or not a string", rule = rules::MAPPING_MISSING.id)]
    MissingField {
        /// Dotted path of the field.
        path: &'static str,
    },
    /// PayU's `intentURIData` is not a query at all.
    #[error("result.intentURIData: {0}")]
    IntentUriData(#[from] DeeplinkError),
}

/// How the mapping table marks a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Must be in the response.
    Mandatory,
    /// Mapped when present.
    Optional,
    /// Mapped when present (the table says Conditional without naming the condition).
    Conditional,
}

/// One row of a mapping table: response field (first name found wins) to parameter.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// The response field's names, preferred first.
    pub fields: &'static [&'static str],
    /// The deeplink parameter.
    pub key: Key,
    /// The table's Type column.
    pub presence: Presence,
}

const fn row(fields: &'static [&'static str], key: Key, presence: Presence) -> Row {
    Row { fields, key, presence }
}

use Presence::{Conditional, Mandatory, Optional};

/// Seed 001: `payment.sdk_params` to `upi://pay` (the Format line; note 2 makes `tid` optional).
pub const EC_TXNS: &[Row] = &[
    row(&["tr"], Key::Tr, Mandatory),
    row(&["tid"], Key::Tid, Optional),
    row(&["merchant_vpa"], Key::Pa, Mandatory),
    row(&["mcc"], Key::Mc, Mandatory),
    row(&["merchant_name"], Key::Pn, Mandatory),
    row(&["amount"], Key::Am, Mandatory),
];

/// Seed 003, V2, V1 and Default tables.
pub const REGISTER_INTENT: &[Row] = &[
    row(&["payeeVpa"], Key::Pa, Mandatory),
    row(&["payeeName"], Key::Pn, Mandatory),
    row(&["payeeMcc"], Key::Mc, Mandatory),
    row(&["gatewayTransactionId"], Key::Tid, Mandatory),
    row(&["orderId"], Key::Tr, Mandatory),
    row(&["amount"], Key::Am, Mandatory),
    row(&["currency"], Key::Cu, Mandatory),
    row(&["remarks"], Key::Tn, Optional),
    row(&["refUrl"], Key::Url, Optional),
    row(&["refCategory"], Key::Category, Optional),
];

/// Seed 003, V3 table: V2's rows plus `purpose` and `mode`.
pub const REGISTER_INTENT_V3: &[Row] = &[
    row(&["payeeVpa"], Key::Pa, Mandatory),
    row(&["payeeName"], Key::Pn, Mandatory),
    row(&["payeeMcc"], Key::Mc, Mandatory),
    row(&["gatewayTransactionId"], Key::Tid, Mandatory),
    row(&["orderId"], Key::Tr, Mandatory),
    row(&["amount"], Key::Am, Mandatory),
    row(&["currency"], Key::Cu, Mandatory),
    row(&["remarks"], Key::Tn, Optional),
    row(&["refUrl"], Key::Url, Optional),
    row(&["purpose"], Key::Purpose, Conditional),
    row(
        &["TxnInitiationMode", "txnInitiationMode", "mode"],
        Key::Mode,
        Mandatory,
    ),
    row(&["refCategory"], Key::Category, Optional),
];

/// The table and the object it reads, for the Juspay mappings.
pub fn table(message: MessageId) -> Option<(&'static str, &'static [Row])> {
    match message {
        MessageId::EcTxns => Some(("payment.sdk_params", EC_TXNS)),
        MessageId::RegisterIntent(Version::V3) => Some(("payload", REGISTER_INTENT_V3)),
        MessageId::RegisterIntent(_) => Some(("payload", REGISTER_INTENT)),
        MessageId::PayuPayment => None,
    }
}

/// A deeplink made from a response, and what the response lacked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped<'v> {
    /// The link (values borrowed from the response where possible).
    pub deeplink: Deeplink<'v>,
    /// Missing Mandatory fields, and for PayU the violations inside `intentURIData`.
    pub violations: Vec<Violation>,
}

/// Looks up a dotted path of objects.
pub(crate) fn object_at<'v>(
    response: &'v Value,
    path: &'static str,
) -> Result<&'v serde_json::Map<String, Value>, MappingError> {
    path.split('.')
        .try_fold(response, |v, seg| v.get(seg))
        .and_then(Value::as_object)
        .ok_or(MappingError::NotAnObject { path })
}

/// The first of `row.fields` present in `obj`, with its name.
pub(crate) fn field<'v>(obj: &'v serde_json::Map<String, Value>, row: &Row) -> Option<(&'static str, &'v Value)> {
    row.fields.iter().find_map(|name| obj.get(*name).map(|v| (*name, v)))
}

/// Maps an API response to its deeplink.
pub fn map_response(message: MessageId, response: &Value) -> Result<Mapped<'_>, MappingError> {
    let Some((base, rows)) = table(message) else {
        return map_payu(response);
    };
    let obj = object_at(response, base)?;
    let mut link = Deeplink::new(Target::UpiPay);
    let mut violations = Vec::new();
    for row in rows {
        match field(obj, row) {
            Some((_, Value::String(s))) => {
                link.set(row.key, Cow::Borrowed(s.as_str()));
            }
            Some((name, other)) => violations.push(missing(
                base,
                name,
                format!("`{name}` is {other}, not a string; `{}` left out", row.key.wire()),
            )),
            None if row.presence == Mandatory => violations.push(missing(
                base,
                row.fields[0],
                format!(
                    "Mandatory `{}` is missing; `{}` left out",
                    row.fields[0],
                    row.key.wire()
                ),
            )),
            None => {}
        }
    }
    if message == MessageId::EcTxns {
        // Seed 001's Format line fixes `cu=INR`; sdk_params carries no currency.
        link.set(Key::Cu, "INR");
    }
    Ok(Mapped {
        deeplink: link,
        violations,
    })
}

fn missing(base: &str, name: &str, reason: String) -> Violation {
    Violation {
        rule: rules::MAPPING_MISSING.id.to_string(),
        severity: rules::MAPPING_MISSING.severity,
        at: format!("{base}.{name}"),
        reason,
    }
}

/// The path of PayU's query.
pub const INTENT_URI_DATA: &str = "result.intentURIData";

/// PayU's `result.intentURIData` string.
pub(crate) fn intent_uri_data(response: &Value) -> Result<&str, MappingError> {
    response
        .get("result")
        .and_then(|r| r.get("intentURIData"))
        .and_then(Value::as_str)
        .ok_or(MappingError::MissingField { path: INTENT_URI_DATA })
}

fn map_payu(response: &Value) -> Result<Mapped<'_>, MappingError> {
    let parsed = parse_intent_uri_data(intent_uri_data(response)?)?;
    let violations = parsed
        .violations
        .into_iter()
        .map(|mut v| {
            v.at = format!("{INTENT_URI_DATA} {}", v.at);
            v
        })
        .collect();
    Ok(Mapped {
        deeplink: parsed.deeplink,
        violations,
    })
}
