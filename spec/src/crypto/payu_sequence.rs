//! PayU's hash sequences as data, and the chooser that picks one from the fields posted.
//!
//! A sequence is an ordered list of [`Slot`]s; the string hashed is the slots' values joined by
//! `|`. An absent field fills its slot with the empty string, so a variant always has the same
//! number of pipes. Which variant applies is decided by [`choose`] from the fields present:
//!
//! * **Payment request** (`_payment`), seed 004 "Hashing Logic", `DOMAIN.md`:
//!   1. the base is chosen by `api_version`: absent or `1` gives
//!      `key|txnid|amount|productinfo|firstname|email|udf1..udf5|` five reserved empty slots
//!      `|salt`; `7` gives `key|…|email|udf1..udf10|salt`; any other value is not modelled and
//!      is an error. A non-empty `udf6`..`udf10` without `api_version` 7 is an error rather
//!      than a silently dropped field;
//!   2. a non-empty `si_details` (standing instructions) takes a slot just before the salt;
//!   3. after the salt, each field of [`REQUEST_AFTER_SALT`] that is posted non-empty is
//!      appended, in that list's order (so `additional_charges`, then `udf_params`, then
//!      `buyer_type_business`, whatever order the form had).
//! * **Response (reverse) hash**, `DOMAIN.md`: `salt|status|` five reserved empty slots
//!   `|udf5|udf4|udf3|udf2|udf1|email|firstname|productinfo|amount|txnid|key`, with a non-empty
//!   `additional_charges` in front of the salt.
//! * **Command hash** (`postservice.php?form=2`), `DOMAIN.md`: `key|command|var1|salt`.
//!
//! "Posted" means present with a non-empty value: PayU's callbacks echo unused parameters as
//! empty strings (seed 004, step 4), so an empty optional field cannot select a variant.

use std::collections::BTreeMap;

/// One position of a hash sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The value of the named field, or the empty string when it is absent.
    Field(&'static str),
    /// A position PayU reserves; always the empty string.
    Reserved,
    /// The merchant's secret salt.
    Salt,
}

/// Which of PayU's hashes a sequence computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HashFamily {
    /// The `hash` of a `_payment` request.
    Request,
    /// The reverse hash of a callback or webhook.
    Response,
    /// The `hash` of a `postservice.php?form=2` command.
    Command,
}

impl HashFamily {
    /// Every family.
    pub const ALL: [HashFamily; 3] = [HashFamily::Request, HashFamily::Response, HashFamily::Command];

    /// Name used in rule IDs and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            HashFamily::Request => "request",
            HashFamily::Response => "response",
            HashFamily::Command => "command",
        }
    }

    /// Fields that must be present and non-empty for the hash to mean anything.
    pub fn required_fields(self) -> &'static [&'static str] {
        match self {
            HashFamily::Request => &["key", "txnid", "amount"],
            HashFamily::Response => &["key", "txnid", "status"],
            HashFamily::Command => &["key", "command", "var1"],
        }
    }

    /// Every field name that can take a slot in some variant of this family.
    pub fn hashed_fields(self) -> Vec<&'static str> {
        match self {
            HashFamily::Request => {
                let mut v = REQUEST_HEAD.to_vec();
                v.extend(UDF_1_TO_5);
                v.extend(UDF_6_TO_10);
                v.push(SI_DETAILS);
                v.extend(REQUEST_AFTER_SALT);
                v
            }
            HashFamily::Response => {
                let mut v = vec![ADDITIONAL_CHARGES, "status"];
                v.extend(RESPONSE_TAIL);
                v
            }
            HashFamily::Command => vec!["key", "command", "var1"],
        }
    }
}

const REQUEST_HEAD: [&str; 6] = ["key", "txnid", "amount", "productinfo", "firstname", "email"];
const UDF_1_TO_5: [&str; 5] = ["udf1", "udf2", "udf3", "udf4", "udf5"];
/// The user-defined fields that only `api_version` 7 hashes.
pub const UDF_6_TO_10: [&str; 5] = ["udf6", "udf7", "udf8", "udf9", "udf10"];
/// The standing-instruction field hashed just before the salt.
pub const SI_DETAILS: &str = "si_details";
/// The field that selects the API version of the request hash.
pub const API_VERSION: &str = "api_version";
const ADDITIONAL_CHARGES: &str = "additional_charges";

/// Optional request fields hashed after the salt when posted, in this order (seed 004 "Hashing
/// Logic"; PayU cross-border hashing doc in `DOMAIN.md`).
pub const REQUEST_AFTER_SALT: [&str; 17] = [
    "additional_charges",
    "miles",
    "base_payuid",
    "base_merchantid",
    "paisa_mecode",
    "subvention_amount",
    "subvention_eligibility",
    "merchant_data",
    "payoutdetails",
    "loan_id",
    "twid_customer_hash",
    "splitrequest",
    "percentage_additional_charges",
    "force_pa",
    "udf_params",
    "buyer_type_business",
    "tcs_amount",
];

const RESPONSE_TAIL: [&str; 11] = [
    "udf5",
    "udf4",
    "udf3",
    "udf2",
    "udf1",
    "email",
    "firstname",
    "productinfo",
    "amount",
    "txnid",
    "key",
];

