//! `tpap run`: the TPAP SDK suite through a shim (`--shim 'CMD ARGS'` or `--shim-url URL`);
//! `tpap faults`: the reference shim's faults; `tpap-shim`: the reference shim itself, on
//! stdin/stdout or (`--listen`) over HTTP. Exit codes: 0 no failures, 1 failures, 2 usage,
//! 3 the shim could not be started or died.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use upi_conformance::report;
use upi_conformance::runner::Report;
use upi_conformance::tpap::reference::{Fault, ReferenceShim};
use upi_conformance::tpap::shim::{HttpShim, Limits, ProcessShim, Shim};
use upi_conformance::tpap::suite::{self, Options, Signer, SuiteError};
use upi_conformance::tpap::{TEST_KEY_ID, TEST_PRIVATE_PEM};
use upi_spec::crypto::keys::private_key_from_pem;

/// Arguments of `tpap`.
#[derive(Debug, Args)]
pub struct TpapArgs {
    #[command(subcommand)]
    command: TpapCommand,
}

#[derive(Debug, Subcommand)]
enum TpapCommand {
    /// Run the TPAP suite through a shim.
    Run(TpapRunArgs),
    /// List the reference shim's faults.
    Faults,
}

/// Arguments of `tpap run`.
#[derive(Debug, Args)]
pub(crate) struct TpapRunArgs {
    /// The shim command, split like a shell would (no shell runs): JSON lines on its stdin/stdout.
    #[arg(long, conflicts_with = "shim_url", required_unless_present = "shim_url")]
    shim: Option<String>,
    /// The shim's HTTP endpoint: one POST per call.
    #[arg(long)]
    shim_url: Option<String>,
    /// Seed of generated payloads (printed; the same seed repeats the same cases).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Run only cases whose ID matches one of these globs.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Per-call timeout in milliseconds.
    #[arg(long, default_value_t = DEFAULT_TIMEOUT_MS)]
    timeout_ms: u64,
    /// Longest reply line (or HTTP body) accepted, in bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_LINE_BYTES)]
    max_line_bytes: usize,
    /// PEM private key that signs signaturePayload (default: the compiled-in test key).
    #[arg(long, requires = "key_id")]
    key: Option<PathBuf>,
    /// The merchantKeyId of `--key`.
    #[arg(long)]
    key_id: Option<String>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
    /// Write the report here instead of standard output.
    #[arg(long)]
    output: Option<PathBuf>,
    /// List every non-passing case in the text report, not only failures.
    #[arg(long)]
    verbose: bool,
}

/// `tpap run --timeout-ms`'s default.
pub(crate) const DEFAULT_TIMEOUT_MS: u64 = 10_000;

/// `tpap run --max-line-bytes`'s default.
pub(crate) const DEFAULT_MAX_LINE_BYTES: usize = 1 << 20;

/// Report formats of `tpap run` and `client-test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Text.
    Text,
    /// JSON.
    Json,
    /// JUnit XML.
    Junit,
}

/// Arguments of `tpap-shim`.
#[derive(Debug, Args)]
pub struct TpapShimArgs {
    /// A deliberate fault (see `tpap faults`).
    #[arg(long)]
    fault: Option<String>,
    /// Serve the protocol over HTTP on this address (e.g. 127.0.0.1:8099) instead of stdin/stdout.
    #[arg(long)]
    listen: Option<String>,
}

/// Runs `tpap`.
pub fn run(args: TpapArgs) -> Result<ExitCode> {
    match args.command {
        TpapCommand::Faults => {
            outln!(
                "{}",
                super::style::two_columns(Fault::ALL.iter().map(|f| (f.name(), f.description())))
            );
            Ok(ExitCode::SUCCESS)
        }
        TpapCommand::Run(args) => run_suite(&args),
    }
}

/// What `run --suite tpap --shim CMD` (or `--shim-url URL`) hands the TPAP suite: the run's
/// shim, seed and selection, and the limits of its configuration (the other `tpap run`
/// options at their defaults).
pub(crate) struct FromRun {
    /// The shim command.
    pub shim: Option<String>,
    /// The shim's HTTP endpoint.
    pub shim_url: Option<String>,
    /// Seed of generated payloads.
    pub seed: u64,
    /// Case ID globs.
    pub only: Vec<String>,
    /// Per-call timeout in milliseconds.
    pub timeout_ms: u64,
    /// Longest reply line (or HTTP body) accepted, in bytes.
    pub max_line_bytes: usize,
    /// No seed line on stderr (`run --quiet`).
    pub quiet: bool,
}

