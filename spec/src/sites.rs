//! The one walk over a message model: every rule site of a message, in catalogue order, with
//! its rule ID, statement, severity and source and where it sits (header or body, the path of
//! steps to it, the field, constraint, cross rule or echo it comes from). The catalogue is this
//! list read as rules, and the generators find the site of the rule they are asked to break in
//! it, so the two cannot disagree about which rules a message has or what their IDs are.

use crate::model::{Check, CrossRule, Echo, EchoFrom, Encoding, Field, Item, Kind, Message, Obj, Presence};
use crate::path::FieldPath;
use crate::rule::Severity;
use crate::source::Source;

/// One step of the path from the headers or the body to a site, as the generators follow it
/// (object keys by label, the first array item, a sample key of a map).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A field of an object, by label.
    Key(String),
    /// An array item.
    Index(usize),
}

/// The JSON Schema document a site sits in: the stem of the schema and the dotted path of the
/// document it judges inside the body (empty for the body itself). `None` for headers and for
/// rules judged before the body's schema applies.
pub type SchemaDoc = Option<(String, String)>;

/// What a site is about.
#[derive(Debug, Clone, Copy)]
pub enum Locus<'m> {
    /// The body is well formed at the byte level (judged by the reader).
    Syntax,
    /// The JSON body is an object.
    RootType,
    /// A field must be present.
    Required(&'m Field),
    /// A field must not be sent.
    Absent(&'m Field),
    /// A value has its JSON type; `item` is the value's model (a field's, an array item's or a
    /// map value's).
    Type {
        /// The field the value belongs to.
        field: &'m Field,
        /// The value's model.
        item: &'m Item,
    },
    /// A string holds JSON of its item's kind.
    Json {
        /// The field.
        field: &'m Field,
        /// The stringified item.
        item: &'m Item,
    },
    /// One constraint on a value.
    Check {
        /// The field the value belongs to.
        field: &'m Field,
        /// The value's model.
        item: &'m Item,
        /// The constraint.
        check: &'m Check,
    },
    /// A rule between sibling fields of `obj` (for the headers, `obj` is `None`: they carry no
    /// rules of their own).
    Cross {
        /// The rule.
        rule: &'m CrossRule,
        /// The object holding it.
        obj: &'m Obj,
    },
    /// A header repeats a body field.
    HeaderEquals {
        /// The rule.
        rule: &'m CrossRule,
        /// Lower-case header name.
        header: &'static str,
        /// Body field label.
        field: &'static str,
    },
    /// A response repeats a request value.
    Echo(&'m Echo),
}

/// One rule site of a message.
#[derive(Debug, Clone)]
pub struct Site<'m> {
    /// The rule ID, as the catalogue lists it and the validator reports it.
    pub rule: String,
    /// Plain-language statement.
    pub statement: String,
    /// `must` or `should`, as reported: the model's severity settled by the grounding law
    /// ([`crate::grounding::settle`]).
    pub severity: Severity,
    /// The severity the model declares (before the grounding law).
    pub declared: Severity,
    /// Where the rule is specified.
    pub source: Source,
    /// Whether the site is in the headers (else in the body, or the message as a whole).
    pub header: bool,
    /// The path to the field (or to the object holding a cross rule).
    pub steps: Vec<Step>,
    /// The schema document the site sits in (see [`SchemaDoc`]).
    pub schema: SchemaDoc,
    /// What the rule is about.
    pub locus: Locus<'m>,
}

/// [`sites`] of a registered model (`crate::messages`) walked once per process and kept; a model
/// built elsewhere (a test's, a declared API's) is walked on each call. For the per-request
/// paths (the fuzzer's generator and context) where a walk costs more than the rest of a case.
pub fn sites_of(message: &Message) -> std::borrow::Cow<'_, [Site<'_>]> {
    use std::collections::HashMap;
    use std::sync::{LazyLock, RwLock};
    /// By the model's address: a registered model is `'static`, so no other model ever has it.
    static WALKED: LazyLock<RwLock<HashMap<usize, &'static [Site<'static>]>>> = LazyLock::new(Default::default);
    let address = std::ptr::from_ref(message) as usize;
    if let Some(walked) = WALKED.read().ok().and_then(|w| w.get(&address).copied()) {
        return std::borrow::Cow::Borrowed(walked);
    }
    let Some(registered) = crate::messages::find(message.id).filter(|m| std::ptr::eq(*m, message)) else {
        return std::borrow::Cow::Owned(sites(message));
    };
    let mut walked = match WALKED.write() {
        Ok(w) => w,
        Err(_) => return std::borrow::Cow::Owned(sites(message)),
    };
    // One leak per registered model, at most once each (checked again under the write lock).
    let kept: &'static [Site<'static>] = walked.entry(address).or_insert_with(|| Vec::leak(sites(registered)));
    std::borrow::Cow::Borrowed(kept)
}

