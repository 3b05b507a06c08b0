//! Every sample printed in the seeds, verbatim, validated against its model: the exact outcome
//! (parse error or violations) is a reviewed snapshot, every rule it breaks is named in
//! `spec/ERRATA.md`, and the corrected sample passes with no violation at all.

use std::path::{Path, PathBuf};

use upi_spec::input::DEFAULT_MAX_BYTES;
use upi_spec::messages;
use upi_spec::read::{Syntax, read};
use upi_spec::samples::{Sample, parse_manifest};
use upi_spec::validate::validate;

fn golden() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../golden/seeds")
}

fn syntax(kind: &str) -> Syntax {
    match kind {
        "json" | "text" => Syntax::Json,
        "curl" => Syntax::Curl,
        "form" => Syntax::Form,
        other => panic!("unknown sample kind {other}"),
    }
}

/// The validation outcome of one file, as text.
fn outcome(sample: &Sample, path: &Path) -> (String, Vec<String>) {
    let message = sample.message.message();
    let bytes = std::fs::read(path).unwrap();
    match read(message, &bytes, syntax(&sample.kind), DEFAULT_MAX_BYTES) {
        Err(e) => (format!("unreadable: {e}\n"), Vec::new()),
        Ok(doc) => {
            let violations = validate(message, &doc);
            let ids = violations.iter().map(|v| v.rule.clone()).collect();
            let text = if violations.is_empty() {
                "valid\n".to_string()
            } else {
                violations.iter().map(|v| format!("- {v}\n")).collect()
            };
            (text, ids)
        }
    }
}

fn manifest() -> Vec<Sample> {
    parse_manifest(&std::fs::read_to_string(golden().join("MANIFEST.json")).unwrap()).unwrap()
}

#[test]
fn verbatim_samples_match_their_snapshots_and_errata() {
    let errata = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ERRATA.md")).unwrap();
    let samples = manifest();
    assert!(samples.len() >= 50, "the manifest lists {} samples", samples.len());
    let mut unexplained = Vec::new();
    for sample in &samples {
        assert!(
            !sample.seed.is_empty() && !sample.section.is_empty() && !sample.notes.is_empty(),
            "{}",
            sample.file
        );
        let (text, ids) = outcome(sample, &golden().join(&sample.file));
        for id in ids {
            if !errata.contains(&format!("`{id}`")) {
                unexplained.push(format!("{}: {id}", sample.file));
            }
        }
        let message = sample.message.message();
        let syntax_rule = format!("{}.{}", message.id, upi_spec::catalogue::syntax_rule(message).0);
        if text.starts_with("unreadable") && !errata.contains(&format!("`{syntax_rule}`")) {
            unexplained.push(format!(
                "{}: unreadable, but {syntax_rule} is not in ERRATA.md",
                sample.file
            ));
        }
        insta::with_settings!({snapshot_path => "../../golden/snapshots/seeds", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(sample.file.clone(), format!("{} ({})\n{text}", sample.message, sample.kind));
        });
    }
    assert!(
        unexplained.is_empty(),
        "violations not explained in spec/ERRATA.md:\n{}",
        unexplained.join("\n")
    );
}

/// Every message rule ID that ERRATA.md cites exists in the catalogue (echo rules aside, which
/// the errata may cite for request/response pairs), so the errata cannot rot when IDs change.
#[test]
fn errata_cite_existing_rules() {
    let errata = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ERRATA.md")).unwrap();
    let known: std::collections::BTreeSet<String> = upi_spec::catalogue::all().into_iter().map(|r| r.id).collect();
    let prefixes = [
        "ec.",
        "tpap.",
        "merchant.",
        "payu.",
        "juspay.",
        "tpv.",
        "crypto.",
        "deeplink.",
    ];
    let mut stale = Vec::new();
    // Inline code spans only: fenced blocks (quoted seed text) are skipped, and spans never
    // cross a line.
    let mut in_fence = false;
    let mut spans = Vec::new();
    for line in errata.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if !in_fence {
            spans.extend(line.split('`').skip(1).step_by(2));
        }
    }
    for cited in spans {
        let looks_like_rule =
            prefixes.iter().any(|p| cited.starts_with(p)) && !cited.contains(' ') && cited.matches('.').count() >= 3;
        let is_sample_file = golden().join(cited).exists();
        if looks_like_rule
            && !is_sample_file
            && !known.contains(cited)
            && !messages::all().iter().any(|m| m.id == cited)
        {
            stale.push(cited.to_string());
        }
    }
    stale.sort();
    stale.dedup();
    assert!(
        stale.is_empty(),
        "ERRATA.md cites {} rule IDs the catalogue lacks:\n{}",
        stale.len(),
        stale.join("\n")
    );
}

/// Corrected samples break no `must` rule; the `should` rules they break are exactly
/// `upi_spec::grounding::BROKEN_BY_SEED_SAMPLES` (which the reference server never refuses).
#[test]
fn corrected_samples_pass() {
    let mut failures = Vec::new();
    let mut shoulds = std::collections::BTreeSet::new();
    for sample in manifest() {
        let Some(corrected) = sample.corrected.clone() else {
            continue;
        };
        let kind = if corrected.ends_with(".json") {
            "json"
        } else {
            sample.kind.as_str()
        };
        let fixed = Sample {
            kind: kind.to_string(),
            ..sample
        };
        let (text, ids) = outcome(&fixed, &golden().join("corrected").join(&corrected));
        shoulds.extend(
            ids.into_iter()
                .filter(|id| upi_spec::catalogue::severity(id) != Some(upi_spec::Severity::Must)),
        );
        if text.contains("[must]") || text.starts_with("unreadable") {
            failures.push(format!("{corrected}:\n{text}"));
        }
    }
    assert!(
        failures.is_empty(),
        "corrected samples with violations:\n{}",
        failures.join("\n")
    );
    let listed: std::collections::BTreeSet<String> = upi_spec::grounding::BROKEN_BY_SEED_SAMPLES
        .iter()
        .map(|(id, _)| (*id).to_string())
        .collect();
    assert_eq!(shoulds, listed, "should rules the corrected samples break");
}
