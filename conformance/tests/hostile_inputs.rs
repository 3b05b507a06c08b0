//! Hostile inputs to the commands outside the runner (issue 13 items 2, 4 and 6): endless
//! files, a 60 MB HAR, a shell-injecting HAR URL, control characters, weak keys, duplicate
//! kids and JWS members, a wrapping `--max-bytes`. Each run asserts its exit status and is
//! bounded in wall time by the watchdog of `hostile_support`; the HAR run also in peak RSS.

mod hostile_support;

use std::fmt::Write as _;
use std::path::Path;

use hostile_support::{EXPONENT_3_PUBLIC, key, run, run_in, scratch};

/// Every command that reads a file or standard input, pointed at `/dev/zero`: each stops at its
/// cap and says so (before the fix, each read until out of memory).
#[test]
fn endless_inputs_are_cut_at_their_cap() {
    if !Path::new("/dev/zero").exists() {
        eprintln!("skipped: no /dev/zero on this system");
        return;
    }
    let private = key("merchant_signing.pem");
    let public = key("merchant_signing.pub.pem");
    let kid_key = format!("k={public}");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "sign",
                "jws",
                "--key",
                &private,
                "--kid",
                "k",
                "--payload-file",
                "/dev/zero",
            ],
            "over the limit of 8388608 bytes",
        ),
        (
            vec!["sign", "signature-payload", "--key", "/dev/zero"],
            "over the limit of 65536 bytes",
        ),
        (
            vec!["verify", "jws", "--key", &kid_key, "--body-file", "/dev/zero"],
            "over the limit of 8388608 bytes",
        ),
        (
            vec![
                "verify",
                "response-signature",
                "--key",
                &public,
                "--signature",
                "x",
                "--body-file",
                "/dev/zero",
            ],
            "over the limit of 8388608 bytes",
        ),
        (
            vec!["hash", "payu-request", "--fields-file", "/dev/zero", "--salt", "s"],
            "over the limit of 8388608 bytes",
        ),
        (
            vec!["hash", "payu-request", "--field", "key=k", "--salt-file", "/dev/zero"],
            "over the limit of 65536 bytes",
        ),
        (vec!["audit", "/dev/zero"], "over the limit of 67108864 bytes"),
        (vec!["audit", "--kind", "har", "/dev/zero"], "invalid JSON"),
        (
            vec!["validate", "--message", "ec.orders.request", "/dev/zero"],
            "over the limit of 1048576 bytes",
        ),
    ];
    for (args, expected) in cases {
        let run = run(&args, b"");
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.all());
        assert!(
            run.stderr.contains(expected),
            "{args:?}: expected {expected:?} in {}",
            run.stderr
        );
        if let Some(kb) = run.peak_rss_kb {
            assert!(kb < 300 * 1024, "{args:?} peaked at {kb} kB");
        }
    }
}

/// The 64 MiB cap of standard input too.
#[test]
fn standard_input_is_capped() {
    let big = vec![b'a'; (8 << 20) + 10];
    let run = run(
        &["sign", "signature-payload", "--key", &key("merchant_signing.pem")],
        &big,
    );
    assert_eq!(run.code, Some(2), "{}", run.all());
    assert!(run.stderr.contains("standard input") && run.stderr.contains("over the limit of 8388608 bytes"));
}

