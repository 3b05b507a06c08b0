//! `upi-conformance deeplink`: check a deeplink against the grammar and parameter rules, or
//! build the deeplink an API response maps to.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use upi_spec::Severity;
use upi_spec::deeplink::{self, MessageId};

/// Arguments of `deeplink`.
#[derive(Debug, Args)]
pub struct DeeplinkArgs {
    #[command(subcommand)]
    command: DeeplinkCommand,
}

#[derive(Debug, Subcommand)]
enum DeeplinkCommand {
    /// Parse a deeplink (or a bare intentURIData query) and print every violation with its rule
    /// ID and byte offset. Exit 0 when no `must` rule is broken, 1 otherwise (with `--strict`,
    /// also when a `should` rule is), 2 when the input is not a URI.
    Check {
        /// The deeplink, e.g. 'upi://pay?pa=juspay@axisbank&pn=Merchant%20Inc&am=1.00&cu=INR&tr=1'.
        uri: String,
        /// Fail on `should` findings too (our reading where no seed sentence states the rule,
        /// e.g. an encoded control character in `pn`), as `run --strict` does.
        #[arg(long)]
        strict: bool,
    },
    /// Build the canonical deeplink from an API response (JSON file) and print it; the mapping's
    /// findings and the built link's own (as `check` reports them) go to stderr. Exit 0 when no
    /// `must` rule is broken by either, 1 otherwise, 2 on unreadable input.
    Build {
        /// The response body, a JSON file.
        #[arg(long = "from-response", value_name = "FILE")]
        from_response: PathBuf,
        /// The response's message ID: ec.txns.response, merchant.register-intent.{v3,v2,v1,default}.response
        /// or payu.payment.response.
        #[arg(long, value_name = "ID")]
        message: String,
    },
}

/// Runs `deeplink check` or `deeplink build`.
pub fn run(args: DeeplinkArgs) -> ExitCode {
    match args.command {
        DeeplinkCommand::Check { uri, strict } => check(&uri, strict),
        DeeplinkCommand::Build { from_response, message } => match build(&from_response, &message) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(2)
            }
        },
    }
}

fn check(uri: &str, strict: bool) -> ExitCode {
    let parsed = match deeplink::parse(uri) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    for v in &parsed.violations {
        outln!("{v}");
    }
    let musts = parsed
        .violations
        .iter()
        .filter(|v| v.severity == Severity::Must)
        .count();
    let shoulds = parsed
        .violations
        .iter()
        .filter(|v| v.severity == Severity::Should)
        .count();
    if musts == 0 && strict && shoulds > 0 {
        outln!("invalid under --strict: {shoulds} should violation(s)");
        ExitCode::from(1)
    } else if musts == 0 {
        outln!(
            "valid: {} ({} finding(s) below must)",
            parsed.deeplink.target.prefix(),
            parsed.violations.len()
        );
        ExitCode::SUCCESS
    } else {
        outln!("invalid: {musts} must violation(s)");
        ExitCode::from(1)
    }
}

fn build(path: &PathBuf, message: &str) -> Result<ExitCode> {
    let message = MessageId::from_id(message)?;
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let response: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let mapped = deeplink::map_response(message, &response)?;
    let link = deeplink::build(&mapped.deeplink);
    outln!("{link}");
    for v in &mapped.violations {
        eprintln!("{v}");
    }
    // The built link is judged as `check` judges it, so that build and check agree: a link
    // `build` prints without complaint is one `check` accepts (issue 11, E-005).
    let checked = deeplink::parse(&link).with_context(|| format!("the built link {link} does not parse"))?;
    for v in &checked.violations {
        eprintln!("built link: {v}");
    }
    // The link is printed either way (it is what the response maps to); a response that lacks
    // what a mandatory parameter needs, or maps to a link breaking a must, fails the command.
    let musts = mapped
        .violations
        .iter()
        .chain(&checked.violations)
        .filter(|v| v.severity == Severity::Must)
        .count();
    if musts == 0 {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("invalid: {musts} must violation(s)");
        Ok(ExitCode::from(1))
    }
}
