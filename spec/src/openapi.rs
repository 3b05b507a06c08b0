//! OpenAPI 3.1 description of the reference server's HTTP APIs, derived from the message models
//! so that general API tools (Schemathesis, Prism, Dredd, client generators) can reuse them.
//!
//! Every message with an [`Endpoint`](crate::model::Endpoint) becomes part of one operation,
//! grouped by path and method ([`operation`]); every schema of [`schema::all`] (OpenAPI 3.1
//! uses JSON Schema 2020-12, like ours) is a component under its message ID. What the models do
//! not say, the status codes the reference server adds and its sandbox control API, comes from
//! `refserver/README.md` ([`server`]).

mod operation;
mod server;

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::model::Message;
use crate::source::Source;
use crate::{messages, schema};

/// The OpenAPI version of the document.
pub const OPENAPI_VERSION: &str = "3.1.0";

/// The URL `upi-conformance serve` listens on by default.
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:18080";

/// The name of the HTTP Basic security scheme (Juspay EC's API key as user name).
pub(crate) const BASIC_AUTH: &str = "basicAuth";

/// The tag of the reference server's own control API.
pub(crate) const SANDBOX_TAG: &str = "sandbox";

/// A `$ref` to the component schema `id` (a message ID or a schema stem).
pub fn schema_ref(id: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{id}")})
}

/// One schema for several alternatives: the single one itself, else `combinator` of them.
pub(crate) fn one_or(combinator: &str, mut schemas: Vec<Value>) -> Value {
    if schemas.len() == 1 {
        schemas.remove(0)
    } else {
        json!({ combinator: schemas })
    }
}

/// The OpenAPI 3.1.0 document of the reference server's HTTP APIs.
pub fn document() -> Value {
    let with_endpoint: Vec<&Message> = messages::all().iter().filter(|m| m.endpoint.is_some()).collect();
    let mut paths = Map::new();
    let mut tags: Vec<String> = Vec::new();
    for group in operation::groups(&with_endpoint) {
        let tag = group.tag();
        if !tags.contains(&tag) {
            tags.push(tag);
        }
        let item = paths
            .entry(group.path.to_string())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("path items are objects");
        item.insert(group.method.to_ascii_lowercase(), operation::operation(&group));
    }
    for (path, item) in server::sandbox_paths() {
        paths.insert(path, item);
    }
    let mut schemas = Map::new();
    for named in schema::all() {
        schemas.insert(named.stem, named.schema);
    }
    schemas.extend(server::sandbox_schemas());
    json!({
        "openapi": OPENAPI_VERSION,
        "info": info(&with_endpoint),
        "servers": [{
            "url": DEFAULT_SERVER,
            "description": "The reference server (`upi-conformance serve`, default address); test-only credentials"
        }],
        "tags": tag_objects(&tags, &with_endpoint),
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                BASIC_AUTH: {
                    "type": "http",
                    "scheme": "basic",
                    "description": "Juspay EC: the API key as user name, empty password (the reference server's is test_api_key)"
                }
            }
        }
    })
}

/// [`document`] as the text of `schemas/openapi.json`: pretty-printed, ending in a newline.
pub fn rendered() -> String {
    serde_json::to_string_pretty(&document()).expect("the document serialises") + "\n"
}

/// The seed files the messages are specified in, in file order.
fn seeds_of(messages: &[&Message]) -> Vec<&'static str> {
    let files: BTreeSet<&'static str> = messages
        .iter()
        .filter_map(|m| match m.source {
            Source::Seed { file, .. } => Some(file),
            Source::Derived { .. } => None,
        })
        .collect();
    files.into_iter().collect()
}

fn info(with_endpoint: &[&Message]) -> Value {
    let seeds = seeds_of(with_endpoint).join(", ");
    json!({
        "title": "UPI payment-gateway APIs (upi-conformance reference server)",
        "version": env!("CARGO_PKG_VERSION"),
        "summary": "Juspay EC, Juspay UPI Merchant Stack and PayU UPI intent APIs as the reference server serves them",
        "description": format!(
            "Generated from upi-spec's message models by `upi-conformance openapi`; do not edit. \
             Every request and response body schema is the JSON Schema (draft 2020-12) that upi-spec \
             derives from the models, kept under its message ID in `components.schemas`. The models \
             cite the seed documents {seeds} (and say `derived:` where the seeds are silent); status \
             codes beyond the models and the `{SANDBOX_TAG}` control API are the reference server's \
             (refserver/README.md). `should` rules, hashes, signatures and comparisons between values \
             are not expressible here: `upi-conformance validate` and `run` judge them. Every credential \
             of the reference server is TEST-ONLY."
        ),
        "license": {"name": env!("CARGO_PKG_LICENSE"), "identifier": env!("CARGO_PKG_LICENSE")}
    })
}

fn tag_objects(tags: &[String], with_endpoint: &[&Message]) -> Value {
    let mut out: Vec<Value> = tags
        .iter()
        .map(|tag| {
            let members: Vec<&Message> = with_endpoint
                .iter()
                .copied()
                .filter(|m| operation::tag_of(m) == *tag)
                .collect();
            let ids: Vec<&str> = members.iter().map(|m| m.id).collect();
            json!({
                "name": tag,
                "description": format!(
                    "Messages {} (seeds: {})",
                    ids.join(", "),
                    seeds_of(&members).join(", ")
                )
            })
        })
        .collect();
    out.push(json!({
        "name": SANDBOX_TAG,
        "description": "The reference server's own control API (not a vendor API): health, the PayU callback URL, completing a pending payment"
    }));
    Value::Array(out)
}
