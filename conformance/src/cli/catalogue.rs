//! `messages` and `rules`: the model registry and the rule catalogue, as text or JSON.

use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use serde_json::json;
use upi_spec::model::{Direction, Encoding};
use upi_spec::{catalogue, messages};

use super::Format;

/// Arguments of `messages`.
#[derive(Debug, Args)]
pub struct MessagesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Arguments of `rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Only the rules of this message (or rule family, e.g. `deeplink`).
    #[arg(long)]
    message: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn messages(args: &MessagesArgs) -> Result<ExitCode> {
    let all = messages::all();
    match args.format {
        Format::Json => {
            let list: Vec<_> = all
                .iter()
                .map(|m| {
                    json!({
                        "id": m.id,
                        "title": m.title,
                        "direction": direction(m.direction),
                        "encoding": encoding(m.encoding),
                        "endpoint": m.endpoint.map(|e| json!({"method": e.method, "path": e.path, "status": e.status})),
                        "source": m.source,
                        "rules": catalogue::rules_of(m).len(),
                    })
                })
                .collect();
            outln!("{}", serde_json::to_string_pretty(&list)?);
        }
        Format::Text => {
            for m in all {
                outln!(
                    "{:<48} {:<8} {:<9} {}",
                    m.id,
                    direction(m.direction),
                    encoding(m.encoding),
                    m.title
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn rules(args: &RulesArgs) -> Result<ExitCode> {
    let mut rules = catalogue::all();
    if let Some(scope) = &args.message {
        rules.retain(|r| &r.scope == scope);
        if rules.is_empty() {
            bail!("no rules for `{scope}`; `upi-conformance messages` lists the message IDs");
        }
    }
    match args.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&rules)?),
        Format::Text => {
            for r in &rules {
                outln!("{} [{}] {}\n    source: {}", r.id, r.severity, r.statement, r.source);
            }
            outln!("{} rules", rules.len());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn direction(d: Direction) -> &'static str {
    match d {
        Direction::Request => "request",
        Direction::Response => "response",
    }
}

fn encoding(e: Encoding) -> &'static str {
    match e {
        Encoding::Json => "json",
        Encoding::Form => "form",
        Encoding::Multipart => "multipart",
    }
}
