//! The conformance runner: plans cases from the models ([`plan`]) as values ([`cases`]), runs
//! them concurrently against a target through a shared [`session`] ([`http`], [`api`]), judges
//! every response from the models ([`judge`]), settles early stops ([`outcome`]), grades the
//! results ([`case`]) and applies selection and expectations ([`expect`]). Reports are written
//! by [`crate::report`].

pub mod api;
pub mod breaker;
pub mod case;
pub mod cases;
pub mod config;
pub mod expect;
pub mod fuzz;
pub mod http;
pub mod judge;
pub mod outcome;
pub mod plan;
pub mod progress;
pub mod readings;
pub mod reason;
pub mod receiver;
pub mod refusal;
pub mod sandbox;
pub mod session;
pub mod shard;
pub mod stop;

use std::time::{Duration, Instant};

use futures_util::StreamExt as _;

use serde::Serialize;

use case::{CaseResult, Outcome};
use config::RunConfig;
use expect::{Expectations, Selection};

/// What to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The APIs under test, as their facts declare them (default: the seed APIs,
    /// [`upi_spec::messages::apis`]; a test may declare its own).
    pub apis: &'static [upi_spec::model::api::Api],
    /// Suites (empty: all).
    pub suites: Vec<String>,
    /// Merchant Stack versions (empty: all).
    pub versions: Vec<String>,
    /// `--only` globs.
    pub only: Vec<String>,
    /// `--skip` globs.
    pub skip: Vec<String>,
    /// Seed of generated cases.
    pub seed: u64,
    /// Show progress on stderr: a bar with pass/fail counts on a TTY, a line per suite otherwise.
    pub progress: bool,
    /// Cases run at once (at least 1). Each case's own steps stay in order.
    pub jobs: usize,
    /// The whole run's deadline: cases not started by then are skipped.
    pub deadline: Option<Duration>,
    /// Stop starting cases after this many failures (`--fail-fast`, `--max-failures`).
    pub failures: stop::FailureLimit,
    /// Consecutive timeouts on one base before its remaining cases are not sent (0: never).
    pub max_timeouts: usize,
    /// Stops the run where it is (Ctrl-C): the report holds the cases finished so far.
    pub interrupt: Option<stop::Interrupt>,
    /// Warnings (broken `should` rules: our reading where no seed sentence states the rule)
    /// fail the run too. Acceptable outcomes never do.
    pub strict: bool,
}

/// The default of `--jobs`.
pub const DEFAULT_JOBS: usize = 8;

impl Default for RunOptions {
    /// The seed APIs, every suite and version, no selection, the fixed default seed, no progress, `DEFAULT_JOBS` at once, no
    /// deadline or failure limit, the default timeout breaker, no interrupt, not strict.
    fn default() -> RunOptions {
        RunOptions {
            apis: upi_spec::messages::apis(),
            suites: Vec::new(),
            versions: Vec::new(),
            only: Vec::new(),
            skip: Vec::new(),
            seed: plan::DEFAULT_SEED,
            progress: false,
            jobs: DEFAULT_JOBS,
            deadline: None,
            failures: stop::FailureLimit::default(),
            max_timeouts: breaker::DEFAULT_MAX_TIMEOUTS,
            interrupt: None,
            strict: false,
        }
    }
}

/// The skip reason of a case not started before the run's deadline.
pub const DEADLINE_REACHED: &str = "run deadline reached";

/// The result of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Report format version.
    pub format_version: u32,
    /// The target description.
    pub target: String,
    /// The seed of generated cases.
    pub seed: u64,
    /// Wall time in milliseconds.
    pub elapsed_ms: u64,
    /// Whether the target has sandbox control.
    pub sandbox: bool,
    /// Whether warnings fail the run (`--strict`).
    pub strict: bool,
    /// Counts per outcome.
    pub totals: Totals,
    /// Whether the run was interrupted (Ctrl-C): `cases` holds only the cases finished before.
    pub interrupted: bool,
    /// Planned cases neither finished nor skipped (not zero only when interrupted).
    pub not_run: usize,
    /// Expectation patterns that matched no case.
    pub unused_expectations: Vec<String>,
    /// Every case.
    pub cases: Vec<CaseResult>,
}

/// Counts per outcome.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// All cases.
    pub cases: usize,
    /// Passed.
    pub pass: usize,
    /// Failed.
    pub fail: usize,
    /// Warnings.
    pub warning: usize,
    /// Informational.
    pub info: usize,
    /// Skipped.
    pub skipped: usize,
    /// Acceptable under one of the readings the seeds allow.
    pub acceptable: usize,
    /// Expected failures.
    pub expected_failure: usize,
    /// Unexpected passes.
    pub unexpected_pass: usize,
}

