//! Real-world link shapes (`golden/deeplinks/third-party.json`, made by
//! `golden/deeplinks/third_party_gen.py` with the encoders of Python, JavaScript, Java, Go, PHP
//! and Android): each link means exactly the parameters its generator was given, and breaks no
//! `must` rule except the defects the vector names. Hostile links are refused with a named rule.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::Deserialize;
use upi_spec::Severity;
use upi_spec::deeplink::{self, parse};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Vector {
    name: String,
    /// The library (or hand-written source) whose output the link is.
    library: String,
    uri: String,
    /// What the link means: the generator's input, decoded independently of our parser.
    params: BTreeMap<String, String>,
    /// The `must` rules the link breaks (empty unless `defect` names a real defect).
    musts: Vec<String>,
    /// The real defect, when `musts` is not empty.
    #[serde(default)]
    defect: Option<String>,
}

fn vectors() -> Vec<Vector> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../golden/deeplinks/third-party.json");
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
}

#[test]
fn third_party_links_mean_what_they_encode_and_break_no_must() {
    let vectors = vectors();
    assert!(vectors.len() >= 100, "corpus shrank: {}", vectors.len());
    let mut per_library: BTreeMap<&str, usize> = BTreeMap::new();
    let mut names = BTreeSet::new();
    for v in &vectors {
        assert!(names.insert(&v.name), "duplicate vector {}", v.name);
        assert!(!v.library.is_empty(), "{}: no library", v.name);
        *per_library.entry(&v.library).or_default() += 1;
        assert_eq!(
            v.defect.is_some(),
            !v.musts.is_empty(),
            "{}: a vector names a defect exactly when it breaks a must",
            v.name
        );
        let parsed = parse(&v.uri).unwrap_or_else(|e| panic!("{}: {e}", v.name));
        let got: BTreeMap<String, String> = parsed
            .deeplink
            .params()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        assert_eq!(got, v.params, "{} ({}): {}", v.name, v.library, v.uri);
        let musts: BTreeSet<&str> = parsed
            .violations
            .iter()
            .filter(|x| x.severity == Severity::Must)
            .map(|x| x.rule.as_str())
            .collect();
        let want: BTreeSet<&str> = v.musts.iter().map(String::as_str).collect();
        assert_eq!(
            musts, want,
            "{} ({}): {} -> {:?}",
            v.name, v.library, v.uri, parsed.violations
        );
    }
    // Every library of the generator contributes every shape.
    for library in [
        "python urllib.parse.urlencode",
        "python urllib.parse.quote",
        "python urllib.parse.quote_plus",
        "js URLSearchParams",
        "js encodeURIComponent",
        "java URLEncoder.encode",
        "go url.Values.Encode",
        "php http_build_query",
        "kotlin android.net.Uri.Builder",
    ] {
        assert!(
            per_library.get(library).copied().unwrap_or(0) >= 10,
            "{library}: {per_library:?}"
        );
    }
}

#[test]
fn form_encoded_links_are_a_should_finding_not_a_failure() {
    // `+` for a space, as urlencode/URLSearchParams/URLEncoder/http_build_query write it.
    let p = parse("upi://pay?pa=shop%40ybl&pn=Kumar+%26+Sons&am=100&cu=INR").unwrap();
    assert!(p.is_conformant(), "{:?}", p.violations);
    assert_eq!(p.deeplink.get(deeplink::Key::Pn), Some("Kumar & Sons"));
    let plus: Vec<_> = p.of_rule("deeplink.syntax.plus").collect();
    assert_eq!(plus.len(), 2);
    assert!(plus.iter().all(|v| v.severity == Severity::Should));
}

/// The hostile inputs of issue 13: reported with the rule named, without panic. An over-long
/// `am` breaks a `must` rule; a control character breaks `deeplink.syntax.control`, a `should`
/// since no seed or DOMAIN.md sentence forbids an encoded control character (issue 11: must ⇒
/// stated), so it is a warning that names the rule, never a silent acceptance.
#[test]
fn hostile_links_are_refused_with_a_named_rule() {
    let long_am = format!("upi://pay?pa=a@ybl&pn=Shop&am={}", "9".repeat(5_000));
    let long_fraction = format!("upi://pay?pa=a@ybl&pn=Shop&am=1.{}", "0".repeat(5_000));
    let controls_everywhere = format!("upi://pay?pa=a@ybl&pn={}", "%C2%85".repeat(10_000));
    let cases: [(&str, &str, &str); 6] = [
        ("upi://pay?pa=a@ybl&pn=a%00b%1b[31m", "deeplink.syntax.control", "'\\0'"),
        (
            "upi://pay?pa=a@ybl&pn=Shop&tn=%07bell",
            "deeplink.syntax.control",
            "'\\u{7}'",
        ),
        (
            "upi://pay?pa=a@ybl&pn=%E2%80%AEpohS",
            "deeplink.syntax.control",
            "'\\u{202e}'",
        ),
        (&long_am, "deeplink.pay.am.format", "at most 18 digits"),
        (&long_fraction, "deeplink.pay.am.format", "at most 18 digits"),
        (&controls_everywhere, "deeplink.syntax.control", "9999 more"),
    ];
    for (uri, rule, reason) in cases {
        let p = parse(uri).unwrap();
        let v = p
            .of_rule(rule)
            .next()
            .unwrap_or_else(|| panic!("{uri:.80}: no {rule} in {:?}", p.violations));
        let severity = upi_spec::catalogue::severity(rule).unwrap();
        assert_eq!(v.severity, severity, "{rule}");
        if severity == Severity::Must {
            assert!(!p.is_conformant(), "{uri:.80} accepted");
        }
        assert!(v.reason.contains(reason), "{uri:.80}: {}", v.reason);
    }
    // The same values, mended, pass: the refusal is about the hostile part only.
    for uri in [
        "upi://pay?pa=a@ybl&pn=ab%5B31m",
        "upi://pay?pa=a@ybl&pn=Shop&am=999999999999999999",
    ] {
        assert!(parse(uri).unwrap().is_conformant(), "{uri}");
    }
}
