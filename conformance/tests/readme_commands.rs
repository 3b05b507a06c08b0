//! Every command of the README's ```sh blocks runs as written. Each line (continuations joined)
//! is run by bash in a scratch directory holding `golden/` (the repository's, read only) and a
//! copy of `schemas/` (commands may rewrite it), with `upi-conformance` on PATH as the binary
//! under test and `cargo run --release -p upi-conformance --` mapped to it. A command must exit
//! as the table below says (0 unless listed), within a minute. Commands that need a live
//! external target, run for long or build the project are in `SKIP`, each with its reason; a
//! `SKIP` or `EXIT` entry no README command matches fails the test, so neither list can rot.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_upi-conformance");

/// README commands not run, by prefix, with the reason.
const SKIP: &[(&str, &str)] = &[
    (
        "cargo test --workspace",
        "the test suite itself, which contains this test",
    ),
    (
        "cargo install",
        "a release build of the whole workspace (minutes); CI installs it",
    ),
    (
        "cargo build --release -p upi-conformance -p upi-reference-server --bins --example soak",
        "a release build of the soak load generator (minutes); the soak is not a CI job",
    ),
    (
        "SOAK_SERVER=target/release/upi-conformance target/release/examples/soak",
        "the 10M-request soak takes about 26 minutes; refserver/tests/api/hostile.rs covers the limits",
    ),
    (
        "docker build",
        "needs a Docker daemon; the Dockerfile is checked in review",
    ),
    (
        "upi-conformance serve",
        "runs until killed; tests/serve_cli.rs covers it",
    ),
    (
        "upi-conformance run --target http://127.0.0.1:18080",
        "needs the `serve` above running",
    ),
    (
        "upi-conformance fuzz --duration 60s",
        "runs for 60 s; tests/fuzzer.rs covers the fuzzer",
    ),
    (
        "upi-conformance replay findings/",
        "needs a finding written by a fuzz run and a live target",
    ),
    (
        "upi-conformance client-test",
        "needs a live merchant callback endpoint or trigger URL; tests/client_test.rs and tests/merchant_stack_client.rs cover both modes",
    ),
    (
        "curl -s http://127.0.0.1:18080/sandbox/report",
        "needs the `serve` above running; tests/client_report.rs covers the report",
    ),
    (
        "upi-conformance tpap run --shim-url",
        "needs a TPAP shim listening on that URL",
    ),
];

/// README commands that exit non-zero on purpose, by prefix: (prefix, exit code, reason).
const EXIT: &[(&str, i32, &str)] = &[
    (
        "upi-conformance deeplink check --strict",
        1,
        "the example link's encoded control character is a should finding, which --strict fails",
    ),
    (
        "upi-conformance fuzz --shard",
        1,
        "each shard of the faulty-server campaign finds the fault",
    ),
    (
        "upi-conformance fuzz-merge",
        1,
        "the merged findings of that campaign are not empty",
    ),
    (
        "upi-conformance audit golden/audit/ec-txns.har",
        1,
        "the capture holds a /txns request breaking two must rules, which audit reports",
    ),
    (
        "upi-conformance tpap run --shim 'upi-conformance tpap-shim --fault",
        1,
        "the README shows the suite failing against a faulty shim",
    ),
    (
        "upi-conformance run --suite tpap --shim 'upi-conformance tpap-shim --fault",
        1,
        "the README shows `run --suite tpap` failing against a faulty shim",
    ),
    (
        "upi-conformance audit golden/audit/pairing/udf-echo.jsonl",
        1,
        "the capture's onboardingAndPay answer changes udfParameters, which audit reports",
    ),
    (
        "upi-conformance run --fault drop-payee-vpa --only",
        1,
        "the README shows --only selecting the cases that break a response rule under a fault",
    ),
    (
        "upi-conformance run --fault accept-long-merchant-request-id --only 'reject.*merchantRequestId.max-length' --write-expect",
        1,
        "the README writes a baseline from a run with four failures",
    ),
];

