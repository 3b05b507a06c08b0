//! Replays every fuzz input kept in the repository through the oracles of
//! `upi_spec::fuzzing`, on stable and without libFuzzer: the crash regressions of
//! `golden/fuzz-regressions/<target>/` (each a minimised input that once panicked) and the seed
//! corpora of `fuzz/seeds/<target>/` (so a seed that breaks an oracle, or an oracle that no
//! longer holds on the golden samples, fails here before any fuzzing).

use std::fs;
use std::panic::catch_unwind;
use std::path::{Path, PathBuf};

use upi_spec::fuzzing::{TARGETS, Target};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn target(name: &str) -> Option<Target> {
    TARGETS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// The input files of `dir/<target>/`, by target; README files are documentation.
fn inputs(dir: &Path) -> Vec<(String, Vec<PathBuf>)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if !path.is_dir() {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut files: Vec<PathBuf> = fs::read_dir(&path)
            .expect("target directory")
            .map(|e| e.expect("directory entry").path())
            .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
            .collect();
        files.sort();
        out.push((name, files));
    }
    out.sort();
    out
}

/// Runs every file through its target, collecting the files whose oracle failed.
fn replay(dir: &Path) -> (usize, Vec<String>) {
    let (mut count, mut failures) = (0, Vec::new());
    for (name, files) in inputs(dir) {
        let Some(run) = target(&name) else {
            failures.push(format!("{}/{name}: no fuzz target of that name", dir.display()));
            continue;
        };
        for file in files {
            let data = fs::read(&file).expect("readable input");
            count += 1;
            if catch_unwind(|| run(&data)).is_err() {
                failures.push(file.display().to_string());
            }
        }
    }
    (count, failures)
}

#[test]
fn crash_regressions_stay_fixed() {
    let dir = repo().join("golden/fuzz-regressions");
    let (_, failures) = replay(&dir);
    assert!(
        failures.is_empty(),
        "fuzz regressions failing again:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_seed_passes_the_oracles() {
    let dir = repo().join("fuzz/seeds");
    let (count, failures) = replay(&dir);
    assert!(
        failures.is_empty(),
        "seeds breaking an oracle:\n{}",
        failures.join("\n")
    );
    assert!(count >= 100, "only {count} seeds replayed");
}

#[test]
fn every_target_has_seeds() {
    let seeds = inputs(&repo().join("fuzz/seeds"));
    for (name, _) in TARGETS {
        let files = seeds.iter().find(|(n, _)| n == name).map_or(0, |(_, f)| f.len());
        assert!(files > 0, "fuzz/seeds/{name}/ is missing or empty");
    }
}
