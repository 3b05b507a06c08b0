//! Cases, findings and graded outcomes. Every case has a stable ID and the rule IDs it checks;
//! its outcome is derived from its findings: a broken `must` rule fails it, a broken `should`
//! rule makes it a warning, and the expectations file can mark known failures.

use serde::{Deserialize, Serialize};
use upi_spec::Severity;

use super::http::Exchange;

/// What a case is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// A valid request that must be accepted.
    Accept,
    /// A request that breaks exactly one rule and must be rejected.
    Reject,
    /// A multi-step flow.
    Flow,
    /// A security property (signatures, hashes).
    Security,
}

/// A broken rule observed while running a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule ID.
    pub rule: String,
    /// Its severity.
    pub severity: Severity,
    /// What was observed.
    pub message: String,
}

impl Finding {
    /// A finding on a rule the checking code treats as binding: `must`, unless the catalogue
    /// declares the rule `should` or `info` (no seed sentence states it), which then decides.
    pub fn must(rule: impl Into<String>, message: impl Into<String>) -> Finding {
        let rule = rule.into();
        Finding {
            severity: upi_spec::catalogue::severity(&rule).unwrap_or(Severity::Must),
            rule,
            message: message.into(),
        }
    }
}

/// The graded result of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Outcome {
    /// Every rule held.
    Pass,
    /// A `must` rule was broken.
    Fail,
    /// Only `should` rules were broken.
    Warning,
    /// Only informational findings.
    Info,
    /// Where the seeds allow two readings: the target follows one the suite accepts (reported,
    /// never failing).
    Acceptable {
        /// The reading the target follows.
        reading: String,
    },
    /// Not run, and why.
    Skipped {
        /// The reason.
        reason: String,
    },
    /// Failed as the expectations file says it would.
    ExpectedFailure {
        /// The reason recorded in the expectations file.
        reason: String,
    },
    /// Listed as expected to fail, but passed: the list is stale, and that fails the run.
    UnexpectedPass {
        /// The reason recorded in the expectations file.
        reason: String,
    },
}

impl Outcome {
    /// Short label.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Warning => "warning",
            Outcome::Info => "info",
            Outcome::Acceptable { .. } => "acceptable",
            Outcome::Skipped { .. } => "skipped",
            Outcome::ExpectedFailure { .. } => "expected-failure",
            Outcome::UnexpectedPass { .. } => "unexpected-pass",
        }
    }

    /// Whether this outcome fails the run.
    pub fn fails_run(&self) -> bool {
        matches!(self, Outcome::Fail | Outcome::UnexpectedPass { .. })
    }
}

/// A case as run.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    /// Stable ID, e.g. `reject.merchant.register-intent.v3.request.merchantRequestId.max-length`.
    pub id: String,
    /// Suite, e.g. `merchant-register-intent`.
    pub suite: String,
    /// What kind of case.
    pub kind: CaseKind,
    /// One line saying what is checked.
    pub title: String,
    /// The rule IDs the case checks.
    pub rules: Vec<String>,
    /// The graded outcome.
    pub outcome: Outcome,
    /// What was observed.
    pub findings: Vec<Finding>,
    /// Requests sent and responses received.
    pub exchanges: Vec<Exchange>,
    /// Wall time in milliseconds.
    pub elapsed_ms: u64,
}

/// Grades findings into an outcome (before expectations are applied).
pub fn grade(findings: &[Finding]) -> Outcome {
    match findings.iter().map(|f| f.severity).max() {
        None => Outcome::Pass,
        Some(Severity::Must) => Outcome::Fail,
        Some(Severity::Should) => Outcome::Warning,
        Some(Severity::Info) => Outcome::Info,
    }
}
