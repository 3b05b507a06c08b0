//! No message or rule ID is written as a string literal under `conformance/src/`: the runner
//! names messages and rules through the typed handles the spec crate declares next to them
//! (`upi_spec::messages::ids`, `upi_spec::rule_ids`), so a renamed rule is a compile error and
//! nothing takes an ID apart for its structure.

mod source_tree;

use std::path::Path;

use regex::Regex;

/// What an ID looks like: a known namespace, a dot, then more ID characters, as a whole literal.
const ID_SHAPED: &str = r#""(ec|merchant|payu|tpap|juspay|deeplink|transport|crypto|tpv)\.[A-Za-z0-9._-]+""#;

/// Literals that look like IDs but are not. Each entry is (file suffix, literal).
const ALLOWED: &[(&str, &str)] = &[
    // The configuration file's key paths, named in "missing credential" errors; not IDs.
    ("runner/config.rs", "\"ec.api_key\""),
    ("runner/config.rs", "\"payu.salt\""),
    ("runner/config.rs", "\"payu.key\""),
    ("runner/config.rs", "\"ec.merchant_id\""),
    ("runner/config.rs", "\"merchant.signing_key\""),
    ("runner/config.rs", "\"merchant.wrong_key\""),
    ("runner/config.rs", "\"merchant.psp_public_key\""),
];

/// The ID-shaped literals of `text` (a file at `path`) outside `#[cfg(test)]` modules and the
/// allow-list, as `path:line: literal`.
fn id_literals(path: &Path, text: &str) -> Vec<String> {
    let re = Regex::new(ID_SHAPED).expect("pattern");
    let shown = path.to_string_lossy().replace('\\', "/");
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        // Unit tests at the end of a file may name IDs: they check what the runner reports.
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        if line.trim_start().starts_with("//") {
            continue;
        }
        for m in re.find_iter(line) {
            let allowed = ALLOWED
                .iter()
                .any(|(file, lit)| shown.ends_with(file) && *lit == m.as_str());
            if !allowed {
                out.push(format!("{shown}:{}: {}", n + 1, m.as_str()));
            }
        }
    }
    out
}

#[test]
fn no_message_or_rule_id_literal_under_conformance_src() {
    let mut files = Vec::new();
    source_tree::rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    assert!(files.len() > 30, "found only {} source files", files.len());
    let found: Vec<String> = files
        .iter()
        .flat_map(|f| id_literals(f, &std::fs::read_to_string(f).unwrap_or_default()))
        .collect();
    assert!(
        found.is_empty(),
        "ID literals (use upi_spec::messages::ids / upi_spec::rule_ids):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_sees_an_injected_literal() {
    // Deliberately broken inputs: a rule ID and a message ID written as literals are reported;
    // the allow-listed config key is only allowed in config.rs; comments and unit tests are not
    // scanned.
    let flows = Path::new("src/runner/cases/flows.rs");
    let text = "fn f() {\n    Finding::must(\"payu.callback.delivered\", m);\n    // \"payu.callback\" in a comment\n    find(\"ec.txns.request\");\n}\n#[cfg(test)]\nmod tests { \"ec.txns.request\" }\n";
    assert_eq!(
        id_literals(flows, text),
        vec![
            "src/runner/cases/flows.rs:2: \"payu.callback.delivered\"".to_string(),
            "src/runner/cases/flows.rs:4: \"ec.txns.request\"".to_string(),
        ]
    );
    assert_eq!(id_literals(flows, "resolve(\"payu.salt\")").len(), 1);
    assert!(id_literals(Path::new("src/runner/config.rs"), "resolve(\"payu.salt\")").is_empty());
}
