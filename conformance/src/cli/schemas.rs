//! `schemas`: writes the JSON Schemas derived from the models, or checks that a directory holds
//! exactly the current ones.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

/// Arguments of `schemas`.
#[derive(Debug, Args)]
pub struct SchemasArgs {
    /// Directory to write `<stem>.schema.json` files into.
    #[arg(long, default_value = "schemas")]
    out: PathBuf,
    /// Compare instead of writing; exit 1 when a file differs, is missing or is stale.
    #[arg(long)]
    check: bool,
}

/// Schemas in the directory that no model generates: the run report's schema is written by
/// hand next to the report code it describes (and tested against real reports).
const HAND_WRITTEN: [&str; 1] = ["run-report.schema.json"];

/// The file name and pretty-printed text of every generated schema.
pub fn rendered() -> Vec<(String, String)> {
    upi_spec::schema::all()
        .into_iter()
        .map(|s| {
            (
                format!("{}.schema.json", s.stem),
                serde_json::to_string_pretty(&s.schema).expect("schemas serialise") + "\n",
            )
        })
        .collect()
}

pub fn run(args: &SchemasArgs) -> Result<ExitCode> {
    let files = rendered();
    if args.check {
        let mut problems = Vec::new();
        for (name, text) in &files {
            match std::fs::read_to_string(args.out.join(name)) {
                Ok(existing) if existing == *text => {}
                Ok(_) => problems.push(format!("{name} differs")),
                Err(_) => problems.push(format!("{name} is missing")),
            }
        }
        if let Ok(dir) = std::fs::read_dir(&args.out) {
            for entry in dir.flatten() {
                let name = entry.file_name().to_string_lossy().to_string();
                if name.ends_with(".schema.json")
                    && !HAND_WRITTEN.contains(&name.as_str())
                    && !files.iter().any(|(n, _)| *n == name)
                {
                    problems.push(format!("{name} is stale (no model generates it)"));
                }
            }
        }
        for p in &problems {
            outln!("{p}");
        }
        outln!("{} schemas, {} problems", files.len(), problems.len());
        return Ok(if problems.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    std::fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    for (name, text) in &files {
        std::fs::write(args.out.join(name), text).with_context(|| format!("writing {name}"))?;
    }
    outln!("wrote {} schemas to {}", files.len(), args.out.display());
    Ok(ExitCode::SUCCESS)
}
