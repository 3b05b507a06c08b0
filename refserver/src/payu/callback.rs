//! The S2S callback PayU posts to the merchant when a payment completes (seed 004 step 4,
//! model `payu.callback`): every one of the 49 parameters, unused ones empty, form-encoded,
//! authenticated by the reverse hash `salt|status||||||udf5|…|txnid|key`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use upi_spec::crypto::payu_hash::{self, PayuHashError};
use upi_spec::crypto::payu_sequence::HashFamily;

use crate::config::PayuCredentials;
use crate::fault::Fault;
use crate::store::{Payment, PaymentStatus};
use crate::{models, reply};

/// The callback's parameters, in the seed's order.
///
/// Under `break-response-rule=RULE_ID` for a rule of `payu.callback`, the parameters break
/// exactly that rule ([`reply::as_model`]) before the reverse hash is computed over them, so the
/// hash still verifies; a rule of the `hash` parameter itself breaks the hashed parameters.
pub fn parameters(
    payment: &Payment,
    payu: &PayuCredentials,
    fault: Option<&Fault>,
) -> Result<Vec<(String, String)>, PayuHashError> {
    let success = payment.status == PaymentStatus::Success;
    let params: Map<String, Value> = models::get(models::PAYU_CALLBACK)
        .body
        .fields
        .iter()
        .map(|field| {
            let name = field.key.label();
            let value = match name {
                "mihpayid" if fault == Some(&Fault::CallbackMihpayidDiffers) => format!("{}0", payment.mihpayid),
                "mihpayid" => payment.mihpayid.clone(),
                "mode" => "UPI".to_owned(),
                "status" => payment.status.word().to_owned(),
                "unmappedstatus" => payment.status.unmapped().to_owned(),
                "bank_ref_no" => payment.bank_ref_no.clone(),
                "field9" if success => "Transaction Completed Successfully".to_owned(),
                "field9" => "Transaction Failed".to_owned(),
                "hash" | "card_token" | "card_no" | "card_hash" | "curl" | "offer" | "discount" | "offer_availed" => {
                    String::new()
                }
                n if n.starts_with("field") => String::new(),
                "amount" if fault == Some(&Fault::CallbackAmountDiffers) => {
                    upi_spec::amount::one_rupee_more(payment.field("amount"))
                }
                other => payment.field(other).to_owned(),
            };
            (name.to_owned(), Value::String(value))
        })
        .collect();
    let params = Value::Object(params);
    let clean_hash = payu_hash::compute(HashFamily::Response, &hashed(&params), &payu.salt)?;
    let hash_rule = fault
        .and_then(|f| f.broken_response_rule(models::PAYU_CALLBACK))
        .is_some_and(|rule| rule.starts_with("payu.callback.hash."));
    let (before_hash, after_hash) = if hash_rule { (None, fault) } else { (fault, None) };
    let mut params = reply::as_model(models::PAYU_CALLBACK, &params, before_hash);
    // A breach that empties or drops a hashed parameter leaves nothing to hash: the hash of the
    // parameters before the breach stands in.
    let mut hash = payu_hash::compute(HashFamily::Response, &hashed(&params), &payu.salt).unwrap_or(clean_hash);
    if fault == Some(&Fault::WrongCallbackHash) {
        hash = flip_last_digit(&hash);
    }
    if let Some(value) = params.get_mut("hash") {
        *value = Value::String(hash);
    }
    let params = reply::as_model(models::PAYU_CALLBACK, &params, after_hash);
    // A form carries text only: any other value a breach leaves goes as its JSON text.
    Ok(params
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
        .collect())
}

/// The text parameters of `params`, as the hash reads them.
fn hashed(params: &Value) -> BTreeMap<String, String> {
    params
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
        .collect()
}

/// The same hex text with its last digit changed.
fn flip_last_digit(hash: &str) -> String {
    let mut out = hash.to_owned();
    if let Some(last) = out.pop() {
        out.push(if last == '0' { '1' } else { '0' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ServerConfig;

    fn payment() -> Payment {
        let request = [
            ("key", "JPM7Fg"),
            ("txnid", "t1"),
            ("amount", "10.00"),
            ("productinfo", "Product"),
            ("firstname", "Asha"),
            ("email", "asha@example.com"),
            ("udf1", "u1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        Payment {
            mihpayid: "123".into(),
            request,
            status: PaymentStatus::Success,
            bank_ref_no: "99".into(),
        }
    }

    #[test]
    fn the_reverse_hash_verifies_unless_the_fault_is_on() {
        let payu = ServerConfig::test_defaults().payu;
        for (fault, ok) in [(None, true), (Some(&Fault::WrongCallbackHash), false)] {
            let params = parameters(&payment(), &payu, fault).unwrap();
            assert_eq!(params.len(), 49);
            let map: BTreeMap<String, String> = params.iter().cloned().collect();
            let verdict = payu_hash::verify(HashFamily::Response, &map, &payu.salt, &map["hash"]);
            assert_eq!(verdict.is_ok(), ok);
        }
    }

    #[test]
    fn a_broken_rule_breaks_the_callback_and_the_hash_still_verifies() {
        let payu = ServerConfig::test_defaults().payu;
        let model = models::get(models::PAYU_CALLBACK);
        for (rule, hash_verifies) in [
            ("payu.callback.status.enum", true),
            ("payu.callback.amount.format", true),
            ("payu.callback.udf1.required", true),
            ("payu.callback.hash.format", false),
        ] {
            let fault = Fault::BreakResponseRule(rule.into());
            let params = parameters(&payment(), &payu, Some(&fault)).unwrap();
            let map: BTreeMap<String, String> = params.iter().cloned().collect();
            let hash = map.get("hash").cloned().unwrap_or_default();
            let verdict = payu_hash::verify(HashFamily::Response, &map, &payu.salt, &hash);
            assert_eq!(verdict.is_ok(), hash_verifies, "{rule}: {verdict:?}");
            let body = Value::Object(map.into_iter().map(|(k, v)| (k, Value::String(v))).collect());
            let broken: Vec<String> =
                upi_spec::validate::validate(model, &upi_spec::input::Document { headers: None, body })
                    .into_iter()
                    .map(|v| v.rule)
                    .collect();
            assert_eq!(broken, [rule], "{rule}");
        }
    }
}