const TIMEOUT: Duration = Duration::from_secs(60);

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The commands of every ```sh block: comment-only and blank lines dropped, `\` continuations
/// joined, `cargo run --release -p upi-conformance --` replaced by `upi-conformance`.
fn readme_commands(readme: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut in_sh = false;
    let mut pending = String::new();
    for line in readme.lines() {
        let trimmed = line.trim();
        if !in_sh {
            in_sh = trimmed == "```sh";
            continue;
        }
        if trimmed == "```" {
            in_sh = false;
            continue;
        }
        if pending.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        if let Some(head) = trimmed.strip_suffix('\\') {
            pending.push_str(head);
            continue;
        }
        pending.push_str(trimmed);
        let command = pending.replace("cargo run --release -p upi-conformance --", "upi-conformance");
        commands.push(command);
        pending.clear();
    }
    commands
}

/// A scratch directory with `golden` (symlink), a copy of `schemas`, and `bin/upi-conformance`.
fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("upi-readme-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("bin")).expect("scratch dir");
    std::os::unix::fs::symlink(repo().join("golden"), dir.join("golden")).expect("golden link");
    std::os::unix::fs::symlink(BIN, dir.join("bin/upi-conformance")).expect("binary link");
    std::fs::create_dir_all(dir.join("schemas")).expect("schemas dir");
    for entry in std::fs::read_dir(repo().join("schemas")).expect("schemas") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, dir.join("schemas").join(path.file_name().expect("name"))).expect("copy schema");
        }
    }
    dir
}

