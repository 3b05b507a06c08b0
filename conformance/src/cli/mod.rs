//! Argument parsing and dispatch for every subcommand. Exit codes: 0 success or valid input,
//! 1 violations or failures, 2 usage errors or unreadable input, 3 target unreachable.

mod deeplink;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Conformance suite for UPI payment-gateway APIs (Juspay EC, TPAP SDK, Merchant Stack, PayU).
#[derive(Debug, Parser)]
#[command(name = "upi-conformance", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a UPI deeplink, or build one from an API response.
    Deeplink(deeplink::DeeplinkArgs),
}

/// Runs the parsed command and maps its outcome to an exit code.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Deeplink(args) => deeplink::run(args),
    }
}
