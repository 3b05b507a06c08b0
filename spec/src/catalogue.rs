//! The rule catalogue, derived from the message models: one [`Rule`] per presence rule, type
//! rule, constraint, cross-field rule and echo rule, with the same IDs the validator reports.

use crate::messages;
use crate::model::{Cross, Encoding, Field, Item, Kind, Message, Obj, Presence};
use crate::path::FieldPath;
use crate::rule::{Rule, SchemaCoverage, Severity};
use crate::source::Source;

const HEADER_WHY: &str = "headers are outside the body's JSON Schema";
const SHOULD_WHY: &str = "a recommendation; JSON Schema states only requirements";
const JSON_WHY: &str = "JSON Schema cannot parse a string as JSON; the content has its own schema";

/// Every rule of every message model.
pub fn message_rules() -> Vec<Rule> {
    messages::all().iter().flat_map(rules_of).collect()
}

/// The rules of one message, in model order.
pub fn rules_of(message: &Message) -> Vec<Rule> {
    let mut c = Collector {
        message,
        out: Vec::new(),
    };
    let root = FieldPath::root(message.id);
    for header in &message.headers {
        c.field(header, &root, |p, l| p.header(l), None, false);
    }
    let schema = Some((message.id.to_string(), String::new()));
    let (syntax, statement) = syntax_rule(message);
    c.add(
        root.rule(syntax),
        statement.into(),
        Severity::Must,
        message.source,
        None,
    );
    if message.encoding == Encoding::Json {
        c.add(
            root.rule("type"),
            "the body must be a JSON object".into(),
            Severity::Must,
            message.source,
            schema.clone(),
        );
    }
    c.object(&message.body, &root, schema, message.encoding == Encoding::Json);
    for rule in &message.rules {
        if let Cross::HeaderEqualsField { .. } = rule.kind {
            c.add(
                root.rule(&format!("rule.{}", rule.name)),
                rule.statement.into(),
                rule.severity,
                rule.source,
                None,
            );
        }
    }
    for echo in &message.echoes {
        let dotted = echo.response.join(".");
        let from = match echo.from {
            crate::model::EchoFrom::Body(p) => format!("the request's {}", p.join(".")),
            crate::model::EchoFrom::Header(h) => format!("the request header {h}"),
        };
        c.add(
            root.rule(&format!("echo.{dotted}")),
            format!("{dotted} must repeat {from} exactly as sent"),
            Severity::Must,
            echo.source,
            None,
        );
    }
    c.out
}

/// The rule that the body is well formed at the byte level (judged by the reader, before any
/// field rule): its suffix and statement.
pub fn syntax_rule(message: &Message) -> (&'static str, &'static str) {
    match message.encoding {
        Encoding::Json => (
            "json",
            "the body must be one well-formed UTF-8 JSON document without duplicate keys",
        ),
        Encoding::Form | Encoding::Multipart => (
            "form",
            "the body must be well-formed form data: valid percent escapes, UTF-8, no duplicate keys",
        ),
    }
}

type SchemaCtx = Option<(String, String)>;

struct Collector<'m> {
    message: &'m Message,
    out: Vec<Rule>,
}

