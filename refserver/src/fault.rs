//! The deliberate defects a reference server can be started with (`serve --fault NAME`). Each
//! fault is one narrow departure from the models, so that a conformance run against the faulty
//! server proves at least one of its checks can fail. Most faults ignore the violations of one
//! request rule ([`Fault::ignores`]); the others alter one response field or one behaviour at
//! the place that produces it.
//!
//! Besides the named faults of [`Fault::ALL`], `ignore-rule=RULE_ID` ([`Fault::IgnoreRule`])
//! makes the server ignore any one request rule of the catalogue, wherever it enforces it: the
//! per-rule mutants that prove each rejection case can fail (`conformance/tests/rule_mutants.rs`).

use std::borrow::Cow;

use upi_spec::id::RuleId;
use upi_spec::rule_ids::field;

/// What `--fault` takes before a rule ID for [`Fault::IgnoreRule`].
pub const IGNORE_RULE_PREFIX: &str = "ignore-rule=";

/// What `--fault` takes before a rule ID for [`Fault::BreakResponseRule`].
pub const BREAK_RESPONSE_RULE_PREFIX: &str = "break-response-rule=";

/// Every response model the server sends, the models whose `must` rules
/// `break-response-rule=RULE_ID` takes: the answers of every API (each built through
/// `reply::as_model`) and the S2S callback it posts to the merchant.
pub const BREAKABLE_RESPONSES: [&str; 15] = [
    "ec.orders.response",
    "ec.txns.response",
    "ec.txns.error",
    "merchant.register-intent.v3.response",
    "merchant.register-intent.v2.response",
    "merchant.register-intent.v1.response",
    "merchant.register-intent.default.response",
    "payu.payment.response",
    "payu.payment.error",
    "payu.verify-payment.response",
    "payu.udf-update.response",
    "payu.udf-update.error",
    "payu.invoice-upload.response",
    "payu.postservice.error",
    "payu.callback",
];

/// The size above which a request body makes the `drop-connection-on-large-body` fault drop
/// the connection (64 KiB).
pub const LARGE_BODY_BYTES: usize = 64 * 1024;

