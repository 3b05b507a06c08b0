//! Readings as verdicts: where a seed sentence allows more than one defensible reading
//! (`upi_spec::readings`, recorded in `spec/ERRATA.md`), a target that follows a listed
//! non-default reading is `acceptable` (reported with the reading, never failing, `--strict`
//! or not), and one that follows the default passes. [`apply`] looks at a case's exchanges for
//! the evidence of each non-default reading and turns the findings that reading explains into
//! informational ones; the case's outcome is then `acceptable` unless something else failed.
//!
//! What each reading looks like on the wire:
//! * `E-091/200-failed`: `_payment` answers a refusal with HTTP 200 and
//!   `metaData.txnStatus = failed` (the refusal predicate already counts it as a refusal);
//! * `E-061/response-field`: a V3 registerIntent answer carries `txnInitiationMode`; under the
//!   default reading its absence is no finding ([`not_required`]);
//! * `E-093/status-0`: an invoice upload missing a field is answered `{status: 0, msg}`, which
//!   breaks the invoice response model's shape only because of the reading;
//! * the readings that relax a request rule (`E-046/range`, `E-092/absent`,
//!   `E-094/repeated-key`): a rejection case of that rule is accepted, and (E-046) the value
//!   sent holds no character the other reading forbids.
//!
//! * `C-02/domain`: a `_payment` with `api_version` 7 and a non-empty `udf6`..`udf10` is
//!   refused, and a later `_payment` of the same case with them too is accepted: the
//!   `api-version-7-hash` flow sends the second only after the first (hashed per Case 4) was
//!   refused, hashed without `udf6`..`udf10`, so its acceptance shows the other sequence.
//!
//! `E-089/defaulted` and `E-096/payload-status` (TPAP, not run over HTTP) have no evidence here:
//! a finding on their rules stays a finding.

use base64::Engine as _;
use serde_json::Value;
use upi_spec::id::MessageId;
use upi_spec::messages::ids;
use upi_spec::readings;

use super::api::ApiCase;
use super::case::Finding;
use super::http::Exchange;
use super::plan::{Planned, Step};

/// The readings [`apply`] can recognise on the wire, in the order it tries them.
pub const RECOGNISED: &[&str] = &[
    "E-091/200-failed",
    "E-061/response-field",
    "E-093/status-0",
    "E-046/range",
    "E-092/absent",
    "E-094/repeated-key",
    "C-02/domain",
];

/// Characters the `udfParameters` class forbids only when `#-(` is read as a range.
const RANGE_ONLY_FORBIDDEN: &[char] = &['$', '&', '\''];
/// Characters the class forbids only when read literally.
const LITERAL_ONLY_FORBIDDEN: &[char] = &['-'];

/// Whether a mapping violation is one the default reading of E-061 does not require: a V3
/// registerIntent answer without `TxnInitiationMode` (no V3 response table lists it).
pub fn not_required(response_id: &str, v: &upi_spec::Violation) -> bool {
    response_id == upi_spec::messages::ids::REGISTER_INTENT_V3_RESPONSE.as_str()
        && v.rule == upi_spec::deeplink::rules::MAPPING_MISSING.id
        && v.at.ends_with("TxnInitiationMode")
}

/// Finds the non-default reading the case's answers follow, if any, and turns the findings it
/// explains into `info` findings naming it. Returns the reading's ID.
pub fn apply(planned: &Planned, findings: &mut [Finding], exchanges: &[Exchange]) -> Option<&'static str> {
    let rejected_rule = match &planned.step {
        Step::Reject { rule, .. } => Some(rule.as_str()),
        _ => None,
    };
    let sent = || {
        exchanges
            .iter()
            .filter_map(|x| sent_document(&x.request_body))
            .collect()
    };
    apply_to(planned.api(), rejected_rule, findings, exchanges, &sent)
}

