//! Selection and expectations: `--only`/`--skip` globs over case IDs, the rule IDs a case checks
//! and the rule IDs its findings break (as the report shows them), and the expectations file
//! (`--expect FILE`) of cases known to fail, each with a reason. A listed case that fails is an
//! expected failure; a listed case that passes is an unexpected pass, which fails the run, so the
//! list cannot rot; a listed pattern that matches no case is reported. `run --write-expect`
//! writes the current failures with [`REASON_PLACEHOLDER`] reasons, which are refused until
//! filled in.

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
    /// Whether an `--only` glob matches a catalogue rule ID: a case may then be selected by a
    /// rule its findings break, so every case runs and [`Selection::keeps`] decides.
    only_by_finding: bool,
}

/// The reason `run --write-expect` writes; an expectations file that still holds it is refused.
pub const REASON_PLACEHOLDER: &str = "FILL IN: why this case is expected to fail";

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
        let only = compile(only)?;
        let rules = upi_spec::catalogue::all();
        let only_by_finding = only.iter().any(|g| rules.iter().any(|r| g.is_match(&r.id)));
        Ok(Selection {
            only,
            skip: compile(skip)?,
            only_by_finding,
        })
    }

    fn hits(globs: &[GlobMatcher], case: &Planned) -> bool {
        globs
            .iter()
            .any(|g| g.is_match(&case.id) || case.rules.iter().any(|r| g.is_match(r)))
    }

    fn hits_result(globs: &[GlobMatcher], case: &CaseResult) -> bool {
        globs.iter().any(|g| {
            g.is_match(&case.id)
                || case.rules.iter().any(|r| g.is_match(r))
                || case.findings.iter().any(|f| g.is_match(&f.rule))
        })
    }

    /// Whether the case runs (it may still be dropped by [`Selection::keeps`] once its findings
    /// are known).
    pub fn selects(&self, case: &Planned) -> bool {
        (self.only.is_empty() || self.only_by_finding || Self::hits(&self.only, case)) && !Self::hits(&self.skip, case)
    }

    /// Whether a case as run stays in the report: the globs over its ID, the rules it checks
    /// and the rules its findings break.
    pub fn keeps(&self, case: &CaseResult) -> bool {
        (self.only.is_empty() || Self::hits_result(&self.only, case)) && !Self::hits_result(&self.skip, case)
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
        if let Some(line) = text.lines().position(|l| l.contains(REASON_PLACEHOLDER)) {
            anyhow::bail!(
                "{}:{}: the reason is still the placeholder {REASON_PLACEHOLDER:?}; say why the case fails",
                path.display(),
                line + 1
            );
        }
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

/// An expectations file listing every failing case of `results` (cases already expected keep
/// their reason; new ones get [`REASON_PLACEHOLDER`]). `header` is written as a comment.
pub fn write_expectations(results: &[CaseResult], header: &str) -> (String, usize) {
    use std::fmt::Write as _;
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(
        out,
        "# Replace every {REASON_PLACEHOLDER:?} with why the case fails: `run --expect` refuses\n# the file until then."
    );
    let mut n = 0;
    for r in results {
        let reason = match &r.outcome {
            Outcome::Fail => REASON_PLACEHOLDER,
            Outcome::ExpectedFailure { reason } => reason.as_str(),
            _ => continue,
        };
        n += 1;
        let _ = write!(
            out,
            "\n[[expect]]\ncase = {}\nreason = {}\n",
            toml::Value::String(r.id.clone()),
            toml::Value::String(reason.to_string())
        );
    }
    (out, n)
}
