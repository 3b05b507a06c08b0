//! The rule catalogue as `rules --format json` prints it: every rule has an ID, statement,
//! severity and source, and the list of IDs is a snapshot, so no ID changes by accident. Every
//! generated JSON Schema compiles with the `jsonschema` crate and is valid draft 2020-12.

use std::process::Command;

use serde_json::Value;

#[test]
fn rules_json_lists_every_rule_with_its_attributes() {
    let out = Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rules: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut lines = Vec::new();
    for r in &rules {
        for key in ["id", "statement", "severity", "source", "scope", "schema"] {
            assert!(r.get(key).is_some(), "rule {r} lacks {key}");
        }
        assert!(!r["statement"].as_str().unwrap().is_empty());
        assert!(["must", "should", "info"].contains(&r["severity"].as_str().unwrap()));
        // Every rule carries its grounding (issue 11): a stated one its file and quote, the
        // others their reasoning; a must is stated or a precondition of judging.
        let g = &r["grounding"];
        let text = |key: &str| g[key].as_str().is_some_and(|t| !t.trim().is_empty());
        match g["kind"].as_str() {
            Some("stated") => assert!(text("file") && text("quote"), "rule {r}: stated without file and quote"),
            Some("derived" | "unverified" | "precondition") => assert!(text("reasoning"), "rule {r}: no reasoning"),
            _ => panic!("rule {r}: no grounding kind"),
        }
        if r["severity"] == "must" {
            assert!(
                matches!(g["kind"].as_str(), Some("stated" | "precondition")),
                "rule {r}: a must that is neither stated nor a precondition"
            );
        }
        lines.push(format!(
            "{} {}",
            r["id"].as_str().unwrap(),
            r["severity"].as_str().unwrap()
        ));
    }
    let listing = format!("{} rules\n{}\n", lines.len(), lines.join("\n"));
    insta::with_settings!({snapshot_path => "../../golden/snapshots/catalogue", prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("rule-ids", listing);
    });
}

#[test]
fn every_schema_compiles_and_is_draft_2020_12() {
    let all = upi_spec::schema::all();
    assert!(all.len() > 30);
    for s in all {
        assert_eq!(s.schema["$schema"], upi_spec::schema::DIALECT, "{}", s.stem);
        jsonschema::meta::validate(&s.schema).unwrap_or_else(|e| panic!("{} is not a valid schema: {e}", s.stem));
        jsonschema::draft202012::new(&s.schema).unwrap_or_else(|e| panic!("{} does not compile: {e}", s.stem));
    }
}
