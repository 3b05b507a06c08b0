//! Stopping a run early: an [`Interrupt`] (Ctrl-C: the run stops where it is and reports what
//! finished) and a [`Gate`] that stops starting cases after the first failure (`--fail-fast`)
//! or after N failures (`--max-failures N`); the cases it holds back are skipped with the
//! reason.

use std::sync::Mutex;

use tokio::sync::watch;

use super::case::CaseResult;
use super::expect::Expectations;

/// The skip reason of the cases held back by `--fail-fast`.
pub const FAIL_FAST: &str = "fail-fast";

/// A request to stop, shared by everything that must notice it (clone freely).
#[derive(Debug, Clone)]
pub struct Interrupt {
    rx: watch::Receiver<bool>,
}

/// The sending side of an [`Interrupt`].
#[derive(Debug)]
pub struct Trigger {
    tx: watch::Sender<bool>,
}

impl Trigger {
    /// Asks everything holding the interrupt to stop.
    pub fn fire(&self) {
        self.tx.send_replace(true);
    }
}

impl Interrupt {
    /// A trigger and the interrupt it fires.
    pub fn new() -> (Trigger, Interrupt) {
        let (tx, rx) = watch::channel(false);
        (Trigger { tx }, Interrupt { rx })
    }

    /// An interrupt fired by the first Ctrl-C (SIGINT) the process receives; must be called
    /// inside a tokio runtime.
    pub fn on_ctrl_c() -> Interrupt {
        let (trigger, interrupt) = Interrupt::new();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                trigger.fire();
            }
        });
        interrupt
    }

    /// Whether it has fired.
    pub fn fired(&self) -> bool {
        *self.rx.borrow()
    }

    /// Resolves once it has fired (never, if its trigger is dropped unfired).
    pub async fn wait(&self) {
        let mut rx = self.rx.clone();
        if rx.wait_for(|fired| *fired).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// When to stop starting cases because of failures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FailureLimit {
    /// Stop after this many failing cases (none: never); `--fail-fast` is 1.
    pub max: Option<usize>,
    /// Whether the limit came from `--fail-fast` (it names the skip reason).
    pub fail_fast: bool,
}

impl FailureLimit {
    /// The skip reason of the cases held back.
    pub fn reason(&self) -> String {
        match self.max {
            Some(_) if self.fail_fast => FAIL_FAST.to_string(),
            Some(n) => format!("max-failures {n} reached"),
            None => String::new(),
        }
    }
}

/// Counts failing cases as they finish and says when to stop starting new ones. A case counts
/// when it fails the run after expectations (a known failure listed in the expectations file
/// does not count).
#[derive(Debug)]
pub struct Gate<'a> {
    limit: FailureLimit,
    expectations: &'a Expectations,
    failures: Mutex<usize>,
}

impl<'a> Gate<'a> {
    /// A gate with `limit`, counting against `expectations`.
    pub fn new(limit: FailureLimit, expectations: &'a Expectations) -> Gate<'a> {
        Gate {
            limit,
            expectations,
            failures: Mutex::new(0),
        }
    }

    /// Why a case must not start, if the limit was reached.
    pub fn closed(&self) -> Option<String> {
        let max = self.limit.max?;
        let failures = self.failures.lock().map(|f| *f).unwrap_or(0);
        (failures >= max).then(|| self.limit.reason())
    }

    /// Counts a finished case.
    pub fn count(&self, result: &CaseResult) {
        if self.limit.max.is_none() {
            return;
        }
        let mut graded = [result.clone()];
        self.expectations.apply(&mut graded);
        if graded[0].outcome.fails_run()
            && let Ok(mut f) = self.failures.lock()
        {
            *f += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_interrupt_is_seen_by_every_clone() {
        let (trigger, interrupt) = Interrupt::new();
        let other = interrupt.clone();
        assert!(!interrupt.fired());
        trigger.fire();
        other.wait().await;
        assert!(interrupt.fired());
    }

    #[test]
    fn reasons_name_the_flag() {
        let ff = FailureLimit {
            max: Some(1),
            fail_fast: true,
        };
        assert_eq!(ff.reason(), FAIL_FAST);
        let mf = FailureLimit {
            max: Some(3),
            fail_fast: false,
        };
        assert_eq!(mf.reason(), "max-failures 3 reached");
    }
}
