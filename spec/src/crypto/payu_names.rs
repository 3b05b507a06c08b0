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
use std::sync::LazyLock;

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

/// The names [`canonical`] compares posted names with (the family's hashed fields, and
/// `api_version` for the request hash), as they are and folded (lower-cased with `_` and `-`
/// removed: how spellings of one field compare), worked out once per family.
struct HashedNames {
    names: Vec<&'static str>,
    folded: Vec<String>,
    /// Bit `n` set when a folded name is `n` bytes long (all are under 64): a posted name whose
    /// folded length has no bit is compared with none.
    lengths: u64,
}

fn hashed_names(family: HashFamily) -> &'static HashedNames {
    fn of(family: HashFamily) -> HashedNames {
        let mut names = family.hashed_fields();
        if family == HashFamily::Request {
            names.push(API_VERSION);
        }
        let folded = names
            .iter()
            .map(|n| {
                n.chars()
                    .filter(|c| *c != '_' && *c != '-')
                    .map(|c| c.to_ascii_lowercase())
                    .collect()
            })
            .collect::<Vec<String>>();
        let lengths = folded.iter().fold(0, |bits, f| {
            assert!(f.len() < 64, "hashed field name {f} is 64 bytes or longer");
            bits | 1u64 << f.len()
        });
        HashedNames { names, folded, lengths }
    }
    static REQUEST: LazyLock<HashedNames> = LazyLock::new(|| of(HashFamily::Request));
    static RESPONSE: LazyLock<HashedNames> = LazyLock::new(|| of(HashFamily::Response));
    static COMMAND: LazyLock<HashedNames> = LazyLock::new(|| of(HashFamily::Command));
    match family {
        HashFamily::Request => &REQUEST,
        HashFamily::Response => &RESPONSE,
        HashFamily::Command => &COMMAND,
    }
}

/// Whether `name` folded is `folded`, an ASCII name already folded; compared byte by byte
/// without building the folded name (a byte of a multi-byte character matches no ASCII byte,
/// as the character would not).
fn folds_to(name: &str, folded: &str) -> bool {
    let mut want = folded.bytes();
    name.bytes()
        .filter(|b| *b != b'_' && *b != b'-')
        .all(|b| want.next() == Some(b.to_ascii_lowercase()))
        && want.next().is_none()
}

/// Whether `name` is spelled like one of `family`'s hashed fields (it folds to one, itself
/// included): the only names [`canonical`] reads; the others it passes over untouched.
pub fn spelled_like_hashed(family: HashFamily, name: &str) -> bool {
    let hashed = hashed_names(family);
    // Compared only with the hashed names of its folded length (the server asks this of every
    // posted name, some 30 per form, against about 20 hashed names, on every request).
    let len = name.bytes().filter(|b| *b != b'_' && *b != b'-').count();
    len < 64 && hashed.lengths & (1 << len) != 0 && hashed.folded.iter().any(|f| f.len() == len && folds_to(name, f))
}

/// Whether `name` resembles a hashed field of `family` without being one: the only names
/// [`canonical`] renames or refuses. With none posted, `canonical` changes nothing.
pub fn resembles_hashed(family: HashFamily, name: &str) -> bool {
    !hashed_names(family).names.contains(&name) && spelled_like_hashed(family, name)
}

/// `fields` with every verified SDK spelling of a hashed field renamed to the sequence's name
/// (and the renames made), or an error naming a field that only resembles a hashed field.
pub fn canonical(
    family: HashFamily,
    fields: &BTreeMap<String, String>,
) -> Result<(BTreeMap<String, String>, Vec<Renamed>), FieldNameError> {
    let hashed = hashed_names(family);
    let mut out = fields.clone();
    let mut renamed = Vec::new();
    for (sent, value) in fields {
        if hashed.names.contains(&sent.as_str()) {
            continue;
        }
        let Some(canonical) = (hashed.names.iter().zip(&hashed.folded))
            .find(|(_, f)| folds_to(sent, f))
            .map(|(h, _)| *h)
        else {
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

    /// `spelled_like_hashed` is "folds to a hashed name" (the folding done the long way): names
    /// with `_` and `-` anywhere, other case, one byte off, longer or shorter, non-ASCII, empty
    /// and over 64 bytes, in every family.
    #[test]
    fn spelled_like_hashed_is_folding_to_a_hashed_name() {
        let long = "a".repeat(70);
        let mut names = vec![
            "additionalCharges",
            "additional_charges",
            "ADDITIONAL-CHARGES",
            "udf_1",
            "Udf1",
            "udf11",
            "udf",
            "txnId",
            "txn_id_",
            "-k-e-y-",
            "ke",
            "keyy",
            "amount",
            "amounté",
            "prοductinfo",
            "",
            "_",
            "surl",
            "hash",
            "api_version",
            "apiVersion",
            "mihpayid",
            "status",
            &long,
        ];
        for family in [HashFamily::Request, HashFamily::Response, HashFamily::Command] {
            let hashed = hashed_names(family);
            names.extend(hashed.names.iter().copied());
            for name in &names {
                let folded: String = name
                    .chars()
                    .filter(|c| *c != '_' && *c != '-')
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                assert_eq!(
                    spelled_like_hashed(family, name),
                    hashed.folded.contains(&folded),
                    "{name} in {family:?}"
                );
            }
        }
    }

    #[test]
    fn unrelated_fields_pass_untouched() {
        let f = fields(&[("surl", "https://x/"), ("mihpayid", "1"), ("hash", "h")]);
        assert_eq!(canonical(HashFamily::Response, &f).unwrap(), (f.clone(), Vec::new()));
    }
}
