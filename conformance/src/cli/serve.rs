//! `serve`: runs the reference server (crate `upi-reference-server`) until the process is
//! killed, printing one ready line `upi-reference-server listening on http://ADDR` first.

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use upi_reference_server::{Fault, READY_LINE_PREFIX, ServerConfig};

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
}

pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    if args.list_faults {
        let listed = Fault::listed();
        let width = listed.iter().map(|f| f.name().len()).max().unwrap_or(0);
        for fault in listed {
            outln!("{:width$}  {}", fault.name(), fault.description());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let fault = match &args.fault {
        None => None,
        Some(name) => match Fault::from_name(name) {
            Some(f) => Some(f),
            None => bail!(
                "unknown fault {name:?}; `serve --list-faults` lists them (ignore-rule= takes a rule ID that `rules` lists, break-response-rule= a must rule of a response)"
            ),
        },
    };
    let config = ServerConfig::test_defaults().with_fault(fault.clone());
    let runtime = super::async_runtime()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("binding {}", args.addr))?;
        let addr = listener.local_addr().context("reading the bound address")?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{READY_LINE_PREFIX}{addr}").context("printing the ready line")?;
        out.flush().context("printing the ready line")?;
        drop(out);
        if let Some(fault) = &fault {
            eprintln!("fault switched on: {fault} ({})", fault.description());
        }
        upi_reference_server::serve(listener, config).await.context("serving")
    })?;
    Ok(ExitCode::SUCCESS)
}
