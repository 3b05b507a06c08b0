//! Golden tests for deeplinks, driven by files under `golden/deeplinks/`:
//! - every deeplink the seeds print (`seeds.txt`) is parsed and its result snapshotted;
//! - the deeplinks built from the seeds' sample responses equal the printed ones, except for
//!   the parameters `seed-equivalence.json` attributes to an erratum of `spec/ERRATA.md`
//!   (a ratchet both ways: an unlisted difference and a listed non-difference both fail).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::{Value, json};
use upi_spec::deeplink::{self, MessageId, build, mapping, parse};

fn golden(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../golden").join(path)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(golden(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `(name, source, link)` for each link of `seeds.txt`.
fn seed_links() -> Vec<(String, String, String)> {
    let text = read("deeplinks/seeds.txt");
    let mut out = Vec::new();
    let mut pending: Option<(String, String)> = None;
    for (n, line) in text.lines().enumerate() {
        if line.starts_with("## ") || line == "##" {
            continue;
        }
        if let Some(comment) = line.strip_prefix("# ") {
            assert!(pending.is_none(), "line {}: two name lines in a row", n + 1);
            let (name, source) = comment
                .split_once(" | ")
                .unwrap_or_else(|| panic!("line {}: expected `# name | source`", n + 1));
            pending = Some((name.to_string(), source.to_string()));
            continue;
        }
        let (name, source) = pending
            .take()
            .unwrap_or_else(|| panic!("line {}: a link without a name line before it", n + 1));
        out.push((name, source, line.to_string()));
    }
    assert!(pending.is_none(), "a name line without a link after it");
    out
}

fn snapshot_value(source: &str, link: &str) -> Value {
    match parse(link) {
        Ok(parsed) => json!({
            "source": source,
            "input": link,
            "deeplink": parsed.deeplink,
            "conformant": parsed.is_conformant(),
            "violations": parsed.violations,
            "canonical": build(&parsed.deeplink),
        }),
        Err(e) => json!({ "source": source, "input": link, "fatal": e.to_string() }),
    }
}

#[test]
fn every_seed_deeplink_parses_as_snapshotted() {
    let links = seed_links();
    assert!(links.len() >= 14, "seeds.txt lost links: {}", links.len());
    let mut names = std::collections::BTreeSet::new();
    for (name, source, link) in links {
        assert!(names.insert(name.clone()), "duplicate name {name}");
        insta::with_settings!({snapshot_path => golden("snapshots"), prepend_module_to_snapshot => false}, {
            insta::assert_json_snapshot!(format!("deeplink-{name}"), snapshot_value(&source, &link));
        });
    }
}

#[test]
fn seed_quirks_are_reported_with_their_rules() {
    let links: BTreeMap<String, String> = seed_links().into_iter().map(|(n, _, l)| (n, l)).collect();
    let rules_of = |name: &str| -> Vec<String> {
        parse(&links[name])
            .unwrap()
            .violations
            .into_iter()
            .map(|v| format!("{} {}", v.rule, v.at))
            .collect()
    };
    // `pn= Merchant%20Inc`: the raw space is at byte 91 of seed 001's sample.
    let ec = rules_of("ec-sample-uri");
    assert!(ec.contains(&"deeplink.syntax.raw-space byte 91".to_string()), "{ec:?}");
    assert!(
        ec.iter().any(|r| r.starts_with("deeplink.pay.pn.outer-space")),
        "{ec:?}"
    );
    // `am=1.0` in V2 is a decimal amount (DL-4): neither the format nor the decimals rule.
    let v2 = rules_of("register-intent-v2-sample");
    assert!(!v2.iter().any(|r| r.starts_with("deeplink.pay.am.")), "{v2:?}");
    assert!(v2.iter().any(|r| r.starts_with("deeplink.syntax.char")), "{v2:?}");
    // The V3 sample is clean.
    assert_eq!(rules_of("register-intent-v3-sample"), Vec::<String>::new());
    // PayU's intentURIData is a bare query: informational only.
    let payu = rules_of("payu-intent-uri-data");
    assert_eq!(payu, vec!["deeplink.syntax.bare-query byte 0".to_string()]);
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Equivalence {
    name: String,
    message: String,
    response: String,
    printed: String,
    errata: BTreeMap<String, String>,
}

#[test]
fn links_built_from_seed_responses_equal_printed_links_up_to_errata() {
    let cases: Vec<Equivalence> = serde_json::from_str(&read("deeplinks/seed-equivalence.json")).unwrap();
    let errata = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ERRATA.md")).unwrap();
    assert!(cases.len() >= 3);
    for case in cases {
        let response: Value = serde_json::from_str(&read(&format!("deeplinks/{}", case.response)))
            .unwrap_or_else(|e| panic!("{}: {e}", case.response));
        let message = MessageId::from_id(&case.message).unwrap();
        let mapped = mapping::map_response(message, &response).unwrap();
        let built_text = build(&mapped.deeplink);
        let built = parse(&built_text).unwrap().deeplink;
        let printed = parse(&case.printed).unwrap().deeplink;
        let as_map = |d: &deeplink::Deeplink<'_>| -> BTreeMap<String, String> {
            d.params().map(|(n, v)| (n.to_string(), v.to_string())).collect()
        };
        let (b, p) = (as_map(&built), as_map(&printed));
        let differing: BTreeMap<String, (Option<String>, Option<String>)> = b
            .keys()
            .chain(p.keys())
            .filter(|k| b.get(*k) != p.get(*k))
            .map(|k| (k.clone(), (b.get(k).cloned(), p.get(k).cloned())))
            .collect();
        let listed: Vec<&String> = case.errata.keys().collect();
        let found: Vec<&String> = differing.keys().collect();
        assert_eq!(
            found, listed,
            "{}: built {built_text} vs printed {}; differences {differing:?}",
            case.name, case.printed
        );
        for id in case.errata.values() {
            assert!(
                errata.contains(&format!("### {id}:")),
                "{}: erratum {id} is not in spec/ERRATA.md",
                case.name
            );
        }
    }
}
