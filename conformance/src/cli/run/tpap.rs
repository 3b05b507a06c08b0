//! `run --suite tpap --shim CMD` (or `--shim-url URL`): the TPAP SDK suite through a shim, with
//! the run's seed, selection, configuration limits and reports. The HTTP suites do not mix with
//! it in one run.

use std::process::ExitCode;

use anyhow::Result;
use upi_conformance::report;
use upi_conformance::runner::config::RunConfig;
use upi_conformance::runner::plan;

use super::super::tpap::{DEFAULT_MAX_LINE_BYTES, DEFAULT_TIMEOUT_MS, FromRun, report_through_shim};
use super::{RunArgs, SeedArg, write_reports};

/// The suite name that runs the TPAP SDK suite through a shim.
const TPAP_SUITE: &str = "tpap";

/// Runs the TPAP suite when `args` select it (`None`: they select the HTTP suites). With
/// `--config`, the configuration's `[limits]` apply: `request_timeout_ms` per shim call and
/// `max_response_bytes` per reply (its targets and credentials name HTTP APIs the suite does
/// not call). `--report`, `--output` and `--format` (html included) write the reports as for
/// the HTTP suites.
pub(super) fn run(args: &RunArgs) -> Result<Option<ExitCode>> {
    let tpap = args.suites.iter().any(|s| s == TPAP_SUITE);
    let shim = args.shim.is_some() || args.shim_url.is_some();
    match (tpap, shim) {
        (false, false) => return Ok(None),
        (true, false) => {
            anyhow::bail!("--suite tpap runs through a shim: add --shim CMD or --shim-url URL (docs/SHIM.md)")
        }
        (false, true) => anyhow::bail!("--shim and --shim-url drive the TPAP suite: add --suite tpap"),
        (true, true) if args.suites.len() > 1 => {
            anyhow::bail!("--suite tpap runs alone (through its shim); run the HTTP suites separately")
        }
        (true, true) => {}
    }
    let (timeout_ms, max_line_bytes) = match &args.config {
        Some(path) => {
            let limits = RunConfig::from_file(path)?.limits;
            (limits.request_timeout_ms, limits.max_response_bytes)
        }
        None => (DEFAULT_TIMEOUT_MS, DEFAULT_MAX_LINE_BYTES),
    };
    let seed = match args.seed {
        Some(SeedArg::Fixed(seed)) => seed,
        Some(SeedArg::Random) => rand::random(),
        None => plan::DEFAULT_SEED,
    };
    let Some(mut report) = report_through_shim(FromRun {
        shim: args.shim.clone(),
        shim_url: args.shim_url.clone(),
        seed,
        only: args.only.clone(),
        timeout_ms,
        max_line_bytes,
        quiet: args.quiet,
    })?
    else {
        return Ok(Some(ExitCode::from(3)));
    };
    // `--strict`: warnings fail the TPAP run too, as in the HTTP suites.
    report.strict = args.strict;
    let ctx = report::Context {
        config: args.config.clone(),
        ..report::Context::default()
    };
    write_reports(args, &report, &ctx)?;
    Ok(Some(if report.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }))
}
