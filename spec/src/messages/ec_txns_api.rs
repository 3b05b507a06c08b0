//! The EC `/txns` API's facts, and those of `/orders` it needs first (its messages are in
//! `ec_txns.rs` and `ec_orders.rs`).

use super::ids;
use crate::id::MessageId;
use crate::model::api::{
    AnswerRelation, Api, ContextField, Credential, DeeplinkIn, Derivation, Flow, Operation, Place, Refusal, Service,
};

/// An EC endpoint: refused with a 4xx in seed 001's `ec.txns.error` shape, `error_code` saying
/// why.
fn ec(request: MessageId, success: MessageId, context: Vec<ContextField>, deeplink: Option<DeeplinkIn>) -> Operation {
    Operation {
        variant: "",
        request,
        success,
        error: ids::EC_TXNS_ERROR,
        unroutable_error: None,
        refusal: Refusal::CLIENT_ERROR,
        reason_code: Some("/error_code"),
        context,
        deeplink,
        signed_response: false,
        security_cases: true,
        refusal_never: None,
        missing_field_refusal: None,
    }
}

fn body(field: &'static str, derivation: Derivation) -> ContextField {
    ContextField {
        at: Place::Body(field),
        derivation,
    }
}

/// `/txns`: pays an existing order. Its setup endpoint `/orders` creates that order (HTTP
/// Basic with the API key).
pub(super) fn api() -> Api {
    let orders = ec(
        ids::EC_ORDERS_REQUEST,
        ids::EC_ORDERS_RESPONSE,
        vec![
            body("order_id", Derivation::UniqueId { prefix: "ORD", len: 20 }),
            body("customer_id", Derivation::Config(Credential::EcCustomerId)),
            ContextField {
                at: Place::Header("authorization"),
                derivation: Derivation::BasicAuth(Credential::EcApiKey),
            },
        ],
        None,
    );
    let txns = ec(
        ids::EC_TXNS_REQUEST,
        ids::EC_TXNS_RESPONSE,
        vec![
            body("order_id", Derivation::ExistingOrder),
            body("merchant_id", Derivation::Config(Credential::EcMerchantId)),
            ContextField {
                at: Place::Header("x-routing-id"),
                derivation: Derivation::Config(Credential::EcCustomerId),
            },
        ],
        Some(DeeplinkIn::Mapped),
    );
    Api {
        suite: "ec-txns",
        service: Service::EC,
        operations: vec![txns],
        creates_payment: false,
        setup: vec![orders],
        versioned: false,
        flows: &[
            Flow::OrderTxnsDeeplink,
            Flow::UnknownOrderRejected,
            Flow::FormatRedirect,
        ],
        answer_relations: &[AnswerRelation::EcTxnsFreshPending],
    }
}
