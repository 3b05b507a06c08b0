//! Hostile targets (issue 13 items 1, 4, 5, 6): small servers on loopback that echo request
//! headers, send an endless or a 1 GB body, a gzip-encoded body, a 1e6-deep JSON array, dribble
//! headers at one byte per 200 ms, redirect everything, or listen on an IPv6 literal. Each run of
//! the CLI against one asserts the exit status, a bounded wall time (a liveness bound, far above
//! the expected time), the peak RSS of the child (`VmHWM` from `/proc/PID/status`; skipped with
//! a printed reason where that file does not exist) and the named finding in the JSON report.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SALT: &str = "upiConformanceTestSalt";
const API_KEY: &str = "test_api_key";
/// base64("test_api_key:"), the Basic credentials of the default config.
const BASIC: &str = "dGVzdF9hcGlfa2V5Og==";
const RSS_LIMIT_KB: u64 = 300 * 1024;
const WALL_LIMIT: Duration = Duration::from_secs(120);

/// Reads one request's head (and its body, by Content-Length); returns the header lines.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Vec<(String, String)>> {
    let mut headers = Vec::new();
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    if line.is_empty() {
        return None;
    }
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let len = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<u64>().ok())
        .unwrap_or(0);
    let mut body = Vec::new();
    reader.by_ref().take(len.min(64 << 20)).read_to_end(&mut body).ok()?;
    Some(headers)
}

/// Serves every connection on its own thread with `answer` (at most 200 connections).
/// How a hostile server answers one request.
type Answer = fn(&mut TcpStream, &[(String, String)]) -> std::io::Result<()>;

fn serve(listener: TcpListener, answer: Answer) {
    std::thread::spawn(move || {
        for stream in listener.incoming().take(200) {
            let Ok(stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut writer = stream.try_clone().expect("clone");
                let mut reader = BufReader::new(stream);
                for _ in 0..50 {
                    let Some(headers) = read_request(&mut reader) else {
                        return;
                    };
                    if answer(&mut writer, &headers).is_err() {
                        return;
                    }
                }
            });
        }
    });
}

fn start(answer: Answer) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    serve(listener, answer);
    url
}

struct Outcome {
    code: i32,
    report: String,
    stdout: String,
    stderr: String,
}

/// Runs `run --target URL` with a 1 s request timeout on three accepted ec-txns cases (and
/// their order setup), polling the child's peak RSS.
fn run_against(url: &str, only: &str, name: &str) -> Outcome {
    let dir = std::env::temp_dir().join(format!("upi-hostile-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let config = dir.join("config.toml");
    std::fs::write(&config, "[limits]\nrequest_timeout_ms = 1000\n").expect("config");
    let report: PathBuf = dir.join("r.json");
    let started = Instant::now();
    // UPI_HOSTILE_BIN runs the battery against another build (e.g. main, to see it fail).
    let bin = std::env::var("UPI_HOSTILE_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_upi-conformance").to_string());
    let mut child = Command::new(bin)
        .args(["run", "--seed", "1", "--target", url, "--only", only, "--config"])
        .arg(&config)
        .args(["--format", "json", "--output"])
        .arg(&report)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb: Option<u64> = None;
    let mut stdout = String::new();
    let mut stderr = String::new();
    let mut out_pipe = child.stdout.take().expect("stdout");
    let mut err_pipe = child.stderr.take().expect("stderr");
    let out_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out_pipe.read_to_string(&mut s);
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });
    let code = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file)
            && let Some(kb) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak_kb = Some(peak_kb.unwrap_or(0).max(kb));
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code().unwrap_or(-1);
        }
        if started.elapsed() > WALL_LIMIT {
            let _ = child.kill();
            panic!("{name}: run still going after {WALL_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    stdout.push_str(&out_thread.join().unwrap_or_default());
    stderr.push_str(&err_thread.join().unwrap_or_default());
    match peak_kb {
        Some(kb) => {
            eprintln!(
                "{name}: exit {code}, {:.1} s, peak RSS {} MB",
                started.elapsed().as_secs_f64(),
                kb / 1024
            );
            assert!(kb <= RSS_LIMIT_KB, "{name}: peak RSS {kb} kB over {RSS_LIMIT_KB} kB");
        }
        None => eprintln!("{name}: RSS not checked: {status_file} is not readable on this system"),
    }
    let report = std::fs::read_to_string(&report).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    Outcome {
        code,
        report,
        stdout,
        stderr,
    }
}

const ACCEPTED: &str = "accept.ec-txns.generated.*";

fn assert_no_secret(name: &str, o: &Outcome) {
    for (what, text) in [("report", &o.report), ("stdout", &o.stdout), ("stderr", &o.stderr)] {
        for secret in [SALT, API_KEY, BASIC, BASIC.trim_end_matches('=')] {
            assert!(!text.contains(secret), "{name}: {what} contains {secret}");
        }
    }
}

fn echo_headers(w: &mut TcpStream, headers: &[(String, String)]) -> std::io::Result<()> {
    let mut head = String::from("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n");
    for (k, v) in headers {
        head.push_str(&format!("x-echo-{k}: {v}\r\nx-salt-{k}: {SALT}\r\n"));
    }
    head.push_str("\r\n{}");
    w.write_all(head.as_bytes())
}

#[test]
fn echoed_headers_and_secrets_are_masked_and_judged() {
    let url = start(echo_headers);
    let o = run_against(&url, ACCEPTED, "echo");
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.report.contains("transport.no-secret-reflected"),
        "no reflection finding"
    );
    assert!(
        o.report.contains("header x-echo-authorization"),
        "the echoed Authorization is not named"
    );
    assert_no_secret("echo", &o);
}

