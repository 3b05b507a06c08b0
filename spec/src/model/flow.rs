//! The flows an API's facts name ([`super::api::Api::flows`]): multi-step cases whose steps run
//! in order against the target's state (an order created then paid, a registration sent twice,
//! a payment completed in the sandbox, its callback, verify_payment and udf_update). Each knows
//! its name and title (the rules it checks: [`crate::rule_ids::of_flow`]); the runner drives its steps.

/// A flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Create an order, pay it with `/txns`, build the deeplink from `sdk_params` (EC).
    OrderTxnsDeeplink,
    /// `/txns` for an order that does not exist is refused (EC).
    UnknownOrderRejected,
    /// `/txns` with a `format` other than `json` answers 302 with `Location` (EC).
    FormatRedirect,
    /// Registering the same merchantRequestId twice: the second is refused (Merchant Stack).
    DuplicateRejected,
    /// A second `_payment` with the same txnid is refused (PayU).
    DuplicateTxnidRejected,
    /// Complete a payment in the sandbox: callback, verify_payment, udf_update (PayU).
    CallbackVerifyUdf,
}

impl Flow {
    /// Whether the flow runs once per API rather than once per operation (API version) when
    /// several versions are selected.
    pub fn once_per_suite(self) -> bool {
        self == Flow::DuplicateRejected
    }

    /// The last part of the case ID.
    pub fn name(self) -> &'static str {
        match self {
            Flow::OrderTxnsDeeplink => "order-txns-deeplink",
            Flow::UnknownOrderRejected => "unknown-order-rejected",
            Flow::FormatRedirect => "format-redirect",
            Flow::DuplicateRejected => "duplicate-rejected",
            Flow::DuplicateTxnidRejected => "duplicate-txnid-rejected",
            Flow::CallbackVerifyUdf => "callback-verify-udf",
        }
    }

    /// One line saying what is checked.
    pub fn title(self) -> &'static str {
        match self {
            Flow::OrderTxnsDeeplink => "create an order, pay it with /txns, build the deeplink from sdk_params",
            Flow::UnknownOrderRejected => "/txns for an order that does not exist is rejected with the error shape",
            Flow::FormatRedirect => "/txns with a format other than json is answered HTTP 302 with a Location header",
            Flow::DuplicateRejected => "registering the same merchantRequestId twice: the second is rejected",
            Flow::DuplicateTxnidRejected => "a second _payment with the same txnid is rejected",
            Flow::CallbackVerifyUdf => {
                "complete a payment in the sandbox; the S2S callback arrives with a valid reverse hash, verify_payment agrees, udf_update works"
            }
        }
    }
}
