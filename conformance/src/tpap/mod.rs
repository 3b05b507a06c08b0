//! The TPAP SDK suite (seed 002) through a shim. The SDK is an Android library with no HTTP API,
//! so the suite drives it through a small shim ([`shim`], protocol in `docs/SHIM.md`): the suite
//! sends a process payload, the shim hands it to the implementation and returns the response
//! payload. [`suite`] plans and judges the cases (acceptance per action, one rejection per `must`
//! request rule, `signaturePayload` signature checks, request↔response pairing, the flows);
//! [`reference`] is a reference shim with named faults, so the suite runs end to end here.

pub mod judge;
pub mod reference;
pub mod shim;
pub mod suite;

use serde_json::Value;
use upi_spec::id::MessageId;
use upi_spec::messages::ids;
use upi_spec::model::Message;

/// The `service` of every process payload.
pub const SERVICE: &str = "in.juspay.hyperapi";
/// The `merchantKeyId` of the compiled-in test key pair.
pub const TEST_KEY_ID: &str = "upi-conformance-test-key";
/// The test private key the suite signs `signaturePayload` with by default (test-only).
pub const TEST_PRIVATE_PEM: &str = include_str!("../../../golden/keys/merchant_signing.pem");
/// Its public half, which the reference shim trusts under [`TEST_KEY_ID`].
pub const TEST_PUBLIC_PEM: &str = include_str!("../../../golden/keys/merchant_signing.pub.pem");

/// The request models of the TPAP actions, in flow order.
pub const REQUEST_MODELS: [MessageId; 6] = [
    ids::TPAP_GET_SESSION_TOKEN_REQUEST,
    ids::TPAP_ONBOARDING_REQUEST,
    ids::TPAP_ONBOARDING_AND_PAY_REQUEST,
    ids::TPAP_UPI_TXN_REQUEST,
    ids::TPAP_ONBOARDING_AND_CREATE_MANDATE_REQUEST,
    ids::TPAP_CREATE_MANDATE_REQUEST,
];

/// The request model a process payload is for: its `payload.action`, and whether it carries
/// `shouldCreateMandate` (seed 002 §5 and §6 reuse the actions of §3 and §4 with that flag).
pub fn request_model_of(request: &Value) -> Option<&'static Message> {
    let payload = request.get("payload")?;
    let mandate = payload.get("shouldCreateMandate").is_some();
    let id = match (payload.get("action")?.as_str()?, mandate) {
        ("upiGetSessionToken", _) => ids::TPAP_GET_SESSION_TOKEN_REQUEST,
        ("onboarding", _) => ids::TPAP_ONBOARDING_REQUEST,
        ("onboardingAndPay", false) => ids::TPAP_ONBOARDING_AND_PAY_REQUEST,
        ("onboardingAndPay", true) => ids::TPAP_ONBOARDING_AND_CREATE_MANDATE_REQUEST,
        ("upiTxn", false) => ids::TPAP_UPI_TXN_REQUEST,
        ("upiTxn", true) => ids::TPAP_CREATE_MANDATE_REQUEST,
        _ => return None,
    };
    Some(id.message())
}

/// The response model answering the request model `request_id`.
pub fn response_model_of(request_id: &str) -> Option<&'static Message> {
    upi_spec::messages::all().iter().find(|m| m.request == Some(request_id))
}

/// `tpap.onboarding-and-pay.request` → `tpap.onboarding-and-pay`.
pub fn short_name(model_id: &str) -> &str {
    model_id.strip_suffix(".request").unwrap_or(model_id)
}
