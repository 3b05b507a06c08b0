//! The Merchant Stack registerIntent API's facts (its messages are in `register_intent.rs`).

use super::ids;
use crate::field_rules as rules;
use crate::model::api::{
    Api, BodyPredicate, ContextField, Contradiction, Credential, DeeplinkIn, Derivation, Flow, Operation, Place,
    Refusal, Service,
};

/// registerIntent, one operation per API version (`run --version` selects them). A refusal is
/// a 4xx or an answer with `status: FAILURE`; `responseCode` says why; a refusal saying
/// `status: SUCCESS` breaks the response's `status` rule.
pub(super) fn api() -> Api {
    let version = |variant, request, success, status_rule| Operation {
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
        deeplink: Some(DeeplinkIn::Mapped),
        signed_response: true,
        security_cases: true,
        refusal_never: Some(Contradiction {
            says: BodyPredicate::Equals("/status", "SUCCESS"),
            rule: status_rule,
        }),
        missing_field_refusal: None,
    };
    Api {
        suite: "merchant-register-intent",
        service: Service::MERCHANT,
        operations: vec![
            version(
                "v3",
                ids::REGISTER_INTENT_V3_REQUEST,
                ids::REGISTER_INTENT_V3_RESPONSE,
                rules::REGISTER_INTENT_V3_RESPONSE_STATUS_ENUM,
            ),
            version(
                "v2",
                ids::REGISTER_INTENT_V2_REQUEST,
                ids::REGISTER_INTENT_V2_RESPONSE,
                rules::REGISTER_INTENT_V2_RESPONSE_STATUS_ENUM,
            ),
            version(
                "v1",
                ids::REGISTER_INTENT_V1_REQUEST,
                ids::REGISTER_INTENT_V1_RESPONSE,
                rules::REGISTER_INTENT_V1_RESPONSE_STATUS_ENUM,
            ),
            version(
                "default",
                ids::REGISTER_INTENT_DEFAULT_REQUEST,
                ids::REGISTER_INTENT_DEFAULT_RESPONSE,
                rules::REGISTER_INTENT_DEFAULT_RESPONSE_STATUS_ENUM,
            ),
        ],
        creates_payment: false,
        setup: Vec::new(),
        versioned: true,
        flows: &[Flow::DuplicateRejected],
        answer_relations: &[],
    }
}
