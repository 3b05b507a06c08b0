//! Data-driven rule tests: each vector of `golden/deeplinks/violations.json` flips one thing
//! and lists exactly the `rule byte` pairs it must produce; each vector of
//! `golden/deeplinks/consistency.json` pairs a response with a link. The catalogue
//! `deeplink::rules()` must name every rule produced, and every grammar rule must be exercised.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::Deserialize;
use upi_spec::deeplink::{self, MessageId, consistency, parse};

fn read(path: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../golden").join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vector {
    name: String,
    uri: String,
    /// `rule byte N`, in any order.
    violations: Vec<String>,
}

#[test]
fn violation_vectors() {
    let vectors: Vec<Vector> = serde_json::from_str(&read("deeplinks/violations.json")).unwrap();
    let catalogue: BTreeSet<String> = deeplink::rules().into_iter().map(|r| r.id).collect();
    let mut seen = BTreeSet::new();
    for v in &vectors {
        let parsed = parse(&v.uri).unwrap_or_else(|e| panic!("{}: {e}", v.name));
        let mut got: Vec<String> = parsed
            .violations
            .iter()
            .map(|x| format!("{} {}", x.rule, x.at))
            .collect();
        got.sort();
        let mut want = v.violations.clone();
        want.sort();
        assert_eq!(got, want, "{}: {}", v.name, v.uri);
        for x in &parsed.violations {
            assert!(catalogue.contains(&x.rule), "{}: {} not in rules()", v.name, x.rule);
            seen.insert(x.rule.clone());
        }
    }
    for rule in deeplink::rules::FIXED {
        let exercised_elsewhere = rule.id == "deeplink.syntax.uri" || rule.id.starts_with("deeplink.mapping.");
        assert!(
            exercised_elsewhere || seen.contains(rule.id),
            "no vector exercises {}",
            rule.id
        );
    }
}

#[test]
fn fatal_errors_name_rule_and_byte() {
    let cases = [
        ("", "deeplink.syntax.uri at byte 0: empty input"),
        (
            "hello world",
            "deeplink.syntax.uri at byte 0: not a URI: neither `scheme:` nor `name=value`",
        ),
        (
            "1upi://pay?pa=a",
            "deeplink.syntax.uri at byte 0: not a URI: a scheme starts with a letter",
        ),
        (
            "up i://pay?pa=a",
            "deeplink.syntax.uri at byte 2: not a URI: a scheme has only letters, digits, '+', '-' and '.'",
        ),
    ];
    for (input, message) in cases {
        assert_eq!(parse(input).unwrap_err().to_string(), message, "{input:?}");
    }
    let long = format!("upi://pay?tn={}", "a".repeat(70_000));
    assert!(parse(&long).unwrap_err().to_string().contains("limit"));
}

#[test]
fn catalogue_ids_are_unique_and_include_the_documented_ones() {
    let rules = deeplink::rules();
    let ids: BTreeSet<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), rules.len(), "duplicate rule IDs");
    for id in [
        "deeplink.pay.am.format",
        "deeplink.syntax.percent-escape",
        "deeplink.pay.pa.required",
        "deeplink.mandate.txnType.required",
        "deeplink.consistency.am",
        "deeplink.param.unknown",
    ] {
        assert!(ids.contains(id), "{id} missing");
    }
    for r in &rules {
        assert!(r.id.starts_with("deeplink."), "{}", r.id);
        assert!(!r.statement.is_empty() && !r.source.to_string().is_empty(), "{}", r.id);
    }
    let unknown = rules.iter().find(|r| r.id == "deeplink.param.unknown").unwrap();
    assert_eq!(unknown.severity, upi_spec::Severity::Info);
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsistencyVector {
    name: String,
    message: String,
    response: String,
    link: String,
    /// `rule at`, in any order.
    violations: Vec<String>,
}

#[test]
fn consistency_vectors() {
    let vectors: Vec<ConsistencyVector> = serde_json::from_str(&read("deeplinks/consistency.json")).unwrap();
    for v in vectors {
        let response: serde_json::Value = serde_json::from_str(&read(&format!("deeplinks/{}", v.response))).unwrap();
        let message = MessageId::from_id(&v.message).unwrap();
        let link = parse(&v.link).unwrap().deeplink;
        let mut got: Vec<String> = consistency::check(message, &response, &link)
            .unwrap()
            .iter()
            .map(|x| format!("{} {}", x.rule, x.at))
            .collect();
        got.sort();
        let mut want = v.violations.clone();
        want.sort();
        assert_eq!(got, want, "{}", v.name);
    }
}

#[test]
fn unknown_message_ids_are_errors() {
    let err = MessageId::from_id("ec.orders.response").unwrap_err();
    assert!(err.to_string().contains("ec.txns.response"), "{err}");
}