/// One deliberate defect.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Fault {
    /// registerIntent accepts a `merchantRequestId` longer than 35 characters.
    AcceptLongMerchantRequestId,
    /// registerIntent accepts an `amount` without exactly two decimals.
    AcceptAmountWithoutDecimals,
    /// registerIntent accepts `refUrl` without `refCategory` (and the reverse).
    AcceptRefUrlWithoutCategory,
    /// registerIntent ignores a `jpupi-routing-id` that differs from `merchantRequestId`.
    IgnoreRoutingHeader,
    /// registerIntent accepts any JWS signature (algorithm, key ID and signature unchecked).
    SkipJwsVerification,
    /// registerIntent accepts an unsigned JWS (`alg: none`).
    AcceptAlgNone,
    /// registerIntent V3 answers success without `payeeVpa`.
    DropPayeeVpa,
    /// registerIntent answers success with an amount other than the one requested.
    ChangeResponseAmount,
    /// `_payment` accepts a request hash that does not verify.
    AcceptWrongPayuHash,
    /// The S2S callback carries a reverse hash that does not verify.
    WrongCallbackHash,
    /// `intentURIData` carries raw spaces instead of `%20`.
    RawSpaceInIntentUri,
    /// `_payment` accepts a `txnid` it has already seen.
    AcceptDuplicateTxnid,
    /// registerIntent accepts a `merchantRequestId` it has already registered.
    AcceptDuplicateMerchantRequestId,
    /// registerIntent answers HTTP 500 when `remarks` holds a non-ASCII character.
    Http500OnNonAsciiRemarks,
    /// Every answer is delayed (3 s by default), past a client's timeout.
    SlowResponse,
    /// `udf_update` accepts a command hash that does not verify.
    AcceptBadUdfUpdateHash,
    /// `verify_payment` reports `success` for pending and failed payments.
    VerifyPaymentWrongStatus,
    /// EC `/txns` pays an order that does not exist.
    TxnsAcceptUnknownOrder,
    /// EC `/txns` answers an `sdk_params.amount` other than the order's.
    TxnsWrongSdkAmount,
    /// registerIntent answers 200 without `x-response-signature`.
    MissingResponseSignature,
    /// registerIntent accepts a request without the `jpupi-routing-id` header.
    AcceptMissingJpupiRoutingId,
    /// EC `POST /orders` creates an order without the HTTP Basic API key (it ignores the
    /// request rule that `authorization` is sent, in the model and in the Basic check).
    OrdersWithoutAuth,
    /// A request body above [`LARGE_BODY_BYTES`] makes the server drop the connection without
    /// answering.
    DropConnectionOnLargeBody,
    /// registerIntent answers a JWS that does not verify with HTTP 400 instead of 401.
    SignatureFailure400,
    /// Refusals of a request's content carry a reason code naming another cause
    /// (registerIntent `responseCode` DUPLICATE_REQUEST, EC `error_code` UNAUTHENTICATED,
    /// invoice upload `responseCode` 107 for a missing field).
    WrongRefusalCode,
    /// `_payment` answers an intent (`result.amount` and the `am` of `intentURIData`, agreeing
    /// with each other) 1.00 above the amount posted.
    PayuIntentAmountDiffers,
    /// `_payment` hands out an intent with `metaData.txnStatus` success and `unmappedStatus`
    /// captured, as if the payer had already paid.
    PayuIntentStatusSuccess,
    /// EC `/txns` answers `status` CHARGED for an order whose payment has only started.
    TxnsFreshStatusCharged,
    /// EC `/txns` answers HTTP 200 JSON whatever `format` says (no 302 for a non-`json` format).
    TxnsFormatIgnored,
    /// `udf_update` answers success with the udfs posted but does not keep them: a later
    /// `verify_payment` reports the old ones.
    UdfUpdateNotPersisted,
    /// `udf_update` answers `udf1`..`udf5` from `var1`..`var5` (the txnid in `udf1`) instead of
    /// `var2`..`var6`; what it keeps is right.
    UdfUpdateEchoShifted,
    /// The S2S callback carries an `amount` 1.00 above the amount posted (its reverse hash
    /// computed over that amount, so it verifies).
    CallbackAmountDiffers,
    /// The S2S callback carries a `mihpayid` other than the `paymentId` `_payment` answered
    /// (its reverse hash computed over it, so it verifies).
    CallbackMihpayidDiffers,
    /// Every `_payment` intent carries the same `tid`.
    IntentTidRepeated,
    /// `udf_update` of a txnid no payment has answers success (and keeps nothing).
    UdfUpdateUnknownTxnid,
    /// An invoice upload for a PayU ID no payment has answers `103` (failed to upload) instead
    /// of `107`.
    InvoiceUnknownPayuidCode,
    /// `_payment` hashes `api_version` 7 with `udf6`..`udf10` after the salt (neither reading of
    /// ERRATA C-02), so such a request is refused for its hash either way.
    Udf6To10AfterSalt,
    /// EC `POST /orders` refuses every order, valid or not (HTTP 400 naming the amount's
    /// format): `/txns` then has no order to pay.
    OrdersRefused,
    /// The server ignores the violations of the request rule with this catalogue ID, wherever
    /// it enforces that rule (`--fault ignore-rule=RULE_ID`).
    IgnoreRule(String),
    /// Every answer (or S2S callback) of the response model that owns this `must` rule breaks
    /// exactly that rule and is otherwise unchanged (`--fault break-response-rule=RULE_ID`); only
    /// rules of [`BREAKABLE_RESPONSES`] are taken.
    BreakResponseRule(String),
}

