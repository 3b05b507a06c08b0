//! `fuzz` and `replay`: the live fuzzer against any target (or the embedded reference server),
//! and the re-sending of a reproducer it wrote. Exit 0 nothing found, 1 findings (or, for
//! `replay`, the finding reproduced), 2 usage errors, 3 target unreachable, 130 interrupted
//! (Ctrl-C; the findings so far are printed and written first).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};
use upi_conformance::runner::config::RunConfig;
use upi_conformance::runner::fuzz::{FuzzOptions, fuzz, read_reproducer, replay};
use upi_conformance::runner::shard::Shard;

/// Arguments of `fuzz`.
#[derive(Debug, Args)]
pub struct FuzzArgs {
    /// Base URL of the implementation to fuzz; without it the embedded reference server.
    #[arg(long)]
    target: Option<String>,
    /// TOML configuration (as for `run`).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Suites to fuzz (repeatable; default all).
    #[arg(long = "suite", value_delimiter = ',')]
    suites: Vec<String>,
    /// How long to fuzz, e.g. `20s`, `5m`.
    #[arg(long, value_parser = humantime::parse_duration)]
    duration: Option<std::time::Duration>,
    /// How many cases to run (instead of, or as well as, a duration).
    #[arg(long)]
    cases: Option<u64>,
    /// Seed (printed; the same seed generates the same cases).
    #[arg(long)]
    seed: Option<u64>,
    /// Concurrent workers (default: the number of cores).
    #[arg(long)]
    workers: Option<usize>,
    /// Cases each worker keeps in flight at once, on its keep-alive connections: with more than
    /// one, a worker sends the next case while it waits for an answer (default 8 with
    /// `--target` or a target the configuration names, 1 against the embedded server).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    in_flight: Option<u16>,
    /// Directory for reproducers of findings (`--out` is the old spelling).
    #[arg(long = "output", alias = "out", value_name = "DIR")]
    out: Option<PathBuf>,
    /// Requests per second across all workers (0: no limit).
    #[arg(long)]
    rate: Option<u32>,
    /// Fault for the embedded reference server.
    #[arg(long)]
    fault: Option<String>,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t = FuzzFormat::Text)]
    format: FuzzFormat,
    /// No progress bar on stderr.
    #[arg(long, short)]
    quiet: bool,
    /// Run only shard I of N (`I/N`, 0-based): the case numbers k with k mod N = I. N
    /// processes with the same `--seed` (and `--cases`, the campaign's total) run the cases one
    /// process would, none twice; `fuzz-merge` joins their `--out` directories.
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
}

/// Cases in flight per worker against a `--target` unless `--in-flight` says otherwise: a
/// separate server answers while the worker prepares the next case (the whole mix at 2 workers:
/// 1.56x the requests/s of one at a time on a quiet machine; benches/results/fuzzer-client.md).
/// Eight rather than four: with more answers arriving per wake-up, a worker and the server's
/// threads park less often (a third fewer context switches per request on both sides), so a
/// request costs less CPU: PayU 10-22 % less, EC 4-9 %, Merchant Stack 2-9 % on 2 cores against a
/// loopback `serve` (benches/results/s10-in-flight.md); 2 workers then hold the 16 connections
/// the loopback ceiling's `wrk -c16` does. The embedded server shares the process's cores, so
/// there one at a time.
const TARGET_IN_FLIGHT: u16 = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FuzzFormat {
    Text,
    Json,
}

/// Arguments of `replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// A reproducer written by `fuzz --output`.
    file: PathBuf,
    /// Base URL; without it the embedded reference server (with `--fault`, if given).
    #[arg(long)]
    target: Option<String>,
    /// TOML configuration.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Fault for the embedded reference server.
    #[arg(long)]
    fault: Option<String>,
    /// Output format of the verdict.
    #[arg(long, value_enum, default_value_t = FuzzFormat::Text)]
    format: FuzzFormat,
}

fn config_for(path: &Option<PathBuf>) -> Result<RunConfig> {
    match path {
        Some(p) => RunConfig::from_file(p),
        None => Ok(RunConfig::default()),
    }
}

