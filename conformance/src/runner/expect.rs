//! Selection and expectations: `--only`/`--skip` globs over case and rule IDs, and the
//! expectations file (`--expect FILE`) of cases known to fail, each with a reason. A listed case
//! that fails is an expected failure; a listed case that passes is an unexpected pass, which
//! fails the run, so the list cannot rot; a listed pattern that matches no case is reported.

use std::path::Path;

use anyhow::{Context, Result};
use globset::{Glob, GlobMatcher};
use serde::Deserialize;

use super::case::{CaseResult, Outcome};
use super::plan::Planned;

/// Case selection by globs over case IDs and rule IDs.
#[derive(Debug, Default)]
pub struct Selection {
    only: Vec<GlobMatcher>,
    skip: Vec<GlobMatcher>,
}

fn compile(patterns: &[String]) -> Result<Vec<GlobMatcher>> {
    patterns
        .iter()
        .map(|p| {
            Ok(Glob::new(p)
                .with_context(|| format!("bad glob {p:?}"))?
                .compile_matcher())
        })
        .collect()
}

impl Selection {
    /// From `--only` and `--skip` patterns.
    pub fn new(only: &[String], skip: &[String]) -> Result<Selection> {
        Ok(Selection {
            only: compile(only)?,
            skip: compile(skip)?,
        })
    }

    fn hits(globs: &[GlobMatcher], case: &Planned) -> bool {
        globs
            .iter()
            .any(|g| g.is_match(&case.id) || case.rules.iter().any(|r| g.is_match(r)))
    }

    /// Whether the case runs.
    pub fn selects(&self, case: &Planned) -> bool {
        (self.only.is_empty() || Self::hits(&self.only, case)) && !Self::hits(&self.skip, case)
    }
}

/// The expectations file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectations {
    /// Known failures.
    #[serde(default)]
    pub expect: Vec<Expected>,
}

/// One known failure.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// Case ID or glob.
    pub case: String,
    /// Why it fails (required).
    pub reason: String,
}

impl Expectations {
    /// Reads a TOML expectations file; every entry needs a non-empty reason.
    pub fn from_file(path: &Path) -> Result<Expectations> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let e: Expectations = toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        for x in &e.expect {
            anyhow::ensure!(!x.reason.trim().is_empty(), "expectation for {} has no reason", x.case);
            Glob::new(&x.case).with_context(|| format!("bad glob {:?}", x.case))?;
        }
        Ok(e)
    }

    /// Applies the expectations to results; returns the patterns that matched no case.
    pub fn apply(&self, results: &mut [CaseResult]) -> Vec<String> {
        let mut unused = Vec::new();
        for x in &self.expect {
            let Ok(glob) = Glob::new(&x.case) else {
                continue;
            };
            let matcher = glob.compile_matcher();
            let mut used = false;
            for r in results.iter_mut().filter(|r| matcher.is_match(&r.id)) {
                used = true;
                r.outcome = match &r.outcome {
                    Outcome::Fail | Outcome::Warning => Outcome::ExpectedFailure {
                        reason: x.reason.clone(),
                    },
                    Outcome::Pass | Outcome::Info => Outcome::UnexpectedPass {
                        reason: x.reason.clone(),
                    },
                    other => other.clone(),
                };
            }
            if !used {
                unused.push(x.case.clone());
            }
        }
        unused
    }
}
