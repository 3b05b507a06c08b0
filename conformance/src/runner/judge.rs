//! Judging responses from the models: the body must read as its model's encoding and satisfy
//! every rule of the response model the status selects; echo rules against the request;
//! signatures; and the deeplink a response maps to (or carries) must parse cleanly and agree
//! with the response. None of this consults the reference server's code.

use serde_json::Value;
use upi_spec::crypto::{PublicKey, response_signature};
use upi_spec::id::MessageId;
use upi_spec::input::Document;
use upi_spec::messages::ids;
use upi_spec::model::api::DeeplinkIn;
use upi_spec::rule_ids as rules;
use upi_spec::validate::{check_echoes, validate};
use upi_spec::{Severity, catalogue, deeplink};

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
    echoes(api.success, sent, answer, findings);
    match api.facts.deeplink {
        Some(DeeplinkIn::Mapped) => {
            mapped_deeplink(api.success.as_str(), &answer.body, findings);
        }
        Some(DeeplinkIn::IntentUriData) => {
            intent_uri_data(&answer.body, findings);
        }
        None => {}
    }
    if api.facts.signed_response && x.status == Some(200) {
        match x.header("x-response-signature") {
            None => findings.push(Finding::must(
                rules::behaviour::REGISTER_INTENT_RESPONSE_SIGNED,
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

/// The rule a rejection case breaks, as the case judges it.
#[derive(Debug, Clone, Copy)]
pub struct Broken<'a> {
    /// The rule ID.
    pub rule: &'a str,
    /// Its severity as reported: accepting the breach of a `should` rule is a warning.
    pub severity: Severity,
    /// What the rule rests on (`stated (...)`, `derived: ...`, `unverified: ...`).
    pub grounding: &'a str,
    /// How the seed says a refusal for this kind of rule looks, if it says so.
    pub pinned: Option<super::reason::Pinned>,
}

impl<'a> Broken<'a> {
    /// A rule flows, security checks and the fuzzer break: `must`, unless the catalogue declares
    /// it `should` (then accepting the breach is a warning naming its grounding).
    pub fn must(rule: &'a str) -> Broken<'a> {
        static GROUNDINGS: std::sync::LazyLock<std::collections::BTreeMap<String, String>> =
            std::sync::LazyLock::new(|| {
                upi_spec::catalogue::all()
                    .into_iter()
                    .map(|r| (r.id, r.grounding.to_string()))
                    .collect()
            });
        let severity = upi_spec::catalogue::severity(rule).unwrap_or(Severity::Must);
        Broken {
            rule,
            severity,
            grounding: match severity {
                Severity::Must => "",
                _ => GROUNDINGS.get(rule).map_or("", String::as_str),
            },
            pinned: None,
        }
    }

    /// This rule's refusal as the seed pins it.
    pub fn pinned(self, pinned: super::reason::Pinned) -> Broken<'a> {
        Broken {
            pinned: Some(pinned),
            ..self
        }
    }
}

/// Expects `x` to be `api`'s refusal of a request breaking `broken.rule` (named when it is
/// accepted: a failure for a `must` rule, a warning with the rule's grounding for a `should`
/// rule), in the API's error shape. A 5xx or no answer is left to [`transport`].
pub fn rejection(api: &ApiCase, broken: Broken<'_>, x: &Exchange, findings: &mut Vec<Finding>) {
    let rule = broken.rule;
    let Some(status) = x.status else { return };
    if status >= 500 {
        return;
    }
    if !api.rejected(x) {
        let observed = x.not_rejected(rule, &excerpt(&x.response_body));
        findings.push(match broken.severity {
            Severity::Must => Finding::must(rule, observed),
            severity => Finding {
                rule: rule.to_string(),
                severity,
                message: format!("{observed} (a should rule, so a warning: {})", broken.grounding),
            },
        });
        return;
    }
    let mut shape = Vec::new();
    let routed = !api::touched(api.request.message(), Some(rule))
        .0
        .iter()
        .any(|f| f == "command");
    let error_model = match api.unroutable_error {
        Some(model) if !routed => model,
        _ => api.error,
    };
    if let Some(answer) = response_against(error_model, x, &mut shape)
        && let Some(never) = &api.facts.refusal_never
        && never.says.matches(&answer.body)
    {
        shape.push(Finding::must(
            never.rule,
            "a rejection's body says the request succeeded",
        ));
    }
    findings.extend(shape);
}

/// Findings on the transport itself (no answer, timeout, 5xx, oversize).
pub fn transport(exchange: &Exchange) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(e) = &exchange.error {
        let rule = if exchange.timed_out {
            rules::behaviour::TRANSPORT_TIMEOUT
        } else {
            rules::behaviour::TRANSPORT_REACHABLE
        };
        out.push(Finding::must(rule, format!("no complete answer: {e}")));
    }
    if let Some(status) = exchange.status
        && status >= 500
    {
        out.push(Finding::must(
            rules::behaviour::TRANSPORT_NO_SERVER_ERROR,
            format!("answered HTTP {status}"),
        ));
    }
    if exchange.truncated {
        out.push(Finding::must(
            rules::behaviour::TRANSPORT_BODY_SIZE,
            "the response body exceeds the cap",
        ));
    }
    out
}

/// Reads a response body as `message` and validates it; returns the document when readable.
pub fn response_against<'x>(
    message_id: MessageId,
    exchange: &'x Exchange,
    findings: &mut Vec<Finding>,
) -> Option<&'x Document> {
    let message = message_id.message();
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
    match exchange.json() {
        Err(e) => {
            findings.push(Finding::must(
                format!("{message_id}.{}", catalogue::syntax_rule(message).0),
                format!("{e}{}", exchange.encoding_note()),
            ));
            None
        }
        Ok(doc) => {
            findings.extend(validate(message, doc).into_iter().map(|v| Finding {
                rule: v.rule,
                severity: v.severity,
                message: format!("{}: {}", v.at, v.reason),
            }));
            Some(doc)
        }
    }
}

