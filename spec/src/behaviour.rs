//! Rules about an implementation's behaviour across messages, which no single message's model
//! can state: a valid request is accepted, IDs are unique, an order must exist to be paid, the
//! PayU callback is delivered and `verify_payment` agrees with it, and the transport answers.
//! The conformance runner checks these; the message models check everything else.

use std::sync::LazyLock;

use crate::id::{MessageId, RuleId};
use crate::messages;
use crate::model::{Direction, Message};
use crate::rule::{Rule, RuleDef, SchemaCoverage, Severity};
use crate::source::{Source, seeds};

/// The behaviour rules' IDs, declared once here and used by the runner as typed handles.
pub mod ids {
    crate::id::rule_ids! {
        /// `merchant.register-intent.merchantRequestId.unique`.
        REGISTER_INTENT_MERCHANT_REQUEST_ID_UNIQUE = "merchant.register-intent.merchantRequestId.unique";
        /// `payu.payment.txnid.unique`.
        PAYU_PAYMENT_TXNID_UNIQUE = "payu.payment.txnid.unique";
        /// `ec.txns.order.exists`.
        EC_TXNS_ORDER_EXISTS = "ec.txns.order.exists";
        /// `ec.orders.authenticated`.
        EC_ORDERS_AUTHENTICATED = "ec.orders.authenticated";
        /// `payu.callback.delivered`.
        PAYU_CALLBACK_DELIVERED = "payu.callback.delivered";
        /// `payu.verify-payment.agrees`.
        PAYU_VERIFY_PAYMENT_AGREES = "payu.verify-payment.agrees";
        /// `merchant.register-intent.response-signed`.
        REGISTER_INTENT_RESPONSE_SIGNED = "merchant.register-intent.response-signed";
        /// `payu.payment.intent.amount-as-passed`.
        PAYU_INTENT_AMOUNT_AS_PASSED_ID = "payu.payment.intent.amount-as-passed";
        /// `payu.payment.intent.pending`.
        PAYU_INTENT_PENDING_ID = "payu.payment.intent.pending";
        /// `ec.txns.fresh.pending`.
        EC_TXNS_FRESH_PENDING_ID = "ec.txns.fresh.pending";
        /// `ec.txns.format.redirect`.
        EC_TXNS_FORMAT_REDIRECT = "ec.txns.format.redirect";
        /// `payu.udf-update.udfs-as-posted`.
        PAYU_UDF_UPDATE_UDFS_AS_POSTED = "payu.udf-update.udfs-as-posted";
        /// `payu.udf-update.persisted`.
        PAYU_UDF_UPDATE_PERSISTED = "payu.udf-update.persisted";
        /// `payu.udf-update.txnid.exists`.
        PAYU_UDF_UPDATE_TXNID_EXISTS = "payu.udf-update.txnid.exists";
        /// `payu.invoice-upload.payuid.exists`.
        PAYU_INVOICE_UPLOAD_PAYUID_EXISTS = "payu.invoice-upload.payuid.exists";
        /// `payu.payment.intent.tid-unique`.
        PAYU_INTENT_TID_UNIQUE = "payu.payment.intent.tid-unique";
        /// `payu.callback.amount-as-passed`.
        PAYU_CALLBACK_AMOUNT_AS_PASSED = "payu.callback.amount-as-passed";
        /// `payu.callback.mihpayid-is-payment-id`.
        PAYU_CALLBACK_MIHPAYID_IS_PAYMENT_ID = "payu.callback.mihpayid-is-payment-id";
        /// `transport.reachable`.
        TRANSPORT_REACHABLE = "transport.reachable";
        /// `transport.timeout`.
        TRANSPORT_TIMEOUT = "transport.timeout";
        /// `transport.no-server-error`.
        TRANSPORT_NO_SERVER_ERROR = "transport.no-server-error";
        /// `transport.body-size`.
        TRANSPORT_BODY_SIZE = "transport.body-size";
        /// `transport.no-secret-reflected`.
        TRANSPORT_NO_SECRET_REFLECTED = "transport.no-secret-reflected";
    }
}

