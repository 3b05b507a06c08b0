//! The request JWS: shape, algorithms, keys, signature and freshness.

use super::super::RuleError;
use serde_json::Value;

use super::super::encoding::encode_base64url;
use super::super::keys::KeyRing;
use super::super::rsa_sig::{self, SignatureAlgorithm};
use super::verify::check_algorithm;
use super::*;

#[test]
fn body_shape_errors_name_the_member() {
    assert_eq!(parse_body("[]").unwrap_err().rule_id(), ids::BODY_SHAPE);
    let err = parse_body(r#"{"protected":"a","payload":"b"}"#).unwrap_err();
    assert_eq!(
        err,
        JwsError::BodyShape {
            reason: "member \"signature\" is missing".to_owned()
        }
    );
    let err = parse_body(r#"{"protected":"a","payload":"b","signature":"c","header":{}}"#).unwrap_err();
    assert_eq!(err.rule_id(), ids::BODY_SHAPE);
}

#[test]
fn a_header_with_duplicate_members_is_refused() {
    let jws = FlattenedJws {
        protected: encode_base64url(br#"{"alg":"RS256","alg":"none","kid":"k"}"#),
        payload: encode_base64url(br#"{"iat":"1"}"#),
        signature: encode_base64url(b"x"),
    };
    let policy = JwsPolicy::default();
    assert_eq!(
        verify(&jws, &KeyRing::new(), &policy, 0, None).unwrap_err(),
        JwsError::HeaderJson
    );
    let single = FlattenedJws {
        protected: encode_base64url(br#"{"alg":"RS256","kid":"k"}"#),
        ..jws
    };
    assert_eq!(
        verify(&single, &KeyRing::new(), &policy, 0, None).unwrap_err(),
        JwsError::KidUnknown { kid: "k".into() }
    );
}

#[test]
fn duplicate_envelope_members_and_payload_keys_are_refused() {
    let envelope = |dup: &str| format!(r#"{{"protected":"a","payload":"b","signature":"c",{dup}:"d"}}"#);
    for name in ["payload", "signature"] {
        let err = parse_body(&envelope(&format!("{name:?}"))).unwrap_err();
        assert!(err.to_string().contains(&format!("duplicate key `{name}`")), "{err}");
    }
    let pem = include_str!("../../../../golden/keys/merchant_signing.pem");
    let key = crate::crypto::keys::private_key_from_pem(pem).unwrap();
    let mut ring = KeyRing::new();
    ring.insert("k", key.public_key());
    let policy = JwsPolicy {
        require_iat: false,
        ..JwsPolicy::default()
    };
    let duplicate = r#"{"amount":"1.00","amount":"9999.00"}"#;
    assert_eq!(
        sign(&key, SignatureAlgorithm::Rs256, "k", duplicate).unwrap_err(),
        JwsError::PayloadJson
    );
    let mut forged = sign(&key, SignatureAlgorithm::Rs256, "k", r#"{"amount":"1.00"}"#).unwrap();
    forged.payload = encode_base64url(duplicate.as_bytes());
    let signature = rsa_sig::sign(SignatureAlgorithm::Rs256, &key, forged.signing_input().as_bytes()).unwrap();
    forged.signature = encode_base64url(&signature);
    assert_eq!(
        verify(&forged, &ring, &policy, 0, None).unwrap_err(),
        JwsError::PayloadJson
    );
}

#[test]
fn algorithm_checks_come_before_keys() {
    let alg = |s: &str| check_algorithm(Some(&Value::String(s.to_owned())), SignatureAlgorithm::Rs256);
    assert_eq!(alg("NONE").unwrap_err().rule_id(), ids::ALG_NONE);
    assert_eq!(alg("HS256").unwrap_err().rule_id(), ids::ALG_HMAC);
    assert_eq!(alg("PS256").unwrap_err().rule_id(), ids::ALG_NOT_ALLOWED);
    assert_eq!(alg("aé").unwrap_err().rule_id(), ids::ALG_NOT_ALLOWED);
    assert!(alg("RS256").is_ok());
}

/// One refusal of each kind.
fn every_refusal() -> Vec<JwsError> {
    let by = StaleBy::Old(1);
    vec![
        JwsError::BodyShape { reason: "r".into() },
        JwsError::Base64Url {
            segment: "payload",
            reason: "r".into(),
        },
        JwsError::HeaderJson,
        JwsError::AlgNone { alg: "none".into() },
        JwsError::AlgHmac { alg: "HS256".into() },
        JwsError::AlgNotAllowed {
            found: "PS256".into(),
            expected: "RS256",
        },
        JwsError::Crit,
        JwsError::KidMissing,
        JwsError::KidUnknown { kid: "k".into() },
        JwsError::Signature { kid: "k".into() },
        JwsError::PayloadJson,
        JwsError::IatMissing,
        JwsError::IatFormat,
        JwsError::IatStale(by),
        JwsError::XTimestampFormat,
        JwsError::XTimestampStale(by),
    ]
}

#[test]
fn each_rule_has_one_refusal_and_its_message_starts_with_the_id() {
    let named: Vec<&str> = every_refusal().iter().map(RuleError::rule_id).collect();
    let declared: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    assert_eq!(named, declared, "one refusal per rule, in the rules' order");
    for e in every_refusal() {
        let shown = e.to_string();
        assert!(shown.starts_with(&format!("{}: ", e.rule_id())), "{shown}");
    }
    // The messages as they read before the ID was written once.
    assert_eq!(
        JwsError::AlgNone { alg: "none".into() }.to_string(),
        "juspay.jws.alg-none: unsigned JWS (alg \"none\") refused"
    );
    assert_eq!(
        JwsError::XTimestampStale(StaleBy::Ahead(5)).to_string(),
        "juspay.jws.x-timestamp.stale: x-timestamp is 5 ms further ahead than the window allows"
    );
}

/// Signing and verifying the signing input in parts is signing and verifying the one string
/// `<protected>.<payload>`: the same RS256 signature (it is deterministic), a PS256 one that
/// verifies, and any change to a part fails.
#[test]
fn the_signing_input_in_parts_is_the_joined_string() {
    let pem = include_str!("../../../../golden/keys/merchant_signing.pem");
    let key = crate::crypto::keys::private_key_from_pem(pem).unwrap();
    let public = key.public_key();
    let jws = sign(&key, SignatureAlgorithm::Rs256, "k", r#"{"amount":"1.00"}"#).unwrap();
    let joined = jws.signing_input();
    let whole = rsa_sig::sign(SignatureAlgorithm::Rs256, &key, joined.as_bytes()).unwrap();
    assert_eq!(encode_base64url(&whole), jws.signature);
    let parts = jws.signing_input_parts();
    assert_eq!(
        rsa_sig::sign_parts(SignatureAlgorithm::Rs256, &key, &parts).unwrap(),
        whole
    );
    for algorithm in [SignatureAlgorithm::Rs256, SignatureAlgorithm::Ps256] {
        let signature = rsa_sig::sign_parts(algorithm, &key, &parts).unwrap();
        assert!(rsa_sig::verify(algorithm, &public, joined.as_bytes(), &signature));
        assert!(rsa_sig::verify_parts(algorithm, &public, &parts, &signature));
        // Split elsewhere, the same bytes verify; one byte changed, or the dot left out, they do not.
        let (head, tail) = joined.as_bytes().split_at(5);
        assert!(rsa_sig::verify_parts(algorithm, &public, &[head, tail], &signature));
        assert!(!rsa_sig::verify_parts(
            algorithm,
            &public,
            &[parts[0], parts[2]],
            &signature
        ));
        let mut changed = joined.clone().into_bytes();
        changed[0] ^= 1;
        assert!(!rsa_sig::verify_parts(algorithm, &public, &[&changed], &signature));
        let other = if algorithm == SignatureAlgorithm::Rs256 {
            SignatureAlgorithm::Ps256
        } else {
            SignatureAlgorithm::Rs256
        };
        assert!(!rsa_sig::verify_parts(other, &public, &parts, &signature));
    }
}