/// Echo rules of `response_id` between a request and its answer.
pub fn echoes(response_id: MessageId, request: &Document, answer: &Document, findings: &mut Vec<Finding>) {
    {
        let message = response_id.message();
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
            findings.push(Finding::must(rules::deeplink::MAPPING_MISSING, e.to_string()));
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
        Err(e) => findings.push(Finding::must(rules::deeplink::SYNTAX_URI, e.to_string())),
    }
    Some(uri)
}

/// PayU's `result.intentURIData` must parse as a deeplink query and agree with the response.
pub fn intent_uri_data(body: &Value, findings: &mut Vec<Finding>) -> Option<String> {
    let data = body.pointer("/result/intentURIData")?.as_str()?;
    match deeplink::parse_intent_uri_data(data) {
        Ok(parsed) => {
            if let Ok(id) = deeplink::MessageId::from_id(ids::PAYU_PAYMENT_RESPONSE.as_str()) {
                judge_link(id, body, &parsed, findings);
            }
            Some(format!("upi://pay?{data}"))
        }
        Err(e) => {
            findings.push(Finding::must(rules::deeplink::SYNTAX_URI, e.to_string()));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A refusal (HTTP 400) with this JSON body.
    fn refused_with(body: Value) -> Exchange {
        Exchange {
            status: Some(400),
            response_headers: vec![("content-type".into(), "application/json".into())],
            response_body: body.to_string(),
            response_bytes: body.to_string().into_bytes(),
            ..Exchange::default()
        }
    }

    #[test]
    fn a_refusal_saying_what_the_operation_never_says_breaks_the_declared_rule() {
        let api = api::all()
            .into_iter()
            .find(|a| a.request == ids::REGISTER_INTENT_V3_REQUEST)
            .expect("the V3 operation");
        let never = api
            .facts
            .refusal_never
            .as_ref()
            .expect("V3 declares what a refusal never says");
        let rule = ids::REGISTER_INTENT_V3_REQUEST.as_str();
        let said = |status: &str| {
            let mut findings = Vec::new();
            let x = refused_with(serde_json::json!({"status": status, "responseCode": "BAD_REQUEST"}));
            rejection(&api, Broken::must(rule), &x, &mut findings);
            findings.iter().any(|f| f.rule == never.rule)
        };
        assert!(said("SUCCESS"));
        assert!(!said("FAILURE"));
    }

    /// An answer is read once, as `upi_spec::read` reads it for the operation's answer models
    /// (which travel in no envelope: the reading does not open one), for the refusal predicate
    /// and the model's validation alike.
    #[test]
    fn an_answer_is_read_once_as_its_models_read_it() {
        let answer_models: Vec<_> = api::all()
            .iter()
            .flat_map(|a| [a.success, a.error])
            .map(MessageId::message)
            .collect();
        assert!(answer_models.iter().all(|m| m.envelope.is_none()));
        let bodies: [&[u8]; 5] = [
            br#"{"status":1,"msg":"ok"}"#,
            br#"{"status":1,"status":0}"#,
            b"{\"text\":\"\xff\"}",
            b"not json",
            b"",
        ];
        for body in bodies {
            let x = Exchange {
                status: Some(200),
                response_bytes: body.to_vec(),
                ..Exchange::default()
            };
            for message in &answer_models {
                let read = upi_spec::read::read(message, body, upi_spec::read::Syntax::Json, usize::MAX);
                assert_eq!(x.json(), &read, "{} on {:?}", message.id, String::from_utf8_lossy(body));
            }
            // The second reading is the first, not a new one.
            assert!(std::ptr::eq(x.json(), x.json()));
        }
    }
}
