//! Runs every vector file of `golden/vectors/` against `upi_spec::crypto`: each valid case must
//! compute the vector's output and verify; each invalid case must be rejected for the rule its
//! flags name in the file's `notes`. Files are read into typed structs that deny unknown
//! members, and every member is used, so a typo in a vector cannot pass silently.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::{Digest as _, Sha256, Sha512};
use upi_spec::crypto::freshness::FreshnessWindow;
use upi_spec::crypto::jws::{self, FlattenedJws, JwsPolicy};
use upi_spec::crypto::keys::{KeyRing, private_key_from_pem, public_key_from_pem};
use upi_spec::crypto::payu_hash::{self, Preimage, SALT_PLACEHOLDER, Salt};
use upi_spec::crypto::payu_sequence::HashFamily;
use upi_spec::crypto::{RuleError, SignatureAlgorithm, response_signature, rules, signature_payload, tpv};

fn golden(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../golden").join(path)
}

fn load<T: DeserializeOwned>(file: &str) -> T {
    let text = std::fs::read_to_string(golden(&format!("vectors/{file}"))).unwrap_or_else(|e| panic!("{file}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn public_key(name: &str) -> upi_spec::crypto::PublicKey {
    public_key_from_pem(&std::fs::read_to_string(golden(&format!("keys/{name}.pub.pem"))).unwrap()).unwrap()
}

fn private_key(name: &str) -> upi_spec::crypto::PrivateKey {
    private_key_from_pem(&std::fs::read_to_string(golden(&format!("keys/{name}.pem"))).unwrap()).unwrap()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Outcome {
    Valid,
    Invalid,
    Acceptable,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Note {
    description: String,
    rule: Option<String>,
}

/// The header every file shares.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Header {
    family: String,
    algorithm: String,
    source: String,
    generated_by: String,
    notes: BTreeMap<String, Note>,
}

impl Header {
    fn check(&self, family: &str) {
        assert_eq!(self.family, family);
        assert!(!self.algorithm.is_empty() && !self.source.is_empty());
        assert!(self.generated_by.contains("independent of the Rust code"));
        for (flag, note) in &self.notes {
            assert!(!note.description.is_empty(), "{family}: note {flag} has no description");
        }
    }

    /// The rule an invalid case must be rejected for; `None` for valid and acceptable cases.
    fn expected_rule(&self, id: u32, comment: &str, result: Outcome, flags: &[String]) -> Option<&str> {
        let rules: BTreeSet<&str> = flags
            .iter()
            .map(|f| {
                self.notes
                    .get(f)
                    .unwrap_or_else(|| panic!("{} #{id}: flag {f} not in notes", self.family))
            })
            .filter_map(|n| n.rule.as_deref())
            .collect();
        match result {
            Outcome::Invalid => {
                assert_eq!(
                    rules.len(),
                    1,
                    "{} #{id} ({comment}): flags must name one rule",
                    self.family
                );
                rules.into_iter().next()
            }
            Outcome::Valid | Outcome::Acceptable => {
                assert!(
                    rules.is_empty(),
                    "{} #{id} ({comment}): a passing case names a rule",
                    self.family
                );
                None
            }
        }
    }
}

// ------------------------------------------------------------------------------ PayU

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PayuFile {
    #[serde(flatten)]
    header: Header,
    tests: Vec<PayuCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PayuCase {
    tc_id: u32,
    comment: String,
    fields: BTreeMap<String, String>,
    salt: String,
    hashed_string: Option<String>,
    hash: String,
    result: Outcome,
    flags: Vec<String>,
}

fn run_payu(file: &str, family_name: &str, family: HashFamily) -> BTreeSet<String> {
    let vectors: PayuFile = load(file);
    vectors.header.check(family_name);
    let mut rules_seen = BTreeSet::new();
    for case in &vectors.tests {
        let at = format!("{file} #{} ({})", case.tc_id, case.comment);
        let salt = Salt::new(case.salt.clone());
        let expected = vectors
            .header
            .expected_rule(case.tc_id, &case.comment, case.result, &case.flags);
        if let Some(hashed) = &case.hashed_string {
            let digest = hex::encode(Sha512::digest(hashed.as_bytes()));
            assert_eq!(
                digest,
                case.hash.trim().to_ascii_lowercase(),
                "{at}: vector's hashedString and hash disagree"
            );
        }
        // The one-pass fast path (what `verify` and the runner use) and the explaining path
        // (`hash --explain`) hash the same string, or refuse with the same error.
        let fast = payu_hash::compute_hex(family, &case.fields, &salt).map(|h| h.to_string());
        let explained = Preimage::new(family, &case.fields).map(|p| p.hash(&salt));
        assert_eq!(fast, explained, "{at}: the fast path and the explaining path differ");
        let outcome = payu_hash::verify(family, &case.fields, &salt, &case.hash);
        match expected {
            None => {
                assert_eq!(outcome, Ok(()), "{at}");
                let preimage = Preimage::new(family, &case.fields).unwrap();
                let hashed = case
                    .hashed_string
                    .as_deref()
                    .expect("passing cases show the hashed string");
                assert_eq!(
                    preimage.masked_string().replace(SALT_PLACEHOLDER, &case.salt),
                    hashed,
                    "{at}"
                );
                assert_eq!(preimage.hash(&salt), case.hash, "{at}");
            }
            Some(rule) => {
                let err = outcome.expect_err(&at);
                assert_eq!(err.rule_id(), rule, "{at}: rejected for {err}");
                rules_seen.insert(rule.to_owned());
            }
        }
    }
    rules_seen
}

#[test]
fn payu_request_hash() {
    run_payu("payu_request_hash.json", "payu_request_hash", HashFamily::Request);
}

#[test]
fn payu_response_hash() {
    run_payu("payu_response_hash.json", "payu_response_hash", HashFamily::Response);
}

#[test]
fn payu_command_hash() {
    run_payu("payu_command_hash.json", "payu_command_hash", HashFamily::Command);
}

// ------------------------------------------------------------------------------ TPV

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TpvFile {
    #[serde(flatten)]
    header: Header,
    tests: Vec<TpvCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct TpvCase {
    tc_id: u32,
    comment: String,
    account_number: String,
    ifsc: String,
    hashed_input: Option<String>,
    hash: String,
    result: Outcome,
    flags: Vec<String>,
}

fn run_tpv() -> BTreeSet<String> {
    let vectors: TpvFile = load("tpv.json");
    vectors.header.check("tpv_payer_account_hash");
    let mut rules_seen = BTreeSet::new();
    for case in &vectors.tests {
        let at = format!("tpv.json #{} ({})", case.tc_id, case.comment);
        if let Some(input) = &case.hashed_input {
            let digest = hex::encode(Sha256::digest(input.as_bytes()));
            assert_eq!(
                digest,
                case.hash.to_ascii_lowercase(),
                "{at}: vector's hashedInput and hash disagree"
            );
        }
        let outcome = tpv::verify(&case.account_number, &case.ifsc, &case.hash);
        match vectors
            .header
            .expected_rule(case.tc_id, &case.comment, case.result, &case.flags)
        {
            None => {
                assert_eq!(outcome, Ok(()), "{at}");
                assert_eq!(
                    tpv::hashed_input(&case.account_number, &case.ifsc).as_ref(),
                    Ok(case.hashed_input.as_ref().unwrap()),
                    "{at}"
                );
                assert_eq!(
                    tpv::payer_account_hash(&case.account_number, &case.ifsc).as_ref(),
                    Ok(&case.hash),
                    "{at}"
                );
            }
            Some(rule) => {
                let err = outcome.expect_err(&at);
                assert_eq!(err.rule_id(), rule, "{at}: rejected for {err}");
                rules_seen.insert(rule.to_owned());
            }
        }
    }
    rules_seen
}

#[test]
fn tpv_payer_account_hash() {
    run_tpv();
}

#[test]
fn tpv_seed_example_is_sha256_of_123456789abcd() {
    assert_eq!(
        tpv::hashed_input("0000123456789", "ABCD0000345"),
        Ok("123456789ABCD".to_owned())
    );
    assert_eq!(
        tpv::payer_account_hash("0000123456789", "ABCD0000345").unwrap(),
        hex::encode(Sha256::digest(b"123456789ABCD"))
    );
}

// ------------------------------------------------------------------------------ JWS

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct JwsFile {
    #[serde(flatten)]
    header: Header,
    keys: BTreeMap<String, String>,
    response_key: String,
    policy: PolicyDefaults,
    tests: Vec<JwsCase>,
    response_signature_tests: Vec<ResponseSignatureCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PolicyDefaults {
    algorithm: String,
    max_age_millis: u64,
    max_skew_millis: u64,
    now_millis: u64,
    require_iat: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct JwsCase {
    tc_id: u32,
    comment: String,
    jws: serde_json::Value,
    result: Outcome,
    flags: Vec<String>,
    known_answer: Option<KnownAnswer>,
    x_timestamp: Option<String>,
    algorithm: Option<String>,
    require_iat: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct KnownAnswer {
    signing_key: String,
    kid: String,
    payload_json: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ResponseSignatureCase {
    tc_id: u32,
    comment: String,
    body: String,
    signature: String,
    result: Outcome,
    flags: Vec<String>,
}

fn algorithm(name: &str) -> SignatureAlgorithm {
    SignatureAlgorithm::from_jws_name(name).unwrap_or_else(|| panic!("unknown algorithm {name}"))
}

fn ring(keys: &BTreeMap<String, String>) -> KeyRing {
    let mut ring = KeyRing::new();
    for (kid, name) in keys {
        ring.insert(kid.clone(), public_key(name));
    }
    ring
}

fn run_jws() -> BTreeSet<String> {
    let vectors: JwsFile = load("jws.json");
    vectors.header.check("juspay_merchant_jws");
    let keys = ring(&vectors.keys);
    let defaults = &vectors.policy;
    let mut rules_seen = BTreeSet::new();
    for case in &vectors.tests {
        let at = format!("jws.json #{} ({})", case.tc_id, case.comment);
        let policy = JwsPolicy {
            algorithm: algorithm(case.algorithm.as_deref().unwrap_or(&defaults.algorithm)),
            window: FreshnessWindow {
                max_age_millis: defaults.max_age_millis,
                max_skew_millis: defaults.max_skew_millis,
            },
            require_iat: case.require_iat.unwrap_or(defaults.require_iat),
        };
        let outcome = jws::verify_body(
            &case.jws.to_string(),
            &keys,
            &policy,
            defaults.now_millis,
            case.x_timestamp.as_deref(),
        );
        match vectors
            .header
            .expected_rule(case.tc_id, &case.comment, case.result, &case.flags)
        {
            None => {
                let verified = outcome.unwrap_or_else(|e| panic!("{at}: {e}"));
                assert!(vectors.keys.contains_key(&verified.kid), "{at}");
                if let Some(known) = &case.known_answer {
                    let signed = jws::sign(
                        &private_key(&known.signing_key),
                        policy.algorithm,
                        &known.kid,
                        &known.payload_json,
                    )
                    .unwrap();
                    let expected: FlattenedJws = serde_json::from_value(case.jws.clone()).unwrap();
                    assert_eq!(
                        signed, expected,
                        "{at}: our RS256 signature differs from the known answer"
                    );
                    assert_eq!(verified.payload_json, known.payload_json, "{at}");
                }
            }
            Some(rule) => {
                assert!(case.known_answer.is_none(), "{at}: known answers are valid cases");
                let err = outcome.expect_err(&at);
                assert_eq!(err.rule_id(), rule, "{at}: rejected for {err}");
                rules_seen.insert(rule.to_owned());
            }
        }
    }
    let psp_public = public_key(&vectors.response_key);
    let psp_private = private_key(&vectors.response_key);
    for case in &vectors.response_signature_tests {
        let at = format!("jws.json responseSignatureTests #{} ({})", case.tc_id, case.comment);
        let outcome = response_signature::verify(&psp_public, case.body.as_bytes(), &case.signature);
        match vectors
            .header
            .expected_rule(case.tc_id, &case.comment, case.result, &case.flags)
        {
            None => {
                assert_eq!(outcome, Ok(()), "{at}");
                assert_eq!(
                    response_signature::sign(&psp_private, case.body.as_bytes()).unwrap(),
                    case.signature,
                    "{at}"
                );
            }
            Some(rule) => {
                let err = outcome.expect_err(&at);
                assert_eq!(err.rule_id(), rule, "{at}: rejected for {err}");
                rules_seen.insert(rule.to_owned());
            }
        }
    }
    rules_seen
}

#[test]
fn juspay_merchant_jws() {
    run_jws();
}

// ------------------------------------------------------------------------------ signaturePayload

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignaturePayloadFile {
    #[serde(flatten)]
    header: Header,
    keys: BTreeMap<String, String>,
    tests: Vec<SignaturePayloadCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SignaturePayloadCase {
    tc_id: u32,
    comment: String,
    merchant_key_id: String,
    signature_payload: String,
    signature: String,
    result: Outcome,
    flags: Vec<String>,
    #[serde(default)]
    known_answer: bool,
}

fn run_signature_payload() -> BTreeSet<String> {
    let vectors: SignaturePayloadFile = load("signature_payload.json");
    vectors.header.check("tpap_signature_payload");
    let keys = ring(&vectors.keys);
    let mut rules_seen = BTreeSet::new();
    for case in &vectors.tests {
        let at = format!("signature_payload.json #{} ({})", case.tc_id, case.comment);
        let outcome =
            signature_payload::verify_with_ring(&keys, &case.merchant_key_id, &case.signature_payload, &case.signature);
        match vectors
            .header
            .expected_rule(case.tc_id, &case.comment, case.result, &case.flags)
        {
            None => {
                assert_eq!(outcome, Ok(()), "{at}");
                if case.known_answer {
                    let key = private_key(&vectors.keys[&case.merchant_key_id]);
                    assert_eq!(
                        signature_payload::sign(&key, &case.signature_payload).unwrap(),
                        case.signature,
                        "{at}"
                    );
                }
            }
            Some(rule) => {
                assert!(!case.known_answer, "{at}: known answers are valid cases");
                let err = outcome.expect_err(&at);
                assert_eq!(err.rule_id(), rule, "{at}: rejected for {err}");
                rules_seen.insert(rule.to_owned());
            }
        }
    }
    rules_seen
}

#[test]
fn tpap_signature_payload() {
    run_signature_payload();
}

// ------------------------------------------------------------------------------ catalogue

/// Rules no vector rejects for, each with the reason. A rule that gains a vector must leave this
/// list, and a rule without one must be on it: the ratchet works both ways.
const NOT_IN_VECTORS: &[(&str, &str)] = &[(
    "crypto.key.rsa-2048-pem",
    "keys are loaded by the harness, not by a vector; unit-tested in crypto::keys",
)];

#[test]
fn every_catalogue_rule_has_a_vector_or_a_reason() {
    let mut seen = BTreeSet::new();
    seen.extend(run_payu(
        "payu_request_hash.json",
        "payu_request_hash",
        HashFamily::Request,
    ));
    seen.extend(run_payu(
        "payu_response_hash.json",
        "payu_response_hash",
        HashFamily::Response,
    ));
    seen.extend(run_payu(
        "payu_command_hash.json",
        "payu_command_hash",
        HashFamily::Command,
    ));
    seen.extend(run_tpv());
    seen.extend(run_jws());
    seen.extend(run_signature_payload());
    let catalogue: BTreeSet<String> = rules().into_iter().map(|r| r.id).collect();
    assert_eq!(catalogue.len(), rules().len(), "duplicate rule IDs");
    assert!(
        seen.is_subset(&catalogue),
        "vectors name rules the catalogue lacks: {:?}",
        seen.difference(&catalogue).collect::<Vec<_>>()
    );
    let untested: BTreeSet<&str> = catalogue
        .iter()
        .map(String::as_str)
        .filter(|r| !seen.contains(*r))
        .collect();
    let excused: BTreeSet<&str> = NOT_IN_VECTORS.iter().map(|(r, _)| *r).collect();
    assert_eq!(
        untested, excused,
        "rules without vectors must be listed in NOT_IN_VECTORS, and only those"
    );
}
