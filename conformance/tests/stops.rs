//! How `run` and `fuzz` stop early, against loopback targets started here: Ctrl-C (SIGINT)
//! writes the partial reports in every requested format and exits 130; `--fail-fast` and
//! `--max-failures` stop starting cases; a target that stops answering is reported once
//! (`transport.timeout`) with the rest skipped; a prerequisite that could not be created is
//! reported once, with its real cause, and the cases that needed it are skipped.
#![cfg(unix)]

use std::io::{Read, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_upi-conformance");

/// How the loopback target answers every request.
#[derive(Clone, Copy)]
enum Target {
    /// After a delay, with this status and an empty body.
    Answer { delay_ms: u64, status: u16 },
    /// Never: reads the request and holds the connection open.
    Silent,
}

/// Starts a loopback HTTP target on a free port; returns its base URL.
fn start(target: Target) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream, target));
        }
    });
    url
}

fn serve(mut stream: TcpStream, target: Target) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    loop {
        // Read one request: the head, then as much body as arrives.
        let mut buf = Vec::new();
        let mut chunk = [0u8; 8192];
        loop {
            match stream.read(&mut chunk) {
                Ok(0) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                Err(_) if !buf.is_empty() => break,
                Err(_) => continue,
            }
            if head_and_body_read(&buf) {
                break;
            }
        }
        match target {
            Target::Silent => {
                std::thread::sleep(Duration::from_secs(120));
                return;
            }
            Target::Answer { delay_ms, status } => {
                std::thread::sleep(Duration::from_millis(delay_ms));
                let head = format!("HTTP/1.1 {status} Test\r\ncontent-length: 0\r\nconnection: keep-alive\r\n\r\n");
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
            }
        }
    }
}

fn head_and_body_read(buf: &[u8]) -> bool {
    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    buf.len() >= end + 4 + length
}

/// Reads `pipe` to its end on a thread of its own.
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// Waits for `child` at most `limit`, killing it past that. Its piped output is read while it
/// runs: a report larger than a pipe's buffer would otherwise block the child's last write.
fn wait_bounded(mut child: Child, limit: Duration) -> Output {
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("the process did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: stdout.join().expect("stdout read"),
        stderr: stderr.join().expect("stderr read"),
    }
}

