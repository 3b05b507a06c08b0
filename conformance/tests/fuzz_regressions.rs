//! Replays the `har_reader` fuzz inputs kept in the repository through
//! `upi_conformance::fuzzing::har_reader` (no libFuzzer needed): the crash regressions of
//! `golden/fuzz-regressions/har_reader/` and the seeds of `fuzz/seeds/har_reader/`. The other
//! targets are replayed by upi-spec's `fuzz_regressions` test.

use std::fs;
use std::panic::catch_unwind;
use std::path::{Path, PathBuf};

use upi_conformance::fuzzing::har_reader;

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    out.sort();
    out
}

#[test]
fn har_reader_inputs_never_panic() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let seeds = files(&repo.join("fuzz/seeds/har_reader"));
    assert!(!seeds.is_empty(), "fuzz/seeds/har_reader/ is missing or empty");
    let regressions = files(&repo.join("golden/fuzz-regressions/har_reader"));
    let failures: Vec<String> = seeds
        .iter()
        .chain(&regressions)
        .filter(|file| {
            let data = fs::read(file).expect("readable input");
            catch_unwind(|| har_reader(&data)).is_err()
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(failures.is_empty(), "har_reader panicked on:\n{}", failures.join("\n"));
}