/// Every rule site of `message`, in catalogue order: headers, the body's syntax and type, the
/// body's fields and rules (depth first, in model order), header/body rules, echoes.
pub fn sites(message: &Message) -> Vec<Site<'_>> {
    let mut w = Walk {
        message,
        out: Vec::new(),
    };
    let root = FieldPath::root(message.id);
    for header in &message.headers {
        w.field(header, &root.header(header.key.label()), &[], true, None, false);
    }
    let (syntax, statement) = syntax_rule(message);
    w.push(
        root.rule(syntax),
        statement.into(),
        Severity::Must,
        message.source,
        false,
        Vec::new(),
        None,
        Locus::Syntax,
    );
    let json = message.encoding == Encoding::Json;
    let body_doc: SchemaDoc = Some((message.id.to_string(), String::new()));
    if json {
        let statement = "the body must be a JSON object".into();
        w.push(
            root.rule("type"),
            statement,
            Severity::Must,
            message.source,
            false,
            Vec::new(),
            body_doc.clone(),
            Locus::RootType,
        );
    }
    w.object(&message.body, &root, &[], body_doc, json);
    for rule in &message.rules {
        if let Some((header, field)) = rule.kind.with_kind(|k| k.header_field()) {
            let locus = Locus::HeaderEquals { rule, header, field };
            let steps = vec![Step::Key(field.to_string())];
            w.push(
                root.rule(&format!("rule.{}", rule.name)),
                rule.statement.into(),
                rule.severity,
                rule.source,
                false,
                steps,
                None,
                locus,
            );
        }
    }
    for echo in &message.echoes {
        let dotted = echo.response.join(".");
        let from = match echo.from {
            EchoFrom::Body(p) => format!("the request's {}", p.join(".")),
            EchoFrom::Header(h) => format!("the request header {h}"),
        };
        let statement = format!("{dotted} must repeat {from} exactly as sent");
        let steps = echo.response.iter().map(|k| Step::Key((*k).to_string())).collect();
        w.push(
            root.rule(&format!("echo.{dotted}")),
            statement,
            Severity::Must,
            echo.source,
            false,
            steps,
            None,
            Locus::Echo(echo),
        );
    }
    w.out
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

struct Walk<'m> {
    message: &'m Message,
    out: Vec<Site<'m>>,
}

fn with(steps: &[Step], step: Step) -> Vec<Step> {
    let mut s = steps.to_vec();
    s.push(step);
    s
}

impl<'m> Walk<'m> {
    #[allow(clippy::too_many_arguments)] // a site's fields, named where it is built
    fn push(
        &mut self,
        rule: String,
        statement: String,
        severity: Severity,
        source: Source,
        header: bool,
        steps: Vec<Step>,
        schema: SchemaDoc,
        locus: Locus<'m>,
    ) {
        let declared = severity;
        let severity = crate::grounding::settle(&rule, declared);
        let statement = severity.word(&statement);
        self.out.push(Site {
            rule,
            statement,
            severity,
            declared,
            source,
            header,
            steps,
            schema,
            locus,
        });
    }

    fn object(&mut self, obj: &'m Obj, path: &FieldPath, steps: &[Step], schema: SchemaDoc, json: bool) {
        for field in &obj.fields {
            let label = field.key.label();
            self.field(
                field,
                &path.key(label, label),
                &with(steps, Step::Key(label.to_string())),
                false,
                schema.clone(),
                json,
            );
        }
        for rule in &obj.rules {
            let locus = Locus::Cross { rule, obj };
            let id = path.rule(&format!("rule.{}", rule.name));
            self.push(
                id,
                rule.statement.into(),
                rule.severity,
                rule.source,
                false,
                steps.to_vec(),
                schema.clone(),
                locus,
            );
        }
    }