/// A concrete sequence: the variant's name and its slots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequence {
    /// Which hash.
    pub family: HashFamily,
    /// Human-readable variant name, e.g. `api_version 1 + si_details + after salt: udf_params`.
    pub variant: String,
    /// The slots in hashing order.
    pub slots: Vec<Slot>,
}

/// Why no sequence applies to the fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChoiceProblem {
    /// A required field is missing or empty.
    MissingRequired(&'static str),
    /// `api_version` has a value other than absent, `1` or `7`.
    UnknownApiVersion(String),
    /// A `udf6`..`udf10` is posted without `api_version` 7.
    UdfNeedsApiVersion7(&'static str),
}

/// Whether `name` is posted: present with a non-empty value.
pub fn is_posted(fields: &BTreeMap<String, String>, name: &str) -> bool {
    fields.get(name).is_some_and(|v| !v.is_empty())
}

/// Picks the sequence for `family` from the fields posted (see the module documentation).
pub fn choose(family: HashFamily, fields: &BTreeMap<String, String>) -> Result<Sequence, ChoiceProblem> {
    if let Some(missing) = family.required_fields().iter().find(|f| !is_posted(fields, f)) {
        return Err(ChoiceProblem::MissingRequired(missing));
    }
    match family {
        HashFamily::Request => choose_request(fields),
        HashFamily::Response => Ok(choose_response(fields)),
        HashFamily::Command => Ok(Sequence {
            family,
            variant: "command".to_owned(),
            slots: vec![
                Slot::Field("key"),
                Slot::Field("command"),
                Slot::Field("var1"),
                Slot::Salt,
            ],
        }),
    }
}

fn choose_request(fields: &BTreeMap<String, String>) -> Result<Sequence, ChoiceProblem> {
    let version_7 = match fields.get(API_VERSION).map(String::as_str) {
        None | Some("") | Some("1") => false,
        Some("7") => true,
        Some(other) => return Err(ChoiceProblem::UnknownApiVersion(other.to_owned())),
    };
    let mut slots: Vec<Slot> = REQUEST_HEAD.iter().chain(&UDF_1_TO_5).map(|f| Slot::Field(f)).collect();
    let mut variant = String::new();
    if version_7 {
        variant.push_str("api_version 7 (udf1..udf10)");
        slots.extend(UDF_6_TO_10.iter().map(|f| Slot::Field(f)));
    } else {
        if let Some(udf) = UDF_6_TO_10.iter().find(|f| is_posted(fields, f)) {
            return Err(ChoiceProblem::UdfNeedsApiVersion7(udf));
        }
        variant.push_str("api_version 1 (udf1..udf5, 5 reserved)");
        slots.extend([Slot::Reserved; 5]);
    }
    if is_posted(fields, SI_DETAILS) {
        variant.push_str(" + si_details");
        slots.push(Slot::Field(SI_DETAILS));
    }
    slots.push(Slot::Salt);
    let after: Vec<&'static str> = REQUEST_AFTER_SALT
        .iter()
        .copied()
        .filter(|f| is_posted(fields, f))
        .collect();
    if !after.is_empty() {
        variant.push_str(" + after salt: ");
        variant.push_str(&after.join(", "));
        slots.extend(after.into_iter().map(Slot::Field));
    }
    Ok(Sequence {
        family: HashFamily::Request,
        variant,
        slots,
    })
}

fn choose_response(fields: &BTreeMap<String, String>) -> Sequence {
    let mut slots = Vec::with_capacity(19);
    let variant = if is_posted(fields, ADDITIONAL_CHARGES) {
        slots.push(Slot::Field(ADDITIONAL_CHARGES));
        "reverse, additional_charges first"
    } else {
        "reverse"
    };
    slots.push(Slot::Salt);
    slots.push(Slot::Field("status"));
    slots.extend([Slot::Reserved; 5]);
    slots.extend(RESPONSE_TAIL.iter().map(|f| Slot::Field(f)));
    Sequence {
        family: HashFamily::Response,
        variant: variant.to_owned(),
        slots,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn default_request_has_eleven_pipes_between_email_and_salt() {
        let seq = choose(
            HashFamily::Request,
            &fields(&[("key", "k"), ("txnid", "t"), ("amount", "1")]),
        )
        .unwrap();
        let email = seq.slots.iter().position(|s| *s == Slot::Field("email")).unwrap();
        let salt = seq.slots.iter().position(|s| *s == Slot::Salt).unwrap();
        assert_eq!(salt - email, 11);
    }

    #[test]
    fn after_salt_order_is_the_documented_one_not_the_posted_one() {
        let seq = choose(
            HashFamily::Request,
            &fields(&[
                ("key", "k"),
                ("txnid", "t"),
                ("amount", "1"),
                ("buyer_type_business", "1"),
                ("additional_charges", "2"),
            ]),
        )
        .unwrap();
        assert_eq!(
            &seq.slots[seq.slots.len() - 3..],
            &[
                Slot::Salt,
                Slot::Field("additional_charges"),
                Slot::Field("buyer_type_business")
            ]
        );
    }
}
