//! The PayU APIs' facts: `_payment` (messages in `payu_payment.rs`) and the postservice
//! commands (messages in `payu_postservice.rs`).

use super::ids;
use crate::model::api::{
    AnswerRelation, Api, BodyPredicate, ContextField, Credential, DeeplinkIn, Derivation, Flow, HashFamily, Operation,
    PinnedRefusal, Place, Refusal, Service,
};

/// An invoice upload with a mandatory field missing.
const INVOICE_FIELD_MISSING: PinnedRefusal = PinnedRefusal {
    status: None,
    code: Some("109"),
    source: "seed 004, invoice upload, Failure Scenarios",
    quote: "When a mandatory field is missing: { \"responseCode\":\"109\", \"responseMsg\":\"All fields are mandatory, please check!\" }",
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
        service: Service::PAYU,
        operations: vec![Operation {
            variant: "",
            request: ids::PAYU_PAYMENT_REQUEST,
            success: ids::PAYU_PAYMENT_RESPONSE,
            error: ids::PAYU_PAYMENT_ERROR,
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
            deeplink: Some(DeeplinkIn::IntentUriData),
            signed_response: false,
            security_cases: true,
            refusal_never: None,
            missing_field_refusal: None,
        }],
        creates_payment: true,
        setup: Vec::new(),
        versioned: false,
        flows: &[
            Flow::DuplicateTxnidRejected,
            Flow::CallbackVerifyUdf,
            Flow::UdfUpdatePersisted,
            Flow::ApiVersion7Hash,
            Flow::IntentTidUnique,
            Flow::UdfUpdateUnknownTxnid,
            Flow::InvoiceUnknownPayuid,
        ],
        answer_relations: &[AnswerRelation::PayuIntentAmount, AnswerRelation::PayuIntentPending],
    }
}

/// The postservice commands: verify_payment (refused with `status` 0), udf_update (refused
/// with `msg`) and the invoice upload (refused with a `responseCode` other than `00`). The
/// commands share one key and hash, so the security cases run once, on udf_update.
pub(super) fn postservice() -> Api {
    let command = |variant, request, success, error, var1, refusal, reason_code, pinned, security_cases| Operation {
        variant,
        request,
        success,
        error,
        unroutable_error: Some(ids::PAYU_POSTSERVICE_ERROR),
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
        deeplink: None,
        signed_response: false,
        security_cases,
        refusal_never: None,
        missing_field_refusal: pinned,
    };
    Api {
        suite: "payu-postservice",
        service: Service::PAYU,
        operations: vec![
            command(
                "verify-payment",
                ids::PAYU_VERIFY_PAYMENT_REQUEST,
                ids::PAYU_VERIFY_PAYMENT_RESPONSE,
                ids::PAYU_VERIFY_PAYMENT_RESPONSE,
                Derivation::ExistingPaymentTxnid,
                Refusal::or_ok_with(BodyPredicate::Equals("/status", "0")),
                None,
                None,
                false,
            ),
            command(
                "udf-update",
                ids::PAYU_UDF_UPDATE_REQUEST,
                ids::PAYU_UDF_UPDATE_RESPONSE,
                ids::PAYU_UDF_UPDATE_ERROR,
                Derivation::ExistingPaymentTxnid,
                Refusal::or_ok_with(BodyPredicate::Present("/msg")),
                None,
                None,
                true,
            ),
            command(
                "invoice-upload",
                ids::PAYU_INVOICE_UPLOAD_REQUEST,
                ids::PAYU_INVOICE_UPLOAD_RESPONSE,
                ids::PAYU_INVOICE_UPLOAD_RESPONSE,
                Derivation::ExistingPaymentId,
                Refusal::or_ok_with(BodyPredicate::NotEqual("/responseCode", "00")),
                // Seed 004 lists the invoice upload's failure codes (103, 105, 107, 109).
                Some("/responseCode"),
                Some(INVOICE_FIELD_MISSING),
                false,
            ),
        ],
        creates_payment: false,
        setup: Vec::new(),
        versioned: false,
        flows: &[],
        answer_relations: &[],
    }
}
