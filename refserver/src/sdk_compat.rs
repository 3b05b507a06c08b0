//! What the vendors' own SDKs send where the seed is stricter but the meaning is unambiguous:
//! accepted with a warning. A warning is noted in the request's collector (the client report
//! lists it with severity `warning`) and [`crate::client_report::record`] turns it into an
//! `x-upi-conformance-warning: RULE; text` response header. Each decision, with the seed's
//! words, is in refserver/README.md ("Vendor SDKs").

use serde_json::Value;
use upi_spec::crypto::payu_names;
use upi_spec::crypto::payu_sequence::HashFamily;
use upi_spec::input::Document;

use crate::judge::Refusal;

pub use crate::client_report::{WARNING, WARNING_HEADER};

/// The rule a Basic credential without the colon relaxes (RFC 7617 `user-id ":" password`;
/// DOMAIN.md: "the API key as user name and an empty password").
pub const BASIC_COLON: &str = "server.ec.basic-auth.colon";
/// A PayU hashed field posted under an SDK's spelling (`additionalCharges`).
pub const PAYU_SDK_NAME: &str = "server.payu.field-name.sdk-spelling";
/// A PayU field spelled like a hashed field but not as any sequence or SDK names it.
pub const PAYU_LOOK_ALIKE: &str = "server.payu.field-name.look-alike";

/// Notes a warning for the request being handled.
pub fn warn(rule: &str, at: &str, text: &str) {
    crate::client_report::note(rule, WARNING, at, text);
}

/// How an `Authorization: Basic` credential names the API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BasicKey {
    /// `base64(api_key:)`, as DOMAIN.md states.
    Exact,
    /// `base64(api_key)` without the colon, as Juspay's Node SDK sends it: accepted with a
    /// warning under [`BASIC_COLON`].
    NoColon,
    /// Anything else.
    Wrong,
}

