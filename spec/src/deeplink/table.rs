//! The typed parameter table: for each known parameter, when it is required and which value
//! constraints it has, each constraint with its rule ID suffix, severity and source.
//!
//! A parameter rule's ID is `deeplink.<kind>.<key>.<suffix>`, e.g. `deeplink.pay.am.format`
//! or `deeplink.mandate.pa.required`.

use crate::Severity;
use crate::charset::{self, Charset};
use crate::format::Format;
use crate::source::{Source, seeds};

use super::key::{Key, Kind};

/// How a value is checked.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// The value has this format.
    Format(Format),
    /// Every character is in the set and the length in characters is in `min..=max`.
    Chars {
        /// The allowed characters.
        set: Charset,
        /// Minimum length in characters.
        min: usize,
        /// Maximum length in characters.
        max: usize,
    },
    /// At most this many characters.
    MaxChars(usize),
    /// One of these codes, exactly.
    OneOf(&'static [&'static str]),
    /// A two-digit code `00`..`99` whose number is in the set (see [`codes`]).
    Code2(u128),
    /// No leading or trailing whitespace.
    NoOuterSpace,
    /// A plain decimal number `1*DIGIT [ "." 1*DIGIT ]` with at most this many digits in all
    /// (`100`, `10.5`, `1.00`, `1.000`; not `1.`, `.5`, `-1`, `1e3`, `1,00`).
    Decimal {
        /// Maximum number of digits, integer and fraction together.
        max_digits: usize,
    },
}

/// Whether `s` is `1*DIGIT [ "." 1*DIGIT ]` with at most `max_digits` digits.
#[inline]
fn is_decimal(s: &str, max_digits: usize) -> bool {
    let b = s.as_bytes();
    if b.len() > max_digits + 1 {
        return false;
    }
    // One pass: the integer digits up to the first other byte, which may only be a `.`
    // followed by digits.
    let int = b.iter().position(|c| !c.is_ascii_digit()).unwrap_or(b.len());
    int > 0
        && match &b[int..] {
            [] => b.len() <= max_digits,
            [b'.', frac @ ..] => !frac.is_empty() && frac.iter().all(u8::is_ascii_digit),
            _ => false,
        }
}

impl Check {
    /// Whether `value` passes.
    #[inline(always)]
    pub fn passes(&self, value: &str) -> bool {
        match self {
            Check::Format(f) => f.check(value),
            Check::Chars { set, min, max } => {
                // All sets used here are ASCII, so bytes are characters when every byte passes.
                let n = value.len();
                // Bytes first: for ASCII text they are the characters (no UTF-8 decoding); any
                // other byte sends the value to the character loop, which decides.
                (*min..=*max).contains(&n)
                    && (value.bytes().all(|b| b.is_ascii() && set.contains(char::from(b)))
                        || !value.is_ascii() && value.chars().all(|c| set.contains(c)))
            }
            Check::MaxChars(max) => value.len() <= *max || value.chars().count() <= *max,
            Check::OneOf(codes) => codes.contains(&value),
            Check::Code2(set) => match value.as_bytes() {
                [a @ b'0'..=b'9', b @ b'0'..=b'9'] => set & (1u128 << ((a - b'0') * 10 + (b - b'0'))) != 0,
                _ => false,
            },
            Check::NoOuterSpace => match value.as_bytes() {
                // An ASCII byte that is not white space at each end: nothing to trim (a
                // non-ASCII end goes to `trim`, which knows Unicode white space).
                [first, .., last] | [first @ last] if first.is_ascii() && last.is_ascii() => {
                    !char::from(*first).is_whitespace() && !char::from(*last).is_whitespace()
                }
                _ => value.trim() == value,
            },
            Check::Decimal { max_digits } => is_decimal(value, *max_digits),
        }
    }