fn endless(w: &mut TcpStream, _: &[(String, String)]) -> std::io::Result<()> {
    w.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n[")?;
    let chunk = vec![b' '; 64 * 1024];
    for _ in 0..(32 * 1024) {
        w.write_all(&chunk)?;
    }
    Err(std::io::Error::other("done"))
}

#[test]
fn an_endless_body_is_cut_at_the_cap() {
    let url = start(endless);
    let o = run_against(&url, ACCEPTED, "endless");
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.report.contains("transport.body-size"), "no body-size finding");
    assert!(o.report.len() < 2 << 20, "report of {} bytes", o.report.len());
}

fn gigabyte(w: &mut TcpStream, _: &[(String, String)]) -> std::io::Result<()> {
    w.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000000000\r\n\r\n")?;
    let chunk = vec![b'0'; 64 * 1024];
    for _ in 0..(1_000_000_000 / chunk.len()) {
        w.write_all(&chunk)?;
    }
    Ok(())
}

#[test]
fn a_gigabyte_body_is_cut_at_the_cap() {
    let url = start(gigabyte);
    let o = run_against(&url, ACCEPTED, "gigabyte");
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.report.contains("transport.body-size"), "no body-size finding");
    assert!(o.report.contains("\"response_sha256\""), "no digest in the report");
}

fn gzip(w: &mut TcpStream, _: &[(String, String)]) -> std::io::Result<()> {
    // A gzip member header and compressed-looking bytes: the runner must not decode it, and
    // must say it is gzip rather than "not valid UTF-8".
    let mut body = vec![0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03];
    body.extend((0..10_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    w.write_all(
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    )?;
    w.write_all(&body)
}

#[test]
fn a_gzip_body_is_refused_naming_its_encoding() {
    let url = start(gzip);
    let o = run_against(&url, ACCEPTED, "gzip");
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.report.contains("Content-Encoding: gzip"), "the encoding is not named");
}

fn deep_json(w: &mut TcpStream, _: &[(String, String)]) -> std::io::Result<()> {
    let depth = 1_000_000;
    let mut body = vec![b'['; depth];
    body.extend(std::iter::repeat_n(b']', depth));
    w.write_all(
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    )?;
    w.write_all(&body)
}

#[test]
fn a_million_deep_json_body_is_a_finding_not_a_crash() {
    let url = start(deep_json);
    let o = run_against(&url, ACCEPTED, "deep-json");
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.report.contains("ec.orders.response") || o.report.contains("ec.txns.response"),
        "no response finding"
    );
}

fn dribble(w: &mut TcpStream, _: &[(String, String)]) -> std::io::Result<()> {
    w.write_all(b"HTTP/1.1 200 OK\r\n")?;
    for _ in 0..3_000 {
        w.write_all(b"x")?;
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(std::io::Error::other("done"))
}

#[test]
fn dribbled_headers_time_out_per_request() {
    let url = start(dribble);
    let started = Instant::now();
    let o = run_against(&url, ACCEPTED, "dribble");
    // 1 s per request, a few requests: a header dribble must not hold the run for minutes.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.report.contains("transport.timeout") || o.report.contains("did not create"),
        "no timeout finding"
    );
}

fn redirect(w: &mut TcpStream, _: &[(String, String)]) -> std::io::Result<()> {
    w.write_all(b"HTTP/1.1 302 Found\r\nlocation: http://elsewhere.invalid/\r\ncontent-length: 0\r\n\r\n")
}

#[test]
fn a_redirect_is_reported_as_one() {
    let url = start(redirect);
    let o = run_against(&url, "reject.payu.payment.request.pg.*", "redirect");
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.report.contains("redirected a request that breaks"),
        "{}",
        &o.report[..o.report.len().min(4000)]
    );
    assert!(
        !o.report.contains("the target accepted a request"),
        "a redirect reported as accepted"
    );
}

#[test]
fn an_ipv6_literal_target_is_reachable() {
    let Ok(listener) = TcpListener::bind("[::1]:0") else {
        eprintln!("skipped: no IPv6 loopback on this system");
        return;
    };
    let port = listener.local_addr().expect("addr").port();
    serve(listener, redirect);
    let o = run_against(
        &format!("http://[::1]:{port}"),
        "reject.payu.payment.request.pg.*",
        "ipv6",
    );
    assert_ne!(o.code, 3, "IPv6 literal reported unreachable: {}", o.stderr);
    assert_eq!(o.code, 1, "{}", o.stderr);
}

