//! Entry points for the fuzz targets in `fuzz/` and for the regression test that replays
//! `golden/fuzz-regressions/`: each target is one line calling a function here, so the oracles
//! live (and are reviewed) with the code they check. The deeplink targets are in
//! [`crate::deeplink::fuzzing`].
//!
//! Every function takes arbitrary bytes and panics only when an oracle is broken: bad input
//! must never panic on its own, so any panic is a bug (in the library or in an oracle).
//!
//! The keys and the salt used here are the published test credentials of `golden/keys/`.

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

use serde_json::Value;

use crate::crypto::jws::{self, JwsPolicy};
use crate::crypto::keys::{KeyRing, PublicKey, public_key_from_pem};
use crate::crypto::payu_hash::{self, Salt};
use crate::crypto::payu_sequence::HashFamily;
use crate::crypto::{RuleError, signature_payload};
use crate::input::{DEFAULT_MAX_BYTES, Document};
use crate::model::{Encoding, Message};
use crate::read::{Syntax, read};
use crate::validate::validate;
use crate::{Violation, catalogue, curl, deeplink, messages};

/// The merchant's test signing key (`golden/keys/`, test-only): JWS `kid` `merchant-key-1`
/// and the TPAP `signaturePayload` key.
const TEST_PUBLIC_KEY_PEM: &str = include_str!("../../golden/keys/merchant_signing.pub.pem");
/// The matching TEST-ONLY private key (golden/keys/README.md), for the determinism oracle.
const TEST_PRIVATE_KEY_PEM: &str = include_str!("../../golden/keys/merchant_signing.pem");

/// The PayU test salt of `golden/keys/README.md`.
const TEST_SALT: &str = "upiConformanceTestSalt";

/// "Now" for JWS freshness: the `nowMillis` of `golden/vectors/jws.json`.
const NOW_MILLIS: u64 = 1_700_158_230_380;

/// A fuzz target's entry point.
pub type Target = fn(&[u8]);

/// Every fuzz target of this crate by name, as `fuzz/Cargo.toml` and
/// `golden/fuzz-regressions/<target>/` name them.
pub const TARGETS: &[(&str, Target)] = &[
    ("deeplink_parse", deeplink::fuzzing::parse_round_trip),
    ("message_json", message_json),
    ("message_form", message_form),
    ("curl_command", curl_command),
    ("payu_callback", payu_callback),
    ("payu_s2s_response", payu_s2s_response),
    ("jws_envelope", jws_envelope),
    ("signature_payload", signature_payload),
];

static RULE_IDS: LazyLock<HashSet<String>> = LazyLock::new(|| catalogue::all().into_iter().map(|r| r.id).collect());

static FORM_MODELS: LazyLock<Vec<&'static Message>> = LazyLock::new(|| {
    messages::all()
        .iter()
        .filter(|m| m.encoding != Encoding::Json)
        .collect()
});

static TEST_KEY: LazyLock<PublicKey> =
    LazyLock::new(|| public_key_from_pem(TEST_PUBLIC_KEY_PEM).expect("the committed test key parses"));

static TEST_RING: LazyLock<KeyRing> = LazyLock::new(|| {
    let mut ring = KeyRing::new();
    // The vectors' kid and the corrected samples' kid both reach the signature check.
    ring.insert("merchant-key-1", TEST_KEY.clone())
        .insert("golden-test-key", TEST_KEY.clone());
    ring
});

fn model(id: &str) -> &'static Message {
    messages::find(id).unwrap_or_else(|| panic!("model {id} exists"))
}

/// Splits off the first byte as a selector among `count` choices.
fn select(data: &[u8], count: usize) -> Option<(usize, &[u8])> {
    let (&first, rest) = data.split_first()?;
    (count > 0).then(|| (usize::from(first) % count, rest))
}

/// Oracle of every rule-reporting path: each rule ID is in the catalogue.
fn assert_catalogued<'a>(ids: impl IntoIterator<Item = &'a str>, context: &str) {
    for id in ids {
        assert!(RULE_IDS.contains(id), "{context}: rule {id:?} is not in the catalogue");
    }
}

/// Validates, checks the rule IDs against the catalogue and that validation is deterministic.
fn validate_checked(message: &Message, document: &Document) -> Vec<Violation> {
    let first = validate(message, document);
    assert_catalogued(first.iter().map(|v| v.rule.as_str()), message.id);
    assert_eq!(
        first,
        validate(message, document),
        "{}: validation is not deterministic",
        message.id
    );
    first
}

/// Reads `bytes` for `message` with `syntax` and, when that works, validates with the oracles.
fn read_and_validate(message: &Message, bytes: &[u8], syntax: Syntax) -> Option<Document> {
    let document = read(message, bytes, syntax, DEFAULT_MAX_BYTES).ok()?;
    validate_checked(message, &document);
    Some(document)
}

/// First byte: a model of [`messages::all`]; the rest: a JSON instance. Oracles: reading and
/// validating never panic, every violation names a catalogue rule, validation is deterministic.
pub fn message_json(data: &[u8]) {
    let all = messages::all();
    if let Some((i, rest)) = select(data, all.len()) {
        read_and_validate(&all[i], rest, Syntax::Json);
    }
}

/// First byte: a form or multipart model; the rest: a form body. Oracles as [`message_json`].
pub fn message_form(data: &[u8]) {
    if let Some((i, rest)) = select(data, FORM_MODELS.len()) {
        read_and_validate(FORM_MODELS[i], rest, Syntax::Form);
    }
}

