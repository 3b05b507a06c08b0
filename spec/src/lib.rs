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
