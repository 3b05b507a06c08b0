//! Reproducers: a shrunk finding as a JSON file, its de-duplication signature, and `replay`,
//! which re-sends and re-judges it.

use std::path::Path;

use anyhow::{Context as _, Result};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use upi_spec::input::Document;

use super::driver::*;
use super::mutation::*;
use crate::runner::api::{self};
use crate::runner::case::Finding;
use crate::runner::config::RunConfig;
use crate::runner::http::Exchange;
use crate::runner::session::Session;

/// A finding, shrunk, ready to be replayed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reproducer {
    /// Format version.
    pub format_version: u32,
    /// The run's seed and the case number: `fuzz --seed S` generates the same case again.
    pub seed: u64,
    /// Case number within the run.
    pub case: u64,
    /// API name (`suite` or `suite.variant`).
    pub api: String,
    /// How the case was made.
    pub mutation: Mutation,
    /// The document sent (headers and body), after shrinking.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Value,
    /// What the oracle found.
    pub findings: Vec<Finding>,
    /// The request line of the failing exchange.
    pub request_line: String,
    /// The response status, if any.
    pub status: Option<u16>,
    /// A curl command repeating the request (secrets as placeholders).
    pub curl: String,
    /// The shard of the run that found it (`fuzz --shard`), absent for an unsharded run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<crate::runner::shard::Shard>,
}

/// Findings with the same first rule and mutation kind are one finding.
pub(super) fn signature(r: &Reproducer) -> (String, String, String) {
    crate::runner::shard::dedup_key(r)
}

/// The file name of the `index`-th finding, first broken rule `rule`: `finding-007-RULE.json`
/// (the rule as a file-name part). `fuzz` and `fuzz-merge` write findings under these names.
pub fn file_name(index: usize, rule: &str) -> String {
    format!("finding-{index:03}-{}.json", slug(rule))
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect()
}

/// Re-sends a reproducer (with fresh IDs, timestamps, hashes and signatures) and re-judges it;
/// returns the new findings (empty: not reproduced).
pub async fn replay(config: RunConfig, reproducer: &Reproducer) -> Result<(Vec<Finding>, Option<Exchange>)> {
    let api = api::all()
        .into_iter()
        .find(|a| a.name() == reproducer.api)
        .with_context(|| format!("unknown API {}", reproducer.api))?;
    let message = api.request.message();
    let executor = Session::new(config, reproducer.seed).await?;
    let mut rng = ChaCha8Rng::seed_from_u64(reproducer.seed ^ reproducer.case);
    let doc = Document {
        headers: Some(reproducer.headers.clone()),
        body: reproducer.body.clone(),
    };
    let (_, found) = attempt(
        &executor,
        &api,
        message,
        doc,
        &reproducer.mutation,
        &mut rng,
        reproducer.seed,
        reproducer.case,
    )
    .await?;
    Ok(match found {
        Some(r) => (r.findings, None),
        None => (Vec::new(), None),
    })
}

/// Reads a reproducer file.
pub fn read_reproducer(path: &Path) -> Result<Reproducer> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not a reproducer written by `fuzz`", path.display()))
}
