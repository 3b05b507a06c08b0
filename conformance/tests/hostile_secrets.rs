//! No secret in any output of the commands outside the runner: `hash`, `sign`, `verify`,
//! `validate`, `audit` (every report format) and `serve` (its logs and its answers) run on
//! hostile inputs, and everything they print is searched for the PayU test salt, the EC API
//! key, its HTTP Basic credentials and private key material. Each run asserts its exit status
//! and is bounded in wall time by the watchdog of `hostile_support`.

mod hostile_support;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use hostile_support::{Run, key, run, run_in, scratch};

const SALT: &str = "upiConformanceTestSalt";
const API_KEY: &str = "test_api_key";
/// `test_api_key:` in base64, the Basic credentials of the API key.
const BASIC: &str = "dGVzdF9hcGlfa2V5Og==";

/// The strings no output may contain: the secrets, and two lines of each private key PEM.
fn secrets() -> Vec<String> {
    let mut all = vec![
        SALT.to_owned(),
        API_KEY.to_owned(),
        BASIC.to_owned(),
        "PRIVATE KEY".to_owned(),
    ];
    for name in ["merchant_signing.pem", "psp_response_signing.pem"] {
        let pem = std::fs::read_to_string(key(name)).unwrap();
        all.extend(pem.lines().skip(1).take(2).map(str::to_owned));
    }
    all
}

fn assert_clean(what: &str, text: &str) {
    for secret in secrets() {
        assert!(
            !text.contains(&secret),
            "{what} printed a secret ({secret:.12}...): {text}"
        );
    }
}

fn check(what: &str, run: &Run, code: i32) {
    assert_eq!(run.code, Some(code), "{what}: {}", run.all());
    assert_clean(what, &run.all());
}

#[test]
fn hash_sign_verify_and_validate_print_no_secret() {
    let dir = scratch("secrets");
    let salt_file = dir.join("salt");
    std::fs::write(&salt_file, format!("{SALT}\n")).unwrap();
    let salt_file = salt_file.display().to_string();
    let private = key("merchant_signing.pem");
    let fields = [
        "--field",
        "key=JPM7Fg",
        "--field",
        "txnid=t1",
        "--field",
        "amount=1.00",
        "--field",
        "productinfo=p",
        "--field",
        "firstname=f",
        "--field",
        "email=e@x.in",
    ];
    let mut explain = vec!["hash", "payu-request", "--salt", SALT, "--explain", "--expect", "00"];
    explain.extend(fields);
    check("hash --explain --expect", &run(&explain, b""), 1);
    let mut from_file = vec!["hash", "payu-request", "--salt-file", &salt_file, "--explain"];
    from_file.extend(fields);
    check("hash --salt-file", &run(&from_file, b""), 0);
    check(
        "hash with broken fields",
        &run(&["hash", "payu-command", "--salt", SALT], b"{\"key\": 1}"),
        2,
    );
    // Keys where they do not belong: the salt file as a key, a private key as a public one.
    check(
        "sign with a salt file as key",
        &run(&["sign", "signature-payload", "--key", &salt_file], b"x"),
        2,
    );
    let as_public = format!("k={private}");
    check(
        "verify with a private key as public",
        &run(&["verify", "jws", "--key", &as_public], b"{}"),
        2,
    );
    check(
        "sign a non-object payload",
        &run(&["sign", "jws", "--key", &private, "--kid", "k"], b"[1]"),
        2,
    );
    check(
        "sign response-signature",
        &run(
            &["sign", "response-signature", "--key", &key("psp_response_signing.pem")],
            b"{}",
        ),
        0,
    );
    // A curl command carrying the API key as Basic credentials.
    let curl = format!(
        "curl -X POST https://api.juspay.in/orders -u {API_KEY}: -H 'Authorization: Basic {BASIC}x' -d order_id=o1 -d amount=bad -d currency=INR"
    );
    for format in ["text", "json"] {
        check(
            "validate",
            &run(
                &[
                    "validate",
                    "--message",
                    "ec.orders.request",
                    "--input",
                    "curl",
                    "--format",
                    format,
                ],
                curl.as_bytes(),
            ),
            // ec.orders rules rest on DOMAIN.md, not a seed: the bad amount is a `should`
            // (a warning, exit 0); what this test judges is that no secret is printed.
            0,
        );
    }
}

#[test]
fn audit_reports_print_no_secret() {
    let dir = scratch("audit-secrets");
    let har = serde_json::json!({"log": {"entries": [
        {
            "request": {"method": "POST", "url": "https://api.juspay.in/orders",
                "headers": [{"name": "Authorization", "value": format!("Basic {BASIC}")}],
                "postData": {"text": "order_id=o1&amount=bad&currency=INR"}},
            "response": {"status": 500, "content": {"text": "oops"}}
        },
        {
            "request": {"method": "POST", "url": "https://test.payu.in/_payment",
                "postData": {"text": "key=JPM7Fg&txnid=t1&amount=1.00&hash=00"}},
            "response": {"status": 200, "content": {"text": "{}"}}
        }
    ]}});
    let path = dir.join("secrets.har");
    std::fs::write(&path, har.to_string()).unwrap();
    let path = path.display().to_string();
    for format in ["text", "json", "junit", "html"] {
        check(
            &format!("audit --format {format}"),
            &run_in(&dir, &["audit", "--format", format, &path], b""),
            1,
        );
    }
}

/// `serve` logs nothing secret, and its answers to hostile requests carry no secret either.
#[test]
fn serve_logs_and_answers_carry_no_secret() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--header-timeout-ms",
            "2000",
            "--body-timeout-ms",
            "2000",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut ready = String::new();
    stdout.read_line(&mut ready).unwrap();
    let addr = ready.trim().rsplit("http://").next().unwrap().to_owned();
    let requests = [
        format!("POST /orders HTTP/1.1\r\nhost: x\r\nauthorization: Basic {BASIC}\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 9\r\nconnection: close\r\n\r\namount=xx"),
        "POST /_payment HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 36\r\nconnection: close\r\n\r\nkey=JPM7Fg&txnid=t1&amount=1&hash=00".to_owned(),
        "POST /merchant/postservice.php?form=2 HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 46\r\nconnection: close\r\n\r\nkey=JPM7Fg&command=verify_payment&var1=t&hash=0".to_owned(),
        "GET /\u{1b}[31m HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n".to_owned(),
        // Half a head: cut off by the header timeout.
        "POST /orders HTTP/1.1\r\nhost: x\r\n".to_owned(),
    ];
    for request in &requests {
        let mut stream = TcpStream::connect(&addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer);
        let sent_basic = request.contains(BASIC);
        for secret in secrets() {
            if sent_basic && secret == BASIC {
                continue;
            }
            assert!(!answer.contains(&secret), "an answer carries a secret: {answer}");
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let mut logs = String::new();
    stdout.read_to_string(&mut logs).unwrap();
    child.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
    assert_clean("serve logs", &format!("{ready}{logs}"));
}

/// The search itself finds each secret when one is planted (so a clean result means something).
#[test]
fn the_search_finds_a_planted_secret() {
    for secret in secrets() {
        let planted = format!("valid\n{secret}\n");
        assert!(
            std::panic::catch_unwind(|| assert_clean("planted", &planted)).is_err(),
            "{secret:.12}"
        );
    }
}
