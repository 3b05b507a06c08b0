//! Judging responses from the models: the body must read as its model's encoding and satisfy
//! every rule of the response model the status selects; echo rules against the request;
//! signatures; and the deeplink a response maps to (or carries) must parse cleanly and agree
//! with the response. None of this consults the reference server's code.

use serde_json::Value;
use upi_spec::crypto::{PublicKey, response_signature};
use upi_spec::input::Document;
use upi_spec::read::{Syntax, read};
use upi_spec::validate::{check_echoes, validate};
use upi_spec::{Severity, catalogue, deeplink, messages};

use super::api::{self, ApiCase};
use super::case::Finding;
use super::http::Exchange;

/// The first 160 characters of a body, for messages.
pub fn excerpt(text: &str) -> String {
    let t: String = text.chars().take(160).collect();
    if text.chars().count() > 160 {
        format!("{t}…")
    } else {
        t
    }
}

/// Checks an acceptance against the success model, echoes, signatures (verified with the PSP's
/// public key `psp_key`) and deeplinks.
pub fn success(api: &ApiCase, psp_key: &PublicKey, sent: &Document, x: &Exchange, findings: &mut Vec<Finding>) {
    let Some(answer) = response_against(api.success, x, findings) else {
        return;
    };
    echoes(api.success, sent, &answer, findings);
    match api.suite {
        "ec-txns" | "merchant-register-intent" => {
            mapped_deeplink(api.success, &answer.body, findings);
        }
        "payu-intent" => {
            intent_uri_data(&answer.body, findings);
        }
        _ => {}
    }
    if api.suite == "merchant-register-intent" && x.status == Some(200) {
        match x.header("x-response-signature") {
            None => findings.push(Finding::must(
                "merchant.register-intent.response-signed",
                "HTTP 200 without x-response-signature",
            )),
            Some(sig) => {
                if let Err(e) = response_signature::verify(psp_key, &x.response_bytes, sig) {
                    findings.push(Finding::must(upi_spec::crypto::RuleError::rule_id(&e), e.to_string()));
                }
            }
        }
    }
}

/// Expects `x` to be `api`'s refusal of a request breaking `rule` (named when it is accepted),
/// in the API's error shape. A 5xx or no answer is left to [`transport`].
pub fn rejection(api: &ApiCase, rule: &str, x: &Exchange, findings: &mut Vec<Finding>) {
    let Some(status) = x.status else { return };
    if status >= 500 {
        return;
    }
    if !api.rejected(Some(status), &x.response_bytes) {
        findings.push(Finding::must(rule, x.not_rejected(rule, &excerpt(&x.response_body))));
        return;
    }
    let mut shape = Vec::new();
    let routed =
        messages::find(api.request).is_none_or(|m| !api::touched(m, Some(rule)).0.iter().any(|f| f == "command"));
    let error_model = match api.unroutable_error {
        Some(model) if !routed => model,
        _ => api.error,
    };
    if let Some(answer) = response_against(error_model, x, &mut shape)
        && api.suite == "merchant-register-intent"
        && answer.body.get("status").and_then(Value::as_str) == Some("SUCCESS")
    {
        shape.push(Finding::must(
            format!("{}.status.enum", api.error),
            "a rejection says status SUCCESS",
        ));
    }
    findings.extend(shape);
}

/// Findings on the transport itself (no answer, timeout, 5xx, oversize).
pub fn transport(exchange: &Exchange) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(e) = &exchange.error {
        let rule = if exchange.timed_out {
            "transport.timeout"
        } else {
            "transport.reachable"
        };
        out.push(Finding::must(rule, format!("no complete answer: {e}")));
    }
    if let Some(status) = exchange.status
        && status >= 500
    {
        out.push(Finding::must(
            "transport.no-server-error",
            format!("answered HTTP {status}"),
        ));
    }
    if exchange.truncated {
        out.push(Finding::must(
            "transport.body-size",
            "the response body exceeds the cap",
        ));
    }
    out
}