/// The rule that a request satisfying every must rule of `request` (a message with an endpoint)
/// is accepted: `<request>.accepted`. `None` for a message without one. A request model of no
/// registry (a toy API declared in a test) has its rule too, made once.
pub fn accepted(request: MessageId) -> Option<RuleId> {
    fn accepted_of(m: &Message) -> Option<RuleId> {
        (m.direction == Direction::Request && m.endpoint.is_some())
            .then(|| RuleId::declare(Box::leak(format!("{}.accepted", m.id).into_boxed_str())))
    }
    static ACCEPTED: LazyLock<Vec<(MessageId, RuleId)>> = LazyLock::new(|| {
        messages::all()
            .iter()
            .filter_map(|m| Some((MessageId::of(m), accepted_of(m)?)))
            .collect()
    });
    static OTHERS: std::sync::Mutex<Vec<(MessageId, RuleId)>> = std::sync::Mutex::new(Vec::new());
    if let Some((_, r)) = ACCEPTED.iter().find(|(m, _)| *m == request) {
        return Some(*r);
    }
    if messages::find(request.as_str()).is_some() {
        return None;
    }
    let mut others = OTHERS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, r)) = others.iter().find(|(m, _)| *m == request) {
        return Some(*r);
    }
    let rule = accepted_of(request.message())?;
    others.push((request, rule));
    Some(rule)
}

const WHY: &str = "a rule about behaviour across requests; JSON Schema judges one document";

/// Request rules whose breach a stated behaviour rule answers with something other than a
/// refusal, each with that behaviour rule: the runner plans no rejection case for them and the
/// reference server never refuses them (seed 001: `format` other than `json` "is HTTP 302 with
/// the Location attribute having the destination URL").
const ANSWERED_OTHERWISE: &[(&str, RuleId, &str)] = &[(
    "ec.txns.request.format.const",
    ids::EC_TXNS_FORMAT_REDIRECT,
    "seed 001 answers a format other than json with HTTP 302 and a Location, not a refusal (ec.txns.format.redirect, checked by its flow)",
)];

/// The behaviour rule that answers a breach of the request rule `rule` otherwise than with a
/// refusal, and why, if any (see [`ANSWERED_OTHERWISE`]).
pub fn answered_by(rule: &str) -> Option<(RuleId, &'static str)> {
    ANSWERED_OTHERWISE
        .iter()
        .find(|(r, _, _)| *r == rule)
        .map(|(_, by, why)| (*by, *why))
}

/// `payu.payment.intent.amount-as-passed`: the `am` of `result.intentURIData` is the amount
/// posted to `_payment` (seed 004 Step 2: "This must be the same as the amount passed").
pub const PAYU_INTENT_AMOUNT_AS_PASSED: &str = ids::PAYU_INTENT_AMOUNT_AS_PASSED_ID.as_str();

/// `payu.payment.intent.pending`: an answer that hands out `result.intentURIData` reports the
/// payment pending (`metaData.txnStatus` and `unmappedStatus`).
pub const PAYU_INTENT_PENDING: &str = ids::PAYU_INTENT_PENDING_ID.as_str();

/// `ec.txns.fresh.pending`: `/txns` for a fresh order answers `status` PENDING_VBV.
pub const EC_TXNS_FRESH_PENDING: &str = ids::EC_TXNS_FRESH_PENDING_ID.as_str();

/// `ec.txns.format.redirect`: `/txns` with a `format` other than `json` answers HTTP 302 with a
/// `Location` (seed 001, `format`).
pub const EC_TXNS_FORMAT_REDIRECT: &str = ids::EC_TXNS_FORMAT_REDIRECT.as_str();

