//! Judging a request by its model: the request becomes a [`Document`] (the headers the model
//! names, the body read by `upi_spec::read`), `upi_spec::validate` lists what it breaks, and the
//! first `must` violation that the active fault does not ignore rejects it. A fault ignoring a
//! form message's syntax rule makes the server read its forms leniently ([`lenient_form`]).

use axum::http::HeaderMap;
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};
use upi_spec::input::{Document, InputError, normalise_headers};
use upi_spec::model::{Encoding, Message};
use upi_spec::read::{Syntax, read};
use upi_spec::{Severity, catalogue, validate};

use crate::fault::Fault;

/// Why a request is refused: the rule it breaks and a reason naming the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The broken rule's ID.
    pub rule: String,
    /// Where: a field path or `header:NAME`.
    pub at: String,
    /// What is wrong.
    pub reason: String,
    /// The other rules the same request breaks, all reported in the same answer.
    pub more: Vec<Refusal>,
}

impl Refusal {
    /// A refusal for `rule` at `at`.
    pub fn new(rule: impl Into<String>, at: impl Into<String>, reason: impl Into<String>) -> Self {
        let refusal = Refusal {
            rule: rule.into(),
            at: at.into(),
            reason: reason.into(),
            more: Vec::new(),
        };
        crate::client_report::note(&refusal.rule, "refused", &refusal.at, &refusal.reason);
        refusal
    }