impl Report {
    /// Whether the run failed (a failure or an unexpected pass; with `strict`, a warning too).
    pub fn failed(&self) -> bool {
        self.cases.iter().any(|c| self.fails_run(&c.outcome))
    }

    /// Whether `outcome` fails this run (a warning does when the run is strict).
    pub fn fails_run(&self, outcome: &Outcome) -> bool {
        outcome.fails_run() || (self.strict && matches!(outcome, Outcome::Warning))
    }
}

/// Counts per outcome of some results.
pub fn totals_of(cases: &[CaseResult]) -> Totals {
    let mut t = Totals {
        cases: cases.len(),
        ..Totals::default()
    };
    for c in cases {
        match c.outcome {
            Outcome::Pass => t.pass += 1,
            Outcome::Fail => t.fail += 1,
            Outcome::Warning => t.warning += 1,
            Outcome::Info => t.info += 1,
            Outcome::Skipped { .. } => t.skipped += 1,
            Outcome::Acceptable { .. } => t.acceptable += 1,
            Outcome::ExpectedFailure { .. } => t.expected_failure += 1,
            Outcome::UnexpectedPass { .. } => t.unexpected_pass += 1,
        }
    }
    t
}

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The target did not answer at all.
    #[error("target unreachable: {0}")]
    Unreachable(String),
    /// Configuration or key problem.
    #[error(transparent)]
    Setup(#[from] anyhow::Error),
}

/// Plans, filters, runs and grades every case.
pub async fn run(
    config: RunConfig,
    target: String,
    options: &RunOptions,
    expectations: &Expectations,
) -> Result<Report, RunError> {
    let started = Instant::now();
    let selection = Selection::new(&options.only, &options.skip)?;
    let planned: Vec<_> = plan::plan(
        options.apis,
        &options.suites,
        &options.versions,
        config.limits.generated_per_message,
    )
    .into_iter()
    .filter(|c| selection.selects(c))
    .collect();
    let mut session = session::Session::new(config, options.seed).await?;
    session.set_apis(options.apis);
    let unreachable = session.reachable().await;
    if !unreachable.is_empty() {
        let list: Vec<String> = unreachable.iter().map(|(u, e)| format!("{u} ({e})")).collect();
        return Err(RunError::Unreachable(list.join(", ")));
    }
    let breaker = std::sync::Arc::new(breaker::Breaker::new(options.max_timeouts));
    session.set_breaker(breaker.clone());
    let progress = std::sync::Mutex::new(progress::RunProgress::new(&planned, options.progress));
    let deadline = options.deadline.map(|d| started + d);
    let gate = stop::Gate::new(options.failures, expectations);
    let finished: std::sync::Mutex<Vec<(usize, CaseResult)>> = std::sync::Mutex::new(Vec::new());
    let (session, progress_ref, gate_ref, finished_ref) = (&session, &progress, &gate, &finished);
    // Independent cases run concurrently, at most `jobs` at once; each case (a flow's steps
    // included) runs in order inside its own future. Results come back in any order and are
    // put back in plan order, so reports do not depend on timing. Each result is kept as soon
    // as it is in, so an interrupt loses only the cases still running.
    let work = futures_util::stream::iter(planned.iter().enumerate())
        .map(|(i, p)| async move {
            let held_back = if deadline.is_some_and(|d| Instant::now() >= d) {
                Some(DEADLINE_REACHED.to_string())
            } else {
                gate_ref.closed()
            };
            let result = match held_back {
                Some(reason) => cases::not_started(p, &reason),
                None => session.run(p).await,
            };
            gate_ref.count(&result);
            if let Ok(mut shown) = progress_ref.lock() {
                shown.case_done(&result);
            }
            (i, result)
        })
        .buffer_unordered(options.jobs.max(1))
        .for_each(|done| {
            if let Ok(mut f) = finished_ref.lock() {
                f.push(done);
            }
            std::future::ready(())
        });
    let interrupted = match &options.interrupt {
        Some(interrupt) => tokio::select! {
            () = work => false,
            () = interrupt.wait() => true,
        },
        None => {
            work.await;
            false
        }
    };
    let mut cases = finished.into_inner().unwrap_or_default();
    cases.sort_by_key(|(i, _)| *i);
    let mut cases: Vec<CaseResult> = cases.into_iter().map(|(_, c)| c).collect();
    let not_run = planned.len() - cases.len();
    if let Ok(shown) = progress.into_inner() {
        shown.finish();
    }
    breaker::fold(&breaker, &mut cases);
    cases.retain(|c| selection.keeps(c));
    let unused_expectations = expectations.apply(&mut cases);
    Ok(Report {
        format_version: 1,
        target,
        seed: options.seed,
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        sandbox: session.sandbox,
        strict: options.strict,
        totals: totals_of(&cases),
        interrupted,
        not_run,
        unused_expectations,
        cases,
    })
}
