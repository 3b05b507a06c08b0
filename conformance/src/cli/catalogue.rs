//! `messages` and `rules`: the model registry and the rule catalogue, as text or JSON.

use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
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
#[command(args_conflicts_with_subcommands = true)]
pub struct RulesArgs {
    /// `show RULE_ID`: one rule in full.
    #[command(subcommand)]
    action: Option<RulesAction>,
    /// Only the rules of this message (or rule family, e.g. `deeplink`).
    #[arg(long)]
    message: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// What `rules` does besides listing.
#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// One rule in full: statement, severity, grounding, source section and quote. An unknown ID
    /// exits 2 naming the closest IDs.
    Show {
        /// The rule ID, e.g. `payu.payment.request.txnid.max-length`.
        id: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
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
            let rows = all.iter().map(|m| {
                vec![
                    m.id.to_string(),
                    direction(m.direction).to_string(),
                    encoding(m.encoding).to_string(),
                    m.title.to_string(),
                ]
            });
            outln!("{}", super::style::columns(rows));
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn rules(args: &RulesArgs) -> Result<ExitCode> {
    if let Some(RulesAction::Show { id, format }) = &args.action {
        return show(id, *format);
    }
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
                outln!(
                    "{} [{}] {}\n    source: {}\n    grounding: {}",
                    r.id,
                    r.severity,
                    r.statement,
                    r.source,
                    r.grounding
                );
            }
            outln!("{} rules", rules.len());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `rules show ID`.
fn show(id: &str, format: Format) -> Result<ExitCode> {
    let rules = catalogue::all();
    let Some(rule) = rules.iter().find(|r| r.id == id) else {
        let mut near: Vec<(f64, &str)> = rules
            .iter()
            .map(|r| (strsim::normalized_levenshtein(id, &r.id), r.id.as_str()))
            .collect();
        near.sort_by(|a, b| b.0.total_cmp(&a.0));
        eprintln!("unknown rule `{id}`; the closest IDs are:");
        for (_, close) in near.iter().take(5) {
            eprintln!("  {close}");
        }
        return Ok(ExitCode::from(2));
    };
    // The readings of ambiguous seed sentences this rule's verdict depends on (ERRATA.md).
    let readings: Vec<_> = upi_spec::readings::all()
        .iter()
        .filter(|r| r.rules.contains(&rule.id.as_str()))
        .collect();
    match format {
        Format::Json => {
            let mut value = serde_json::to_value(rule)?;
            value["readings"] = serde_json::to_value(&readings)?;
            outln!("{}", serde_json::to_string_pretty(&value)?);
        }
        Format::Text => {
            outln!("{}", rule.id);
            outln!("  statement: {}", rule.statement);
            outln!("  severity:  {}", rule.severity);
            outln!("  scope:     {}", rule.scope);
            outln!("  source:    {}", rule.source);
            match &rule.grounding {
                upi_spec::grounding::Grounding::Stated { file, quote } => {
                    outln!("  grounding: stated");
                    outln!("  quote:     ({file}) \"{quote}\"");
                }
                other => outln!("  grounding: {other}"),
            }
            for r in &readings {
                let default = if r.default { " (default)" } else { "" };
                outln!("  reading:   {}{default}: {}", r.id, r.statement);
            }
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
