//! Pairing the request and response lines of a TPAP capture, and checking the `signature` of
//! each request's `signaturePayload`. A response answers the earliest unanswered request with
//! its `requestId`; a response whose `requestId` matches no open request answers the earliest
//! open request of the same action (its `requestId` echo is then broken, which the echo judge
//! reports); what is left over on either side is reported here. Pure: the caller reads the
//! capture and the keys.

use serde_json::Value;

use super::Finding;
use crate::Severity;
use crate::crypto::keys::{KeyRing, PublicKey};
use crate::crypto::signature_payload::{self, RULE_KEY_ID, RULE_SIGNATURE, SignaturePayloadError};
use crate::input::parse_json;

/// Rule: every captured request has a response (a `process_result`) in the capture.
pub const RULE_UNANSWERED_REQUEST: &str = "tpap.pairing.unanswered-request";
/// Rule: every captured response answers a request in the capture.
pub const RULE_UNREQUESTED_RESPONSE: &str = "tpap.pairing.unrequested-response";

/// One readable line of a TPAP capture.
#[derive(Debug, Clone, PartialEq)]
pub struct CapturedLine {
    /// Its 1-based line number in the capture.
    pub line: usize,
    /// The process payload.
    pub value: Value,
    /// Whether it is a response (it carries `event` or `payload.status`).
    pub response: bool,
}

impl CapturedLine {
    fn request_id(&self) -> Option<&str> {
        self.value.get("requestId").and_then(Value::as_str)
    }

    fn action(&self) -> Option<&str> {
        self.value.pointer("/payload/action").and_then(Value::as_str)
    }
}

/// The readable lines of a capture (unreadable lines are judged by `json_lines` alone).
pub fn captured_lines(text: &str) -> Vec<CapturedLine> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let value = parse_json(line).ok()?;
            let response = value.get("event").is_some() || value.pointer("/payload/status").is_some();
            Some(CapturedLine {
                line: i + 1,
                value,
                response,
            })
        })
        .collect()
}

/// How the lines of a capture pair up, as indexes into the slice given to [`pair`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pairing {
    /// `(request, response)` pairs, in response order.
    pub pairs: Vec<(usize, usize)>,
    /// Requests no response answers.
    pub unanswered: Vec<usize>,
    /// Responses that answer no request.
    pub unrequested: Vec<usize>,
}

/// Pairs requests and responses: by `requestId` first, else by action, earliest open first.
pub fn pair(lines: &[CapturedLine]) -> Pairing {
    let mut open: Vec<usize> = Vec::new();
    let mut out = Pairing::default();
    for (i, line) in lines.iter().enumerate() {
        if !line.response {
            open.push(i);
            continue;
        }
        let by_id = open
            .iter()
            .position(|&r| line.request_id().is_some() && lines[r].request_id() == line.request_id());
        let by_action = || {
            open.iter()
                .position(|&r| line.action().is_some() && lines[r].action() == line.action())
        };
        match by_id.or_else(by_action) {
            Some(at) => out.pairs.push((open.remove(at), i)),
            None => out.unrequested.push(i),
        }
    }
    out.unanswered = open;
    out
}

/// The finding of a request without a response.
pub fn unanswered(line: &CapturedLine) -> Finding {
    Finding {
        rule: RULE_UNANSWERED_REQUEST.into(),
        severity: Severity::Should,
        message: format!(
            "line {}: no response in the capture answers this {} request (requestId {})",
            line.line,
            line.action().unwrap_or("?"),
            line.request_id().unwrap_or("absent")
        ),
    }
}

/// The finding of a response without a request.
pub fn unrequested(line: &CapturedLine) -> Finding {
    Finding {
        rule: RULE_UNREQUESTED_RESPONSE.into(),
        severity: Severity::Should,
        message: format!(
            "line {}: this {} response answers no request in the capture (requestId {}, and no open request of that action)",
            line.line,
            line.action().unwrap_or("?"),
            line.request_id().unwrap_or("absent")
        ),
    }
}

/// The keys `signaturePayload` signatures are checked with: by `merchantKeyId`, and one key
/// for any other ID.
#[derive(Debug, Clone, Default)]
pub struct SignatureKeys {
    /// Keys bound to a `merchantKeyId`.
    pub by_id: KeyRing,
    /// The key for every `merchantKeyId` not in `by_id`.
    pub any: Option<PublicKey>,
}

impl SignatureKeys {
    /// Whether no key is given (then no signature is checked).
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty() && self.any.is_none()
    }
}

/// The signature findings of a request line: `signature` must verify over the exact
/// `signaturePayload` string with the key its `merchantKeyId` names. A line without a
/// `signaturePayload` has none.
pub fn signature_findings(request: &Value, keys: &SignatureKeys) -> Vec<Finding> {
    let field = |name: &str| request.pointer(&format!("/payload/{name}")).and_then(Value::as_str);
    let Some(signed) = field("signaturePayload") else {
        return Vec::new();
    };
    let (Some(signature), Some(key_id)) = (field("signature"), field("merchantKeyId")) else {
        return vec![Finding {
            rule: RULE_SIGNATURE.into(),
            severity: Severity::Must,
            message: "signaturePayload is sent without a signature and merchantKeyId string".into(),
        }];
    };
    let key = keys.by_id.get(key_id).or(keys.any.as_ref());
    let outcome = match key {
        Some(key) => signature_payload::verify(key, signed, signature),
        None => Err(SignaturePayloadError::UnknownKeyId {
            key_id: key_id.to_owned(),
        }),
    };
    match outcome {
        Ok(()) => Vec::new(),
        Err(e) => {
            let rule = match &e {
                SignaturePayloadError::UnknownKeyId { .. } => RULE_KEY_ID,
                SignaturePayloadError::Encoding { .. } => signature_payload::RULE_ENCODING,
                SignaturePayloadError::Signature => RULE_SIGNATURE,
            };
            vec![Finding {
                rule: rule.into(),
                severity: Severity::Must,
                message: e.to_string(),
            }]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<CapturedLine> {
        captured_lines(text)
    }

    #[test]
    fn pairs_by_request_id_then_by_action() {
        let capture = [
            r#"{"requestId":"a","payload":{"action":"upiTxn"}}"#,
            r#"{"requestId":"b","payload":{"action":"onboarding"}}"#,
            r#"{"requestId":"b","payload":{"action":"onboarding","status":"SUCCESS"},"event":"process_result"}"#,
            r#"{"requestId":"zz","payload":{"action":"upiTxn","status":"SUCCESS"},"event":"process_result"}"#,
            r#"{"requestId":"q","payload":{"action":"upiTxn","status":"SUCCESS"},"event":"process_result"}"#,
            r#"{"requestId":"c","payload":{"action":"onboarding"}}"#,
        ]
        .join("\n");
        let lines = lines(&capture);
        let p = pair(&lines);
        assert_eq!(p.pairs, vec![(1, 2), (0, 3)]);
        assert_eq!(p.unrequested, vec![4]);
        assert_eq!(p.unanswered, vec![5]);
        assert_eq!(unanswered(&lines[5]).rule, RULE_UNANSWERED_REQUEST);
        assert_eq!(unrequested(&lines[4]).rule, RULE_UNREQUESTED_RESPONSE);
    }

    #[test]
    fn without_keys_nothing_verifies() {
        let request =
            serde_json::json!({"payload": {"signaturePayload": "{}", "signature": "AAAA", "merchantKeyId": "k"}});
        let found = signature_findings(&request, &SignatureKeys::default());
        assert_eq!(found[0].rule, RULE_KEY_ID);
    }
}
