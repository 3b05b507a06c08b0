//! Typed handles ([`RuleId`](crate::id::RuleId)) for the rules the conformance runner reports by
//! name. Each rule's ID string is declared once, next to its rule (`behaviour::ids`,
//! `crypto::jws::ids`, `crypto::payu_hash::ids`, the deeplink rule table, the message models'
//! field rules); this module only gives the runner a typed handle to it, and the test below
//! checks that every handle names a rule of the catalogue.

use crate::crypto::{jws, payu_hash};
use crate::deeplink::rules as link;
use crate::id::RuleId;
#[allow(unused_imports)]
use crate::id::rule_ids;

pub use crate::behaviour::ids as behaviour;

/// Signature and hash rules.
pub mod crypto {
    use super::*;
    rule_ids! {
        /// `alg: none` is refused.
        JWS_ALG_NONE = jws::ids::ALG_NONE;
        /// HMAC algorithms are refused.
        JWS_ALG_HMAC = jws::ids::ALG_HMAC;
        /// `kid` names a known key.
        JWS_KID_UNKNOWN = jws::ids::KID_UNKNOWN;
        /// `iat` is fresh.
        JWS_IAT_STALE = jws::ids::IAT_STALE;
        /// Segments are unpadded base64url.
        JWS_BASE64URL = jws::ids::BASE64URL;
        /// The signature verifies.
        JWS_SIGNATURE = jws::ids::SIGNATURE;
        /// A `_payment` request hash matches.
        PAYU_REQUEST_HASH = payu_hash::ids::REQUEST_MISMATCH;
        /// A response (callback) hash matches.
        PAYU_RESPONSE_HASH = payu_hash::ids::RESPONSE_MISMATCH;
        /// A postservice command hash matches.
        PAYU_COMMAND_HASH = payu_hash::ids::COMMAND_MISMATCH;
    }
}

/// Deeplink rules.
pub mod deeplink {
    use super::*;
    rule_ids! {
        /// The link is a URI.
        SYNTAX_URI = link::URI.id;
        /// The link's `am` agrees with the response's amount.
        CONSISTENCY_AM = link::C_AM.id;
        /// The object or field a response-to-deeplink mapping reads is present.
        MAPPING_MISSING = link::MAPPING_MISSING.id;
    }
}

/// The `<request>.accepted` rules the flows name (declared for every request with an endpoint
/// by [`crate::behaviour::accepted`]; the test checks these handles agree with it).
pub mod accepted {
    use super::*;
    rule_ids! {
        /// A valid EC `/txns` request is accepted.
        EC_TXNS = "ec.txns.request.accepted";
        /// A valid PayU `_payment` request is accepted.
        PAYU_PAYMENT = "payu.payment.request.accepted";
        /// A valid PayU udf_update request is accepted.
        PAYU_UDF_UPDATE = "payu.udf-update.request.accepted";
    }
}

/// Field rules of the message models the runner's flows name (declared in
/// [`crate::field_rules`], which depends on nothing, so the models' API facts can name them).
pub use crate::field_rules as field;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    #[test]
    fn every_handle_names_a_catalogued_rule() {
        let catalogue: BTreeSet<String> = crate::catalogue::all().into_iter().map(|r| r.id).collect();
        let handles = [
            super::behaviour::DECLARED,
            super::accepted::DECLARED,
            super::crypto::DECLARED,
            super::deeplink::DECLARED,
            super::field::DECLARED,
            super::client::DECLARED,
        ];
        for id in handles.iter().flat_map(|d| d.iter()) {
            assert!(catalogue.contains(id.as_str()), "{id} is not in the catalogue");
        }
        use crate::messages::ids as m;
        for (request, handle) in [
            (m::EC_TXNS_REQUEST, super::accepted::EC_TXNS),
            (m::PAYU_PAYMENT_REQUEST, super::accepted::PAYU_PAYMENT),
            (m::PAYU_UDF_UPDATE_REQUEST, super::accepted::PAYU_UDF_UPDATE),
        ] {
            assert_eq!(crate::behaviour::accepted(request), Some(handle));
        }
    }
}

