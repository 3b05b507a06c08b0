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
                        // The name from a table (not `wire`'s match) and a byte loop: names are
                        // short, a memcmp call costs more.
                        let w = WIRES[i].as_bytes();
                        (w.len() == b.len() && w.iter().zip(b).all(|(x, y)| x == y))
                            .then_some(Key::ALL[i])
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
                mask >> self.index() & 1 != 0
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
}
