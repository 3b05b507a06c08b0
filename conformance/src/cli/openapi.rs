//! `openapi`: writes the OpenAPI 3.1 description of the reference server's HTTP APIs derived
//! from the models and API facts (`upi_spec::openapi`) with the reference server's own facts
//! (`upi_reference_server::openapi`), or checks that a file holds exactly the current one.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

/// Arguments of `openapi`.
#[derive(Debug, Args)]
pub struct OpenapiArgs {
    /// File to write the document to.
    #[arg(long = "output", alias = "out", default_value = "schemas/openapi.json")]
    out: PathBuf,
    /// Compare instead of writing; exit 1 when the file differs or is missing.
    #[arg(long)]
    check: bool,
}

/// Writes or checks the document.
pub fn run(args: &OpenapiArgs) -> Result<ExitCode> {
    let text = upi_reference_server::openapi::rendered();
    if args.check {
        let problem = match std::fs::read_to_string(&args.out) {
            Ok(existing) if existing == text => None,
            Ok(_) => Some("differs from the document the models generate"),
            Err(_) => Some("is missing"),
        };
        return Ok(match problem {
            None => {
                outln!("{} is up to date", args.out.display());
                ExitCode::SUCCESS
            }
            Some(problem) => {
                outln!(
                    "{} {problem}; run `upi-conformance openapi --output {}`",
                    args.out.display(),
                    args.out.display()
                );
                ExitCode::from(1)
            }
        });
    }
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&args.out, &text).with_context(|| format!("writing {}", args.out.display()))?;
    outln!("wrote {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}
