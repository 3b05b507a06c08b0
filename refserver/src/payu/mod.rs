//! PayU (seed 004): `POST /_payment` (UPI intent S2S, `txn_s2s_flow=4`), the commands of
//! `POST /merchant/postservice.php?form=2` (`verify_payment`, `udf_update`,
//! `opgsp_upload_invoice_awb`), and the S2S callback sent when the sandbox completes a payment.

pub mod callback;
mod command_hash;
mod form_data;
mod intent;
mod invoice;
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
