//! Entry points for the fuzz targets in `fuzz/` and for the property tests: each target is one
//! line calling a function here, so the oracles live (and are reviewed) with the code.

use super::build::build;
use super::key::Key;
use super::link::{Deeplink, Target};
use super::parse::parse;

/// Oracle for arbitrary bytes: parsing never panics, and the canonical rebuild of whatever
/// parses parses to the same link and rebuilds to the same text.
pub fn parse_round_trip(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(parsed) = parse(text) else {
        return;
    };
    let canonical = build(&parsed.deeplink);
    let again = parse(&canonical).expect("the canonical text of a parsed link parses");
    assert_eq!(again.deeplink, parsed.deeplink, "canonical text: {canonical}");
    assert_eq!(build(&again.deeplink), canonical, "build is not idempotent");
}

/// Raw material for a structured deeplink: a target selector, known parameters by index and
/// unknown ones by name.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Parts {
    /// Picks the target (7 known schemes and the bare query).
    pub target: u8,
    /// Known parameters as (index into [`Key::ALL`], value).
    pub known: Vec<(u8, String)>,
    /// Unknown parameters.
    pub unknown: Vec<(String, String)>,
}

impl Parts {
    /// The deeplink these parts describe, keeping only what a deeplink can represent: keys of
    /// the target's kind, the first value of each, unknown names that are non-empty, unique and
    /// not a known key of that kind.
    pub fn into_deeplink(self) -> Deeplink<'static> {
        let targets = [
            Target::UpiPay,
            Target::UpiMandate,
            Target::Gpay,
            Target::PhonePe,
            Target::Paytm,
            Target::Cred,
            Target::Bhim,
            Target::Bare,
        ];
        let target = targets[usize::from(self.target) % targets.len()].clone();
        let kind = target.kind();
        let mut link = Deeplink::new(target);
        for (i, value) in self.known {
            let key = Key::ALL[usize::from(i) % Key::COUNT];
            if key.applies_to(kind) && !link.has(key) {
                link.set(key, value);
            }
        }
        for (name, value) in self.unknown {
            let known = Key::from_wire(&name).is_some_and(|k| k.applies_to(kind));
            if !name.is_empty() && !known && !link.has_unknown(&name) {
                link.push_unknown(name, value);
            }
        }
        if link.target == Target::Bare && link.params().next().is_none() {
            // A bare query needs at least one parameter to be told apart from nothing.
            link.target = Target::UpiPay;
        }
        link
    }
}

/// Oracle for structured input: build then parse gives back the same link.
pub fn build_parse_equal(link: &Deeplink<'_>) {
    let text = build(link);
    let parsed = parse(&text).expect("built text parses");
    assert_eq!(&parsed.deeplink, link, "built text: {text}");
}

/// Structured fuzz target: arbitrary [`Parts`] → deeplink → build → parse → equal.
#[cfg(feature = "arbitrary")]
pub fn structured(data: &[u8]) {
    let mut u = arbitrary::Unstructured::new(data);
    if let Ok(parts) = <Parts as arbitrary::Arbitrary>::arbitrary(&mut u) {
        build_parse_equal(&parts.into_deeplink());
    }
}