/// [`apply`] for a case of `api` that is not a planned one (a fuzz case): `rejected_rule` is the
/// rule its request breaks when it must be refused, `None` when it must be accepted; `sent` gives
/// the JSON documents its requests carried (a JWS envelope's payload, not the envelope), read
/// only where a reading's evidence needs them.
pub fn apply_to(
    api: Option<&ApiCase>,
    rejected_rule: Option<&str>,
    findings: &mut [Finding],
    exchanges: &[Exchange],
    sent: &dyn Fn() -> Vec<Value>,
) -> Option<&'static str> {
    let mut found = None;
    // First: the flow that shows C-02 refuses one `_payment` on purpose, which under E-091's
    // other reading also reads as that reading.
    if c02_domain(exchanges) {
        explain(findings, "C-02/domain", |f| {
            f.rule == upi_spec::rule_ids::crypto::PAYU_REQUEST_HASH.as_str()
        });
        found.get_or_insert("C-02/domain");
    }
    for x in exchanges {
        let Some(body) = json(&x.response_body) else { continue };
        if sent_to(x, ids::PAYU_PAYMENT_REQUEST)
            && x.status == Some(200)
            && body.pointer("/metaData/txnStatus").and_then(Value::as_str) == Some("failed")
        {
            found.get_or_insert("E-091/200-failed");
        }
        if api.is_some_and(|a| a.request == ids::REGISTER_INTENT_V3_REQUEST)
            && x.status == Some(200)
            && body.pointer("/payload/txnInitiationMode").is_some()
        {
            found.get_or_insert("E-061/response-field");
        }
        // The reading's rules are the invoice upload's missing fields other than `command`: a
        // request without its `command` cannot be routed to the invoice upload at all, and the
        // postservice dispatcher's own `{status: 0, msg}` answers it under every reading.
        if let Some(api) = api
            && rejected_rule.is_some_and(|r| relaxed_by("E-093/status-0", r))
            && body.get("status").is_some_and(|s| s == 0 || s == "0")
            && body.get("msg").is_some()
            && body.get("responseCode").is_none()
        {
            let shape = rules_of(api.error);
            explain(findings, "E-093/status-0", |f| shape.contains(&f.rule));
            found.get_or_insert("E-093/status-0");
        }
    }
    if rejected_rule.is_none()
        && let Some(api) = api
        && rules_of(api.request).iter().any(|r| relaxed_by("E-046/range", r))
        && let values = udf_values(&sent())
        && values.iter().any(|v| v.contains(RANGE_ONLY_FORBIDDEN))
        && !values.iter().any(|v| v.contains(LITERAL_ONLY_FORBIDDEN))
    {
        // A valid request (under the literal reading) holding `$ & '` in a udfParameters value,
        // refused (an acceptance case, or a flow's valid first step): the range reading forbids
        // exactly those.
        let accepted = upi_spec::behaviour::accepted(api.request);
        let refused = |f: &Finding| accepted.is_some_and(|a| f.rule == a) && f.severity != upi_spec::Severity::Info;
        if findings.iter().any(refused) {
            explain(findings, "E-046/range", refused);
            found.get_or_insert("E-046/range");
        }
    }
    if let Some(rule) = rejected_rule {
        for id in ["E-046/range", "E-092/absent", "E-094/repeated-key"] {
            let relaxes = relaxed_by(id, rule);
            let accepted = findings
                .iter()
                .any(|f| f.rule == rule && f.severity != upi_spec::Severity::Info);
            if relaxes && accepted && consistent(id, sent) {
                explain(findings, id, |f| f.rule == rule);
                found.get_or_insert(id);
            }
        }
    }
    found
}

/// Whether the reading `id` lists `rule` among the rules its verdict depends on.
fn relaxed_by(id: &str, rule: &str) -> bool {
    readings::find(id).is_some_and(|r| r.rules.contains(&rule))
}

/// The rule IDs of a message's sites (its syntax, shape and field rules).
fn rules_of(message: MessageId) -> Vec<String> {
    upi_spec::sites::sites(message.message())
        .into_iter()
        .map(|s| s.rule)
        .collect()
}

/// Whether `x` was sent to the endpoint of the request model `request` (its request line names
/// the URL, or the path alone).
fn sent_to(x: &Exchange, request: MessageId) -> bool {
    let target = x.request_line.split_whitespace().nth(1).unwrap_or_default();
    let path = target.split(['?', '#']).next().unwrap_or_default();
    request.message().endpoint.is_some_and(|e| path.ends_with(e.path))
}

/// The evidence of `C-02/domain`: a `_payment` carrying `api_version=7` and a non-empty
/// `udf6`..`udf10` refused, then another accepted (an answer handing out `intentURIData`).
fn c02_domain(exchanges: &[Exchange]) -> bool {
    let v7: Vec<&Exchange> = exchanges
        .iter()
        .filter(|x| sent_to(x, ids::PAYU_PAYMENT_REQUEST))
        .filter(|x| {
            let form: Vec<(String, String)> = form_urlencoded::parse(x.request_body.as_bytes()).into_owned().collect();
            let has = |k: &str, pred: &dyn Fn(&str) -> bool| form.iter().any(|(n, v)| n == k && pred(v));
            has("api_version", &|v| v == "7")
                && upi_spec::crypto::payu_sequence::UDF_6_TO_10
                    .iter()
                    .any(|u| has(u, &|v| !v.is_empty()))
        })
        .collect();
    let accepted = |x: &Exchange| {
        x.status == Some(200) && json(&x.response_body).is_some_and(|b| b.pointer("/result/intentURIData").is_some())
    };
    v7.iter()
        .position(|x| !accepted(x))
        .is_some_and(|first| v7[first + 1..].iter().any(|x| accepted(x)))
}

