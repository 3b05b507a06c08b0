//! Field paths in two spellings: the rule-ID pattern (`mutualFundDetails[].amount`) shared by
//! the catalogue, the validator and the generators, and the concrete position in one document
//! (`mutualFundDetails[1].amount`) that violations report.

/// A position in a message, in both spellings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    /// Rule-ID prefix: message ID followed by the field pattern.
    pub id: String,
    /// Concrete position (empty at the root).
    pub at: String,
}

impl FieldPath {
    /// The root of message `message_id`.
    pub fn root(message_id: &str) -> FieldPath {
        FieldPath {
            id: message_id.to_string(),
            at: String::new(),
        }
    }

    /// A header of the message.
    pub fn header(&self, name: &str) -> FieldPath {
        FieldPath {
            id: format!("{}.header.{name}", self.id),
            at: format!("header:{name}"),
        }
    }

    /// A field under this object: `label` in the ID, `wire` (the key actually used) in `at`.
    pub fn key(&self, label: &str, wire: &str) -> FieldPath {
        let at = if self.at.is_empty() {
            wire.to_string()
        } else {
            format!("{}.{wire}", self.at)
        };
        FieldPath {
            id: format!("{}.{label}", self.id),
            at,
        }
    }

    /// Item `index` of this array.
    pub fn index(&self, index: usize) -> FieldPath {
        FieldPath {
            id: format!("{}[]", self.id),
            at: format!("{}[{index}]", self.at),
        }
    }

    /// The value under free key `key` of this map.
    pub fn map_value(&self, key: &str) -> FieldPath {
        let at = if self.at.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.at)
        };
        FieldPath {
            id: format!("{}.*", self.id),
            at,
        }
    }

    /// The ID of the rule with `suffix` at this position.
    pub fn rule(&self, suffix: &str) -> String {
        format!("{}.{suffix}", self.id)
    }

    /// Where to report: the concrete path, or `(root)`.
    pub fn at(&self) -> String {
        if self.at.is_empty() {
            "(root)".to_string()
        } else {
            self.at.clone()
        }
    }
}

/// One step of a [`Pos`].
#[derive(Debug, Clone, Copy)]
enum Seg<'a> {
    Root(&'a str),
    Header(&'a str),
    Key { label: &'a str, wire: &'a str },
    Index(usize),
    MapValue(&'a str),
}

/// A position in a message that costs nothing until it is spelled: a chain of borrowed steps on
/// the walker's stack. The validator descends with `Pos` and builds the two strings of a
/// [`FieldPath`] only when it reports a violation there (issue 15: building them for every
/// field was about 43 % of a validation).
#[derive(Debug, Clone, Copy)]
pub struct Pos<'a> {
    parent: Option<&'a Pos<'a>>,
    seg: Seg<'a>,
}

impl<'a> Pos<'a> {
    /// The root of message `message_id`.
    pub fn root(message_id: &'a str) -> Pos<'a> {
        Pos {
            parent: None,
            seg: Seg::Root(message_id),
        }
    }

    /// A header of the message (see [`FieldPath::header`]).
    pub fn header(&'a self, name: &'a str) -> Pos<'a> {
        self.child(Seg::Header(name))
    }

    /// A field under this object (see [`FieldPath::key`]).
    pub fn key(&'a self, label: &'a str, wire: &'a str) -> Pos<'a> {
        self.child(Seg::Key { label, wire })
    }

    /// Item `index` of this array (see [`FieldPath::index`]).
    pub fn index(&'a self, index: usize) -> Pos<'a> {
        self.child(Seg::Index(index))
    }

    /// The value under free key `key` of this map (see [`FieldPath::map_value`]).
    pub fn map_value(&'a self, key: &'a str) -> Pos<'a> {
        self.child(Seg::MapValue(key))
    }

    fn child(&'a self, seg: Seg<'a>) -> Pos<'a> {
        Pos {
            parent: Some(self),
            seg,
        }
    }

    /// Whether this is the header `name` (no string is built).
    pub fn is_header(&self, name: &str) -> bool {
        matches!(self.seg, Seg::Header(h) if h == name)
    }

    /// The position spelled out, exactly as the same steps taken on a [`FieldPath`].
    pub fn spell(&self) -> FieldPath {
        let Some(parent) = self.parent else {
            return match self.seg {
                Seg::Root(id) => FieldPath::root(id),
                // A chain always starts at a root; a bare step spells as its own root.
                _ => FieldPath::root(""),
            };
        };
        let p = parent.spell();
        match self.seg {
            Seg::Root(id) => FieldPath::root(id),
            Seg::Header(name) => p.header(name),
            Seg::Key { label, wire } => p.key(label, wire),
            Seg::Index(i) => p.index(i),
            Seg::MapValue(k) => p.map_value(k),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lazy position spells the same strings as the eager path built by the same steps.
    #[test]
    fn pos_spells_like_field_path() {
        let root = Pos::root("m.request");
        let (h, a) = (root.header("x-api-version"), root.key("details", "details"));
        let (i, k) = (a.index(3), root.key("meta.<psp>:id", "meta.AXIS:id"));
        let (leaf, map) = (i.key("amount", "amount"), k.map_value("udf1"));
        let r = FieldPath::root("m.request");
        let cases = [
            (root.spell(), r.clone()),
            (h.spell(), r.header("x-api-version")),
            (
                leaf.spell(),
                r.key("details", "details").index(3).key("amount", "amount"),
            ),
            (map.spell(), r.key("meta.<psp>:id", "meta.AXIS:id").map_value("udf1")),
        ];
        for (lazy, eager) in cases {
            assert_eq!(lazy, eager);
        }
        assert_eq!(leaf.spell().at(), "details[3].amount");
        assert_eq!(leaf.spell().rule("format"), "m.request.details[].amount.format");
        assert!(h.is_header("x-api-version") && !h.is_header("x-merchant-id") && !leaf.is_header("amount"));
    }
}
