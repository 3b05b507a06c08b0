//! Runs the `upi-conformance deeplink` binary on the cases of `golden/deeplinks/cli-check.json`
//! (exit code and the rule lines it prints) and builds the seeds' sample responses.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde::Deserialize;

fn golden(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../golden").join(path)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
        .args(args)
        .output()
        .expect("the binary runs")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckCase {
    name: String,
    uri: String,
    exit: i32,
    /// Prefixes of lines the output must contain (`rule [severity] at byte N`).
    rules: Vec<String>,
}

#[test]
fn deeplink_check_cases() {
    let text = std::fs::read_to_string(golden("deeplinks/cli-check.json")).unwrap();
    let cases: Vec<CheckCase> = serde_json::from_str(&text).unwrap();
    assert!(cases.len() >= 4);
    for case in cases {
        let out = run(&["deeplink", "check", &case.uri]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(case.exit),
            "{}: stdout {stdout} stderr {stderr}",
            case.name
        );
        for rule in &case.rules {
            assert!(
                stdout.lines().any(|l| l.starts_with(rule.as_str())),
                "{}: no line starting with {rule:?} in {stdout}",
                case.name
            );
        }
        if case.exit == 2 {
            assert!(
                stderr.contains("deeplink.syntax.uri at byte"),
                "{}: {stderr}",
                case.name
            );
        }
    }
}

/// `--strict` fails a link whose findings are all `should` (here: encoded control characters in
/// `pn`, which no seed sentence forbids), and changes nothing for a clean link or a link that
/// already breaks a `must` rule.
#[test]
fn deeplink_check_strict_fails_on_should_findings() {
    let clean = "upi://pay?pa=abc@okaxis&pn=Merchant%20Inc&am=1.00&cu=INR&tr=T1";
    let control = "upi://pay?pa=abc@okaxis&pn=a%00b%1b%5B31m&am=1.00&cu=INR&tr=T1";
    let broken = "upi://pay?pa=abc@okaxis&pn=a%00b&am=abc&cu=INR&tr=T1";
    for (uri, exit, strict_exit) in [(clean, 0, 0), (control, 0, 1), (broken, 1, 1)] {
        let plain = run(&["deeplink", "check", uri]);
        assert_eq!(plain.status.code(), Some(exit), "{uri}");
        let strict = run(&["deeplink", "check", "--strict", uri]);
        let stdout = String::from_utf8_lossy(&strict.stdout);
        assert_eq!(strict.status.code(), Some(strict_exit), "--strict {uri}: {stdout}");
    }
    let out = run(&["deeplink", "check", "--strict", control]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("deeplink.syntax.control [should]"), "{stdout}");
    assert!(
        stdout.contains("invalid under --strict: 2 should violation(s)"),
        "{stdout}"
    );
}

#[test]
fn deeplink_build_from_seed_responses() {
    let cases = [
        (
            "ec.txns.response",
            "deeplinks/responses/001-ec-txns.json",
            "upi://pay?pa=juspay@axisbank&pn=juspay&mc=1234&tid=121313202101345671229366&tr=202101345671229366&am=1&cu=INR",
        ),
        (
            "payu.payment.response",
            "deeplinks/responses/004-payu-payment.json",
            "upi://pay?pa=payutest@hdfcbank&pn=Kumar&tid=PPPL403993715535965242080126220900&tr=403993715535965242&am=1.00&cu=INR&tn=UPIIntent",
        ),
    ];
    for (message, file, expected) in cases {
        let path = golden(file);
        let out = run(&[
            "deeplink",
            "build",
            "--from-response",
            path.to_str().unwrap(),
            "--message",
            message,
        ]);
        assert_eq!(out.status.code(), Some(0), "{message}");
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim_end(), expected);
    }
}

#[test]
fn deeplink_build_reports_missing_mandatory_fields_and_unknown_messages() {
    let path = golden("deeplinks/responses/003-register-intent-v3.json");
    let path = path.to_str().unwrap();
    let out = run(&[
        "deeplink",
        "build",
        "--from-response",
        path,
        "--message",
        "merchant.register-intent.v3.response",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a missing mandatory parameter fails the build"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("upi://"),
        "the link is still printed"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("invalid: "), "{stderr}");
    assert!(
        stderr.contains("deeplink.mapping.missing-field [must] at payload.TxnInitiationMode"),
        "{stderr}"
    );
    let out = run(&["deeplink", "build", "--from-response", path, "--message", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}

/// E-005: the seeds' own sample responses: `build` fails exactly when `check` of the link it
/// printed fails or the response lacks a Mandatory field; seed 001's `sdk_params.amount "1"`
/// builds `am=1`, which both accept.
#[test]
fn deeplink_build_and_check_agree_on_the_seed_responses() {
    let cases = [
        ("ec.txns.response", "deeplinks/responses/001-ec-txns.json", 0, 0),
        (
            "payu.payment.response",
            "deeplinks/responses/004-payu-payment.json",
            0,
            0,
        ),
        // V3: TxnInitiationMode missing (DL-6) and refUrl "www.xyz.com" (DL-7).
        (
            "merchant.register-intent.v3.response",
            "deeplinks/responses/003-register-intent-v3.json",
            1,
            1,
        ),
    ];
    for (message, file, build_exit, check_exit) in cases {
        let path = golden(file);
        let built = run(&[
            "deeplink",
            "build",
            "--from-response",
            path.to_str().unwrap(),
            "--message",
            message,
        ]);
        let link = String::from_utf8_lossy(&built.stdout).trim_end().to_string();
        let checked = run(&["deeplink", "check", &link]);
        let stderr = String::from_utf8_lossy(&built.stderr);
        assert_eq!(built.status.code(), Some(build_exit), "{message}: {stderr}");
        assert_eq!(checked.status.code(), Some(check_exit), "{message}: {link}");
        // Every must finding of `check` is also reported by `build`.
        for line in String::from_utf8_lossy(&checked.stdout)
            .lines()
            .filter(|l| l.contains("[must]"))
        {
            assert!(
                stderr.contains(&format!("built link: {line}")),
                "{message}: {line} not in {stderr}"
            );
        }
    }
}