/// Turns the findings `explained` selects into `info` findings that name `reading`.
fn explain(findings: &mut [Finding], reading: &str, explained: impl Fn(&Finding) -> bool) {
    for f in findings.iter_mut().filter(|f| explained(f)) {
        f.severity = upi_spec::Severity::Info;
        f.message = format!("acceptable under {reading}: {}", f.message);
    }
}

/// Whether what was sent is consistent with the reading's acceptance. Under E-046/range the
/// accepted `udfParameters` values may hold `-` but none of `$ & '`.
fn consistent(id: &str, sent: &dyn Fn() -> Vec<Value>) -> bool {
    if id != "E-046/range" {
        return true;
    }
    let values = udf_values(&sent());
    values.iter().any(|v| v.contains(LITERAL_ONLY_FORBIDDEN))
        && !values.iter().any(|v| v.contains(RANGE_ONLY_FORBIDDEN))
}

/// The `udfParameters` values the case's requests carried.
fn udf_values(sent: &[Value]) -> Vec<String> {
    sent.iter()
        .filter_map(|doc| doc.get("udfParameters").cloned())
        .filter_map(|udf| match udf {
            Value::String(s) => json(&s),
            other => Some(other),
        })
        .filter_map(|udf| udf.as_object().cloned())
        .flat_map(|o| o.into_iter().filter_map(|(_, v)| v.as_str().map(str::to_owned)))
        .collect()
}

/// The JSON document a request carried: the body, or the payload of a JWS envelope.
fn sent_document(body: &str) -> Option<Value> {
    let doc = json(body)?;
    match doc.get("payload").and_then(Value::as_str) {
        Some(p) => {
            let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p.trim_end_matches('='))
                .ok()?;
            serde_json::from_slice(&bytes).ok()
        }
        None => Some(doc),
    }
}