fn rule(id: impl Into<String>, statement: impl Into<String>, severity: Severity, source: Source, scope: &str) -> Rule {
    let id: String = id.into();
    Rule {
        grounding: crate::grounding::of(&id, &source),
        id,
        statement: statement.into(),
        severity,
        source,
        scope: scope.to_string(),
        schema: SchemaCoverage::NotExpressible { why: WHY },
    }
}

/// The behaviour rules declared one by one (the `accepted` rules are derived from the messages).
const DECLARED: &[RuleDef] = &[
    RuleDef {
        id: ids::REGISTER_INTENT_MERCHANT_REQUEST_ID_UNIQUE.as_str(),
        statement: "a second registerIntent with a merchantRequestId already registered is rejected",
        severity: Severity::Must,
        source: Source::seed(
            seeds::REGISTER_INTENT,
            "API Version: V3 > Body Parameters > merchantRequestId: \"Merchant generated unique id for the transaction\"",
        ),
        scope: "merchant-register-intent",
    },
    RuleDef {
        id: ids::PAYU_PAYMENT_TXNID_UNIQUE.as_str(),
        statement: "a second _payment with a txnid already used is rejected",
        severity: Severity::Should,
        source: Source::derived(
            "PayU's txnid identifies one payment; seed 004's verify and update calls look payments up by it. Seed 004 gives txnid no description (only the sample 1234_abcdedf) and says duplicates are refused only of the intent's tid (\"do not allow duplicate transaction\"), so a should",
        ),
        scope: "payu.payment.request",
    },
    RuleDef {
        id: ids::EC_TXNS_ORDER_EXISTS.as_str(),
        statement: "/txns pays only an existing, unexpired order of the merchant (a timed-out one answers \"Order timed out\"); anything else answers the 400 error",
        severity: Severity::Must,
        source: Source::seed(
            seeds::EC_TXNS,
            "Body Parameters > order_id: \"order_id pertaining to the order for which the payment is started\"; API Responses > 400: \"Order timed out\"",
        ),
        scope: "ec.txns.request",
    },
    RuleDef {
        id: ids::EC_ORDERS_AUTHENTICATED.as_str(),
        statement: "POST /orders without the merchant's API key is rejected",
        severity: Severity::Must,
        source: Source::derived("DOMAIN.md: every EC API but /txns uses HTTP Basic auth with the API key"),
        scope: "ec.orders.request",
    },
    RuleDef {
        id: ids::PAYU_CALLBACK_DELIVERED.as_str(),
        statement: "when a payment's status changes, PayU posts the S2S (server-to-server) callback to the merchant's URL",
        severity: Severity::Must,
        source: Source::seed(seeds::PAYU, "Step 4: PayU sends Server-to-Server callback response"),
        scope: "payu.callback",
    },
    RuleDef {
        id: ids::PAYU_VERIFY_PAYMENT_AGREES.as_str(),
        statement: "verify_payment reports the status the S2S callback announced",
        severity: Severity::Must,
        source: Source::seed(
            seeds::PAYU,
            "Step 3: Check UPI transaction status; Step 5. Verify the payment",
        ),
        scope: "payu.verify-payment.response",
    },
    RuleDef {
        id: PAYU_INTENT_AMOUNT_AS_PASSED,
        statement: "the am of result.intentURIData is the amount passed to _payment (equal as decimal numbers)",
        severity: Severity::Must,
        source: Source::seed(seeds::PAYU, "Step 2: Invoke UPI Intent on customer's device (amount)"),
        scope: "payu.payment.response",
    },
    RuleDef {
        id: PAYU_INTENT_PENDING,
        statement: "an answer carrying result.intentURIData reports metaData.txnStatus and metaData.unmappedStatus pending: the payer has not paid yet",
        severity: Severity::Should,
        source: Source::derived(
            "seed 004: \"If metaData.unmappedStatus = pending, then get the result.intentURIData\" and its sample answers txnStatus and unmappedStatus pending; the seed lists no other status of a fresh intent, so a should",
        ),
        scope: "payu.payment.response",
    },
    RuleDef {
        id: EC_TXNS_FRESH_PENDING,
        statement: "the /txns answer for a fresh order has status PENDING_VBV: the payment has only started",
        severity: Severity::Should,
        source: Source::derived(
            "seed 001's 200 table gives status the description PENDING_VBV, a sample value in the description slot, so our reading: should",
        ),
        scope: "ec.txns.response",
    },
    RuleDef {
        id: EC_TXNS_FORMAT_REDIRECT,
        statement: "a /txns request whose format is not json is answered HTTP 302 with a Location header",
        severity: Severity::Must,
        source: Source::seed(seeds::EC_TXNS, "Request body > format"),
        scope: "ec.txns.request",
    },
    RuleDef {
        id: ids::PAYU_UDF_UPDATE_UDFS_AS_POSTED.as_str(),
        statement: "a udf_update success answer carries udf1..udf5 as posted in var2..var6 (a var not posted: empty)",
        severity: Severity::Should,
        source: Source::derived(
            "seed 004 Step 6 shows the mapping only by its sample (var2=AAAPZ1234C answered udf1, var4..var6 answered udf3..udf5, var3 not posted answered udf2 empty); E-077 records that no sentence states it, so a should",
        ),
        scope: "payu.udf-update.response",
    },
    RuleDef {
        id: ids::PAYU_UDF_UPDATE_PERSISTED.as_str(),
        statement: "after an accepted udf_update, verify_payment for that txnid reports udf1..udf5 as the update set them",
        severity: Severity::Should,
        source: Source::derived(
            "seed 004 Step 6: the invoice ID \"can be updated using the UDF Update API by posting it in the UDF5 parameter\", so an update the transaction does not keep is none; that verify_payment reports the udfs is PayU's verify_payment documentation, not the seed, so a should",
        ),
        scope: "payu.verify-payment.response",
    },
    RuleDef {
        id: ids::PAYU_UDF_UPDATE_TXNID_EXISTS.as_str(),
        statement: "a udf_update whose transaction ID has no data found (no payment has that txnid) is refused with status 0",
        severity: Severity::Must,
        source: Source::seed(
            seeds::PAYU,
            "Step 6: Update Invoice ID [Conditional] > Failure Scenarios",
        ),
        scope: "payu.udf-update.request",
    },
    RuleDef {
        id: ids::PAYU_INVOICE_UPLOAD_PAYUID_EXISTS.as_str(),
        statement: "an invoice upload whose payuid is invalid (var1 names no payment) is refused with responseCode 107",
        severity: Severity::Must,
        source: Source::seed(seeds::PAYU, "Step 7: Upload the Invoices [Optional] > Sample response"),
        scope: "payu.invoice-upload.request",
    },
    RuleDef {
        id: ids::PAYU_INTENT_TID_UNIQUE.as_str(),
        statement: "two payments' intents never carry the same tid: NPCI does not allow a duplicate transaction by it",
        severity: Severity::Must,
        source: Source::seed(seeds::PAYU, "Using the IntentURIData value in response > Notes (tid)"),
        scope: "payu.payment.response",
    },
    RuleDef {
        id: ids::PAYU_CALLBACK_MIHPAYID_IS_PAYMENT_ID.as_str(),
        statement: "the S2S callback's mihpayid (the PayU transaction ID) is the paymentId the _payment answer gave",
        severity: Severity::Should,
        source: Source::derived(
            "seed 004's callback table describes mihpayid as \"PayU transaction ID\" and the _payment answer carries result.paymentId, but the seed never names paymentId the PayU ID, so equating them is our reading: a should",
        ),
        scope: "payu.callback",
    },
    RuleDef {
        id: ids::PAYU_CALLBACK_AMOUNT_AS_PASSED.as_str(),
        statement: "the S2S callback's amount is the transaction amount: the amount posted to _payment (equal as decimal numbers)",
        severity: Severity::Must,
        source: Source::seed(
            seeds::PAYU,
            "Step 5. Verify the payment > Callback Response Parameters (amount)",
        ),
        scope: "payu.callback",
    },
    RuleDef {
        id: ids::REGISTER_INTENT_RESPONSE_SIGNED.as_str(),
        statement: "every HTTP 200 registerIntent response carries an x-response-signature over its raw body",
        severity: Severity::Must,
        source: Source::derived(
            "DOMAIN.md: responses with HTTP 200 carry an x-response-signature header, RS256 over the raw body",
        ),
        scope: "merchant-register-intent",
    },
    RuleDef {
        id: ids::TRANSPORT_REACHABLE.as_str(),
        statement: "the target answers every request: no refused or dropped connection",
        severity: Severity::Must,
        source: Source::derived("a payment API that does not answer cannot be integrated"),
        scope: "transport",
    },
    RuleDef {
        id: ids::TRANSPORT_TIMEOUT.as_str(),
        statement: "the target answers within the configured per-request timeout",
        severity: Severity::Must,
        source: Source::derived("merchants time out payment calls; a late answer is a lost payment"),
        scope: "transport",
    },
    RuleDef {
        id: ids::TRANSPORT_NO_SERVER_ERROR.as_str(),
        statement: "the target never answers 5xx, to well-formed or malformed requests",
        severity: Severity::Must,
        source: Source::derived("a 5xx on input is an unhandled case in the implementation"),
        scope: "transport",
    },
    RuleDef {
        id: ids::TRANSPORT_BODY_SIZE.as_str(),
        statement: "a response body fits within the configured cap",
        severity: Severity::Must,
        source: Source::derived("a runaway response is a defect and a denial-of-service risk"),
        scope: "transport",
    },
    RuleDef {
        id: ids::TRANSPORT_NO_SECRET_REFLECTED.as_str(),
        statement: "no response reflects a salt, private key or signature of the request",
        severity: Severity::Should,
        source: Source::derived(
            "reflecting secrets leaks them to logs and intermediaries; no seed or DOMAIN.md sentence says so, so a should",
        ),
        scope: "transport",
    },
];

