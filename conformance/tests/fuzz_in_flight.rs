//! `fuzz`'s default of cases in flight per worker: 8 against a separate target (a worker
//! prepares the next case while the server answers), 1 against the embedded server (which
//! shares the process's cores); `--in-flight` overrides either. The banner on stderr says
//! which was used.

use std::process::Command;

use upi_reference_server::{ServerConfig, spawn};

const BIN: &str = env!("CARGO_BIN_EXE_upi-conformance");

/// The `N cases in flight each` of the banner of `fuzz ARGS` (a short EC run).
fn in_flight(args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args([
            "fuzz",
            "--suite",
            "ec-txns",
            "--cases",
            "4",
            "--workers",
            "1",
            "--seed",
            "1",
            "--quiet",
        ])
        .args(args)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{stderr}");
    stderr
        .split(", ")
        .find(|part| part.ends_with("cases in flight each"))
        .unwrap_or_else(|| panic!("no in-flight figure in {stderr}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_separate_target_gets_eight_in_flight_and_the_embedded_server_one() {
    let server = spawn(ServerConfig::test_defaults()).await.unwrap();
    let base = server.base_url();
    let rows = tokio::task::spawn_blocking(move || {
        [
            in_flight(&["--target", &base]),
            in_flight(&["--target", &base, "--in-flight", "2"]),
            in_flight(&[]),
            in_flight(&["--in-flight", "3"]),
        ]
    })
    .await
    .unwrap();
    assert_eq!(
        rows,
        [
            "8 cases in flight each",
            "2 cases in flight each",
            "1 cases in flight each",
            "3 cases in flight each"
        ]
    );
    server.shutdown().await.unwrap();
}
