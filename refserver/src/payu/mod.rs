//! PayU (seed 004): `POST /_payment` (UPI intent S2S, `txn_s2s_flow=4`), the commands of
//! `POST /merchant/postservice.php?form=2` (`verify_payment`, `udf_update`,
//! `opgsp_upload_invoice_awb`), and the S2S callback sent when the sandbox completes a payment.

pub mod callback;
mod command_hash;
mod form_data;
mod intent;
mod invoice;
mod multipart;
pub mod payment;
pub mod postservice;
mod udf_update;
mod verify;

use std::collections::BTreeMap;

use serde_json::Value;
use upi_spec::input::Document;

/// The string fields of a form document, for the hash functions.
pub fn fields(document: &Document) -> BTreeMap<String, String> {
    string_fields(document)
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// [`fields`] taken out of the document (its names and values moved, not copied), for a caller
/// done with it: the payment a `_payment` request records keeps every posted field.
pub fn into_fields(document: Document) -> BTreeMap<String, String> {
    let Value::Object(body) = document.body else {
        return BTreeMap::new();
    };
    body.into_iter()
        .filter_map(|(k, v)| match v {
            Value::String(s) => Some((k, s)),
            _ => None,
        })
        .collect()
}

/// The string fields of a form document as borrowed `(name, value)` pairs, in the order posted.
pub fn string_fields(document: &Document) -> impl Iterator<Item = (&str, &str)> {
    document
        .body
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| v.as_str().map(|s| (k.as_str(), s)))
}

/// `status: 0` with a message: the failure shape of `verify_payment` and `udf_update`.
pub fn status_zero(msg: &str) -> Value {
    serde_json::json!({"status": 0, "msg": msg})
}

/// [`status_zero`] for a refusal: `rule_ids` names every rule the request broke (an extra field
/// beside PayU's `status` and `msg`).
pub fn refused_zero(msg: &str, refusal: &crate::judge::Refusal) -> Value {
    serde_json::json!({"status": 0, "msg": msg, "rule_ids": refusal.rule_ids()})
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Moving the fields out keeps exactly what copying them keeps: the string fields, not the
    /// others, and nothing for a body that is not an object.
    #[test]
    fn into_fields_is_fields_moved() {
        let bodies = [
            json!({"txnid": "t1", "amount": "10.00", "udf1": "", "n": 3, "o": {"a": "b"}, "l": ["x"], "z": null}),
            json!({"hash": "ab", "key": "k"}),
            json!({}),
            json!(["txnid", "t1"]),
            json!("txnid=t1"),
        ];
        for body in bodies {
            let document = Document::body(body.clone());
            assert_eq!(into_fields(document.clone()), fields(&document), "body {body}");
        }
    }
}