    /// Plain-language statement of the check.
    pub fn describe(&self) -> String {
        match self {
            Check::Format(f) => format!("is {}", f.describe()),
            Check::Chars { set, min, max } => {
                format!("has {min} to {max} characters, all {}", set.name)
            }
            Check::MaxChars(max) => format!("has at most {max} characters"),
            Check::OneOf(codes) if codes.len() <= 4 => format!("is one of {}", codes.join(", ")),
            Check::OneOf(codes) => format!(
                "is one of the {} listed codes ({} ... {})",
                codes.len(),
                codes[0],
                codes[codes.len() - 1]
            ),
            Check::Code2(set) => {
                let list: Vec<String> = (0..100)
                    .filter(|n| set & (1u128 << n) != 0)
                    .map(|n| format!("{n:02}"))
                    .collect();
                format!("is one of the two-digit codes {}", list.join(", "))
            }
            Check::NoOuterSpace => "has no leading or trailing whitespace".to_string(),
            Check::Decimal { max_digits } => format!(
                "is a decimal amount (digits, optionally `.` and digits, no sign or exponent) of at most {max_digits} digits"
            ),
        }
    }
}

/// One value constraint of one parameter.
#[derive(Debug, Clone, Copy)]
pub struct ValueRule {
    /// The parameter.
    pub key: Key,
    /// The link kind it applies to (`None`: every kind that defines the key).
    pub kind: Option<Kind>,
    /// The last segment of the rule ID.
    pub suffix: &'static str,
    /// How strongly it binds.
    pub severity: Severity,
    /// The check.
    pub check: Check,
    /// Where it comes from.
    pub source: Source,
}

/// A parameter that must be present.
#[derive(Debug, Clone, Copy)]
pub struct Required {
    /// The link kind.
    pub kind: Kind,
    /// The parameter.
    pub key: Key,
    /// How strongly it binds.
    pub severity: Severity,
    /// Where it comes from.
    pub source: Source,
}

/// The set of two-digit codes, as a bit set for [`Check::Code2`].
pub const fn codes(list: &[&str]) -> u128 {
    let mut set = 0u128;
    let mut i = 0;
    while i < list.len() {
        let b = list[i].as_bytes();
        assert!(b.len() == 2 && b[0].is_ascii_digit() && b[1].is_ascii_digit());
        set |= 1u128 << ((b[0] - b'0') * 10 + (b[1] - b'0'));
        i += 1;
    }
    set
}

/// Initiation mode and purpose codes (written once, in [`crate::npci`]).
pub use crate::npci::{MODES, PURPOSES};

/// Seed 003's mapping table (every version).
pub const SRC_MAPPING_TABLE: Source = Source::seed(
    seeds::REGISTER_INTENT,
    "API Version: V3 > Merchant Register Intent (response to deeplink mapping table)",
);
const SRC_AMOUNT: Source = Source::derived(
    "seed 003's request body rule (Body Parameters > amount: Amount in two decimals. Decimals are mandatory) carried over to the link; NPCI links carry am=100 and am=10.5 and seed 003's own V2 sample prints am=1.0, so at most two decimals is a should",
);
/// Digits an amount may have in all (NPCI amounts are decimal(18,2) as quoted publicly). Far
/// above any UPI limit, and it keeps a 5,000-digit `am` from passing as an amount.
pub const AMOUNT_DIGITS: usize = 18;
const SRC_DECIMAL_AMOUNT: Source = Source::derived(
    "NPCI linking specification (DOMAIN.md): am is a decimal amount; at most 18 digits (decimal(18,2) as quoted publicly): longer numbers are not amounts any bank or app can represent",
);
const SRC_REMARKS: Source = Source::derived(
    "seed 003 limits the request's remarks (mapped to tn) to 50 characters; for links the limit is widely stated but unverified by NPCI (DOMAIN.md), so a should",
);
const SRC_REF_CATEGORY: Source = Source::seed(
    seeds::REGISTER_INTENT,
    "API Version: V3 > Body Parameters > refCategory (01 Advertisement, 02 Invoice)",
);
const SRC_TPAP_MANDATE: &str = "seed 002 (TPAP SDK) '5. UPI Onboarding and Mandate Creation' lists this vocabulary for the SDK mandate; NPCI's link uses the same values (unverified), so a should";

