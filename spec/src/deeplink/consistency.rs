//! The consistency check between an API response and a deeplink (the one an implementation
//! returned, or one built from the response): every parameter the mapping takes from the
//! response has the same value in the link. Amounts compare as numbers (`1` equals `1.00`;
//! the two-decimal form is `deeplink.pay.am.format`'s business), everything else exactly.

use serde_json::Value;

use crate::rule::Violation;

use super::key::Key;
use super::link::Deeplink;
use super::mapping::{self, MappingError, MessageId};
use super::rules::{self, ConsistencyRule};
use super::scan::show;
use super::table::paise;

fn agree(key: Key, expected: &str, actual: &str) -> bool {
    if key == Key::Am {
        if let (Some(e), Some(a)) = (paise(expected), paise(actual)) {
            return e == a;
        }
    }
    expected == actual
}

fn compare(rule: ConsistencyRule, at: String, key: Key, expected: &str, link: &Deeplink<'_>, out: &mut Vec<Violation>) {
    let reason = match link.get(key) {
        Some(actual) if agree(key, expected, actual) => return,
        Some(actual) => format!(
            "deeplink `{}` is {} but the response says {}",
            key.wire(),
            show(actual),
            show(expected)
        ),
        None => format!("deeplink has no `{}`; the response says {}", key.wire(), show(expected)),
    };
    out.push(Violation {
        rule: rule.id.to_string(),
        severity: rule.severity,
        at,
        reason,
    });
}

/// Checks that `link` carries the values `response` (a message of kind `message`) maps to.
/// Parameters the mapping does not take from the response (such as `tn` for seed 001) are not
/// judged here; `deeplink::parse` judges their form.
pub fn check(message: MessageId, response: &Value, link: &Deeplink<'_>) -> Result<Vec<Violation>, MappingError> {
    let mut out = Vec::new();
    match mapping::table(message) {
        Some((base, rows)) => {
            let obj = mapping::object_at(response, base)?;
            for row in rows {
                if let Some((name, Value::String(expected))) = mapping::field(obj, row) {
                    if let Some(rule) = rules::consistency_rule(row.key) {
                        compare(rule, format!("{base}.{name}"), row.key, expected, link, &mut out);
                    }
                }
            }
            if message == MessageId::EcTxns {
                compare(rules::C_CU, "(constant cu=INR)".into(), Key::Cu, "INR", link, &mut out);
            }
        }
        None => {
            let mapped = mapping::map_response(message, response)?;
            for (key, expected) in mapped.deeplink.known() {
                if let Some(rule) = rules::consistency_rule(key) {
                    let at = format!("{} {}", mapping::INTENT_URI_DATA, key.wire());
                    compare(rule, at, key, expected, link, &mut out);
                }
            }
            let result = response.get("result");
            let cross = [
                ("merchantVpa", Key::Pa, rules::C_PAYU_PA),
                ("amount", Key::Am, rules::C_PAYU_AM),
                ("merchantName", Key::Pn, rules::C_PAYU_PN),
                ("paymentId", Key::Tr, rules::C_PAYU_TR),
            ];
            for (field, key, rule) in cross {
                if let Some(expected) = result.and_then(|r| r.get(field)).and_then(Value::as_str) {
                    compare(rule, format!("result.{field}"), key, expected, link, &mut out);
                }
            }
        }
    }
    Ok(out)
}