fn json(text: &str) -> Option<Value> {
    serde_json::from_str(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_recognised_reading_is_a_listed_non_default_one() {
        for id in RECOGNISED {
            let r = readings::find(id).unwrap_or_else(|| panic!("{id} is not listed"));
            assert!(!r.default, "{id} is a default");
        }
    }

    use crate::runner::api;
    use crate::runner::case::CaseKind;
    use crate::runner::plan::Breach;

    fn reject(request: &str, rule: &str) -> Planned {
        let api = api::all()
            .into_iter()
            .find(|a| a.request == request)
            .unwrap_or_else(|| panic!("no API sends {request}"));
        Planned {
            id: format!("reject.{rule}"),
            suite: api.name(),
            kind: CaseKind::Reject,
            title: String::new(),
            rules: vec![rule.to_string()],
            step: Step::Reject {
                api,
                rule: rule.to_string(),
                severity: upi_spec::Severity::Must,
                grounding: String::new(),
                breach: Breach::Generated,
                pinned: None,
                other_side: false,
            },
        }
    }

    fn answered(request_line: &str, request_body: &str, status: u16, body: Value) -> Exchange {
        Exchange {
            request_line: request_line.to_string(),
            request_body: request_body.to_string(),
            status: Some(status),
            response_body: body.to_string(),
            ..Exchange::default()
        }
    }

    #[test]
    fn an_invoice_missing_field_answered_status_0_is_acceptable_and_only_then() {
        let rule = "payu.invoice-upload.request.var1.required";
        let shape = || {
            vec![Finding::must(
                "payu.invoice-upload.response.responseCode.required",
                "missing",
            )]
        };
        let x = answered(
            "POST /merchant/postservice.php",
            "",
            200,
            serde_json::json!({"status": 0, "msg": "no var1"}),
        );
        let mut findings = shape();
        assert_eq!(
            apply(
                &reject("payu.invoice-upload.request", rule),
                &mut findings,
                std::slice::from_ref(&x)
            ),
            Some("E-093/status-0")
        );
        assert_eq!(findings[0].severity, upi_spec::Severity::Info);
        // The same answer to a refusal that is not a missing field is no listed reading.
        let mut findings = shape();
        let other = reject("payu.invoice-upload.request", "payu.invoice-upload.request.form");
        assert_eq!(apply(&other, &mut findings, std::slice::from_ref(&x)), None);
        // Unexplained, the finding keeps the severity the catalogue gives its rule.
        assert_eq!(
            Some(findings[0].severity),
            upi_spec::catalogue::severity("payu.invoice-upload.response.responseCode.required")
        );
        // Nor is a request without `command`: it is no invoice upload under any reading.
        let mut findings = shape();
        let unrouted = reject(
            "payu.invoice-upload.request",
            "payu.invoice-upload.request.command.required",
        );
        assert_eq!(apply(&unrouted, &mut findings, &[x]), None);
        // Unexplained, the finding keeps the severity the catalogue gives its rule.
        assert_eq!(
            Some(findings[0].severity),
            upi_spec::catalogue::severity("payu.invoice-upload.response.responseCode.required")
        );
    }

    #[test]
    fn an_accepted_request_without_firstname_is_acceptable_under_e092_absent() {
        let rule = "payu.payment.request.firstname.required";
        let mut findings = vec![Finding::must(rule, "the target accepted a request that breaks it")];
        let x = answered(
            "POST /_payment",
            "key=k",
            200,
            serde_json::json!({"metaData": {"txnStatus": "pending"}}),
        );
        assert_eq!(
            apply(
                &reject("payu.payment.request", rule),
                &mut findings,
                std::slice::from_ref(&x)
            ),
            Some("E-092/absent")
        );
        assert!(findings[0].message.contains("E-092/absent"), "{}", findings[0].message);
        // A rule no reading relaxes keeps its catalogue severity (not turned into info).
        let other = "payu.payment.request.txnid.required";
        let mut findings = vec![Finding::must(other, "accepted")];
        assert_eq!(apply(&reject("payu.payment.request", other), &mut findings, &[x]), None);
        assert_eq!(Some(findings[0].severity), upi_spec::catalogue::severity(other));
    }

    #[test]
    fn a_payment_refused_with_200_failed_is_e091_and_with_200_pending_is_not() {
        let rule = "payu.payment.request.txnid.required";
        let refused = answered(
            "POST /_payment",
            "",
            200,
            serde_json::json!({"metaData": {"txnStatus": "failed"}}),
        );
        assert_eq!(
            apply(&reject("payu.payment.request", rule), &mut [], &[refused]),
            Some("E-091/200-failed")
        );
        let pending = answered(
            "POST /_payment",
            "",
            200,
            serde_json::json!({"metaData": {"txnStatus": "pending"}}),
        );
        assert_eq!(apply(&reject("payu.payment.request", rule), &mut [], &[pending]), None);
        let status_400 = answered(
            "POST /_payment",
            "",
            400,
            serde_json::json!({"metaData": {"txnStatus": "failed"}}),
        );
        assert_eq!(
            apply(&reject("payu.payment.request", rule), &mut [], &[status_400]),
            None
        );
    }

    #[test]
    fn an_api_version_7_payment_refused_then_accepted_the_other_way_is_c02_domain() {
        let v7 = "key=k&txnid=T1&amount=1&api_version=7&udf6=UDF6&hash=h";
        let refused = answered(
            "POST /_payment HTTP/1.1",
            v7,
            400,
            serde_json::json!({"metaData": {"txnStatus": "failed"}}),
        );
        let paid = answered(
            "POST /_payment HTTP/1.1",
            v7,
            200,
            serde_json::json!({"result": {"intentURIData": "pa=a@b"}}),
        );
        let rule = upi_spec::rule_ids::crypto::PAYU_REQUEST_HASH.as_str();
        let flow = Planned {
            step: Step::Skip { reason: "" },
            ..reject("payu.payment.request", rule)
        };
        let mut findings = vec![Finding::must(rule, "refused")];
        let xs = [refused.clone(), paid.clone()];
        assert_eq!(apply(&flow, &mut findings, &xs), Some("C-02/domain"));
        assert_eq!(findings[0].severity, upi_spec::Severity::Info);
        // Accepted at once (the default reading), or refused both times: no reading.
        for xs in [vec![paid.clone()], vec![refused.clone(), refused.clone()]] {
            let mut findings = vec![Finding::must(rule, "refused")];
            assert_eq!(apply(&flow, &mut findings, &xs), None);
            assert_eq!(findings[0].severity, upi_spec::Severity::Must);
        }
        // Without a udf6..udf10 posted the two sequences are the same string: no evidence.
        let plain = "key=k&txnid=T1&amount=1&api_version=7&hash=h";
        let xs = [
            Exchange {
                request_body: plain.into(),
                ..refused
            },
            Exchange {
                request_body: plain.into(),
                ..paid
            },
        ];
        assert_eq!(apply(&flow, &mut [], &xs), None);
    }

    #[test]
    fn the_range_reading_explains_an_accepted_hyphen_but_not_a_dollar() {
        let x = |v: &str| serde_json::json!({"udfParameters": {"udf1": v}});
        assert!(consistent("E-046/range", &|| vec![x("a-b")]));
        assert!(!consistent("E-046/range", &|| vec![x("a-b$")]));
        assert!(!consistent("E-046/range", &|| vec![x("a/b")]), "both readings forbid /");
    }
}