/// A HAR of about 60 MB of small objects (what made the old reader hold a 1.5 GB tree) is
/// streamed: peak RSS stays under 300 MB, and the one matching entry is still judged.
#[test]
fn a_large_har_is_streamed_in_bounded_memory() {
    let dir = scratch("large-har");
    let path = dir.join("large.har");
    let mut har = String::with_capacity(62 << 20);
    har.push_str(r#"{"log":{"version":"1.2","entries":["#);
    let headers: String = (0..60)
        .map(|i| format!(r#"{{"name":"x-h{i}","value":"v{i}"}}"#))
        .collect::<Vec<_>>()
        .join(",");
    let mut n = 0;
    while har.len() < 60 << 20 {
        write!(
            har,
            r#"{{"request":{{"method":"GET","url":"https://cdn.example/static/{n}.js","headers":[{headers}]}},"response":{{"status":200,"content":{{"text":""}}}}}},"#
        )
        .unwrap();
        n += 1;
    }
    har.push_str(r#"{"request":{"method":"POST","url":"https://api.juspay.in/txns","postData":{"text":"order_id=1"}},"response":{"status":200,"content":{"text":"{}"}}}]}}"#);
    std::fs::write(&path, &har).unwrap();
    drop(har);
    let run = run(&["audit", "--format", "json", &path.display().to_string()], b"");
    // The one entry with a model breaks must rules: exit 1, and it is the only case.
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let cases = report["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 1, "{n} unmatched entries and one /txns");
    assert_eq!(cases[0]["id"], format!("audit.har.{n}.ec.txns.request"));
    eprintln!(
        "audit of a {} MB HAR: {:?}, peak RSS {:?} kB",
        (60 << 20) >> 20,
        run.wall,
        run.peak_rss_kb
    );
    match run.peak_rss_kb {
        Some(kb) => assert!(kb <= 300 * 1024, "audit of a 60 MB HAR peaked at {kb} kB"),
        None => eprintln!("peak RSS not checked: no /proc/PID/status here"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A HAR URL that closes the curl line's quote cannot run a command when the line is pasted,
/// and no raw control character of the capture reaches the text report.
#[test]
fn audit_curl_lines_are_quoted_and_control_characters_escaped() {
    let dir = scratch("inject");
    let url = "http://x/txns?q=';touch PWNED;'&c=\u{1b}[31m\u{7}\r";
    let har = serde_json::json!({"log": {"entries": [{
        "request": {"method": "POST", "url": url, "postData": {"text": "order_id=\u{1b}]0;owned\u{7}"}},
        "response": {"status": 200, "content": {"text": "{}"}}
    }]}});
    let path = dir.join("inject.har");
    std::fs::write(&path, har.to_string()).unwrap();
    let path = path.display().to_string();

    let json = run_in(&dir, &["audit", "--format", "json", &path], b"");
    assert_eq!(json.code, Some(1), "{}", json.stderr);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let curl = report["cases"][0]["exchanges"][0]["curl"].as_str().unwrap().to_owned();
    // Paste it into a shell with `curl` replaced by a printer: one argument, no command run.
    let line = curl.replacen("curl", "printf '%s\\n'", 1);
    let shell = std::process::Command::new("sh")
        .arg("-c")
        .arg(&line)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!dir.join("PWNED").exists(), "pasting {curl:?} ran a command");
    let words = String::from_utf8(shell.stdout).unwrap();
    assert_eq!(
        words, "-sS\nhttp://x/txns?q=';touch PWNED;'&c=%1B[31m%07%0D\n",
        "{curl}"
    );

    for format in ["text", "json", "junit", "html"] {
        let run = run_in(&dir, &["audit", "--format", format, &path], b"");
        assert_eq!(run.code, Some(1), "{format}: {}", run.stderr);
        for raw in ['\u{1b}', '\u{7}', '\r'] {
            assert!(!run.stdout.contains(raw), "{format} output carries {raw:?}");
        }
    }
}

#[test]
fn rsa_keys_with_exponent_3_are_refused() {
    let dir = scratch("e3");
    let public = dir.join("e3.pub.pem");
    std::fs::write(&public, EXPONENT_3_PUBLIC).unwrap();
    let run = run(
        &[
            "verify",
            "response-signature",
            "--key",
            &public.display().to_string(),
            "--signature",
            "AAAA",
        ],
        b"{}",
    );
    assert_eq!(run.code, Some(2), "{}", run.all());
    assert!(
        run.stderr.contains("RSA public exponent is 3, only 65537 is accepted"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_kid_given_twice_is_a_usage_error() {
    let a = format!("k={}", key("merchant_signing.pub.pem"));
    let b = format!("k={}", key("wrong_key.pub.pem"));
    let run = run(&["verify", "jws", "--key", &a, "--key", &b], b"{}");
    assert_eq!(run.code, Some(2), "{}", run.all());
    assert!(run.stderr.contains("--key \"k\" is given twice"), "{}", run.stderr);
}

/// A second `payload` member (or payload key) after a valid signature is refused, not used.
#[test]
fn verify_jws_refuses_duplicate_members() {
    let payload = r#"{"merchantRequestId":"r1","amount":"1.00"}"#;
    let signed = run(
        &["sign", "jws", "--key", &key("merchant_signing.pem"), "--kid", "k"],
        payload.as_bytes(),
    );
    assert_eq!(signed.code, Some(0), "{}", signed.stderr);
    let body = signed.stdout.trim();
    let forged = body.replacen('{', r#"{"payload":"eyJhbW91bnQiOiI5OTk5LjAwIn0","#, 1);
    let kid = format!("k={}", key("merchant_signing.pub.pem"));
    let args = ["verify", "jws", "--key", &kid, "--iat-optional"];
    assert_eq!(run(&args, body.as_bytes()).code, Some(0));
    let run = run(&args, forged.as_bytes());
    assert_eq!(run.code, Some(1), "{}", run.all());
    assert!(run.stdout.contains("duplicate key `payload`"), "{}", run.stdout);
    // Signing refuses a payload with a duplicate key instead of signing it.
    let dup = r#"{"amount":"1.00","amount":"9999.00"}"#;
    let signed = hostile_support::run(
        &["sign", "jws", "--key", &key("merchant_signing.pem"), "--kid", "k"],
        dup.as_bytes(),
    );
    assert_eq!(signed.code, Some(2), "{}", signed.all());
}

/// `--max-bytes` of u64::MAX used to wrap `max + 1` to a 0-byte read.
#[test]
fn max_bytes_saturates() {
    let sample = "golden/seeds/corrected/merchant.register-intent.v3.request.sample.json";
    let args = [
        "validate",
        "--message",
        "merchant.register-intent.v3.request",
        "--max-bytes",
        "18446744073709551615",
        sample,
    ];
    let run = run(&args, b"");
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(run.stdout.contains("0 failures"), "{}", run.stdout);
}