/// Transaction references: seed 003's `merchantRequestId` constraint, which `orderId` echoes.
const TR_CHARS: Charset = charset::ALNUM.with("letters, digits, '-', '.' and '_'", b"-._");

/// Every value constraint, in catalogue order.
pub const VALUE_RULES: &[ValueRule] = &[
    ValueRule {
        key: Key::Pa,
        kind: None,
        suffix: "format",
        severity: Severity::Must,
        check: Check::Format(Format::Vpa),
        source: SRC_MAPPING_TABLE,
    },
    ValueRule {
        key: Key::Pn,
        kind: None,
        suffix: "outer-space",
        severity: Severity::Should,
        check: Check::NoOuterSpace,
        source: Source::derived(
            "seed 001's sample prints 'pn= Merchant%20Inc'; a payee name shown to the payer should not start or end with whitespace",
        ),
    },
    ValueRule {
        key: Key::Mc,
        kind: None,
        suffix: "format",
        severity: Severity::Should,
        check: Check::Format(Format::Mcc),
        source: Source::derived(
            "MCC is 4 digits in every seed sample and widely stated, unverified against NPCI (DOMAIN.md), so a should",
        ),
    },
    ValueRule {
        key: Key::Tid,
        kind: None,
        suffix: "format",
        severity: Severity::Should,
        check: Check::Chars {
            set: charset::ALNUM,
            min: 1,
            max: 35,
        },
        source: Source::derived(
            "every seed tid is alphanumeric and at most 35 characters (NPCI's limit as quoted publicly, unverified), so a should",
        ),
    },
    ValueRule {
        key: Key::Tr,
        kind: None,
        suffix: "format",
        severity: Severity::Should,
        check: Check::Chars {
            set: TR_CHARS,
            min: 1,
            max: 35,
        },
        source: Source::derived(
            "seed 003 maps orderId (the echo of merchantRequestId: max 35, alphanumeric, '-', '.', '_') to tr; other gateways may differ, so a should",
        ),
    },
    ValueRule {
        key: Key::Tn,
        kind: None,
        suffix: "length",
        severity: Severity::Should,
        check: Check::MaxChars(50),
        source: SRC_REMARKS,
    },
    ValueRule {
        key: Key::Am,
        kind: None,
        suffix: "format",
        severity: Severity::Must,
        check: Check::Decimal {
            max_digits: AMOUNT_DIGITS,
        },
        source: SRC_DECIMAL_AMOUNT,
    },
    ValueRule {
        key: Key::Am,
        kind: None,
        suffix: "decimals",
        severity: Severity::Should,
        check: Check::Format(Format::Decimal),
        source: SRC_AMOUNT,
    },
    ValueRule {
        key: Key::Mam,
        kind: None,
        suffix: "format",
        severity: Severity::Must,
        check: Check::Decimal {
            max_digits: AMOUNT_DIGITS,
        },
        source: Source::derived(
            "mam is a minimum amount (NPCI linking specification, DOMAIN.md): a decimal amount like am",
        ),
    },
    ValueRule {
        key: Key::Mam,
        kind: None,
        suffix: "decimals",
        severity: Severity::Should,
        check: Check::Format(Format::Decimal),
        source: SRC_AMOUNT,
    },
    ValueRule {
        key: Key::Cu,
        kind: None,
        suffix: "value",
        severity: Severity::Must,
        check: Check::OneOf(&["INR"]),
        source: Source::derived(
            "NPCI linking specification (DOMAIN.md): the only currency is INR; seed 001's format prints cu=INR",
        ),
    },
    ValueRule {
        key: Key::Url,
        kind: None,
        suffix: "format",
        severity: Severity::Must,
        check: Check::Format(Format::HttpUrl),
        source: Source::derived("NPCI linking specification (DOMAIN.md): url must start with http or https"),
    },
    ValueRule {
        key: Key::Mode,
        kind: None,
        suffix: "code",
        severity: Severity::Must,
        check: Check::Code2(codes(MODES)),
        source: Source::derived(
            "seed 003 V3 maps TxnInitiationMode to mode and refers to the Initiation Mode table; the codes are Juspay's table (DOMAIN.md)",
        ),
    },
    ValueRule {
        key: Key::Purpose,
        kind: None,
        suffix: "code",
        severity: Severity::Must,
        check: Check::Code2(codes(PURPOSES)),
        source: Source::derived(
            "seed 003 V3 maps purpose to purpose; the codes are Juspay's purpose table (DOMAIN.md)",
        ),
    },
    ValueRule {
        key: Key::Category,
        kind: None,
        suffix: "code",
        severity: Severity::Must,
        check: Check::Code2(codes(&["01", "02"])),
        source: SRC_REF_CATEGORY,
    },
    ValueRule {
        key: Key::Orgid,
        kind: None,
        suffix: "format",
        severity: Severity::Should,
        check: Check::Chars {
            set: charset::DIGITS,
            min: 6,
            max: 6,
        },
        source: Source::derived(
            "orgid is seen as 6 digits in real links; no authoritative format (DOMAIN.md: unverified), so a should",
        ),
    },
    ValueRule {
        key: Key::Amrule,
        kind: Some(Kind::Mandate),
        suffix: "code",
        severity: Severity::Should,
        check: Check::OneOf(&["MAX", "EXACT"]),
        source: Source::derived(
            "NPCI mandate links use MAX or EXACT as quoted publicly; not in the seeds (unverified), so a should",
        ),
    },
    ValueRule {
        key: Key::Validitystart,
        kind: Some(Kind::Mandate),
        suffix: "format",
        severity: Severity::Should,
        check: Check::Format(Format::DateDdmmyyyy),
        source: Source::derived(
            "DOMAIN.md: mandate dates in the public samples are DDMMYYYY (samples only, so a should)",
        ),
    },
    ValueRule {
        key: Key::Validityend,
        kind: Some(Kind::Mandate),
        suffix: "format",
        severity: Severity::Should,
        check: Check::Format(Format::DateDdmmyyyy),
        source: Source::derived(
            "DOMAIN.md: mandate dates in the public samples are DDMMYYYY (samples only, so a should)",
        ),
    },
    ValueRule {
        key: Key::Recur,
        kind: Some(Kind::Mandate),
        suffix: "code",
        severity: Severity::Should,
        check: Check::OneOf(&[
            "ONETIME",
            "DAILY",
            "WEEKLY",
            "FORTNIGHTLY",
            "MONTHLY",
            "BIMONTHLY",
            "QUARTERLY",
            "HALFYEARLY",
            "YEARLY",
            "ASPRESENTED",
        ]),
        source: Source::derived(SRC_TPAP_MANDATE),
    },
    ValueRule {
        key: Key::Recurtype,
        kind: Some(Kind::Mandate),
        suffix: "code",
        severity: Severity::Should,
        check: Check::OneOf(&["ON", "BEFORE", "AFTER"]),
        source: Source::derived(SRC_TPAP_MANDATE),
    },
    ValueRule {
        key: Key::Recurvalue,
        kind: Some(Kind::Mandate),
        suffix: "format",
        severity: Severity::Should,
        check: Check::Format(Format::DayOfMonth),
        source: Source::derived(SRC_TPAP_MANDATE),
    },
    ValueRule {
        key: Key::Block,
        kind: Some(Kind::Mandate),
        suffix: "format",
        severity: Severity::Should,
        check: Check::Format(Format::BoolString),
        source: Source::derived(SRC_TPAP_MANDATE),
    },
    ValueRule {
        key: Key::Fam,
        kind: Some(Kind::Mandate),
        suffix: "format",
        severity: Severity::Should,
        check: Check::Decimal {
            max_digits: AMOUNT_DIGITS,
        },
        source: Source::derived("fam (first amount) is a decimal amount like am (unverified), so a should"),
    },
];

