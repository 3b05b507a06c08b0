//! `upi-conformance`: the command-line edge of the project. Each subcommand lives in its own
//! module under `cli/`; this file only parses arguments and dispatches.

mod cli;

use upi_conformance as _;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    cli::run(args)
}
