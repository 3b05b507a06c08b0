//! Argument parsing and dispatch for every subcommand. Exit codes: 0 success or valid input,
//! 1 violations or failures, 2 usage errors or unreadable input, 3 target unreachable.

/// `println!` for command output: a closed pipe (`upi-conformance rules | head`) ends the
/// process quietly instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

/// `print!` for command output, with the same closed-pipe handling as `outln!`.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        if let Err(e) = write!(stdout, $($arg)*).and_then(|()| stdout.flush()) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

mod audit;
mod catalogue;
mod choices;
mod client_test;
mod completions;
mod deeplink;
mod fuzz;
mod fuzz_merge;
mod hash;
mod help;
mod input;
mod openapi;
mod run;
mod schemas;
mod serve;
mod sign;
mod style;
mod tpap;
mod validate;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Conformance suite for UPI payment-gateway APIs (Juspay EC, TPAP SDK, Merchant Stack, PayU).
#[derive(Debug, Parser)]
#[command(name = "upi-conformance", version = completions::VERSION, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Output format shared by listing and checking commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Human-readable text.
    #[default]
    Text,
    /// JSON for machines.
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the modelled messages.
    Messages(catalogue::MessagesArgs),
    /// List the rule catalogue (every rule with ID, statement, severity and source).
    Rules(catalogue::RulesArgs),
    /// Validate a message instance (JSON, form body or curl command) against its model.
    Validate(validate::ValidateArgs),
    /// Write (or check) the JSON Schemas generated from the models.
    Schemas(schemas::SchemasArgs),
    /// Write (or check) the OpenAPI 3.1 description of the reference server's HTTP APIs.
    Openapi(openapi::OpenapiArgs),
    /// Compute (or check) a PayU hash or a TPV payerAccountHash.
    Hash(hash::HashArgs),
    /// Sign a Merchant Stack JWS, a TPAP signaturePayload or a response body.
    Sign(sign::SignArgs),
    /// Verify a Merchant Stack JWS, a TPAP signaturePayload signature or an x-response-signature.
    Verify(verify::VerifyArgs),
    /// Check a UPI deeplink, or build one from an API response.
    Deeplink(deeplink::DeeplinkArgs),
    /// Run the reference server (test-only credentials) until killed, optionally with one fault.
    Serve(serve::ServeArgs),
    /// Run the conformance suite against the embedded reference server or a live target.
    Run(run::RunArgs),
    /// Fuzz a live implementation (or the embedded reference server) with generated requests.
    Fuzz(fuzz::FuzzArgs),
    /// Re-send a reproducer written by `fuzz` and re-judge the answer.
    Replay(fuzz::ReplayArgs),
    /// Merge the findings directories of sharded `fuzz --shard` runs, one reproducer per finding.
    FuzzMerge(fuzz_merge::FuzzMergeArgs),
    /// Judge captured traffic (HAR, or JSON lines of TPAP payloads) against the models.
    Audit(audit::AuditArgs),
    /// Write a shell completion script (bash, zsh, fish, elvish, powershell) to standard output.
    Completions(completions::CompletionsArgs),
    /// Write the man page (roff) to standard output.
    Man(completions::ManArgs),
    /// Run the TPAP SDK suite through a shim (`tpap run --shim 'CMD'`), or list shim faults.
    Tpap(tpap::TpapArgs),
    /// The reference TPAP shim (JSON lines on stdin/stdout, or HTTP), optionally with a fault.
    TpapShim(tpap::TpapShimArgs),
    /// Play PayU toward a merchant's S2S callback endpoint and judge the merchant's order state.
    ClientTest(client_test::ClientTestArgs),
}

/// Parses the command line (with every subcommand's examples and exit codes in its help); a
/// usage error exits 2.
pub fn parse() -> Cli {
    use clap::FromArgMatches as _;
    let matches = help::command().get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// Runs the parsed command and maps its outcome to an exit code.
pub fn run(cli: Cli) -> ExitCode {
    let outcome = match cli.command {
        Command::Messages(args) => catalogue::messages(&args),
        Command::Rules(args) => catalogue::rules(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Schemas(args) => schemas::run(&args),
        Command::Openapi(args) => openapi::run(&args),
        Command::Hash(args) => hash::run(args),
        Command::Sign(args) => sign::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Deeplink(args) => Ok(deeplink::run(args)),
        Command::Serve(args) => serve::run(&args),
        Command::Run(args) => run::run_command(args),
        Command::Audit(args) => audit::run(&args),
        Command::Fuzz(args) => fuzz::run_fuzz(args),
        Command::Replay(args) => fuzz::run_replay(args),
        Command::FuzzMerge(args) => fuzz_merge::run(&args),
        Command::Completions(args) => completions::completions(&args),
        Command::Man(args) => completions::man(&args),
        Command::Tpap(args) => tpap::run(args),
        Command::TpapShim(args) => tpap::shim(&args),
        Command::ClientTest(args) => client_test::run(&args),
    };
    usage_error_is_exit_2(outcome)
}

/// Maps an error of reading input or keys (not a failed check) to exit code 2.
fn usage_error_is_exit_2(outcome: anyhow::Result<ExitCode>) -> ExitCode {
    outcome.unwrap_or_else(|e| {
        style::print_error(&format!("{e:#}"));
        ExitCode::from(2)
    })
}

/// The multi-threaded runtime the networked commands (`run`, `fuzz`, `replay`, `serve`) block on.
fn async_runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    use anyhow::Context as _;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}
