//! JSON Schemas (draft 2020-12) derived from the message models: one schema per message body,
//! and one per stringified-JSON field (such as `signaturePayload`), whose content a parent
//! schema can only annotate. `should` rules, headers and comparisons between values are left to
//! the validator; the catalogue says which rules each schema enforces.

use serde_json::{Map, Value, json};

use crate::messages;
use crate::model::{CrossRule, Field, Item, Key, Kind, Message, Obj, Presence};
use crate::path::FieldPath;
use crate::rule::Severity;

/// The document a schema judges inside a message body: the body itself (`document` empty), or
/// the parsed content of the stringified-JSON field at the dotted `document` path (strings met
/// on the way are parsed too, for JSON inside JSON inside a string).
pub fn extract_document(body: &Value, document: &str) -> Option<Value> {
    let mut current = body.clone();
    if document.is_empty() {
        return Some(current);
    }
    for segment in document.split('.') {
        if let Value::String(s) = &current {
            current = serde_json::from_str(s).ok()?;
        }
        current = current.get(segment)?.clone();
    }
    match current {
        Value::String(s) => serde_json::from_str(&s).ok(),
        other => Some(other),
    }
}

/// The `$schema` of every generated schema.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// A generated schema and the file stem it is stored under (`schemas/<stem>.schema.json`).
#[derive(Debug, Clone, PartialEq)]
pub struct NamedSchema {
    /// File stem: a message ID, or a message ID plus the path of a stringified-JSON field.
    pub stem: String,
    /// The schema document.
    pub schema: Value,
}

/// Every schema of every message.
pub fn all() -> Vec<NamedSchema> {
    messages::all().iter().flat_map(for_message).collect()
}

/// The body schema of `message` followed by the schemas of its stringified-JSON fields.
pub fn for_message(message: &Message) -> Vec<NamedSchema> {
    let mut extra = Vec::new();
    let root = FieldPath::root(message.id);
    let mut body = object(&message.body, &root, &mut extra);
    if let Value::Object(map) = &mut body {
        let mut head = Map::new();
        head.insert("$schema".into(), json!(DIALECT));
        head.insert(
            "$id".into(),
            json!(format!("urn:upi-conformance:schema:{}", message.id)),
        );
        head.insert("title".into(), json!(message.title));
        head.insert(
            "description".into(),
            json!(format!(
                "{} — generated from the upi-spec model; source: {}",
                message.id, message.source
            )),
        );
        head.extend(std::mem::take(map));
        *map = head;
    }
    let mut out = vec![NamedSchema {
        stem: message.id.to_string(),
        schema: body,
    }];
    out.extend(extra);
    out
}

/// The schema of one header value of `message`, derived like a body field's (used by the
/// OpenAPI export for header parameters).
pub(crate) fn header_schema(message: &Message, header: &Field) -> Value {
    let path = FieldPath::root(message.id).header(header.key.label());
    item(&header.value, &path, &mut Vec::new(), header)
}

fn object(obj: &Obj, path: &FieldPath, extra: &mut Vec<NamedSchema>) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut all_of = Vec::new();
    for field in &obj.fields {
        let child = path.key(field.key.label(), field.key.label());
        let schema = item(&field.value, &child, extra, field);
        for name in field.key.names() {
            properties.insert((*name).to_string(), schema.clone());
        }
        // Only a stated `must` presence is a schema requirement (see `crate::grounding`).
        let stated = crate::grounding::settle(&child.rule("required"), field.presence_severity) == Severity::Must;
        match (field.presence, field.key) {
            (Presence::Mandatory, _) if !stated => {}
            (Presence::Mandatory, Key::Name(n)) => required.push(json!(n)),
            (Presence::Mandatory, Key::OneOf { names, .. }) => {
                all_of.push(json!({"anyOf": names.iter().map(|n| json!({"required": [n]})).collect::<Vec<_>>()}));
            }
            (Presence::Absent, key) => {
                for n in key.names() {
                    all_of.push(json!({"not": {"required": [n]}}));
                }
            }
            _ => {}
        }
    }
    for rule in &obj.rules {
        if let Some(s) = cross(rule, obj) {
            all_of.push(s);
        }
    }
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    schema.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    if !all_of.is_empty() {
        schema.insert("allOf".into(), Value::Array(all_of));
    }
    Value::Object(schema)
}

fn item(item_: &Item, path: &FieldPath, extra: &mut Vec<NamedSchema>, field: &Field) -> Value {
    let mut s = match &item_.kind {
        Kind::Str => json!({"type": "string"}),
        Kind::Bool => json!({"type": "boolean"}),
        Kind::IntOrStr => json!({"type": ["integer", "string"]}),
        Kind::Object(obj) => object(obj, path, extra),
        Kind::Array(inner) => {
            json!({"type": "array", "items": item(inner, &path.index(0), extra, field)})
        }
        Kind::Map(inner) => {
            json!({"type": "object", "additionalProperties": item(inner, &path.map_value("*"), extra, field)})
        }
        Kind::JsonString(inner) => {
            let content = item(inner, path, extra, field);
            let mut named = content.clone();
            if let Value::Object(map) = &mut named {
                let mut head = Map::new();
                head.insert("$schema".into(), json!(DIALECT));
                head.insert("$id".into(), json!(format!("urn:upi-conformance:schema:{}", path.id)));
                head.insert(
                    "title".into(),
                    json!(format!("Content of the stringified JSON field {}", path.id)),
                );
                head.extend(std::mem::take(map));
                *map = head;
            }
            extra.push(NamedSchema {
                stem: path.id.clone(),
                schema: named,
            });
            json!({"type": "string", "contentMediaType": "application/json", "contentSchema": content})
        }
    };
    let map = s.as_object_mut().expect("every item schema is an object");
    let mut patterns = Vec::new();
    let stated = |c: &&crate::model::Check| {
        crate::grounding::settle(&path.rule(c.constraint.suffix()), c.severity) == Severity::Must
    };
    let int_or_str = matches!(item_.kind, Kind::IntOrStr);
    for check in item_.checks.iter().filter(stated) {
        let fragment = check.constraint.kind().schema(int_or_str);
        for (keyword, value) in fragment.keywords {
            map.insert(keyword.into(), value);
        }
        patterns.extend(fragment.pattern);
    }
    match patterns.len() {
        0 => {}
        1 => {
            map.insert("pattern".into(), json!(patterns[0]));
        }
        _ => {
            map.insert(
                "allOf".into(),
                Value::Array(patterns.into_iter().map(|p| json!({"pattern": p})).collect()),
            );
        }
    }
    if field.nullable
        && std::ptr::eq(item_, &field.value)
        && let Some(Value::String(t)) = map.get("type").cloned()
    {
        map.insert("type".into(), json!([t, "null"]));
    }
    if !field.doc.is_empty() && std::ptr::eq(item_, &field.value) {
        map.insert("description".into(), json!(field.doc));
    }
    s
}

fn cross(rule: &CrossRule, obj: &Obj) -> Option<Value> {
    if rule.severity != Severity::Must {
        return None;
    }
    rule.kind.with_kind(|k| k.schema(obj))
}
