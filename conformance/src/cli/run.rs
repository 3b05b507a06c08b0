//! `run`: the conformance suite against the embedded reference server (no `--target`) or any
//! live implementation. Exit codes: 0 no failures, 1 failures, 2 usage or config error,
//! 3 target unreachable, 130 interrupted (Ctrl-C; the partial reports are written first).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use upi_conformance::report;
use upi_conformance::runner::config::RunConfig;
use upi_conformance::runner::expect::{self, Expectations, Selection};
use upi_conformance::runner::plan::{self, DEFAULT_SEED, Planned};
use upi_conformance::runner::stop::{FailureLimit, Interrupt};
use upi_conformance::runner::{RunError, RunOptions, run};

use super::choices;

/// Arguments of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Base URL of the implementation under test (all APIs); without it the embedded reference
    /// server is started on a loopback port.
    #[arg(long)]
    target: Option<String>,
    /// TOML configuration (base URLs per API, credentials, keys, timeouts, rate limit).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Suites to run (repeatable): ec-txns, merchant-register-intent, payu-intent,
    /// payu-postservice, or one variant as the report names it (merchant-register-intent.v3).
    #[arg(long = "suite", value_delimiter = ',')]
    suites: Vec<String>,
    /// Merchant Stack API versions: 1, 2, 3, default or all.
    #[arg(long, default_value = "all", value_parser = ["1", "2", "3", "default", "all"])]
    api_version: String,
    /// Run only cases whose ID, checked rule IDs or broken rule IDs match one of these globs (a
    /// glob matching a rule ID runs every case and keeps those that check or break it).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Skip cases whose ID, checked rule IDs or broken rule IDs match one of these globs.
    #[arg(long, value_delimiter = ',')]
    skip: Vec<String>,
    /// Seed of generated cases: a number, or `random` to explore (the seed drawn is printed;
    /// the same seed repeats the same cases). Default: a fixed seed, so CI runs repeat.
    #[arg(long, value_parser = parse_seed)]
    seed: Option<SeedArg>,
    /// Expectations file (TOML, `[[expect]] case = "..." reason = "..."`) of known failures.
    #[arg(long)]
    expect: Option<PathBuf>,
    /// Write the current failures to FILE as an expectations file (each new entry's reason is
    /// a placeholder that must be filled in before `--expect FILE` accepts it).
    #[arg(long, value_name = "FILE")]
    write_expect: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
    /// Write the report here instead of standard output (the summary still goes to stderr).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Also write a report in FORMAT to PATH (repeatable: `--report junit=r.xml --report
    /// html=r.html`); reproducer scripts go to `PATH.repro/` next to the first one.
    #[arg(long = "report", value_name = "FORMAT=PATH", value_parser = parse_report)]
    reports: Vec<(ReportFormat, PathBuf)>,
    /// Fault for the embedded reference server (for demonstrating the checks).
    #[arg(long)]
    fault: Option<String>,
    /// List every non-passing case in the text report, not only failures.
    #[arg(long)]
    verbose: bool,
    /// No progress on stderr (by default a bar with pass/fail counts on a terminal, one line
    /// per finished suite otherwise) and no seed, routes or sandbox-control lines; errors, and
    /// the final counts when the report goes to a file, stay.
    #[arg(long, short)]
    quiet: bool,
    /// Cases run at once (each flow's steps stay in order; the report keeps the plan's order).
    #[arg(long, default_value_t = upi_conformance::runner::DEFAULT_JOBS, value_parser = parse_jobs)]
    jobs: usize,
    /// Deadline for the whole run (e.g. `90s`, `5m`): cases not started by then are skipped
    /// with the reason "run deadline reached".
    #[arg(long, value_parser = humantime::parse_duration)]
    deadline: Option<std::time::Duration>,
    /// Who completes payments in the sandbox: `api` (its control API, mapped by `[sandbox]`),
    /// `manual` (you: the run prints the txnid and waits for Enter) or `off` (flows skipped).
    #[arg(long, value_parser = ["api", "manual", "off"])]
    sandbox: Option<String>,
    /// Stop starting cases after the first failing case (the rest are skipped with the reason
    /// "fail-fast"; cases already running finish).
    #[arg(long, conflicts_with = "max_failures")]
    fail_fast: bool,
    /// Stop starting cases after N failing cases (the rest are skipped with the reason
    /// "max-failures N reached"). Known failures from `--expect` do not count.
    #[arg(long, value_name = "N", value_parser = parse_jobs)]
    max_failures: Option<usize>,
    /// After K transport timeouts in a row on one base URL, send nothing more to it: one
    /// `transport.timeout` finding reports the count and the remaining cases against it are
    /// skipped ("target not answering: ..."). 0: never give up.
    #[arg(long, value_name = "K", default_value_t = upi_conformance::runner::breaker::DEFAULT_MAX_TIMEOUTS)]
    max_timeouts: usize,
    /// Warnings fail the run (exit 1): a broken `should` rule (our reading where no seed
    /// sentence states it) counts as a failure. Acceptable readings never fail.
    #[arg(long)]
    strict: bool,
    /// The TPAP SDK suite (`--suite tpap`) through a shim command: JSON lines on its
    /// stdin/stdout (docs/SHIM.md); the same as `tpap run --shim`.
    #[arg(long, conflicts_with = "shim_url")]
    shim: Option<String>,
    /// The TPAP SDK suite (`--suite tpap`) through a shim's HTTP endpoint (one POST per call).
    #[arg(long)]
    shim_url: Option<String>,
}

