//! Captured traffic judged by the models (`upi-conformance audit`): a HAR file (browser or
//! proxy capture: each entry's request and response are matched to the models by method, path
//! and status) or JSON lines of TPAP SDK process payloads (matched by action, direction and
//! `shouldCreateMandate`). Reading and judging live here, next to the validator, so the capture
//! readers are fuzzed without the CLI's HTTP stack; the CLI only reports the entries.

use serde_json::Value;
use thiserror::Error;

use crate::input::{Document, InputError, normalise_headers, parse_json};
use crate::model::{Direction, Message};
use crate::read::{Syntax, read};
use crate::rule::{Rule, SchemaCoverage};
use crate::source::{Source, seeds};
use crate::validate::{check_echoes, validate};
use crate::{Severity, messages};

/// Rule: every captured TPAP process payload line is a JSON document.
pub const RULE_PROCESS_PAYLOAD_JSON: &str = "tpap.process-payload.json";
/// Rule (info): a captured process payload carries an action some model describes.
pub const RULE_PROCESS_PAYLOAD_UNKNOWN: &str = "tpap.process-payload.unknown";

/// The rules the capture readers judge before any message model applies.
pub fn rules() -> Vec<Rule> {
    let source = Source::seed(
        seeds::TPAP_SDK,
        "IN-APP UPI with UI > 1. Get Session Token > Process Parameters",
    );
    let rule = |id: &str, statement: &str, severity| Rule {
        id: id.to_string(),
        statement: statement.to_string(),
        severity,
        source,
        scope: "audit".to_string(),
        schema: SchemaCoverage::NotExpressible {
            why: "about a line of a capture before it is matched to a message",
        },
    };
    vec![
        rule(
            RULE_PROCESS_PAYLOAD_JSON,
            "a TPAP SDK process payload is one JSON document",
            Severity::Must,
        ),
        rule(
            RULE_PROCESS_PAYLOAD_UNKNOWN,
            "a captured process payload has an action (and mandate flag) that a TPAP model describes",
            Severity::Info,
        ),
    ]
}

/// Why a capture cannot be read.
#[derive(Debug, Error)]
pub enum AuditError {
    /// Not JSON, not a HAR log, not JSON lines.
    #[error("{0}")]
    Input(#[from] InputError),
    /// JSON, but not a HAR document.
    #[error("not a HAR file: {0}")]
    NotHar(&'static str),
}

/// One broken rule of a captured message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule ID.
    pub rule: String,
    /// Its severity.
    pub severity: Severity,
    /// What was observed.
    pub message: String,
}

impl Finding {
    fn must(rule: impl Into<String>, message: impl Into<String>) -> Finding {
        Finding {
            rule: rule.into(),
            severity: Severity::Must,
            message: message.into(),
        }
    }
}

/// One judged entry of a capture: a HAR exchange or a JSON line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditedEntry {
    /// A stable ID: `audit.har.<index>.<model>` or `audit.jsonl.<line>.<model>`.
    pub id: String,
    /// The model the entry was judged by (`tpap.unknown` / `tpap.process-payload` when none).
    pub model: String,
    /// `METHOD path → status`, or `line N: title`.
    pub title: String,
    /// What the entry breaks.
    pub findings: Vec<Finding>,
    /// The captured URL (empty for JSON lines).
    pub url: String,
    /// The captured HTTP status (0 for JSON lines).
    pub status: u16,
}

/// The request and response models of a captured HTTP exchange, by method, path and status.
fn models_for(method: &str, path: &str, status: u16) -> Option<(&'static Message, Option<&'static Message>)> {
    let matches = |template: &str| {
        let t: Vec<&str> = template.split('?').next().unwrap_or("").split('/').collect();
        let p: Vec<&str> = path.split('?').next().unwrap_or("").split('/').collect();
        t.len() == p.len()
            && t.iter()
                .zip(&p)
                .all(|(a, b)| (a.starts_with('{') && a.ends_with('}')) || a == b)
    };
    let requests: Vec<&'static Message> = messages::all()
        .iter()
        .filter(|m| {
            m.direction == Direction::Request
                && m.endpoint
                    .is_some_and(|e| e.method.eq_ignore_ascii_case(method) && matches(e.path))
        })
        .collect();
    let request = *requests.first()?;
    let response = messages::all().iter().find(|m| {
        m.direction == Direction::Response
            && m.request == Some(request.id)
            && m.endpoint.is_some_and(|e| e.status == status)
    });
    Some((request, response))
}