impl Fault {
    /// Every named fault, in the order `serve --list-faults` prints them (which lists
    /// [`Fault::IgnoreRule`] last, as `ignore-rule=RULE_ID`).
    pub const ALL: [Fault; 38] = [
        Fault::AcceptLongMerchantRequestId,
        Fault::AcceptAmountWithoutDecimals,
        Fault::AcceptRefUrlWithoutCategory,
        Fault::IgnoreRoutingHeader,
        Fault::SkipJwsVerification,
        Fault::AcceptAlgNone,
        Fault::DropPayeeVpa,
        Fault::ChangeResponseAmount,
        Fault::AcceptWrongPayuHash,
        Fault::WrongCallbackHash,
        Fault::RawSpaceInIntentUri,
        Fault::AcceptDuplicateTxnid,
        Fault::AcceptDuplicateMerchantRequestId,
        Fault::Http500OnNonAsciiRemarks,
        Fault::SlowResponse,
        Fault::AcceptBadUdfUpdateHash,
        Fault::VerifyPaymentWrongStatus,
        Fault::TxnsAcceptUnknownOrder,
        Fault::TxnsWrongSdkAmount,
        Fault::MissingResponseSignature,
        Fault::AcceptMissingJpupiRoutingId,
        Fault::OrdersWithoutAuth,
        Fault::DropConnectionOnLargeBody,
        Fault::SignatureFailure400,
        Fault::WrongRefusalCode,
        Fault::PayuIntentAmountDiffers,
        Fault::PayuIntentStatusSuccess,
        Fault::TxnsFreshStatusCharged,
        Fault::TxnsFormatIgnored,
        Fault::UdfUpdateNotPersisted,
        Fault::UdfUpdateEchoShifted,
        Fault::CallbackAmountDiffers,
        Fault::CallbackMihpayidDiffers,
        Fault::IntentTidRepeated,
        Fault::UdfUpdateUnknownTxnid,
        Fault::InvoiceUnknownPayuidCode,
        Fault::Udf6To10AfterSalt,
        Fault::OrdersRefused,
    ];

    /// What `serve --list-faults` lists: every named fault, then the parameterised ones with
    /// `RULE_ID` for their rule.
    pub fn listed() -> Vec<Fault> {
        let mut all = Fault::ALL.to_vec();
        all.push(Fault::IgnoreRule("RULE_ID".into()));
        all.push(Fault::BreakResponseRule("RULE_ID".into()));
        all
    }