/// First byte: a model of [`messages::all`]; the rest: a curl command line. Oracles: no panic;
/// reading as curl succeeds only if [`curl::parse_curl`] does; validation as [`message_json`].
pub fn curl_command(data: &[u8]) {
    let all = messages::all();
    let Some((i, rest)) = select(data, all.len()) else {
        return;
    };
    let parsed = std::str::from_utf8(rest).ok().map(curl::parse_curl);
    if read_and_validate(&all[i], rest, Syntax::Curl).is_some() {
        assert!(
            matches!(parsed, Some(Ok(_))),
            "read accepted a curl line that parse_curl refuses"
        );
    }
}

/// A PayU callback or webhook form body. Oracles: validation as [`message_json`] against both
/// models; the reverse hash (test salt) that [`payu_hash::compute`] gives for the fields
/// verifies, the posted `hash` verifies exactly when it equals that hash, and every error names
/// a catalogue rule.
pub fn payu_callback(data: &[u8]) {
    let mut fields = None;
    for id in ["payu.callback", "payu.webhook"] {
        if let Some(document) = read_and_validate(model(id), data, Syntax::Form) {
            fields = Some(document.body);
        }
    }
    let Some(Value::Object(map)) = fields else {
        return;
    };
    let fields: BTreeMap<String, String> = map
        .into_iter()
        .filter_map(|(k, v)| Some((k, v.as_str()?.to_owned())))
        .collect();
    let salt = Salt::new(TEST_SALT);
    let family = HashFamily::Response;
    let received = fields.get("hash").map_or("", String::as_str);
    let verdict = payu_hash::verify(family, &fields, &salt, received);
    match payu_hash::compute(family, &fields, &salt) {
        Ok(own) => {
            assert_eq!(payu_hash::verify(family, &fields, &salt, &own), Ok(()), "own hash");
            assert_eq!(verdict.is_ok(), own == received, "posted hash {received:?}, own {own}");
        }
        Err(e) => assert_eq!(verdict, Err(e), "compute and verify disagree"),
    }
    if let Err(e) = verdict {
        assert_catalogued([e.rule_id()], "payu_hash::verify");
    }
}

/// A PayU S2S `_payment` response (JSON). Oracles: validation as [`message_json`]; a string
/// `result.intentURIData` is parsed by the deeplink grammar without panic, with catalogued
/// violations.
pub fn payu_s2s_response(data: &[u8]) {
    let Some(document) = read_and_validate(model("payu.payment.response"), data, Syntax::Json) else {
        return;
    };
    let Some(Value::String(query)) = document.body.pointer("/result/intentURIData") else {
        return;
    };
    if let Ok(parsed) = deeplink::parse_intent_uri_data(query) {
        assert_catalogued(parsed.violations.iter().map(|v| v.rule.as_str()), "intentURIData");
    }
}

/// A Merchant Stack request body (flattened JWS), verified against the test key. Oracles: it
/// never verifies (no valid signature can be fuzzed out of the seeds, which hold none),
/// `verify_body` is `parse_body` then `verify`, and every error names a catalogue rule.
pub fn jws_envelope(data: &[u8]) {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let policy = JwsPolicy {
        require_iat: true,
        ..JwsPolicy::default()
    };
    let verdict = jws::verify_body(body, &TEST_RING, &policy, NOW_MILLIS, None);
    let staged = jws::parse_body(body).and_then(|jws| jws::verify(&jws, &TEST_RING, &policy, NOW_MILLIS, None));
    assert_eq!(verdict, staged, "verify_body differs from parse_body + verify");
    match verdict {
        // RS256 (RSASSA-PKCS1-v1_5) is deterministic: whatever verifies must carry exactly the
        // signature the test key makes over `<protected>.<payload>` (seeds built from the
        // vectors hold valid envelopes, and mutations can rebuild one).
        Ok(v) => {
            let jws = jws::parse_body(body).expect("a verified body parses");
            let key = crate::crypto::keys::private_key_from_pem(TEST_PRIVATE_KEY_PEM).expect("the test key parses");
            let input = format!("{}.{}", jws.protected, jws.payload);
            let expected =
                crate::crypto::rsa_sig::sign(crate::crypto::SignatureAlgorithm::Rs256, &key, input.as_bytes())
                    .expect("signing works");
            let got = base64::Engine::decode(
                &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                jws.signature.as_bytes(),
            )
            .expect("a verified signature decodes");
            assert_eq!(
                got, expected,
                "kid {}: a signature other than the input's one RS256 signature verified",
                v.kid
            );
        }
        Err(e) => assert_catalogued([e.rule_id()], "jws::verify_body"),
    }
}

/// First line: a `signature` (base64); the rest: a `signaturePayload` string. Oracles: the
/// payload validates as [`message_json`] against each `tpap.signature-payload.*` model, the
/// signature never verifies with the test key, and the error names a catalogue rule.
pub fn signature_payload(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (signature, payload) = text.split_once('\n').unwrap_or(("", text));
    for id in [
        "tpap.signature-payload.session",
        "tpap.signature-payload.payment",
        "tpap.signature-payload.mandate",
    ] {
        read_and_validate(model(id), payload.as_bytes(), Syntax::Json);
    }
    match signature_payload::verify(&TEST_KEY, payload, signature) {
        // RSASSA-PKCS1-v1_5 is deterministic: a payload has exactly one valid signature, so
        // whatever verifies must be the one the private key makes (the seeds, built from the
        // vectors, hold some valid pairs, and mutations can rebuild one).
        Ok(()) => {
            let key = crate::crypto::keys::private_key_from_pem(TEST_PRIVATE_KEY_PEM).expect("the test key parses");
            let expected = signature_payload::sign(&key, payload).expect("signing works");
            assert_eq!(
                signature.trim(),
                expected,
                "a signature other than the payload's one PKCS#1 v1.5 signature verified"
            );
        }
        Err(e) => assert_catalogued([e.rule_id()], "signature_payload::verify"),
    }
}