#[test]
fn every_report_format_is_free_of_secrets() {
    let url = start(echo_headers);
    let dir = std::env::temp_dir().join(format!("upi-hostile-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
        .args(["run", "--seed", "1", "--target", &url, "--only", ACCEPTED, "--verbose"])
        .args(["--report", &format!("json={}", dir.join("r.json").display())])
        .args(["--report", &format!("html={}", dir.join("r.html").display())])
        .args(["--report", &format!("junit={}", dir.join("r.xml").display())])
        .args(["--report", &format!("text={}", dir.join("r.txt").display())])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let mut texts = vec![
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ];
    for entry in walk(&dir) {
        texts.push(String::from_utf8_lossy(&std::fs::read(&entry).expect("read")).into_owned());
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(texts.len() >= 7, "reports and scripts written: {}", texts.len());
    for t in &texts {
        for secret in [SALT, API_KEY, BASIC, BASIC.trim_end_matches('=')] {
            assert!(!t.contains(secret), "an output contains {secret}");
        }
    }
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn out_of_range_limits_and_missing_secret_variables_exit_2() {
    let dir = std::env::temp_dir().join(format!("upi-hostile-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (text, named) in [
        ("[limits]\ngenerated_per_message = 1000000\n", "generated_per_message"),
        ("[limits]\nrequest_timeout_ms = 0\n", "request_timeout_ms"),
        ("[limits]\nmax_response_bytes = 0\n", "max_response_bytes"),
        (
            "[payu]\nsalt_env = \"UPI_TEST_SURELY_UNSET_VAR\"\n",
            "UPI_TEST_SURELY_UNSET_VAR",
        ),
    ] {
        let config = dir.join("c.toml");
        std::fs::write(&config, text).expect("config");
        let out = Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
            .args(["run", "--target", "http://127.0.0.1:9", "--config"])
            .arg(&config)
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text}: {stderr}");
        assert!(stderr.contains(named), "{text}: {stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

type Recorded = (String, Option<String>, Option<String>, Vec<u8>);
static RECORDED: std::sync::Mutex<Vec<Recorded>> = std::sync::Mutex::new(Vec::new());

/// Records (request line, Authorization, Content-Type, body) of every request; answers 400.
fn record(listener: TcpListener) {
    std::thread::spawn(move || {
        for stream in listener.incoming().take(100).flatten() {
            let mut writer = stream.try_clone().expect("clone");
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() || line.is_empty() {
                continue;
            }
            let (mut auth, mut ctype, mut len) = (None, None, 0usize);
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim_end().is_empty() {
                    break;
                }
                if let Some((k, v)) = h.trim_end().split_once(':') {
                    match k.to_ascii_lowercase().as_str() {
                        "authorization" => auth = Some(v.trim().to_string()),
                        "content-type" => ctype = Some(v.trim().to_string()),
                        "content-length" => len = v.trim().parse().unwrap_or(0),
                        _ => {}
                    }
                }
            }
            let mut body = vec![0; len.min(1 << 20)];
            let _ = reader.read_exact(&mut body);
            RECORDED
                .lock()
                .expect("lock")
                .push((line.trim_end().to_string(), auth, ctype, body));
            let _ = writer.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}");
        }
    });
}

#[test]
fn the_reproducer_script_resends_the_exact_bytes() {
    if Command::new("curl").arg("--version").output().is_err() {
        eprintln!("skipped: no curl on PATH");
        return;
    }
    // A PayU form with its hash kept verbatim, and an EC order with Basic credentials that the
    // script rebuilds from UPI_EC_API_KEY.
    for only in ["accept.payu-intent.generated.0", "accept.ec-txns.generated.0"] {
        replay_case(only);
    }
}

fn replay_case(only: &str) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    record(listener);
    let dir = std::env::temp_dir().join(format!("upi-hostile-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let report = dir.join("r.json");
    let out = Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
        .args(["run", "--seed", "1", "--target", &url, "--only", only])
        .args(["--report", &format!("json={}", report.display())])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let sent: Vec<Recorded> = RECORDED
        .lock()
        .expect("lock")
        .drain(..)
        .filter(|r| !r.0.contains("/sandbox/"))
        .collect();
    assert!(!sent.is_empty());
    if only.contains("ec-txns") {
        assert!(
            sent.iter().any(|r| r.1.as_deref() == Some(&format!("Basic {BASIC}"))),
            "{sent:?}"
        );
    }
    let script = walk(&dir)
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "sh"))
        .expect("a script");
    let replay = Command::new("sh")
        .arg(&script)
        .env("UPI_EC_API_KEY", API_KEY)
        .env("UPI_PAYU_SALT", SALT)
        .output()
        .expect("sh");
    assert!(replay.status.success(), "{}", String::from_utf8_lossy(&replay.stderr));
    let resent: Vec<Recorded> = RECORDED.lock().expect("lock").drain(..).collect();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(resent, sent, "the script does not re-send the same requests");
}