const PAY_REQUIRED_SRC: Source = SRC_MAPPING_TABLE;
const MANDATE_REQUIRED_SRC: Source =
    Source::derived("DOMAIN.md lists the mandatory parameters of upi://mandate (NPCI autopay links)");

macro_rules! required {
    ($kind:expr, $src:expr; $($key:ident),*) => {
        [$(Required { kind: $kind, key: Key::$key, severity: Severity::Must, source: $src },)*]
    };
}

const PAY_REQUIRED: [Required; 3] = {
    let [pa, pn] = required!(Kind::Pay, PAY_REQUIRED_SRC; Pa, Pn);
    let tr = Required {
        kind: Kind::Pay,
        key: Key::Tr,
        severity: Severity::Should,
        source: Source::derived(
            "NPCI linking specification (DOMAIN.md): tr is mandatory for merchant and dynamic links only; a P2P link has none and a link alone does not tell which it is, so a should (links built from a Juspay response are held to the mapping table by deeplink.mapping.missing-field)",
        ),
    };
    [pa, pn, tr]
};
const MANDATE_REQUIRED: [Required; 15] = required!(Kind::Mandate, MANDATE_REQUIRED_SRC;
    Amrule, Am, Validitystart, Validityend, Recur, Mn, Tr, Pn, Pa, Mc, Purpose, Mode, Cu, TxnType, Tid);

