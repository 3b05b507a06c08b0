//! The upi-spec message models the server judges requests by and answers with.

use upi_spec::messages::ids;
use upi_spec::model::Message;

/// The model `id`. Every ID the server uses is a constant of this module, each the string of
/// upi-spec's declared [`ids`] (written once there), and a test proves upi-spec has each, so
/// the lookup cannot fail at run time.
pub fn get(id: &'static str) -> &'static Message {
    upi_spec::messages::find(id).unwrap_or_else(|| panic!("upi-spec has no model {id}"))
}

/// `POST /orders` request.
pub const EC_ORDERS_REQUEST: &str = ids::EC_ORDERS_REQUEST.as_str();
/// `POST /txns` request.
pub const EC_TXNS_REQUEST: &str = ids::EC_TXNS_REQUEST.as_str();
/// The flattened JWS body of registerIntent.
pub const JWS_ENVELOPE: &str = ids::MERCHANT_JWS_ENVELOPE.as_str();
/// `_payment` request.
pub const PAYU_PAYMENT_REQUEST: &str = ids::PAYU_PAYMENT_REQUEST.as_str();
/// `verify_payment` request.
pub const PAYU_VERIFY_REQUEST: &str = ids::PAYU_VERIFY_PAYMENT_REQUEST.as_str();
/// `udf_update` request.
pub const PAYU_UDF_UPDATE_REQUEST: &str = ids::PAYU_UDF_UPDATE_REQUEST.as_str();
/// `opgsp_upload_invoice_awb` request.
pub const PAYU_INVOICE_REQUEST: &str = ids::PAYU_INVOICE_UPLOAD_REQUEST.as_str();

/// `POST /orders` answer.
pub const EC_ORDERS_RESPONSE: &str = ids::EC_ORDERS_RESPONSE.as_str();
/// `POST /txns` answer.
pub const EC_TXNS_RESPONSE: &str = ids::EC_TXNS_RESPONSE.as_str();
/// The EC error answer (`/orders` and `/txns`).
pub const EC_TXNS_ERROR: &str = ids::EC_TXNS_ERROR.as_str();
/// `_payment` answer.
pub const PAYU_PAYMENT_RESPONSE: &str = ids::PAYU_PAYMENT_RESPONSE.as_str();
/// `_payment` refusal.
pub const PAYU_PAYMENT_ERROR: &str = ids::PAYU_PAYMENT_ERROR.as_str();
/// `verify_payment` answer (success and refusal).
pub const PAYU_VERIFY_RESPONSE: &str = ids::PAYU_VERIFY_PAYMENT_RESPONSE.as_str();
/// `udf_update` answer.
pub const PAYU_UDF_UPDATE_RESPONSE: &str = ids::PAYU_UDF_UPDATE_RESPONSE.as_str();
/// `udf_update` refusal.
pub const PAYU_UDF_UPDATE_ERROR: &str = ids::PAYU_UDF_UPDATE_ERROR.as_str();
/// `opgsp_upload_invoice_awb` answer (success and refusal).
pub const PAYU_INVOICE_RESPONSE: &str = ids::PAYU_INVOICE_UPLOAD_RESPONSE.as_str();
/// A postservice request no command can take.
pub const PAYU_POSTSERVICE_ERROR: &str = ids::PAYU_POSTSERVICE_ERROR.as_str();

/// The S2S callback (its fields, in order, are the callback's parameters).
pub const PAYU_CALLBACK: &str = ids::PAYU_CALLBACK.as_str();

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
    ids::REGISTER_INTENT_V3_REQUEST.as_str(),
    ids::REGISTER_INTENT_V2_REQUEST.as_str(),
    ids::REGISTER_INTENT_V1_REQUEST.as_str(),
    ids::REGISTER_INTENT_DEFAULT_REQUEST.as_str(),
    ids::REGISTER_INTENT_V3_RESPONSE.as_str(),
    ids::REGISTER_INTENT_V2_RESPONSE.as_str(),
    ids::REGISTER_INTENT_V1_RESPONSE.as_str(),
    ids::REGISTER_INTENT_DEFAULT_RESPONSE.as_str(),
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
