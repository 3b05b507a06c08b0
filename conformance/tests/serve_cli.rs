//! `upi-conformance serve`: the ready line, a live answer on the printed address, the fault
//! list, and a usage error for an unknown fault. The child is killed by its own handle.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
}

#[test]
fn serve_prints_one_ready_line_and_answers_there() {
    let mut child = bin()
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("ready line");
    let addr = line
        .trim_end()
        .strip_prefix("upi-reference-server listening on http://")
        .unwrap_or_else(|| panic!("unexpected ready line {line:?}"))
        .to_owned();

    let mut stream = TcpStream::connect(&addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        stream,
        "GET /sandbox/health HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    child.kill().expect("kill serve");
    let _ = child.wait();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with(r#"{"sandbox":"upi-reference-server"}"#), "{answer}");
}

#[test]
fn list_faults_prints_every_fault_once() {
    let out = bin().args(["serve", "--list-faults"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.lines().count(),
        upi_reference_server::Fault::ALL.len() + 2,
        "{text}"
    );
    assert!(text.lines().any(|l| l.starts_with("drop-payee-vpa  ")));
    assert!(text.lines().any(|l| l.starts_with("ignore-rule=RULE_ID  ")));
    assert!(text.lines().any(|l| l.starts_with("break-response-rule=RULE_ID  ")));
}

#[test]
fn an_unknown_fault_is_a_usage_error() {
    for fault in [
        "nonsense",
        "ignore-rule=no.such.rule",
        "break-response-rule=ec.txns.request.order_id.required",
    ] {
        let out = bin().args(["serve", "--fault", fault]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{fault}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--list-faults"));
    }
}

#[test]
fn list_readings_prints_every_reading_with_one_default_per_erratum() {
    let out = bin().args(["serve", "--list-readings"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for r in upi_spec::readings::all() {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(r.id))
            .unwrap_or_else(|| panic!("{} not listed:\n{text}", r.id));
        assert_eq!(line.contains(" default "), r.default, "{line}");
        assert!(line.starts_with(r.erratum), "{line}");
    }
}

#[test]
fn an_unknown_erratum_or_reading_exits_2_naming_the_valid_ones() {
    for (arg, named) in [
        ("E-999=x", "E-091"),
        ("E-091=maybe", "E-091/200-failed"),
        ("E-091", "ERRATUM=READING"),
        ("E-089=defaulted", "no TPAP endpoint"),
    ] {
        let out = bin()
            .args(["serve", "--addr", "127.0.0.1:0", "--reading", arg])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{arg}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(named), "{arg}: {stderr}");
    }
}

/// Starts `serve` with `extra` arguments on a free port; the child and its base URL.
fn serve(extra: &[&str]) -> (std::process::Child, String) {
    let mut child = bin()
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("ready line");
    let addr = line
        .trim_end()
        .strip_prefix("upi-reference-server listening on http://")
        .unwrap_or_else(|| panic!("unexpected ready line {line:?}"))
        .to_owned();
    (child, format!("http://{addr}"))
}

/// The strict sandbox refuses a request breaking only a `should` rule (the case passes); under
/// `serve --lenient` the same request is accepted, which the case reports as a warning naming
/// the rule, and `--strict` turns into a failing run.
#[test]
fn lenient_accepts_should_breaches_that_the_strict_sandbox_refuses() {
    let case = "reject.payu.payment.request.phone.format";
    let verdict = |url: &str, strict: bool| {
        let mut cmd = bin();
        cmd.args([
            "run", "--target", url, "--seed", "1", "--only", case, "--format", "json", "--quiet",
        ]);
        if strict {
            cmd.arg("--strict");
        }
        let out = cmd.output().expect("run");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
        let cases = report["cases"].as_array().expect("cases");
        let c = cases.iter().find(|c| c["id"] == case).expect("the case ran");
        (c["outcome"]["verdict"].as_str().unwrap().to_string(), out.status.code())
    };
    let (mut strict, url) = serve(&[]);
    let on_strict = verdict(&url, true);
    strict.kill().expect("kill serve");
    let _ = strict.wait();
    let (mut lenient, url) = serve(&["--lenient"]);
    let on_lenient = verdict(&url, false);
    let on_lenient_strict = verdict(&url, true);
    lenient.kill().expect("kill serve");
    let _ = lenient.wait();
    assert_eq!(on_strict, ("pass".to_string(), Some(0)));
    assert_eq!(on_lenient, ("warning".to_string(), Some(0)));
    assert_eq!(on_lenient_strict.1, Some(1), "--strict fails a run with a warning");
}

/// `serve --threads 3` starts two more serving threads besides the main one, and connections
/// dealt to each (in turn, one after another) are answered there, each on a connection of its
/// own; `--threads 0` is a usage error.
#[test]
fn threads_serve_the_connections_dealt_to_them() {
    let (mut child, url) = serve(&["--threads", "3"]);
    let addr = url.trim_start_matches("http://").to_owned();
    // Held open together, so no connection is answered by one that closed before it.
    let mut streams: Vec<TcpStream> = (0..6)
        .map(|_| {
            let stream = TcpStream::connect(&addr).expect("connect");
            stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            stream
        })
        .collect();
    let answers: Vec<String> = streams
        .iter_mut()
        .map(|stream| {
            // A failed write or read leaves the answer empty, which the assertion shows.
            let _ = write!(
                stream,
                "GET /sandbox/health HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
            );
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            answer
        })
        .collect();
    let named = serving_threads(child.id());
    child.kill().expect("kill serve");
    let _ = child.wait();
    for (n, answer) in answers.iter().enumerate() {
        assert!(answer.starts_with("HTTP/1.1 200"), "connection {n}: {answer:?}");
    }
    if cfg!(target_os = "linux") {
        assert_eq!(named, ["upi-serve-1", "upi-serve-2"], "the serving threads");
    }
    let out = bin().args(["serve", "--threads", "0"]).output().expect("serve");
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The names of the process's threads that serve beside its main one (Linux: /proc).
fn serving_threads(pid: u32) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("comm")).ok())
        .map(|name| name.trim_end().to_owned())
        .filter(|name| name.starts_with("upi-serve-"))
        .collect();
    names.sort();
    names
}
