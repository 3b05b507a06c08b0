//! Laws of the hashing and signature rules: sign→verify round trips, any single changed input
//! changes the hash or breaks the signature, flipping any bit of a signature fails
//! verification, the variant chooser never drops a posted field, and no input panics.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use proptest::prelude::*;
use upi_spec::crypto::freshness::FreshnessWindow;
use upi_spec::crypto::jws::{self, JwsPolicy};
use upi_spec::crypto::keys::{KeyRing, private_key_from_pem, public_key_from_pem};
use upi_spec::crypto::payu_hash::{Preimage, Salt, compute, compute_hex, compute_hex_from, verify, verify_from};
use upi_spec::crypto::payu_sequence::{HashFamily, REQUEST_AFTER_SALT, SI_DETAILS, Slot, UDF_6_TO_10};
use upi_spec::crypto::{SignatureAlgorithm, signature_payload, tpv};

const KID: &str = "merchant-key-1";
const NOW: u64 = 1_700_158_230_380;

static PRIVATE: LazyLock<upi_spec::crypto::PrivateKey> =
    LazyLock::new(|| private_key_from_pem(include_str!("../../golden/keys/merchant_signing.pem")).unwrap());
static PUBLIC: LazyLock<upi_spec::crypto::PublicKey> =
    LazyLock::new(|| public_key_from_pem(include_str!("../../golden/keys/merchant_signing.pub.pem")).unwrap());

fn ring() -> KeyRing {
    let mut ring = KeyRing::new();
    ring.insert(KID, PUBLIC.clone());
    ring
}

/// A field value: no pipe (a pipe inside a value makes PayU's preimage ambiguous) and non-empty.
fn value() -> impl Strategy<Value = String> {
    "[A-Za-z0-9 .@_{}:\"-]{1,16}"
}

/// Posted fields for a family, with every hashed field of that family possibly present.
fn fields(family: HashFamily) -> impl Strategy<Value = BTreeMap<String, String>> {
    let names = family.hashed_fields();
    let required = family.required_fields();
    proptest::collection::vec(proptest::option::of(value()), names.len()).prop_flat_map(move |values| {
        let mut map: BTreeMap<String, String> = names
            .iter()
            .zip(values)
            .filter_map(|(n, v)| v.map(|v| ((*n).to_owned(), v)))
            .collect();
        for r in required {
            map.entry((*r).to_owned()).or_insert_with(|| "x".to_owned());
        }
        let version_7 = UDF_6_TO_10.iter().any(|u| map.contains_key(*u));
        if version_7 {
            map.insert("api_version".to_owned(), "7".to_owned());
        }
        Just(map)
    })
}

/// A field name: one some sequence hashes (or `api_version`), or any other.
fn any_field_name() -> impl Strategy<Value = String> {
    let mut known: Vec<String> = HashFamily::ALL
        .iter()
        .flat_map(|f| f.hashed_fields())
        .map(str::to_owned)
        .collect();
    known.push("api_version".to_owned());
    prop_oneof![prop::sample::select(known), "[a-z_0-9]{1,12}"]
}

/// Any posted form: hashed and other fields, empty values, pipes, any `api_version`, the
/// required fields of some family most of the time.
fn any_form() -> impl Strategy<Value = BTreeMap<String, String>> {
    (
        proptest::collection::btree_map(any_field_name(), "[ -~]{0,12}", 0..24),
        prop::sample::select(vec![None, Some(""), Some("1"), Some("7"), Some("07")]),
        prop::sample::select(vec![
            None,
            Some(HashFamily::Request),
            Some(HashFamily::Response),
            Some(HashFamily::Command),
        ]),
    )
        .prop_map(|(mut form, api_version, required_of)| {
            if let Some(v) = api_version {
                form.insert("api_version".to_owned(), v.to_owned());
            }
            for r in required_of.map_or(&[][..], HashFamily::required_fields) {
                form.insert((*r).to_owned(), "x".to_owned());
            }
            form
        })
}

fn family() -> impl Strategy<Value = HashFamily> {
    prop::sample::select(HashFamily::ALL.to_vec())
}

fn payload_json() -> impl Strategy<Value = String> {
    proptest::collection::btree_map("[a-zA-Z]{1,8}", "[ -~]{0,20}", 0..6).prop_map(|mut m| {
        m.insert("iat".to_owned(), NOW.to_string());
        serde_json::to_string(&m).unwrap()
    })
}

