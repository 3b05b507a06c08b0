//! Runs the `upi-conformance` binary's `hash`, `sign` and `verify` subcommands on known answers
//! and checks output and exit codes (0 valid, 1 failed check, 2 unreadable input).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const PUBLISHED_HASH: &str = "ffcdbf04fa5beefdcc2dd476c18bc410f02b3968e7f4f54e8f43f1e1a310bb32e3b4dec9305232bb89db5b1d0c009a53bcace6f4bd8ec2f695baf3d43ba730ce";
const PUBLISHED_FIELDS: [&str; 8] = [
    "key=C0Dr8m",
    "txnid=12345",
    "amount=10",
    "productinfo=Shopping",
    "firstname=Test",
    "email=test@test.com",
    "udf2=abc",
    "udf4=15",
];

fn key(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../golden/keys")
        .join(name)
        .display()
        .to_string()
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    // The child may exit before reading (a usage error): a broken pipe here is not a failure.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn published_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["hash", "payu-request", "--salt", "3sf0jURk"];
    for field in PUBLISHED_FIELDS {
        args.extend(["--field", field]);
    }
    args.extend(extra);
    args
}

#[test]
fn hash_prints_payus_published_known_answer() {
    let output = run(&published_args(&[]), b"");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), format!("{PUBLISHED_HASH}\n"));
}

#[test]
fn explain_shows_the_hashed_string_with_the_salt_masked() {
    let output = run(&published_args(&["--explain"]), b"");
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        text.contains("C0Dr8m|12345|10|Shopping|Test|test@test.com||abc||15|||||||<salt>"),
        "{text}"
    );
    assert!(text.contains(PUBLISHED_HASH));
    assert!(!text.contains("3sf0jURk"), "the salt leaked: {text}");
}

#[test]
fn fields_as_json_on_stdin_give_the_same_hash() {
    let json = br#"{"key":"C0Dr8m","txnid":"12345","amount":"10","productinfo":"Shopping","firstname":"Test","email":"test@test.com","udf2":"abc","udf4":"15"}"#;
    let output = run(&["hash", "payu-request", "--salt", "3sf0jURk"], json);
    assert_eq!(stdout(&output).trim(), PUBLISHED_HASH);
}

#[test]
fn expect_exits_1_naming_the_rule_on_mismatch() {
    let zeros = "0".repeat(128);
    let mut args = published_args(&["--expect"]);
    args.push(&zeros);
    let output = run(&args, b"");
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("payu.hash.request.mismatch"));
    let output = run(&published_args(&["--expect", PUBLISHED_HASH]), b"");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn tpv_seed_example() {
    let output = run(
        &[
            "hash",
            "tpv",
            "--field",
            "account_number=0000123456789",
            "--field",
            "ifsc=ABCD0000345",
        ],
        b"",
    );
    // sha256("123456789ABCD"), computed with `printf 123456789ABCD | sha256sum`.
    assert_eq!(
        stdout(&output).trim(),
        "2c2667cc2f5487ef8b334264f0ef8d0412b614a4b093d326ca35a01f243730c9"
    );
    let output = run(
        &[
            "hash",
            "tpv",
            "--field",
            "account_number=000",
            "--field",
            "ifsc=ABCD0000345",
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("tpv.account.all-zero"));
}

#[test]
fn unreadable_input_exits_2_without_panicking() {
    for args in [
        &["hash", "payu-request", "--salt", "s"][..],
        &[
            "verify",
            "signature-payload",
            "--key",
            "/nonexistent.pem",
            "--signature",
            "x",
        ][..],
        &["hash", "payu-request", "--field", "no-equals-sign", "--salt", "s"][..],
    ] {
        let output = run(args, b"not json");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.starts_with("error: ") && !err.contains("panicked"), "{err}");
    }
}

#[test]
fn sign_then_verify_jws_and_reject_the_wrong_key() {
    let payload = br#"{"merchantRequestId":"ORD1","amount":"2.00","iat":"1700158230380"}"#;
    let signing_key = key("merchant_signing.pem");
    let signed = run(
        &["sign", "jws", "--key", &signing_key, "--kid", "merchant-key-1"],
        payload,
    );
    assert_eq!(signed.status.code(), Some(0));
    assert!(!stdout(&signed).contains("PRIVATE"), "key material echoed");
    let body = signed.stdout;
    let verify = |public: &str| {
        let key_arg = format!("merchant-key-1={}", key(public));
        run(
            &["verify", "jws", "--key", &key_arg, "--now-millis", "1700158230380"],
            &body,
        )
    };
    let good = verify("merchant_signing.pub.pem");
    assert_eq!(good.status.code(), Some(0), "{}", stdout(&good));
    let bad = verify("wrong_key.pub.pem");
    assert_eq!(bad.status.code(), Some(1));
    assert!(stdout(&bad).contains("juspay.jws.signature"));
}

