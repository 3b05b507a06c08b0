//! `validate`: one message instance against its model. Exit 0 when no `must` rule is broken
//! (warnings are printed), 1 when one is, 2 when the input cannot be read at all.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use clap::{Args, ValueEnum};
use serde_json::json;
use upi_spec::input::{DEFAULT_MAX_BYTES, normalise_headers};
use upi_spec::read::{Syntax, read};
use upi_spec::validate::validate;
use upi_spec::{Severity, catalogue, messages};

use super::Format;

/// Arguments of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Message ID (see `upi-conformance messages`).
    #[arg(long)]
    message: String,
    /// Input file, or `-` for standard input.
    #[arg(default_value = "-")]
    file: PathBuf,
    /// Input syntax; `auto` recognises curl commands and JSON, else reads a form body.
    #[arg(long, value_enum, default_value_t = InputSyntax::Auto)]
    input: InputSyntax,
    /// An HTTP header `name: value` to judge with the body (repeatable); header rules are only
    /// judged when headers are given (here or in a curl command).
    #[arg(long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// Largest input accepted, in bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
    max_bytes: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InputSyntax {
    Auto,
    Json,
    Form,
    Curl,
}

/// At most `cap` bytes of `reader` (what is beyond is left unread).
fn read_upto(reader: impl Read, cap: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(cap).read_to_end(&mut bytes)?;
    Ok(bytes)
}

pub fn run(args: &ValidateArgs) -> Result<ExitCode> {
    let message = messages::find(&args.message).ok_or_else(|| {
        anyhow!(
            "unknown message `{}`; `upi-conformance messages` lists them",
            args.message
        )
    })?;
    // One byte past the cap is read so `read` reports the input as too large; the cap itself
    // may be usize::MAX, so the arithmetic saturates instead of wrapping to a 0-byte read.
    let cap = u64::try_from(args.max_bytes).unwrap_or(u64::MAX).saturating_add(1);
    let bytes = if args.file.as_os_str() == "-" {
        read_upto(std::io::stdin().lock(), cap).context("reading standard input")?
    } else {
        let file = std::fs::File::open(&args.file).with_context(|| format!("opening {}", args.file.display()))?;
        read_upto(file, cap).with_context(|| format!("reading {}", args.file.display()))?
    };
    let syntax = match args.input {
        InputSyntax::Auto => Syntax::Auto,
        InputSyntax::Json => Syntax::Json,
        InputSyntax::Form => Syntax::Form,
        InputSyntax::Curl => Syntax::Curl,
    };
    let mut document = match read(message, &bytes, syntax, args.max_bytes) {
        Ok(d) => d,
        Err(e) => {
            let rule = format!("{}.{}", message.id, catalogue::syntax_rule(message).0);
            match args.format {
                Format::Json => outln!(
                    "{}",
                    json!({"message": message.id, "readable": false, "rule": rule, "error": e.to_string()})
                ),
                Format::Text => eprintln!("error: {e} (rule {rule})"),
            }
            return Ok(ExitCode::from(2));
        }
    };
    if !args.headers.is_empty() {
        let given = args
            .headers
            .iter()
            .map(|h| {
                h.split_once(':')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .ok_or_else(|| anyhow!("header `{h}` has no colon"))
            })
            .collect::<Result<Vec<_>>>()?;
        let mut all = document.headers.take().unwrap_or_default();
        all.extend(given);
        document.headers = Some(normalise_headers(all)?);
    }
    let violations = validate(message, &document);
    let failures = violations.iter().filter(|v| v.severity == Severity::Must).count();
    match args.format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "message": message.id,
                "readable": true,
                "valid": failures == 0,
                "headers_checked": document.headers.is_some(),
                "violations": violations,
            }))?
        ),
        Format::Text => {
            for v in &violations {
                outln!("{v}");
            }
            let warnings = violations.len() - failures;
            let headers = if document.headers.is_some() {
                ""
            } else {
                " (headers not checked: none given)"
            };
            outln!("{}: {failures} failures, {warnings} warnings{headers}", message.id);
        }
    }
    Ok(if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
