//! Case planning, derived from the models: for every API, one acceptance case per seed sample
//! and per generated valid message, one rejection case per `must` request rule (each with a
//! message breaking exactly that rule), and the flows and security cases of each suite. Every
//! case has a stable ID and lists the rule IDs it checks.

use std::path::PathBuf;

use upi_spec::{Severity, catalogue, messages};

use super::api::{self, ApiCase};
use super::case::CaseKind;

/// What a planned case does.
#[derive(Debug, Clone)]
pub enum Step {
    /// Send a valid message (a corrected seed sample, or generated number `n`) and expect acceptance.
    Accept {
        /// The API.
        api: ApiCase,
        /// A corrected seed sample, if this case sends one.
        sample: Option<PathBuf>,
        /// Generated message number (seeded).
        n: u64,
        /// Free-text fields carry non-ASCII text.
        unicode: bool,
    },
    /// Send a message breaking exactly `rule` and expect the API's rejection.
    Reject {
        /// The API.
        api: ApiCase,
        /// The rule broken.
        rule: String,
    },
    /// A rule that cannot be judged over HTTP; reported as skipped with the reason.
    Skip {
        /// Why the case cannot run.
        reason: &'static str,
    },
    /// A named flow or security case.
    Named {
        /// The API the case exercises.
        api: ApiCase,
        /// Which flow.
        name: &'static str,
    },
}

/// A planned case.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Stable ID.
    pub id: String,
    /// Suite.
    pub suite: String,
    /// Kind.
    pub kind: CaseKind,
    /// One line.
    pub title: String,
    /// Rules checked.
    pub rules: Vec<String>,
    /// What to do.
    pub step: Step,
}

/// Named flows and security cases per suite: (suite, name, kind, title, rules).
const NAMED: &[(&str, &str, CaseKind, &str, &[&str])] = &[
    (
        "ec-txns",
        "order-txns-deeplink",
        CaseKind::Flow,
        "create an order, pay it with /txns, build the deeplink from sdk_params",
        &[
            "ec.orders.response.order_id.required",
            "ec.txns.response.payment.sdk_params.amount.format",
            "deeplink.consistency.am",
        ],
    ),
    (
        "ec-txns",
        "unknown-order-rejected",
        CaseKind::Flow,
        "/txns for an order that does not exist is rejected with the error shape",
        &["ec.txns.order.exists", "ec.txns.error.status.const"],
    ),
    (
        "ec-txns",
        "orders-need-auth",
        CaseKind::Security,
        "POST /orders without the API key is rejected",
        &["ec.orders.authenticated"],
    ),
    (
        "merchant-register-intent",
        "duplicate-rejected",
        CaseKind::Flow,
        "registering the same merchantRequestId twice: the second is rejected",
        &["merchant.register-intent.merchantRequestId.unique"],
    ),
    (
        "merchant-register-intent",
        "jws-tampered-payload",
        CaseKind::Security,
        "a payload changed after signing is rejected",
        &["juspay.jws.signature"],
    ),
    (
        "merchant-register-intent",
        "jws-wrong-key",
        CaseKind::Security,
        "a JWS signed with another key is rejected",
        &["juspay.jws.signature"],
    ),
    (
        "merchant-register-intent",
        "jws-alg-none",
        CaseKind::Security,
        "an unsigned JWS with alg none is rejected",
        &["juspay.jws.alg-none"],
    ),
    (
        "merchant-register-intent",
        "jws-alg-hmac",
        CaseKind::Security,
        "HS256 keyed with the public key (algorithm confusion) is rejected",
        &["juspay.jws.alg-hmac"],
    ),
    (
        "merchant-register-intent",
        "jws-unknown-kid",
        CaseKind::Security,
        "a JWS naming an unknown kid is rejected",
        &["juspay.jws.kid-unknown"],
    ),
    (
        "merchant-register-intent",
        "jws-stale-iat",
        CaseKind::Security,
        "a request whose iat and x-timestamp are an hour old is rejected",
        &["juspay.jws.iat.stale"],
    ),
    (
        "merchant-register-intent",
        "jws-padded-base64",
        CaseKind::Security,
        "JWS segments with base64 padding are rejected",
        &["juspay.jws.base64url"],
    ),
    (
        "payu-intent",
        "wrong-hash-rejected",
        CaseKind::Security,
        "_payment with a hash computed with the wrong salt is rejected",
        &["payu.hash.request.mismatch"],
    ),
    (
        "payu-intent",
        "duplicate-txnid-rejected",
        CaseKind::Flow,
        "a second _payment with the same txnid is rejected",
        &["payu.payment.txnid.unique"],
    ),
    (
        "payu-intent",
        "callback-verify-udf",
        CaseKind::Flow,
        "complete a payment in the sandbox; the S2S callback arrives with a valid reverse hash, verify_payment agrees, udf_update works",
        &[
            "payu.callback.delivered",
            "payu.hash.response.mismatch",
            "payu.verify-payment.agrees",
            "payu.udf-update.request.accepted",
        ],
    ),
    (
        "ec-txns",
        "large-body",
        CaseKind::Security,
        LARGE_BODY_TITLE,
        LARGE_BODY_RULES,
    ),
    (
        "merchant-register-intent",
        "large-body",
        CaseKind::Security,
        LARGE_BODY_TITLE,
        LARGE_BODY_RULES,
    ),
    (
        "payu-intent",
        "large-body",
        CaseKind::Security,
        LARGE_BODY_TITLE,
        LARGE_BODY_RULES,
    ),
    (
        "payu-postservice",
        "large-body",
        CaseKind::Security,
        LARGE_BODY_TITLE,
        LARGE_BODY_RULES,
    ),
    (
        "payu-postservice",
        "udf-update-bad-hash",
        CaseKind::Security,
        "udf_update with a wrong command hash is rejected",
        &["payu.hash.command.mismatch"],
    ),
];

