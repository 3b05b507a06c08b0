//! Whether a refusal refuses for the rule the case broke (issue 11, root cause 3b). Any refusal
//! used to pass a rejection case, so a server that ignores a rule passed whenever the request
//! tripped anything else. Where the seed (or a verified DOMAIN.md item) pins how a refusal of a
//! kind of rule looks, the case requires it, with the quote ([`Pinned`]), at the rule's own
//! severity: `must` for a stated rule (a signature mismatch answers 401); for a `should` rule
//! (the seed pins 109 for "a mandatory field", but that the field is mandatory is our reading)
//! a `should` finding. Otherwise a
//! refusal whose reason code (the endpoint's `reason_code` pointer in the API facts) names
//! another cause or another rule is a `should` finding "refused, but not for this rule".
//!
//! PayU `_payment`'s `metaData.message` is left unpinned: seed 004 prints no `_payment` refusal
//! at all (ERRATA E-091), and the one `metaData.message` it prints is `null`, in the success
//! answer of Step 2 ("If metaData.unmappedStatus = pending, …"). No seed or DOMAIN.md sentence
//! gives the message a refusal carries, so no value is required of it; the test
//! `payu_metadata_message_is_unpinned_because_the_seed_prints_none` fails when a seed starts
//! printing one, so the pin is added then.

use serde_json::Value;
use upi_spec::Severity;

use super::api::ApiCase;
use super::case::Finding;
use super::config::Api;
use super::http::Exchange;
use super::judge::Broken;

pub use upi_spec::model::api::PinnedRefusal as Pinned;

/// A request whose JWS signature does not verify (a payload changed after signing, a key the
/// target does not know).
pub const SIGNATURE_MISMATCH: Pinned = Pinned {
    status: Some(401),
    code: None,
    source: "DOMAIN.md, Juspay UPI Merchant Stack signing",
    quote: "A signature mismatch on a request answers HTTP 401.",
};

/// What the seed pins for a refusal of a rule requiring a field (`missing`) of `api` (the
/// operation's `missing_field_refusal` fact).
pub fn pinned_for(api: &ApiCase, missing: bool) -> Option<Pinned> {
    api.facts.missing_field_refusal.filter(|_| missing)
}

/// Reason codes that name a cause other than the request's content, per service: Merchant
/// Stack's outer `responseCode`s from DOMAIN.md's list that are about a request's state or an
/// answer ("Outer `responseCode` values seen in Juspay's integrations: SUCCESS, FAILURE,
/// REQUEST_NOT_FOUND, REQUEST_EXPIRED, DROPOUT, ..."), and EC's `UNAUTHENTICATED` (DOMAIN.md
/// "Codes include INVALID_INPUT, MISSING_MANDATORY_PARAMETER, UNAUTHENTICATED"), which names the
/// API key, never a field of `/txns` (which "is exempt" from Basic auth).
const OTHER_CAUSES: &[(Api, &[&str])] = &[
    (
        Api::MERCHANT,
        &[
            "SUCCESS",
            "REQUEST_NOT_FOUND",
            "REQUEST_EXPIRED",
            "DROPOUT",
            "DEVICE_FINGERPRINT_MISMATCH",
            "INVALID_TRANSACTION_ID",
            "UNINITIATED_REQUEST",
            "INVALID_REFUND_AMOUNT",
            "REQUEST_PENDING",
            "DUPLICATE_REQUEST",
        ],
    ),
    (Api::EC, &["UNAUTHENTICATED"]),
];

