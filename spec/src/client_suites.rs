//! The rules of the client-side suites: `tpap run` (an SDK behind a shim) and `client-test` (a
//! merchant's callback endpoint and Merchant Stack client). Their IDs are the handles of
//! [`crate::rule_ids::client`]; this module gives each a statement, a severity and what it
//! rests on, so `rules show` explains every rule those reports name.
//!
//! `must` only where a seed states the behaviour (the quote is in `spec/data/grounding-hand.json`
//! and checked by the grounding law test); what we infer is `should`. The shim rules are about
//! our own protocol (`docs/SHIM.md`), which no seed describes, and say so.

use crate::rule::{Rule, SchemaCoverage, Severity};
use crate::rule_ids::client as id;
use crate::source::{Source, seeds};

const BEHAVIOUR: &str = "about what an implementation does with a message, not a message's shape";

const SHIM_PROTOCOL: &str = "our protocol, not a seed's: docs/SHIM.md defines the shim's JSON lines; a shim that breaks it leaves the call unjudged, so the case fails";
const SHIM_HELLO: &str = "our protocol, not a seed's: docs/SHIM.md's hello carries the key the suite signs with; a shim whose SDK takes keys out of band may refuse it, so it warns";
const TPAP_ACCEPTS: &str = "an SDK that refuses valid, correctly signed process payloads is as broken as one that accepts broken ones; seed 002 prints the answers (`error: false`) but no sentence states that a valid payload is accepted, so it is a should";
const TPAP_REQUEST_ID: &str = "every response sample of seed 002 repeats the request's requestId; no table states it";
const TPAP_ORDER_ID: &str = "seed 002's response payloads carry orderId, \"Order ID for the transaction\", which is the signed order_id in every sample; no sentence states the echo";
const AMOUNT: &str = "seed 004 lists the callback's amount (\"Transaction amount\") but does not tell the merchant to compare it with the order's; a correct hash over another amount is PayU's word for another payment";
const UNKNOWN: &str = "seed 004's callback names \"Your transaction ID\"; a txnid the merchant never issued is no order of its own, which no sentence spells out";
const IDEMPOTENT: &str = "seed 004: PayU sends the callback \"whenever the transaction status gets updated\", so the same callback can come again; fulfilling once is our reading";
const REPLAY: &str = "DOMAIN.md's reverse hash does not cover mihpayid, so a replayed callback with another mihpayid still verifies; crediting once per txnid is our reading";
const EVIDENCE: &str = "not a requirement: marks a verdict drawn from the callback's HTTP status because the merchant's order state was not read";
const BEFORE_ANSWER: &str = "seed 004 step 4: \"PayU can also send a server-to-server callback response whenever the transaction status gets updated\": nothing makes the callback wait for the _payment answer, so a merchant should record one that lands while its own _payment request is in flight and not let the later (pending) answer undo it; no sentence states it";
const MS_ACCEPTS: &str = "a client that refuses a valid, signed registerIntent answer cannot take payments; inferred";
const MS_SIGNATURE: &str = "DOMAIN.md: \"Responses with HTTP 200 carry an x-response-signature header: RS256 over the raw response body, verifiable with the PSP's public key\"; seed 003 does not mention it, so that the client verifies it is inferred";

