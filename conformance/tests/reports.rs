//! The report formats on a report with every outcome: JSON validates against
//! `schemas/run-report.schema.json`, JUnit XML parses with an independent parser (`junit-parser`)
//! and carries the same counts, HTML is one escaped document, and no secret reaches any of them.

use std::path::Path;

use upi_conformance::report;
use upi_conformance::runner::case::{CaseKind, CaseResult, Finding, Outcome};
use upi_conformance::runner::http::Exchange;
use upi_conformance::runner::{Report, Totals};

fn exchange() -> Exchange {
    Exchange {
        request_line: "POST http://127.0.0.1:1/_payment".into(),
        request_headers: vec![("content-type".into(), "application/x-www-form-urlencoded".into())],
        request_body: "key=JPM7Fg&txnid=t1&hash=<redacted>".into(),
        status: Some(200),
        response_headers: vec![("content-type".into(), "application/json".into())],
        response_body: "{\"metaData\":{\"message\":\"<script>alert(1)</script>\"}}".into(),
        response_bytes: Vec::new(),
        truncated: false,
        error: None,
        timed_out: false,
        elapsed_ms: 3,
        curl: "curl -sS -X POST 'http://127.0.0.1:1/_payment' --data-binary 'key=JPM7Fg&hash=<redacted>'".into(),
        ..Exchange::default()
    }
}

fn case(id: &str, outcome: Outcome, findings: Vec<Finding>) -> CaseResult {
    CaseResult {
        id: id.into(),
        suite: "payu-intent".into(),
        kind: CaseKind::Reject,
        title: "a case".into(),
        rules: vec!["payu.payment.request.amount.format".into()],
        outcome,
        findings,
        exchanges: vec![exchange()],
        elapsed_ms: 4,
    }
}

fn sample() -> Report {
    let fail = Finding::must(
        "payu.payment.request.amount.format",
        "the target accepted a request that breaks it <&>",
    );
    let cases = vec![
        case("reject.a", Outcome::Pass, Vec::new()),
        case("reject.b", Outcome::Fail, vec![fail.clone()]),
        case(
            "reject.c",
            Outcome::Skipped {
                reason: "no sandbox".into(),
            },
            Vec::new(),
        ),
        case(
            "reject.d",
            Outcome::ExpectedFailure { reason: "known".into() },
            vec![fail],
        ),
        case(
            "reject.e",
            Outcome::UnexpectedPass { reason: "stale".into() },
            Vec::new(),
        ),
        case(
            "reject.f",
            Outcome::Warning,
            vec![Finding {
                rule: "x".into(),
                severity: upi_spec::Severity::Should,
                message: "w".into(),
            }],
        ),
    ];
    Report {
        format_version: 1,
        target: "http://127.0.0.1:1".into(),
        seed: 7,
        elapsed_ms: 12,
        sandbox: true,
        strict: false,
        totals: Totals {
            cases: 6,
            pass: 1,
            fail: 1,
            warning: 1,
            info: 0,
            skipped: 1,
            acceptable: 0,
            expected_failure: 1,
            unexpected_pass: 1,
        },
        interrupted: false,
        not_run: 0,
        unused_expectations: vec!["reject.nothing".into()],
        cases,
    }
}

#[test]
fn json_report_validates_against_its_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/run-report.schema.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let json: serde_json::Value = serde_json::from_str(&report::json::render(&sample())).unwrap();
    let errors: Vec<String> = validator.iter_errors(&json).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let mut broken = json.clone();
    broken["cases"][0]["outcome"]["verdict"] = serde_json::json!("maybe");
    assert!(
        !validator.is_valid(&broken),
        "the schema must reject an unknown verdict"
    );
}

#[test]
fn junit_report_parses_with_an_independent_parser() {
    let xml = report::junit::render(&sample());
    let parsed = junit_parser::from_reader(std::io::Cursor::new(xml.as_bytes())).expect("valid JUnit XML");
    assert_eq!(parsed.tests, 6);
    assert_eq!(parsed.failures, 2, "fail and unexpected pass are failures");
    assert_eq!(parsed.skipped, 1);
    let suite = &parsed.suites[0];
    assert_eq!(suite.name, "payu-intent");
    let names: Vec<&str> = suite.cases.iter().map(|c| c.name.as_str()).collect();
    let failed = suite
        .cases
        .iter()
        .find(|c| c.name.ends_with("reject.b"))
        .unwrap_or_else(|| panic!("{names:?}"));
    assert!(failed.status.is_failure());
}

#[test]
fn html_report_is_one_escaped_document() {
    let html = report::html::render(&sample());
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert!(
        !html.contains("<script>alert(1)</script>"),
        "response text must be escaped"
    );
    assert!(html.contains("&lt;script&gt;"));
    assert!(
        !html.contains("<link") && !html.contains("src=\"http"),
        "self-contained: no external resources"
    );
}

