//! # upi-conformance
//!
//! The conformance suite's library: the runner ([`runner`]) plans cases from the `upi-spec`
//! models, sends them to a live implementation, judges every response from the models and
//! grades the outcomes; [`report`] renders the results. The `upi-conformance` binary is the CLI
//! over this library and over `upi-spec`'s validators, hashing and deeplink tools.

pub mod audit;
pub mod client_test;
pub mod embedded;
pub mod report;
pub mod runner;
pub mod tpap;
