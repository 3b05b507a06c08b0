//! `upi-conformance deeplink`: check a deeplink against the grammar and parameter rules, or
//! build the deeplink an API response maps to.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use serde::Serialize;
use upi_spec::deeplink::{self, DeeplinkError, MessageId};
use upi_spec::{Severity, Violation};

use super::Format;

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
        /// `text` (one line per finding, then the verdict) or `json` (one object: the verdict,
        /// the exit code and every finding with its rule, severity, byte offset and reason; an
        /// input that is not a URI is reported the same way, as its `deeplink.syntax.uri` finding).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
        DeeplinkCommand::Check { uri, strict, format } => check(&uri, strict, format),
        DeeplinkCommand::Build { from_response, message } => match build(&from_response, &message) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(2)
            }
        },
    }
}

/// What `deeplink check` decided about one link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
enum Verdict {
    /// No `must` rule broken (and, under `--strict`, no `should` rule either).
    Valid,
    /// A `must` rule broken, or a `should` one under `--strict`.
    Invalid,
    /// Not a URI at all: nothing but the syntax finding.
    NotAUri,
}

impl Verdict {
    fn exit_code(self) -> u8 {
        match self {
            Verdict::Valid => 0,
            Verdict::Invalid => 1,
            Verdict::NotAUri => 2,
        }
    }
}

/// `deeplink check --format json`'s answer.
#[derive(Debug, Serialize)]
struct CheckReport<'a> {
    uri: &'a str,
    verdict: Verdict,
    exit_code: u8,
    strict: bool,
    /// The link's target (`upi://pay`, ...), when it parsed.
    target: Option<&'a str>,
    must: usize,
    should: usize,
    violations: Vec<Violation>,
}

fn check(uri: &str, strict: bool, format: Format) -> ExitCode {
    let parsed = match deeplink::parse(uri) {
        Ok(p) => p,
        Err(e) => {
            if format == Format::Json {
                let report = CheckReport {
                    uri,
                    verdict: Verdict::NotAUri,
                    exit_code: Verdict::NotAUri.exit_code(),
                    strict,
                    target: None,
                    must: 1,
                    should: 0,
                    violations: vec![fatal(&e)],
                };
                print_json(&report);
            }
            eprintln!("error: {e}");
            return ExitCode::from(Verdict::NotAUri.exit_code());
        }
    };
    let count = |s: Severity| parsed.violations.iter().filter(|v| v.severity == s).count();
    let (musts, shoulds) = (count(Severity::Must), count(Severity::Should));
    let verdict = match (musts, strict && shoulds > 0) {
        (0, false) => Verdict::Valid,
        _ => Verdict::Invalid,
    };
    match format {
        Format::Json => print_json(&CheckReport {
            uri,
            verdict,
            exit_code: verdict.exit_code(),
            strict,
            target: Some(parsed.deeplink.target.prefix()),
            must: musts,
            should: shoulds,
            violations: parsed.violations.clone(),
        }),
        Format::Text => {
            for v in &parsed.violations {
                outln!("{v}");
            }
            if musts > 0 {
                outln!("invalid: {musts} must violation(s)");
            } else if verdict == Verdict::Invalid {
                outln!("invalid under --strict: {shoulds} should violation(s)");
            } else {
                outln!(
                    "valid: {} ({} finding(s) below must)",
                    parsed.deeplink.target.prefix(),
                    parsed.violations.len()
                );
            }
        }
    }
    ExitCode::from(verdict.exit_code())
}

/// A fatal parse error as the finding it is: the `deeplink.syntax.uri` rule broken at a byte.
fn fatal(e: &DeeplinkError) -> Violation {
    let at = format!("byte {}", e.at());
    // The error's text names rule and byte first; the finding has them as fields.
    let text = e.to_string();
    let reason = text
        .strip_prefix(&format!("{} at {at}: ", DeeplinkError::RULE))
        .unwrap_or(&text)
        .to_string();
    Violation {
        rule: DeeplinkError::RULE.to_string(),
        severity: Severity::Must,
        at,
        reason,
    }
}

fn print_json<T: Serialize>(value: &T) {
    // Serialising plain strings and numbers cannot fail.
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    outln!("{text}");
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
