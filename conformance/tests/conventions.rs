//! CLI conventions: every subcommand's `--help` ends with examples and exit codes, the output
//! flag is `--output` everywhere (the old `--out` kept as a hidden alias), `audit --output`,
//! `replay --format`, and the baseline round trip of `run --write-expect`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("upi-conformance-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The subcommands listed under `Commands:` in a help text (without `help`).
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_subcommand_help_has_examples_and_exit_codes() {
    let mut queue: Vec<Vec<String>> = vec![vec![]];
    let mut checked = 0;
    let mut missing = Vec::new();
    while let Some(path) = queue.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let out = cli(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let help = String::from_utf8(out.stdout).unwrap();
        checked += 1;
        for section in ["\nExamples:\n  upi-conformance", "\nExit codes:\n  0 "] {
            if !help.contains(section) {
                missing.push(format!("`{}` lacks {section:?}", args.join(" ")));
            }
        }
        for sub in subcommands(&help) {
            let mut next = path.clone();
            next.push(sub);
            queue.push(next);
        }
    }
    assert!(checked > 25, "only {checked} help pages walked");
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn output_is_the_flag_name_and_out_a_hidden_alias() {
    for cmd in ["fuzz", "schemas", "openapi", "man"] {
        let help = String::from_utf8(cli(&[cmd, "--help"]).stdout).unwrap();
        assert!(help.contains("--output"), "{cmd} --help lacks --output");
        assert!(!help.contains("--out "), "{cmd} --help still shows --out");
    }
    let dir = temp_dir("out-alias");
    let out = cli(&["man", "--out", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.join("upi-conformance.1").is_file(), "--out alias wrote nothing");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn audit_writes_its_report_to_output() {
    let dir = temp_dir("audit-output");
    let path = dir.join("audit.xml");
    let out = cli(&[
        "audit",
        "golden/audit/ec-txns.har",
        "--format",
        "junit",
        "--output",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "the report also went to stdout");
    let xml = std::fs::read_to_string(&path).unwrap();
    assert!(xml.contains("<testsuites") && xml.contains("ec.txns.request.payment_method_type.const"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn replay_speaks_json() {
    let dir = temp_dir("replay-format");
    let out = cli(&[
        "fuzz",
        "--fault",
        "accept-wrong-payu-hash",
        "--suite",
        "payu-intent",
        "--cases",
        "300",
        "--seed",
        "1",
        "--workers",
        "2",
        "--output",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("a reproducer");
    let out = cli(&[
        "replay",
        file.to_str().unwrap(),
        "--fault",
        "accept-wrong-payu-hash",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["reproduced"], true);
    let out = cli(&["replay", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "the fixed server still reproduces it");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["reproduced"], false);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn write_expect_round_trip() {
    let dir = temp_dir("write-expect");
    let file = dir.join("expect.toml");
    let f = file.to_str().unwrap();
    let base = [
        "run",
        "--fault",
        "accept-long-merchant-request-id",
        "--seed",
        "3",
        "--only",
        "reject.*merchantRequestId.max-length",
    ];
    let with = |extra: &[&str]| cli(&[&base[..], extra].concat());

    let out = with(&["--write-expect", f]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the failures still fail the run that writes the baseline"
    );
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written.matches("[[expect]]").count(), 4, "{written}");
    assert!(written.contains("case = \"reject.merchant.register-intent.v3.request.merchantRequestId.max-length\""));

    let out = with(&["--expect", f]);
    assert_eq!(out.status.code(), Some(2), "an unfilled placeholder is refused");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = written.lines().position(|l| l.contains("FILL IN")).unwrap() + 1;
    assert!(stderr.contains(&format!("expect.toml:{line}:")), "{stderr}");

    std::fs::write(
        &file,
        written.replace("FILL IN: why this case is expected to fail", "tracked as BUG-1"),
    )
    .unwrap();
    let out = with(&["--expect", f]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("4 expected failures"));

    // Rewriting the baseline keeps the reasons already given.
    let out = with(&["--expect", f, "--write-expect", f]);
    assert_eq!(out.status.code(), Some(0));
    let rewritten = std::fs::read_to_string(&file).unwrap();
    assert_eq!(rewritten.matches("tracked as BUG-1").count(), 4, "{rewritten}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Colours: forced on (`CLICOLOR_FORCE=1`) the failing run's report has ANSI escapes, so the
/// other two runs show that a pipe and `NO_COLOR` turn them off, not that there are none.
#[test]
fn colours_only_where_wanted() {
    let args = [
        "run",
        "--fault",
        "accept-long-merchant-request-id",
        "--seed",
        "3",
        "--only",
        "reject.*merchantRequestId.max-length",
        "--quiet",
    ];
    let run = |env: &[(&str, &str)]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_upi-conformance"));
        cmd.args(args)
            .current_dir(root())
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (forced, _) = run(&[("CLICOLOR_FORCE", "1")]);
    assert!(
        forced.contains("\u{1b}[") && forced.contains("FAIL reject."),
        "no colours when forced: {forced}"
    );
    let (piped, piped_err) = run(&[]);
    assert!(
        !piped.contains('\u{1b}') && !piped_err.contains('\u{1b}'),
        "escapes in a pipe"
    );
    assert!(piped.contains("FAIL reject."));
    let (no_color, no_color_err) = run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(
        !no_color.contains('\u{1b}') && !no_color_err.contains('\u{1b}'),
        "escapes despite NO_COLOR"
    );
}

/// Without a terminal, `run` prints the seed and routes and one progress line per finished
/// suite on stderr; `--quiet` prints none of them.
#[test]
fn progress_lines_per_suite_and_quiet() {
    let out = cli(&["run", "--seed", "3", "--suite", "ec-txns,payu-intent"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(" done: ")).collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("upi-conformance: suite ec-txns done: ") && l.contains(" 0 failed"))
    );
    assert!(stderr.contains("upi-conformance: seed 3, target "), "{stderr}");
    assert!(stderr.contains("upi-conformance: routes: "), "{stderr}");
    let out = cli(&["run", "--seed", "3", "--suite", "ec-txns,payu-intent", "--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    // Quiet means no informational line at all: no progress, no seed, routes or sandbox line.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim(), "", "{stderr}");
}