    /// The name `--fault` takes.
    pub fn name(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Fault::AcceptLongMerchantRequestId => "accept-long-merchant-request-id",
            Fault::AcceptAmountWithoutDecimals => "accept-amount-without-decimals",
            Fault::AcceptRefUrlWithoutCategory => "accept-ref-url-without-category",
            Fault::IgnoreRoutingHeader => "ignore-routing-header",
            Fault::SkipJwsVerification => "skip-jws-verification",
            Fault::AcceptAlgNone => "accept-alg-none",
            Fault::DropPayeeVpa => "drop-payee-vpa",
            Fault::ChangeResponseAmount => "change-response-amount",
            Fault::AcceptWrongPayuHash => "accept-wrong-payu-hash",
            Fault::WrongCallbackHash => "wrong-callback-hash",
            Fault::RawSpaceInIntentUri => "raw-space-in-intent-uri",
            Fault::AcceptDuplicateTxnid => "accept-duplicate-txnid",
            Fault::AcceptDuplicateMerchantRequestId => "accept-duplicate-merchant-request-id",
            Fault::Http500OnNonAsciiRemarks => "500-on-non-ascii-remarks",
            Fault::SlowResponse => "slow-response",
            Fault::AcceptBadUdfUpdateHash => "accept-bad-udf-update-hash",
            Fault::VerifyPaymentWrongStatus => "verify-payment-wrong-status",
            Fault::TxnsAcceptUnknownOrder => "txns-accept-unknown-order",
            Fault::TxnsWrongSdkAmount => "txns-wrong-sdk-amount",
            Fault::MissingResponseSignature => "missing-response-signature",
            Fault::AcceptMissingJpupiRoutingId => "accept-missing-jpupi-routing-id",
            Fault::OrdersWithoutAuth => "orders-without-auth",
            Fault::DropConnectionOnLargeBody => "drop-connection-on-large-body",
            Fault::SignatureFailure400 => "signature-failure-400",
            Fault::WrongRefusalCode => "wrong-refusal-code",
            Fault::PayuIntentAmountDiffers => "payu-intent-amount-differs",
            Fault::PayuIntentStatusSuccess => "payu-intent-status-success",
            Fault::TxnsFreshStatusCharged => "txns-fresh-status-charged",
            Fault::TxnsFormatIgnored => "txns-format-ignored",
            Fault::UdfUpdateNotPersisted => "udf-update-not-persisted",
            Fault::UdfUpdateEchoShifted => "udf-update-echo-shifted",
            Fault::CallbackAmountDiffers => "callback-amount-differs",
            Fault::CallbackMihpayidDiffers => "callback-mihpayid-differs",
            Fault::IntentTidRepeated => "intent-tid-repeated",
            Fault::UdfUpdateUnknownTxnid => "udf-update-unknown-txnid",
            Fault::InvoiceUnknownPayuidCode => "invoice-unknown-payuid-code",
            Fault::Udf6To10AfterSalt => "udf6-10-after-salt",
            Fault::OrdersRefused => "orders-refused",
            Fault::IgnoreRule(rule) => return Cow::Owned(format!("{IGNORE_RULE_PREFIX}{rule}")),
            Fault::BreakResponseRule(rule) => return Cow::Owned(format!("{BREAK_RESPONSE_RULE_PREFIX}{rule}")),
        })
    }

    /// One line saying what the fault does wrong.
    pub fn description(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Fault::AcceptLongMerchantRequestId => {
                "registerIntent ignores the merchantRequestId max-length rule (35 characters)"
            }
            Fault::AcceptAmountWithoutDecimals => {
                "registerIntent ignores the amount format rule (exactly two decimals)"
            }
            Fault::AcceptRefUrlWithoutCategory => {
                "registerIntent ignores the rule that refUrl and refCategory come together"
            }
            Fault::IgnoreRoutingHeader => {
                "registerIntent ignores a jpupi-routing-id that differs from merchantRequestId"
            }
            Fault::SkipJwsVerification => {
                "registerIntent accepts any JWS: algorithm, kid and signature are not checked"
            }
            Fault::AcceptAlgNone => "registerIntent accepts an unsigned JWS with alg none",
            Fault::DropPayeeVpa => "registerIntent V3 success payload lacks the mandatory payeeVpa",
            Fault::ChangeResponseAmount => "registerIntent success payload carries an amount 1.00 above the request's",
            Fault::AcceptWrongPayuHash => "_payment accepts a request hash that does not verify",
            Fault::WrongCallbackHash => "the S2S callback carries a reverse hash that does not verify",
            Fault::RawSpaceInIntentUri => "intentURIData carries raw spaces (tn=UPI Intent) instead of %20",
            Fault::AcceptDuplicateTxnid => "_payment accepts a txnid it has already seen",
            Fault::AcceptDuplicateMerchantRequestId => {
                "registerIntent accepts a merchantRequestId it has already registered"
            }
            Fault::Http500OnNonAsciiRemarks => {
                "registerIntent answers HTTP 500 when remarks holds a non-ASCII character"
            }
            Fault::SlowResponse => "every answer is delayed by 3 seconds",
            Fault::AcceptBadUdfUpdateHash => "udf_update accepts a command hash that does not verify",
            Fault::VerifyPaymentWrongStatus => "verify_payment reports success for pending and failed payments",
            Fault::TxnsAcceptUnknownOrder => "EC /txns pays an order that does not exist",
            Fault::TxnsWrongSdkAmount => "EC /txns sdk_params.amount is 1.00 above the order's",
            Fault::MissingResponseSignature => "registerIntent answers 200 without the x-response-signature header",
            Fault::AcceptMissingJpupiRoutingId => {
                "registerIntent accepts a request without the jpupi-routing-id header"
            }
            Fault::OrdersWithoutAuth => "EC POST /orders creates an order without the HTTP Basic API key",
            Fault::DropConnectionOnLargeBody => {
                "a request body above 64 KiB makes the server drop the connection without answering"
            }
            Fault::SignatureFailure400 => {
                "registerIntent answers a JWS signature that does not verify with HTTP 400, not 401"
            }
            Fault::WrongRefusalCode => {
                "refusals of a request's content name another cause: responseCode DUPLICATE_REQUEST, error_code UNAUTHENTICATED, invoice responseCode 107"
            }
            Fault::PayuIntentAmountDiffers => {
                "_payment answers result.amount and intentURIData am 1.00 above the amount posted"
            }
            Fault::PayuIntentStatusSuccess => {
                "_payment hands out an intent with txnStatus success and unmappedStatus captured"
            }
            Fault::TxnsFreshStatusCharged => "EC /txns answers status CHARGED for a payment that has only started",
            Fault::TxnsFormatIgnored => "EC /txns answers 200 JSON when format is not json (no 302 with Location)",
            Fault::UdfUpdateNotPersisted => {
                "udf_update answers success but keeps nothing: verify_payment still reports the old udfs"
            }
            Fault::UdfUpdateEchoShifted => "udf_update answers udf1..udf5 from var1..var5 instead of var2..var6",
            Fault::CallbackAmountDiffers => {
                "the S2S callback's amount is 1.00 above the amount posted (hash recomputed)"
            }
            Fault::CallbackMihpayidDiffers => {
                "the S2S callback's mihpayid is not the paymentId _payment answered (hash recomputed)"
            }
            Fault::IntentTidRepeated => "every _payment intent carries the same tid (NPCI refuses the second payment)",
            Fault::UdfUpdateUnknownTxnid => "udf_update of a txnid no payment has answers UDF values updated",
            Fault::InvoiceUnknownPayuidCode => {
                "an invoice upload for a PayU ID no payment has answers responseCode 103, not 107"
            }
            Fault::Udf6To10AfterSalt => {
                "_payment hashes api_version 7 with udf6..udf10 after the salt, a sequence neither reading of C-02 prints"
            }
            Fault::OrdersRefused => "EC POST /orders refuses every order, valid or not (HTTP 400)",
            Fault::IgnoreRule(rule) => {
                return Cow::Owned(format!(
                    "every check of the request rule {rule} (a catalogue rule ID) is skipped, wherever the server makes it"
                ));
            }
            Fault::BreakResponseRule(rule) => {
                return Cow::Owned(format!(
                    "every answer of the response model owning the must rule {rule} breaks exactly that rule"
                ));
            }
        })
    }

    /// The fault with this name: a name of [`Fault::ALL`], `ignore-rule=` and the ID of a
    /// rule of the catalogue (`upi-conformance rules` lists them), or `break-response-rule=` and
    /// the ID of a `must` rule of a response model the server sends ([`BREAKABLE_RESPONSES`]).
    pub fn from_name(name: &str) -> Option<Fault> {
        if let Some(rule) = name.strip_prefix(BREAK_RESPONSE_RULE_PREFIX) {
            let known = BREAKABLE_RESPONSES.iter().any(|model| must_rule_of(model, rule));
            return known.then(|| Fault::BreakResponseRule(rule.to_owned()));
        }
        if let Some(rule) = name.strip_prefix(IGNORE_RULE_PREFIX) {
            let known = upi_spec::catalogue::all().into_iter().any(|r| r.id == rule);
            return known.then(|| Fault::IgnoreRule(rule.to_owned()));
        }
        Fault::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The rule every answer of response model `model` must break: that of
    /// [`Fault::BreakResponseRule`] when it is a `must` rule of `model` in the catalogue and
    /// `model` is one the server sends ([`BREAKABLE_RESPONSES`]).
    pub fn broken_response_rule(&self, model: &str) -> Option<&str> {
        match self {
            Fault::BreakResponseRule(rule)
                if BREAKABLE_RESPONSES.contains(&model)
                    && rule.strip_prefix(model).is_some_and(|rest| rest.starts_with('.'))
                    && must_rule_of(model, rule) =>
            {
                Some(rule)
            }
            _ => None,
        }
    }

    /// Whether this fault makes the server ignore violations of the request rule `rule_id`.
    pub fn ignores(&self, rule_id: &str) -> bool {
        // The rule in every registerIntent version, by typed handle (nothing takes an ID apart).
        let register_intent = |rules: [RuleId; 4]| rules.iter().any(|r| r.as_str() == rule_id);
        match self {
            Fault::AcceptLongMerchantRequestId => {
                register_intent(field::REGISTER_INTENT_REQUEST_MERCHANT_REQUEST_ID_MAX_LENGTH)
            }
            Fault::AcceptAmountWithoutDecimals => register_intent(field::REGISTER_INTENT_REQUEST_AMOUNT_FORMAT),
            Fault::AcceptRefUrlWithoutCategory => {
                register_intent(field::REGISTER_INTENT_REQUEST_REF_URL_NEEDS_CATEGORY)
            }
            Fault::IgnoreRoutingHeader => {
                register_intent(field::REGISTER_INTENT_REQUEST_ROUTING_ID_EQUALS_MERCHANT_REQUEST_ID)
            }
            Fault::AcceptMissingJpupiRoutingId => {
                register_intent(field::REGISTER_INTENT_REQUEST_JPUPI_ROUTING_ID_REQUIRED)
            }
            Fault::OrdersWithoutAuth => rule_id == "ec.orders.request.header.authorization.required",
            Fault::IgnoreRule(rule) => rule == rule_id,
            _ => false,
        }
    }
}

