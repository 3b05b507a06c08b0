//! The names PayU's own SDKs give hashed fields, read as the hash sequences name them.
//!
//! PayU's web SDKs hash a field they call `additionalCharges` in the slot the documents call
//! `additional_charges`: `web-sdk-nodejs` `lib/utils/hasher.js` (`paymentHasher` appends
//! `|${params.additionalCharges}` after the salt, `reverseHasher` puts it in front),
//! `web-sdk-java` `Hasher.java` (`params.get("additionalCharges")` in `validateHash`) and
//! `web-sdk-php` `PayU.php` (`$params["additionalCharges"]` in `verifyHash`). The seed itself
//! carries the camelCase name in its own `_payment` answer (seed 004, "Sample respose",
//! `acsTemplate`: `<input type="hidden" name="additionalCharges" value="0">`).
//!
//! [`canonical`] maps those verified spellings to the sequence's name, and refuses any other
//! spelling of a hashed field (`productInfo`, `txnId`, `udf_1`, `AdditionalCharges`…): a
//! posted value is never silently left out of a hash because of its name.

use std::collections::BTreeMap;

use super::payu_sequence::{API_VERSION, HashFamily};

/// A spelling a PayU SDK uses for a hashed field: (SDK name, the hash sequence's name, where
/// the SDK spelling is verified).
pub const SDK_SPELLINGS: &[(&str, &str, &str)] = &[(
    "additionalCharges",
    "additional_charges",
    "PayU web-sdk-nodejs lib/utils/hasher.js, web-sdk-java Hasher.java, web-sdk-php PayU.php; seed 004 acsTemplate",
)];

/// A field read under the hash sequence's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    /// The name it was posted under.
    pub sent: String,
    /// The name the hash sequence gives it.
    pub canonical: &'static str,
}

/// Why the posted field names cannot be hashed as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldNameError {
    /// A verified SDK spelling and the sequence's name are both posted, with different values.
    #[error(
        "fields `{sent}` ({sent:?} is PayU's SDK spelling of `{canonical}`) and `{canonical}` are both posted with different values; post only `{canonical}`"
    )]
    Conflict {
        /// The SDK spelling posted.
        sent: String,
        /// The sequence's name, also posted.
        canonical: &'static str,
    },
    /// A field spelled like a hashed field but not as the sequence (or a verified SDK) names it.
    #[error(
        "field `{sent}` is not a name the {family} hash knows, but it looks like the hashed field `{canonical}`; post it as `{canonical}` (hashing without it would leave a posted value out of the hash)"
    )]
    Misspelled {
        /// The name posted.
        sent: String,
        /// The hashed field it resembles.
        canonical: &'static str,
        /// The hash family.
        family: &'static str,
    },
}

/// `name` lower-cased with `_` and `-` removed: how spellings of one field compare.
fn folded(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `fields` with every verified SDK spelling of a hashed field renamed to the sequence's name
/// (and the renames made), or an error naming a field that only resembles a hashed field.
pub fn canonical(
    family: HashFamily,
    fields: &BTreeMap<String, String>,
) -> Result<(BTreeMap<String, String>, Vec<Renamed>), FieldNameError> {
    let mut hashed = family.hashed_fields();
    if family == HashFamily::Request {
        hashed.push(API_VERSION);
    }
    let mut out = fields.clone();
    let mut renamed = Vec::new();
    for (sent, value) in fields {
        if hashed.contains(&sent.as_str()) {
            continue;
        }
        let Some(canonical) = hashed.iter().copied().find(|h| folded(h) == folded(sent)) else {
            continue;
        };
        let verified = SDK_SPELLINGS
            .iter()
            .any(|(sdk, name, _)| sdk == sent && *name == canonical);
        if !verified {
            return Err(FieldNameError::Misspelled {
                sent: sent.clone(),
                canonical,
                family: family.name(),
            });
        }
        match fields.get(canonical) {
            Some(other) if other != value && !other.is_empty() && !value.is_empty() => {
                return Err(FieldNameError::Conflict {
                    sent: sent.clone(),
                    canonical,
                });
            }
            Some(other) if !other.is_empty() => {}
            _ => {
                out.insert(canonical.to_owned(), value.clone());
            }
        }
        out.remove(sent);
        renamed.push(Renamed {
            sent: sent.clone(),
            canonical,
        });
    }
    Ok((out, renamed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    /// A family, the posted look-alike, and the sequence name it is read as (`Ok`) or refused
    /// for resembling (`Err`).
    type Case = (
        HashFamily,
        &'static [(&'static str, &'static str)],
        Result<&'static str, &'static str>,
    );

    #[test]
    fn sdk_spellings_are_renamed_others_refused() {
        let cases: &[Case] = &[
            (
                HashFamily::Response,
                &[("additionalCharges", "5")],
                Ok("additional_charges"),
            ),
            (
                HashFamily::Request,
                &[("additionalCharges", "5")],
                Ok("additional_charges"),
            ),
            (HashFamily::Response, &[("productInfo", "p")], Err("productinfo")),
            (HashFamily::Request, &[("txnId", "t")], Err("txnid")),
            (HashFamily::Request, &[("udf_1", "u")], Err("udf1")),
            (
                HashFamily::Response,
                &[("AdditionalCharges", "5")],
                Err("additional_charges"),
            ),
            (HashFamily::Command, &[("Var1", "x")], Err("var1")),
        ];
        for (family, pairs, expected) in cases {
            let mut f = fields(&[("key", "k"), ("txnid", "t"), ("status", "success")]);
            f.extend(fields(pairs));
            match (canonical(*family, &f), expected) {
                (Ok((out, renamed)), Ok(name)) => {
                    assert_eq!(out.get(*name).map(String::as_str), Some(pairs[0].1));
                    assert!(!out.contains_key(pairs[0].0));
                    assert_eq!(renamed[0].canonical, *name);
                }
                (Err(FieldNameError::Misspelled { sent, canonical, .. }), Err(name)) => {
                    assert_eq!((sent.as_str(), canonical), (pairs[0].0, *name));
                }
                (got, want) => panic!("{pairs:?}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn both_spellings_must_agree() {
        let f = fields(&[("additionalCharges", "5"), ("additional_charges", "6")]);
        assert!(matches!(
            canonical(HashFamily::Response, &f),
            Err(FieldNameError::Conflict { .. })
        ));
        let same = fields(&[("additionalCharges", "5"), ("additional_charges", "5")]);
        let (out, _) = canonical(HashFamily::Response, &same).unwrap();
        assert_eq!(out, fields(&[("additional_charges", "5")]));
    }

    #[test]
    fn unrelated_fields_pass_untouched() {
        let f = fields(&[("surl", "https://x/"), ("mihpayid", "1"), ("hash", "h")]);
        assert_eq!(canonical(HashFamily::Response, &f).unwrap(), (f.clone(), Vec::new()));
    }
}
