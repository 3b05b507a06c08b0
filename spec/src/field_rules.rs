//! Typed handles for the field rules of the message models that the runner's flows and the
//! models' API facts name (re-exported as [`crate::rule_ids::field`]). Depends on nothing but
//! [`crate::id`], so the API facts can name them without a module cycle.

#[allow(unused_imports)]
use crate::id::{RuleId, rule_ids};

rule_ids! {
    /// An EC order response carries `order_id`.
    EC_ORDERS_RESPONSE_ORDER_ID_REQUIRED = "ec.orders.response.order_id.required";
    /// The EC `/txns` response's SDK amount is formatted.
    EC_TXNS_RESPONSE_SDK_AMOUNT_FORMAT = "ec.txns.response.payment.sdk_params.amount.format";
    /// The EC error's `status` is the constant.
    EC_TXNS_ERROR_STATUS_CONST = "ec.txns.error.status.const";
    /// The PayU callback is a form the model reads.
    PAYU_CALLBACK_FORM = "payu.callback.form";
    /// A V3 registerIntent answer's `status` is one of the listed values.
    REGISTER_INTENT_V3_RESPONSE_STATUS_ENUM = "merchant.register-intent.v3.response.status.enum";
    /// A V2 registerIntent answer's `status` is one of the listed values.
    REGISTER_INTENT_V2_RESPONSE_STATUS_ENUM = "merchant.register-intent.v2.response.status.enum";
    /// A V1 registerIntent answer's `status` is one of the listed values.
    REGISTER_INTENT_V1_RESPONSE_STATUS_ENUM = "merchant.register-intent.v1.response.status.enum";
    /// A Default-version registerIntent answer's `status` is one of the listed values.
    REGISTER_INTENT_DEFAULT_RESPONSE_STATUS_ENUM = "merchant.register-intent.default.response.status.enum";
    /// A V3 registerIntent request's `x-api-version` is `3`.
    REGISTER_INTENT_V3_REQUEST_API_VERSION_CONST = "merchant.register-intent.v3.request.header.x-api-version.const";
    /// A V2 registerIntent request's `x-api-version` is `2`.
    REGISTER_INTENT_V2_REQUEST_API_VERSION_CONST = "merchant.register-intent.v2.request.header.x-api-version.const";
    /// A V1 registerIntent request's `x-api-version` is `1`.
    REGISTER_INTENT_V1_REQUEST_API_VERSION_CONST = "merchant.register-intent.v1.request.header.x-api-version.const";
    /// A Default-version registerIntent request sends no `x-api-version`.
    REGISTER_INTENT_DEFAULT_REQUEST_API_VERSION_ABSENT =
        "merchant.register-intent.default.request.header.x-api-version.absent";
}
