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
    #[arg(long, default_value_t = 10_000)]
    timeout_ms: u64,
    /// Longest reply line (or HTTP body) accepted, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
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
        TpapCommand::Run(args) => run_suite(&args, false),
    }
}

/// `run --suite tpap --shim CMD` (or `--shim-url URL`): the TPAP suite through a shim, with the
/// run's seed, selection, format, output and `--strict` (warnings fail the run, as in the HTTP
/// suites; the other `tpap run` options at their defaults).
pub(crate) fn run_through_shim(
    shim: Option<String>,
    shim_url: Option<String>,
    seed: u64,
    only: Vec<String>,
    format: ReportFormat,
    output: Option<PathBuf>,
    strict: bool,
) -> Result<ExitCode> {
    let args = TpapRunArgs {
        shim,
        shim_url,
        seed,
        only,
        timeout_ms: 10_000,
        max_line_bytes: 1 << 20,
        key: None,
        key_id: None,
        format,
        output,
        verbose: false,
    };
    run_suite(&args, strict)
}

fn run_suite(args: &TpapRunArgs, strict: bool) -> Result<ExitCode> {
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
                return Ok(ExitCode::from(3));
            }
        },
        (None, Some(url)) => Box::new(HttpShim::new(url, limits)?),
        (None, None) => anyhow::bail!("give --shim 'CMD' or --shim-url URL"),
    };
    eprintln!("upi-conformance: TPAP suite, seed {}, {}", args.seed, shim.describe());
    let mut report = match suite::run(shim.as_mut(), &options) {
        Ok(r) => r,
        Err(SuiteError::Shim(e)) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(3));
        }
        Err(e) => return Err(e.into()),
    };
    report.strict = strict;
    emit(&report, args.format, args.output.as_ref(), args.verbose)
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