fn sigint(child: &Child) {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

fn run(args: &[&str]) -> Output {
    let child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    wait_bounded(child, Duration::from_secs(120))
}

fn json_report(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("the JSON report parses")
}

fn cases(report: &Value) -> &Vec<Value> {
    report["cases"].as_array().expect("cases")
}

fn verdict(case: &Value) -> &str {
    case["outcome"]["verdict"].as_str().unwrap_or_default()
}

fn reason(case: &Value) -> &str {
    case["outcome"]["reason"].as_str().unwrap_or_default()
}

#[test]
fn sigint_writes_the_partial_report_in_every_format_and_exits_130() {
    let url = start(Target::Answer {
        delay_ms: 300,
        status: 404,
    });
    let dir = tempfile_dir("sigint");
    let (json, junit, html, text) = (
        dir.join("r.json"),
        dir.join("r.xml"),
        dir.join("r.html"),
        dir.join("r.txt"),
    );
    let child = Command::new(BIN)
        .args([
            "run", "--target", &url, "--seed", "1", "--jobs", "1", "--quiet", "--format", "json",
        ])
        .arg("--output")
        .arg(&json)
        .arg("--report")
        .arg(format!("junit={}", junit.display()))
        .arg("--report")
        .arg(format!("html={}", html.display()))
        .arg("--report")
        .arg(format!("text={}", text.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // About ten cases finish (one request every 300 ms, one case at a time) before Ctrl-C.
    std::thread::sleep(Duration::from_secs(4));
    sigint(&child);
    let out = wait_bounded(child, Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");

    let report = json_report(&json);
    assert_eq!(report["interrupted"], Value::Bool(true));
    let not_run = report["not_run"].as_u64().expect("not_run");
    assert!(not_run > 0, "Ctrl-C after 4 s leaves cases not run");
    assert_eq!(report["totals"]["cases"].as_u64(), Some(cases(&report).len() as u64));
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/run-report.schema.json"))
            .expect("schema"),
    )
    .expect("schema parses");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&report).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");

    let xml = std::fs::read_to_string(&junit).expect("junit written");
    let suites = junit_parser::from_reader(std::io::Cursor::new(xml.as_bytes())).expect("JUnit parses");
    let tests: u64 = suites.suites.iter().map(|s| s.tests).sum();
    assert_eq!(tests, cases(&report).len() as u64, "JUnit holds the finished cases");
    for s in &suites.suites {
        assert_eq!(
            s.properties.hashmap.get("interrupted").map(String::as_str),
            Some("true"),
            "suite {}",
            s.name
        );
    }
    let page = std::fs::read_to_string(&html).expect("html written");
    assert!(
        page.contains("id=\"interrupted\""),
        "the HTML report says it was interrupted"
    );
    let summary = std::fs::read_to_string(&text).expect("text written");
    assert!(summary.contains("INTERRUPTED"), "{summary}");
}

#[test]
fn sigint_ends_fuzz_with_the_findings_so_far_and_exits_130() {
    let url = start(Target::Answer {
        delay_ms: 100,
        status: 200,
    });
    let dir = tempfile_dir("fuzz-sigint");
    let child = Command::new(BIN)
        .args([
            "fuzz",
            "--target",
            &url,
            "--seed",
            "1",
            "--duration",
            "60s",
            "--quiet",
            "--format",
            "json",
        ])
        .arg("--output")
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    std::thread::sleep(Duration::from_secs(4));
    sigint(&child);
    let out = wait_bounded(child, Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).expect("the fuzz report parses");
    assert_eq!(report["interrupted"], Value::Bool(true));
    assert!(report["cases"].as_u64().unwrap_or(0) > 0, "cases ran before Ctrl-C");
    // An HTTP 200 with an empty body to every request breaks rules: findings exist, and each is
    // written before the exit.
    let findings = report["findings"].as_array().expect("findings").len();
    assert!(findings > 0, "{report}");
    let written = std::fs::read_dir(&dir).expect("output dir").count();
    assert_eq!(written, findings);
}

#[test]
fn an_unresponsive_target_is_one_timeout_finding_and_the_rest_skipped() {
    let url = start(Target::Silent);
    let dir = tempfile_dir("silent");
    let json = dir.join("r.json");
    let out = run(&[
        "run",
        "--target",
        &url,
        "--seed",
        "1",
        "--quiet",
        "--format",
        "json",
        "--output",
        json.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report = json_report(&json);
    let all = cases(&report);
    let with_findings: Vec<&Value> = all
        .iter()
        .filter(|c| !c["findings"].as_array().expect("findings").is_empty())
        .collect();
    assert_eq!(
        with_findings.len(),
        1,
        "one case reports the timeouts: {with_findings:#?}"
    );
    let findings = with_findings[0]["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["rule"], "transport.timeout");
    let message = findings[0]["message"].as_str().expect("message");
    assert!(
        message.contains("requests to") && message.contains("in a row"),
        "{message}"
    );
    let others: Vec<&Value> = all.iter().filter(|c| verdict(c) != "fail").collect();
    assert_eq!(others.len(), all.len() - 1);
    assert!(
        others.iter().all(|c| verdict(c) == "skipped"),
        "every other case is skipped"
    );
    let not_answering = others
        .iter()
        .filter(|c| reason(c).starts_with("target not answering"))
        .count();
    assert!(
        not_answering * 10 >= others.len() * 8,
        "most are skipped as not answering ({not_answering} of {})",
        others.len()
    );
}

#[test]
fn a_failed_prerequisite_is_reported_once_with_its_cause() {
    let url = start(Target::Answer {
        delay_ms: 0,
        status: 500,
    });
    let dir = tempfile_dir("prereq");
    let json = dir.join("r.json");
    let out = run(&[
        "run",
        "--target",
        &url,
        "--suite",
        "ec-txns",
        "--seed",
        "1",
        "--quiet",
        "--format",
        "json",
        "--output",
        json.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report = json_report(&json);
    let all = cases(&report);
    let reporters: Vec<&Value> = all
        .iter()
        .flat_map(|c| c["findings"].as_array().expect("findings"))
        .filter(|f| {
            f["message"]
                .as_str()
                .unwrap_or_default()
                .contains("did not create the order")
        })
        .collect();
    assert_eq!(reporters.len(), 1, "reported once: {reporters:#?}");
    assert_eq!(reporters[0]["rule"], "transport.no-server-error", "the real cause");
    let skipped = all
        .iter()
        .filter(|c| verdict(c) == "skipped" && reason(c).starts_with("prerequisite failed: POST /orders"))
        .count();
    assert!(skipped >= 5, "the cases that needed an order are skipped ({skipped})");
}

#[test]
fn fail_fast_and_max_failures_stop_starting_cases() {
    for (flag, fails) in [(&["--fail-fast"][..], 1usize), (&["--max-failures", "2"][..], 2)] {
        let dir = tempfile_dir("fail-fast");
        let json = dir.join("r.json");
        let mut args = vec![
            "run",
            "--fault",
            "skip-jws-verification",
            "--seed",
            "1",
            "--jobs",
            "1",
            "--quiet",
            "--format",
            "json",
            "--output",
            json.to_str().expect("utf-8 path"),
        ];
        args.extend_from_slice(flag);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        let report = json_report(&json);
        let all = cases(&report);
        let failed: Vec<usize> = (0..all.len()).filter(|&i| verdict(&all[i]) == "fail").collect();
        assert_eq!(failed.len(), fails, "{flag:?}");
        let expected_reason = if fails == 1 {
            "fail-fast"
        } else {
            "max-failures 2 reached"
        };
        // One case at a time: every case after the last failure was held back.
        let last = *failed.last().expect("a failure");
        assert!(last + 1 < all.len(), "cases remain after the limit");
        for c in &all[last + 1..] {
            assert_eq!(reason(c), expected_reason, "{}", c["id"]);
        }
        assert!(
            all[..last].iter().all(|c| reason(c) != expected_reason),
            "nothing before the limit is held back"
        );
    }
}

/// A fresh directory under the target directory for one test's files.
fn tempfile_dir(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("stops-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