/// The rules the client-side suites report.
pub fn rules() -> Vec<Rule> {
    let tpap = |section| Source::seed(seeds::TPAP_SDK, section);
    let payu = |section| Source::seed(seeds::PAYU, section);
    let rows: [(crate::id::RuleId, &str, Severity, &str, Source); 16] = [
        (
            id::TPAP_SHIM_PROTOCOL,
            "the shim answers each call with one JSON object in time: the call's numeric id and exactly one of response or error (docs/SHIM.md)",
            Severity::Must,
            "tpap.shim",
            Source::derived(SHIM_PROTOCOL),
        ),
        (
            id::TPAP_SHIM_HELLO,
            "the shim accepts the hello that registers the key the suite signs with (docs/SHIM.md)",
            Severity::Should,
            "tpap.shim",
            Source::derived(SHIM_HELLO),
        ),
        (
            id::TPAP_ACCEPTS_VALID,
            "a valid, correctly signed process payload is accepted (error false, a status other than FAILURE) and answered by its response model",
            Severity::Should,
            "tpap.process",
            Source::derived(TPAP_ACCEPTS),
        ),
        (
            id::TPAP_PAIR_REQUEST_ID,
            "the process_result repeats the request's requestId",
            Severity::Should,
            "tpap.process",
            Source::derived(TPAP_REQUEST_ID),
        ),
        (
            id::TPAP_PAIR_ORDER_ID,
            "the process_result's orderId is the order_id of the signed payload",
            Severity::Should,
            "tpap.process",
            Source::derived(TPAP_ORDER_ID),
        ),
        (
            id::TPAP_PAIR_UDF,
            "the onboardingAndPay answer's UdfParameters is the request's, as passed in request",
            Severity::Must,
            "tpap.process",
            tpap("IN-APP UPI with UI > 3. UPI Onboarding and Payment > Response Payload"),
        ),
        (
            id::CALLBACK_ACCEPTS_VALID,
            "the merchant receives and processes the server-to-server callback response: a success callback whose reverse hash verifies, for the order's amount, marks the order paid",
            Severity::Must,
            "merchant.payu.callback",
            payu("UPI Intent with S2S Integration"),
        ),
        (
            id::CALLBACK_VERIFIES_HASH,
            "a callback whose reverse hash (the response hash for verification) does not verify changes no order",
            Severity::Must,
            "merchant.payu.callback",
            payu("Step 5. Verify the payment > Callback Response Parameters"),
        ),
        (
            id::CALLBACK_CHECKS_AMOUNT,
            "a success callback for another amount than the order's does not mark it paid, even with a correct hash",
            Severity::Should,
            "merchant.payu.callback",
            Source::derived(AMOUNT),
        ),
        (
            id::CALLBACK_UNKNOWN_TXNID,
            "a callback for a txnid the merchant never issued creates or pays nothing",
            Severity::Should,
            "merchant.payu.callback",
            Source::derived(UNKNOWN),
        ),
        (
            id::CALLBACK_IDEMPOTENT,
            "the same callback twice fulfils the order once, and is acknowledged both times",
            Severity::Should,
            "merchant.payu.callback",
            Source::derived(IDEMPOTENT),
        ),
        (
            id::CALLBACK_REPLAY,
            "a replayed success callback (another mihpayid, the same hashed fields) credits nothing again",
            Severity::Should,
            "merchant.payu.callback",
            Source::derived(REPLAY),
        ),
        (
            id::CALLBACK_BEFORE_ANSWER,
            "a success callback that arrives while the merchant's own _payment request is still in flight is kept: the order ends paid, not pending or unknown",
            Severity::Should,
            "merchant.payu.callback",
            Source::derived(BEFORE_ANSWER),
        ),
        (
            id::CALLBACK_WEAK_EVIDENCE,
            "a verdict drawn from the callback's HTTP status alone (no --order-status-url) is weaker evidence",
            Severity::Info,
            "merchant.payu.callback",
            Source::derived(EVIDENCE),
        ),
        (
            id::CLIENT_ACCEPTS_VALID,
            "a Merchant Stack client accepts a registerIntent answer whose x-response-signature verifies",
            Severity::Should,
            "merchant.juspay.register-intent.client",
            Source::derived(MS_ACCEPTS),
        ),
        (
            id::CLIENT_VERIFIES_SIGNATURE,
            "a Merchant Stack client refuses a registerIntent answer whose x-response-signature does not verify",
            Severity::Should,
            "merchant.juspay.register-intent.client",
            Source::derived(MS_SIGNATURE),
        ),
    ];
    rows.into_iter()
        .map(|(rule, statement, severity, scope, source)| Rule {
            grounding: crate::grounding::of(rule.as_str(), &source),
            id: rule.as_str().to_owned(),
            statement: statement.to_owned(),
            severity,
            source,
            scope: scope.to_owned(),
            schema: SchemaCoverage::NotExpressible { why: BEHAVIOUR },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// Every handle of `rule_ids::client` has its rule here, once.
    #[test]
    fn every_client_handle_has_one_rule() {
        let rules: Vec<String> = super::rules().into_iter().map(|r| r.id).collect();
        let unique: BTreeSet<&String> = rules.iter().collect();
        assert_eq!(unique.len(), rules.len(), "{rules:?}");
        let declared: BTreeSet<String> = super::id::DECLARED.iter().map(|r| r.as_str().to_owned()).collect();
        assert_eq!(declared, rules.iter().cloned().collect::<BTreeSet<_>>());
    }
}
