//! How a case ends when it cannot be judged to the end, and the one place that turns that into
//! findings or a skip. A case returns `Err(CaseError)` for the three ways it can stop early:
//! the target cannot run it (a typed skip, never a downcast error), the state it needs could not
//! be created on the target (a precondition), or the runner could not build its request (a
//! local error). [`settle`] maps each to the case's outcome.

use super::case::Finding;

/// Why a case stopped before judging everything it set out to judge.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    /// The target cannot run this case (no sandbox control, a deadline reached, ...): reported
    /// as skipped with the reason, never as a failure.
    #[error("{0}")]
    Skip(String),
    /// The target did not create the state the case needs (an order, a payment): the case's
    /// first rule fails with what happened.
    #[error("{0}")]
    Precondition(String),
    /// Creating the state the case needs failed on the transport (a timeout, no answer, a 5xx):
    /// the case reports that cause once, on its own rule, instead of failing its first rule.
    /// Later cases needing the same state are skipped with the reason ([`CaseError::Skip`]).
    #[error("{what}: {}", cause.message)]
    Setup {
        /// What could not be created (`POST /orders did not create the order the case needs`).
        what: String,
        /// The real cause, on its own rule (`transport.timeout`).
        cause: Finding,
    },
    /// The runner could not build or sign the request (a local problem, not the target's).
    #[error(transparent)]
    Local(#[from] anyhow::Error),
}

impl CaseError {
    /// A skip with its reason.
    pub fn skip(reason: impl Into<String>) -> CaseError {
        CaseError::Skip(reason.into())
    }
}

/// The one mapping from a case's early stop to its outcome: a skip reason (the case is reported
/// as skipped), or a `must` finding on `first_rule` saying why the case could not run.
pub fn settle(result: Result<(), CaseError>, first_rule: &str, findings: &mut Vec<Finding>) -> Option<String> {
    match result {
        Ok(()) => None,
        Err(CaseError::Skip(reason)) => Some(reason),
        Err(CaseError::Setup { what, mut cause }) => {
            cause.message = format!("{what}: {}", cause.message);
            findings.push(cause);
            None
        }
        Err(e @ (CaseError::Precondition(_) | CaseError::Local(_))) => {
            findings.push(Finding::must(first_rule, format!("could not run the case: {e:#}")));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skip_is_a_reason_and_adds_no_finding() {
        let mut findings = Vec::new();
        let reason = settle(Err(CaseError::skip("no sandbox")), "r", &mut findings);
        assert_eq!(reason.as_deref(), Some("no sandbox"));
        assert!(findings.is_empty());
    }

    #[test]
    fn a_failed_precondition_fails_the_first_rule() {
        let mut findings = Vec::new();
        let reason = settle(
            Err(CaseError::Precondition("POST /orders did not create the order".into())),
            "first.rule",
            &mut findings,
        );
        assert_eq!(reason, None);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].rule, "first.rule");
        assert!(findings[0].message.contains("POST /orders"), "{}", findings[0].message);
    }

    #[test]
    fn a_setup_failure_reports_its_cause_not_the_first_rule() {
        let mut findings = Vec::new();
        let reason = settle(
            Err(CaseError::Setup {
                what: "POST /orders did not create the order".into(),
                cause: Finding::must("transport.timeout", "no complete answer within 2000 ms"),
            }),
            "first.rule",
            &mut findings,
        );
        assert_eq!(reason, None);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].rule, "transport.timeout");
        assert!(
            findings[0].message.starts_with("POST /orders"),
            "{}",
            findings[0].message
        );
    }

    #[test]
    fn success_settles_to_nothing() {
        let mut findings = Vec::new();
        assert_eq!(settle(Ok(()), "r", &mut findings), None);
        assert!(findings.is_empty());
    }
}
