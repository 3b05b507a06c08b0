//! The declarative message model. A [`Message`] lists its headers and body as [`Field`]s; each
//! field has a wire [`Key`], a [`Presence`] and an [`Item`] (its [`Kind`] plus [`Check`]s);
//! objects carry [`CrossRule`]s between sibling fields; responses carry [`Echo`] rules against
//! their request. Nothing here validates or generates: [`crate::catalogue`],
//! [`crate::validate`], [`crate::schema`] and [`crate::generate`] derive those from this data.

pub mod api;
mod builder;
mod cross;
pub mod flow;
mod pointer_read;

pub(crate) use builder::UNSET;
pub use builder::{array, bool_field, field, int_or_str, json_string, map, object, str_item};
pub use cross::{Cond, Cross, CrossKind, CrossRule, Draft, Values, rule};

use ref_cast::RefCast;

use crate::charset::Charset;
use crate::constraint::ConstraintKind;
use crate::format::Format;
use crate::rule::Severity;
use crate::source::Source;

/// How a message travels on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// A JSON document (HTTP body, or an SDK process payload).
    Json,
    /// `application/x-www-form-urlencoded` key/value pairs: every value is a string.
    Form,
    /// `multipart/form-data` parts: every value is a string or a file.
    Multipart,
}

/// Whether a message is sent by the client or by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Sent to the API.
    Request,
    /// Sent back by the API (or by the SDK, or as a callback to the merchant).
    Response,
}

/// Wrapping around the body on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Envelope {
    /// The JSON body travels as the `payload` of a flattened JWS (`{protected,payload,signature}`).
    FlattenedJws,
}

/// The HTTP endpoint a message belongs to, when it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    /// HTTP method.
    pub method: &'static str,
    /// Path template, e.g. `/api/{uri}/merchants/transactions/registerIntent`.
    pub path: &'static str,
    /// HTTP status of a response message (0 for requests).
    pub status: u16,
}

/// One message: everything the project knows about it, in one place.
#[derive(Debug, Clone)]
pub struct Message {
    /// Stable ID, e.g. `merchant.register-intent.v3.request`.
    pub id: &'static str,
    /// Human title.
    pub title: &'static str,
    /// Request or response.
    pub direction: Direction,
    /// Wire encoding of the body.
    pub encoding: Encoding,
    /// Envelope around the body, if any.
    pub envelope: Option<Envelope>,
    /// HTTP endpoint, if the message travels over HTTP.
    pub endpoint: Option<Endpoint>,
    /// Where the message is specified.
    pub source: Source,
    /// HTTP headers (names lower-case).
    pub headers: Vec<Field>,
    /// The body (root object).
    pub body: Obj,
    /// Rules between headers and body fields.
    pub rules: Vec<CrossRule>,
    /// For responses: the request message whose values the response must repeat.
    pub request: Option<&'static str>,
    /// For responses: what must be repeated from the request.
    pub echoes: Vec<Echo>,
    /// What the seed leaves unspecified or contradicts, in prose, for the docs.
    pub notes: &'static [&'static str],
}

/// An object: its fields and the rules between them.
#[derive(Debug, Clone, Default)]
pub struct Obj {
    /// Fields in document order.
    pub fields: Vec<Field>,
    /// Rules between sibling fields of this object.
    pub rules: Vec<CrossRule>,
}

/// The key(s) under which a field appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// One wire name.
    Name(&'static str),
    /// One of several wire names that mean the same field (e.g. the PSP-specific
    /// `metadata.AXIS_BIZ:gateway_reference_id` / `metadata.YES_BIZ:gateway_reference_id`);
    /// `label` is the name used in rule IDs.
    OneOf {
        /// Name used in rule IDs and docs, e.g. `metadata.<psp>:gateway_reference_id`.
        label: &'static str,
        /// The accepted wire names.
        names: &'static [&'static str],
    },
}

