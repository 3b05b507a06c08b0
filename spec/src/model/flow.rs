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
    /// Pay, `udf_update` var2..var6, then `verify_payment` reports the udfs set (PayU).
    UdfUpdatePersisted,
    /// `_payment` with `api_version` 7 and udf6..udf10: the hash of either C-02 reading (PayU).
    ApiVersion7Hash,
    /// Two payments: their intents carry different `tid`s (PayU).
    IntentTidUnique,
    /// `udf_update` of a txnid never paid is refused (PayU).
    UdfUpdateUnknownTxnid,
    /// An invoice upload for a PayU ID never paid is refused with `responseCode` 107 (PayU).
    InvoiceUnknownPayuid,
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
            Flow::UdfUpdatePersisted => "udf-update-persisted",
            Flow::ApiVersion7Hash => "api-version-7-hash",
            Flow::IntentTidUnique => "intent-tid-unique",
            Flow::UdfUpdateUnknownTxnid => "udf-update-unknown-txnid",
            Flow::InvoiceUnknownPayuid => "invoice-unknown-payuid",
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
                "complete a payment in the sandbox; the S2S callback arrives with a valid reverse hash and the amount posted, verify_payment agrees, udf_update works"
            }
            Flow::UdfUpdatePersisted => {
                "pay, udf_update var2..var6: the answer carries them as udf1..udf5, and a later verify_payment reports them"
            }
            Flow::IntentTidUnique => "two payments: their intents carry different tids (NPCI refuses a duplicate)",
            Flow::UdfUpdateUnknownTxnid => "udf_update of a txnid never paid is refused",
            Flow::InvoiceUnknownPayuid => "an invoice upload for a PayU ID never paid is refused with responseCode 107",
            Flow::ApiVersion7Hash => {
                "_payment with api_version 7 and udf6..udf10 hashed per Case 4 is accepted (or, refused, the same request hashed per C-02's other reading is)"
            }
        }
    }
}