/// The large-body case of every suite (`super::large_body`).
const LARGE_BODY_TITLE: &str = "a valid request padded past 64 KiB with an unknown 100,000-character field is answered, \
     accepted or refused in the API's shape, never dropped and never a 5xx";
const LARGE_BODY_RULES: &[&str] = &["transport.reachable", "transport.timeout", "transport.no-server-error"];

/// Request rules no rejection case can judge over HTTP, with the reason (they are still
/// checked by `validate` and `audit` on captured requests).
const NOT_OVER_HTTP: &[(&str, &str)] = &[
    (
        ".header.x-api-version.required",
        "without x-api-version a request is a Default-version request: no server can tell it was meant for this version",
    ),
    (
        ".header.x-api-version.absent",
        "with x-api-version a request is a request of that version: no server can tell it was meant as a Default-version request",
    ),
];

/// Why no request can show whether a target enforces `rule_id`, if that is so.
pub fn not_over_http(rule_id: &str) -> Option<&'static str> {
    NOT_OVER_HTTP
        .iter()
        .find(|(suffix, _)| rule_id.ends_with(suffix))
        .map(|(_, reason)| *reason)
}

/// The flows that run once per suite (not per version).
const ONCE: &[&str] = &["duplicate-rejected"];

/// Plans every case of the selected suites. `versions` filters the Merchant Stack versions.
pub fn plan(suites: &[String], versions: &[String], generated: usize) -> Vec<Planned> {
    let mut out = Vec::new();
    for api in api::all() {
        if !suites.is_empty() && !suites.iter().any(|s| *s == api.suite || *s == api.name()) {
            continue;
        }
        if api.suite == "merchant-register-intent" && !versions.is_empty() && !versions.iter().any(|v| v == api.variant)
        {
            continue;
        }
        let Some(request) = messages::find(api.request) else {
            continue;
        };
        let suite = api.name();
        for sample in samples_of(api.request) {
            let name = sample
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            out.push(Planned {
                id: format!("accept.{suite}.sample.{name}"),
                suite: suite.clone(),
                kind: CaseKind::Accept,
                title: format!(
                    "the seed's corrected sample {name} is accepted and answered per {}",
                    api.success
                ),
                rules: vec![format!("{}.accepted", api.request)],
                step: Step::Accept {
                    api: api.clone(),
                    sample: Some(sample),
                    n: 0,
                    unicode: false,
                },
            });
        }
        for n in 0..generated as u64 {
            out.push(Planned {
                id: format!("accept.{suite}.generated.{n}"),
                suite: suite.clone(),
                kind: CaseKind::Accept,
                title: format!(
                    "generated valid {} number {n} is accepted and answered per {}",
                    api.request, api.success
                ),
                rules: vec![format!("{}.accepted", api.request)],
                step: Step::Accept {
                    api: api.clone(),
                    sample: None,
                    n,
                    unicode: false,
                },
            });
        }
        out.push(Planned {
            id: format!("accept.{suite}.unicode-text"),
            suite: suite.clone(),
            kind: CaseKind::Accept,
            title: format!(
                "a valid {} whose free-text fields are non-ASCII text is accepted, never a 5xx",
                api.request
            ),
            rules: vec![format!("{}.accepted", api.request), "transport.no-server-error".into()],
            step: Step::Accept {
                api: api.clone(),
                sample: None,
                n: 0,
                unicode: true,
            },
        });
        for rule in catalogue::rules_of(request) {
            if rule.severity != Severity::Must || rule.id.contains(".echo.") || context_owned(&api, &rule.id) {
                continue;
            }
            if let Some(reason) = not_over_http(&rule.id) {
                out.push(Planned {
                    id: format!("reject.{}", rule.id),
                    suite: suite.clone(),
                    kind: CaseKind::Reject,
                    title: format!("a request breaking only this rule is rejected: {}", rule.statement),
                    rules: vec![rule.id.clone()],
                    step: Step::Skip { reason },
                });
                continue;
            }
            out.push(Planned {
                id: format!("reject.{}", rule.id),
                suite: suite.clone(),
                kind: CaseKind::Reject,
                title: format!("a request breaking only this rule is rejected: {}", rule.statement),
                rules: vec![rule.id.clone()],
                step: Step::Reject {
                    api: api.clone(),
                    rule: rule.id.clone(),
                },
            });
        }
        for (s, name, kind, title, rules) in NAMED {
            if *s != api.suite
                || (ONCE.contains(name)
                    && api.variant != "v3"
                    && api.suite == "merchant-register-intent"
                    && !versions.is_empty()
                    && versions.len() > 1)
            {
                continue;
            }
            if api.suite == "payu-postservice" && api.variant != "udf-update" {
                continue;
            }
            out.push(Planned {
                id: format!(
                    "{}.{suite}.{name}",
                    if *kind == CaseKind::Flow { "flow" } else { "security" }
                ),
                suite: suite.clone(),
                kind: *kind,
                title: (*title).to_string(),
                rules: rules.iter().map(|r| (*r).to_string()).collect(),
                step: Step::Named { api: api.clone(), name },
            });
        }
    }
    out
}