    /// A field at `path` (its own position) reached by `steps`.
    fn field(
        &mut self,
        field: &'m Field,
        path: &FieldPath,
        steps: &[Step],
        header: bool,
        schema: SchemaDoc,
        json: bool,
    ) {
        let label = field.key.label();
        let steps = if header {
            vec![Step::Key(label.to_string())]
        } else {
            steps.to_vec()
        };
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
                let source = field.presence_source.unwrap_or(field.source);
                let statement = format!("{label} {verb} be present{doc}");
                self.push(
                    path.rule("required"),
                    statement,
                    field.presence_severity,
                    source,
                    header,
                    steps.clone(),
                    schema.clone(),
                    Locus::Required(field),
                );
            }
            Presence::Absent => {
                let statement = format!("{label} must not be sent{doc}");
                self.push(
                    path.rule("absent"),
                    statement,
                    Severity::Must,
                    field.source,
                    header,
                    steps.clone(),
                    schema.clone(),
                    Locus::Absent(field),
                );
            }
            Presence::Optional | Presence::Conditional => {}
        }
        self.item(field, &field.value, label, path, &steps, header, schema, json, json);
    }

    /// `typed`: whether a type rule applies (not for the root of a stringified JSON, whose type
    /// the `json` rule judges).
    #[allow(clippy::too_many_arguments)] // one walk with its full context
    fn item(
        &mut self,
        field: &'m Field,
        item: &'m Item,
        label: &str,
        path: &FieldPath,
        steps: &[Step],
        header: bool,
        schema: SchemaDoc,
        json: bool,
        typed: bool,
    ) {
        let source = field.source;
        if typed {
            let statement = format!("{label} must be a JSON {}", item.kind.json_type());
            self.push(
                path.rule("type"),
                statement,
                Severity::Must,
                source,
                header,
                steps.to_vec(),
                schema.clone(),
                Locus::Type { field, item },
            );
        }
        for check in &item.checks {
            let statement = match check.severity {
                Severity::Must => check.constraint.statement(label),
                _ => check.constraint.statement(label).replacen(" must ", " should ", 1),
            };
            let locus = Locus::Check { field, item, check };
            let source = check.source.unwrap_or(source);
            self.push(
                path.rule(check.constraint.suffix()),
                statement,
                check.severity,
                source,
                header,
                steps.to_vec(),
                schema.clone(),
                locus,
            );
        }
        match &item.kind {
            Kind::Object(obj) => self.object(obj, path, steps, schema, json),
            Kind::Array(inner) => {
                let steps = with(steps, Step::Index(0));
                self.item(
                    field,
                    inner,
                    &format!("{label}[]"),
                    &path.index(0),
                    &steps,
                    header,
                    schema,
                    json,
                    json,
                );
            }
            Kind::Map(inner) => {
                let steps = with(steps, Step::Key("udf1".into()));
                self.item(
                    field,
                    inner,
                    &format!("{label}.*"),
                    &path.map_value("*"),
                    &steps,
                    header,
                    schema,
                    json,
                    json,
                );
            }
            Kind::JsonString(inner) => {
                let statement = format!("{label} must be a string holding a JSON {}", inner.kind.json_type());
                self.push(
                    path.rule("json"),
                    statement,
                    Severity::Must,
                    source,
                    header,
                    steps.to_vec(),
                    None,
                    Locus::Json { field, item: inner },
                );
                let document = path
                    .id
                    .strip_prefix(self.message.id)
                    .unwrap_or("")
                    .trim_start_matches('.')
                    .to_string();
                let inner_schema = schema.map(|_| (path.id.clone(), document));
                // The content's root type is the `json` rule's business; its checks and
                // children are walked like any item.
                self.item(field, inner, label, path, steps, header, inner_schema, true, false);
            }
            Kind::Str | Kind::Bool | Kind::IntOrStr => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kept walk of a registered model is the walk, kept once (the same slice each call);
    /// a model built elsewhere, even a copy of a registered one, is walked afresh.
    #[test]
    fn kept_sites_are_the_walk_of_that_model() {
        let rules = |sites: &[Site<'_>]| sites.iter().map(|s| s.rule.clone()).collect::<Vec<_>>();
        for message in crate::messages::all() {
            let kept = sites_of(message);
            assert!(matches!(kept, std::borrow::Cow::Borrowed(_)), "{}", message.id);
            assert_eq!(rules(&kept), rules(&sites(message)), "{}", message.id);
            assert!(
                std::ptr::eq(kept.as_ptr(), sites_of(message).as_ptr()),
                "{}",
                message.id
            );
        }
        let mut copy = crate::messages::all()[0].clone();
        copy.body.fields.clear();
        let walked = sites_of(&copy);
        assert!(matches!(walked, std::borrow::Cow::Owned(_)));
        assert_eq!(rules(&walked), rules(&sites(&copy)));
    }
}
