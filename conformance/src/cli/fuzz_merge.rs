//! `fuzz-merge`: joins the findings directories of sharded `fuzz --shard I/N --out DIR` runs
//! (or of any fuzzing runs), one reproducer per finding, deduplicated by the key the fuzzer
//! itself uses (API, mutation kind, first broken rule of the shrunk reproducer). Exit 0 no
//! findings, 1 findings, 2 usage errors (an unreadable directory, a file that is no reproducer).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::Args;
use upi_conformance::runner::shard::merge;

use super::Format;

/// Arguments of `fuzz-merge`.
#[derive(Debug, Args)]
pub struct FuzzMergeArgs {
    /// Findings directories written by `fuzz --out` (one per shard).
    #[arg(required = true)]
    dirs: Vec<PathBuf>,
    /// Write the merged reproducers here (`finding-NNN-RULE.json`, as `fuzz --output` does).
    #[arg(long = "output", alias = "out", value_name = "DIR")]
    out: Option<PathBuf>,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Runs `fuzz-merge`.
pub fn run(args: &FuzzMergeArgs) -> Result<ExitCode> {
    let merged = merge(&args.dirs)?;
    let mut written = Vec::new();
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        for (i, r) in merged.iter().enumerate() {
            let rule = r.findings.first().map(|f| f.rule.as_str()).unwrap_or("unknown");
            let path = dir.join(upi_conformance::runner::fuzz::file_name(i, rule));
            std::fs::write(&path, serde_json::to_string_pretty(r)?)
                .with_context(|| format!("writing {}", path.display()))?;
            written.push(path.display().to_string());
        }
    }
    match args.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&merged)?),
        Format::Text => {
            for r in &merged {
                let rule = r.findings.first().map(|f| f.rule.as_str()).unwrap_or("unknown");
                let shard = r.shard.map(|s| format!(", shard {s}")).unwrap_or_default();
                outln!(
                    "FINDING {rule} ({:?}) on {}: seed {}, case {}{shard}",
                    r.mutation,
                    r.api,
                    r.seed,
                    r.case
                );
            }
            for w in &written {
                outln!("wrote {w}");
            }
            outln!(
                "fuzz-merge: {} findings from {} directories",
                merged.len(),
                args.dirs.len()
            );
        }
    }
    Ok(if merged.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
