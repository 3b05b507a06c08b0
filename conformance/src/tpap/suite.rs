//! The TPAP cases and their run: the `hello` call, acceptance per action, one rejection per
//! `must` request rule (a generated payload that breaks exactly that rule, re-signed so only the
//! rule is wrong), four `signaturePayload` signature cases per action, and the two flows of
//! seed 002 (session token → onboarding → onboardingAndPay → upiTxn; session token → mandate
//! creation). Every request is signed with the merchant key given to the suite.

use std::time::Instant;
use upi_spec::messages::ids;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde_json::{Value, json};
use upi_spec::crypto::PrivateKey;
use upi_spec::crypto::signature_payload::{self, RULE_ENCODING, RULE_KEY_ID, RULE_SIGNATURE};
use upi_spec::input::Document;
use upi_spec::model::Message;
use upi_spec::{Severity, catalogue, generate};

use super::judge::{self, RULE_SHIM_PROTOCOL};
use super::shim::{Reply, Shim, ShimError};
use super::{REQUEST_MODELS, request_model_of, response_model_of, short_name};
use crate::runner::case::{CaseKind, CaseResult, Finding, Outcome, grade};
use crate::runner::http::Exchange;
use crate::runner::{Report, totals_of};

/// The suite name in reports.
pub const SUITE: &str = "tpap";

/// The merchant key requests are signed with.
pub struct Signer {
    /// The `merchantKeyId` sent.
    pub key_id: String,
    /// The private key.
    pub key: PrivateKey,
    /// Its public half as PEM, sent in the `hello` call.
    pub public_pem: String,
}

/// Options of a TPAP run.
pub struct Options {
    /// Seed of the generated payloads.
    pub seed: u64,
    /// Only cases whose ID matches one of these globs (all when empty).
    pub only: Vec<String>,
    /// The signing key.
    pub signer: Signer,
}

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum SuiteError {
    /// The shim is gone.
    #[error(transparent)]
    Shim(#[from] ShimError),
    /// A bad `--only` glob.
    #[error("bad --only glob {glob:?}: {reason}")]
    Glob {
        /// The glob.
        glob: String,
        /// Why.
        reason: String,
    },
}

/// What the session learnt: the account a later payment uses.
#[derive(Default)]
struct State {
    account_ref: Option<String>,
}

struct Runner<'a> {
    shim: &'a mut dyn Shim,
    options: &'a Options,
    only: Option<GlobSet>,
    state: State,
    cases: Vec<CaseResult>,
}

/// Runs the TPAP suite through `shim`. Stops early only when the shim process is gone.
pub fn run(shim: &mut dyn Shim, options: &Options) -> Result<Report, SuiteError> {
    let started = Instant::now();
    let only = if options.only.is_empty() {
        None
    } else {
        let mut b = GlobSetBuilder::new();
        for g in &options.only {
            b.add(Glob::new(g).map_err(|e| SuiteError::Glob {
                glob: g.clone(),
                reason: e.to_string(),
            })?);
        }
        Some(b.build().map_err(|e| SuiteError::Glob {
            glob: options.only.join(","),
            reason: e.to_string(),
        })?)
    };
    let target = shim.describe();
    let mut r = Runner {
        shim,
        options,
        only,
        state: State::default(),
        cases: Vec::new(),
    };
    r.hello()?;
    for id in REQUEST_MODELS {
        let model = id.message();
        r.accept(model)?;
    }
    r.flows()?;
    for id in REQUEST_MODELS {
        let model = id.message();
        r.security(model)?;
    }
    for id in REQUEST_MODELS {
        let model = id.message();
        r.rejections(model)?;
    }
    let cases = r.cases;
    Ok(Report {
        format_version: 1,
        target,
        seed: options.seed,
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        sandbox: false,
        strict: false,
        totals: totals_of(&cases),
        interrupted: false,
        not_run: 0,
        unused_expectations: Vec::new(),
        cases,
    })
}

/// One call as recorded: the exchange and the reply, or the protocol finding.
struct Called {
    exchange: Exchange,
    reply: Option<Reply>,
    protocol: Option<Finding>,
}

