//! The validator, derived from the model: walks a [`Document`] against a [`Message`] and
//! reports every broken rule with the same IDs the catalogue lists.

use std::borrow::Cow;

use serde_json::{Map, Value};

pub use crate::amount::{decimal_cmp, decimal_eq};
use crate::constraint::show;
use crate::input::{Document, parse_json};
use crate::model::{Cond, CrossRule, EchoFrom, Encoding, Field, Item, Kind, Message, Obj, Presence, Values};
use crate::path::{FieldPath, Pos};
use crate::rule::{Severity, Violation};

/// Validates one document against its message model.
pub fn validate(message: &Message, document: &Document) -> Vec<Violation> {
    let mut walker = Walker {
        out: Vec::new(),
        declared: Vec::new(),
    };
    let root = Pos::root(message.id);
    if let Some(headers) = &document.headers {
        let header_map: Map<String, Value> = headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), Value::String(v.clone())))
            .collect();
        walker.fields(&message.headers, &[], &header_map, &root, false, |p, label, _| {
            p.header(label)
        });
    }
    let json = message.encoding == Encoding::Json;
    let body_invalid = match &document.body {
        Value::Object(map) if json || map.values().all(Value::is_string) => {
            walker.object(&message.body, map, &root, json)
        }
        other => {
            walker.not_a_body(message, other, &root);
            Vec::new()
        }
    };
    if let (Some(_), Value::Object(map)) = (&document.headers, &document.body) {
        // Rules between headers and body: judged when the header and the field are valid.
        for rule in &message.rules {
            let Some((header, field)) = rule.kind.with_kind(|k| k.header_field()) else {
                continue;
            };
            let valid_header = !walker.out.iter().any(|v| v.at.strip_prefix("header:") == Some(header));
            if !valid_header || body_invalid.contains(&field) {
                continue;
            }
            let values = Fields {
                fields: &message.body.fields,
                map,
                headers: Some(document),
            };
            if let Some(reason) = rule.kind.with_kind(|k| k.check(&values)) {
                let at = root.header(header);
                let id = FieldPath::root(message.id).rule(&format!("rule.{}", rule.name));
                walker.push(|_| id, rule.severity, &at, reason);
            }
        }
    }
    walker.out
}

/// Checks the echo rules of a response against the request it answers.
pub fn check_echoes(response: &Message, request: &Document, answer: &Document) -> Vec<Violation> {
    let root = FieldPath::root(response.id);
    let mut out = Vec::new();
    for echo in &response.echoes {
        let sent: Option<Value> = match echo.from {
            EchoFrom::Body(path) => value_at(&request.body, path).cloned(),
            EchoFrom::Header(name) => request.header(name).map(|v| Value::String(v.to_string())),
        };
        let Some(sent) = sent else { continue };
        let dotted = echo.response.join(".");
        let id = root.rule(&format!("echo.{dotted}"));
        match value_at(&answer.body, echo.response) {
            Some(got) if *got == sent => {}
            Some(got) => out.push(Violation {
                severity: crate::grounding::settle(&id, Severity::Must),
                rule: id,
                at: dotted,
                reason: format!(
                    "the response repeats {} but the request sent {}",
                    show(got),
                    show(&sent)
                ),
            }),
            None => out.push(Violation {
                severity: crate::grounding::settle(&id, Severity::Must),
                rule: id,
                at: dotted,
                reason: format!("the response omits the value the request sent ({})", show(&sent)),
            }),
        }
    }
    out
}

/// The value at a path of object keys.
pub fn value_at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, key| v.as_object()?.get(*key))
}

struct Walker {
    out: Vec<Violation>,
    /// The model's severity of each reported violation (before the grounding law): whether a
    /// value is broken for the cross rules does not change when its rule is only a `should`
    /// for want of a quote.
    declared: Vec<Severity>,
}

fn lookup<'v>(fields: &[Field], map: &'v Map<String, Value>, label: &str) -> Option<&'v Value> {
    let field = fields.iter().find(|f| f.key.label() == label)?;
    field.key.names().iter().find_map(|n| entry(map, n).map(|(_, v)| v))
}

/// A key's entry in an object. Small objects (most of a message's) are scanned: comparing a
/// few short keys costs less than SipHashing the name, which `serde_json`'s map does on every
/// lookup.
#[inline]
fn entry<'m>(map: &'m Map<String, Value>, name: &str) -> Option<(&'m String, &'m Value)> {
    if map.len() <= SCAN_UP_TO {
        map.iter().find(|(k, _)| k.as_str() == name)
    } else {
        map.get_key_value(name)
    }
}

/// Objects with at most this many keys are scanned by [`entry`].
const SCAN_UP_TO: usize = 16;

/// The keys of one object looked up in the model's field order: each search starts after the
/// last key found, so a document in the model's order costs about one compare per field; a
/// key out of that order is found by scanning the part before the cursor. Large objects are
/// hashed, as in [`entry`].
struct Entries<'m> {
    map: &'m Map<String, Value>,
    /// The keys after the last one found.
    after: serde_json::map::Iter<'m>,
}

