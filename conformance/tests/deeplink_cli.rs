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

/// `--format json` says what the text output says: for every golden case (and each under
/// `--strict`), the same exit code (also in the object), the same findings (each rendered as the
/// text line it prints), the verdict the exit code means and the must/should counts; an input
/// that is not a URI is one `deeplink.syntax.uri` finding at the byte stderr names.
#[test]
fn deeplink_check_json_agrees_with_the_text_output() {
    let text = std::fs::read_to_string(golden("deeplinks/cli-check.json")).unwrap();
    let mut cases: Vec<CheckCase> = serde_json::from_str(&text).unwrap();
    cases.push(CheckCase {
        name: "should-only".into(),
        uri: "upi://pay?pa=abc@okaxis&pn=a%00b%1b%5B31m&am=1.00&cu=INR&tr=T1".into(),
        exit: 0,
        rules: vec!["deeplink.syntax.control [should]".into()],
    });
    cases.push(CheckCase {
        name: "not-a-uri-past-byte-0".into(),
        uri: "ab cd:x".into(),
        exit: 2,
        rules: vec!["deeplink.syntax.uri [must] at byte 2".into()],
    });
    let mut verdicts = std::collections::BTreeSet::new();
    for case in &cases {
        for strict in [false, true] {
            let mut args = vec!["deeplink", "check"];
            args.extend(strict.then_some("--strict"));
            let text = run(&[args.as_slice(), &[case.uri.as_str()]].concat());
            let json = run(&[args.as_slice(), &["--format", "json", case.uri.as_str()]].concat());
            let what = format!("{} (strict: {strict})", case.name);
            assert_eq!(json.status.code(), text.status.code(), "{what}");
            let report: serde_json::Value = serde_json::from_slice(&json.stdout)
                .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {}", String::from_utf8_lossy(&json.stdout)));
            let code = json.status.code().unwrap();
            assert_eq!(report["exit_code"], code, "{what}");
            assert_eq!(report["uri"], case.uri.as_str(), "{what}");
            assert_eq!(report["strict"], strict, "{what}");
            let verdict = report["verdict"].as_str().unwrap();
            assert_eq!(verdict, ["valid", "invalid", "not-a-uri"][code as usize], "{what}");
            verdicts.insert(verdict.to_string());
            let findings: Vec<String> = report["violations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| {
                    format!(
                        "{} [{}] at {}: {}",
                        v["rule"].as_str().unwrap(),
                        v["severity"].as_str().unwrap(),
                        v["at"].as_str().unwrap(),
                        v["reason"].as_str().unwrap()
                    )
                })
                .collect();
            let count = |s: &str| findings.iter().filter(|f| f.contains(&format!(" [{s}] at "))).count();
            assert_eq!(report["must"], count("must"), "{what}");
            assert_eq!(report["should"], count("should"), "{what}");
            for rule in &case.rules {
                assert!(
                    findings.iter().any(|f| f.starts_with(rule.as_str())),
                    "{what}: no {rule:?} in {findings:?}"
                );
            }
            if code == 2 {
                let stderr = String::from_utf8_lossy(&text.stderr);
                let fatal = findings[0]
                    .strip_prefix("deeplink.syntax.uri [must] at ")
                    .unwrap_or_else(|| panic!("{what}: {findings:?}"));
                let (at, _) = fatal.split_once(':').unwrap();
                assert!(
                    stderr.contains(&format!("deeplink.syntax.uri at {at}")),
                    "{what}: {at} vs {stderr}"
                );
                assert_eq!(findings.len(), 1, "{what}");
            } else {
                let lines: Vec<String> = String::from_utf8_lossy(&text.stdout)
                    .lines()
                    .map(str::to_string)
                    .collect();
                assert_eq!(findings, lines[..lines.len() - 1], "{what}");
            }
        }
    }
    assert_eq!(verdicts.len(), 3, "the cases reach every verdict: {verdicts:?}");
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
