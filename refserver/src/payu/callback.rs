//! The S2S callback PayU posts to the merchant when a payment completes (seed 004 step 4,
//! model `payu.callback`): every one of the 49 parameters, unused ones empty, form-encoded,
//! authenticated by the reverse hash `salt|status||||||udf5|…|txnid|key`.

use std::collections::BTreeMap;

use upi_spec::crypto::payu_hash::{self, PayuHashError};
use upi_spec::crypto::payu_sequence::HashFamily;

use crate::config::PayuCredentials;
use crate::fault::Fault;
use crate::models;
use crate::store::{Payment, PaymentStatus};

/// The callback's parameters, in the seed's order.
pub fn parameters(
    payment: &Payment,
    payu: &PayuCredentials,
    fault: Option<&Fault>,
) -> Result<Vec<(&'static str, String)>, PayuHashError> {
    let success = payment.status == PaymentStatus::Success;
    let mut params: Vec<(&'static str, String)> = models::get(models::PAYU_CALLBACK)
        .body
        .fields
        .iter()
        .map(|field| {
            let name = field.key.label();
            let value = match name {
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
                other => payment.field(other).to_owned(),
            };
            (name, value)
        })
        .collect();
    let hashed: BTreeMap<String, String> = params.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
    let mut hash = payu_hash::compute(HashFamily::Response, &hashed, &payu.salt)?;
    if fault == Some(&Fault::WrongCallbackHash) {
        hash = flip_last_digit(&hash);
    }
    if let Some((_, value)) = params.iter_mut().find(|(k, _)| *k == "hash") {
        *value = hash;
    }
    Ok(params)
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
            let map: BTreeMap<String, String> = params.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
            let verdict = payu_hash::verify(HashFamily::Response, &map, &payu.salt, &map["hash"]);
            assert_eq!(verdict.is_ok(), ok);
        }
    }
}
