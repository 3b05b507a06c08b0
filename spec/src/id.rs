//! Typed message and rule IDs. A [`MessageId`] or a [`RuleId`] can only be made inside this
//! crate, from a constant declared next to the message or rule it names (`messages::ids`,
//! `behaviour::ids`, the crypto and deeplink rule modules), or from the registry itself
//! ([`MessageId::of`], [`MessageId::find`]), or by registering a model declared elsewhere
//! ([`MessageId::register`]); `messages` implements these next to the registry, so this module
//! depends on nothing. Tests in this crate check that every declared
//! constant names a registered message or a catalogued rule, so [`MessageId::message`] cannot
//! fail and a runner holding a `RuleId` holds a rule the catalogue knows. The runner never
//! writes an ID as a string and never takes one apart for its structure.

use std::fmt;

/// The ID of a message model of the registry ([`crate::messages::all`]), or of a model declared
/// outside this crate and named by [`MessageId::register`] (a toy API in a test).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MessageId(&'static str);

impl MessageId {
    /// A message ID declared in this crate (see `messages::ids`); a test checks it resolves.
    pub(crate) const fn declare(id: &'static str) -> MessageId {
        MessageId(id)
    }

    /// The ID as written in reports and the catalogue.
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl PartialEq<&str> for MessageId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<MessageId> for &str {
    fn eq(&self, other: &MessageId) -> bool {
        *self == other.0
    }
}

impl From<MessageId> for String {
    fn from(id: MessageId) -> String {
        id.0.to_owned()
    }
}

/// The ID of a rule of the catalogue (or of a client-test rule the conformance crate
/// catalogues, declared in [`crate::client_rules`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleId(&'static str);

impl RuleId {
    /// A rule ID declared in this crate next to its rule; a test checks the catalogue has it.
    pub(crate) const fn declare(id: &'static str) -> RuleId {
        RuleId(id)
    }

    /// The ID as written in reports and the catalogue.
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<RuleId> for &str {
    fn eq(&self, other: &RuleId) -> bool {
        *self == other.0
    }
}

impl PartialEq<RuleId> for String {
    fn eq(&self, other: &RuleId) -> bool {
        self == other.0
    }
}

impl From<RuleId> for String {
    fn from(id: RuleId) -> String {
        id.0.to_owned()
    }
}

/// Declares message ID constants and the list of them (`DECLARED`) a test resolves.
macro_rules! message_ids {
    ($($(#[$doc:meta])* $name:ident = $id:literal;)*) => {
        $($(#[$doc])* pub const $name: $crate::id::MessageId = $crate::id::MessageId::declare($id);)*
        /// Every message ID declared here.
        #[cfg(test)]
        pub(crate) const DECLARED: &[$crate::id::MessageId] = &[$($name,)*];
    };
}

/// Declares rule ID constants and the list of them (`DECLARED`) a test finds in the catalogue.
macro_rules! rule_ids {
    ($($(#[$doc:meta])* $name:ident = $id:expr;)*) => {
        $($(#[$doc])* pub const $name: $crate::id::RuleId = $crate::id::RuleId::declare($id);)*
        /// Every rule ID declared here.
        pub const DECLARED: &[$crate::id::RuleId] = &[$($name,)*];
    };
}

pub(crate) use {message_ids, rule_ids};
