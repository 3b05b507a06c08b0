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

/// The fields the request hash reads under C-02's other reading (`C-02/domain`, ERRATA C-02):
/// Case 4's first printed sequence, where `api_version` 7 changes nothing and `udf6`..`udf10`
/// are not hashed. [`choose`] over the result gives that reading's sequence: the posted fields
/// without `api_version` and `udf6`..`udf10`. (Under the default reading the two sequences
/// differ only when a `udf6`..`udf10` is posted non-empty.)
pub fn as_version_1(fields: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    fields
        .iter()
        .filter(|(k, _)| k.as_str() != API_VERSION && !UDF_6_TO_10.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Picks the sequence for `family` from the fields posted (see the module documentation).
pub fn choose(family: HashFamily, fields: &BTreeMap<String, String>) -> Result<Sequence, ChoiceProblem> {
    let values = Values::of(fields);
    let choice = Choice::decide(family, &values)?;
    let mut slots = Vec::with_capacity(40);
    choice.for_each_slot(|slot| slots.push(slot.public()));
    Ok(Sequence {
        family,
        variant: choice.variant(),
        slots,
    })
}

macro_rules! hashed_fields {
    ($($id:ident = $name:literal,)*) => {
        /// Every field some sequence hashes (and `api_version`, which chooses), as an index.
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(u8)]
        pub(crate) enum F { $($id,)* }
        const NAMES: &[&str] = &[$($name,)*];
        const IDS: &[F] = &[$(F::$id,)*];
    };
}

/// Slots of the field-name hash table (a power of two).
const TABLE: usize = 512;

/// The hash of a field name: length, first, second-to-last and last byte.
#[inline]
const fn name_hash(b: &[u8]) -> usize {
    let n = b.len();
    if n < 2 {
        return n;
    }
    (n * 2 + b[0] as usize * 31 + b[n - 2] as usize * 7 + b[n - 1] as usize) & (TABLE - 1)
}

/// Field index + 1 per hash slot (0: empty); a collision fails the build.
const BY_HASH: [u8; TABLE] = {
    let mut t = [0u8; TABLE];
    let mut i = 0;
    while i < NAMES.len() {
        let h = name_hash(NAMES[i].as_bytes());
        assert!(t[h] == 0, "field-name hash collision");
        t[h] = i as u8 + 1;
        i += 1;
    }
    t
};

/// The index of a field name: one hash and one comparison, no map lookups.
#[inline]
fn field_id(name: &str) -> Option<F> {
    let slot = BY_HASH[name_hash(name.as_bytes())];
    let i = usize::from(slot).checked_sub(1)?;
    let known = NAMES[i].as_bytes();
    let name = name.as_bytes();
    (known.len() == name.len() && same_bytes(known, name)).then(|| IDS[i])
}

/// Whether two slices of the same length hold the same bytes, by a few word compares (two
/// overlapping words cover 4 to 16 bytes): a byte loop or a `memcmp` call costs more on names
/// this short.
#[inline(always)]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n >= 8 {
        let word = |s: &[u8], i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&s[i..i + 8]);
            u64::from_le_bytes(w)
        };
        let mut diff = word(a, n - 8) ^ word(b, n - 8);
        let mut i = 0;
        while i + 8 < n {
            diff |= word(a, i) ^ word(b, i);
            i += 8;
        }
        diff == 0
    } else if n >= 4 {
        let word = |s: &[u8], i: usize| {
            let mut w = [0u8; 4];
            w.copy_from_slice(&s[i..i + 4]);
            u32::from_le_bytes(w)
        };
        (word(a, 0) ^ word(b, 0)) | (word(a, n - 4) ^ word(b, n - 4)) == 0
    } else {
        a.iter().zip(b).all(|(x, y)| x == y)
    }
}

hashed_fields! {
    key = "key", txnid = "txnid", amount = "amount", productinfo = "productinfo",
    firstname = "firstname", email = "email",
    udf1 = "udf1", udf2 = "udf2", udf3 = "udf3", udf4 = "udf4", udf5 = "udf5",
    udf6 = "udf6", udf7 = "udf7", udf8 = "udf8", udf9 = "udf9", udf10 = "udf10",
    si_details = "si_details", api_version = "api_version",
    status = "status", command = "command", var1 = "var1",
    additional_charges = "additional_charges", miles = "miles", base_payuid = "base_payuid",
    base_merchantid = "base_merchantid", paisa_mecode = "paisa_mecode",
    subvention_amount = "subvention_amount", subvention_eligibility = "subvention_eligibility",
    merchant_data = "merchant_data", payoutdetails = "payoutdetails", loan_id = "loan_id",
    twid_customer_hash = "twid_customer_hash", splitrequest = "splitrequest",
    percentage_additional_charges = "percentage_additional_charges", force_pa = "force_pa",
    udf_params = "udf_params", buyer_type_business = "buyer_type_business", tcs_amount = "tcs_amount",
}

