//! The typed deeplink: where it points ([`Target`]) and its parameters, borrowed from the input
//! where no decoding was needed.

use std::borrow::Cow;

use serde::Serialize;
use serde::ser::SerializeMap;

use super::key::{Key, Kind};

/// What the part before `?` names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target<'a> {
    /// `upi://pay`, the NPCI payment link.
    UpiPay,
    /// `upi://mandate`, the autopay mandate link.
    UpiMandate,
    /// `tez://upi/pay` (Google Pay on iOS).
    Gpay,
    /// `phonepe://pay` (PhonePe on iOS).
    PhonePe,
    /// `paytmmp://pay` (Paytm on iOS).
    Paytm,
    /// `credpay://upi/pay` (CRED on iOS).
    Cred,
    /// `bhim://pay` (BHIM on iOS).
    Bhim,
    /// No scheme at all: PayU's `intentURIData`, to be prefixed with `upi://pay?`.
    Bare,
    /// Any other `scheme:...` prefix, kept verbatim (reported as an unknown scheme).
    Other(Cow<'a, str>),
}

impl<'a> Target<'a> {
    /// The known targets with their prefixes (text before `?`).
    pub const KNOWN: [(&'static str, Target<'static>); 7] = [
        ("upi://pay", Target::UpiPay),
        ("upi://mandate", Target::UpiMandate),
        ("tez://upi/pay", Target::Gpay),
        ("phonepe://pay", Target::PhonePe),
        ("paytmmp://pay", Target::Paytm),
        ("credpay://upi/pay", Target::Cred),
        ("bhim://pay", Target::Bhim),
    ];

    /// The known target whose prefix is exactly `prefix`.
    pub fn from_prefix(prefix: &str) -> Option<Target<'static>> {
        match prefix {
            "upi://pay" => Some(Target::UpiPay),
            "upi://mandate" => Some(Target::UpiMandate),
            "tez://upi/pay" => Some(Target::Gpay),
            "phonepe://pay" => Some(Target::PhonePe),
            "paytmmp://pay" => Some(Target::Paytm),
            "credpay://upi/pay" => Some(Target::Cred),
            "bhim://pay" => Some(Target::Bhim),
            _ => None,
        }
    }

    /// The text written before `?` (empty for [`Target::Bare`]).
    pub fn prefix(&self) -> &str {
        match self {
            Target::UpiPay => "upi://pay",
            Target::UpiMandate => "upi://mandate",
            Target::Gpay => "tez://upi/pay",
            Target::PhonePe => "phonepe://pay",
            Target::Paytm => "paytmmp://pay",
            Target::Cred => "credpay://upi/pay",
            Target::Bhim => "bhim://pay",
            Target::Bare => "",
            Target::Other(p) => p,
        }
    }

    /// Which parameter set applies.
    pub fn kind(&self) -> Kind {
        match self {
            Target::UpiMandate => Kind::Mandate,
            _ => Kind::Pay,
        }
    }

    /// The same target, owning its text.
    pub fn into_owned(self) -> Target<'static> {
        match self {
            Target::UpiPay => Target::UpiPay,
            Target::UpiMandate => Target::UpiMandate,
            Target::Gpay => Target::Gpay,
            Target::PhonePe => Target::PhonePe,
            Target::Paytm => Target::Paytm,
            Target::Cred => Target::Cred,
            Target::Bhim => Target::Bhim,
            Target::Bare => Target::Bare,
            Target::Other(p) => Target::Other(Cow::Owned(p.into_owned())),
        }
    }
}