proptest! {
    // Hashing is cheap: many forms, so that rare variants (api_version 7 with udf6-udf10,
    // si_details, several after-salt fields) come up.
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// The one-pass fast path (`compute_hex`, which `verify` and the runner use) hashes exactly
    /// the string the explaining path (`Preimage::new` + `hash`) builds, and refuses exactly
    /// what it refuses.
    #[test]
    fn fast_path_equals_the_explaining_path(family in family(), form in any_form(), salt in "[ -~]{0,24}") {
        let salt = Salt::new(salt);
        let fast = compute_hex(family, &form, &salt).map(|h| h.to_string());
        let explained = Preimage::new(family, &form).map(|p| p.hash(&salt));
        prop_assert_eq!(&fast, &explained);
        if let Ok(hash) = &fast {
            prop_assert_eq!(verify(family, &form, &salt, hash), Ok(()));
        }
    }

    /// The borrowed-pairs entry point (`compute_hex_from`, what the runner hashes a JSON
    /// object's fields with) hashes what the map of the same pairs hashes, also when each name
    /// first comes with another value (empty or not): the last value counts, as in the map.
    #[test]
    fn pairs_hash_as_the_map_built_from_them(
        family in family(),
        form in any_form(),
        earlier in proptest::collection::vec(prop::sample::select(vec!["", "x", "7"]), 24),
        salt in "[ -~]{0,24}",
    ) {
        let salt = Salt::new(salt);
        let by_map = compute_hex(family, &form, &salt);
        let once = compute_hex_from(family, form.iter().map(|(k, v)| (k.as_str(), v.as_str())), &salt);
        prop_assert_eq!(&once, &by_map);
        let twice = form
            .iter()
            .zip(&earlier)
            .map(|((k, _), e)| (k.as_str(), *e))
            .chain(form.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        prop_assert_eq!(compute_hex_from(family, twice, &salt), by_map);
    }

    /// The borrowed-pairs check (`verify_from`, what the reference server checks a posted form
    /// with) answers what `verify` answers for the map: on the right hash, on the hash with one
    /// digit changed, in upper case, and cut short (the refusals name the same rule and variant).
    #[test]
    fn pairs_verify_as_the_map_built_from_them(family in family(), form in any_form(), salt in "[ -~]{0,24}") {
        let salt = Salt::new(salt);
        let right = compute(family, &form, &salt).unwrap_or_else(|_| "0".repeat(128));
        let changed = format!("{}{}", if right.starts_with('0') { '1' } else { '0' }, &right[1..]);
        for received in [right.clone(), changed, right.to_uppercase(), right[..127].to_owned()] {
            let pairs = form.iter().map(|(k, v)| (k.as_str(), v.as_str()));
            prop_assert_eq!(
                verify_from(family, pairs, &salt, &received),
                verify(family, &form, &salt, &received)
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn chooser_never_drops_a_posted_field((family, fields) in family().prop_flat_map(|f| (Just(f), fields(f)))) {
        let preimage = Preimage::new(family, &fields).unwrap();
        for name in family.hashed_fields() {
            if let Some(v) = fields.get(name) {
                let part = preimage.parts.iter().find(|p| p.slot == Slot::Field(name));
                prop_assert_eq!(part.map(|p| &p.value), Some(v), "{} dropped from {}", name, preimage.sequence.variant);
            }
        }
        prop_assert_eq!(preimage.parts.iter().filter(|p| p.slot == Slot::Salt).count(), 1);
    }

    #[test]
    fn changing_any_hashed_field_changes_the_hash(
        (family, fields, pick) in family().prop_flat_map(|f| (Just(f), fields(f), any::<prop::sample::Index>())),
        extra in "[A-Za-z0-9]{1,4}",
    ) {
        let salt = Salt::new("s4lt");
        let preimage = Preimage::new(family, &fields).unwrap();
        let slotted: Vec<&str> = preimage.parts.iter().filter_map(|p| match p.slot {
            Slot::Field(name) => Some(name),
            _ => None,
        }).collect();
        let name = *pick.get(&slotted);
        let mut changed = fields.clone();
        changed.entry(name.to_owned()).or_default().push_str(&extra);
        prop_assert_ne!(compute(family, &fields, &salt).unwrap(), compute(family, &changed, &salt).unwrap());
        prop_assert_ne!(compute(family, &fields, &salt).unwrap(), compute(family, &fields, &Salt::new("s4lt ")).unwrap());
    }

    #[test]
    fn absent_and_empty_udfs_keep_the_pipe_count(present in proptest::collection::vec(any::<bool>(), 5)) {
        let mut fields: BTreeMap<String, String> =
            [("key", "k"), ("txnid", "t"), ("amount", "1")].iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        for (i, p) in present.iter().enumerate() {
            if *p {
                fields.insert(format!("udf{}", i + 1), "v".to_owned());
            }
        }
        let masked = Preimage::new(HashFamily::Request, &fields).unwrap().masked_string();
        prop_assert_eq!(masked.matches('|').count(), 16);
    }

    #[test]
    fn posted_after_salt_fields_follow_the_documented_order(posted in proptest::collection::vec(any::<bool>(), REQUEST_AFTER_SALT.len())) {
        let mut fields: BTreeMap<String, String> =
            [("key", "k"), ("txnid", "t"), ("amount", "1"), (SI_DETAILS, "si")].iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let expected: Vec<&str> = REQUEST_AFTER_SALT.iter().zip(&posted).filter(|(_, p)| **p).map(|(f, _)| *f).collect();
        for f in &expected {
            fields.insert((*f).to_owned(), format!("<{f}>"));
        }
        let preimage = Preimage::new(HashFamily::Request, &fields).unwrap();
        let salt_at = preimage.parts.iter().position(|p| p.slot == Slot::Salt).unwrap();
        prop_assert_eq!(preimage.parts[salt_at - 1].slot, Slot::Field(SI_DETAILS));
        let after: Vec<Slot> = preimage.parts[salt_at + 1..].iter().map(|p| p.slot).collect();
        prop_assert_eq!(after, expected.iter().map(|f| Slot::Field(f)).collect::<Vec<_>>());
    }

    #[test]
    fn tpv_never_panics_and_valid_hashes_are_lower_hex(account in "[0-9 a]{0,20}", ifsc in "[A-Za-z0-9 ]{0,12}") {
        if let Ok(hash) = tpv::payer_account_hash(&account, &ifsc) {
            prop_assert!(upi_spec::format::Format::Sha256Hex.check(&hash));
            prop_assert_eq!(tpv::verify(&account, &ifsc, &hash), Ok(()));
        }
    }

    #[test]
    fn garbage_bodies_are_refused_not_panics(body in any::<String>(), parts in proptest::collection::vec("[A-Za-z0-9_=+/.-]{0,40}", 3)) {
        let policy = JwsPolicy::default();
        prop_assert!(jws::verify_body(&body, &ring(), &policy, NOW, None).is_err());
        let shaped = serde_json::json!({"protected": parts[0], "payload": parts[1], "signature": parts[2]}).to_string();
        prop_assert!(jws::verify_body(&shaped, &ring(), &policy, NOW, None).is_err());
        prop_assert!(signature_payload::verify(&PUBLIC, &body, &parts[2]).is_err());
    }
}

proptest! {
    // Signing is the slow part (RSA private-key operation in a debug build): fewer cases.
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn jws_sign_then_verify_round_trips(payload in payload_json(), pss in any::<bool>()) {
        let algorithm = if pss { SignatureAlgorithm::Ps256 } else { SignatureAlgorithm::Rs256 };
        let signed = jws::sign(&PRIVATE, algorithm, KID, &payload).unwrap();
        let policy = JwsPolicy { algorithm, window: FreshnessWindow::default(), require_iat: true };
        let verified = jws::verify_body(&signed.to_json(), &ring(), &policy, NOW, None).unwrap();
        prop_assert_eq!(verified.payload_json, payload);
        prop_assert_eq!(verified.kid, KID);
    }

    #[test]
    fn signature_payload_round_trips_and_any_changed_byte_breaks_it(payload in "[ -~]{1,60}", at in any::<prop::sample::Index>()) {
        let signature = signature_payload::sign(&PRIVATE, &payload).unwrap();
        prop_assert_eq!(signature_payload::verify(&PUBLIC, &payload, &signature), Ok(()));
        let mut bytes = payload.clone().into_bytes();
        let i = at.index(bytes.len());
        bytes[i] = if bytes[i] == b' ' { b'!' } else { b' ' };
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert!(signature_payload::verify(&PUBLIC, &changed, &signature).is_err());
    }
}

static SIGNED_JWS: LazyLock<jws::FlattenedJws> = LazyLock::new(|| {
    jws::sign(
        &PRIVATE,
        SignatureAlgorithm::Rs256,
        KID,
        &format!(r#"{{"iat":"{NOW}"}}"#),
    )
    .unwrap()
});
static SIGNED_PAYLOAD: LazyLock<String> =
    LazyLock::new(|| signature_payload::sign(&PRIVATE, r#"{"merchant_id":"stock"}"#).unwrap());

fn flip_bit(encoded: &str, bit: usize, url: bool) -> String {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    let engine = if url { &URL_SAFE_NO_PAD } else { &STANDARD };
    let mut bytes = engine.decode(encoded).unwrap();
    bytes[bit / 8] ^= 1 << (bit % 8);
    engine.encode(bytes)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn flipping_any_bit_of_a_jws_signature_fails(bit in 0usize..2048) {
        let mut tampered = SIGNED_JWS.clone();
        tampered.signature = flip_bit(&tampered.signature, bit, true);
        let err = jws::verify(&tampered, &ring(), &JwsPolicy::default(), NOW, None).unwrap_err();
        prop_assert_eq!(upi_spec::crypto::RuleError::rule_id(&err), jws::ids::SIGNATURE);
    }

    #[test]
    fn flipping_any_bit_of_a_signature_payload_signature_fails(bit in 0usize..2048) {
        let tampered = flip_bit(&SIGNED_PAYLOAD, bit, false);
        prop_assert_eq!(
            signature_payload::verify(&PUBLIC, r#"{"merchant_id":"stock"}"#, &tampered),
            Err(signature_payload::SignaturePayloadError::Signature)
        );
    }
}

#[test]
fn unflipped_signatures_verify() {
    assert!(jws::verify(&SIGNED_JWS, &ring(), &JwsPolicy::default(), NOW, None).is_ok());
    assert_eq!(
        signature_payload::verify(&PUBLIC, r#"{"merchant_id":"stock"}"#, &SIGNED_PAYLOAD),
        Ok(())
    );
}