/// Audits a HAR document.
pub fn har(bytes: &[u8]) -> Result<Vec<AuditedEntry>, AuditError> {
    let text = crate::input::text(bytes, 64 << 20)?;
    let har = parse_json(text)?;
    let entries = har
        .pointer("/log/entries")
        .and_then(Value::as_array)
        .ok_or(AuditError::NotHar("no log.entries array"))?;
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let method = entry
            .pointer("/request/method")
            .and_then(Value::as_str)
            .unwrap_or("GET");
        let url = entry.pointer("/request/url").and_then(Value::as_str).unwrap_or("");
        let path = url
            .find("://")
            .and_then(|s| url[s + 3..].find('/').map(|p| &url[s + 3 + p..]))
            .unwrap_or(url);
        let status = entry
            .pointer("/response/status")
            .and_then(Value::as_u64)
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(0);
        let mut findings = Vec::new();
        let Some((request_model, response_model)) = models_for(method, path, status) else {
            continue;
        };
        let headers = har_headers(entry.pointer("/request/headers"));
        let body = entry
            .pointer("/request/postData/text")
            .and_then(Value::as_str)
            .unwrap_or("");
        let sent = judge_part(request_model, body.as_bytes(), Some(headers), &mut findings);
        if let Some(model) = response_model {
            let content = entry
                .pointer("/response/content/text")
                .and_then(Value::as_str)
                .unwrap_or("");
            let decoded = if entry.pointer("/response/content/encoding").and_then(Value::as_str) == Some("base64") {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD
                    .decode(content)
                    .unwrap_or_default()
            } else {
                content.as_bytes().to_vec()
            };
            let answer = judge_part(model, &decoded, None, &mut findings);
            if let (Some(sent), Some(answer)) = (&sent, &answer) {
                findings.extend(check_echoes(model, sent, answer).into_iter().map(|v| Finding {
                    rule: v.rule,
                    severity: v.severity,
                    message: v.reason,
                }));
            }
        } else if status >= 500 {
            findings.push(Finding::must(
                "transport.no-server-error",
                format!("answered HTTP {status}"),
            ));
        }
        out.push(AuditedEntry {
            id: format!("audit.har.{i}.{}", request_model.id),
            model: request_model.id.to_string(),
            title: format!("{method} {path} → {status}"),
            findings,
            url: url.to_string(),
            status,
        });
    }
    Ok(out)
}

fn har_headers(value: Option<&Value>) -> Vec<(String, String)> {
    value
        .and_then(Value::as_array)
        .map(|hs| {
            hs.iter()
                .filter_map(|h| {
                    Some((
                        h.get("name")?.as_str()?.to_ascii_lowercase(),
                        h.get("value")?.as_str()?.to_string(),
                    ))
                })
                .filter(|(k, _)| !k.starts_with(':'))
                .collect()
        })
        .unwrap_or_default()
}

fn judge_part(
    model: &Message,
    body: &[u8],
    headers: Option<Vec<(String, String)>>,
    findings: &mut Vec<Finding>,
) -> Option<Document> {
    match read(model, body, Syntax::Auto, 8 << 20) {
        Err(e) => {
            findings.push(Finding::must(
                format!("{}.{}", model.id, crate::catalogue::syntax_rule(model).0),
                e.to_string(),
            ));
            None
        }
        Ok(mut doc) => {
            if let Some(h) = headers {
                doc.headers = normalise_headers(h).ok();
            }
            findings.extend(validate(model, &doc).into_iter().map(|v| Finding {
                rule: v.rule,
                severity: v.severity,
                message: format!("{}: {}", v.at, v.reason),
            }));
            Some(doc)
        }
    }
}

/// The TPAP message a process payload is, from its action, direction and mandate flag.
fn tpap_model(payload: &Value) -> Option<&'static Message> {
    let p = payload.get("payload")?;
    let action = p.get("action")?.as_str()?;
    let response = payload.get("event").is_some() || p.get("status").is_some();
    let mandate = p.get("shouldCreateMandate").is_some() || p.get("mandate").is_some();
    let base = match (action, mandate) {
        ("upiGetSessionToken", _) => "tpap.get-session-token",
        ("onboarding", _) => "tpap.onboarding",
        ("onboardingAndPay", false) => "tpap.onboarding-and-pay",
        ("onboardingAndPay", true) => "tpap.onboarding-and-create-mandate",
        ("upiTxn", false) => "tpap.upi-txn",
        ("upiTxn", true) => "tpap.create-mandate",
        _ => return None,
    };
    messages::find(&format!("{base}.{}", if response { "response" } else { "request" }))
}

/// Audits JSON lines of TPAP SDK process payloads.
pub fn json_lines(bytes: &[u8]) -> Result<Vec<AuditedEntry>, AuditError> {
    let text = crate::input::text(bytes, 64 << 20)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let mut findings = Vec::new();
        let (id, title) = match parse_json(line) {
            Err(e) => {
                findings.push(Finding::must(RULE_PROCESS_PAYLOAD_JSON, format!("line {}: {e}", i + 1)));
                ("tpap.process-payload".to_string(), format!("line {}", i + 1))
            }
            Ok(value) => match tpap_model(&value) {
                None => {
                    findings.push(Finding {
                        rule: RULE_PROCESS_PAYLOAD_UNKNOWN.into(),
                        severity: Severity::Info,
                        message: "no model for this action".into(),
                    });
                    ("tpap.unknown".to_string(), format!("line {}", i + 1))
                }
                Some(model) => {
                    findings.extend(validate(model, &Document::body(value)).into_iter().map(|v| Finding {
                        rule: v.rule,
                        severity: v.severity,
                        message: format!("{}: {}", v.at, v.reason),
                    }));
                    (model.id.to_string(), format!("line {}: {}", i + 1, model.title))
                }
            },
        };
        out.push(AuditedEntry {
            id: format!("audit.jsonl.{}.{id}", i + 1),
            model: id,
            title,
            findings,
            url: String::new(),
            status: 0,
        });
    }
    Ok(out)
}