const HEAD_IDS: [F; 11] = [
    F::key,
    F::txnid,
    F::amount,
    F::productinfo,
    F::firstname,
    F::email,
    F::udf1,
    F::udf2,
    F::udf3,
    F::udf4,
    F::udf5,
];
const UDF_6_TO_10_IDS: [F; 5] = [F::udf6, F::udf7, F::udf8, F::udf9, F::udf10];
/// [`REQUEST_AFTER_SALT`] as indices (checked against the names by a test).
const AFTER_SALT_IDS: [F; 17] = [
    F::additional_charges,
    F::miles,
    F::base_payuid,
    F::base_merchantid,
    F::paisa_mecode,
    F::subvention_amount,
    F::subvention_eligibility,
    F::merchant_data,
    F::payoutdetails,
    F::loan_id,
    F::twid_customer_hash,
    F::splitrequest,
    F::percentage_additional_charges,
    F::force_pa,
    F::udf_params,
    F::buyer_type_business,
    F::tcs_amount,
];
const RESPONSE_TAIL_IDS: [F; 11] = [
    F::udf5,
    F::udf4,
    F::udf3,
    F::udf2,
    F::udf1,
    F::email,
    F::firstname,
    F::productinfo,
    F::amount,
    F::txnid,
    F::key,
];

/// The bits of `udf6`..`udf10` in [`Values::posted`].
const UDF_6_TO_10_MASK: u64 = ((1 << UDF_6_TO_10_IDS.len()) - 1) << F::udf6 as u32;
/// The bits of the after-salt fields in [`Values::posted`].
const AFTER_SALT_MASK: u64 = ((1 << AFTER_SALT_IDS.len()) - 1) << F::additional_charges as u32;

impl F {
    /// The field's name.
    pub(crate) fn name(self) -> &'static str {
        NAMES[self as usize]
    }
}

// `Values::posted` holds one bit per field, and `Choice::decide` reads the after-salt fields
// and `udf6`..`udf10` as runs of those bits.
const _: () = {
    assert!(NAMES.len() <= 64);
    let mut i = 0;
    while i < AFTER_SALT_IDS.len() {
        assert!(AFTER_SALT_IDS[i] as usize == F::additional_charges as usize + i);
        i += 1;
    }
    let mut i = 0;
    while i < UDF_6_TO_10_IDS.len() {
        assert!(UDF_6_TO_10_IDS[i] as usize == F::udf6 as usize + i);
        i += 1;
    }
};

/// The values of the hashed fields, read from the posted fields in one pass (absent: empty),
/// and which of them are posted (present and non-empty) as a bit set. `V` is how a value is
/// held: `String` for a map of owned strings (a reference to one takes 8 bytes where a `&str`
/// takes 16: half the array to clear per call), `str` for borrowed pairs.
#[derive(Debug)]
pub(crate) struct Values<'a, V: ?Sized = String> {
    /// A reference to each field's value.
    values: [Option<&'a V>; NAMES.len()],
    /// Bit `i`: field `i` is posted.
    posted: u64,
}

impl<'a> Values<'a> {
    /// Reads the hashed fields of `fields`.
    #[inline]
    pub(crate) fn of(fields: &'a BTreeMap<String, String>) -> Self {
        Values::from_pairs(fields.iter().map(|(k, v)| (k.as_str(), v)))
    }
}

impl<'a, V: AsRef<str> + ?Sized> Values<'a, V> {
    /// Reads the hashed fields of `(name, value)` pairs; a name given twice counts its last
    /// value, as in a map built from the pairs.
    #[inline]
    pub(crate) fn from_pairs(pairs: impl IntoIterator<Item = (&'a str, &'a V)>) -> Self {
        let mut values = [None; NAMES.len()];
        let mut posted = 0u64;
        for (name, value) in pairs {
            if let Some(id) = field_id(name) {
                values[id as usize] = Some(value);
                let on = bit(id);
                posted = if value.as_ref().is_empty() {
                    posted & !on
                } else {
                    posted | on
                };
            }
        }
        Values { values, posted }
    }

    /// The value of a field (empty when absent).
    #[inline]
    pub(crate) fn get(&self, id: F) -> &'a str {
        self.values[id as usize].map_or("", AsRef::as_ref)
    }

    #[inline]
    fn posted(&self, id: F) -> bool {
        self.posted & bit(id) != 0
    }

    /// The first posted field of the set `mask`, in field order.
    #[inline]
    fn first_posted(&self, mask: u64) -> Option<F> {
        let hit = self.posted & mask;
        (hit != 0).then(|| IDS[hit.trailing_zeros() as usize])
    }
}

/// The bit of a field in [`Values::posted`].
#[inline]
const fn bit(id: F) -> u64 {
    1 << id as u32
}

/// A slot of a chosen sequence, by field index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlotId {
    /// A field's value.
    Field(F),
    /// A reserved empty slot.
    Reserved,
    /// The salt.
    Salt,
}

