//! OpenAPI 3.1 description of the HTTP APIs, derived from the message models and the API facts
//! ([`messages::apis`]) so that general API tools (Schemathesis, Prism, Dredd, client
//! generators) can reuse them.
//!
//! Every endpoint of the API facts (setup endpoints included) becomes part of one operation,
//! grouped by its request model's path and method ([`operation`]), answered by the success and
//! refusal models the facts name, with the refusal shape as `x-upi-refusal`; every schema of
//! [`schema::all`] (OpenAPI 3.1 uses JSON Schema 2020-12, like ours) is a component under its
//! message ID. What neither says, the server's address, the status codes it adds and its own
//! control API, is a [`Host`] the server passes in (the reference server's is
//! `upi_reference_server::openapi`): the spec crate holds no facts about our server.

mod operation;

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::id::MessageId;
use crate::model::Message;
use crate::source::Source;
use crate::{messages, schema};

/// The OpenAPI version of the document.
pub const OPENAPI_VERSION: &str = "3.1.0";

/// The name of the HTTP Basic security scheme (Juspay EC's API key as user name).
pub(crate) const BASIC_AUTH: &str = "basicAuth";

/// What a server that serves the APIs adds to what the models and the API facts say: its
/// address, the status codes it answers beyond the models, and its own control API. The spec
/// crate holds no such facts; the server that has them passes them to [`document`].
#[derive(Debug, Clone)]
pub struct Host {
    /// What the server is called in prose (`the reference server`).
    pub name: &'static str,
    /// Document title.
    pub title: &'static str,
    /// Document summary.
    pub summary: &'static str,
    /// The server's URL (`servers[0].url`).
    pub url: &'static str,
    /// What the URL is (`servers[0].description`).
    pub url_description: &'static str,
    /// Where the server documents what the models do not say.
    pub documented_in: &'static str,
    /// What the `basicAuth` scheme takes on this server.
    pub basic_auth: &'static str,
    /// The status codes the server answers that no response model of the operation names.
    pub extra: Vec<Extra>,
    /// The tag of the server's own control API, and its description.
    pub control_tag: (&'static str, &'static str),
    /// The path items of the control API (tagged with `control_tag`).
    pub control_paths: Vec<(String, Value)>,
    /// The component schemas of the control API.
    pub control_schemas: Map<String, Value>,
}

/// Which operations an [`Extra`] status belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The operation that takes this request model.
    Takes(MessageId),
    /// Every operation with a request body.
    EveryBody,
}

/// The body of an [`Extra`] status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The refusal models the API facts name for the operation's endpoints.
    Refusal,
    /// Plain text written by the HTTP layer, not by the endpoint.
    Plain,
}

/// A status code a server answers that no response model of the operation names.
#[derive(Debug, Clone, Copy)]
pub struct Extra {
    /// Where.
    pub scope: Scope,
    /// HTTP status.
    pub status: u16,
    /// Its body.
    pub answer: Answer,
    /// When the server answers it.
    pub why: &'static str,
}

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

/// The OpenAPI 3.1.0 document of the APIs [`messages::apis`] declares, as `host` serves them:
/// one operation per path and method of the API facts' endpoints (the setup endpoints
/// included), with the request, success and refusal models the facts name and how a refusal
/// looks on the wire.
pub fn document(host: &Host) -> Value {
    let groups = operation::groups(messages::apis());
    let described: Vec<&Message> = messages::all()
        .iter()
        .filter(|m| groups.iter().any(|g| g.holds(m)))
        .collect();
    let mut paths = Map::new();
    let mut tags: Vec<String> = Vec::new();
    for group in &groups {
        let tag = group.tag();
        if !tags.contains(&tag) {
            tags.push(tag);
        }
        let item = paths
            .entry(group.path.to_string())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("path items are objects");
        item.insert(
            group.method.to_ascii_lowercase(),
            operation::operation(group, &host.extra),
        );
    }
    for (path, item) in &host.control_paths {
        paths.insert(path.clone(), item.clone());
    }
    let mut schemas = Map::new();
    for named in schema::all() {
        schemas.insert(named.stem, named.schema);
    }
    schemas.extend(host.control_schemas.clone());
    json!({
        "openapi": OPENAPI_VERSION,
        "info": info(host, &described),
        "servers": [{"url": host.url, "description": host.url_description}],
        "tags": tag_objects(host, &tags, &described),
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                BASIC_AUTH: {
                    "type": "http",
                    "scheme": "basic",
                    "description": host.basic_auth
                }
            }
        }
    })
}

/// [`document`] as the text of `schemas/openapi.json`: pretty-printed, ending in a newline.
pub fn rendered(host: &Host) -> String {
    serde_json::to_string_pretty(&document(host)).expect("the document serialises") + "\n"
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

fn info(host: &Host, described: &[&Message]) -> Value {
    let seeds = seeds_of(described).join(", ");
    let (control, _) = host.control_tag;
    let documented_in = host.documented_in;
    json!({
        "title": host.title,
        "version": env!("CARGO_PKG_VERSION"),
        "summary": host.summary,
        "description": format!(
            "Generated from upi-spec's message models by `upi-conformance openapi`; do not edit. \
             Every request and response body schema is the JSON Schema (draft 2020-12) that upi-spec \
             derives from the models, kept under its message ID in `components.schemas`. The models \
             cite the seed documents {seeds} (and say `derived:` where the seeds are silent); status \
             codes beyond the models and the `{control}` control API are {name}'s \
             ({documented_in}). `should` rules, hashes, signatures and comparisons between values \
             are not expressible here: `upi-conformance validate` and `run` judge them. Every credential \
             of {name} is TEST-ONLY.",
            name = host.name
        ),
        "license": {"name": env!("CARGO_PKG_LICENSE"), "identifier": env!("CARGO_PKG_LICENSE")}
    })
}

fn tag_objects(host: &Host, tags: &[String], described: &[&Message]) -> Value {
    let mut out: Vec<Value> = tags
        .iter()
        .map(|tag| {
            let members: Vec<&Message> = described
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
    let (name, description) = host.control_tag;
    out.push(json!({"name": name, "description": description}));
    Value::Array(out)
}
