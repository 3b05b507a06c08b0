//! Judging a request by its model: the request becomes a [`Document`] (the headers the model
//! names, the body read by `upi_spec::read`), `upi_spec::validate` lists what it breaks, and the
//! violations that the active fault does not ignore reject it. A fault ignoring a
//! form message's syntax rule makes the server read its forms leniently ([`lenient_form`]).
//!
//! Which violations refuse ([`refuses`]): the server is a sandbox that teaches the best form, so
//! by default it refuses every rule its models declare, `must` and `should` alike (a `should`
//! refusal says so, and that `serve --lenient` accepts it); `serve --lenient` refuses only the
//! rules a seed sentence states (the catalogue's `must`), as a seed-faithful implementation
//! would. A rule whose breach a stated behaviour rule answers otherwise is never refused
//! (`upi_spec::behaviour::answered_by`: `/txns` with `format` other than `json` answers 302),
//! nor a `should` rule a seed's own sample breaks (`upi_spec::grounding::BROKEN_BY_SEED_SAMPLES`:
//! the seed outranks our reading).

use axum::http::HeaderMap;
use serde_json::Value;
use upi_spec::input::{Document, InputError, normalise_headers};
use upi_spec::model::{Encoding, Message};
use upi_spec::read::{Syntax, read};
use upi_spec::{Severity, catalogue, validate};

use crate::config::ServerConfig;
use crate::fault::Fault;
pub use crate::form::{lenient_form, lenient_form_pairs};

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

/// The `must` violations of `document` against `message` that `fault` does not ignore, all in
/// one refusal (the first as its rule, the others in [`Refusal::more`]), so a client learns
/// every broken rule from one answer. Every violation is noted in the client report first, not
/// only those that reject.
pub fn judge(message: &Message, document: &Document, config: &ServerConfig) -> Result<(), Refusal> {
    judge_except(message, document, config, |_| false)
}

/// Whether a violation of `rule`, reported with `severity`, refuses the request under `config`
/// (see the module docs). `None`: it does not; `Some(true)`: it refuses as a `should` rule.
fn refuses(rule: &str, severity: Severity, config: &ServerConfig) -> Option<bool> {
    if upi_spec::behaviour::answered_by(rule).is_some() {
        return None;
    }
    if severity != Severity::Must && upi_spec::grounding::broken_by_seed_samples(rule) {
        return None;
    }
    let declared = upi_spec::catalogue::declared(rule).unwrap_or(severity);
    match (severity, declared) {
        (Severity::Must, _) => Some(false),
        (_, Severity::Info) => None,
        _ if config.lenient => None,
        _ => Some(true),
    }
}

/// [`judge`], except that no rule `waived` holds for refuses (the rules a chosen reading relaxes,
/// `crate::readings::Readings::waives`).
pub fn judge_except(
    message: &Message,
    document: &Document,
    config: &ServerConfig,
    waived: impl Fn(&str) -> bool,
) -> Result<(), Refusal> {
    let fault: Option<&Fault> = config.fault.as_ref();
    let violations = validate::validate(message, document);
    for v in &violations {
        crate::client_report::note(&v.rule, &v.severity.to_string(), &v.at, &v.reason);
    }
    let mut rejecting = violations
        .into_iter()
        .filter(|v| !fault.is_some_and(|f| f.ignores(&v.rule)) && !waived(&v.rule))
        .filter_map(|v| {
            let should = refuses(&v.rule, v.severity, config)?;
            let reason = if should {
                format!(
                    "{} (a `should` rule: our reading where no seed sentence states it; this sandbox refuses it, `serve --lenient` accepts it)",
                    v.reason
                )
            } else {
                v.reason
            };
            Some(Refusal::new(v.rule, v.at, reason))
        });
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
        let refusal = judge(model, &document, &ServerConfig::test_defaults()).unwrap_err();
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

    /// The strict sandbox refuses a request breaking only a `should` rule, naming the rule and
    /// saying `should`; `--lenient` accepts it. A `must` breach is refused either way, and a
    /// `should` rule a seed sample breaks (the empty e-mail of seed 004) never is.
    #[test]
    fn should_rules_are_refused_unless_lenient() {
        let model = crate::models::get(crate::models::PAYU_PAYMENT_REQUEST);
        let strict = ServerConfig::test_defaults();
        let lenient = ServerConfig::test_defaults().with_lenient(true);
        let case = |rule: &str| {
            let doc = upi_spec::generate::breaking(model, rule, 7).expect("a breaking document");
            let ids: Vec<String> = validate::validate(model, &doc).into_iter().map(|v| v.rule).collect();
            assert_eq!(ids, [rule], "the document breaks exactly {rule}");
            doc
        };
        let should = "payu.payment.request.phone.format";
        let doc = case(should);
        let refusal = judge(model, &doc, &strict).expect_err("the strict sandbox refuses a should breach");
        assert_eq!(refusal.rule_ids(), [should]);
        assert!(refusal.message().contains("a `should` rule"), "{}", refusal.message());
        assert!(!refusal.message().contains("must"), "{}", refusal.message());
        assert_eq!(judge(model, &doc, &lenient), Ok(()), "--lenient accepts it");

        let must = "payu.payment.request.pg.const";
        assert_eq!(upi_spec::catalogue::severity(must), Some(Severity::Must));
        let doc = case(must);
        for config in [&strict, &lenient] {
            assert_eq!(judge(model, &doc, config).unwrap_err().rule_ids(), [must]);
        }

        let mut doc = upi_spec::generate::valid(model, 7);
        doc.body["email"] = Value::String(String::new());
        assert_eq!(judge(model, &doc, &strict), Ok(()), "seed 004 sample 2 posts email=");
    }
}
