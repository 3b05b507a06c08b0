//! The Merchant Stack side of `client-test` (`--merchant-stack-url`, `--merchant-stack-cmd`): the
//! tool runs the reference server as the sandbox and drives the merchant's registerIntent client
//! through a trigger (contract in `docs/MERCHANT_STACK_CLIENT.md`): one POST per case to a
//! trigger URL, or one run of a command with the same JSON on its standard input, naming the
//! sandbox's registerIntent URL; the client registers an intent there and answers 2xx (exits 0)
//! if it accepted the answer, any other status if it refused it.
//!
//! Cases: a valid signed answer is accepted; an answer tampered after signing (its
//! `x-response-signature` does not verify; the sandbox serves it on request, see
//! `upi_reference_server::sandbox_tamper`) is refused. Seed 003 does not mention the response
//! signature at all; DOMAIN.md says "Responses with HTTP 200 carry an `x-response-signature`
//! header: RS256 over the raw response body, verifiable with the PSP's public key". That the
//! merchant verifies it is inferred, so both cases are `should`.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use upi_reference_server::ServerConfig;
use upi_reference_server::sandbox_tamper::{PATH as TAMPER_PATH, RESPONSE_SIGNATURE};
use upi_spec::Severity;

use super::ClientTestError;
use crate::runner::case::{CaseKind, CaseResult, Finding, Outcome, grade};
use crate::runner::http::Exchange;
use crate::runner::{Report, totals_of};

/// The suite name in reports.
pub const SUITE: &str = "merchant-stack-client";
/// Rule: the client accepts a registerIntent answer whose signature verifies.
pub const RULE_ACCEPTS_VALID: upi_spec::id::RuleId = upi_spec::rule_ids::client::CLIENT_ACCEPTS_VALID;
/// Rule: the client refuses a registerIntent answer whose `x-response-signature` does not verify.
pub const RULE_VERIFIES_SIGNATURE: upi_spec::id::RuleId = upi_spec::rule_ids::client::CLIENT_VERIFIES_SIGNATURE;
/// The registerIntent path the trigger names.
pub const REGISTER_INTENT_PATH: &str = "/api/upi/merchants/transactions/registerIntent";

const SIGNATURE_SOURCE: &str = "DOMAIN.md (Juspay UPI Merchant Stack signing): \"Responses with HTTP 200 carry an x-response-signature header: RS256 over the raw response body, verifiable with the PSP's public key\"; seed 003 does not mention it, so the case is should";

/// How the merchant's client is asked to register an intent, once per case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Driver {
    /// `--merchant-stack-url`: one POST of the trigger JSON; 2xx means accepted.
    Url(String),
    /// `--merchant-stack-cmd`: one run of the command (words already split), the trigger JSON
    /// on its standard input; exit status 0 means accepted ([`super::command`]).
    Command(Vec<String>),
}

impl Driver {
    /// The driver as the report's target names it.
    pub fn describe(&self) -> String {
        match self {
            Driver::Url(url) => url.clone(),
            Driver::Command(argv) => format!("command: {}", shell_words::join(argv)),
        }
    }
}

/// What the Merchant Stack client test needs.
#[derive(Debug, Clone)]
pub struct MerchantStackConfig {
    /// How the merchant's client is triggered.
    pub driver: Driver,
    /// Where the sandbox listens (`None`: an ephemeral loopback port).
    pub sandbox_addr: Option<SocketAddr>,
    /// Per-request timeout.
    pub timeout: Duration,
}

struct Run<'a> {
    config: &'a MerchantStackConfig,
    http: reqwest::Client,
    sandbox: String,
    cases: Vec<CaseResult>,
    sequence: u32,
}