/// A deeplink as typed data: its target, the known parameters (first occurrence of each) and
/// the unknown ones in input order. Equality is semantic: parameter order does not matter.
///
/// The known values sit in one short list, found through a one-byte slot per key (a link has
/// about ten parameters of the 36 known; a slot of text per key made every parse initialise,
/// copy and drop 36 of them).
#[derive(Clone)]
pub struct Deeplink<'a> {
    /// Where the link points.
    pub target: Target<'a>,
    /// For each key (by index), 1 + the position of its value in `values` (0: absent).
    slot: [u8; Key::COUNT],
    values: Vec<Cow<'a, str>>,
    /// The unknown parameters, boxed once there is one (most links have none; an empty `Vec`
    /// here made a parse result 136 bytes, moved by a `memcpy` call, against 120 inlined).
    unknown: Option<Box<Unknown<'a>>>,
}

/// Unknown parameters as `(name, value)`, in input order.
type Unknown<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

impl<'a> Deeplink<'a> {
    /// A link to `target` without parameters.
    pub fn new(target: Target<'a>) -> Self {
        Deeplink {
            target,
            slot: [0; Key::COUNT],
            values: Vec::new(),
            unknown: None,
        }
    }

    /// A link to `target` with room for `known` known parameters (the parser's start).
    pub(crate) fn with_capacity(target: Target<'a>, known: usize) -> Self {
        Deeplink {
            values: Vec::with_capacity(known.min(Key::COUNT)),
            ..Deeplink::new(target)
        }
    }

    /// The decoded value of a known parameter.
    #[inline]
    pub fn get(&self, key: Key) -> Option<&str> {
        match self.slot[key.index()] {
            0 => None,
            s => Some(&self.values[usize::from(s) - 1]),
        }
    }

    /// Whether the known parameter is present.
    #[inline]
    pub fn has(&self, key: Key) -> bool {
        self.slot[key.index()] != 0
    }

    /// Sets a known parameter, returning the previous value.
    #[inline]
    pub fn set(&mut self, key: Key, value: impl Into<Cow<'a, str>>) -> Option<Cow<'a, str>> {
        let value = value.into();
        match self.slot[key.index()] {
            0 => {
                self.values.push(value);
                // At most Key::COUNT (36) values, so a position fits a byte.
                self.slot[key.index()] = self.values.len() as u8;
                None
            }
            s => Some(std::mem::replace(&mut self.values[usize::from(s) - 1], value)),
        }
    }

    /// Removes a known parameter.
    pub fn remove(&mut self, key: Key) -> Option<Cow<'a, str>> {
        let s = std::mem::take(&mut self.slot[key.index()]);
        if s == 0 {
            return None;
        }
        let last = self.values.len() as u8;
        let value = self.values.swap_remove(usize::from(s) - 1);
        // The last value moved into the freed position: point its key there.
        if s != last {
            if let Some(moved) = self.slot.iter_mut().find(|p| **p == last) {
                *moved = s;
            }
        }
        Some(value)
    }

    /// Appends an unknown parameter (one whose name is not a known key for this link's kind).
    pub fn push_unknown(&mut self, name: impl Into<Cow<'a, str>>, value: impl Into<Cow<'a, str>>) {
        self.unknown.get_or_insert_default().push((name.into(), value.into()));
    }

    /// Whether an unknown parameter of this name is present.
    pub fn has_unknown(&self, name: &str) -> bool {
        self.unknown_list().iter().any(|(n, _)| n == name)
    }

    /// The known parameters present, in canonical order.
    pub fn known(&self) -> impl Iterator<Item = (Key, &str)> + '_ {
        Key::ALL.iter().filter_map(|k| self.get(*k).map(|v| (*k, v)))
    }

    /// The unknown parameters, in input order.
    pub fn unknown(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.unknown_list().iter().map(|(n, v)| (n.as_ref(), v.as_ref()))
    }

    fn unknown_list(&self) -> &[(Cow<'a, str>, Cow<'a, str>)] {
        self.unknown.as_deref().map_or(&[], Vec::as_slice)
    }

    /// Every parameter as `(name, value)`: known ones in canonical order, then unknown ones.
    pub fn params(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.known().map(|(k, v)| (k.wire(), v)).chain(self.unknown())
    }

    /// Whether every value is borrowed from the input (no allocation was needed).
    pub fn is_borrowed(&self) -> bool {
        let borrowed = |c: &Cow<'_, str>| matches!(c, Cow::Borrowed(_));
        self.values.iter().all(borrowed) && self.unknown_list().iter().all(|(n, v)| borrowed(n) && borrowed(v))
    }

    /// The same link, owning all its text.
    pub fn into_owned(self) -> Deeplink<'static> {
        let own = |c: Cow<'a, str>| Cow::Owned(c.into_owned());
        Deeplink {
            target: self.target.into_owned(),
            slot: self.slot,
            values: self.values.into_iter().map(own).collect(),
            unknown: self
                .unknown
                .map(|u| Box::new(u.into_iter().map(|(n, v)| (own(n), own(v))).collect())),
        }
    }
}

