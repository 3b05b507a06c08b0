//! The Merchant Stack registerIntent API's facts (its messages are in `register_intent.rs`).

use crate::model::api::{Api, BodyPredicate, ContextField, Credential, Derivation, Endpoint, Place, Refusal, Service};

/// registerIntent, one endpoint per API version. A refusal is a 4xx or an answer with
/// `status: FAILURE`; `responseCode` says why.
pub(super) fn api() -> Api {
    let version = |variant, request, success| Endpoint {
        variant,
        request,
        success,
        error: success,
        unroutable_error: None,
        refusal: Refusal::or_ok_with(BodyPredicate::Equals("/status", "FAILURE")),
        reason_code: Some("/responseCode"),
        context: vec![
            ContextField {
                at: Place::Body("merchantRequestId"),
                derivation: Derivation::UniqueId { prefix: "UPC", len: 24 },
            },
            ContextField {
                at: Place::Body("iat"),
                derivation: Derivation::NowMillis,
            },
            ContextField {
                at: Place::Header("x-merchant-id"),
                derivation: Derivation::Config(Credential::MerchantId),
            },
            ContextField {
                at: Place::Header("x-merchant-channel-id"),
                derivation: Derivation::Config(Credential::MerchantChannelId),
            },
            ContextField {
                at: Place::Header("x-timestamp"),
                derivation: Derivation::NowMillis,
            },
            ContextField {
                at: Place::Header("jpupi-routing-id"),
                derivation: Derivation::SameAs("merchantRequestId"),
            },
            ContextField {
                at: Place::Envelope,
                derivation: Derivation::Jws,
            },
        ],
    };
    Api {
        suite: "merchant-register-intent",
        service: Service::Merchant,
        endpoints: vec![
            version(
                "v3",
                "merchant.register-intent.v3.request",
                "merchant.register-intent.v3.response",
            ),
            version(
                "v2",
                "merchant.register-intent.v2.request",
                "merchant.register-intent.v2.response",
            ),
            version(
                "v1",
                "merchant.register-intent.v1.request",
                "merchant.register-intent.v1.response",
            ),
            version(
                "default",
                "merchant.register-intent.default.request",
                "merchant.register-intent.default.response",
            ),
        ],
    }
}
