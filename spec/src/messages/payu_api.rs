//! The PayU APIs' facts: `_payment` (messages in `payu_payment.rs`) and the postservice
//! commands (messages in `payu_postservice.rs`).

use crate::model::api::{
    Api, BodyPredicate, ContextField, Credential, Derivation, Endpoint, HashFamily, Place, Refusal, Service,
};

fn key() -> ContextField {
    ContextField {
        at: Place::Body("key"),
        derivation: Derivation::Config(Credential::PayuKey),
    }
}

/// `_payment`. The seed prints no `_payment` error; our `payu.payment.error` model reads a
/// refusal as HTTP 200 with `metaData.txnStatus = failed`, and a 4xx is a refusal too: both
/// readings are accepted.
pub(super) fn payment() -> Api {
    Api {
        suite: "payu-intent",
        service: Service::Payu,
        endpoints: vec![Endpoint {
            variant: "",
            request: "payu.payment.request",
            success: "payu.payment.response",
            error: "payu.payment.error",
            unroutable_error: None,
            refusal: Refusal::or_ok_with(BodyPredicate::Equals("/metaData/txnStatus", "failed")),
            reason_code: Some("/metaData/message"),
            context: vec![
                key(),
                ContextField {
                    at: Place::Body("txnid"),
                    derivation: Derivation::UniqueId { prefix: "upc", len: 20 },
                },
                ContextField {
                    at: Place::Body("hash"),
                    derivation: Derivation::PayuHash(HashFamily::Request),
                },
            ],
        }],
    }
}

/// The postservice commands: verify_payment (refused with `status` 0), udf_update (refused
/// with `msg`) and the invoice upload (refused with a `responseCode` other than `00`).
pub(super) fn postservice() -> Api {
    let command = |variant, request, success, error, var1, refusal, reason_code| Endpoint {
        variant,
        request,
        success,
        error,
        unroutable_error: Some("payu.postservice.error"),
        refusal,
        reason_code,
        context: vec![
            key(),
            ContextField {
                at: Place::Body("var1"),
                derivation: var1,
            },
            ContextField {
                at: Place::Body("hash"),
                derivation: Derivation::PayuHash(HashFamily::Command),
            },
        ],
    };
    Api {
        suite: "payu-postservice",
        service: Service::Payu,
        endpoints: vec![
            command(
                "verify-payment",
                "payu.verify-payment.request",
                "payu.verify-payment.response",
                "payu.verify-payment.response",
                Derivation::ExistingPaymentTxnid,
                Refusal::or_ok_with(BodyPredicate::Equals("/status", "0")),
                None,
            ),
            command(
                "udf-update",
                "payu.udf-update.request",
                "payu.udf-update.response",
                "payu.udf-update.error",
                Derivation::ExistingPaymentTxnid,
                Refusal::or_ok_with(BodyPredicate::Present("/msg")),
                None,
            ),
            command(
                "invoice-upload",
                "payu.invoice-upload.request",
                "payu.invoice-upload.response",
                "payu.invoice-upload.response",
                Derivation::ExistingPaymentId,
                Refusal::or_ok_with(BodyPredicate::NotEqual("/responseCode", "00")),
                // Seed 004 lists the invoice upload's failure codes (103, 105, 107, 109).
                Some("/responseCode"),
            ),
        ],
    }
}
