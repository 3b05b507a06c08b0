//! The message IDs of the registry, one constant per message model, declared next to the
//! models. The test below checks both directions: each constant names a registered message,
//! and each registered message has a constant.

use crate::id::message_ids;

message_ids! {
    /// `ec.orders.request`.
    EC_ORDERS_REQUEST = "ec.orders.request";
    /// `ec.orders.response`.
    EC_ORDERS_RESPONSE = "ec.orders.response";
    /// `ec.txns.error`.
    EC_TXNS_ERROR = "ec.txns.error";
    /// `ec.txns.request`.
    EC_TXNS_REQUEST = "ec.txns.request";
    /// `ec.txns.response`.
    EC_TXNS_RESPONSE = "ec.txns.response";
    /// `merchant.jws-envelope`.
    MERCHANT_JWS_ENVELOPE = "merchant.jws-envelope";
    /// `merchant.register-intent.default.request`.
    REGISTER_INTENT_DEFAULT_REQUEST = "merchant.register-intent.default.request";
    /// `merchant.register-intent.default.response`.
    REGISTER_INTENT_DEFAULT_RESPONSE = "merchant.register-intent.default.response";
    /// `merchant.register-intent.v1.request`.
    REGISTER_INTENT_V1_REQUEST = "merchant.register-intent.v1.request";
    /// `merchant.register-intent.v1.response`.
    REGISTER_INTENT_V1_RESPONSE = "merchant.register-intent.v1.response";
    /// `merchant.register-intent.v2.request`.
    REGISTER_INTENT_V2_REQUEST = "merchant.register-intent.v2.request";
    /// `merchant.register-intent.v2.response`.
    REGISTER_INTENT_V2_RESPONSE = "merchant.register-intent.v2.response";
    /// `merchant.register-intent.v3.request`.
    REGISTER_INTENT_V3_REQUEST = "merchant.register-intent.v3.request";
    /// `merchant.register-intent.v3.response`.
    REGISTER_INTENT_V3_RESPONSE = "merchant.register-intent.v3.response";
    /// `payu.callback`.
    PAYU_CALLBACK = "payu.callback";
    /// `payu.invoice-upload.request`.
    PAYU_INVOICE_UPLOAD_REQUEST = "payu.invoice-upload.request";
    /// `payu.invoice-upload.response`.
    PAYU_INVOICE_UPLOAD_RESPONSE = "payu.invoice-upload.response";
    /// `payu.payment.error`.
    PAYU_PAYMENT_ERROR = "payu.payment.error";
    /// `payu.payment.request`.
    PAYU_PAYMENT_REQUEST = "payu.payment.request";
    /// `payu.payment.response`.
    PAYU_PAYMENT_RESPONSE = "payu.payment.response";
    /// `payu.postservice.error`.
    PAYU_POSTSERVICE_ERROR = "payu.postservice.error";
    /// `payu.udf-update.error`.
    PAYU_UDF_UPDATE_ERROR = "payu.udf-update.error";
    /// `payu.udf-update.request`.
    PAYU_UDF_UPDATE_REQUEST = "payu.udf-update.request";
    /// `payu.udf-update.response`.
    PAYU_UDF_UPDATE_RESPONSE = "payu.udf-update.response";
    /// `payu.verify-payment.request`.
    PAYU_VERIFY_PAYMENT_REQUEST = "payu.verify-payment.request";
    /// `payu.verify-payment.response`.
    PAYU_VERIFY_PAYMENT_RESPONSE = "payu.verify-payment.response";
    /// `payu.webhook`.
    PAYU_WEBHOOK = "payu.webhook";
    /// `tpap.create-mandate.request`.
    TPAP_CREATE_MANDATE_REQUEST = "tpap.create-mandate.request";
    /// `tpap.create-mandate.response`.
    TPAP_CREATE_MANDATE_RESPONSE = "tpap.create-mandate.response";
    /// `tpap.get-session-token.request`.
    TPAP_GET_SESSION_TOKEN_REQUEST = "tpap.get-session-token.request";
    /// `tpap.get-session-token.response`.
    TPAP_GET_SESSION_TOKEN_RESPONSE = "tpap.get-session-token.response";
    /// `tpap.onboarding-and-create-mandate.request`.
    TPAP_ONBOARDING_AND_CREATE_MANDATE_REQUEST = "tpap.onboarding-and-create-mandate.request";
    /// `tpap.onboarding-and-create-mandate.response`.
    TPAP_ONBOARDING_AND_CREATE_MANDATE_RESPONSE = "tpap.onboarding-and-create-mandate.response";
    /// `tpap.onboarding-and-pay.request`.
    TPAP_ONBOARDING_AND_PAY_REQUEST = "tpap.onboarding-and-pay.request";
    /// `tpap.onboarding-and-pay.response`.
    TPAP_ONBOARDING_AND_PAY_RESPONSE = "tpap.onboarding-and-pay.response";
    /// `tpap.onboarding.request`.
    TPAP_ONBOARDING_REQUEST = "tpap.onboarding.request";
    /// `tpap.onboarding.response`.
    TPAP_ONBOARDING_RESPONSE = "tpap.onboarding.response";
    /// `tpap.upi-txn.request`.
    TPAP_UPI_TXN_REQUEST = "tpap.upi-txn.request";
    /// `tpap.upi-txn.response`.
    TPAP_UPI_TXN_RESPONSE = "tpap.upi-txn.response";
    /// `tpap.signature-payload.session`.
    TPAP_SIGNATURE_PAYLOAD_SESSION = "tpap.signature-payload.session";
    /// `tpap.signature-payload.payment`.
    TPAP_SIGNATURE_PAYLOAD_PAYMENT = "tpap.signature-payload.payment";
    /// `tpap.signature-payload.mandate`.
    TPAP_SIGNATURE_PAYLOAD_MANDATE = "tpap.signature-payload.mandate";
}

#[cfg(test)]
mod tests {
    use super::DECLARED;

    #[test]
    fn every_declared_id_is_registered_and_every_message_declared() {
        for id in DECLARED {
            assert_eq!(id.message().id, id.as_str());
        }
        for m in crate::messages::all() {
            assert!(
                DECLARED.iter().any(|id| id.as_str() == m.id),
                "{} has no declared MessageId",
                m.id
            );
        }
        assert_eq!(DECLARED.len(), crate::messages::all().len());
    }
}