/// Runs the TPAP suite for `run --suite tpap`; `None` when the shim could not be started or
/// died (said on stderr; exit 3). The caller writes the reports.
pub(crate) fn report_through_shim(from: FromRun) -> Result<Option<Report>> {
    let quiet = from.quiet;
    let args = TpapRunArgs {
        shim: from.shim,
        shim_url: from.shim_url,
        seed: from.seed,
        only: from.only,
        timeout_ms: from.timeout_ms,
        max_line_bytes: from.max_line_bytes,
        key: None,
        key_id: None,
        format: ReportFormat::Text,
        output: None,
        verbose: false,
    };
    suite_report(&args, quiet)
}

fn run_suite(args: &TpapRunArgs) -> Result<ExitCode> {
    match suite_report(args, false)? {
        Some(report) => emit(&report, args.format, args.output.as_ref(), args.verbose),
        None => Ok(ExitCode::from(3)),
    }
}

/// The TPAP suite's report; `None` when the shim could not be started or died. `quiet`: no
/// seed line on stderr.
fn suite_report(args: &TpapRunArgs, quiet: bool) -> Result<Option<Report>> {
    let (key_id, pem) = match (&args.key, &args.key_id) {
        (Some(path), Some(id)) => (
            id.clone(),
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?,
        ),
        _ => (TEST_KEY_ID.to_owned(), TEST_PRIVATE_PEM.to_owned()),
    };
    let key = private_key_from_pem(&pem).context("reading the signing key")?;
    let public_pem = key.public_key().to_pem();
    let options = Options {
        seed: args.seed,
        only: args.only.clone(),
        signer: Signer {
            key_id,
            key,
            public_pem,
        },
    };
    let limits = Limits {
        timeout: Duration::from_millis(args.timeout_ms),
        max_line_bytes: args.max_line_bytes,
    };
    let mut shim: Box<dyn Shim> = match (&args.shim, &args.shim_url) {
        (Some(cmd), _) => match ProcessShim::spawn(cmd, limits) {
            Ok(s) => Box::new(s),
            Err(e) => {
                eprintln!("error: {e}");
                return Ok(None);
            }
        },
        (None, Some(url)) => Box::new(HttpShim::new(url, limits)?),
        (None, None) => anyhow::bail!("give --shim 'CMD' or --shim-url URL"),
    };
    if !quiet {
        eprintln!("upi-conformance: TPAP suite, seed {}, {}", args.seed, shim.describe());
    }
    match suite::run(shim.as_mut(), &options) {
        Ok(r) => Ok(Some(r)),
        Err(SuiteError::Shim(e)) => {
            eprintln!("error: {e}");
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// Writes a report in `format` to `output` or stdout; exit 1 when it failed.
pub fn emit(report: &Report, format: ReportFormat, output: Option<&PathBuf>, verbose: bool) -> Result<ExitCode> {
    let rendered = match format {
        ReportFormat::Text => report::text::render(report, verbose),
        ReportFormat::Json => report::json::render(report),
        ReportFormat::Junit => report::junit::render(report),
    };
    match output {
        Some(path) => std::fs::write(path, &rendered).with_context(|| format!("writing {}", path.display()))?,
        None => out!("{rendered}"),
    }
    Ok(if report.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Runs `tpap-shim`.
pub fn shim(args: &TpapShimArgs) -> Result<ExitCode> {
    let fault = args.fault.as_deref().map(str::parse::<Fault>).transpose()?;
    let mut reference = ReferenceShim::new(fault);
    match &args.listen {
        None => {
            let stdin = std::io::stdin();
            reference
                .serve_lines(stdin.lock(), std::io::stdout().lock())
                .context("serving the shim protocol on stdin/stdout")?;
            Ok(ExitCode::SUCCESS)
        }
        Some(addr) => {
            let runtime = super::async_runtime()?;
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("binding {addr}"))?;
                eprintln!("tpap-shim: listening on http://{}", listener.local_addr()?);
                axum::serve(listener, http_app(reference)).await.context("serving")?;
                Ok(ExitCode::SUCCESS)
            })
        }
    }
}

/// The reference shim as an HTTP app: POST / with a protocol object, answered with its reply.
fn http_app(reference: ReferenceShim) -> axum::Router {
    let state = Arc::new(Mutex::new(reference));
    axum::Router::new().route(
        "/",
        axum::routing::post(move |body: String| {
            let state = Arc::clone(&state);
            async move {
                let reply = match state.lock() {
                    Ok(mut shim) => shim.answer_line(&body),
                    Err(_) => serde_json::json!({"id": null, "error": "shim state poisoned"}),
                };
                axum::Json(reply)
            }
        }),
    )
}
