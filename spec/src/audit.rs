//! Captured traffic judged by the models (`upi-conformance audit`): a HAR file (browser or
//! proxy capture: each entry's request and response are matched to the models by method, path
//! and status) or JSON lines of TPAP SDK process payloads (matched by action, direction and
//! `shouldCreateMandate`). Reading and judging live here, next to the validator, so the capture
//! readers are fuzzed without the CLI's HTTP stack; the CLI only reports the entries.

use serde_json::Value;
use thiserror::Error;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::input::{Document, InputError, StrictSeed, normalise_headers, parse_json};
use crate::model::{Direction, Message};
use crate::read::{CappedReader, Syntax, over_limit, read};
use crate::rule::{Rule, RuleDef, SchemaCoverage};
use crate::source::{Source, seeds};
use crate::validate::{check_echoes, validate};
use crate::{Severity, messages};

pub mod pairing;

/// Rule: every captured TPAP process payload line is a JSON document.
pub const RULE_PROCESS_PAYLOAD_JSON: &str = "tpap.process-payload.json";
/// Rule (info): a captured process payload carries an action some model describes.
pub const RULE_PROCESS_PAYLOAD_UNKNOWN: &str = "tpap.process-payload.unknown";

/// The section of seed 002 that gives a process call's parameters.
const PROCESS_PARAMETERS: Source = Source::seed(
    seeds::TPAP_SDK,
    "IN-APP UPI with UI > 1. Get Session Token > Process Parameters",
);

/// The section of seed 002 that gives a process call's answer.
const RESPONSE_PAYLOAD: Source = Source::seed(
    seeds::TPAP_SDK,
    "IN-APP UPI with UI > 1. Get Session Token > Response Payload",
);

/// The rules the capture readers judge before any message model applies.
const RULES: &[RuleDef] = &[
    RuleDef {
        id: RULE_PROCESS_PAYLOAD_JSON,
        statement: "a TPAP SDK process payload is one JSON document",
        severity: Severity::Must,
        source: PROCESS_PARAMETERS,
        scope: "audit",
    },
    RuleDef {
        id: RULE_PROCESS_PAYLOAD_UNKNOWN,
        statement: "a captured process payload has an action (and mandate flag) that a TPAP model describes",
        severity: Severity::Info,
        source: PROCESS_PARAMETERS,
        scope: "audit",
    },
    // Inferred (`should`): seed 002 answers every process call with one `process_result`
    // carrying the request's requestId, but does not state that a capture holds both.
    RuleDef {
        id: pairing::RULE_UNANSWERED_REQUEST,
        statement: "a captured TPAP request is answered by a response line with its requestId (or, failing that, its action)",
        severity: Severity::Should,
        source: RESPONSE_PAYLOAD,
        scope: "audit",
    },
    RuleDef {
        id: pairing::RULE_UNREQUESTED_RESPONSE,
        statement: "a captured TPAP response answers a request line of the capture (by requestId, or failing that by action)",
        severity: Severity::Should,
        source: RESPONSE_PAYLOAD,
        scope: "audit",
    },
];

/// The rules the capture readers judge before any message model applies.
pub fn rules() -> Vec<Rule> {
    RULES
        .iter()
        .map(|def| {
            def.rule(SchemaCoverage::NotExpressible {
                why: "about a line of a capture before it is matched to a message",
            })
        })
        .collect()
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
    /// The 1-based line of a JSON-lines entry (0 for HAR entries).
    pub line: usize,
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

/// Audits a HAR document held in memory (see [`har_from_reader`]).
pub fn har(bytes: &[u8]) -> Result<Vec<AuditedEntry>, AuditError> {
    har_from_reader(bytes)
}

/// The largest HAR file read.
pub const MAX_HAR_BYTES: u64 = 64 << 20;

/// Audits a HAR document read from `reader`, at most [`MAX_HAR_BYTES`] of it, streaming: one
/// entry of `log.entries` is in memory at a time, so peak memory follows the largest entry, not
/// the file. Duplicate keys are refused as in every other JSON input.
pub fn har_from_reader(reader: impl std::io::Read) -> Result<Vec<AuditedEntry>, AuditError> {
    // serde_json reads byte by byte: the buffer goes outside the cap.
    let buffered = std::io::BufReader::with_capacity(64 << 10, CappedReader::new(reader, MAX_HAR_BYTES));
    let mut de = serde_json::Deserializer::from_reader(buffered);
    let mut out = Vec::new();
    let found = de
        .deserialize_map(HarVisitor { out: &mut out })
        .and_then(|found| de.end().map(|()| found))
        .map_err(har_error)?;
    if !found {
        return Err(AuditError::NotHar("no log.entries array"));
    }
    Ok(out)
}

fn har_error(e: serde_json::Error) -> AuditError {
    let (line, column) = (e.line(), e.column());
    let message = e.to_string();
    if e.is_io() {
        let io: std::io::Error = e.into();
        return AuditError::Input(over_limit(&io).unwrap_or_else(|| InputError::Io(io.to_string())));
    }
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    AuditError::Input(InputError::Json { line, column, message })
}

/// The top level of a HAR file: `log` is taken apart, every other member skipped. The value is
/// whether `log.entries` was an array.
struct HarVisitor<'a> {
    out: &'a mut Vec<AuditedEntry>,
}

impl<'de> Visitor<'de> for HarVisitor<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a HAR document (an object with `log`)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut seen = std::collections::HashSet::new();
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            if key == "log" {
                found = map.next_value_seed(LogSeed { out: &mut *self.out })?;
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// `log`: `entries` is streamed, every other member skipped.
struct LogSeed<'a> {
    out: &'a mut Vec<AuditedEntry>,
}

impl<'de> DeserializeSeed<'de> for LogSeed<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for LogSeed<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a HAR log object")
    }

    // A `log` that is not an object has no entries.
    visit_scalars_as!(false);
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(false)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut seen = std::collections::HashSet::new();
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            if key == "entries" {
                found = map.next_value_seed(EntriesSeed { out: &mut *self.out })?;
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// `log.entries`: each entry is read (strictly), judged and dropped before the next.
struct EntriesSeed<'a> {
    out: &'a mut Vec<AuditedEntry>,
}

impl<'de> DeserializeSeed<'de> for EntriesSeed<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EntriesSeed<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the HAR entries array")
    }

    /// Entries that are not an array are no entries.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
        Ok(false)
    }
    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_str<E>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let mut index = 0;
        while let Some(entry) = seq.next_element_seed(StrictSeed)? {
            if let Some(judged) = har_entry(index, &entry) {
                self.out.push(judged);
            }
            index += 1;
        }
        Ok(true)
    }
}

/// Judges entry `i` of a HAR log; `None` when no model matches its method, path and status.
fn har_entry(i: usize, entry: &Value) -> Option<AuditedEntry> {
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
    let (request_model, response_model) = models_for(method, path, status)?;
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
    Some(AuditedEntry {
        id: format!("audit.har.{i}.{}", request_model.id),
        model: request_model.id.to_string(),
        title: format!("{method} {path} → {status}"),
        findings,
        url: url.to_string(),
        status,
        line: 0,
    })
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
                format!("{}.{}", model.id, crate::sites::syntax_rule(model).0),
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
            line: i + 1,
        });
    }
    Ok(out)
}
