//! The parameter names a UPI deeplink knows, in canonical order, and which link kind each
//! belongs to.

use serde::Serialize;

/// The kind of link, which decides the parameter set and the rule scope (`deeplink.pay.*` or
/// `deeplink.mandate.*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A payment: `upi://pay`, the iOS app forms, PayU's bare query and unknown schemes.
    Pay,
    /// An autopay mandate: `upi://mandate`.
    Mandate,
}

impl Kind {
    /// The rule-ID segment for this kind.
    pub fn scope(self) -> &'static str {
        match self {
            Kind::Pay => "pay",
            Kind::Mandate => "mandate",
        }
    }
}

/// A collision-free hash of the known names (checked at compile time by [`SLOTS`]): length,
/// first, second and last byte.
#[inline]
const fn slot(b: &[u8]) -> usize {
    (b.len() + 2 * b[0] as usize + 30 * b[b.len() - 1] as usize + b[1] as usize) & 255
}

/// For each hash slot, 1 + the index of the key whose name hashes there (0: none).
const SLOTS: [u8; 256] = {
    let mut slots = [0u8; 256];
    let mut i = 0;
    while i < Key::ALL.len() {
        let s = slot(Key::ALL[i].wire().as_bytes());
        assert!(
            slots[s] == 0,
            "two deeplink parameter names share a slot: change `slot`"
        );
        slots[s] = i as u8 + 1;
        i += 1;
    }
    slots
};

/// The multiplier of the word hash of short names (found by search; [`WORD_SLOTS`] checks at
/// compile time that no two names share a slot).
const WORD_MUL: u64 = 0xc2ce_6f44_7ed4_d57b;

/// A name of at most 8 bytes as a little-endian word (zero above its bytes).
const fn name_word(b: &[u8]) -> u64 {
    let mut w = 0u64;
    let mut i = 0;
    while i < b.len() {
        w |= (b[i] as u64) << (8 * i);
        i += 1;
    }
    w
}

#[inline]
const fn word_slot(w: u64) -> usize {
    (w.wrapping_mul(WORD_MUL) >> 58) as usize
}

/// For each slot of the word hash, the word of the name there and 1 + its key's index (0:
/// none). Names of at most 7 bytes only: with their `=` they fit one 8-byte load.
const WORD_SLOTS: [(u64, u8); 64] = {
    let mut slots = [(0u64, 0u8); 64];
    let mut i = 0;
    while i < Key::ALL.len() {
        let b = Key::ALL[i].wire().as_bytes();
        if b.len() <= 7 {
            let w = name_word(b);
            let s = word_slot(w);
            assert!(slots[s].1 == 0, "two short names share a word slot: change WORD_MUL");
            slots[s] = (w, i as u8 + 1);
        }
        i += 1;
    }
    slots
};

/// `=` in every byte of a word.
const EQUALS: u64 = 0x3D3D_3D3D_3D3D_3D3D;
const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The known key whose name starts a segment at `at`, followed by `=`, with the name's length:
/// one 8-byte load, the first `=` found in the word (SWAR: the lowest flagged byte is exact),
/// the bytes before it hashed and compared as one word. `None` when the name is longer than 7
/// bytes, is not a key, or fewer than 8 bytes are left (the byte-wise path decides then).
#[inline]
pub(crate) fn key_at(bytes: &[u8], at: usize) -> Option<(Key, usize)> {
    let w = bytes.get(at..at + 8)?;
    let word = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
    let x = word ^ EQUALS;
    let equals = x.wrapping_sub(LOW_BITS) & !x & HIGH_BITS;
    if equals == 0 {
        return None;
    }
    let n = (equals.trailing_zeros() / 8) as usize; // at most 7
    let name = word & ((1u64 << (8 * n)) - 1);
    let (expect, i) = WORD_SLOTS[word_slot(name)];
    (i != 0 && expect == name).then(|| (Key::ALL[usize::from(i) - 1], n))
}

