//! # upi-spec
//!
//! Executable specification of the UPI payment-gateway APIs that Juspay and PayU publish.
//!
//! Architecture: every message of the vendor documents is described once, declaratively, in
//! [`messages`] (fields, encodings, presence, constraints, cross-field and echo rules, each with
//! its source). Everything else is *derived* from those descriptions: the rule catalogue
//! ([`catalogue`]), the validator ([`validate`]), the JSON Schemas ([`schema`]) and the
//! generators of valid and rule-breaking messages ([`generate`]), and the OpenAPI description of
//! the HTTP APIs ([`openapi`]). Shared vocabulary lives in
//! [`rule`], [`source`], [`format`] and [`charset`]. The crate is pure: no network, no files,
//! no clock; the CLI and servers in other crates do the I/O.

/// Inside a `serde::de::Visitor` impl: every JSON scalar (`null`, booleans, numbers, strings)
/// is visited as `$value`, for visitors that only look into maps and arrays.
macro_rules! visit_scalars_as {
    ($value:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok($value)
        }
    };
}

pub mod amount;
pub mod audit;
pub mod behaviour;
pub mod catalogue;
pub mod charset;
pub mod client_suites;
pub mod constraint;
pub mod crypto;
pub mod curl;
pub mod deeplink;
pub mod field_rules;
pub mod format;
#[doc(hidden)]
pub mod fuzzing;
pub mod generate;
pub mod grounding;
pub mod id;
pub mod input;
pub mod lifecycle;
pub mod messages;
pub mod model;
pub mod npci;
pub mod openapi;
pub mod path;
pub mod read;
pub mod readings;
pub mod rule;
pub mod rule_ids;
pub mod samples;
pub mod schema;
pub mod sites;
pub mod source;
pub mod validate;

pub use rule::{Rule, RuleDef, SchemaCoverage, Severity, Violation};
pub use source::Source;
