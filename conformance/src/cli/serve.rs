//! `serve`: runs the reference server (crate `upi-reference-server`) until the process is
//! killed, printing one ready line `upi-reference-server listening on http://ADDR` first.

use std::io::Write as _;
use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use upi_reference_server::{Fault, Limits, READY_LINE_PREFIX, Readings, ServerConfig};

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port; the ready line names it).
    #[arg(long, default_value = "127.0.0.1:18080")]
    addr: SocketAddr,
    /// Switch on one deliberate defect (see --list-faults).
    #[arg(long, value_name = "NAME")]
    fault: Option<String>,
    /// Print every fault as `NAME  description` and exit.
    #[arg(long)]
    list_faults: bool,
    /// Record every violation clients commit (rule, the request with secrets masked, a fix
    /// hint) in this JSON file, rewritten after each such request (so it is complete however
    /// the server stops); the same report is live at `GET /sandbox/report`.
    #[arg(long, value_name = "FILE")]
    client_report: Option<std::path::PathBuf>,
    /// Follow a reading of an ambiguous seed sentence instead of its erratum's default
    /// (`ERRATUM=READING`, e.g. `E-091=200-failed`; repeatable; see --list-readings).
    #[arg(long = "reading", value_name = "ERRATUM=READING")]
    readings: Vec<String>,
    /// Print every reading (erratum, reading ID, the default marked, what it says) and exit.
    #[arg(long)]
    list_readings: bool,
    /// Accept requests that break only `should` rules (our reading where no seed sentence states
    /// the rule), as a seed-faithful implementation may; by default the sandbox refuses them too,
    /// naming the rule and saying `should`.
    #[arg(long)]
    lenient: bool,
    /// Serve on N threads, each running a single-threaded runtime; connections are dealt to
    /// them in turn and each stays on its thread, so no request wakes another. Without it, one
    /// multi-threaded runtime (a worker per core) serves. `--threads 1` costs the least CPU per
    /// request (about a quarter less on EC on 2 cores) but caps the server at one core.
    #[arg(long, value_name = "N")]
    threads: Option<NonZeroUsize>,
    #[command(flatten)]
    limits: LimitArgs,
}

/// What a hostile client can hold (defaults: `upi_reference_server::Limits::default()`).
#[derive(Debug, Args)]
struct LimitArgs {
    /// How long a request head may take, in milliseconds (also ends idle keep-alive connections).
    #[arg(long, value_name = "MILLIS", default_value_t = millis(Limits::default().header_read_timeout))]
    header_timeout_ms: u64,
    /// How long a request body may take in total, in milliseconds (then HTTP 408).
    #[arg(long, value_name = "MILLIS", default_value_t = millis(Limits::default().body_read_timeout))]
    body_timeout_ms: u64,
    /// Most connections served at once (one more gets HTTP 503 naming the limit).
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_connections)]
    max_connections: usize,
    /// Most orders, intents and payments each remembered at once (the soonest to expire is
    /// forgotten first).
    #[arg(long, value_name = "N", default_value_t = Limits::default().state_capacity)]
    state_capacity: usize,
}

fn millis(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl LimitArgs {
    fn apply(&self, limits: &mut Limits) -> Result<()> {
        if self.header_timeout_ms == 0 || self.body_timeout_ms == 0 {
            bail!("--header-timeout-ms and --body-timeout-ms must be at least 1");
        }
        if self.max_connections == 0 || self.state_capacity == 0 {
            bail!("--max-connections and --state-capacity must be at least 1");
        }
        limits.header_read_timeout = std::time::Duration::from_millis(self.header_timeout_ms);
        limits.body_read_timeout = std::time::Duration::from_millis(self.body_timeout_ms);
        limits.max_connections = self.max_connections;
        limits.state_capacity = self.state_capacity;
        Ok(())
    }
}

pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    if args.list_faults {
        let listed = Fault::listed();
        outln!(
            "{}",
            super::style::two_columns(listed.iter().map(|f| (f.name(), f.description())))
        );
        return Ok(ExitCode::SUCCESS);
    }
    if args.list_readings {
        outln!("{}", upi_reference_server::readings::table().trim_end());
        return Ok(ExitCode::SUCCESS);
    }
    let readings = Readings::parse(args.readings.iter().map(String::as_str))?;
    let fault = match &args.fault {
        None => None,
        Some(name) => match Fault::from_name(name) {
            Some(f) => Some(f),
            None => bail!(
                "unknown fault {name:?}; `serve --list-faults` lists them (ignore-rule= takes a rule ID that `rules` lists, break-response-rule= a must rule of a response)"
            ),
        },
    };
    if let Some(file) = &args.client_report {
        // Fail now, not on the first violation, if the report cannot be written.
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)
            .with_context(|| format!("opening the client report {}", file.display()))?;
    }
    let mut config = ServerConfig::test_defaults()
        .with_fault(fault.clone())
        .with_client_report(args.client_report.clone())
        .with_readings(readings.clone())
        .with_lenient(args.lenient);
    args.limits.apply(&mut config.limits)?;
    // With `--threads`, this thread serves too, on a single-threaded runtime.
    let runtime = match args.threads {
        None => super::async_runtime()?,
        Some(_) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("starting the async runtime")?,
    };
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("binding {}", args.addr))?;
        let addr = listener.local_addr().context("reading the bound address")?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{READY_LINE_PREFIX}{addr}").context("printing the ready line")?;
        out.flush().context("printing the ready line")?;
        drop(out);
        for id in readings.non_default() {
            eprintln!("reading followed: {id}");
        }
        if args.lenient {
            eprintln!("lenient: requests breaking only should rules are accepted");
        }
        if let Some(fault) = &fault {
            eprintln!("fault switched on: {fault} ({})", fault.description());
        }
        match args.threads {
            None => upi_reference_server::serve(listener, config).await,
            Some(threads) => upi_reference_server::serve_on_threads(listener, config, threads).await,
        }
        .context("serving")
    })?;
    Ok(ExitCode::SUCCESS)
}
