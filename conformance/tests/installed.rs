//! The binary works outside the checkout: copied to a temporary directory (as `cargo install`
//! puts it somewhere else) and run there with that directory as the working directory and no
//! `CARGO_MANIFEST_DIR`, `run` finds its TEST-ONLY keys and seed samples (compiled in) and plans
//! the same cases, sample cases included, as in the checkout.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `run --seed 3 --format json` with `bin` in `dir`; returns the exit code and case IDs.
fn case_ids(bin: &Path, dir: &Path) -> (i32, Vec<String>) {
    let out = Command::new(bin)
        .args(["run", "--seed", "3", "--format", "json"])
        .current_dir(dir)
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap();
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let ids = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    (out.status.code().unwrap_or(-1), ids)
}

#[test]
fn installed_binary_runs_from_any_directory() {
    let dir = std::env::temp_dir().join(format!("upi-conformance-installed-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    let installed = dir.join("bin/upi-conformance");
    std::fs::copy(env!("CARGO_BIN_EXE_upi-conformance"), &installed).unwrap();

    let (code, installed_ids) = case_ids(&installed, &dir);
    let (checkout_code, checkout_ids) = case_ids(Path::new(env!("CARGO_BIN_EXE_upi-conformance")), &root());
    std::fs::remove_dir_all(&dir).ok();

    assert_eq!(code, 0, "the installed binary's run failed");
    assert_eq!(checkout_code, 0);
    assert_eq!(
        installed_ids.len(),
        checkout_ids.len(),
        "case count differs from the checkout's"
    );
    assert_eq!(installed_ids, checkout_ids);
    let samples = installed_ids.iter().filter(|id| id.contains(".sample.")).count();
    assert!(
        samples >= 5,
        "seed sample cases vanished outside the checkout: {samples}"
    );
}

/// The default keys are the compiled-in ones, not files found through the build's checkout
/// path (which a copied binary on the build machine would still find, hiding the problem).
#[test]
fn default_keys_are_compiled_in() {
    let config = upi_conformance::runner::config::RunConfig::default();
    for key in [
        &config.merchant.signing_key,
        &config.merchant.wrong_key,
        &config.merchant.psp_public_key,
    ] {
        assert!(
            upi_conformance::embedded::get(key).is_some(),
            "{} is not compiled in",
            key.display()
        );
    }
}