/// Whether `rule_id` is a `must` rule of the model `model` in the catalogue.
fn must_rule_of(model: &str, rule_id: &str) -> bool {
    upi_spec::messages::find(model).is_some_and(|m| {
        upi_spec::catalogue::rules_of(m).into_iter().any(|r| {
            r.id == rule_id && upi_spec::catalogue::declared(&r.id).unwrap_or(r.severity) == upi_spec::Severity::Must
        })
    })
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for fault in Fault::ALL {
            assert_eq!(Fault::from_name(&fault.name()), Some(fault.clone()));
            assert!(!fault.description().is_empty());
        }
        let mut names: Vec<_> = Fault::ALL.iter().map(|f| f.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Fault::ALL.len());
        assert_eq!(Fault::from_name("no-such-fault"), None);
    }

    #[test]
    fn ignore_rule_takes_exactly_one_catalogue_rule() {
        let rule = "merchant.register-intent.v3.request.amount.format";
        let fault = Fault::from_name(&format!("ignore-rule={rule}")).expect("a catalogue rule");
        assert_eq!(fault, Fault::IgnoreRule(rule.into()));
        assert_eq!(fault.to_string(), format!("ignore-rule={rule}"));
        assert!(fault.ignores(rule));
        assert!(!fault.ignores("merchant.register-intent.v2.request.amount.format"));
        assert_eq!(Fault::from_name("ignore-rule=no.such.rule"), None);
        assert_eq!(Fault::from_name("ignore-rule="), None);
        let listed = Fault::listed();
        assert_eq!(listed.len(), Fault::ALL.len() + 2);
        assert_eq!(listed[Fault::ALL.len()].name(), "ignore-rule=RULE_ID");
        assert_eq!(
            listed.last().map(Fault::name).as_deref(),
            Some("break-response-rule=RULE_ID")
        );
    }

    #[test]
    fn break_response_rule_takes_only_must_rules_of_responses() {
        let rule = "ec.txns.response.payment.sdk_params.merchant_vpa.format";
        let fault = Fault::from_name(&format!("break-response-rule={rule}")).expect("a response rule");
        assert_eq!(fault.to_string(), format!("break-response-rule={rule}"));
        assert_eq!(fault.broken_response_rule("ec.txns.response"), Some(rule));
        assert_eq!(fault.broken_response_rule("ec.txns.error"), None);
        assert_eq!(fault.broken_response_rule("ec.orders.response"), None);
        assert!(!fault.ignores(rule));
        assert_eq!(
            Fault::from_name("break-response-rule=ec.txns.request.order_id.required"),
            None
        );
        assert_eq!(Fault::from_name("break-response-rule=no.such.rule"), None);
        // The S2S callback is sent, so its rules are taken; the webhook is not.
        let callback = Fault::from_name("break-response-rule=payu.callback.status.enum").expect("a callback rule");
        assert_eq!(
            callback.broken_response_rule("payu.callback"),
            Some("payu.callback.status.enum")
        );
        assert_eq!(Fault::from_name("break-response-rule=payu.webhook.status.enum"), None);
        assert_eq!(
            Fault::BreakResponseRule("payu.webhook.status.enum".into()).broken_response_rule("payu.webhook"),
            None
        );
    }

    #[test]
    fn breakable_responses_are_response_models() {
        for model in BREAKABLE_RESPONSES {
            let message = upi_spec::messages::find(model).unwrap_or_else(|| panic!("{model}: no such model"));
            assert_eq!(message.direction, upi_spec::model::Direction::Response, "{model}");
        }
    }

    #[test]
    fn rule_faults_name_rules_of_the_catalogue() {
        let ids: Vec<String> = upi_spec::catalogue::all().into_iter().map(|r| r.id).collect();
        for fault in Fault::ALL {
            let hits = ids.iter().filter(|id| fault.ignores(id)).count();
            let rule_fault = matches!(
                fault,
                Fault::AcceptLongMerchantRequestId
                    | Fault::AcceptAmountWithoutDecimals
                    | Fault::AcceptRefUrlWithoutCategory
                    | Fault::IgnoreRoutingHeader
                    | Fault::AcceptMissingJpupiRoutingId
                    | Fault::OrdersWithoutAuth
            );
            assert_eq!(hits > 0, rule_fault, "{fault}: {hits} rules ignored");
        }
    }
}
