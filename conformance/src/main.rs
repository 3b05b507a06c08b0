//! `upi-conformance`: the command-line edge of the project. Each subcommand lives in its own
//! module under `cli/`; this file only parses arguments and dispatches.

mod cli;

use upi_conformance as _;

use std::process::ExitCode;

/// mimalloc: a fuzzing run allocates and frees per request on both sides of the loopback (the
/// runner and the embedded reference server); glibc malloc was about a tenth of its profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::parse();
    cli::run(args)
}
