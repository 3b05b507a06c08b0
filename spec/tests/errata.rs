//! `spec/ERRATA.md` agrees with the catalogue: every rule ID an erratum cites exists, and where an
//! erratum states a rule's severity next to its ID (`` `ID` (should) ``, `` `ID` [must] ``,
//! `` `ID` is `should` ``), the catalogue gives the rule that severity.

use std::collections::BTreeMap;

use regex::Regex;
use upi_spec::{Severity, catalogue};

const PREFIXES: &[&str] = &[
    "ec.",
    "merchant.",
    "payu.",
    "tpap.",
    "deeplink.",
    "juspay.",
    "tpv.",
    "transport.",
    "crypto.",
    "consumer.",
];

/// `(erratum, rule ID, stated severity)` for every rule ID (or sample file name: the caller tells
/// them apart) cited in `text`.
fn citations(text: &str) -> Vec<(String, String, Option<Severity>)> {
    let id = Regex::new(r"`([a-z][A-Za-z0-9_.\[\]\-*<>:]+)(?: \(cross-message\))?`(\s*(\(|\[|is\s+`?|as\s+(a\s+)?`?)(must|should|info)\b)?").unwrap();
    let mut out = Vec::new();
    let mut erratum = String::from("(preamble)");
    // The severity an erratum's **Model:** line decides (`should` alone, or `must` alone), which
    // its **Rules:** line's IDs then carry.
    let mut decided: Option<Severity> = None;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            erratum = h.split(':').next().unwrap_or(h).trim().to_string();
            decided = None;
            continue;
        }
        if line.starts_with("- **Model:**") {
            decided = match (line.contains("`should`"), line.contains("`must`")) {
                (true, false) => Some(Severity::Should),
                (false, true) => Some(Severity::Must),
                _ => None,
            };
        }
        // Only a Rules line naming one rule: a decision over several rules may differ by rule.
        let rules_line = line.starts_with("- **Rules:**") && line.matches('`').count() == 2;
        for c in id.captures_iter(line) {
            let rule = &c[1];
            let dots = rule.matches('.').count();
            if dots < 3 || rule.contains('<') || rule.contains('*') || !PREFIXES.iter().any(|p| rule.starts_with(p)) {
                continue;
            }
            let severity = c
                .get(5)
                .map(|s| match s.as_str() {
                    "must" => Severity::Must,
                    "should" => Severity::Should,
                    _ => Severity::Info,
                })
                .or(if rules_line { decided } else { None });
            out.push((erratum.clone(), rule.to_string(), severity));
        }
    }
    out
}

fn errata() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/ERRATA.md")).unwrap()
}

#[test]
fn every_rule_an_erratum_cites_exists_with_the_severity_it_states() {
    let rules: BTreeMap<String, Severity> = catalogue::all().into_iter().map(|r| (r.id, r.severity)).collect();
    let cited = citations(&errata());
    assert!(
        cited.len() > 100,
        "the parser finds the errata's rule IDs ({})",
        cited.len()
    );
    let mut bad = Vec::new();
    for (erratum, id, stated) in &cited {
        // A file name or sample name (`ec.txns.request.old-upi-intent.curl`) is not a rule.
        let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../golden/seeds")
            .join(id);
        if !rules.contains_key(id) && sample.exists() {
            continue;
        }
        match rules.get(id) {
            None => bad.push(format!("{erratum}: cites `{id}`, which is not in the catalogue")),
            Some(sev) => {
                if let Some(stated) = stated {
                    if stated != sev {
                        bad.push(format!("{erratum}: says `{id}` is {stated}, the catalogue says {sev}"));
                    }
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} errata citations disagree with the catalogue:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// The parser catches a renamed rule and a contradicting severity.
#[test]
fn the_check_catches_a_missing_rule_and_a_wrong_severity() {
    let text = "### E-999: test\n- **Rules:** `payu.udf-update.response.rule.udfs-echo-vars`, `payu.payment.request.txnid.max-length` (must)\n";
    let cited = citations(text);
    assert_eq!(cited.len(), 2);
    let rules: BTreeMap<String, Severity> = catalogue::all().into_iter().map(|r| (r.id, r.severity)).collect();
    assert!(!rules.contains_key(&cited[0].1));
    assert_eq!(cited[1].2, Some(Severity::Must));
    assert_ne!(
        rules.get(&cited[1].1),
        Some(&Severity::Must),
        "txnid's limit is not stated: should"
    );
}

/// E-095: seed 002's OtherInfo says "As passed in request" but no request carries it, so no rule
/// may claim that echo (it would judge a value no request sent); its type rules stay `should`.
#[test]
fn no_rule_claims_the_other_info_echo_no_request_allows() {
    let other_info: Vec<_> = catalogue::all()
        .into_iter()
        .filter(|r| r.id.to_lowercase().contains("otherinfo"))
        .collect();
    assert_eq!(other_info.len(), 2, "the two OtherInfo type rules E-095 names");
    for rule in other_info {
        assert!(rule.id.ends_with(".otherInfo.type"), "{}: only a type rule", rule.id);
        assert!(!rule.id.contains(".echo"), "{}", rule.id);
        assert_eq!(rule.severity, Severity::Should, "{}", rule.id);
    }
    assert!(
        catalogue::all()
            .iter()
            .all(|r| !(r.statement.to_lowercase().contains("otherinfo") && r.statement.contains("as passed"))),
        "no statement claims OtherInfo is as passed in request"
    );
}
