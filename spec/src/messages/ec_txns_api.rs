//! The EC `/txns` API's facts, and those of `/orders` it needs first (its messages are in `ec_txns.rs` and `ec_orders.rs`).

use super::ids;
use crate::model::api::{Api, ContextField, Credential, DeeplinkIn, Derivation, Endpoint, Place, Refusal, Service};

/// `/orders`: creates the order a `/txns` request pays (HTTP Basic with the API key); refused
/// with a 4xx in the same `ec.txns.error` shape as `/txns`.
fn orders() -> Endpoint {
    Endpoint {
        variant: "",
        request: ids::EC_ORDERS_REQUEST,
        success: ids::EC_ORDERS_RESPONSE,
        error: ids::EC_TXNS_ERROR,
        unroutable_error: None,
        refusal: Refusal::CLIENT_ERROR,
        reason_code: Some("/error_code"),
        context: vec![
            ContextField {
                at: Place::Body("order_id"),
                derivation: Derivation::UniqueId { prefix: "ORD", len: 20 },
            },
            ContextField {
                at: Place::Body("customer_id"),
                derivation: Derivation::Config(Credential::EcCustomerId),
            },
        ],
        deeplink: None,
        signed_response: false,
    }
}

/// `/txns`: pays an existing order; refused with a 4xx in the `ec.txns.error` shape.
pub(super) fn api() -> Api {
    Api {
        suite: "ec-txns",
        service: Service::Ec,
        endpoints: vec![Endpoint {
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
        }],
        creates_payment: false,
        setup: vec![orders()],
    }
}
