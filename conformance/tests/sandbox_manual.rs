//! `run --sandbox manual`: the runner prints the payment to complete and waits for Enter. With
//! standard input closed the flow is skipped with the reason; with a person (this test) who sets
//! the printed callback URL, completes the printed txnid in the sandbox and presses Enter, the
//! flow proceeds and passes.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_upi-conformance");
const FLOW: &str = "flow.payu-intent.callback-verify-udf";

fn args() -> Vec<&'static str> {
    vec![
        "run",
        "--sandbox",
        "manual",
        "--only",
        FLOW,
        "--seed",
        "14",
        "--format",
        "json",
    ]
}

fn flow_outcome(stdout: &[u8]) -> serde_json::Value {
    let report: serde_json::Value = serde_json::from_slice(stdout).expect("a JSON report");
    let case = report["cases"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == FLOW))
        .expect("the flow is in the report");
    case["outcome"].clone()
}

#[test]
fn with_stdin_closed_the_flow_is_skipped_with_the_reason() {
    let out = Command::new(BIN).args(args()).stdin(Stdio::null()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("as success in your sandbox, then press Enter"),
        "{stderr}"
    );
    let outcome = flow_outcome(&out.stdout);
    assert_eq!(outcome["verdict"], "skipped", "{outcome}");
    let reason = outcome["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains("--sandbox manual") && reason.contains("standard input is closed"),
        "{reason}"
    );
}

#[test]
fn with_a_line_on_stdin_the_flow_proceeds_and_passes() {
    let mut child = Command::new(BIN)
        .args(args())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let http = reqwest::Client::new();
    let post = |url: String, form: &[(&str, &str)]| {
        runtime.block_on(async {
            let r = http.post(url).form(form).send().await.unwrap();
            (r.status().is_success(), r.text().await.unwrap_or_default())
        })
    };
    let (mut server, mut callback_url, mut seen) = (None, None, Vec::new());
    for line in stderr.lines() {
        let line = line.unwrap();
        seen.push(line.clone());
        if let Some(rest) = line.strip_prefix("upi-conformance: seed 14, target ") {
            server = rest.split_whitespace().next().map(str::to_string);
        } else if let Some(rest) = line.strip_prefix("upi-conformance: this run's S2S callback URL is ") {
            callback_url = rest.split(": set it").next().map(str::to_string);
        } else if let Some(rest) = line.strip_prefix("complete payment ") {
            // The person at the sandbox: the callback URL set, the payment completed, Enter.
            let txnid = rest.split_whitespace().next().unwrap();
            let server = server.as_deref().expect("the target line came first");
            let url = callback_url.as_deref().expect("the callback URL was printed first");
            let set = post(format!("{server}/sandbox/payu/callback-url"), &[("url", url)]);
            assert!(set.0, "{}", set.1);
            let done = post(
                format!("{server}/sandbox/payu/complete"),
                &[("txnid", txnid), ("status", "success")],
            );
            assert!(done.0, "{}", done.1);
            stdin.write_all(b"\n").unwrap();
            stdin.flush().unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    let outcome = flow_outcome(&out.stdout);
    assert_eq!(outcome["verdict"], "pass", "{outcome}\n{}", seen.join("\n"));
}
