//! The merchant side: `client-test` plays PayU toward a merchant's S2S callback endpoint (seed
//! 004, "Step 4: PayU sends Server-to-Server callback response") and judges what the merchant
//! did from its order state. Seed 004 lists the callback's `hash` as the "Response hash for
//! verification"; DOMAIN.md gives it as the reverse hash
//! `SALT|status||||||udf5|udf4|udf3|udf2|udf1|email|firstname|productinfo|amount|txnid|key`.
//! A merchant that marks an order paid on a callback whose reverse hash does not verify fails a
//! `must` case; the amount, unknown-txnid, duplicate and replay checks are inferred (`should`).
//!
//! The oracle is the merchant's order state ([`oracle`], `--order-status-url`); without it the
//! callback's HTTP status is the only evidence, and the report says so.

pub mod callback;
pub mod command;
pub mod in_flight;
pub mod merchant_stack;
pub mod oracle;
pub mod send;

use std::time::{Duration, Instant};

use upi_spec::Severity;
use upi_spec::crypto::payu_hash::Salt;
use upi_spec::id::RuleId;

use crate::runner::case::{CaseKind, CaseResult, Finding, Outcome, grade};
use crate::runner::http::Exchange;
use crate::runner::{Report, totals_of};
use callback::{Callback, Facts};
use oracle::{Oracle, OrderState};

/// The suite name in reports.
pub const SUITE: &str = "payu-merchant-callback";
/// Rule: a callback whose reverse hash verifies marks the order paid.
pub const RULE_ACCEPTS_VALID: upi_spec::id::RuleId = upi_spec::rule_ids::client::CALLBACK_ACCEPTS_VALID;
/// Rule: a callback whose reverse hash does not verify changes nothing.
pub const RULE_VERIFIES_HASH: upi_spec::id::RuleId = upi_spec::rule_ids::client::CALLBACK_VERIFIES_HASH;
/// Rule: a callback for another amount than the order's does not mark it paid.
pub const RULE_CHECKS_AMOUNT: upi_spec::id::RuleId = upi_spec::rule_ids::client::CALLBACK_CHECKS_AMOUNT;
/// Rule: a callback for a txnid the merchant never issued changes nothing.
pub const RULE_UNKNOWN_TXNID: upi_spec::id::RuleId = upi_spec::rule_ids::client::CALLBACK_UNKNOWN_TXNID;
/// Rule: a repeated callback fulfils the order once.
pub const RULE_IDEMPOTENT: upi_spec::id::RuleId = upi_spec::rule_ids::client::CALLBACK_IDEMPOTENT;
/// Rule: a replayed callback (another mihpayid, same hashed fields) fulfils nothing again.
pub const RULE_REPLAY: upi_spec::id::RuleId = upi_spec::rule_ids::client::CALLBACK_REPLAY;
/// Rule: a callback that lands while the merchant's own `_payment` request is in flight is kept.
pub const RULE_BEFORE_ANSWER: upi_spec::id::RuleId = upi_spec::rule_ids::client::CALLBACK_BEFORE_ANSWER;
/// Rule marking the evidence as the HTTP status only.
pub const RULE_WEAK_EVIDENCE: upi_spec::id::RuleId = upi_spec::rule_ids::client::CALLBACK_WEAK_EVIDENCE;

const HASH_SOURCE: &str = "seed 004 callback parameters: \"hash | Response hash for verification\"; DOMAIN.md: reverse hash SALT|status||||||udf5|…|txnid|key";

/// A pending order of the merchant.
#[derive(Debug, Clone)]
pub struct Order {
    /// Its txnid.
    pub txnid: String,
    /// Its amount, as the merchant stored it.
    pub amount: String,
}

/// What the client test needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The merchant's S2S callback endpoint.
    pub callback_url: String,
    /// How to read order state; `None`: the callback's HTTP status is the only evidence.
    pub oracle: Option<Oracle>,
    /// The merchant's PayU key.
    pub key: String,
    /// The merchant's PayU salt.
    pub salt: Salt,
    /// At least four pending orders.
    pub orders: Vec<Order>,
    /// Per-request timeout.
    pub timeout: Duration,
    /// The merchant's payment trigger (`--payment-trigger-url`): one POST starts a payment
    /// against the tool's payment sandbox ([`in_flight`]); `None` skips that case.
    pub payment_trigger: Option<String>,
}

/// Why the client test could not run.
#[derive(Debug, thiserror::Error)]
pub enum ClientTestError {
    /// Fewer than four orders.
    #[error("client-test needs 4 pending orders (--order TXNID=AMOUNT, four times), got {0}")]
    NotEnoughOrders(usize),
    /// The callback could not be hashed.
    #[error("computing the reverse hash: {0}")]
    Hash(String),
    /// The HTTP client could not be built.
    #[error("HTTP client: {0}")]
    Client(String),
    /// The sandbox (the reference server the Merchant Stack mode runs) could not start.
    #[error("starting the sandbox: {0}")]
    Sandbox(String),
}