impl SlotId {
    fn public(self) -> Slot {
        match self {
            SlotId::Field(f) => Slot::Field(f.name()),
            SlotId::Reserved => Slot::Reserved,
            SlotId::Salt => Slot::Salt,
        }
    }
}

/// Which variant applies, decided without building names or slot lists: the hot path of
/// hashing. [`choose`] turns it into a [`Sequence`] for explanations.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Choice {
    family: HashFamily,
    version_7: bool,
    si_details: bool,
    /// Bit `i`: `REQUEST_AFTER_SALT[i]` is posted (request); `additional_charges` (response).
    after: u32,
}

impl Choice {
    /// Decides the variant from the fields posted (see the module documentation).
    #[inline]
    pub(crate) fn decide<V: AsRef<str> + ?Sized>(
        family: HashFamily,
        values: &Values<'_, V>,
    ) -> Result<Self, ChoiceProblem> {
        // Bit sets in field order, so the first missing one is the first of the list.
        let required = match family {
            HashFamily::Request => bit(F::key) | bit(F::txnid) | bit(F::amount),
            HashFamily::Response => bit(F::key) | bit(F::txnid) | bit(F::status),
            HashFamily::Command => bit(F::key) | bit(F::command) | bit(F::var1),
        };
        if required & !values.posted != 0 {
            let missing = IDS[(required & !values.posted).trailing_zeros() as usize];
            return Err(ChoiceProblem::MissingRequired(missing.name()));
        }
        let mut choice = Choice {
            family,
            version_7: false,
            si_details: false,
            after: 0,
        };
        match family {
            HashFamily::Request => {
                choice.version_7 = match values.get(F::api_version) {
                    "" | "1" => false,
                    "7" => true,
                    other => return Err(ChoiceProblem::UnknownApiVersion(other.to_owned())),
                };
                if !choice.version_7 {
                    if let Some(udf) = values.first_posted(UDF_6_TO_10_MASK) {
                        return Err(ChoiceProblem::UdfNeedsApiVersion7(udf.name()));
                    }
                }
                choice.si_details = values.posted(F::si_details);
                // Bit `i` of the run starting at `additional_charges` is `REQUEST_AFTER_SALT[i]`.
                choice.after = ((values.posted & AFTER_SALT_MASK) >> (F::additional_charges as u32)) as u32;
            }
            HashFamily::Response => choice.after = u32::from(values.posted(F::additional_charges)),
            HashFamily::Command => {}
        }
        Ok(choice)
    }

    /// Calls `f` with each slot, in hashing order.
    #[inline]
    pub(crate) fn for_each_slot(&self, mut f: impl FnMut(SlotId)) {
        match self.family {
            HashFamily::Request => {
                HEAD_IDS.iter().for_each(|id| f(SlotId::Field(*id)));
                if self.version_7 {
                    UDF_6_TO_10_IDS.iter().for_each(|id| f(SlotId::Field(*id)));
                } else {
                    (0..5).for_each(|_| f(SlotId::Reserved));
                }
                if self.si_details {
                    f(SlotId::Field(F::si_details));
                }
                f(SlotId::Salt);
                let mut after = self.after;
                while after != 0 {
                    f(SlotId::Field(AFTER_SALT_IDS[after.trailing_zeros() as usize]));
                    after &= after - 1;
                }
            }
            HashFamily::Response => {
                if self.after != 0 {
                    f(SlotId::Field(F::additional_charges));
                }
                f(SlotId::Salt);
                f(SlotId::Field(F::status));
                (0..5).for_each(|_| f(SlotId::Reserved));
                RESPONSE_TAIL_IDS.iter().for_each(|id| f(SlotId::Field(*id)));
            }
            HashFamily::Command => {
                [F::key, F::command, F::var1]
                    .iter()
                    .for_each(|id| f(SlotId::Field(*id)));
                f(SlotId::Salt);
            }
        }
    }

    /// The variant's human-readable name (built only for explanations and errors).
    pub(crate) fn variant(&self) -> String {
        match self.family {
            HashFamily::Request => {
                let mut variant = String::from(if self.version_7 {
                    "api_version 7 (udf1..udf10)"
                } else {
                    "api_version 1 (udf1..udf5, 5 reserved)"
                });
                if self.si_details {
                    variant.push_str(" + si_details");
                }
                if self.after != 0 {
                    let after: Vec<&str> = (0..AFTER_SALT_IDS.len())
                        .filter(|i| self.after & (1 << i) != 0)
                        .map(|i| AFTER_SALT_IDS[i].name())
                        .collect();
                    variant.push_str(" + after salt: ");
                    variant.push_str(&after.join(", "));
                }
                variant
            }
            HashFamily::Response if self.after != 0 => "reverse, additional_charges first".to_owned(),
            HashFamily::Response => "reverse".to_owned(),
            HashFamily::Command => "command".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests;