/// Reads the `Authorization` value `value` against `api_key`.
pub fn basic_key(value: &str, api_key: &str) -> BasicKey {
    use base64::Engine as _;
    let Some((scheme, credentials)) = value.trim().split_once(' ') else {
        return BasicKey::Wrong;
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return BasicKey::Wrong;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(credentials.trim())
        .ok()
        .and_then(|raw| String::from_utf8(raw).ok());
    match decoded {
        Some(pair) if pair.strip_suffix(':') == Some(api_key) => BasicKey::Exact,
        Some(pair) if !api_key.is_empty() && pair == api_key => {
            warn(
                BASIC_COLON,
                "header:authorization",
                "Basic credential is base64(api_key) without the ':' (Juspay Node SDK); \
                 RFC 7617 and DOMAIN.md ask for base64(api_key:) with an empty password",
            );
            BasicKey::NoColon
        }
        _ => BasicKey::Wrong,
    }
}

/// A form boolean sent as Python's `str(True)`/`str(False)` (`True`, `False`) is read as
/// `true`/`false` with a warning under `rule` (the field's format rule); any other value is
/// left for the model to judge.
pub fn python_bool(document: &mut Document, field: &str, rule: &str) {
    let Some(value) = document.body.get_mut(field) else {
        return;
    };
    let lower = match value.as_str() {
        Some("True") => "true",
        Some("False") => "false",
        _ => return,
    };
    warn(
        rule,
        field,
        &format!(
            "{field}={} read as {lower} (Python's str() of a bool, sent by Juspay's Python SDK); \
             the seed says it \"accepts true/false\"",
            value.as_str().unwrap_or_default()
        ),
    );
    *value = Value::String(lower.to_owned());
}

/// A PayU form document with every hashed field an SDK posts under its own spelling
/// (`additionalCharges`) renamed to the hash sequence's name, with a warning; a look-alike
/// spelling no SDK is known to use is refused, so no posted value is left out of the hash.
pub fn payu_field_names(document: &mut Document, family: HashFamily) -> Result<(), Refusal> {
    let Some(map) = document.body.as_object_mut() else {
        return Ok(());
    };
    // `canonical` acts only on a text field whose name is not a hashed field's but folds to one
    // (`payu_names`' folding): with none posted (a client spelling every name as the sequence
    // does) it changes nothing, and is not asked. When asked, it reads only the fields spelled
    // like hashed ones (the others it passes over) and decides exactly as over all of them.
    if !map
        .iter()
        .any(|(k, v)| v.is_string() && payu_names::resembles_hashed(family, k))
    {
        return Ok(());
    }
    let fields = map
        .iter()
        .filter(|(k, _)| payu_names::spelled_like_hashed(family, k))
        .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
        .collect();
    match payu_names::canonical(family, &fields) {
        Ok((_, renamed)) => {
            for r in renamed {
                if let Some(value) = map.remove(&r.sent) {
                    let keep = map
                        .get(r.canonical)
                        .and_then(Value::as_str)
                        .is_some_and(|v| !v.is_empty());
                    if !keep {
                        map.insert(r.canonical.to_owned(), value);
                    }
                }
                warn(
                    PAYU_SDK_NAME,
                    &r.sent,
                    &format!(
                        "{} read as {} (the name PayU's web SDKs use; seed 004 names it {})",
                        r.sent, r.canonical, r.canonical
                    ),
                );
            }
            Ok(())
        }
        Err(e) => Err(Refusal::new(PAYU_LOOK_ALIKE, "body", e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_with_and_without_the_colon() {
        // test_api_key: / test_api_key / test_api_key:pw / other
        assert_eq!(basic_key("Basic dGVzdF9hcGlfa2V5Og==", "test_api_key"), BasicKey::Exact);
        assert_eq!(basic_key("Basic dGVzdF9hcGlfa2V5", "test_api_key"), BasicKey::NoColon);
        assert_eq!(basic_key("Basic dGVzdF9hcGlfa2V5OnB3", "test_api_key"), BasicKey::Wrong);
        assert_eq!(basic_key("Bearer dGVzdF9hcGlfa2V5", "test_api_key"), BasicKey::Wrong);
        assert_eq!(basic_key("Basic b3RoZXI=", "test_api_key"), BasicKey::Wrong);
    }

    /// Renaming over the fields spelled like hashed ones decides as `payu_names::canonical`
    /// over every field: the SDK spelling renamed (with or without the sequence's name, equal or
    /// empty), look-alikes and conflicts refused, other fields untouched.
    #[test]
    fn payu_names_decide_as_canonical_over_every_field() {
        let base = [
            ("key", "K"),
            ("txnid", "T1"),
            ("amount", "1.00"),
            ("surl", "http://x"),
            ("pg", "UPI"),
            ("hash", "h"),
        ];
        let extras: &[&[(&str, &str)]] = &[
            &[],
            &[("additionalCharges", "2.00")],
            &[("additionalCharges", "2.00"), ("additional_charges", "2.00")],
            &[("additionalCharges", "2.00"), ("additional_charges", "3.00")],
            &[("additionalCharges", ""), ("additional_charges", "3.00")],
            &[("productInfo", "P")],
            &[("txn-id", "T2")],
            &[("UDF_1", "u")],
            &[("Api_Version", "7")],
            &[("zz_product_info_", "x"), ("note", "n")],
            &[("TxN_iD", "T3")],
            &[("txnïd", "x"), ("émail", "e")],
            &[("-u-d-f-1-", "u"), ("udf1", "")],
        ];
        for family in [HashFamily::Request, HashFamily::Response, HashFamily::Command] {
            for extra in extras {
                let body: serde_json::Map<String, Value> = base
                    .iter()
                    .chain(extra.iter())
                    .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
                    .collect();
                let every = body
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                    .collect();
                let want = payu_names::canonical(family, &every);
                let mut document = Document::body(Value::Object(body));
                let got = payu_field_names(&mut document, family);
                match want {
                    Ok((fields, _)) => {
                        assert!(got.is_ok(), "{family:?} {extra:?}: {got:?}");
                        let read: std::collections::BTreeMap<String, String> = document
                            .body
                            .as_object()
                            .unwrap()
                            .iter()
                            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                            .collect();
                        assert_eq!(read, fields, "{family:?} {extra:?}");
                    }
                    Err(e) => assert_eq!(got.unwrap_err().reason, e.to_string(), "{family:?} {extra:?}"),
                }
            }
        }
    }

    #[test]
    fn python_booleans_only() {
        for (sent, read) in [("True", "true"), ("False", "false"), ("TRUE", "TRUE"), ("yes", "yes")] {
            let mut d = Document::body(serde_json::json!({"redirect_after_payment": sent}));
            python_bool(&mut d, "redirect_after_payment", "r");
            assert_eq!(d.body["redirect_after_payment"], read, "{sent}");
        }
    }
}