/// The summary chips count every verdict, `acceptable` included (a case that follows one of
/// the readings the seeds allow).
#[test]
fn html_summary_chips_count_acceptable_cases() {
    let mut r = sample();
    r.cases.push(case(
        "reject.g",
        Outcome::Acceptable {
            reading: "E-092".into(),
        },
        Vec::new(),
    ));
    r.totals.cases += 1;
    r.totals.acceptable += 1;
    let html = report::html::render(&r);
    assert!(
        html.contains(r#"<span class="acceptable">1 acceptable</span>"#),
        "{html}"
    );
    assert!(html.contains(r#"<span class="skipped">1 skipped</span>"#));
}

#[test]
fn text_report_ends_with_the_counts() {
    let text = report::text::render(&sample(), false);
    assert!(text.contains("FAIL reject.b"));
    assert!(text.contains("UNEXPECTED-PASS reject.e"));
    assert!(
        text.contains("re-run: upi-conformance run --seed 7 --only reject.b"),
        "{text}"
    );
    assert!(
        text.trim_end().ends_with("conformance: 3 passed, 2 failed, 1 skipped"),
        "{text}"
    );
}

#[test]
fn strict_makes_warnings_fail_in_every_report() {
    let mut report = sample();
    assert!(report.failed());
    report.cases.retain(|c| !c.outcome.fails_run());
    assert!(!report.failed(), "without --strict a warning passes");
    let text = report::text::render(&report, false);
    assert!(!text.contains("WARNING reject.f"), "{text}");
    let xml = report::junit::render(&report);
    assert!(!xml.contains("type=\"warning\""), "{xml}");
    assert!(xml.contains("warning: "), "a passing warning says so in JUnit: {xml}");
    report.strict = true;
    assert!(report.failed(), "with --strict a warning fails the run");
    let text = report::text::render(&report, false);
    assert!(text.contains("WARNING reject.f"), "{text}");
    assert!(text.contains("--strict"), "{text}");
    let xml = report::junit::render(&report);
    assert!(xml.contains("type=\"warning\""), "{xml}");
    let json: serde_json::Value = serde_json::from_str(&report::json::render(&report)).unwrap();
    assert_eq!(json["strict"], true);
    assert!(
        json["cases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["rerun"].as_str().is_some_and(|r| r.ends_with("--strict")))
    );
}

#[test]
fn control_characters_from_the_target_are_escaped_in_human_readable_reports() {
    let mut r = sample();
    r.cases[1].findings[0].message = "bell\u{7} esc\u{1b}[31m cr\r".into();
    r.cases[1].exchanges[0].response_body = "\u{1b}]0;pwned\u{7}".into();
    for (name, text) in [
        ("text", report::text::render(&r, true)),
        ("html", report::html::render(&r)),
        ("junit", report::junit::render(&r)),
    ] {
        for c in ['\u{1b}', '\u{7}', '\r'] {
            assert!(!text.contains(c), "{name} carries a raw {c:?}");
        }
        assert!(text.contains("\\u{1b}"), "{name} does not show the escape");
    }
}

#[test]
fn junit_carries_properties_the_broken_rule_and_no_output_for_passing_cases() {
    let xml = report::junit::render(&sample());
    assert!(xml.contains("<property name=\"seed\" value=\"7\"/>"), "{xml}");
    assert!(xml.contains("<property name=\"target\""), "{xml}");
    assert!(xml.contains("<property name=\"version\""), "{xml}");
    let parsed = junit_parser::from_reader(std::io::Cursor::new(xml.as_bytes())).expect("valid JUnit XML");
    let cases = &parsed.suites[0].cases;
    let pass = cases.iter().find(|c| c.name.ends_with("reject.a")).expect("reject.a");
    assert!(pass.system_out.is_none(), "a passing case carries output");
    let failed = cases.iter().find(|c| c.name.ends_with("reject.b")).expect("reject.b");
    let out = failed.system_out.clone().unwrap_or_default();
    assert!(
        out.contains("re-run: upi-conformance run --seed 7 --only reject.b"),
        "{out}"
    );
    let statement = upi_spec::catalogue::all()
        .into_iter()
        .find(|r| r.id == "payu.payment.request.amount.format")
        .map(|r| r.statement);
    let junit_parser::TestStatus::Failure(failure) = &failed.status else {
        panic!("reject.b is not a failure");
    };
    let statement = statement.expect("the rule is in the catalogue");
    assert_eq!(
        failure.message,
        format!("payu.payment.request.amount.format: {statement}")
    );
}
