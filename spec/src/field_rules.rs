//! Typed handles for the field rules of the message models that the runner's flows and the
//! models' API facts name (re-exported as [`crate::rule_ids::field`]). Depends on nothing but
//! [`crate::id`], so the API facts can name them without a module cycle.

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
    /// A V3 registerIntent request: `merchantRequestId` is at most 35 characters long.
    REGISTER_INTENT_V3_REQUEST_MERCHANT_REQUEST_ID_MAX_LENGTH = "merchant.register-intent.v3.request.merchantRequestId.max-length";
    /// A V2 registerIntent request: `merchantRequestId` is at most 35 characters long.
    REGISTER_INTENT_V2_REQUEST_MERCHANT_REQUEST_ID_MAX_LENGTH = "merchant.register-intent.v2.request.merchantRequestId.max-length";
    /// A V1 registerIntent request: `merchantRequestId` is at most 35 characters long.
    REGISTER_INTENT_V1_REQUEST_MERCHANT_REQUEST_ID_MAX_LENGTH = "merchant.register-intent.v1.request.merchantRequestId.max-length";
    /// A Default-version registerIntent request: `merchantRequestId` is at most 35 characters long.
    REGISTER_INTENT_DEFAULT_REQUEST_MERCHANT_REQUEST_ID_MAX_LENGTH = "merchant.register-intent.default.request.merchantRequestId.max-length";
    /// A V3 registerIntent request: `amount` has the seed's decimal format.
    REGISTER_INTENT_V3_REQUEST_AMOUNT_FORMAT = "merchant.register-intent.v3.request.amount.format";
    /// A V2 registerIntent request: `amount` has the seed's decimal format.
    REGISTER_INTENT_V2_REQUEST_AMOUNT_FORMAT = "merchant.register-intent.v2.request.amount.format";
    /// A V1 registerIntent request: `amount` has the seed's decimal format.
    REGISTER_INTENT_V1_REQUEST_AMOUNT_FORMAT = "merchant.register-intent.v1.request.amount.format";
    /// A Default-version registerIntent request: `amount` has the seed's decimal format.
    REGISTER_INTENT_DEFAULT_REQUEST_AMOUNT_FORMAT = "merchant.register-intent.default.request.amount.format";
    /// A V3 registerIntent request: a `refUrl` comes with a `refCategory`.
    REGISTER_INTENT_V3_REQUEST_REF_URL_NEEDS_CATEGORY = "merchant.register-intent.v3.request.rule.ref-url-needs-category";
    /// A V2 registerIntent request: a `refUrl` comes with a `refCategory`.
    REGISTER_INTENT_V2_REQUEST_REF_URL_NEEDS_CATEGORY = "merchant.register-intent.v2.request.rule.ref-url-needs-category";
    /// A V1 registerIntent request: a `refUrl` comes with a `refCategory`.
    REGISTER_INTENT_V1_REQUEST_REF_URL_NEEDS_CATEGORY = "merchant.register-intent.v1.request.rule.ref-url-needs-category";
    /// A Default-version registerIntent request: a `refUrl` comes with a `refCategory`.
    REGISTER_INTENT_DEFAULT_REQUEST_REF_URL_NEEDS_CATEGORY = "merchant.register-intent.default.request.rule.ref-url-needs-category";
    /// A V3 registerIntent request: the `jpupi-routing-id` header equals `merchantRequestId`.
    REGISTER_INTENT_V3_REQUEST_ROUTING_ID_EQUALS_MERCHANT_REQUEST_ID = "merchant.register-intent.v3.request.rule.routing-id-equals-merchant-request-id";
    /// A V2 registerIntent request: the `jpupi-routing-id` header equals `merchantRequestId`.
    REGISTER_INTENT_V2_REQUEST_ROUTING_ID_EQUALS_MERCHANT_REQUEST_ID = "merchant.register-intent.v2.request.rule.routing-id-equals-merchant-request-id";
    /// A V1 registerIntent request: the `jpupi-routing-id` header equals `merchantRequestId`.
    REGISTER_INTENT_V1_REQUEST_ROUTING_ID_EQUALS_MERCHANT_REQUEST_ID = "merchant.register-intent.v1.request.rule.routing-id-equals-merchant-request-id";
    /// A Default-version registerIntent request: the `jpupi-routing-id` header equals `merchantRequestId`.
    REGISTER_INTENT_DEFAULT_REQUEST_ROUTING_ID_EQUALS_MERCHANT_REQUEST_ID = "merchant.register-intent.default.request.rule.routing-id-equals-merchant-request-id";
    /// A V3 registerIntent request: the `jpupi-routing-id` header is sent.
    REGISTER_INTENT_V3_REQUEST_JPUPI_ROUTING_ID_REQUIRED = "merchant.register-intent.v3.request.header.jpupi-routing-id.required";
    /// A V2 registerIntent request: the `jpupi-routing-id` header is sent.
    REGISTER_INTENT_V2_REQUEST_JPUPI_ROUTING_ID_REQUIRED = "merchant.register-intent.v2.request.header.jpupi-routing-id.required";
    /// A V1 registerIntent request: the `jpupi-routing-id` header is sent.
    REGISTER_INTENT_V1_REQUEST_JPUPI_ROUTING_ID_REQUIRED = "merchant.register-intent.v1.request.header.jpupi-routing-id.required";
    /// A Default-version registerIntent request: the `jpupi-routing-id` header is sent.
    REGISTER_INTENT_DEFAULT_REQUEST_JPUPI_ROUTING_ID_REQUIRED = "merchant.register-intent.default.request.header.jpupi-routing-id.required";
}