/// Runs one command with bash in `dir`; `None` when it ran past the timeout (it is killed).
fn run(dir: &Path, command: &str) -> Option<(i32, String)> {
    let path = format!(
        "{}:{}",
        dir.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = Command::new("bash")
        .args(["-o", "pipefail", "-c", command])
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash runs");
    // Read while the command runs: a stderr larger than a pipe's buffer would otherwise block it.
    let mut pipe = child.stderr.take().expect("stderr is piped");
    let stderr = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = std::io::Read::read_to_end(&mut pipe, &mut bytes);
        bytes
    });
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("waits") {
            let stderr = String::from_utf8_lossy(&stderr.join().expect("stderr read")).into_owned();
            return Some((status.code().unwrap_or(-1), stderr));
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn every_readme_command_runs_as_written() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let commands = readme_commands(&readme);
    assert!(
        commands.len() >= 20,
        "found only {} README commands: {commands:#?}",
        commands.len()
    );
    let dir = scratch("all");
    let mut failures = Vec::new();
    let (mut ran, mut skipped) = (0, 0);
    for command in &commands {
        if let Some((_, why)) = SKIP.iter().find(|(p, _)| command.starts_with(p)) {
            println!("skip  {command}\n      ({why})");
            skipped += 1;
            continue;
        }
        let expected = EXIT.iter().find(|(p, ..)| command.starts_with(p)).map_or(0, |e| e.1);
        let started = Instant::now();
        match run(&dir, command) {
            None => failures.push(format!("{command}\n  still running after {TIMEOUT:?}")),
            Some((code, stderr)) if code != expected => {
                let tail: Vec<&str> = stderr.lines().rev().take(6).collect();
                let tail: Vec<&str> = tail.into_iter().rev().collect();
                failures.push(format!(
                    "{command}\n  exited {code}, expected {expected}:\n    {}",
                    tail.join("\n    ")
                ));
            }
            Some((code, _)) => {
                println!(
                    "ok    {command} (exit {code}, {:.1} s)",
                    started.elapsed().as_secs_f64()
                );
                ran += 1;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    for (prefix, why) in SKIP {
        if !commands.iter().any(|c| c.starts_with(prefix)) {
            failures.push(format!("SKIP entry `{prefix}` ({why}) matches no README command"));
        }
    }
    for (prefix, ..) in EXIT {
        if !commands.iter().any(|c| c.starts_with(prefix)) {
            failures.push(format!("EXIT entry `{prefix}` matches no README command"));
        }
    }
    println!("{ran} README commands ran as written, {skipped} skipped with a reason");
    assert!(
        failures.is_empty(),
        "README commands that do not run as written:\n{}",
        failures.join("\n")
    );
}

#[test]
fn extraction_finds_blocks_joins_continuations_and_maps_cargo_run() {
    let text = "intro\n```sh\n# comment\ncargo run --release -p upi-conformance -- run\n\nupi-conformance rules \\\n  --format json   # trailing\n```\n```toml\nnot = \"a command\"\n```\n```sh\nupi-conformance messages\n```\n";
    assert_eq!(
        readme_commands(text),
        vec![
            "upi-conformance run".to_owned(),
            "upi-conformance rules --format json   # trailing".to_owned(),
            "upi-conformance messages".to_owned(),
        ]
    );
}

#[test]
fn the_runner_reports_a_failing_command_and_a_hung_one() {
    // The harness itself must see a broken command: a wrong exit code and a missing file.
    let dir = scratch("harness");
    let (code, stderr) = run(&dir, "upi-conformance validate --message no.such.message x.json").expect("finishes");
    assert_ne!(code, 0, "a command naming an unknown message must fail");
    assert!(!stderr.is_empty(), "the failing command explains itself on stderr");
    let (code, _) = run(&dir, "true | false").expect("finishes");
    assert_ne!(code, 0, "pipefail: a failing stage of a pipe fails the command");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn version_names_the_commit() {
    let out = Command::new(BIN).arg("--version").output().expect("runs");
    assert!(out.status.success());
    let version = String::from_utf8(out.stdout).expect("UTF-8");
    let head = Command::new("git")
        .args(["-C", env!("CARGO_MANIFEST_DIR"), "rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    let commit = match std::env::var("UPI_CONFORMANCE_COMMIT") {
        Ok(c) if !c.is_empty() => c,
        _ => head.unwrap_or_else(|| "unknown".to_owned()),
    };
    let expected = format!("upi-conformance {} (commit {commit})", env!("CARGO_PKG_VERSION"));
    assert_eq!(version.trim(), expected);
}

#[test]
fn build_script_falls_back_to_unknown_outside_git() {
    // "A build from a tarball must not fail": build.rs compiled on its own and run where no git
    // repository is (and with git off PATH) names the commit `unknown`; inside this checkout the
    // short HEAD; UPI_CONFORMANCE_COMMIT wins when it is a hex name, and is ignored otherwise.
    let tmp = std::env::temp_dir().join(format!("upi-buildrs-{}", std::process::id()));
    std::fs::create_dir_all(tmp.join("not-git")).expect("tmp");
    let exe = tmp.join("build-script");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let status = Command::new(rustc)
        .args(["--edition", "2024", "-o"])
        .arg(&exe)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("build.rs"))
        .status()
        .expect("rustc runs");
    assert!(status.success(), "build.rs compiles on its own");
    let commit_of = |dir: &Path, env: Option<&str>, path: Option<&str>| -> String {
        let mut cmd = Command::new(&exe);
        // No OUT_DIR: `cargo test` passes the crate's own to this process, and the script must
        // not overwrite the real table of embedded golden files with this directory's.
        cmd.env("CARGO_MANIFEST_DIR", dir)
            .env_remove("UPI_CONFORMANCE_COMMIT")
            .env_remove("OUT_DIR");
        if let Some(c) = env {
            cmd.env("UPI_CONFORMANCE_COMMIT", c);
        }
        if let Some(p) = path {
            cmd.env("PATH", p);
        }
        let out = cmd.output().expect("build script runs");
        assert!(out.status.success(), "the build script never fails");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.lines()
            .find_map(|l| l.strip_prefix("cargo:rustc-env=UPI_CONFORMANCE_COMMIT="))
            .expect("sets UPI_CONFORMANCE_COMMIT")
            .to_owned()
    };
    let not_git = tmp.join("not-git");
    assert_eq!(commit_of(&not_git, None, None), "unknown");
    assert_eq!(
        commit_of(Path::new(env!("CARGO_MANIFEST_DIR")), None, Some("/nonexistent")),
        "unknown"
    );
    assert_eq!(commit_of(&not_git, Some("abc1234"), None), "abc1234");
    assert_eq!(commit_of(&not_git, Some("not a commit"), None), "unknown");
    let _ = std::fs::remove_dir_all(&tmp);
}