impl<'m> Entries<'m> {
    fn new(map: &'m Map<String, Value>) -> Self {
        Entries { map, after: map.iter() }
    }

    #[inline]
    fn find(&mut self, name: &str) -> Option<(&'m String, &'m Value)> {
        if self.map.len() > SCAN_UP_TO {
            // The key after the cursor first (one compare for a document in the model's order,
            // as a generated or well-written form is); any other key by its hash.
            let mut rest = self.after.clone();
            if let Some(hit) = rest.next().filter(|(k, _)| k.as_str() == name) {
                self.after = rest;
                return Some(hit);
            }
            return self.map.get_key_value(name);
        }
        let mut rest = self.after.clone();
        if let Some(hit) = rest.find(|(k, _)| k.as_str() == name) {
            self.after = rest;
            return Some(hit);
        }
        let before = self.map.len() - self.after.len();
        self.map.iter().take(before).find(|(k, _)| k.as_str() == name)
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An object (and, for rules between headers and body, the document's headers) as the cross
/// rules read it.
struct Fields<'v> {
    fields: &'v [Field],
    map: &'v Map<String, Value>,
    headers: Option<&'v Document>,
}

impl Values for Fields<'_> {
    fn get(&self, label: &str) -> Option<&Value> {
        lookup(self.fields, self.map, label)
    }

    fn text(&self, label: &str) -> Option<Cow<'_, str>> {
        match self.get(label) {
            Some(Value::String(s)) => Some(Cow::Borrowed(s.as_str())),
            Some(other) => Some(Cow::Owned(other.to_string())),
            None => self
                .fields
                .iter()
                .find(|f| f.key.label() == label)
                .and_then(|f| f.default)
                .map(Cow::Borrowed),
        }
    }

    fn holds(&self, cond: &Cond) -> bool {
        match cond {
            Cond::Always => true,
            Cond::Eq(f, v) => self.text(f).as_deref() == Some(*v),
            Cond::In(f, vs) => self.text(f).is_some_and(|t| vs.contains(&&*t)),
            Cond::NotIn(f, vs) => self.text(f).is_some_and(|t| !vs.contains(&&*t)),
        }
    }

    fn fields(&self) -> &[Field] {
        self.fields
    }

    fn keys(&self) -> Vec<&str> {
        self.map.keys().map(String::as_str).collect()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers?.header(name)
    }
}

impl Walker {
    /// A body that is not what the message's encoding carries: for JSON, not an object (the
    /// `type` rule); for form and multipart, not flat key/value strings (the `form` syntax rule:
    /// the catalogue has no type rules for them, since form values are always strings, but a
    /// JSON document can be given for a form model). Its fields are not judged.
    fn not_a_body(&mut self, message: &Message, body: &Value, root: &Pos) {
        if message.encoding == Encoding::Json {
            let reason = format!("the body must be a JSON object, not {}", type_name(body));
            return self.push(|p| p.rule("type"), Severity::Must, root, reason);
        }
        let rule = crate::sites::syntax_rule(message).0;
        match body {
            Value::Object(map) => {
                for (key, value) in map.iter().filter(|(_, v)| !v.is_string()) {
                    let reason = format!("form values are strings, {key:?} is {}", type_name(value));
                    self.push(|p| p.rule(rule), Severity::Must, root, reason);
                }
            }
            other => {
                let reason = format!("a form body is key/value pairs, not {}", type_name(other));
                self.push(|p| p.rule(rule), Severity::Must, root, reason);
            }
        }
    }

    /// Reports a violation at `at`: the only place a position is spelled out as strings.
    fn push(&mut self, rule: impl FnOnce(&FieldPath) -> String, severity: Severity, at: &Pos, reason: String) {
        let path = at.spell();
        let rule = rule(&path);
        self.declared.push(severity);
        let severity = crate::grounding::settle(&rule, severity);
        self.out.push(Violation {
            rule,
            severity,
            at: path.at(),
            reason: severity.word(&reason),
        });
    }