/// Rules whose subject is a value the runner must supply from the target's state (credentials,
/// existing orders): breaking them is covered by flows, not by a generated rejection.
fn context_owned(api: &ApiCase, rule: &str) -> bool {
    let _ = api;
    rule.ends_with(".header.authorization.min-length")
}

/// The corrected seed samples of a request message (from `golden/seeds/MANIFEST.json`).
fn samples_of(message_id: &str) -> Vec<PathBuf> {
    let root = crate::embedded::path("golden/seeds");
    let Ok(text) = crate::embedded::read_to_string(&root.join("MANIFEST.json")) else {
        return Vec::new();
    };
    let Ok(entries) = serde_json::from_str::<Vec<serde_json::Value>>(&text) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .iter()
        .filter(|e| {
            e["message"] == message_id
                || (e["message"] == "merchant.jws-envelope"
                    && envelope_version(e["file"].as_str().unwrap_or("")) == Some(message_id))
        })
        .filter_map(|e| e["corrected"].as_str())
        .map(|f| root.join("corrected").join(f))
        .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "curl"))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn envelope_version(file: &str) -> Option<&'static str> {
    ["v3", "v2", "v1", "default"]
        .iter()
        .find(|v| file.contains(&format!("{v}-curl")))
        .map(|v| match *v {
            "v3" => "merchant.register-intent.v3.request",
            "v2" => "merchant.register-intent.v2.request",
            "v1" => "merchant.register-intent.v1.request",
            _ => "merchant.register-intent.default.request",
        })
}