pub fn run_fuzz(args: FuzzArgs) -> Result<ExitCode> {
    let mut config = config_for(&args.config)?;
    let suites = super::choices::suite_names(&super::choices::full_plan(0))
        .into_iter()
        .filter(|s| !s.contains('.'))
        .collect();
    super::choices::check_suites(&args.suites, &suites)?;
    super::choices::check_fault(args.fault.as_deref(), args.target.as_deref(), &config)?;
    if let Some(rate) = args.rate {
        config.limits.requests_per_second = rate;
    }
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    });
    let workers = args
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2));
    let (duration, cases) = match (args.duration, args.cases) {
        (None, None) => (Some(std::time::Duration::from_secs(60)), None),
        other => other,
    };
    let runtime = super::async_runtime()?;
    runtime.block_on(async move {
        let (target, server) = super::run::target(&mut config, args.target.as_deref(), args.fault.as_deref()).await?;
        let shard = args.shard.unwrap_or_default();
        // A separate target (`--target`, or one the configuration names) or the embedded server.
        let in_flight = usize::from(args.in_flight.unwrap_or(if server.is_none() { TARGET_IN_FLIGHT } else { 1 }));
        eprintln!(
            "upi-conformance fuzz: seed {seed}, shard {shard}, {workers} workers, {in_flight} cases in flight each, target {target}"
        );
        if let Some(unreachable) = super::run::unreachable(&config).await {
            eprintln!("error: target unreachable: {unreachable}");
            return Ok(ExitCode::from(3));
        }
        let options = FuzzOptions {
            suites: args.suites.clone(),
            seed,
            cases,
            duration,
            workers,
            in_flight,
            out: args.out.clone(),
            progress: !args.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()),
            shard,
            interrupt: Some(upi_conformance::runner::stop::Interrupt::on_ctrl_c()),
        };
        let report = fuzz(config, target, &options).await?;
        match args.format {
            FuzzFormat::Json => outln!("{}", serde_json::to_string_pretty(&report)?),
            FuzzFormat::Text => {
                for r in &report.findings {
                    outln!("FINDING {} ({:?}) on {}", r.findings[0].rule, r.mutation, r.api);
                    for f in r.findings.iter().take(4) {
                        outln!("  {} [{}]: {}", f.rule, f.severity, f.message);
                    }
                    outln!("  reproduce: {}", r.curl.chars().take(400).collect::<String>());
                }
                for w in &report.written {
                    outln!("wrote {w}");
                }
                outln!(
                    "fuzz: {} cases, {} requests ({} judged) in {:.1} s ({:.0} requests/s), {} findings, seed {}, shard {}",
                    report.cases,
                    report.requests,
                    report.judged,
                    report.elapsed_ms as f64 / 1000.0,
                    report.requests_per_second,
                    report.findings.len(),
                    report.seed,
                    shard
                );
            }
        }
        if report.interrupted {
            super::style::print_error(&format!(
                "interrupted: {} findings so far are reported{}",
                report.findings.len(),
                if report.written.is_empty() { "" } else { " and written" }
            ));
            return Ok(ExitCode::from(super::run::INTERRUPTED));
        }
        Ok(if report.findings.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    })
}

pub fn run_replay(args: ReplayArgs) -> Result<ExitCode> {
    let reproducer = read_reproducer(&args.file)?;
    let mut config = config_for(&args.config)?;
    super::choices::check_fault(args.fault.as_deref(), args.target.as_deref(), &config)?;
    let runtime = super::async_runtime()?;
    runtime.block_on(async move {
        let (target, _server) = super::run::target(&mut config, args.target.as_deref(), args.fault.as_deref()).await?;
        if let Some(unreachable) = super::run::unreachable(&config).await {
            eprintln!("error: target unreachable: {unreachable}");
            return Ok(ExitCode::from(3));
        }
        let (findings, _) = replay(config, &reproducer).await?;
        if args.format == FuzzFormat::Json {
            outln!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "target": target,
                    "reproduced": !findings.is_empty(),
                    "rule": reproducer.findings[0].rule,
                    "findings": findings,
                }))?
            );
            return Ok(ExitCode::from(u8::from(!findings.is_empty())));
        }
        if findings.is_empty() {
            outln!(
                "not reproduced against {target}: {} passes now",
                reproducer.findings[0].rule
            );
            Ok(ExitCode::SUCCESS)
        } else {
            outln!("reproduced against {target}:");
            for f in &findings {
                outln!("  {} [{}]: {}", f.rule, f.severity, f.message);
            }
            Ok(ExitCode::from(1))
        }
    })
}