impl Collector<'_> {
    fn add(&mut self, id: String, statement: String, severity: Severity, source: Source, schema: SchemaCtx) {
        let schema = match (schema, severity) {
            (_, Severity::Should | Severity::Info) => SchemaCoverage::NotExpressible { why: SHOULD_WHY },
            (None, _) if id.contains(".header.") => SchemaCoverage::NotExpressible { why: HEADER_WHY },
            (None, _) => SchemaCoverage::NotExpressible {
                why: "judged before or beyond the body's JSON Schema",
            },
            (Some((schema, document)), Severity::Must) => SchemaCoverage::Enforced { schema, document },
        };
        self.out.push(Rule {
            id,
            statement,
            severity,
            source,
            scope: self.message.id.to_string(),
            schema,
        });
    }

    fn object(&mut self, obj: &Obj, path: &FieldPath, schema: SchemaCtx, json: bool) {
        for field in &obj.fields {
            self.field(field, path, |p, l| p.key(l, l), schema.clone(), json);
        }
        for rule in &obj.rules {
            let schema = match rule.kind {
                Cross::EqualAmounts { .. }
                | Cross::Before { .. }
                | Cross::NotAbove { .. }
                | Cross::SameVariant(_)
                | Cross::HeaderEqualsField { .. } => {
                    self.out.push(Rule {
                        id: path.rule(&format!("rule.{}", rule.name)),
                        statement: rule.statement.into(),
                        severity: rule.severity,
                        source: rule.source,
                        scope: self.message.id.to_string(),
                        schema: SchemaCoverage::NotExpressible {
                            why: "JSON Schema cannot compare two values",
                        },
                    });
                    continue;
                }
                _ => schema.clone(),
            };
            self.add(
                path.rule(&format!("rule.{}", rule.name)),
                rule.statement.into(),
                rule.severity,
                rule.source,
                schema,
            );
        }
    }

    fn field(
        &mut self,
        field: &Field,
        parent: &FieldPath,
        child: impl Fn(&FieldPath, &str) -> FieldPath,
        schema: SchemaCtx,
        json: bool,
    ) {
        let label = field.key.label();
        let path = child(parent, label);
        let doc = if field.doc.is_empty() {
            String::new()
        } else {
            format!(" ({})", field.doc)
        };
        match field.presence {
            Presence::Mandatory | Presence::Recommended => {
                let verb = if field.presence_severity == Severity::Must {
                    "must"
                } else {
                    "should"
                };
                self.add(
                    path.rule("required"),
                    format!("{label} {verb} be present{doc}"),
                    field.presence_severity,
                    field.presence_source.unwrap_or(field.source),
                    schema.clone(),
                );
            }
            Presence::Absent => {
                self.add(
                    path.rule("absent"),
                    format!("{label} must not be sent{doc}"),
                    Severity::Must,
                    field.source,
                    schema.clone(),
                );
            }
            Presence::Optional | Presence::Conditional => {}
        }
        self.item(&field.value, label, &path, field.source, schema, json);
    }

    fn item(&mut self, item: &Item, label: &str, path: &FieldPath, source: Source, schema: SchemaCtx, json: bool) {
        self.item_typed(item, label, path, source, schema, json, json);
    }

    /// `typed`: whether a type rule applies (not for the root of a stringified JSON, whose type
    /// the `json` rule judges).
    #[allow(clippy::too_many_arguments)] // one walk with its full context; a struct would only rename it
    fn item_typed(
        &mut self,
        item: &Item,
        label: &str,
        path: &FieldPath,
        source: Source,
        schema: SchemaCtx,
        json: bool,
        typed: bool,
    ) {
        if typed {
            self.add(
                path.rule("type"),
                format!("{label} must be a JSON {}", item.kind.json_type()),
                Severity::Must,
                source,
                schema.clone(),
            );
        }
        for check in &item.checks {
            self.add(
                path.rule(check.constraint.suffix()),
                match check.severity {
                    Severity::Must => check.constraint.statement(label),
                    _ => check.constraint.statement(label).replacen(" must ", " should ", 1),
                },
                check.severity,
                check.source.unwrap_or(source),
                schema.clone(),
            );
        }
        match &item.kind {
            Kind::Object(obj) => self.object(obj, path, schema, json),
            Kind::Array(inner) => self.item(inner, &format!("{label}[]"), &path.index(0), source, schema, json),
            Kind::Map(inner) => self.item(inner, &format!("{label}.*"), &path.map_value("*"), source, schema, json),
            Kind::JsonString(inner) => {
                self.out.push(Rule {
                    id: path.rule("json"),
                    statement: format!("{label} must be a string holding a JSON {}", inner.kind.json_type()),
                    severity: Severity::Must,
                    source,
                    scope: self.message.id.to_string(),
                    schema: SchemaCoverage::NotExpressible { why: JSON_WHY },
                });
                let document = path
                    .id
                    .strip_prefix(self.message.id)
                    .unwrap_or("")
                    .trim_start_matches('.')
                    .to_string();
                let inner_schema = schema.map(|_| (path.id.clone(), document));
                self.item_typed(inner, label, path, source, inner_schema, true, false);
            }
            Kind::Str | Kind::Bool | Kind::IntOrStr => {}
        }
    }
}

/// The whole catalogue: every message rule plus the rules of the other rule families.
pub fn all() -> Vec<Rule> {
    let mut all = message_rules();
    all.extend(crate::crypto::rules());
    all.extend(crate::deeplink::rules());
    all.extend(crate::behaviour::rules());
    all.extend(crate::audit::rules());
    all
}