/// Whether two slices of the same length (at least 1) are equal, by two possibly overlapping
/// loads from each end: one or two bytes, 4-byte or 8-byte words (names are at most 16 bytes
/// here; longer slices are compared whole).
#[inline]
pub(crate) fn same_short(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    let word4 = |s: &[u8], at: usize| s.get(at..at + 4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]));
    let word8 = |s: &[u8], at: usize| {
        s.get(at..at + 8)
            .map(|w| u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]))
    };
    match n {
        1..=3 => a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1],
        4..=7 => word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4),
        8..=16 => word8(a, 0) == word8(b, 0) && word8(a, n - 8) == word8(b, n - 8),
        _ => a == b,
    }
}

macro_rules! keys {
    ($($(#[$doc:meta])* $variant:ident = $wire:literal, pay: $pay:literal, mandate: $mandate:literal;)*) => {
        /// A known deeplink parameter. The declaration order is the canonical order the builder
        /// writes parameters in (seed 003's sample order first, then the rest).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum Key {
            $($(#[$doc])* $variant,)*
        }

        impl Key {
            /// Every key in canonical order.
            pub const ALL: &'static [Key] = &[$(Key::$variant,)*];

            /// The parameter name on the wire (case-sensitive).
            pub const fn wire(self) -> &'static str {
                match self {
                    $(Key::$variant => $wire,)*
                }
            }

            /// The key with this exact wire name.
            #[inline]
            pub fn from_wire(name: &str) -> Option<Key> {
                let b = name.as_bytes();
                if b.len() < 2 {
                    return None;
                }
                match SLOTS[slot(b)] {
                    0 => None,
                    i => {
                        let i = usize::from(i) - 1;
                        // The name from a table (not `wire`'s match), compared by word loads:
                        // names are short, a memcmp call or a byte loop costs more.
                        let w = WIRES[i].as_bytes();
                        (w.len() == b.len() && same_short(w, b)).then_some(Key::ALL[i])
                    }
                }
            }

            /// Whether links of `kind` define this parameter (elsewhere it is unknown).
            #[inline]
            pub const fn applies_to(self, kind: Kind) -> bool {
                let mask = match kind {
                    Kind::Pay => PAY_KEYS,
                    Kind::Mandate => MANDATE_KEYS,
                };
                (mask >> self.index()) & 1 != 0
            }
        }

        /// The wire names in canonical order (a table for the hot path).
        const WIRES: [&str; Key::COUNT] = [$($wire,)*];
        /// One bit per key (by index) that links of each kind define.
        const PAY_KEYS: u64 = 0 $(| (($pay as u64) << Key::$variant as u32))*;
        /// See [`PAY_KEYS`].
        const MANDATE_KEYS: u64 = 0 $(| (($mandate as u64) << Key::$variant as u32))*;
    };
}

keys! {
    /// Payee VPA.
    Pa = "pa", pay: true, mandate: true;
    /// Payee name.
    Pn = "pn", pay: true, mandate: true;
    /// Merchant category code.
    Mc = "mc", pay: true, mandate: true;
    /// Transaction ID (PSP-generated).
    Tid = "tid", pay: true, mandate: true;
    /// Transaction reference.
    Tr = "tr", pay: true, mandate: true;
    /// Amount.
    Am = "am", pay: true, mandate: true;
    /// Minimum amount.
    Mam = "mam", pay: true, mandate: false;
    /// Currency.
    Cu = "cu", pay: true, mandate: true;
    /// Transaction note.
    Tn = "tn", pay: true, mandate: true;
    /// Reference URL.
    Url = "url", pay: true, mandate: false;
    /// Initiation mode.
    Mode = "mode", pay: true, mandate: true;
    /// Purpose code.
    Purpose = "purpose", pay: true, mandate: true;
    /// Reference URL category (01 advertisement, 02 invoice).
    Category = "category", pay: true, mandate: false;
    /// Mandate amount rule.
    Amrule = "amrule", pay: false, mandate: true;
    /// Mandate validity start (DDMMYYYY).
    Validitystart = "validitystart", pay: false, mandate: true;
    /// Mandate validity end (DDMMYYYY).
    Validityend = "validityend", pay: false, mandate: true;
    /// Mandate recurrence.
    Recur = "recur", pay: false, mandate: true;
    /// Mandate recurrence rule type.
    Recurtype = "recurtype", pay: false, mandate: true;
    /// Mandate recurrence value.
    Recurvalue = "recurvalue", pay: false, mandate: true;
    /// Mandate name.
    Mn = "mn", pay: false, mandate: true;
    /// Mandate transaction type.
    TxnType = "txnType", pay: false, mandate: true;
    /// Whether funds are blocked.
    Block = "block", pay: false, mandate: true;
    /// First amount of a mandate.
    Fam = "fam", pay: false, mandate: true;
    /// Whether the mandate is revocable.
    Rev = "rev", pay: false, mandate: true;
    /// Organisation ID.
    Orgid = "orgid", pay: true, mandate: true;
    /// Merchant ID.
    Mid = "mid", pay: true, mandate: false;
    /// Merchant store ID.
    Msid = "msid", pay: true, mandate: false;
    /// Merchant terminal ID.
    Mtid = "mtid", pay: true, mandate: false;
    /// QR medium.
    QrMedium = "qrMedium", pay: true, mandate: true;
    /// Link version.
    Ver = "ver", pay: true, mandate: true;
    /// Invoice number.
    InvoiceNo = "invoiceNo", pay: true, mandate: false;
    /// Invoice date.
    InvoiceDate = "invoiceDate", pay: true, mandate: false;
    /// GSTIN.
    GstIn = "gstIn", pay: true, mandate: false;
    /// GST breakup.
    GstBrkUp = "gstBrkUp", pay: true, mandate: false;
    /// QR expiry.
    QrExpire = "QRexpire", pay: true, mandate: true;
    /// PSP signature (opaque).
    Sign = "sign", pay: true, mandate: false;
}

impl Key {
    /// Number of known keys.
    pub const COUNT: usize = Key::ALL.len();

    /// Index of this key in [`Key::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_and_index_matches_order() {
        for (i, key) in Key::ALL.iter().enumerate() {
            assert_eq!(Key::from_wire(key.wire()), Some(*key));
            assert_eq!(key.index(), i);
        }
        assert_eq!(Key::from_wire("PA"), None, "names are case-sensitive");
    }

    #[test]
    fn key_at_finds_exactly_the_short_names_followed_by_equals() {
        for key in Key::ALL {
            let wire = key.wire();
            for rest in ["=1&xxxxxxxx", "=", "&=1xxxxxxxx", "x=1xxxxxxxx", "==xxxxxxxxx"] {
                let text = format!("{wire}{rest}");
                let expected =
                    (wire.len() <= 7 && text.len() >= 8 && rest.starts_with('=')).then_some((*key, wire.len()));
                assert_eq!(key_at(text.as_bytes(), 0), expected, "{text}");
                // The same at an offset, and one byte later (inside the name): no key.
                let shifted = format!("&{text}");
                assert_eq!(key_at(shifted.as_bytes(), 1), expected, "&{text}");
            }
        }
    }

    #[test]
    fn key_at_refuses_near_names() {
        // Each byte of each short name flipped, and each name cut short or extended by a letter.
        for key in Key::ALL.iter().filter(|k| k.wire().len() <= 7) {
            let wire = key.wire().as_bytes();
            let mut near: Vec<Vec<u8>> = vec![wire[..wire.len() - 1].to_vec(), [wire, b"x"].concat()];
            for i in 0..wire.len() {
                let mut flipped = wire.to_vec();
                flipped[i] ^= 0x20; // letter case
                near.push(flipped);
            }
            for name in near {
                let text = [&name[..], b"=1&xxxxxxxx"].concat();
                let found = key_at(&text, 0).map(|(k, _)| k);
                assert!(
                    found.is_none() || Key::from_wire(std::str::from_utf8(&name).unwrap()) == found,
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn a_name_one_byte_off_anywhere_is_no_key() {
        // Every byte of every name flipped in turn (`same_short` reads words from both ends;
        // a mutant that skips a byte in the middle accepts one of these).
        for key in Key::ALL {
            let wire = key.wire().as_bytes();
            for i in 0..wire.len() {
                let mut near = wire.to_vec();
                near[i] ^= 0x01;
                let near = String::from_utf8(near).unwrap();
                assert_eq!(Key::from_wire(&near), None, "{near} is not {}", key.wire());
            }
        }
    }
}
