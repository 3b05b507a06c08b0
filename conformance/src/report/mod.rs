//! Run reports: a terminal summary grouped by suite and rule ([`text`]), JSON with a schema in
//! `schemas/run-report.schema.json` ([`json`]), JUnit XML for CI systems ([`junit`]) and one
//! self-contained HTML file ([`html`]).

pub mod html;
pub mod json;
pub mod junit;
pub mod text;
