//! The readings of `upi_spec::readings` are the ones `spec/ERRATA.md` lists (its `**Readings:**`
//! lines), each erratum has exactly one default, and every rule a reading affects exists.

use std::collections::{BTreeMap, BTreeSet};

use regex::Regex;
use upi_spec::{catalogue, readings};

/// Erratum → reading IDs, from the `**Readings:**` lines of `text`.
fn listed(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let id = Regex::new(r"`((?:E|C|DL)-\d+)/([a-z0-9-]+)`").unwrap();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut erratum = String::new();
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            erratum = h.split(':').next().unwrap_or(h).trim().to_string();
        }
        if line.starts_with("- **Readings:**") {
            for c in id.captures_iter(line) {
                assert_eq!(&c[1], erratum, "a reading of another erratum under {erratum}: {line}");
                out.entry(erratum.clone())
                    .or_default()
                    .insert(format!("{}/{}", &c[1], &c[2]));
            }
        }
    }
    out
}

fn of_module() -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in readings::all() {
        assert!(
            r.id.starts_with(&format!("{}/", r.erratum)),
            "{} is not under {}",
            r.id,
            r.erratum
        );
        out.entry(r.erratum.to_string()).or_default().insert(r.id.to_string());
    }
    out
}

#[test]
fn the_readings_are_the_ones_errata_lists() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/ERRATA.md")).unwrap();
    let listed = listed(&text);
    assert!(listed.len() >= 7, "ERRATA lists readings for {} errata", listed.len());
    assert_eq!(
        of_module(),
        listed,
        "upi_spec::readings and ERRATA.md's Readings lines differ"
    );
}

#[test]
fn each_erratum_has_one_default_and_its_rules_exist() {
    let rules: BTreeSet<String> = catalogue::all().into_iter().map(|r| r.id).collect();
    for (erratum, ids) in of_module() {
        let defaults = readings::of(&erratum).filter(|r| r.default).count();
        assert_eq!(defaults, 1, "{erratum} needs exactly one default reading");
        assert!(ids.len() >= 2, "{erratum} lists a single reading: no ambiguity");
    }
    for r in readings::all() {
        for rule in r.rules {
            assert!(rules.contains(*rule), "{} names unknown rule {rule}", r.id);
        }
    }
    assert_eq!(readings::find("E-046/range").map(|r| r.default), Some(false));
}

/// The comparison catches a reading that ERRATA does not list.
#[test]
fn a_reading_missing_from_errata_is_caught() {
    let text = "### E-046: x\n- **Readings:** `E-046/literal` (default)\n";
    let got = listed(text);
    assert_ne!(got.get("E-046"), of_module().get("E-046"));
}
