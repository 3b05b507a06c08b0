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
