//! The upi-spec message models the server judges requests by and answers with.

use upi_spec::model::Message;

/// The model `id`. Every ID the server uses is a constant of this module, and a test proves
/// upi-spec has each, so the lookup cannot fail at run time.
pub fn get(id: &'static str) -> &'static Message {
    upi_spec::messages::find(id).unwrap_or_else(|| panic!("upi-spec has no model {id}"))
}

/// `POST /orders` request.
pub const EC_ORDERS_REQUEST: &str = "ec.orders.request";
/// `POST /txns` request.
pub const EC_TXNS_REQUEST: &str = "ec.txns.request";
/// The flattened JWS body of registerIntent.
pub const JWS_ENVELOPE: &str = "merchant.jws-envelope";
/// `_payment` request.
pub const PAYU_PAYMENT_REQUEST: &str = "payu.payment.request";
/// `verify_payment` request.
pub const PAYU_VERIFY_REQUEST: &str = "payu.verify-payment.request";
/// `udf_update` request.
pub const PAYU_UDF_UPDATE_REQUEST: &str = "payu.udf-update.request";
/// `opgsp_upload_invoice_awb` request.
pub const PAYU_INVOICE_REQUEST: &str = "payu.invoice-upload.request";

/// `POST /orders` answer.
pub const EC_ORDERS_RESPONSE: &str = "ec.orders.response";
/// `POST /txns` answer.
pub const EC_TXNS_RESPONSE: &str = "ec.txns.response";
/// The EC error answer (`/orders` and `/txns`).
pub const EC_TXNS_ERROR: &str = "ec.txns.error";
/// `_payment` answer.
pub const PAYU_PAYMENT_RESPONSE: &str = "payu.payment.response";
/// `_payment` refusal.
pub const PAYU_PAYMENT_ERROR: &str = "payu.payment.error";
/// `verify_payment` answer (success and refusal).
pub const PAYU_VERIFY_RESPONSE: &str = "payu.verify-payment.response";
/// `udf_update` answer.
pub const PAYU_UDF_UPDATE_RESPONSE: &str = "payu.udf-update.response";
/// `udf_update` refusal.
pub const PAYU_UDF_UPDATE_ERROR: &str = "payu.udf-update.error";
/// `opgsp_upload_invoice_awb` answer (success and refusal).
pub const PAYU_INVOICE_RESPONSE: &str = "payu.invoice-upload.response";
/// A postservice request no command can take.
pub const PAYU_POSTSERVICE_ERROR: &str = "payu.postservice.error";

/// The S2S callback (its fields, in order, are the callback's parameters).
pub const PAYU_CALLBACK: &str = "payu.callback";

/// Every model ID the server looks up.
#[cfg(test)]
pub const ALL: [&str; 26] = [
    PAYU_CALLBACK,
    EC_ORDERS_RESPONSE,
    EC_TXNS_RESPONSE,
    EC_TXNS_ERROR,
    PAYU_PAYMENT_RESPONSE,
    PAYU_PAYMENT_ERROR,
    PAYU_VERIFY_RESPONSE,
    PAYU_UDF_UPDATE_RESPONSE,
    PAYU_UDF_UPDATE_ERROR,
    PAYU_INVOICE_RESPONSE,
    PAYU_POSTSERVICE_ERROR,
    EC_ORDERS_REQUEST,
    EC_TXNS_REQUEST,
    JWS_ENVELOPE,
    PAYU_PAYMENT_REQUEST,
    PAYU_VERIFY_REQUEST,
    PAYU_UDF_UPDATE_REQUEST,
    PAYU_INVOICE_REQUEST,
    "merchant.register-intent.v3.request",
    "merchant.register-intent.v2.request",
    "merchant.register-intent.v1.request",
    "merchant.register-intent.default.request",
    "merchant.register-intent.v3.response",
    "merchant.register-intent.v2.response",
    "merchant.register-intent.v1.response",
    "merchant.register-intent.default.response",
];

#[cfg(test)]
mod tests {
    #[test]
    fn every_model_the_server_uses_exists() {
        for id in super::ALL {
            assert!(upi_spec::messages::find(id).is_some(), "{id}");
        }
    }
}