/// Semantic: the same target, the same value for every known key, the same unknown
/// parameters in the same order (where the values are stored does not matter).
impl PartialEq for Deeplink<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.target == other.target
            && Key::ALL.iter().all(|k| self.get(*k) == other.get(*k))
            && self.unknown_list() == other.unknown_list()
    }
}

impl Eq for Deeplink<'_> {}

impl std::fmt::Debug for Deeplink<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deeplink")
            .field("target", &self.target)
            .field("known", &self.known().collect::<Vec<_>>())
            .field("unknown", &self.unknown_list())
            .finish()
    }
}

impl Serialize for Target<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Target::Bare => s.serialize_str("(bare query)"),
            other => s.serialize_str(other.prefix()),
        }
    }
}

/// Serialised as `{ "target": ..., "params": { name: value, ... } }` in canonical order.
impl Serialize for Deeplink<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Params<'l, 'a>(&'l Deeplink<'a>);
        impl Serialize for Params<'_, '_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(None)?;
                for (n, v) in self.0.params() {
                    map.serialize_entry(n, v)?;
                }
                map.end()
            }
        }
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("target", &self.target)?;
        map.serialize_entry("params", &Params(self))?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_remove_and_get_agree_with_a_slot_per_key() {
        // Every key set, then removed in an order that moves values around the list; after each
        // step every key reads what a plain per-key map says (a `remove` that forgets to point
        // the moved value's key at its new place fails here).
        let mut link = Deeplink::new(Target::UpiPay);
        let mut expected: [Option<String>; Key::COUNT] = [const { None }; Key::COUNT];
        for (i, key) in Key::ALL.iter().enumerate() {
            assert_eq!(link.set(*key, format!("v{i}")), None);
            expected[key.index()] = Some(format!("v{i}"));
        }
        assert_eq!(link.set(Key::Am, "again").as_deref(), Some("v5"));
        expected[Key::Am.index()] = Some("again".to_string());
        for (step, key) in Key::ALL.iter().step_by(3).chain(Key::ALL.iter().rev()).enumerate() {
            let had = expected[key.index()].take();
            assert_eq!(
                link.remove(*key).map(Cow::into_owned),
                had,
                "step {step}: remove {key:?}"
            );
            for k in Key::ALL {
                assert_eq!(link.get(*k), expected[k.index()].as_deref(), "step {step}: {k:?}");
                assert_eq!(link.has(*k), expected[k.index()].is_some());
            }
        }
        assert_eq!(link, Deeplink::new(Target::UpiPay));
    }

    #[test]
    fn equality_ignores_the_order_values_were_set_in() {
        let mut a = Deeplink::new(Target::UpiPay);
        a.set(Key::Pa, "x@y");
        a.set(Key::Am, "1.00");
        let mut b = Deeplink::new(Target::UpiPay);
        b.set(Key::Am, "1.00");
        b.set(Key::Pa, "x@y");
        assert_eq!(a, b);
        b.set(Key::Am, "2.00");
        assert_ne!(a, b, "a different value");
        b.set(Key::Am, "1.00");
        b.push_unknown("x", "1");
        assert_ne!(a, b, "an extra unknown parameter");
    }
}