/// Runs the cases against the merchant's client, with the reference server as the sandbox.
pub async fn run(config: &MerchantStackConfig) -> Result<Report, ClientTestError> {
    let started = Instant::now();
    let addr = config
        .sandbox_addr
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| ClientTestError::Sandbox(format!("binding {addr}: {e}")))?;
    let server = upi_reference_server::spawn_on(listener, ServerConfig::test_defaults())
        .map_err(|e| ClientTestError::Sandbox(e.to_string()))?;
    let http = reqwest::Client::builder()
        .timeout(config.timeout)
        .build()
        .map_err(|e| ClientTestError::Client(e.to_string()))?;
    let mut run = Run {
        config,
        http,
        sandbox: server.base_url(),
        cases: Vec::new(),
        sequence: 0,
    };
    let baseline = run.accepts_valid().await;
    run.refuses_tampered(baseline).await;
    let cases = run.cases;
    // The sandbox stops with the run; a failure to stop changes no verdict.
    let _ = server.shutdown().await;
    Ok(Report {
        format_version: 1,
        target: config.driver.describe(),
        seed: 0,
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        sandbox: true,
        strict: false,
        totals: totals_of(&cases),
        interrupted: false,
        not_run: 0,
        unused_expectations: Vec::new(),
        cases,
    })
}