/// The suite name that runs the TPAP SDK suite through a shim.
const TPAP_SUITE: &str = "tpap";

/// `run --suite tpap --shim CMD`: the TPAP suite runs through the shim; the HTTP suites do not
/// mix with it in one run.
fn tpap_run(args: &RunArgs) -> Result<Option<ExitCode>> {
    let tpap = args.suites.iter().any(|s| s == TPAP_SUITE);
    let shim = args.shim.is_some() || args.shim_url.is_some();
    match (tpap, shim) {
        (false, false) => Ok(None),
        (true, false) => {
            anyhow::bail!("--suite tpap runs through a shim: add --shim CMD or --shim-url URL (docs/SHIM.md)")
        }
        (false, true) => anyhow::bail!("--shim and --shim-url drive the TPAP suite: add --suite tpap"),
        (true, true) => {
            if args.suites.len() > 1 {
                anyhow::bail!("--suite tpap runs alone (through its shim); run the HTTP suites separately");
            }
            let format = match args.format {
                ReportFormat::Text => super::tpap::ReportFormat::Text,
                ReportFormat::Json => super::tpap::ReportFormat::Json,
                ReportFormat::Junit => super::tpap::ReportFormat::Junit,
                ReportFormat::Html => anyhow::bail!("--suite tpap reports as text, json or junit"),
            };
            let seed = match args.seed {
                Some(SeedArg::Fixed(seed)) => seed,
                Some(SeedArg::Random) => rand::random(),
                None => plan::DEFAULT_SEED,
            };
            super::tpap::run_through_shim(
                args.shim.clone(),
                args.shim_url.clone(),
                seed,
                args.only.clone(),
                format,
                args.output.clone(),
                args.strict,
            )
            .map(Some)
        }
    }
}

/// The exit code of an interrupted run (128 + SIGINT, as shells report it).
pub const INTERRUPTED: u8 = 130;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Text,
    Json,
    Junit,
    Html,
}

fn parse_jobs(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("expected a number of cases at once, at least 1, not {s:?}")),
    }
}

/// `--seed`: a number or `random`.
#[derive(Debug, Clone, Copy)]
enum SeedArg {
    Fixed(u64),
    Random,
}

fn parse_seed(s: &str) -> Result<SeedArg, String> {
    if s.eq_ignore_ascii_case("random") {
        return Ok(SeedArg::Random);
    }
    s.parse::<u64>()
        .map(SeedArg::Fixed)
        .map_err(|_| format!("expected a number or `random`, got {s:?}"))
}

fn parse_report(s: &str) -> Result<(ReportFormat, PathBuf), String> {
    let (format, path) = s.split_once('=').ok_or("expected FORMAT=PATH, e.g. junit=report.xml")?;
    let format = ReportFormat::from_str(format, true)
        .map_err(|_| format!("unknown format {format:?}: text, json, junit or html"))?;
    if path.is_empty() {
        return Err("empty PATH".into());
    }
    Ok((format, PathBuf::from(path)))
}