/// The rules of the client-side suites (`tpap`, `client-test`): an implementation's behaviour
/// as a client or an SDK shim, judged by the conformance crate's own suites. Their statements,
/// severities and grounding are in [`crate::client_suites`], part of the catalogue.
pub mod client {
    use super::*;
    rule_ids! {
        /// TPAP: a valid request is accepted (`error: false`, a non-FAILURE status).
        TPAP_ACCEPTS_VALID = "tpap.process.accepts-valid";
        /// TPAP: the answer repeats the request's `requestId`.
        TPAP_PAIR_REQUEST_ID = "tpap.pairing.request-id";
        /// TPAP: the answer's `orderId` is the signed `order_id`.
        TPAP_PAIR_ORDER_ID = "tpap.pairing.order-id";
        /// TPAP: the answer's `udfParameters` is the request's, as passed.
        TPAP_PAIR_UDF = "tpap.pairing.udf-parameters";
        /// TPAP: the shim answered with a protocol object in time.
        TPAP_SHIM_PROTOCOL = "tpap.shim.protocol";
        /// TPAP: the shim registers the merchant key on hello.
        TPAP_SHIM_HELLO = "tpap.shim.hello";
        /// Merchant callback: a callback whose reverse hash verifies marks the order paid.
        CALLBACK_ACCEPTS_VALID = "merchant.payu.callback.accepts-valid";
        /// Merchant callback: a callback whose reverse hash does not verify changes nothing.
        CALLBACK_VERIFIES_HASH = "merchant.payu.callback.verifies-reverse-hash";
        /// Merchant callback: a callback for another amount does not mark the order paid.
        CALLBACK_CHECKS_AMOUNT = "merchant.payu.callback.checks-amount";
        /// Merchant callback: a callback for an unknown txnid changes nothing.
        CALLBACK_UNKNOWN_TXNID = "merchant.payu.callback.ignores-unknown-txnid";
        /// Merchant callback: a repeated callback fulfils the order once.
        CALLBACK_IDEMPOTENT = "merchant.payu.callback.idempotent";
        /// Merchant callback: a replayed callback fulfils nothing again.
        CALLBACK_REPLAY = "merchant.payu.callback.replay-protection";
        /// Merchant callback: a callback that lands while the merchant's own payment request is in
        /// flight is kept (the order ends paid).
        CALLBACK_BEFORE_ANSWER = "merchant.payu.callback.before-payment-answer";
        /// Merchant callback: marks the evidence as the HTTP status only.
        CALLBACK_WEAK_EVIDENCE = "merchant.payu.callback.evidence-http-status-only";
        /// Merchant Stack client: accepts an answer whose signature verifies.
        CLIENT_ACCEPTS_VALID = "merchant.juspay.register-intent.client.accepts-valid";
        /// Merchant Stack client: refuses an answer whose `x-response-signature` does not verify.
        CLIENT_VERIFIES_SIGNATURE = "merchant.juspay.register-intent.client.verifies-response-signature";
    }
}

/// The rules a flow checks. Here rather than on [`Flow`] so the model does not depend on the
/// rule vocabulary (`conformance/tests/module_cycles.rs`).
pub fn of_flow(flow: crate::model::api::Flow) -> &'static [RuleId] {
    use crate::model::api::Flow;
    match flow {
        Flow::OrderTxnsDeeplink => &[
            field::EC_ORDERS_RESPONSE_ORDER_ID_REQUIRED,
            field::EC_TXNS_RESPONSE_SDK_AMOUNT_FORMAT,
            deeplink::CONSISTENCY_AM,
        ],
        Flow::UnknownOrderRejected => &[behaviour::EC_TXNS_ORDER_EXISTS, field::EC_TXNS_ERROR_STATUS_CONST],
        Flow::FormatRedirect => &[behaviour::EC_TXNS_FORMAT_REDIRECT],
        Flow::DuplicateRejected => &[behaviour::REGISTER_INTENT_MERCHANT_REQUEST_ID_UNIQUE],
        Flow::DuplicateTxnidRejected => &[behaviour::PAYU_PAYMENT_TXNID_UNIQUE],
        Flow::CallbackVerifyUdf => &[
            behaviour::PAYU_CALLBACK_DELIVERED,
            crypto::PAYU_RESPONSE_HASH,
            behaviour::PAYU_CALLBACK_AMOUNT_AS_PASSED,
            behaviour::PAYU_CALLBACK_MIHPAYID_IS_PAYMENT_ID,
            behaviour::PAYU_VERIFY_PAYMENT_AGREES,
            accepted::PAYU_UDF_UPDATE,
            behaviour::PAYU_UDF_UPDATE_UDFS_AS_POSTED,
        ],
        Flow::UdfUpdatePersisted => &[
            accepted::PAYU_UDF_UPDATE,
            behaviour::PAYU_UDF_UPDATE_UDFS_AS_POSTED,
            behaviour::PAYU_UDF_UPDATE_PERSISTED,
        ],
        Flow::ApiVersion7Hash => &[crypto::PAYU_REQUEST_HASH, accepted::PAYU_PAYMENT],
        Flow::IntentTidUnique => &[behaviour::PAYU_INTENT_TID_UNIQUE],
        Flow::UdfUpdateUnknownTxnid => &[behaviour::PAYU_UDF_UPDATE_TXNID_EXISTS],
        Flow::InvoiceUnknownPayuid => &[behaviour::PAYU_INVOICE_UPLOAD_PAYUID_EXISTS],
    }
}
