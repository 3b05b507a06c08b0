//! # upi-reference-server
//!
//! A reference implementation of the HTTP APIs of the seeds — Juspay EC `/orders` and `/txns`,
//! Juspay Merchant Stack `registerIntent` (V3, V2, V1, Default), PayU `_payment` and
//! `postservice.php?form=2` — on axum and tokio, with in-memory state, fixed test-only
//! credentials, a sandbox control API, and [`Fault`]s that each switch on one deliberate
//! defect. Every request is judged by its `upi-spec` model; the server shares no code with the
//! conformance runner's checks. `refserver/README.md` documents the endpoints, credentials and
//! faults.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use upi_reference_server::{ServerConfig, spawn};
//!
//! let server = spawn(ServerConfig::test_defaults()).await?;
//! println!("listening on {}", server.base_url());
//! server.shutdown().await
//! # }
//! ```

mod app;
pub mod client_report;
pub mod config;
mod connection;
mod ec;
mod expiring;
pub mod fault;
mod form;
mod ids;
mod judge;
mod listen;
mod merchant;
mod models;
pub mod openapi;
mod payu;
pub mod readings;
mod reply;
mod routes;
mod sandbox;
pub mod sandbox_tamper;
pub mod sdk_compat;
pub mod server;
mod stats;
mod store;

pub use config::{ConfigError, Limits, ServerConfig};
pub use fault::Fault;
pub use readings::{ReadingError, Readings};
pub use server::{RunningServer, router, serve, serve_on_threads, spawn, spawn_on};

/// The first line `upi-conformance serve` prints, before the address.
pub const READY_LINE_PREFIX: &str = "upi-reference-server listening on http://";