/// The required parameters of each kind.
pub fn required(kind: Kind) -> &'static [Required] {
    match kind {
        Kind::Pay => &PAY_REQUIRED,
        Kind::Mandate => &MANDATE_REQUIRED,
    }
}

/// For each key, the range `start..start + len` of its value rules in [`VALUE_RULES`]. Built
/// at compile time; a key whose rules are not adjacent fails the build.
pub(super) const RULES_OF: [(u8, u8); Key::COUNT] = {
    let mut index = [(0u8, 0u8); Key::COUNT];
    let mut i = 0;
    while i < VALUE_RULES.len() {
        let k = VALUE_RULES[i].key.index();
        let (start, len) = index[k];
        if len == 0 {
            index[k] = (i as u8, 1);
        } else {
            assert!(start as usize + len as usize == i, "a key's value rules are adjacent");
            index[k] = (start, len + 1);
        }
        i += 1;
    }
    index
};

/// The value rules of `key` in links of `kind`, for the hot path.
#[inline]
pub fn value_rules(key: Key, kind: Kind) -> impl Iterator<Item = &'static ValueRule> {
    let (start, len) = RULES_OF[key.index()];
    let start = usize::from(start);
    VALUE_RULES[start..start + usize::from(len)]
        .iter()
        .filter(move |r| r.kind.is_none_or(|k| k == kind))
}

/// The rule ID of a parameter rule.
pub fn param_rule_id(kind: Kind, key: Key, suffix: &str) -> String {
    format!("deeplink.{}.{}.{}", kind.scope(), key.wire(), suffix)
}

/// An amount in paise, for comparisons (written once, in [`crate::amount`]).
pub use crate::amount::paise;

/// A valid `DDMMYYYY` date as `(year, month, day)`, for comparisons.
pub fn ddmmyyyy(s: &str) -> Option<(u32, u32, u32)> {
    if !Format::DateDdmmyyyy.check(s) {
        return None;
    }
    Some((s[4..].parse().ok()?, s[2..4].parse().ok()?, s[..2].parse().ok()?))
}