fn render(
    format: ReportFormat,
    report: &upi_conformance::runner::Report,
    verbose: bool,
    ctx: &report::Context,
) -> String {
    match format {
        ReportFormat::Text => report::text::render_with(report, verbose, ctx),
        ReportFormat::Json => report::json::render_with(report, ctx),
        ReportFormat::Junit => report::junit::render_with(report, ctx),
        ReportFormat::Html => report::html::render_with(report, ctx),
    }
}

pub fn run_command(args: RunArgs) -> Result<ExitCode> {
    if let Some(code) = tpap_run(&args)? {
        return Ok(code);
    }
    let mut config = match &args.config {
        Some(path) => RunConfig::from_file(path)?,
        None => RunConfig::default(),
    };
    if let Some(mode) = &args.sandbox {
        config.sandbox.mode = mode.parse().map_err(anyhow::Error::msg)?;
    }
    let versions = match args.api_version.as_str() {
        "all" => Vec::new(),
        "1" | "2" | "3" => vec![format!("v{}", args.api_version)],
        "default" => vec!["default".to_string()],
        other => anyhow::bail!("--api-version takes 1, 2, 3, default or all, not {other:?}"),
    };
    let full = choices::full_plan(config.limits.generated_per_message);
    choices::check_suites(&args.suites, &choices::suite_names(&full))?;
    choices::check_globs("--only", &args.only, &full)?;
    choices::check_globs("--skip", &args.skip, &full)?;
    choices::check_fault(args.fault.as_deref(), args.target.as_deref(), &config)?;
    let selection = Selection::new(&args.only, &args.skip)?;
    let selected: Vec<_> = plan::plan(
        upi_spec::messages::apis(),
        &args.suites,
        &versions,
        config.limits.generated_per_message,
    )
    .into_iter()
    .filter(|c| selection.selects(c))
    .collect();
    if selected.is_empty() {
        anyhow::bail!(
            "the selection (--suite {:?}, --api-version {}, --only {:?}, --skip {:?}) matches no case; valid suites: {}",
            args.suites,
            args.api_version,
            args.only,
            args.skip,
            choices::suite_names(&full).into_iter().collect::<Vec<_>>().join(", ")
        );
    }
    if args.target.is_none() && choices::names_a_target(&config) {
        choices::check_routes(&config, &selected)?;
    }
    let expectations = match &args.expect {
        Some(path) => Expectations::from_file(path)?,
        None => Expectations::default(),
    };
    let seed = match args.seed {
        None => DEFAULT_SEED,
        Some(SeedArg::Fixed(seed)) => seed,
        Some(SeedArg::Random) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() ^ u64::from(d.subsec_nanos()))
            .unwrap_or(0),
    };
    let runtime = super::async_runtime()?;
    runtime.block_on(async move {
        let (target, _server) = target(&mut config, args.target.as_deref(), args.fault.as_deref()).await?;
        if !args.quiet {
            eprintln!("upi-conformance: seed {seed}, target {target}");
            eprintln!(
                "upi-conformance: routes: {}",
                choices::describe_routes(&config, &selected)
            );
        }
        let options = RunOptions {
            suites: args.suites.clone(),
            versions,
            only: args.only.clone(),
            skip: args.skip.clone(),
            seed,
            progress: !args.quiet,
            jobs: args.jobs,
            deadline: args.deadline,
            failures: FailureLimit {
                max: if args.fail_fast { Some(1) } else { args.max_failures },
                fail_fast: args.fail_fast,
            },
            max_timeouts: args.max_timeouts,
            interrupt: Some(Interrupt::on_ctrl_c()),
            strict: args.strict,
            ..RunOptions::default()
        };
        let report = match run(config, target, &options, &expectations).await {
            Ok(r) => r,
            Err(RunError::Unreachable(what)) => {
                eprintln!("error: target unreachable: {what}");
                return Ok(ExitCode::from(3));
            }
            Err(RunError::Setup(e)) => return Err(e),
        };
        if !args.quiet {
            eprintln!(
                "upi-conformance: sandbox control {}",
                if report.sandbox {
                    "found (flows that complete payments run)"
                } else {
                    "not found (flows that need it are skipped)"
                }
            );
        }
        let stale = stale_expectations(&report, &full);
        let first_file = args.reports.first().map(|(_, p)| p).or(args.output.as_ref());
        let ctx = report::Context {
            config: args.config.clone(),
            target: args.target.clone(),
            fault: args.fault.clone(),
            repro_dir: first_file.map(|p| PathBuf::from(format!("{}.repro", p.display()))),
        };
        report::repro::write_all(&report, &ctx).context("writing reproducer scripts")?;
        for (format, path) in &args.reports {
            std::fs::write(path, render(*format, &report, args.verbose, &ctx))
                .with_context(|| format!("writing {}", path.display()))?;
        }
        let rendered = render(args.format, &report, args.verbose, &ctx);
        match &args.output {
            Some(path) => {
                std::fs::write(path, &rendered).with_context(|| format!("writing {}", path.display()))?;
                if args.format != ReportFormat::Text {
                    eprint!(
                        "{}",
                        report::text::render(&report, false)
                            .lines()
                            .rev()
                            .take(2)
                            .collect::<Vec<_>>()
                            .into_iter()
                            .rev()
                            .collect::<Vec<_>>()
                            .join("\n")
                    );
                    eprintln!();
                }
            }
            None if args.format == ReportFormat::Text => super::style::print_report(&rendered),
            None => out!("{rendered}"),
        }
        if report.interrupted {
            super::style::print_error(&format!(
                "interrupted: the reports hold the {} cases finished; {} planned cases did not run",
                report.cases.len(),
                report.not_run
            ));
            return Ok(ExitCode::from(INTERRUPTED));
        }
        if let Some(path) = &args.write_expect {
            let header = format!(
                "Expected failures written by `upi-conformance run --write-expect` (seed {}, target {}).",
                report.seed, report.target
            );
            let (text, n) = expect::write_expectations(&report.cases, &header);
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
            eprintln!(
                "upi-conformance: wrote {n} expectations to {}; fill in each reason before --expect uses it",
                path.display()
            );
        }
        for p in &stale {
            super::style::print_error(&format!(
                "stale expectation {p:?} matches no case: remove it from the expectations file"
            ));
        }
        Ok(if report.failed() || !stale.is_empty() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    })
}

