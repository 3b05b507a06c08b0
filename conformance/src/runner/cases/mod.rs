//! Cases as values: a [`Planned`] case is its ID, suite, kind, rules and a typed [`Step`]
//! (accept, reject, a [`Security`] check or a [`Flow`]), run against a shared
//! [`Session`] by enum dispatch. Every case collects its findings and exchanges in its own
//! [`Trace`]; an early stop is a typed [`CaseError`] that [`settle`] maps to the outcome, and
//! the findings are graded by [`grade`].

pub mod accept;
pub mod flow_checks;
pub mod flows;
pub mod large_body;
pub mod reject;
pub mod relations;
pub mod security;

use std::time::Instant;
use upi_spec::rule_ids as rules;

pub use flows::Flow;
pub use security::{JwsAttack, Security};

use super::case::{CaseKind, CaseResult, Finding, Outcome, grade};
use super::http::Exchange;
use super::outcome::{CaseError, settle};
use super::plan::{Planned, Step};
use super::session::{Session, Trace};

/// What every case is, whatever it does.
pub trait Case {
    /// Stable ID.
    fn id(&self) -> &str;
    /// Suite (with the variant, e.g. `merchant-register-intent.v3`).
    fn suite(&self) -> &str;
    /// Kind.
    fn kind(&self) -> CaseKind;
    /// The rule IDs it checks.
    fn rules(&self) -> &[String];
}

impl Case for Planned {
    fn id(&self) -> &str {
        &self.id
    }
    fn suite(&self) -> &str {
        &self.suite
    }
    fn kind(&self) -> CaseKind {
        self.kind
    }
    fn rules(&self) -> &[String] {
        &self.rules
    }
}

/// Runs a case's step against the session, collecting into `trace`.
async fn step(session: &Session, planned: &Planned, trace: &mut Trace) -> Result<(), CaseError> {
    match &planned.step {
        Step::Accept {
            api,
            sample,
            n,
            unicode,
        } => accept::run(session, api, sample.as_deref(), *n, *unicode, trace).await,
        Step::Reject {
            api,
            rule,
            severity,
            grounding,
            breach,
            pinned,
            other_side,
        } => {
            let broken = super::judge::Broken {
                rule,
                severity: *severity,
                grounding,
                pinned: *pinned,
            };
            reject::run(session, api, broken, *breach, *other_side, trace).await
        }
        Step::Security { api, check } => check.run(session, api, trace).await,
        Step::Flow { api, flow } => flows::run(*flow, session, api, trace).await,
        Step::Skip { reason } => Err(CaseError::skip(*reason)),
    }
}

/// Runs one case and grades it.
pub async fn run(session: &Session, planned: &Planned) -> CaseResult {
    let started = Instant::now();
    let mut trace = Trace::new(session.seed(), &planned.id);
    let result = step(session, planned, &mut trace).await;
    let Trace {
        mut findings,
        mut exchanges,
        ..
    } = trace;
    let first_rule = planned.rules.first().map(String::as_str).unwrap_or_default();
    let skipped = settle(result, first_rule, &mut findings);
    for x in &exchanges {
        // The client records where a configured secret came back (headers or body).
        if x.reflects_secret() {
            findings.push(Finding::must(
                rules::behaviour::TRANSPORT_NO_SECRET_REFLECTED,
                format!(
                    "the response to {} reflects a secret ({})",
                    x.request_line,
                    x.secret_reflected.join(", ")
                ),
            ));
        }
    }
    let reading = super::readings::apply(planned, &mut findings, &exchanges);
    exchanges.iter_mut().for_each(Exchange::compact);
    let outcome = match (skipped, grade(&findings)) {
        (Some(reason), _) => Outcome::Skipped { reason },
        // A listed reading the target follows: acceptable, unless something else failed.
        (None, Outcome::Pass | Outcome::Info) if reading.is_some() => Outcome::Acceptable {
            reading: reading.unwrap_or_default().to_string(),
        },
        (None, graded) => graded,
    };
    result_of(planned, outcome, findings, exchanges, started)
}

/// A case that was never started, reported as skipped with `reason`.
pub fn not_started(planned: &Planned, reason: &str) -> CaseResult {
    result_of(
        planned,
        Outcome::Skipped {
            reason: reason.to_string(),
        },
        Vec::new(),
        Vec::new(),
        Instant::now(),
    )
}

fn result_of(
    planned: &Planned,
    outcome: Outcome,
    findings: Vec<Finding>,
    exchanges: Vec<Exchange>,
    started: Instant,
) -> CaseResult {
    CaseResult {
        id: planned.id.clone(),
        suite: planned.suite.clone(),
        kind: planned.kind,
        title: planned.title.clone(),
        rules: planned.rules.clone(),
        outcome,
        findings,
        exchanges,
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    }
}
