//! The conformance runner: plans cases from the models ([`plan`]), sends them to a target
//! ([`exec`], [`http`], [`api`]), judges every response from the models ([`judge`]), grades the
//! outcomes ([`case`]) and applies selection and expectations ([`expect`]). Reports are written
//! by [`crate::report`].

pub mod api;
pub mod case;
pub mod config;
pub mod exec;
pub mod expect;
pub mod fuzz;
pub mod http;
pub mod judge;
mod large_body;
pub mod plan;
pub mod receiver;
pub mod shard;

use std::time::Instant;

use serde::Serialize;

use case::{CaseResult, Outcome};
use config::RunConfig;
use expect::{Expectations, Selection};

/// What to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
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
    /// Show a progress bar (on a TTY).
    pub progress: bool,
}

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
    /// Counts per outcome.
    pub totals: Totals,
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
    /// Expected failures.
    pub expected_failure: usize,
    /// Unexpected passes.
    pub unexpected_pass: usize,
}

impl Report {
    /// Whether the run failed (a failure or an unexpected pass).
    pub fn failed(&self) -> bool {
        self.cases.iter().any(|c| c.outcome.fails_run())
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
    let planned: Vec<_> = plan::plan(&options.suites, &options.versions, config.limits.generated_per_message)
        .into_iter()
        .filter(|c| selection.selects(c))
        .collect();
    let mut executor = exec::Executor::new(config, options.seed).await?;
    let unreachable = executor.reachable().await;
    if !unreachable.is_empty() {
        let list: Vec<String> = unreachable.iter().map(|(u, e)| format!("{u} ({e})")).collect();
        return Err(RunError::Unreachable(list.join(", ")));
    }
    let bar = options.progress.then(|| {
        let bar = indicatif::ProgressBar::new(planned.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let mut cases = Vec::with_capacity(planned.len());
    for p in &planned {
        if let Some(b) = &bar {
            b.set_message(p.id.clone());
        }
        cases.push(executor.run(p).await);
        if let Some(b) = &bar {
            b.inc(1);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let unused_expectations = expectations.apply(&mut cases);
    Ok(Report {
        format_version: 1,
        target,
        seed: options.seed,
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        sandbox: executor.sandbox,
        totals: totals_of(&cases),
        unused_expectations,
        cases,
    })
}
