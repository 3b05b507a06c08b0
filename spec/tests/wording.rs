//! A rule no seed sentence states is a `should`, and it is never worded as a requirement: no
//! `should` or `info` rule's statement, and no violation reported with that severity, says "must"
//! (`rules`, `rules show`, `validate`, `deeplink check` and the run reports all print these texts).

use std::path::PathBuf;

use regex::Regex;
use serde::Deserialize;
use upi_spec::generate::breaking;
use upi_spec::validate::validate;
use upi_spec::{Severity, catalogue, deeplink, messages};

fn says_must(text: &str) -> bool {
    Regex::new(r"(?i)\bmust\b").unwrap().is_match(text)
}

#[test]
fn no_should_rule_statement_says_must() {
    let bad: Vec<String> = catalogue::all()
        .into_iter()
        .filter(|r| r.severity != Severity::Must && says_must(&r.statement))
        .map(|r| format!("{} [{}]: {}", r.id, r.severity, r.statement))
        .collect();
    assert!(
        bad.is_empty(),
        "{} should/info statements say must:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// Every message rule reported as `should` (declared so, or a `must` the grounding law settles)
/// is broken by a generated document; the violation's reason does not say "must".
#[test]
fn no_should_violation_of_a_message_says_must() {
    let mut checked = 0;
    let mut bad = Vec::new();
    for message in messages::all() {
        for rule in catalogue::rules_of(message) {
            if rule.severity == Severity::Must {
                continue;
            }
            let Some(doc) = breaking(message, &rule.id, 1) else {
                continue;
            };
            for v in validate(message, &doc) {
                checked += 1;
                if v.severity != Severity::Must && says_must(&v.reason) {
                    bad.push(format!("{} [{}]: {}", v.rule, v.severity, v.reason));
                }
            }
        }
    }
    assert!(checked > 500, "only {checked} should violations were produced");
    bad.sort();
    bad.dedup();
    assert!(
        bad.is_empty(),
        "{} should violations say must:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[derive(Deserialize)]
struct Link {
    uri: String,
}

/// The deeplink vectors (golden/deeplinks/violations.json) break every grammar and parameter
/// rule; no violation of a `should` or `info` rule among them says "must".
#[test]
fn no_should_deeplink_violation_says_must() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../golden/deeplinks/violations.json");
    let links: Vec<Link> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut checked = 0;
    for link in &links {
        let Ok(parsed) = deeplink::parse(&link.uri) else {
            continue;
        };
        for v in parsed.violations.iter().filter(|v| v.severity != Severity::Must) {
            checked += 1;
            assert!(!says_must(&v.reason), "{}: {v}", link.uri);
        }
    }
    assert!(checked > 10, "only {checked} should deeplink violations");
}

/// The wording itself: "must" becomes "should" for every non-`must` severity, word by word.
#[test]
fn severity_words_the_text() {
    let text = "Must be present; x must not be sent (mustard, trust and mustmust are fine)";
    assert_eq!(Severity::Must.word(text), text);
    assert_eq!(
        Severity::Should.word(text),
        "Should be present; x should not be sent (mustard, trust and mustmust are fine)"
    );
    assert_eq!(Severity::Info.word("y must be 1"), "y should be 1");
}
