//! Rules about an implementation's behaviour across messages, which no single message's model
//! can state: a valid request is accepted, IDs are unique, an order must exist to be paid, the
//! PayU callback is delivered and `verify_payment` agrees with it, and the transport answers.
//! The conformance runner checks these; the message models check everything else.

use crate::messages;
use crate::model::Direction;
use crate::rule::{Rule, SchemaCoverage, Severity};
use crate::source::{Source, seeds};

const WHY: &str = "a rule about behaviour across requests; JSON Schema judges one document";

/// `payu.payment.intent.amount-as-passed`: the `am` of `result.intentURIData` is the amount
/// posted to `_payment` (seed 004 Step 2: "This must be the same as the amount passed").
pub const PAYU_INTENT_AMOUNT_AS_PASSED: &str = "payu.payment.intent.amount-as-passed";

/// `payu.payment.intent.pending`: an answer that hands out `result.intentURIData` reports the
/// payment pending (`metaData.txnStatus` and `unmappedStatus`).
pub const PAYU_INTENT_PENDING: &str = "payu.payment.intent.pending";

/// `ec.txns.fresh.pending`: `/txns` for a fresh order answers `status` PENDING_VBV.
pub const EC_TXNS_FRESH_PENDING: &str = "ec.txns.fresh.pending";

/// `ec.txns.format.redirect`: `/txns` with a `format` other than `json` answers HTTP 302 with a
/// `Location` (seed 001, `format`).
pub const EC_TXNS_FORMAT_REDIRECT: &str = "ec.txns.format.redirect";

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

/// Every behaviour rule.
pub fn rules() -> Vec<Rule> {
    let mut out: Vec<Rule> = messages::all()
        .iter()
        .filter(|m| m.direction == Direction::Request && m.endpoint.is_some())
        .map(|m| {
            rule(
                format!("{}.accepted", m.id),
                format!(
                    "a request satisfying every must rule of {} is accepted and answered with its success response",
                    m.id
                ),
                Severity::Must,
                Source::derived("an API that rejects conformant requests is as broken as one that accepts broken ones"),
                m.id,
            )
        })
        .collect();
    out.extend([
        rule(
            "merchant.register-intent.merchantRequestId.unique",
            "a second registerIntent with a merchantRequestId already registered is rejected",
            Severity::Must,
            Source::seed(seeds::REGISTER_INTENT, "API Version: V3 > Body Parameters > merchantRequestId: \"Merchant generated unique id for the transaction\""),
            "merchant-register-intent",
        ),
        rule(
            "payu.payment.txnid.unique",
            "a second _payment with a txnid already used is rejected",
            Severity::Must,
            Source::derived("PayU's txnid identifies one payment; seed 004's verify and update calls look payments up by it"),
            "payu.payment.request",
        ),
        rule(
            "ec.txns.order.exists",
            "/txns pays only an existing, unexpired order of the merchant; anything else answers the 400 error",
            Severity::Must,
            Source::seed(seeds::EC_TXNS, "Body Parameters > order_id: \"order_id pertaining to the order for which the payment is started\"; API Responses > 400: \"Order timed out\""),
            "ec.txns.request",
        ),
        rule(
            "ec.orders.authenticated",
            "POST /orders without the merchant's API key is rejected",
            Severity::Must,
            Source::derived("DOMAIN.md: every EC API but /txns uses HTTP Basic auth with the API key"),
            "ec.orders.request",
        ),
        rule(
            "payu.callback.delivered",
            "when a payment's status changes, PayU posts the S2S callback to the merchant's URL",
            Severity::Must,
            Source::seed(seeds::PAYU, "Step 4: PayU sends Server-to-Server callback response"),
            "payu.callback",
        ),
        rule(
            "payu.verify-payment.agrees",
            "verify_payment reports the status the S2S callback announced",
            Severity::Must,
            Source::seed(seeds::PAYU, "Step 3: Check UPI transaction status; Step 5. Verify the payment"),
            "payu.verify-payment.response",
        ),
        rule(
            PAYU_INTENT_AMOUNT_AS_PASSED,
            "the am of result.intentURIData is the amount passed to _payment (equal as decimal numbers)",
            Severity::Must,
            Source::seed(seeds::PAYU, "Step 2: Invoke UPI Intent on customer's device (amount)"),
            "payu.payment.response",
        ),
        rule(
            PAYU_INTENT_PENDING,
            "an answer carrying result.intentURIData reports metaData.txnStatus and metaData.unmappedStatus pending: the payer has not paid yet",
            Severity::Should,
            Source::derived("seed 004: \"If metaData.unmappedStatus = pending, then get the result.intentURIData\" and its sample answers txnStatus and unmappedStatus pending; the seed lists no other status of a fresh intent, so a should"),
            "payu.payment.response",
        ),
        rule(
            EC_TXNS_FRESH_PENDING,
            "the /txns answer for a fresh order has status PENDING_VBV: the payment has only started",
            Severity::Should,
            Source::derived("seed 001's 200 table gives status the description PENDING_VBV, a sample value in the description slot, so our reading: should"),
            "ec.txns.response",
        ),
        rule(
            EC_TXNS_FORMAT_REDIRECT,
            "a /txns request whose format is not json is answered HTTP 302 with a Location header",
            Severity::Must,
            Source::seed(seeds::EC_TXNS, "Request body > format"),
            "ec.txns.request",
        ),
        rule(
            "merchant.register-intent.response-signed",
            "every HTTP 200 registerIntent response carries an x-response-signature over its raw body",
            Severity::Must,
            Source::derived("DOMAIN.md: responses with HTTP 200 carry an x-response-signature header, RS256 over the raw body"),
            "merchant-register-intent",
        ),
        rule("transport.reachable", "the target answers every request: no refused or dropped connection", Severity::Must, Source::derived("a payment API that does not answer cannot be integrated"), "transport"),
        rule("transport.timeout", "the target answers within the configured per-request timeout", Severity::Must, Source::derived("merchants time out payment calls; a late answer is a lost payment"), "transport"),
        rule("transport.no-server-error", "the target never answers 5xx, to well-formed or malformed requests", Severity::Must, Source::derived("a 5xx on input is an unhandled case in the implementation"), "transport"),
        rule("transport.body-size", "a response body fits within the configured cap", Severity::Must, Source::derived("a runaway response is a defect and a denial-of-service risk"), "transport"),
        rule("transport.no-secret-reflected", "no response reflects a salt, private key or signature of the request", Severity::Must, Source::derived("reflecting secrets leaks them to logs and intermediaries"), "transport"),
    ]);
    out
}