#[test]
fn signature_payload_signature_breaks_on_a_trailing_newline() {
    let payload = br#"{"merchant_id":"stock","customer_id":"abcde12345","timestamp":"1668389349848"}"#;
    let (private, public) = (key("merchant_signing.pem"), key("merchant_signing.pub.pem"));
    let signed = run(&["sign", "signature-payload", "--key", &private], payload);
    let signature = stdout(&signed).trim().to_owned();
    let verify = |bytes: &[u8]| {
        run(
            &[
                "verify",
                "signature-payload",
                "--key",
                &public,
                "--signature",
                &signature,
            ],
            bytes,
        )
    };
    assert_eq!(verify(payload).status.code(), Some(0));
    let mut with_newline = payload.to_vec();
    with_newline.push(b'\n');
    assert_eq!(verify(&with_newline).status.code(), Some(1));
}

/// The SDK field-name vectors (`golden/vectors/payu_sdk_field_names.json`, hashes computed with
/// sha512sum): `additionalCharges` is hashed in the `additional_charges` slot, and the answer is
/// never the hash without it (the CLI before this change printed that one).
#[test]
fn hash_reads_payus_sdk_field_names() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../golden/vectors/payu_sdk_field_names.json");
    let vectors: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let salt = vectors["salt"].as_str().unwrap();
    let tests = vectors["tests"].as_array().unwrap();
    assert!(tests.len() >= 3);
    for case in tests {
        let kind = case["kind"].as_str().unwrap();
        let mut args = vec!["hash".to_owned(), kind.to_owned(), "--salt".to_owned(), salt.to_owned()];
        for (name, value) in case["fields"].as_object().unwrap() {
            args.extend(["--field".to_owned(), format!("{name}={}", value.as_str().unwrap())]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = run(&args, b"");
        let want = case["hash"].as_str().unwrap();
        assert_eq!(output.status.code(), Some(0), "tcId {}", case["tcId"]);
        assert_eq!(
            stdout(&output),
            format!("{want}\n"),
            "tcId {}: {}",
            case["tcId"],
            case["comment"]
        );
        let sdk_spelling = case["fields"].get("additionalCharges").is_some();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            stderr.contains("read `additionalCharges` as `additional_charges`"),
            sdk_spelling,
            "{stderr}"
        );
        let explained = run(&[&args[..], &["--explain"]].concat(), b"");
        assert!(
            stdout(&explained).contains(&format!("hashed string: {}", case["hashed"].as_str().unwrap())),
            "tcId {}: {}",
            case["tcId"],
            stdout(&explained)
        );
    }
}

/// A look-alike of a hashed field that no PayU SDK is known to use is refused, naming it.
#[test]
fn hash_refuses_look_alike_field_names() {
    for (kind, field, canonical) in [
        ("payu-response", "productInfo=Book", "productinfo"),
        ("payu-request", "AdditionalCharges=10.00", "additional_charges"),
        ("payu-request", "udf_1=x", "udf1"),
    ] {
        let output = run(
            &[
                "hash",
                kind,
                "--salt",
                "s",
                "--field",
                "key=k",
                "--field",
                "txnid=t",
                "--field",
                "amount=1",
                "--field",
                "status=success",
                "--field",
                field,
            ],
            b"",
        );
        let out = stdout(&output);
        let sent = field.split('=').next().unwrap();
        assert_eq!(output.status.code(), Some(1), "{out}");
        assert!(
            out.starts_with("invalid: ")
                && out.contains(&format!("`{sent}`"))
                && out.contains(&format!("`{canonical}`")),
            "{out}"
        );
    }
    // Both spellings with different values: refused, naming both.
    let output = run(
        &[
            "hash",
            "payu-response",
            "--salt",
            "s",
            "--field",
            "key=k",
            "--field",
            "txnid=t",
            "--field",
            "status=success",
            "--field",
            "additionalCharges=1",
            "--field",
            "additional_charges=2",
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("both posted"), "{}", stdout(&output));
}
