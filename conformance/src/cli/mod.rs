//! Argument parsing and dispatch for every subcommand. Exit codes: 0 success or valid input,
//! 1 violations or failures, 2 usage errors or unreadable input, 3 target unreachable.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod hash;
mod input;
mod sign;
mod verify;

/// Conformance suite for UPI payment-gateway APIs (Juspay EC, TPAP SDK, Merchant Stack, PayU).
#[derive(Debug, Parser)]
#[command(name = "upi-conformance", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compute (or check) a PayU hash or a TPV payerAccountHash.
    Hash(hash::HashArgs),
    /// Sign a Merchant Stack JWS, a TPAP signaturePayload or a response body.
    Sign(sign::SignArgs),
    /// Verify a Merchant Stack JWS, a TPAP signaturePayload signature or an x-response-signature.
    Verify(verify::VerifyArgs),
}

/// Runs the parsed command and maps its outcome to an exit code.
pub fn run(cli: Cli) -> ExitCode {
    let outcome = match cli.command {
        Command::Hash(args) => hash::run(args),
        Command::Sign(args) => sign::run(args),
        Command::Verify(args) => verify::run(args),
    };
    usage_error_is_exit_2(outcome)
}

/// Maps an error of reading input or keys (not a failed check) to exit code 2.
fn usage_error_is_exit_2(outcome: anyhow::Result<ExitCode>) -> ExitCode {
    outcome.unwrap_or_else(|e| {
        eprintln!("error: {e:#}");
        ExitCode::from(2)
    })
}
