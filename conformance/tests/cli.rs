//! The CLI, driven by the data in `golden/cli/*.json`: each case runs the binary with its
//! arguments and input and checks the exit code and what it prints. No case may panic.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    args: Vec<String>,
    #[serde(default)]
    stdin: Option<String>,
    #[serde(default)]
    stdin_hex: Option<String>,
    #[serde(default)]
    stdin_repeat: Option<Repeat>,
    #[serde(default)]
    stdin_json_patch: Option<Patch>,
    exit: i32,
    #[serde(default)]
    stdout: Vec<String>,
    #[serde(default)]
    stderr: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Repeat {
    text: String,
    times: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Patch {
    base: String,
    set: serde_json::Map<String, Value>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn stdin_of(case: &Case) -> Vec<u8> {
    if let Some(s) = &case.stdin {
        return s.clone().into_bytes();
    }
    if let Some(h) = &case.stdin_hex {
        return (0..h.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
            .collect();
    }
    if let Some(r) = &case.stdin_repeat {
        return r.text.repeat(r.times).into_bytes();
    }
    if let Some(p) = &case.stdin_json_patch {
        let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(root().join(&p.base)).unwrap()).unwrap();
        for (k, v) in &p.set {
            doc[k] = v.clone();
        }
        return serde_json::to_vec(&doc).unwrap();
    }
    Vec::new()
}

/// Runs every case of every file under `golden/cli/`.
#[test]
fn cli_cases() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("golden/cli"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "json")) {
        let cases: Vec<Case> = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        for case in cases {
            count += 1;
            let mut child = Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
                .args(&case.args)
                .current_dir(root())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let input = stdin_of(&case);
            let mut pipe = child.stdin.take().unwrap();
            let writer = std::thread::spawn(move || {
                let _ = pipe.write_all(&input);
            });
            let out = child.wait_with_output().unwrap();
            writer.join().unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let code = out.status.code().unwrap_or(-1);
            let mut problems = Vec::new();
            if code != case.exit {
                problems.push(format!("exit {code}, expected {}", case.exit));
            }
            for want in &case.stdout {
                if !stdout.contains(want.as_str()) {
                    problems.push(format!("stdout lacks {want:?}"));
                }
            }
            for want in &case.stderr {
                if !stderr.contains(want.as_str()) {
                    problems.push(format!("stderr lacks {want:?}"));
                }
            }
            if stderr.contains("panicked") {
                problems.push("panicked".into());
            }
            if !problems.is_empty() {
                failures.push(format!(
                    "{} ({}): {}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
                    case.name,
                    file.display(),
                    problems.join("; ")
                ));
            }
        }
    }
    assert!(count > 0, "no CLI cases found");
    assert!(
        failures.is_empty(),
        "{} of {count} CLI cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
