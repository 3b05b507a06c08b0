//! `upi-conformance serve --addr 127.0.0.1:0` in one process and `run --target` against it give
//! the same verdicts, case by case, as `run` against the embedded reference server.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn verdicts(args: &[&str]) -> BTreeMap<String, String> {
    let out = Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(0),
        "run {args:?} exited {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["outcome"]["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn standalone_server_and_embedded_server_give_the_same_verdicts() {
    let mut server = Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("upi-reference-server listening on ")
        .expect("the ready line")
        .to_string();
    let standalone = verdicts(&["run", "--target", &url, "--seed", "11", "--format", "json"]);
    server.kill().unwrap();
    let _ = server.wait();
    let embedded = verdicts(&["run", "--seed", "11", "--format", "json"]);
    assert!(embedded.len() > 300, "{} cases", embedded.len());
    assert_eq!(standalone, embedded);
}