impl Key {
    /// The name used in rule IDs and paths.
    pub fn label(&self) -> &'static str {
        match self {
            Key::Name(n) => n,
            Key::OneOf { label, .. } => label,
        }
    }

    /// Every wire name this key accepts.
    pub fn names(&self) -> &[&'static str] {
        match self {
            Key::Name(n) => std::slice::from_ref(n),
            Key::OneOf { names, .. } => names,
        }
    }
}

/// Whether a field must, should, may or must not be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// May be absent.
    Optional,
    /// Must be present.
    Mandatory,
    /// Should be present (the seeds' "Optional but mandatory for new integration").
    Recommended,
    /// Must not be present (e.g. `x-api-version` on the Default version).
    Absent,
    /// Presence is governed by a cross-field rule of the enclosing object.
    Conditional,
}

/// One field of an object (or one header).
#[derive(Debug, Clone)]
pub struct Field {
    /// Wire key.
    pub key: Key,
    /// The name as the seed's parameter table spells it, where it differs from the wire name.
    pub seed_name: Option<&'static str>,
    /// Presence.
    pub presence: Presence,
    /// Severity of the presence rule (`must` unless the seed says "should").
    pub presence_severity: Severity,
    /// What the value is.
    pub value: Item,
    /// Value assumed when the field is absent (used by conditions), e.g. `ASPRESENTED`.
    pub default: Option<&'static str>,
    /// Whether JSON `null` is accepted as "present, no value" (PayU's `metaData.message`).
    pub nullable: bool,
    /// Source of the presence rule, when it differs from the field's.
    pub presence_source: Option<Source>,
    /// Where the field is specified.
    pub source: Source,
    /// One-line description.
    pub doc: &'static str,
}

impl Field {
    /// The value the model fixes for this field: `Some(Some(v))` a mandatory `must` constant,
    /// `Some(None)` it must be absent, `None` anything else (a request model's `x-api-version`
    /// says which version it is).
    pub fn fixed_value(&self) -> Option<Option<&'static str>> {
        match self.presence {
            Presence::Absent => Some(None),
            Presence::Mandatory => self
                .value
                .checks
                .iter()
                .filter(|c| c.severity == Severity::Must)
                .find_map(|c| c.constraint.kind().constant().map(Some)),
            _ => None,
        }
    }
}

/// A value: its kind and the checks on it.
#[derive(Debug, Clone)]
pub struct Item {
    /// What kind of JSON value (or form value) it is.
    pub kind: Kind,
    /// Constraints on the value, each one rule.
    pub checks: Vec<Check>,
}

/// The kind of a value.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A string (every form and header value is one).
    Str,
    /// A JSON boolean.
    Bool,
    /// A JSON integer or a string (seen where vendors disagree with themselves).
    IntOrStr,
    /// A nested object.
    Object(Obj),
    /// An array of items.
    Array(Box<Item>),
    /// A string that contains JSON of the inner item's kind (e.g. `signaturePayload`).
    JsonString(Box<Item>),
    /// An object with arbitrary keys whose values are all of one item kind.
    Map(Box<Item>),
}

impl Kind {
    /// JSON type name, as used in JSON Schema and in messages.
    pub fn json_type(&self) -> &'static str {
        match self {
            Kind::Str | Kind::JsonString(_) => "string",
            Kind::Bool => "boolean",
            Kind::IntOrStr => "integer or string",
            Kind::Object(_) | Kind::Map(_) => "object",
            Kind::Array(_) => "array",
        }
    }
}

/// One constraint with its own severity and, optionally, its own source.
#[derive(Debug, Clone)]
pub struct Check {
    /// The constraint.
    pub constraint: Constraint,
    /// `must` or `should`.
    pub severity: Severity,
    /// Source, when it differs from the field's.
    pub source: Option<Source>,
}

