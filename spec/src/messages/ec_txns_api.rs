//! The EC `/txns` API's facts (its messages are in `ec_txns.rs` and `ec_orders.rs`).

use super::ids;
use crate::model::api::{
    Api, ContextField, Credential, DeeplinkIn, Derivation, Flow, Operation, Place, Refusal, Service,
};

/// `/txns`: pays an existing order; refused with a 4xx in the `ec.txns.error` shape.
pub(super) fn api() -> Api {
    Api {
        suite: "ec-txns",
        service: Service::Ec,
        operations: vec![Operation {
            variant: "",
            request: ids::EC_TXNS_REQUEST,
            success: ids::EC_TXNS_RESPONSE,
            error: ids::EC_TXNS_ERROR,
            unroutable_error: None,
            refusal: Refusal::CLIENT_ERROR,
            reason_code: Some("/error_code"),
            context: vec![
                ContextField {
                    at: Place::Body("order_id"),
                    derivation: Derivation::ExistingOrder,
                },
                ContextField {
                    at: Place::Body("merchant_id"),
                    derivation: Derivation::Config(Credential::EcMerchantId),
                },
                ContextField {
                    at: Place::Header("x-routing-id"),
                    derivation: Derivation::Config(Credential::EcCustomerId),
                },
            ],
            deeplink: Some(DeeplinkIn::Mapped),
            signed_response: false,
            security_cases: true,
            refusal_never: None,
            missing_field_refusal: None,
        }],
        creates_payment: false,
        versioned: false,
        flows: &[
            Flow::OrderTxnsDeeplink,
            Flow::UnknownOrderRejected,
            Flow::FormatRedirect,
        ],
    }
}
