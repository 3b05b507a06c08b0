//! `audit FILE`: captured traffic (HAR, or JSON lines of TPAP SDK payloads) judged against the
//! models, reported like a run. Exit 0 clean, 1 a `must` rule broken, 2 unreadable input.

use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use upi_conformance::audit;
use upi_conformance::report;
use upi_conformance::runner::Report;
use upi_spec::read::read_capped;

/// The largest JSON-lines capture read (it is judged line by line from memory).
const MAX_JSONL_BYTES: u64 = 64 << 20;

/// Arguments of `audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The capture: a `.har` file, or JSON lines (`.jsonl`) of TPAP process payloads.
    file: PathBuf,
    /// What the file is; `auto` decides by extension and content.
    #[arg(long, value_enum, default_value_t = CaptureKind::Auto)]
    kind: CaptureKind,
    /// Report format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Text)]
    format: AuditFormat,
    /// A PEM public key that TPAP `signaturePayload` signatures are verified with: `KID=PATH`
    /// for the requests whose `merchantKeyId` is KID, or a bare `PATH` for any other
    /// (repeatable; without it signatures are not checked).
    #[arg(long = "tpap-key", value_name = "[KID=]PEM")]
    tpap_keys: Vec<String>,
    /// Write the report here instead of standard output.
    #[arg(long, value_name = "PATH")]
    output: Option<PathBuf>,
}

/// The `--tpap-key` values as signature keys.
fn signature_keys(values: &[String]) -> Result<audit::SignatureKeys> {
    let mut keys = audit::SignatureKeys::default();
    for value in values {
        match value.split_once('=') {
            Some((kid, path)) => {
                if keys.by_id.get(kid).is_some() {
                    anyhow::bail!("--tpap-key {kid:?} is given twice (each kid names one key)");
                }
                keys.by_id.insert(kid, super::input::public_key(path.as_ref())?);
            }
            None => {
                if keys.any.is_some() {
                    anyhow::bail!("--tpap-key without KID= is given twice (one key serves every other merchantKeyId)");
                }
                keys.any = Some(super::input::public_key(value.as_ref())?);
            }
        }
    }
    Ok(keys)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CaptureKind {
    Auto,
    Har,
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AuditFormat {
    Text,
    Json,
    Junit,
    Html,
}

pub fn run(args: &AuditArgs) -> Result<ExitCode> {
    let keys = signature_keys(&args.tpap_keys)?;
    let mut file = std::fs::File::open(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    // The first 4 KiB decide `auto`; the rest is streamed after them.
    let mut head = Vec::new();
    (&mut file)
        .take(4096)
        .read_to_end(&mut head)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let har = match args.kind {
        CaptureKind::Har => true,
        CaptureKind::Jsonl => false,
        CaptureKind::Auto => {
            args.file.extension().is_some_and(|e| e == "har") || String::from_utf8_lossy(&head).contains("\"log\"")
        }
    };
    let whole = std::io::Cursor::new(head).chain(file);
    let cases = if har {
        // Streamed entry by entry, read at most upi_spec::audit::MAX_HAR_BYTES.
        audit::har_from_reader(whole)
    } else {
        match read_capped(whole, MAX_JSONL_BYTES) {
            Ok(bytes) => audit::json_lines_with(&bytes, &keys),
            Err(e) => Err(e.into()),
        }
    };
    let cases = match cases {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {}", audit::visible(&e.to_string()));
            return Ok(ExitCode::from(2));
        }
    };
    let totals = upi_conformance::runner::totals_of(&cases);
    let report = Report {
        format_version: 1,
        target: audit::visible(&format!("audit of {}", args.file.display())),
        seed: 0,
        elapsed_ms: 0,
        sandbox: false,
        strict: false,
        totals,
        interrupted: false,
        not_run: 0,
        unused_expectations: Vec::new(),
        cases,
    };
    let rendered = match args.format {
        AuditFormat::Text => report::text::render(&report, true),
        AuditFormat::Json => report::json::render(&report),
        AuditFormat::Junit => report::junit::render(&report),
        AuditFormat::Html => report::html::render(&report),
    };
    match &args.output {
        Some(path) => std::fs::write(path, &rendered).with_context(|| format!("writing {}", path.display()))?,
        None => out!("{rendered}"),
    }
    Ok(if report.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