/// A constraint on a single value.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    /// At least this many characters.
    MinLen(usize),
    /// At most this many characters.
    MaxLen(usize),
    /// Every character from this set.
    Charset(Charset),
    /// This format.
    Format(Format),
    /// One of these values.
    Enum(&'static [&'static str]),
    /// One of these values, letter case ignored (a seed lists upper case but prints another).
    EnumIgnoreCase(&'static [&'static str]),
    /// Exactly this value.
    Const(&'static str),
    /// A media type (header), compared case-insensitively, parameters ignored.
    MediaType(&'static str),
    /// At least this many array items.
    MinItems(usize),
    /// Does not start with this text.
    NotPrefixed(&'static str),
}

impl Constraint {
    /// The kind of the constraint: the one place a declared constraint is mapped to the module
    /// that gives it its meaning ([`crate::constraint`]).
    pub fn kind(&self) -> &dyn ConstraintKind {
        use crate::constraint as k;
        match self {
            Constraint::MinLen(n) => k::MinLen::ref_cast(n),
            Constraint::MaxLen(n) => k::MaxLen::ref_cast(n),
            Constraint::Charset(cs) => k::OnlyChars::ref_cast(cs),
            Constraint::Format(f) => k::Formatted::ref_cast(f),
            Constraint::Enum(values) => k::OneOf::ref_cast(values),
            Constraint::EnumIgnoreCase(values) => k::OneOfAnyCase::ref_cast(values),
            Constraint::Const(v) => k::Exactly::ref_cast(v),
            Constraint::MediaType(m) => k::MediaType::ref_cast(m),
            Constraint::MinItems(n) => k::MinItems::ref_cast(n),
            Constraint::NotPrefixed(p) => k::NotPrefixed::ref_cast(p),
        }
    }

    /// The rule-ID suffix for this constraint.
    pub fn suffix(&self) -> &'static str {
        self.kind().suffix()
    }

    /// Whether a string value satisfies the constraint (`MinItems` is judged on arrays).
    pub fn check_str(&self, s: &str) -> bool {
        self.kind().check_str(s)
    }

    /// Plain-language statement of the constraint for `what`.
    pub fn statement(&self, what: &str) -> String {
        self.kind().statement(what)
    }
}

impl Message {
    /// Gives every mandatory field without its own presence source this one (used where a
    /// table lists fields without presence and we decided which are required).
    pub fn with_presence_source(mut self, source: Source) -> Message {
        fn apply(fields: &mut [Field], source: Source) {
            for f in fields {
                if f.presence == Presence::Mandatory && f.presence_source.is_none() {
                    f.presence_source = Some(source);
                }
                if let Kind::Object(obj) = &mut f.value.kind {
                    apply(&mut obj.fields, source);
                }
            }
        }
        apply(&mut self.body.fields, source);
        self
    }

    /// Every field label path of the body, with `[]` for array items (for the inventory test).
    pub fn field_paths(&self) -> Vec<Vec<String>> {
        fn walk(item: &Item, prefix: &[String], out: &mut Vec<Vec<String>>) {
            match &item.kind {
                Kind::Object(obj) => {
                    for f in &obj.fields {
                        for name in f.key.names().iter().chain(std::iter::once(&f.key.label())) {
                            let mut p = prefix.to_vec();
                            p.push((*name).to_string());
                            out.push(p.clone());
                            walk(&f.value, &p, out);
                        }
                    }
                }
                Kind::Array(inner) => {
                    let mut p = prefix.to_vec();
                    p.push("[]".into());
                    walk(inner, &p, out);
                }
                Kind::JsonString(inner) => walk(inner, prefix, out),
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(
            &Item {
                kind: Kind::Object(self.body.clone()),
                checks: Vec::new(),
            },
            &[],
            &mut out,
        );
        out
    }
}

/// A value the response must repeat from its request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Echo {
    /// Path of the field in the response body.
    pub response: &'static [&'static str],
    /// Where the value comes from in the request.
    pub from: EchoFrom,
    /// Where the echo is specified.
    pub source: Source,
}

/// The origin of an echoed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EchoFrom {
    /// A request body field (path).
    Body(&'static [&'static str]),
    /// A request header (lower-case name).
    Header(&'static str),
}