impl Runner<'_> {
    fn selected(&self, id: &str) -> bool {
        self.only.as_ref().is_none_or(|g| g.is_match(id))
    }

    fn call(&mut self, request: &Value) -> Result<Called, SuiteError> {
        let started = Instant::now();
        let action = request
            .pointer("/payload/action")
            .and_then(Value::as_str)
            .unwrap_or("?");
        let mut exchange = Exchange {
            request_line: format!("PROCESS {action}"),
            request_body: serde_json::to_string_pretty(request).unwrap_or_default(),
            curl: self.shim.reproduce(request),
            ..Exchange::default()
        };
        let result = self.shim.call(request);
        exchange.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match result {
            Ok(reply) => {
                exchange.response_body = match &reply {
                    Reply::Response(r) => serde_json::to_string_pretty(r).unwrap_or_default(),
                    Reply::Error(e) => format!("shim error: {e}"),
                };
                Ok(Called {
                    exchange,
                    reply: Some(reply),
                    protocol: None,
                })
            }
            Err(e) if e.is_fatal() => Err(e.into()),
            Err(e) => {
                exchange.timed_out = matches!(e, ShimError::Timeout(_));
                exchange.error = Some(e.to_string());
                Ok(Called {
                    exchange,
                    reply: None,
                    protocol: Some(Finding::must(RULE_SHIM_PROTOCOL, e.to_string())),
                })
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        id: String,
        kind: CaseKind,
        title: String,
        rules: Vec<String>,
        findings: Vec<Finding>,
        exchanges: Vec<Exchange>,
        started: Instant,
    ) {
        self.cases.push(CaseResult {
            id,
            suite: SUITE.into(),
            kind,
            title,
            rules,
            outcome: grade(&findings),
            findings,
            exchanges,
            elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        });
    }

    fn hello(&mut self) -> Result<(), SuiteError> {
        let started = Instant::now();
        let signer = &self.options.signer;
        let result = self.shim.hello(&signer.key_id, &signer.public_pem);
        let findings = match result {
            Ok(Reply::Response(_)) => Vec::new(),
            Ok(Reply::Error(e)) => vec![Finding {
                rule: upi_spec::rule_ids::client::TPAP_SHIM_HELLO.into(),
                severity: Severity::Should,
                message: format!(
                    "the shim did not register the merchant key ({e}); the signature cases assume it is registered out of band"
                ),
            }],
            Err(e) if e.is_fatal() => return Err(e.into()),
            Err(e) => vec![Finding::must(RULE_SHIM_PROTOCOL, e.to_string())],
        };
        self.record(
            upi_spec::rule_ids::client::TPAP_SHIM_HELLO.into(),
            CaseKind::Flow,
            "the shim answers the hello call (merchant key registration)".into(),
            vec![RULE_SHIM_PROTOCOL.into()],
            findings,
            Vec::new(),
            started,
        );
        Ok(())
    }

    /// A valid request for `model`, signed, with the learnt account.
    fn valid_request(&self, model: &Message, seed: u64) -> Value {
        let mut request = generate::valid(model, seed).body;
        if ids::TPAP_ONBOARDING_AND_PAY_REQUEST == model.id {
            request["payload"]["udfParameters"] = json!("{\"udf1\":\"conformance-udf\"}");
        }
        self.personalise(&mut request, None);
        request
    }

    /// Sets the merchant key, the learnt account and a real signature, except where `rule`
    /// is about that field.
    fn personalise(&self, request: &mut Value, rule: Option<&str>) {
        let about = |field: &str| rule.is_some_and(|r| r.contains(&format!(".payload.{field}.")));
        let Some(payload) = request.get_mut("payload").and_then(Value::as_object_mut) else {
            return;
        };
        if payload.contains_key("accountRefId") && !about("accountRefId") {
            if let Some(account) = &self.state.account_ref {
                payload.insert("accountRefId".into(), json!(account));
            }
        }
        if payload.get("merchantKeyId").is_some_and(Value::is_string) && !about("merchantKeyId") {
            payload.insert("merchantKeyId".into(), json!(self.options.signer.key_id));
        }
        if let (Some(Value::String(signed)), false) = (payload.get("signaturePayload"), about("signature")) {
            if let Ok(signature) = signature_payload::sign(&self.options.signer.key, signed) {
                payload.insert("signature".into(), json!(signature));
            }
        }
    }

    fn learn(&mut self, reply: Option<&Reply>) {
        let Some(Reply::Response(r)) = reply else { return };
        let found = [
            "/payload/vpaAccounts/0/account/referenceId",
            "/payload/selectedAccount/account/referenceId",
            "/payload/linkedAccounts/0/account/referenceId",
        ]
        .iter()
        .find_map(|p| r.pointer(p).and_then(Value::as_str));
        if let Some(reference) = found {
            self.state.account_ref = Some(reference.to_owned());
        }
    }

    /// Sends a valid request of `model`; the findings of its answer.
    fn step(&mut self, model: &Message, seed: u64) -> Result<(Vec<Finding>, Exchange), SuiteError> {
        let request = self.valid_request(model, seed);
        let called = self.call(&request)?;
        self.learn(called.reply.as_ref());
        let findings = match (&called.reply, called.protocol) {
            (_, Some(p)) => vec![p],
            (Some(reply), None) => match response_model_of(model.id) {
                Some(response_model) => judge::accepted_and_paired(response_model, &request, reply),
                None => Vec::new(),
            },
            (None, None) => Vec::new(),
        };
        Ok((findings, called.exchange))
    }

    fn accept(&mut self, model: &'static Message) -> Result<(), SuiteError> {
        let id = format!("accept.{}", short_name(model.id));
        if !self.selected(&id) {
            return Ok(());
        }
        let started = Instant::now();
        let (findings, exchange) = self.step(model, self.options.seed)?;
        let mut rules: Vec<String> = vec![judge::RULE_ACCEPTS_VALID.into(), judge::RULE_PAIR_REQUEST_ID.into()];
        rules.extend(findings.iter().map(|f| f.rule.clone()));
        rules.dedup();
        self.record(
            id,
            CaseKind::Accept,
            format!(
                "{}: a valid, signed request is accepted and answered per the response model",
                model.title
            ),
            rules,
            findings,
            vec![exchange],
            started,
        );
        Ok(())
    }

    fn flows(&mut self) -> Result<(), SuiteError> {
        let pay = [
            ids::TPAP_GET_SESSION_TOKEN_REQUEST,
            ids::TPAP_ONBOARDING_REQUEST,
            ids::TPAP_ONBOARDING_AND_PAY_REQUEST,
            ids::TPAP_UPI_TXN_REQUEST,
        ];
        let mandate = [
            ids::TPAP_GET_SESSION_TOKEN_REQUEST,
            ids::TPAP_ONBOARDING_AND_CREATE_MANDATE_REQUEST,
            ids::TPAP_CREATE_MANDATE_REQUEST,
        ];
        for (id, title, steps) in [
            (
                "flow.tpap.pay",
                "session token → onboarding → onboardingAndPay → upiTxn with the linked account",
                &pay[..],
            ),
            (
                "flow.tpap.mandate",
                "session token → onboardingAndPay with shouldCreateMandate → upiTxn with shouldCreateMandate",
                &mandate[..],
            ),
        ] {
            if !self.selected(id) {
                continue;
            }
            let started = Instant::now();
            self.state = State::default();
            let mut findings = Vec::new();
            let mut exchanges = Vec::new();
            for (n, step) in steps.iter().enumerate() {
                let model = step.message();
                let (f, e) = self.step(model, self.options.seed.wrapping_add(100 + n as u64))?;
                let failed = f.iter().any(|f| f.severity == Severity::Must);
                findings.extend(f.into_iter().map(|mut f| {
                    f.message = format!("step {} ({}): {}", n + 1, short_name(step.as_str()), f.message);
                    f
                }));
                exchanges.push(e);
                if failed {
                    break;
                }
            }
            self.record(
                id.into(),
                CaseKind::Flow,
                title.into(),
                vec![judge::RULE_ACCEPTS_VALID.into()],
                findings,
                exchanges,
                started,
            );
        }
        Ok(())
    }

    fn security(&mut self, model: &'static Message) -> Result<(), SuiteError> {
        type Tamper = fn(&mut serde_json::Map<String, Value>);
        let variants: [(&str, &str, &str, Tamper); 4] = [
            (
                "signature-over-other-payload",
                RULE_SIGNATURE,
                "the signature is of another signaturePayload",
                |p| {
                    if let Some(Value::String(s)) = p.get_mut("signaturePayload") {
                        if let Ok(Value::Object(mut o)) = serde_json::from_str::<Value>(s) {
                            o.insert("customer_id".into(), json!("someone-else"));
                            *s = Value::Object(o).to_string();
                        }
                    }
                },
            ),
            (
                "whitespace-changed",
                RULE_SIGNATURE,
                "a space is added to the signed signaturePayload bytes",
                |p| {
                    if let Some(Value::String(s)) = p.get_mut("signaturePayload") {
                        *s = s.replacen('{', "{ ", 1);
                    }
                },
            ),
            (
                "unknown-key-id",
                RULE_KEY_ID,
                "merchantKeyId names no registered key",
                |p| {
                    p.insert("merchantKeyId".into(), json!("upi-conformance-unregistered-key"));
                },
            ),
            (
                "signature-not-base64",
                RULE_ENCODING,
                "the signature is not base64",
                |p| {
                    p.insert("signature".into(), json!("not*base64*at*all"));
                },
            ),
        ];
        for (name, rule, what, tamper) in variants {
            let id = format!("security.{}.{name}", short_name(model.id));
            if !self.selected(&id) {
                continue;
            }
            let started = Instant::now();
            let mut request = self.valid_request(model, self.options.seed.wrapping_add(7));
            if let Some(p) = request.get_mut("payload").and_then(Value::as_object_mut) {
                tamper(p);
            }
            let called = self.call(&request)?;
            let findings = refusal_findings(&called, rule, what);
            self.record(
                id,
                CaseKind::Security,
                format!("{}: refused when {what}", model.title),
                vec![rule.to_owned()],
                findings,
                vec![called.exchange],
                started,
            );
        }
        Ok(())
    }

    fn rejections(&mut self, model: &'static Message) -> Result<(), SuiteError> {
        let rules: Vec<_> = catalogue::rules_of(model)
            .into_iter()
            .filter(|r| r.severity == Severity::Must)
            .collect();
        for (n, rule) in rules.iter().enumerate() {
            let id = format!("reject.{}", rule.id);
            if !self.selected(&id) {
                continue;
            }
            let seed = self.options.seed.wrapping_add(n as u64);
            let Some(doc) = generate::breaking(model, &rule.id, seed) else {
                continue;
            };
            let started = Instant::now();
            let mut request = doc.body;
            self.personalise(&mut request, Some(&rule.id));
            let title = format!("{}: refused when {}", model.title, rule.statement);
            if let Some(other) = valid_as_other(model, &request) {
                self.cases.push(CaseResult {
                    id,
                    suite: SUITE.into(),
                    kind: CaseKind::Reject,
                    title,
                    rules: vec![rule.id.clone()],
                    outcome: Outcome::Skipped {
                        reason: format!("the breaking payload is a valid {other} request"),
                    },
                    findings: Vec::new(),
                    exchanges: Vec::new(),
                    elapsed_ms: 0,
                });
                continue;
            }
            let called = self.call(&request)?;
            let findings = refusal_findings(&called, &rule.id, &rule.statement);
            self.record(
                id,
                CaseKind::Reject,
                title,
                vec![rule.id.clone()],
                findings,
                vec![called.exchange],
                started,
            );
        }
        Ok(())
    }
}

/// A request breaking a rule of `model` may be a valid request of another action (without
/// `shouldCreateMandate` a mandate call is a payment call): its model, if so.
fn valid_as_other(model: &Message, request: &Value) -> Option<&'static str> {
    let other = request_model_of(request)?;
    if other.id == model.id {
        return None;
    }
    let clean = upi_spec::validate::validate(other, &Document::body(request.clone()))
        .iter()
        .all(|v| v.severity != Severity::Must);
    clean.then_some(other.id)
}

fn refusal_findings(called: &Called, rule: &str, what: &str) -> Vec<Finding> {
    match (&called.reply, &called.protocol) {
        (_, Some(p)) => vec![p.clone()],
        (Some(reply), None) if judge::refused(reply).is_none() => {
            vec![Finding::must(rule, format!("accepted although {what}"))]
        }
        _ => Vec::new(),
    }
}