/// The reason code of a refusal body at `pointer` (a string, or a number as it reads).
fn reason_code(pointer: &str, body: &[u8]) -> Option<String> {
    let body: Value = serde_json::from_slice(body).ok()?;
    match body.pointer(pointer)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Judges the reason of `x`, a refusal (already judged as one) of a request breaking
/// `broken.rule`: the pinned status and code (at the rule's severity), else whether its reason code names
/// another cause or another rule of the request (`should`).
pub fn judge(api: &ApiCase, broken: Broken<'_>, x: &Exchange, findings: &mut Vec<Finding>) {
    let rule = broken.rule;
    let Some(status) = x.status else { return };
    let code = api.facts.reason_code.and_then(|p| reason_code(p, &x.response_bytes));
    if let Some(pinned) = broken.pinned {
        if let Some(expected) = pinned.status
            && status != expected
        {
            findings.push(Finding {
                rule: rule.to_string(),
                severity: broken.severity,
                message: format!(
                    "refused with HTTP {status}, but a refusal for this rule answers HTTP {expected} ({}: \"{}\")",
                    pinned.source, pinned.quote
                ),
            });
        }
        if let (Some(expected), Some(code)) = (pinned.code, &code)
            && code != expected
        {
            findings.push(Finding {
                rule: rule.to_string(),
                severity: broken.severity,
                message: format!(
                    "refused with reason code {code:?}, but a refusal for this rule says {expected:?} ({}: \"{}\")",
                    pinned.source, pinned.quote
                ),
            });
        }
        return;
    }
    let Some(code) = code else { return };
    let other_cause = OTHER_CAUSES
        .iter()
        .any(|(service, codes)| *service == api.api && codes.contains(&code.as_str()));
    let other_rule = Some(api.request.message()).and_then(|m| {
        upi_spec::sites::sites(m)
            .into_iter()
            .map(|s| s.rule)
            .find(|r| r != rule && code.contains(r.as_str()) && !rule.starts_with(&format!("{r}.")))
    });
    let why = match (other_cause, other_rule) {
        (true, _) => format!("its reason code {code:?} names another cause"),
        (false, Some(other)) => format!("its reason code names another rule, {other}"),
        (false, None) => return,
    };
    findings.push(Finding {
        rule: rule.to_string(),
        severity: Severity::Should,
        message: format!("refused, but not for this rule: {why} (HTTP {status})"),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_code_reads_as_a_string_or_a_number_and_nothing_else() {
        let cases: &[(&str, &[u8], Option<&str>)] = &[
            ("/responseCode", br#"{"responseCode":"109"}"#, Some("109")),
            ("/responseCode", br#"{"responseCode":109}"#, Some("109")),
            (
                "/metaData/message",
                br#"{"metaData":{"message":"bad hash"}}"#,
                Some("bad hash"),
            ),
            ("/metaData/message", br#"{"metaData":{"message":null}}"#, None),
            ("/error_code", br#"{"status":"error"}"#, None),
            ("/error_code", b"not json", None),
        ];
        for (pointer, body, expected) in cases {
            assert_eq!(
                reason_code(pointer, body).as_deref(),
                *expected,
                "{pointer} in {}",
                String::from_utf8_lossy(body)
            );
        }
    }

    /// Seed 004's only `metaData.message` is the success answer's `null`: nothing to pin for a
    /// refusal (see the module docs). Would fail if the seed printed a refusal message.
    #[test]
    fn payu_metadata_message_is_unpinned_because_the_seed_prints_none() {
        let seed = include_str!("../../../golden/seeds/text/004_6cda0769cab7ed06.txt");
        let squash: String = seed.split_whitespace().collect();
        let messages: Vec<&str> = squash
            .match_indices("\"message\":")
            .map(|(at, m)| &squash[at + m.len()..(at + m.len() + 4).min(squash.len())])
            .collect();
        assert_eq!(messages, ["null"], "seed 004's metaData.message values");
        assert!(squash.contains("\"unmappedStatus\":\"pending\""));
    }

    #[test]
    fn the_pinned_quotes_are_the_sources_words() {
        let domain = include_str!("../../../golden/seeds/text/DOMAIN.md");
        assert!(
            domain.contains(SIGNATURE_MISMATCH.quote),
            "{}",
            SIGNATURE_MISMATCH.quote
        );
        let seed = include_str!("../../../golden/seeds/text/004_6cda0769cab7ed06.txt");
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        // The refusals the API facts pin (PayU's invoice upload: 109 for a missing field).
        let pinned: Vec<Pinned> = upi_spec::messages::apis()
            .iter()
            .flat_map(|a| a.operations.iter().filter_map(|o| o.missing_field_refusal))
            .collect();
        assert!(!pinned.is_empty());
        for p in pinned {
            assert!(squash(seed).contains(&squash(p.quote)), "{}", p.quote);
        }
    }
}