impl Run<'_> {
    /// Sets the sandbox's tamper switch (`response-signature` or `off`); the tampered-answer count.
    async fn tamper(&self, exchanges: &mut Vec<Exchange>, next: &str) -> Option<u64> {
        let url = format!("{}{TAMPER_PATH}", self.sandbox);
        let body = format!("next={next}");
        let mut exchange = Exchange {
            request_line: format!("POST {url}"),
            request_body: body.clone(),
            ..Exchange::default()
        };
        let sent = self
            .http
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await;
        let served = match sent {
            Ok(r) => {
                exchange.status = Some(r.status().as_u16());
                let text = r.text().await.unwrap_or_default();
                exchange.response_body = text.clone();
                serde_json::from_str::<Value>(&text)
                    .ok()
                    .and_then(|v| v["served"].as_u64())
            }
            Err(e) => {
                exchange.error = Some(e.to_string());
                None
            }
        };
        exchanges.push(exchange);
        served
    }

    /// Triggers the client once: `Ok(true)` if it accepted the answer (2xx), `Ok(false)` if it
    /// refused it, `Err` if it did not answer.
    async fn trigger(&mut self, exchanges: &mut Vec<Exchange>) -> Result<bool, String> {
        self.sequence += 1;
        let body = json!({
            "sandbox_url": self.sandbox,
            "register_intent_url": format!("{}{REGISTER_INTENT_PATH}", self.sandbox),
            "merchant_request_id": format!("CT{}{:04}", std::process::id(), self.sequence),
            "amount": "2.00",
        })
        .to_string();
        let url = match &self.config.driver {
            Driver::Url(url) => url.clone(),
            Driver::Command(argv) => return self.run_command(argv.clone(), body, exchanges).await,
        };
        let (status, exchange) = super::send::post(&self.http, &url, super::send::JSON, body).await;
        exchanges.push(exchange);
        status
            .map(|s| (200..300).contains(&s))
            .map_err(|e| format!("the client's trigger URL did not answer: {e}"))
    }

    /// The trigger as a command run: `Ok(true)` on exit status 0, `Ok(false)` on any other,
    /// `Err` if it could not start or did not finish in time.
    async fn run_command(
        &self,
        argv: Vec<String>,
        body: String,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<bool, String> {
        let started = Instant::now();
        let mut exchange = Exchange {
            request_line: format!("RUN {}", shell_words::join(&argv)),
            request_body: body.clone(),
            curl: format!(
                "printf '%s' {} | {}",
                shell_words::quote(&body),
                shell_words::join(&argv)
            ),
            ..Exchange::default()
        };
        let out = match super::command::run(argv, body, self.config.timeout).await {
            Ok(ran) => {
                let code = ran
                    .code
                    .map_or_else(|| "killed by a signal".to_owned(), |c| c.to_string());
                exchange.response_body = format!("exit status {code}\n{}", ran.stdout);
                Ok(ran.accepted())
            }
            Err(e) => {
                exchange.timed_out = e.contains("did not finish");
                exchange.error = Some(e.clone());
                Err(format!("the client's trigger command failed: {e}"))
            }
        };
        exchange.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        exchanges.push(exchange);
        out
    }

    #[allow(clippy::too_many_arguments)] // one call per case, every argument named at it
    fn finish(
        &mut self,
        id: &str,
        title: &str,
        rule: upi_spec::id::RuleId,
        found: Vec<Finding>,
        exchanges: Vec<Exchange>,
        outcome: Option<Outcome>,
        started: Instant,
    ) {
        self.cases.push(CaseResult {
            id: format!("client.merchant-stack.{id}"),
            suite: SUITE.into(),
            kind: CaseKind::Security,
            title: title.into(),
            rules: vec![rule.into()],
            outcome: outcome.unwrap_or_else(|| grade(&found)),
            findings: found,
            exchanges,
            elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        });
    }

    /// A valid, signed answer is accepted. Returns whether it was.
    async fn accepts_valid(&mut self) -> bool {
        let started = Instant::now();
        let mut exchanges = Vec::new();
        self.tamper(&mut exchanges, "off").await;
        let mut found = Vec::new();
        let accepted = match self.trigger(&mut exchanges).await {
            Ok(true) => true,
            Ok(false) => {
                found.push(Finding {
                    rule: RULE_ACCEPTS_VALID.into(),
                    severity: Severity::Should,
                    message: "the client refused a registerIntent answer whose x-response-signature verifies (GET /sandbox/report on the sandbox lists what its request broke)".into(),
                });
                false
            }
            Err(e) => {
                found.push(Finding {
                    rule: RULE_ACCEPTS_VALID.into(),
                    severity: Severity::Should,
                    message: e,
                });
                false
            }
        };
        self.finish(
            "accepts-valid",
            "the client accepts a registerIntent answer whose signature verifies",
            RULE_ACCEPTS_VALID,
            found,
            exchanges,
            None,
            started,
        );
        accepted
    }

    /// An answer tampered after signing is refused.
    async fn refuses_tampered(&mut self, baseline: bool) {
        let started = Instant::now();
        let mut exchanges = Vec::new();
        let title = "the client refuses a registerIntent answer whose x-response-signature does not verify";
        if !baseline {
            let reason =
                "the client did not accept a valid answer, so refusing a tampered one proves nothing".to_owned();
            self.finish(
                "verifies-response-signature",
                title,
                RULE_VERIFIES_SIGNATURE,
                Vec::new(),
                exchanges,
                Some(Outcome::Skipped { reason }),
                started,
            );
            return;
        }
        let before = self.tamper(&mut exchanges, RESPONSE_SIGNATURE).await;
        let triggered = self.trigger(&mut exchanges).await;
        let after = self.tamper(&mut exchanges, "off").await;
        let mut found = Vec::new();
        let mut outcome = None;
        match (triggered, before, after) {
            (Err(e), _, _) => found.push(Finding {
                rule: RULE_VERIFIES_SIGNATURE.into(),
                severity: Severity::Should,
                message: e,
            }),
            (Ok(_), Some(b), Some(a)) if a <= b => {
                outcome = Some(Outcome::Skipped {
                    reason: "the sandbox served no tampered answer: the client's registerIntent was not answered HTTP 200".into(),
                });
            }
            (Ok(true), _, _) => found.push(Finding {
                rule: RULE_VERIFIES_SIGNATURE.into(),
                severity: Severity::Should,
                message: format!(
                    "the client accepted an answer whose payeeVpa was changed after signing (x-response-signature does not verify); {SIGNATURE_SOURCE}"
                ),
            }),
            (Ok(false), _, _) => {}
        }
        self.finish(
            "verifies-response-signature",
            title,
            RULE_VERIFIES_SIGNATURE,
            found,
            exchanges,
            outcome,
            started,
        );
    }
}
