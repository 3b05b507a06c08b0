//! Laws of the deeplink parser and builder:
//! - `parse(build(x)) == x` for generated deeplinks;
//! - `build(parse(s))` is canonical (no raw space, `+`, bad character or bad escape) and
//!   idempotent;
//! - parsing never panics on arbitrary bytes;
//! - percent-decoding then re-encoding is stable.

use proptest::prelude::*;
use upi_spec::deeplink::fuzzing::{self, Parts};
use upi_spec::deeplink::{build, encode, parse};

fn parts() -> impl Strategy<Value = Parts> {
    (
        any::<u8>(),
        prop::collection::vec((any::<u8>(), any::<String>()), 0..12),
        prop::collection::vec(("[a-zA-Z_%&=+ :?#é]{0,8}", any::<String>()), 0..4),
    )
        .prop_map(|(target, known, unknown)| Parts { target, known, unknown })
}

/// Strings that look like deeplinks: a likely prefix, then query-ish characters including the
/// troublesome ones (`%`, `+`, space, `#`, non-ASCII, `=`, `&`).
fn deeplinkish() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "upi://pay?",
            "upi://mandate?",
            "tez://upi/pay?",
            "bhim://pay?",
            "UPI://PAY?",
            "x:",
            "",
        ]),
        "([a-z]{1,4}=[a-zA-Z0-9%&=+ ._@:/?#-]{0,12}|%[0-9a-fA-FzZ]{0,2}|[éअ₹&=+ ]){0,10}",
    )
        .prop_map(|(p, q)| format!("{p}{q}"))
}

const NON_CANONICAL: [&str; 5] = [
    "deeplink.syntax.raw-space",
    "deeplink.syntax.plus",
    "deeplink.syntax.char",
    "deeplink.syntax.percent-escape",
    "deeplink.syntax.utf8",
];

proptest! {
    #[test]
    fn parse_of_build_is_identity(parts in parts()) {
        let link = parts.into_deeplink();
        let text = build(&link);
        let parsed = parse(&text).expect("built text parses");
        prop_assert_eq!(&parsed.deeplink, &link, "built {}", text);
    }

    #[test]
    fn build_of_parse_is_canonical_and_idempotent(s in deeplinkish()) {
        if let Ok(parsed) = parse(&s) {
            let canonical = build(&parsed.deeplink);
            let again = parse(&canonical).expect("canonical text parses");
            for v in &again.violations {
                prop_assert!(!NON_CANONICAL.contains(&v.rule.as_str()), "{} in {}", v, canonical);
            }
            prop_assert_eq!(&again.deeplink, &parsed.deeplink);
            prop_assert_eq!(build(&again.deeplink), canonical);
        }
    }

    #[test]
    fn parsing_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        fuzzing::parse_round_trip(&bytes);
        let text = String::from_utf8_lossy(&bytes);
        // Whatever happens, it is a value, not a panic; errors name the fatal rule.
        if let Err(e) = parse(&text) {
            prop_assert!(e.to_string().starts_with("deeplink.syntax.uri at byte "));
        }
    }

    #[test]
    fn percent_encode_then_decode_is_stable(value in any::<String>()) {
        let mut encoded = String::new();
        encode(&value, &mut encoded);
        prop_assert!(!encoded.contains(' ') && !encoded.contains('+'));
        let text = format!("upi://pay?x={encoded}");
        let parsed = parse(&text).unwrap();
        let decoded = parsed.deeplink.unknown().next().map(|(_, v)| v.to_string());
        prop_assert_eq!(decoded.as_deref(), Some(value.as_str()));
        let mut twice = String::new();
        encode(decoded.as_deref().unwrap(), &mut twice);
        prop_assert_eq!(twice, encoded);
    }

    #[test]
    fn decode_then_encode_then_decode_is_stable(raw in "[a-zA-Z0-9%+ ._~@éz-]{0,24}") {
        let text = format!("upi://pay?x={raw}");
        let first = parse(&text).unwrap();
        let value = first.deeplink.unknown().next().unwrap().1.to_string();
        let mut encoded = String::new();
        encode(&value, &mut encoded);
        let text2 = format!("upi://pay?x={encoded}");
        let second = parse(&text2).unwrap();
        prop_assert_eq!(second.deeplink.unknown().next().unwrap().1, value.as_str());
    }
}

#[test]
fn valid_input_without_escapes_borrows_everything() {
    let input = "upi://pay?pa=juspay@axisbank&pn=Swiggy&am=1.00&cu=INR&tr=r1&foo=bar";
    let parsed = parse(input).unwrap();
    assert!(parsed.deeplink.is_borrowed());
    let escaped = parse("upi://pay?pa=juspay@axisbank&pn=Merchant%20Inc&tr=r1").unwrap();
    assert!(!escaped.deeplink.is_borrowed(), "a decoded escape needs an owned value");
}