/// The source of a request's `accepted` rule: the message's own seed section, so that it agrees
/// with the quote (the seed presenting the API and its success answer); where the message model
/// rests on DOMAIN.md, the seed file the quote cites.
fn accepted_source(id: &RuleId, m: &Message) -> Source {
    match (m.source, crate::grounding::quote(id.as_str())) {
        (Source::Seed { .. }, _) => m.source,
        (_, Some(q)) if q.file != "DOMAIN.md" => {
            Source::seed(q.file.as_str(), "the sentence presenting the API (quoted)")
        }
        (source, _) => source,
    }
}

/// Every behaviour rule.
pub fn rules() -> Vec<Rule> {
    let mut out: Vec<Rule> = messages::all()
        .iter()
        .filter(|m| m.direction == Direction::Request && m.endpoint.is_some())
        .filter_map(|m| {
            let id = accepted(MessageId::of(m))?;
            let source = accepted_source(&id, m);
            Some(rule(
                id,
                format!(
                    "a request satisfying every must rule of {} is accepted and answered with its success response",
                    m.id
                ),
                Severity::Must,
                source,
                m.id,
            ))
        })
        .collect();
    out.extend(
        DECLARED
            .iter()
            .map(|def| def.rule(SchemaCoverage::NotExpressible { why: WHY })),
    );
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_endpoint_of_the_api_facts_has_an_accepted_rule() {
        for api in crate::messages::apis() {
            for e in &api.operations {
                let rule = super::accepted(e.request).expect("an accepted rule");
                assert_eq!(rule.as_str(), format!("{}.accepted", e.request));
            }
        }
    }
}