    /// The one-line message an error body carries: `RULE: reason`, and `; RULE: reason` for
    /// every further rule the request breaks.
    pub fn message(&self) -> String {
        std::iter::once(self)
            .chain(&self.more)
            .map(|r| format!("{}: {}", r.rule, r.reason))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Every broken rule's ID, this refusal's first.
    pub fn rule_ids(&self) -> Vec<String> {
        std::iter::once(self)
            .chain(&self.more)
            .map(|r| r.rule.clone())
            .collect()
    }

    /// Whether the rule is about a header.
    pub fn is_header(&self) -> bool {
        self.at.starts_with("header:")
    }

    /// Whether the rule is a missing mandatory field.
    pub fn is_missing(&self) -> bool {
        self.rule.ends_with(".required")
    }

    /// The refusal of input that could not be read (`message`'s syntax rule).
    pub fn unreadable(message: &Message, error: &InputError) -> Self {
        let (suffix, _) = catalogue::syntax_rule(message);
        Refusal::new(format!("{}.{suffix}", message.id), "body", error.to_string())
    }
}

/// The request headers that `message` names, lower-cased. A named header sent twice, or not as
/// visible text, is refused.
pub fn named_headers(message: &Message, headers: &HeaderMap) -> Result<Vec<(String, String)>, Refusal> {
    let mut named = Vec::new();
    for field in &message.headers {
        for name in field.key.names() {
            for value in headers.get_all(*name) {
                let text = value.to_str().map_err(|_| {
                    Refusal::new(
                        "server.http.header-text",
                        format!("header:{name}"),
                        format!("header {name} is not visible ASCII text"),
                    )
                })?;
                named.push(((*name).to_owned(), text.to_owned()));
            }
        }
    }
    normalise_headers(named).map_err(|e| Refusal::unreadable(message, &e))
}

/// Reads a body (`syntax` as `upi_spec::read` takes it) with the named headers of `message`.
/// A form body that does not read is read leniently when `fault` ignores the syntax rule.
pub fn read_request(
    message: &Message,
    headers: &HeaderMap,
    body: &[u8],
    syntax: Syntax,
    limit: usize,
    fault: Option<&Fault>,
) -> Result<Document, Refusal> {
    let mut document = match read(message, body, syntax, limit) {
        Ok(document) => document,
        Err(_) if ignores_syntax(message, fault) && message.encoding != Encoding::Json => {
            Document::body(lenient_form(lenient_form_pairs(&String::from_utf8_lossy(body))))
        }
        Err(e) => return Err(Refusal::unreadable(message, &e)),
    };
    document.headers = Some(named_headers(message, headers)?);
    Ok(document)
}

/// Whether `fault` ignores the syntax rule of `message` (`MESSAGE.form` or `MESSAGE.json`).
pub fn ignores_syntax(message: &Message, fault: Option<&Fault>) -> bool {
    let (suffix, _) = catalogue::syntax_rule(message);
    fault.is_some_and(|f| f.ignores(&format!("{}.{suffix}", message.id)))
}

/// Form pairs as a lenient parser reads them (PHP's, say): a malformed percent escape stays as
/// it is, escapes that are not UTF-8 become U+FFFD.
pub fn lenient_form_pairs(text: &str) -> Vec<(String, String)> {
    lenient_form_pairs_lazily(text).collect()
}

/// [`lenient_form_pairs`], each pair decoded only when it is reached.
pub fn lenient_form_pairs_lazily(text: &str) -> impl Iterator<Item = (String, String)> + '_ {
    let decode = |s: &str| {
        percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    text.split('&').filter(|raw| !raw.is_empty()).map(move |raw| {
        let (k, v) = raw.split_once('=').unwrap_or((raw, ""));
        (decode(k), decode(v))
    })
}

/// Form pairs as an object of strings, the first of a repeated name kept.
pub fn lenient_form(pairs: Vec<(String, String)>) -> Value {
    let mut map = Map::new();
    for (k, v) in pairs {
        map.entry(k).or_insert(Value::String(v));
    }
    Value::Object(map)
}

/// The `must` violations of `document` against `message` that `fault` does not ignore, all in
/// one refusal (the first as its rule, the others in [`Refusal::more`]), so a client learns
/// every broken rule from one answer. Every violation is noted in the client report first, not
/// only those that reject.
pub fn judge(message: &Message, document: &Document, fault: Option<&Fault>) -> Result<(), Refusal> {
    judge_except(message, document, fault, |_| false)
}

/// [`judge`], except that no rule `waived` holds for refuses (the rules a chosen reading relaxes,
/// `crate::readings::Readings::waives`).
pub fn judge_except(
    message: &Message,
    document: &Document,
    fault: Option<&Fault>,
    waived: impl Fn(&str) -> bool,
) -> Result<(), Refusal> {
    let violations = validate::validate(message, document);
    for v in &violations {
        crate::client_report::note(&v.rule, &v.severity.to_string(), &v.at, &v.reason);
    }
    let mut rejecting = violations
        .into_iter()
        // The reference server keeps the models' strict reading: it refuses every rule the model
        // declares `must`, also those the catalogue reports as `should` for want of a seed quote.
        .filter(|v| upi_spec::grounding::declared(&v.rule).unwrap_or(v.severity) == Severity::Must)
        .filter(|v| !fault.is_some_and(|f| f.ignores(&v.rule)) && !waived(&v.rule))
        .map(|v| Refusal::new(v.rule, v.at, v.reason));
    match rejecting.next() {
        Some(mut first) => {
            first.more = rejecting.collect();
            Err(first)
        }
        None => Ok(()),
    }
}

/// A body field as text (form bodies hold only strings), empty when absent.
pub fn text<'d>(document: &'d Document, name: &str) -> &'d str {
    document.body.get(name).and_then(Value::as_str).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `/txns` form missing `merchant_id` and with `payment_method_type` other than UPI breaks
    /// two `must` rules: one refusal carries both, and its message names both.
    #[test]
    fn every_must_violation_is_in_the_one_refusal() {
        let model = crate::models::get(crate::models::EC_TXNS_REQUEST);
        let mut document = Document::body(serde_json::json!({
            "order_id": "o1",
            "payment_method_type": "CARD",
            "payment_method": "UPI",
            "redirect_after_payment": "true",
            "format": "json",
        }));
        document.headers = Some(vec![
            ("content-type".into(), "application/x-www-form-urlencoded".into()),
            ("x-routing-id".into(), "c1".into()),
        ]);
        let refusal = judge(model, &document, None).unwrap_err();
        let ids = refusal.rule_ids();
        assert_eq!(ids.len(), 2, "{ids:?}");
        assert!(
            ids.iter().any(|r| r.starts_with("ec.txns.request.merchant_id.")),
            "{ids:?}"
        );
        assert!(
            ids.iter()
                .any(|r| r.starts_with("ec.txns.request.payment_method_type.")),
            "{ids:?}"
        );
        assert!(ids.iter().all(|r| refusal.message().contains(r.as_str())));
    }
}