/// The registerIntent request rule "`merchantRequestId` is at most 35 characters long" of every version (V3, V2, V1, Default).
pub const REGISTER_INTENT_REQUEST_MERCHANT_REQUEST_ID_MAX_LENGTH: [RuleId; 4] = [
    REGISTER_INTENT_V3_REQUEST_MERCHANT_REQUEST_ID_MAX_LENGTH,
    REGISTER_INTENT_V2_REQUEST_MERCHANT_REQUEST_ID_MAX_LENGTH,
    REGISTER_INTENT_V1_REQUEST_MERCHANT_REQUEST_ID_MAX_LENGTH,
    REGISTER_INTENT_DEFAULT_REQUEST_MERCHANT_REQUEST_ID_MAX_LENGTH,
];

/// The registerIntent request rule "`amount` has the seed's decimal format" of every version (V3, V2, V1, Default).
pub const REGISTER_INTENT_REQUEST_AMOUNT_FORMAT: [RuleId; 4] = [
    REGISTER_INTENT_V3_REQUEST_AMOUNT_FORMAT,
    REGISTER_INTENT_V2_REQUEST_AMOUNT_FORMAT,
    REGISTER_INTENT_V1_REQUEST_AMOUNT_FORMAT,
    REGISTER_INTENT_DEFAULT_REQUEST_AMOUNT_FORMAT,
];

/// The registerIntent request rule "a `refUrl` comes with a `refCategory`" of every version (V3, V2, V1, Default).
pub const REGISTER_INTENT_REQUEST_REF_URL_NEEDS_CATEGORY: [RuleId; 4] = [
    REGISTER_INTENT_V3_REQUEST_REF_URL_NEEDS_CATEGORY,
    REGISTER_INTENT_V2_REQUEST_REF_URL_NEEDS_CATEGORY,
    REGISTER_INTENT_V1_REQUEST_REF_URL_NEEDS_CATEGORY,
    REGISTER_INTENT_DEFAULT_REQUEST_REF_URL_NEEDS_CATEGORY,
];

/// The registerIntent request rule "the `jpupi-routing-id` header equals `merchantRequestId`" of every version (V3, V2, V1, Default).
pub const REGISTER_INTENT_REQUEST_ROUTING_ID_EQUALS_MERCHANT_REQUEST_ID: [RuleId; 4] = [
    REGISTER_INTENT_V3_REQUEST_ROUTING_ID_EQUALS_MERCHANT_REQUEST_ID,
    REGISTER_INTENT_V2_REQUEST_ROUTING_ID_EQUALS_MERCHANT_REQUEST_ID,
    REGISTER_INTENT_V1_REQUEST_ROUTING_ID_EQUALS_MERCHANT_REQUEST_ID,
    REGISTER_INTENT_DEFAULT_REQUEST_ROUTING_ID_EQUALS_MERCHANT_REQUEST_ID,
];

/// The registerIntent request rule "the `jpupi-routing-id` header is sent" of every version (V3, V2, V1, Default).
pub const REGISTER_INTENT_REQUEST_JPUPI_ROUTING_ID_REQUIRED: [RuleId; 4] = [
    REGISTER_INTENT_V3_REQUEST_JPUPI_ROUTING_ID_REQUIRED,
    REGISTER_INTENT_V2_REQUEST_JPUPI_ROUTING_ID_REQUIRED,
    REGISTER_INTENT_V1_REQUEST_JPUPI_ROUTING_ID_REQUIRED,
    REGISTER_INTENT_DEFAULT_REQUEST_JPUPI_ROUTING_ID_REQUIRED,
];