/// Reads a response body as `message` and validates it; returns the document when readable.
pub fn response_against(message_id: &str, exchange: &Exchange, findings: &mut Vec<Finding>) -> Option<Document> {
    let message = messages::find(message_id)?;
    let content_type = exchange.header("content-type").unwrap_or("");
    if matches!(message.encoding, upi_spec::model::Encoding::Json)
        && !content_type.to_ascii_lowercase().contains("json")
    {
        findings.push(Finding {
            rule: format!("{message_id}.{}", catalogue::syntax_rule(message).0),
            severity: Severity::Should,
            message: format!("content-type is {content_type:?}, not JSON"),
        });
    }
    match read(message, &exchange.response_bytes, Syntax::Json, usize::MAX) {
        Err(e) => {
            findings.push(Finding::must(
                format!("{message_id}.{}", catalogue::syntax_rule(message).0),
                format!("{e}{}", exchange.encoding_note()),
            ));
            None
        }
        Ok(doc) => {
            findings.extend(validate(message, &doc).into_iter().map(|v| Finding {
                rule: v.rule,
                severity: v.severity,
                message: format!("{}: {}", v.at, v.reason),
            }));
            Some(doc)
        }
    }
}

/// Echo rules of `response_id` between a request and its answer.
pub fn echoes(response_id: &str, request: &Document, answer: &Document, findings: &mut Vec<Finding>) {
    if let Some(message) = messages::find(response_id) {
        findings.extend(check_echoes(message, request, answer).into_iter().map(|v| Finding {
            rule: v.rule,
            severity: v.severity,
            message: v.reason,
        }));
    }
}

/// The deeplink a response maps to (seed 001 and 003 mapping tables) must be complete, parse
/// cleanly when built, and agree with the response.
pub fn mapped_deeplink(response_id: &str, body: &Value, findings: &mut Vec<Finding>) -> Option<String> {
    let id = deeplink::MessageId::from_id(response_id).ok()?;
    let mapped = match deeplink::map_response(id, body) {
        Ok(m) => m,
        Err(e) => {
            findings.push(Finding::must("deeplink.mapping.response", e.to_string()));
            return None;
        }
    };
    findings.extend(
        mapped
            .violations
            .iter()
            .filter(|v| !super::readings::not_required(response_id, v))
            .map(violation),
    );
    let uri = deeplink::build(&mapped.deeplink);
    match deeplink::parse(&uri) {
        Ok(parsed) => judge_link(id, body, &parsed, findings),
        Err(e) => findings.push(Finding::must("deeplink.syntax.uri", e.to_string())),
    }
    Some(uri)
}

/// PayU's `result.intentURIData` must parse as a deeplink query and agree with the response.
pub fn intent_uri_data(body: &Value, findings: &mut Vec<Finding>) -> Option<String> {
    let data = body.pointer("/result/intentURIData")?.as_str()?;
    match deeplink::parse_intent_uri_data(data) {
        Ok(parsed) => {
            if let Ok(id) = deeplink::MessageId::from_id("payu.payment.response") {
                judge_link(id, body, &parsed, findings);
            }
            Some(format!("upi://pay?{data}"))
        }
        Err(e) => {
            findings.push(Finding::must("deeplink.syntax.uri", e.to_string()));
            None
        }
    }
}

/// A parsed deeplink's own violations (info excepted) and its agreement with the response
/// `body` of message `id`.
fn judge_link(id: deeplink::MessageId, body: &Value, parsed: &deeplink::Parsed<'_>, findings: &mut Vec<Finding>) {
    findings.extend(
        parsed
            .violations
            .iter()
            .filter(|v| v.severity != Severity::Info)
            .map(violation),
    );
    if let Ok(vs) = deeplink::consistency::check(id, body, &parsed.deeplink) {
        findings.extend(vs.iter().map(violation));
    }
}

fn violation(v: &upi_spec::Violation) -> Finding {
    Finding {
        rule: v.rule.clone(),
        severity: v.severity,
        message: format!("{}: {}", v.at, v.reason),
    }
}