    /// Walks an object; returns the labels of fields that broke a rule of their own.
    fn object(&mut self, obj: &Obj, map: &Map<String, Value>, path: &Pos, json: bool) -> Vec<&'static str> {
        self.fields(&obj.fields, &obj.rules, map, path, json, |p, label, wire| {
            p.key(label, wire)
        })
    }

    /// Walks the fields of an object (or the headers) and then its rules; returns the labels of
    /// fields that broke a rule of their own (allocated only when one did).
    fn fields<'p>(
        &mut self,
        fields: &[Field],
        rules: &[CrossRule],
        map: &Map<String, Value>,
        path: &'p Pos<'p>,
        json: bool,
        child: impl for<'c> Fn(&'c Pos<'c>, &'c str, &'c str) -> Pos<'c>,
    ) -> Vec<&'static str> {
        let mut invalid = Vec::new();
        let mut entries = Entries::new(map);
        for field in fields {
            let label = field.key.label();
            let names = field.key.names();
            let first = names.iter().find_map(|n| entries.find(n));
            match (first, field.presence) {
                (None, Presence::Mandatory | Presence::Recommended) => {
                    let p = child(path, label, label);
                    self.push(
                        |p| p.rule("required"),
                        field.presence_severity,
                        &p,
                        format!("{label} is missing"),
                    );
                    invalid.push(label);
                }
                (None, _) => {}
                (Some((wire, _)), Presence::Absent) => {
                    let p = child(path, label, wire);
                    self.push(
                        |p| p.rule("absent"),
                        Severity::Must,
                        &p,
                        format!("{wire} must not be sent"),
                    );
                    invalid.push(label);
                }
                (Some(found), _) => {
                    // One name (most fields): the value is the one just found, no second lookup.
                    let more = if names.len() > 1 { &names[1..] } else { &[][..] };
                    let all = std::iter::once(found).chain(
                        more.iter()
                            .filter_map(|n| entry(map, n))
                            .filter(|(w, _)| w.as_str() != found.0.as_str()),
                    );
                    for (wire, value) in all {
                        if field.nullable && value.is_null() {
                            continue;
                        }
                        let p = child(path, label, wire);
                        if !self.item(&field.value, value, &p, json) && !invalid.contains(&label) {
                            invalid.push(label);
                        }
                    }
                }
            }
        }
        for rule in rules {
            if !invalid.is_empty() && rule.kind.fields().iter().any(|f| invalid.contains(f)) {
                continue;
            }
            self.cross(rule, fields, map, path);
        }
        invalid
    }

    /// Checks one value; returns whether it broke none of its own rules.
    fn item(&mut self, item: &Item, value: &Value, path: &Pos, json: bool) -> bool {
        let before = self.out.len();
        let wrong_type = |expected: &str| format!("expected {expected}, found {}", type_name(value));
        match (&item.kind, value) {
            (Kind::Str, Value::String(s)) => self.checks(item, s, path),
            (Kind::Str, other) if !json => self.checks(item, &other.to_string(), path),
            (Kind::IntOrStr, Value::String(s)) => self.checks(item, s, path),
            (Kind::IntOrStr, Value::Number(n)) if n.is_i64() || n.is_u64() => self.checks(item, &n.to_string(), path),
            (Kind::Bool, Value::Bool(_)) => {}
            (Kind::Object(obj), Value::Object(map)) => {
                self.object(obj, map, path, json);
            }
            (Kind::Map(inner), Value::Object(map)) => {
                for (k, v) in map {
                    self.item(inner, v, &path.map_value(k), json);
                }
            }
            (Kind::Array(inner), Value::Array(items)) => {
                for check in &item.checks {
                    let kind = check.constraint.kind();
                    if !kind.check_items(items.len()) {
                        let reason = kind.items_reason(items.len());
                        self.push(|p| p.rule(kind.suffix()), check.severity, path, reason);
                    }
                }
                for (i, v) in items.iter().enumerate() {
                    self.item(inner, v, &path.index(i), json);
                }
            }
            (Kind::JsonString(inner), Value::String(s)) => match parse_json(s) {
                Ok(parsed) if inner.kind.json_type() == json_type_of(&parsed) => {
                    self.item(inner, &parsed, path, true);
                }
                Ok(parsed) => self.push(
                    |p| p.rule("json"),
                    Severity::Must,
                    path,
                    format!(
                        "the string must hold a JSON {}, it holds {}",
                        inner.kind.json_type(),
                        type_name(&parsed)
                    ),
                ),
                Err(e) => self.push(
                    |p| p.rule("json"),
                    Severity::Must,
                    path,
                    format!("the string is not JSON: {e}"),
                ),
            },
            (kind, _) => self.push(|p| p.rule("type"), Severity::Must, path, wrong_type(kind.json_type())),
        }
        self.declared[before..].iter().all(|s| *s != Severity::Must)
    }

    fn checks(&mut self, item: &Item, s: &str, path: &Pos) {
        for check in &item.checks {
            let kind = check.constraint.kind();
            if !kind.check_str(s) {
                self.push(|p| p.rule(kind.suffix()), check.severity, path, kind.reason(s));
            }
        }
    }

    fn cross(&mut self, rule: &CrossRule, fields: &[Field], map: &Map<String, Value>, path: &Pos) {
        let values = Fields {
            fields,
            map,
            headers: None,
        };
        // A rule between headers and body is judged with the headers (see `validate`).
        let broken = rule.kind.with_kind(|k| {
            if k.header_field().is_some() {
                None
            } else {
                k.check(&values)
            }
        });
        if let Some(reason) = broken {
            self.push(|p| p.rule(&format!("rule.{}", rule.name)), rule.severity, path, reason);
        }
    }
}

fn json_type_of(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "object",
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        _ => "other",
    }
}