struct Run<'a> {
    config: &'a Config,
    client: reqwest::Client,
    cases: Vec<CaseResult>,
    mihpayid: u64,
}

/// Runs every case against the merchant.
pub async fn run(config: &Config) -> Result<Report, ClientTestError> {
    if config.orders.len() < 4 {
        return Err(ClientTestError::NotEnoughOrders(config.orders.len()));
    }
    let started = Instant::now();
    let client = reqwest::Client::builder()
        .timeout(config.timeout)
        .build()
        .map_err(|e| ClientTestError::Client(e.to_string()))?;
    let mut run = Run {
        config,
        client,
        cases: Vec::new(),
        mihpayid: 403_993_715_000,
    };
    let [a, b, c, d] = [0, 1, 2, 3].map(|i| config.orders[i].clone());
    run.valid_then_repeats(&a).await?;
    run.forged(&b).await?;
    run.amount_mismatch(&c).await?;
    run.status_flipped(&d).await?;
    run.unknown_txnid().await?;
    run.callback_before_answer().await?;
    let cases = run.cases;
    Ok(Report {
        format_version: 1,
        target: config.callback_url.clone(),
        seed: 0,
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

/// One case being run.
struct Case {
    started: Instant,
    exchanges: Vec<Exchange>,
    findings: Vec<Finding>,
}

fn finding(rule: RuleId, severity: Severity, message: impl Into<String>) -> Finding {
    Finding {
        rule: rule.into(),
        severity,
        message: message.into(),
    }
}

impl Run<'_> {
    fn callback(&mut self, order: &Order, amount: &str, status: &str) -> Result<Callback, ClientTestError> {
        self.mihpayid += 1;
        let mihpayid = self.mihpayid.to_string();
        Callback::new(
            &Facts {
                key: &self.config.key,
                txnid: &order.txnid,
                amount,
                status,
                mihpayid: &mihpayid,
            },
            &self.config.salt,
        )
        .map_err(|e| ClientTestError::Hash(e.to_string()))
    }

    /// Posts `callback`; its HTTP status (None when no answer: a finding).
    async fn post(&self, case: &mut Case, callback: &Callback) -> Option<u16> {
        let (status, exchange) = send::post(&self.client, &self.config.callback_url, send::FORM, callback.body()).await;
        case.exchanges.push(exchange);
        status
            .map_err(|e| {
                case.findings.push(finding(
                    RULE_ACCEPTS_VALID,
                    Severity::Must,
                    format!("the callback endpoint did not answer: {e}"),
                ));
            })
            .ok()
    }

    /// The order's state, or `None` without an oracle (or when it cannot be read: a finding).
    async fn state(&self, case: &mut Case, txnid: &str) -> Option<OrderState> {
        let oracle = self.config.oracle.as_ref()?;
        let started = Instant::now();
        let mut exchange = Exchange {
            request_line: format!("GET {}", oracle.url(txnid)),
            ..Exchange::default()
        };
        let read = oracle.read(&self.client, txnid).await;
        exchange.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let out = match read {
            Ok(state) => {
                exchange.status = Some(state.http_status);
                exchange.response_body = format!(
                    "status={:?} paid={} credits={:?}",
                    state.status, state.paid, state.credits
                );
                Some(state)
            }
            Err(e) => {
                exchange.error = Some(e.clone());
                case.findings.push(finding(
                    RULE_WEAK_EVIDENCE,
                    Severity::Should,
                    format!("the order state could not be read: {e}"),
                ));
                None
            }
        };
        case.exchanges.push(exchange);
        out
    }

    fn start() -> Case {
        Case {
            started: Instant::now(),
            exchanges: Vec::new(),
            findings: Vec::new(),
        }
    }

    fn finish(&mut self, case: Case, id: &str, kind: CaseKind, title: &str, rule: RuleId, outcome: Option<Outcome>) {
        self.cases.push(CaseResult {
            id: format!("client.payu.callback.{id}"),
            suite: SUITE.into(),
            kind,
            title: title.into(),
            rules: vec![rule.into()],
            outcome: outcome.unwrap_or_else(|| grade(&case.findings)),
            findings: case.findings,
            exchanges: case.exchanges,
            elapsed_ms: u64::try_from(case.started.elapsed().as_millis()).unwrap_or(u64::MAX),
        });
    }

    /// Whether `order` is still pending; a skip outcome when it is already paid.
    async fn precondition(&self, case: &mut Case, order: &Order) -> Option<Outcome> {
        match self.state(case, &order.txnid).await {
            Some(s) if s.paid => Some(Outcome::Skipped {
                reason: format!(
                    "order {} is already paid before the case: give a pending order",
                    order.txnid
                ),
            }),
            _ => None,
        }
    }

    /// A callback that must change nothing: judged from the order state, else the HTTP status.
    async fn must_not_pay(
        &self,
        case: &mut Case,
        order_txnid: &str,
        status: Option<u16>,
        rule: RuleId,
        severity: Severity,
        what: &str,
    ) {
        match self.state(case, order_txnid).await {
            Some(s) if s.paid => case.findings.push(finding(
                rule,
                severity,
                format!("order {order_txnid} is {:?} (paid) after {what}", s.status.unwrap_or_default()),
            )),
            Some(_) => {}
            None if self.config.oracle.is_none() => match status {
                Some(code) if (200..300).contains(&code) => case.findings.push(finding(
                    RULE_WEAK_EVIDENCE,
                    Severity::Should,
                    format!("answered HTTP {code} to {what}; without --order-status-url the order state is not read (weaker evidence)"),
                )),
                Some(code) => case.findings.push(finding(
                    RULE_WEAK_EVIDENCE,
                    Severity::Info,
                    format!("refused with HTTP {code} (weaker evidence: the order state is not read)"),
                )),
                None => {}
            },
            None => {}
        }
    }

    async fn valid_then_repeats(&mut self, order: &Order) -> Result<(), ClientTestError> {
        let callback = self.callback(order, &order.amount, "success")?;
        let mut case = Self::start();
        let pre = self.precondition(&mut case, order).await;
        let status = if pre.is_none() {
            self.post(&mut case, &callback).await
        } else {
            None
        };
        let mut credits = None;
        if pre.is_none() {
            match self.state(&mut case, &order.txnid).await {
                Some(s) if !s.paid => case.findings.push(finding(
                    RULE_ACCEPTS_VALID,
                    Severity::Must,
                    format!(
                        "order {} is {:?}, not paid, after a valid success callback",
                        order.txnid, s.status
                    ),
                )),
                Some(s) => credits = s.credits,
                None => {
                    let (severity, text) = match status {
                        Some(code) if (200..300).contains(&code) => (
                            Severity::Info,
                            format!("answered HTTP {code}; the order state is not read (weaker evidence)"),
                        ),
                        Some(code) => (
                            Severity::Should,
                            format!(
                                "refused a valid callback with HTTP {code} (weaker evidence: the order state is not read)"
                            ),
                        ),
                        None => (Severity::Info, "no answer".to_owned()),
                    };
                    case.findings.push(finding(RULE_WEAK_EVIDENCE, severity, text));
                }
            }
        }
        let title = "a valid success callback (correct reverse hash, the order's amount) marks the order paid (seed 004 step 4: \"Receive and process the server-to-server callback response\")";
        self.finish(case, "valid", CaseKind::Flow, title, RULE_ACCEPTS_VALID, pre.clone());
        // Duplicate: PayU repeats the same callback.
        let mut case = Self::start();
        let status = self.post(&mut case, &callback).await;
        self.repeat_judged(
            &mut case,
            order,
            status,
            credits,
            RULE_IDEMPOTENT,
            "the same callback a second time",
        )
        .await;
        let title = "the same callback twice (PayU retries) fulfils the order once";
        self.finish(
            case,
            "duplicate",
            CaseKind::Security,
            title,
            RULE_IDEMPOTENT,
            pre.clone(),
        );
        // Replay: another mihpayid; the reverse hash does not cover mihpayid, so it still verifies.
        self.mihpayid += 1;
        let replayed = callback.clone().with("mihpayid", &self.mihpayid.to_string());
        let mut case = Self::start();
        let skip = match (&pre, self.config.oracle.as_ref().and_then(|o| o.credit_field.as_ref())) {
            (Some(p), _) => Some(p.clone()),
            (None, None) => Some(Outcome::Skipped {
                reason: "a replay is only observable through a credit count: give --credit-field".into(),
            }),
            (None, Some(_)) => None,
        };
        if skip.is_none() {
            let status = self.post(&mut case, &replayed).await;
            self.repeat_judged(
                &mut case,
                order,
                status,
                credits,
                RULE_REPLAY,
                "a replayed callback with another mihpayid",
            )
            .await;
        }
        let title = "a replayed success callback (another mihpayid, the same hashed fields) credits nothing again";
        self.finish(case, "replay", CaseKind::Security, title, RULE_REPLAY, skip);
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn repeat_judged(
        &self,
        case: &mut Case,
        order: &Order,
        status: Option<u16>,
        before: Option<u64>,
        rule: RuleId,
        what: &str,
    ) {
        match self.state(case, &order.txnid).await {
            Some(s) if !s.paid => case.findings.push(finding(
                rule,
                Severity::Should,
                format!("order {} is {:?}, no longer paid, after {what}", order.txnid, s.status),
            )),
            Some(s) => {
                if let (Some(b), Some(now)) = (before, s.credits) {
                    if now > b {
                        case.findings.push(finding(
                            rule,
                            Severity::Should,
                            format!("order {} was credited {now} times after {what} (was {b})", order.txnid),
                        ));
                    }
                }
            }
            None => {
                if let Some(code) = status.filter(|c| !(200..300).contains(c)) {
                    case.findings.push(finding(
                        rule,
                        Severity::Should,
                        format!("answered HTTP {code} to {what}; PayU retries callbacks that are not acknowledged"),
                    ));
                }
            }
        }
    }

    async fn forged(&mut self, order: &Order) -> Result<(), ClientTestError> {
        let good = self.callback(order, &order.amount, "success")?;
        let forged_hash: String = good.get("hash").unwrap_or_default().chars().rev().collect();
        let forged = good.with("hash", &forged_hash);
        let mut case = Self::start();
        let pre = self.precondition(&mut case, order).await;
        if pre.is_none() {
            let status = self.post(&mut case, &forged).await;
            self.must_not_pay(
                &mut case,
                &order.txnid,
                status,
                RULE_VERIFIES_HASH,
                Severity::Must,
                "a success callback with a forged reverse hash",
            )
            .await;
        }
        let title =
            format!("a success callback whose reverse hash does not verify leaves the order unpaid ({HASH_SOURCE})");
        self.finish(case, "forged-hash", CaseKind::Security, &title, RULE_VERIFIES_HASH, pre);
        Ok(())
    }

    async fn amount_mismatch(&mut self, order: &Order) -> Result<(), ClientTestError> {
        let other = if order.amount == "1.00" { "2.00" } else { "1.00" };
        let callback = self.callback(order, other, "success")?;
        let mut case = Self::start();
        let pre = self.precondition(&mut case, order).await;
        if pre.is_none() {
            let status = self.post(&mut case, &callback).await;
            let what = format!(
                "a success callback for amount {other} (the order is {}) with a correct hash",
                order.amount
            );
            self.must_not_pay(
                &mut case,
                &order.txnid,
                status,
                RULE_CHECKS_AMOUNT,
                Severity::Should,
                &what,
            )
            .await;
        }
        let title = "a success callback with a correct hash over another amount than the order's leaves it unpaid (inferred: should)";
        self.finish(
            case,
            "amount-mismatch",
            CaseKind::Security,
            title,
            RULE_CHECKS_AMOUNT,
            pre,
        );
        Ok(())
    }

    async fn status_flipped(&mut self, order: &Order) -> Result<(), ClientTestError> {
        let failure = self.callback(order, &order.amount, "failure")?;
        let flipped = failure
            .clone()
            .with("status", "success")
            .with("unmappedstatus", "captured");
        let mut case = Self::start();
        let pre = self.precondition(&mut case, order).await;
        if pre.is_none() {
            self.post(&mut case, &failure).await;
            let status = self.post(&mut case, &flipped).await;
            self.must_not_pay(
                &mut case,
                &order.txnid,
                status,
                RULE_VERIFIES_HASH,
                Severity::Must,
                "a failure callback flipped to success, its hash kept",
            )
            .await;
        }
        let title = format!(
            "a failure callback flipped to success with the old hash leaves the order unpaid (status is hashed; {HASH_SOURCE})"
        );
        self.finish(
            case,
            "status-flipped",
            CaseKind::Security,
            &title,
            RULE_VERIFIES_HASH,
            pre,
        );
        Ok(())
    }

    async fn unknown_txnid(&mut self) -> Result<(), ClientTestError> {
        let unknown = Order {
            txnid: format!("UCT-UNKNOWN-{}", self.mihpayid),
            amount: "1.00".into(),
        };
        let callback = self.callback(&unknown, &unknown.amount, "success")?;
        let mut case = Self::start();
        let status = self.post(&mut case, &callback).await;
        self.must_not_pay(
            &mut case,
            &unknown.txnid,
            status,
            RULE_UNKNOWN_TXNID,
            Severity::Should,
            "a valid callback for a txnid the merchant never issued",
        )
        .await;
        let title = "a correctly hashed callback for an unknown txnid creates or pays nothing (inferred: should)";
        self.finish(
            case,
            "unknown-txnid",
            CaseKind::Security,
            title,
            RULE_UNKNOWN_TXNID,
            None,
        );
        Ok(())
    }
}