/// Starts the reference server in-process on an ephemeral loopback port.
async fn embedded(fault: Option<&str>) -> Result<upi_reference_server::RunningServer> {
    let fault = match fault {
        Some(name) => Some(
            upi_reference_server::Fault::from_name(name)
                .with_context(|| format!("unknown fault {name:?}; `upi-conformance serve --list-faults` lists them"))?,
        ),
        None => None,
    };
    let config = upi_reference_server::ServerConfig::test_defaults().with_fault(fault);
    upi_reference_server::spawn(config)
        .await
        .context("starting the embedded reference server")
}

/// Points `config` at `target`, or at the embedded reference server (started here, with
/// `fault` if given) when neither `target` nor the config names one. Returns a description of
/// the target and the server handle (which must live as long as the run).
pub async fn target(
    config: &mut RunConfig,
    target: Option<&str>,
    fault: Option<&str>,
) -> Result<(String, Option<upi_reference_server::RunningServer>)> {
    let described = match target {
        Some(url) => {
            config.targets.base = Some(url.to_string());
            (url.to_string(), None)
        }
        None if super::choices::names_a_target(config) => (config.targets.base.clone().unwrap_or_default(), None),
        None => {
            let server = embedded(fault).await?;
            let url = server.base_url();
            config.targets.base = Some(url.clone());
            let what = fault.map(|f| format!(", fault {f}")).unwrap_or_default();
            (format!("{url} (embedded reference server{what})"), Some(server))
        }
    };
    if config.targets.sandbox.is_none() {
        config.targets.sandbox = config.targets.base.clone();
    }
    Ok(described)
}

/// A description of the configured base URLs that accept no connection, if any.
pub async fn unreachable(config: &RunConfig) -> Option<String> {
    let down = upi_conformance::runner::session::unreachable_bases(config).await;
    (!down.is_empty()).then(|| {
        down.iter()
            .map(|(u, e)| format!("{u} ({e})"))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// Expectation patterns that matched no case of the run and match no case the runner can plan
/// at all (a pattern for a case left out by `--suite`/`--only` is not stale, only unused).
fn stale_expectations(report: &upi_conformance::runner::Report, full: &[Planned]) -> Vec<String> {
    report
        .unused_expectations
        .iter()
        .filter(|p| {
            globset::Glob::new(p)
                .map(|g| g.compile_matcher())
                .is_ok_and(|m| !full.iter().any(|c| m.is_match(&c.id)))
        })
        .cloned()
        .collect()
}
