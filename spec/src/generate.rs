//! Generators derived from the models: a valid [`Document`] for any message, and for any rule of
//! the catalogue a document that breaks exactly that rule. Deterministic for a given seed
//! (ChaCha8), so property tests, the live fuzzer and the conformance runner can replay a case.
//!
//! How it works: a random valid tree is drawn field by field from the checks, cross-field rules
//! are then *repaired* (a field is added, removed or set so the rule holds), and for a breaking
//! case the field or rule in question is mutated last, with the fields that rule reads protected
//! from further repair.

use std::collections::HashSet;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value};

use crate::charset::ALNUM;
use crate::input::Document;
use crate::model::{Cond, Constraint, Cross, CrossRule, Field, Item, Kind, Message, Obj, Presence};
use crate::path::FieldPath;
use crate::validate::{decimal_cmp, decimal_eq};

/// A predicate on a field's text: whether a value makes a condition come out as wanted.
type Accepts = dyn Fn(&str) -> bool;

/// A generated tree: like JSON, but a stringified-JSON field keeps its content as a tree until
/// the document is serialised, so mutations can reach inside it.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Bool(bool),
    Int(i64),
    Str(String),
    Arr(Vec<Node>),
    Obj(Vec<(String, Node)>),
    Embedded(Box<Node>),
    /// A JSON value the generator never draws (null, a fraction), kept as it was read.
    Raw(Value),
}

impl Node {
    fn into_value(self) -> Value {
        match self {
            Node::Bool(b) => Value::Bool(b),
            Node::Int(i) => Value::from(i),
            Node::Str(s) => Value::String(s),
            Node::Arr(items) => Value::Array(items.into_iter().map(Node::into_value).collect()),
            Node::Obj(entries) => Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, v.into_value()))
                    .collect::<Map<_, _>>(),
            ),
            Node::Embedded(inner) => Value::String(inner.into_value().to_string()),
            Node::Raw(v) => v,
        }
    }

    /// `value` as a tree, reading the strings `item` says hold JSON as embedded trees (only
    /// when serialising the tree again gives the same text back).
    fn of_value(value: &Value, item: Option<&Item>) -> Node {
        let kind = item.map(|i| &i.kind);
        match value {
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => n.as_i64().map_or_else(|| Node::Raw(value.clone()), Node::Int),
            Value::String(s) => {
                if let Some(Kind::JsonString(inner)) = kind
                    && let Ok(parsed) = serde_json::from_str::<Value>(s)
                {
                    let node = Node::of_value(&parsed, Some(inner));
                    let again = node.clone().into_value().to_string();
                    if again == *s {
                        return Node::Embedded(Box::new(node));
                    }
                }
                Node::Str(s.clone())
            }
            Value::Array(items) => {
                let inner = match kind {
                    Some(Kind::Array(inner)) => Some(&**inner),
                    _ => None,
                };
                Node::Arr(items.iter().map(|v| Node::of_value(v, inner)).collect())
            }
            Value::Object(entries) => Node::Obj(
                entries
                    .iter()
                    .map(|(k, v)| {
                        let child = match kind {
                            Some(Kind::Object(obj)) => obj
                                .fields
                                .iter()
                                .find(|f| f.key.names().contains(&k.as_str()))
                                .map(|f| &f.value),
                            Some(Kind::Map(inner)) => Some(&**inner),
                            _ => None,
                        };
                        (k.clone(), Node::of_value(v, child))
                    })
                    .collect(),
            ),
            Value::Null => Node::Raw(Value::Null),
        }
    }

    fn entries(&mut self) -> Option<&mut Vec<(String, Node)>> {
        match self {
            Node::Obj(e) => Some(e),
            Node::Embedded(inner) => inner.entries(),
            _ => None,
        }
    }

    fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Obj(e) => e.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            Node::Embedded(inner) => inner.get(key),
            _ => None,
        }
    }

    fn text(&self) -> Option<String> {
        match self {
            Node::Str(s) => Some(s.clone()),
            Node::Int(i) => Some(i.to_string()),
            Node::Bool(b) => Some(b.to_string()),
            Node::Raw(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        }
    }
}

/// One step of a path into a generated tree.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// What breaking a rule means, found by walking the model like the catalogue does.
#[derive(Debug, Clone)]
enum Breach {
    RootType,
    Required,
    Absent,
    Type,
    Json,
    Check(Constraint),
    Cross(CrossRule),
    HeaderEquals { header: &'static str, field: &'static str },
}

/// Where a rule lives: in the headers or the body, the path to the field (or to the object
/// holding a cross rule), the model node there, and what breaking it means.
#[derive(Debug, Clone)]
struct Site {
    header: bool,
    steps: Vec<Step>,
    field: Option<Field>,
    item: Option<Item>,
    obj: Option<Obj>,
    breach: Breach,
}

/// A valid document for `message` from `seed`.
pub fn valid(message: &Message, seed: u64) -> Document {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut g = Generator {
        rng: &mut rng,
        unicode: false,
    };
    let (headers, body) = g.message(message, &[], false, &HashSet::new());
    finish(headers, body)
}

/// A valid document whose free-text strings (those no charset, format, enum or constant
/// constrains) are non-ASCII text, Devanagari and the rupee sign among it: the model allows it,
/// so an implementation must accept it without tripping over its encoding.
pub fn valid_unicode(message: &Message, seed: u64) -> Document {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut g = Generator {
        rng: &mut rng,
        unicode: true,
    };
    let (headers, body) = g.message(message, &[], false, &HashSet::new());
    finish(headers, body)
}

/// A document that breaks exactly rule `rule_id` of `message`, or `None` when the rule is not
/// one a single document can break (echo rules need a request and a response).
pub fn breaking(message: &Message, rule_id: &str, seed: u64) -> Option<Document> {
    let site = find_site(message, rule_id)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut g = Generator {
        rng: &mut rng,
        unicode: false,
    };
    let protected: HashSet<&'static str> = match &site.breach {
        Breach::Cross(rule) => rule.kind.fields().into_iter().collect(),
        Breach::HeaderEquals { field, .. } => [*field].into_iter().collect(),
        _ => site.field.as_ref().map(|f| f.key.label()).into_iter().collect(),
    };
    let focus = if site.header { Vec::new() } else { site.steps.clone() };
    let (mut headers, mut body) = g.message(message, &focus, site.header, &protected);
    g.apply(message, &site, &mut headers, &mut body);
    Some(finish(headers, body))
}

/// `document`, a valid document of `message`, changed so that it breaks exactly rule `rule_id`
/// and is otherwise the same: the breach [`breaking`] applies to a generated document, applied to
/// this one. A field the rule is about that the document lacks is added first (drawn like a
/// generated one, the object's cross rules repaired around it). An echo rule
/// (`…echo.PATH`) is broken by another valid value at PATH, which the request cannot have sent.
/// `None` when the rule is not one of `message`'s, or not one a single document can break
/// (the body's syntax).
pub fn break_document(message: &Message, document: &Document, rule_id: &str, seed: u64) -> Option<Document> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut g = Generator {
        rng: &mut rng,
        unicode: false,
    };
    let mut headers = Node::Obj(
        document
            .headers
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), Node::Str(v.clone())))
            .collect(),
    );
    let root_item = Item::of(Kind::Object(message.body.clone()));
    let mut body = Node::of_value(&document.body, Some(&root_item));
    let root = FieldPath::root(message.id);
    if let Some(echo) = message
        .echoes
        .iter()
        .find(|e| root.rule(&format!("echo.{}", e.response.join("."))) == rule_id)
    {
        g.break_echo(&message.body, &mut body, echo.response)?;
    } else {
        let site = find_site(message, rule_id)?;
        let protected: HashSet<&'static str> = match &site.breach {
            Breach::Cross(rule) => rule.kind.fields().into_iter().collect(),
            Breach::HeaderEquals { field, .. } => [*field].into_iter().collect(),
            _ => site.field.as_ref().map(|f| f.key.label()).into_iter().collect(),
        };
        // The place must exist: the object of a cross rule, the field of a check, the parent of
        // a presence rule.
        let needed = match site.breach {
            Breach::Required | Breach::Absent => &site.steps[..site.steps.len().saturating_sub(1)],
            Breach::RootType => &[][..],
            _ => &site.steps[..],
        };
        if site.header {
            let header_obj = Obj {
                fields: message.headers.clone(),
                rules: Vec::new(),
            };
            if !g.ensure(&header_obj, &mut headers, needed, &protected) {
                return None;
            }
        } else if let Breach::HeaderEquals { field, .. } = site.breach {
            if !g.ensure(&message.body, &mut body, &[Step::Key(field.to_string())], &protected) {
                return None;
            }
        } else if !g.ensure(&message.body, &mut body, needed, &protected) {
            return None;
        }
        g.apply(message, &site, &mut headers, &mut body);
    }
    let had_headers = document.headers.is_some();
    let mut broken = finish(headers, body);
    if !had_headers && broken.headers.as_ref().is_some_and(Vec::is_empty) {
        broken.headers = None;
    }
    (broken != *document).then_some(broken)
}

fn finish(headers: Node, body: Node) -> Document {
    let headers = match headers {
        Node::Obj(e) => e.into_iter().filter_map(|(k, v)| v.text().map(|t| (k, t))).collect(),
        _ => Vec::new(),
    };
    Document {
        headers: Some(headers),
        body: body.into_value(),
    }
}

fn find_site(message: &Message, rule_id: &str) -> Option<Site> {
    let root = FieldPath::root(message.id);
    let mut sites = Vec::new();
    let header_obj = Obj {
        fields: message.headers.clone(),
        rules: Vec::new(),
    };
    collect_obj(&header_obj, &root, &[], true, &mut sites, &|p, l| p.header(l));
    if root.rule("type") == rule_id {
        return Some(Site {
            header: false,
            steps: Vec::new(),
            field: None,
            item: None,
            obj: None,
            breach: Breach::RootType,
        });
    }
    collect_obj(&message.body, &root, &[], false, &mut sites, &|p, l| p.key(l, l));
    for rule in &message.rules {
        if let Cross::HeaderEqualsField { header, field } = rule.kind {
            sites.push((
                root.rule(&format!("rule.{}", rule.name)),
                Site {
                    header: false,
                    steps: vec![Step::Key(field.to_string())],
                    field: None,
                    item: None,
                    obj: None,
                    breach: Breach::HeaderEquals { header, field },
                },
            ));
        }
    }
    sites.into_iter().find(|(id, _)| id == rule_id).map(|(_, s)| s)
}

type Child<'a> = &'a dyn Fn(&FieldPath, &str) -> FieldPath;

fn collect_obj(obj: &Obj, path: &FieldPath, steps: &[Step], header: bool, out: &mut Vec<(String, Site)>, child: Child) {
    for field in &obj.fields {
        let label = field.key.label();
        let p = child(path, label);
        let mut s = steps.to_vec();
        s.push(Step::Key(label.to_string()));
        let site = |breach| Site {
            header,
            steps: s.clone(),
            field: Some(field.clone()),
            item: Some(field.value.clone()),
            obj: None,
            breach,
        };
        match field.presence {
            Presence::Mandatory | Presence::Recommended => out.push((p.rule("required"), site(Breach::Required))),
            Presence::Absent => out.push((p.rule("absent"), site(Breach::Absent))),
            _ => {}
        }
        collect_item(&field.value, field, &p, &s, header, out, true);
    }
    for rule in &obj.rules {
        out.push((
            path.rule(&format!("rule.{}", rule.name)),
            Site {
                header,
                steps: steps.to_vec(),
                field: None,
                item: None,
                obj: Some(obj.clone()),
                breach: Breach::Cross(rule.clone()),
            },
        ));
    }
}

fn collect_item(
    item: &Item,
    field: &Field,
    p: &FieldPath,
    steps: &[Step],
    header: bool,
    out: &mut Vec<(String, Site)>,
    typed: bool,
) {
    let site = |breach| Site {
        header,
        steps: steps.to_vec(),
        field: Some(field.clone()),
        item: Some(item.clone()),
        obj: None,
        breach,
    };
    if typed {
        out.push((p.rule("type"), site(Breach::Type)));
    }
    for check in &item.checks {
        out.push((
            p.rule(check.constraint.suffix()),
            site(Breach::Check(check.constraint.clone())),
        ));
    }
    let with = |step: Step| {
        let mut s = steps.to_vec();
        s.push(step);
        s
    };
    match &item.kind {
        Kind::Object(obj) => collect_obj(obj, p, steps, header, out, &|p, l| p.key(l, l)),
        Kind::Array(inner) => collect_item(inner, field, &p.index(0), &with(Step::Index(0)), header, out, true),
        Kind::Map(inner) => collect_item(
            inner,
            field,
            &p.map_value("*"),
            &with(Step::Key("udf1".into())),
            header,
            out,
            true,
        ),
        Kind::JsonString(inner) => {
            out.push((p.rule("json"), site(Breach::Json)));
            // The content's root type is the `json` rule's business; its checks and children
            // are walked like any item.
            collect_item(inner, field, p, steps, header, out, false);
        }
        _ => {}
    }
}

struct Generator<'r> {
    rng: &'r mut ChaCha8Rng,
    /// Free text is drawn from non-ASCII text.
    unicode: bool,
}

impl Generator<'_> {
    /// Headers and body; `focus` is a body path that must exist (its ancestors too).
    fn message(
        &mut self,
        m: &Message,
        focus: &[Step],
        all_headers: bool,
        protected: &HashSet<&'static str>,
    ) -> (Node, Node) {
        let header_obj = Obj {
            fields: m.headers.clone(),
            rules: Vec::new(),
        };
        let mut headers = self.object(&header_obj, &[], protected, all_headers);
        let body = self.object(&m.body, focus, protected, false);
        for rule in &m.rules {
            if let Cross::HeaderEqualsField { header, field } = rule.kind
                && let (Some(v), Some(entries)) = (body.get(field).and_then(Node::text), headers.entries())
            {
                set(entries, header, Node::Str(v));
            }
        }
        (headers, body)
    }

    fn object(&mut self, obj: &Obj, focus: &[Step], protected: &HashSet<&'static str>, all: bool) -> Node {
        let focused = match focus.first() {
            Some(Step::Key(k)) => Some(k.as_str()),
            _ => None,
        };
        let mut entries = Vec::new();
        for field in &obj.fields {
            let label = field.key.label();
            let present = match field.presence {
                Presence::Mandatory | Presence::Recommended => true,
                Presence::Absent => false,
                Presence::Optional | Presence::Conditional => {
                    all || focused == Some(label) || self.rng.random_bool(0.5)
                }
            };
            if present {
                let inner_focus = if focused == Some(label) { &focus[1..] } else { &[][..] };
                let value = self.item(&field.value, inner_focus);
                entries.push((self.wire_name(field), value));
            }
        }
        let mut node = Node::Obj(entries);
        let keep: HashSet<&str> = focused.into_iter().chain(protected.iter().copied()).collect();
        self.repair(obj, &mut node, &keep, None);
        node
    }

    fn wire_name(&mut self, field: &Field) -> String {
        let names = field.key.names();
        names[self.rng.random_range(0..names.len())].to_string()
    }

    fn item(&mut self, item: &Item, focus: &[Step]) -> Node {
        match &item.kind {
            Kind::Str => Node::Str(self.string(&item.checks)),
            Kind::Bool => Node::Bool(self.rng.random_bool(0.5)),
            Kind::IntOrStr => {
                let s = self.string(&item.checks);
                match s.parse::<i64>() {
                    Ok(i) if self.rng.random_bool(0.5) => Node::Int(i),
                    _ => Node::Str(s),
                }
            }
            Kind::Object(obj) => self.object(obj, focus, &HashSet::new(), false),
            Kind::Array(inner) => {
                let min = item.checks.iter().find_map(|c| match c.constraint {
                    Constraint::MinItems(n) => Some(n),
                    _ => None,
                });
                let n = self.rng.random_range(min.unwrap_or(0).max(1)..=3);
                let rest = if focus.first() == Some(&Step::Index(0)) {
                    &focus[1..]
                } else {
                    &[][..]
                };
                Node::Arr(
                    (0..n)
                        .map(|i| self.item(inner, if i == 0 { rest } else { &[] }))
                        .collect(),
                )
            }
            Kind::Map(inner) => {
                let n = self.rng.random_range(1..=3);
                let rest = if focus.is_empty() { &[][..] } else { &focus[1..] };
                Node::Obj(
                    (1..=n)
                        .map(|i| (format!("udf{i}"), self.item(inner, if i == 1 { rest } else { &[] })))
                        .collect(),
                )
            }
            Kind::JsonString(inner) => Node::Embedded(Box::new(self.item(inner, focus))),
        }
    }

    /// A string satisfying every check (must and should).
    fn string(&mut self, checks: &[crate::model::Check]) -> String {
        for _ in 0..50 {
            let s = self.candidate(checks);
            if checks.iter().all(|c| c.constraint.check_str(&s)) {
                return s;
            }
        }
        self.candidate(checks)
    }

    fn candidate(&mut self, checks: &[crate::model::Check]) -> String {
        let mut charset = ALNUM;
        let (mut min, mut max) = (1usize, 12usize);
        for c in checks {
            match &c.constraint {
                Constraint::Const(v) => return (*v).to_string(),
                Constraint::Enum(vs) => return vs[self.rng.random_range(0..vs.len())].to_string(),
                Constraint::Format(f) => return f.example(&mut *self.rng),
                Constraint::MediaType(m) => return (*m).to_string(),
                Constraint::Charset(cs) => charset = *cs,
                Constraint::MinLen(n) => min = *n,
                Constraint::MaxLen(n) => max = max.min(*n).max(min),
                Constraint::MinItems(_) | Constraint::NotPrefixed(_) => {}
            }
        }
        let len = self.rng.random_range(min..=max.max(min));
        let free_text = !checks.iter().any(|c| matches!(c.constraint, Constraint::Charset(_)));
        if self.unicode && free_text {
            const TEXT: [char; 8] = ['न', 'म', 'स', '्', 'त', '₹', 'é', 'ß'];
            return (0..len)
                .map(|i| {
                    if i % 2 == 0 {
                        TEXT[self.rng.random_range(0..TEXT.len())]
                    } else {
                        'a'
                    }
                })
                .collect();
        }
        (0..len).map(|_| charset.sample(&mut *self.rng)).collect()
    }

    /// Makes the object's cross rules hold, never touching `keep`; `skip` is a rule being broken.
    fn repair(&mut self, obj: &Obj, node: &mut Node, keep: &HashSet<&str>, skip: Option<&str>) {
        for _ in 0..10 {
            let mut changed = false;
            for rule in obj.rules.iter().filter(|r| Some(r.name) != skip) {
                changed |= self.repair_one(obj, rule, node, keep);
            }
            if !changed {
                return;
            }
        }
    }

    fn field_of<'o>(obj: &'o Obj, label: &str) -> Option<&'o Field> {
        obj.fields.iter().find(|f| f.key.label() == label)
    }

    fn text_of(obj: &Obj, node: &Node, label: &str) -> Option<String> {
        let field = Self::field_of(obj, label)?;
        field
            .key
            .names()
            .iter()
            .find_map(|n| node.get(n))
            .and_then(Node::text)
            .or(field.default.map(str::to_string))
    }

    fn present(obj: &Obj, node: &Node, label: &str) -> bool {
        Self::field_of(obj, label).is_some_and(|f| f.key.names().iter().any(|n| node.get(n).is_some()))
    }

    fn holds(obj: &Obj, node: &Node, cond: &Cond) -> bool {
        match cond {
            Cond::Always => true,
            Cond::Eq(f, v) => Self::text_of(obj, node, f).as_deref() == Some(*v),
            Cond::In(f, vs) => Self::text_of(obj, node, f).is_some_and(|t| vs.contains(&t.as_str())),
            Cond::NotIn(f, vs) => Self::text_of(obj, node, f).is_some_and(|t| !vs.contains(&t.as_str())),
        }
    }

    /// Sets the condition's field so that the condition is `want`; false when impossible.
    fn force(&mut self, obj: &Obj, node: &mut Node, cond: &Cond, want: bool, keep: &HashSet<&str>) -> bool {
        let (label, accepted): (&str, Box<Accepts>) = match *cond {
            Cond::Always => return want,
            Cond::Eq(f, v) => (f, Box::new(move |t: &str| (t == v) == want)),
            Cond::In(f, vs) => (f, Box::new(move |t: &str| vs.contains(&t) == want)),
            Cond::NotIn(f, vs) => (f, Box::new(move |t: &str| vs.contains(&t) != want)),
        };
        if keep.contains(label) {
            return Self::holds(obj, node, cond) == want;
        }
        let Some(field) = Self::field_of(obj, label) else {
            return false;
        };
        let options: Vec<String> = field
            .value
            .checks
            .iter()
            .find_map(|c| match &c.constraint {
                Constraint::Enum(vs) => Some(vs.iter().map(|s| (*s).to_string()).collect()),
                _ => None,
            })
            .unwrap_or_else(|| (0..20).map(|_| self.string(&field.value.checks)).collect());
        let choices: Vec<&String> = options.iter().filter(|o| accepted(o)).collect();
        if choices.is_empty() {
            return false;
        }
        let pick = choices[self.rng.random_range(0..choices.len())].clone();
        let name = field.key.names()[0];
        if let Some(entries) = node.entries() {
            set(entries, name, Node::Str(pick));
        }
        true
    }

    fn repair_one(&mut self, obj: &Obj, rule: &CrossRule, node: &mut Node, keep: &HashSet<&str>) -> bool {
        match &rule.kind {
            Cross::Together(keys) => {
                let present: Vec<bool> = keys.iter().map(|k| Self::present(obj, node, k)).collect();
                if present.iter().all(|p| *p) || present.iter().all(|p| !*p) {
                    return false;
                }
                for (k, p) in keys.iter().zip(present) {
                    if !p {
                        self.add(obj, node, k);
                    }
                }
                true
            }
            Cross::RequiredWhen { field, when } => {
                if Self::holds(obj, node, when) && !Self::present(obj, node, field) {
                    if keep.contains(field) || !self.force(obj, node, when, false, keep) {
                        self.add(obj, node, field);
                    }
                    return true;
                }
                false
            }
            Cross::AbsentUnless { field, when } => {
                if Self::present(obj, node, field) && !Self::holds(obj, node, when) {
                    let prefer_cond = keep.contains(field);
                    if !(prefer_cond && self.force(obj, node, when, true, keep)) {
                        self.remove(obj, node, field, keep);
                    }
                    return true;
                }
                false
            }
            Cross::ValueOnlyWhen { field, value, when } => {
                if Self::text_of(obj, node, field).as_deref() == Some(*value)
                    && Self::present(obj, node, field)
                    && !Self::holds(obj, node, when)
                {
                    let prefer_cond = keep.contains(field);
                    if !(prefer_cond && self.force(obj, node, when, true, keep)) {
                        for _ in 0..20 {
                            self.add(obj, node, field);
                            if Self::text_of(obj, node, field).as_deref() != Some(*value) {
                                break;
                            }
                        }
                    }
                    return true;
                }
                false
            }
            Cross::EqualAmounts { a, b, when } => {
                let (Some(x), Some(y)) = (Self::text_of(obj, node, a), Self::text_of(obj, node, b)) else {
                    return false;
                };
                if Self::present(obj, node, a)
                    && Self::present(obj, node, b)
                    && Self::holds(obj, node, when)
                    && !decimal_eq(&x, &y)
                {
                    if keep.contains(a) && keep.contains(b) {
                        return self.force(obj, node, when, false, keep);
                    }
                    let (target, value) = if keep.contains(b) { (*a, y) } else { (*b, x) };
                    if let Some(entries) = node.entries() {
                        set(entries, target, Node::Str(value));
                    }
                    return true;
                }
                false
            }
            Cross::Before { earlier, later } => {
                let (Some(x), Some(y)) = (Self::text_of(obj, node, earlier), Self::text_of(obj, node, later)) else {
                    return false;
                };
                match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(e), Ok(l)) if e >= l => {
                        let delta = self.rng.random_range(1..400u64) * 86_400_000;
                        let (target, value) = if keep.contains(later) {
                            (*earlier, l.saturating_sub(delta))
                        } else {
                            (*later, e + delta)
                        };
                        if let Some(entries) = node.entries() {
                            set(entries, target, Node::Str(value.to_string()));
                        }
                        true
                    }
                    _ => false,
                }
            }
            Cross::NotAbove { amount, limit } => {
                let (Some(a), Some(l)) = (Self::text_of(obj, node, amount), Self::text_of(obj, node, limit)) else {
                    return false;
                };
                if Self::present(obj, node, amount)
                    && Self::present(obj, node, limit)
                    && decimal_cmp(&a, &l) == Some(std::cmp::Ordering::Greater)
                {
                    let (target, value) = if keep.contains(amount) {
                        (*limit, a)
                    } else {
                        (*amount, l)
                    };
                    if let Some(entries) = node.entries() {
                        set(entries, target, Node::Str(value));
                    }
                    return true;
                }
                false
            }
            Cross::SameVariant(labels) => {
                let Some(entries) = node.entries() else {
                    return false;
                };
                let mut index = None;
                let mut changed = false;
                for label in labels.iter() {
                    let Some(field) = Self::field_of(obj, label) else {
                        continue;
                    };
                    let names = field.key.names();
                    let Some(pos) = entries.iter().position(|(k, _)| names.contains(&k.as_str())) else {
                        continue;
                    };
                    let used = names.iter().position(|n| *n == entries[pos].0).unwrap_or(0);
                    match index {
                        None => index = Some(used),
                        Some(i) if i != used => {
                            entries[pos].0 = names[i.min(names.len() - 1)].to_string();
                            changed = true;
                        }
                        Some(_) => {}
                    }
                }
                changed
            }
            Cross::KnownKeys { .. } | Cross::HeaderEqualsField { .. } => false,
        }
    }

    fn add(&mut self, obj: &Obj, node: &mut Node, label: &str) {
        if let Some(field) = Self::field_of(obj, label) {
            let value = self.item(&field.value, &[]);
            let name = field.key.names()[0];
            if let Some(entries) = node.entries() {
                set(entries, name, value);
            }
        }
    }

    fn remove(&mut self, obj: &Obj, node: &mut Node, label: &str, keep: &HashSet<&str>) {
        if keep.contains(label) {
            return;
        }
        if let (Some(field), Some(entries)) = (Self::field_of(obj, label), node.entries()) {
            entries.retain(|(k, _)| !field.key.names().contains(&k.as_str()));
        }
    }

    /// Makes the path `steps` exist below `node`, an instance of `obj`: a missing field is drawn
    /// and the object's cross rules repaired around it (never touching `protected`). False when
    /// the path cannot be made (a value of the wrong shape is in the way).
    fn ensure(&mut self, obj: &Obj, node: &mut Node, steps: &[Step], protected: &HashSet<&'static str>) -> bool {
        let Some((first, rest)) = steps.split_first() else {
            return true;
        };
        let Step::Key(label) = first else {
            return false;
        };
        let Some(field) = Self::field_of(obj, label) else {
            return false;
        };
        let names = field.key.names();
        let present = |node: &mut Node| {
            node.entries()
                .is_some_and(|e| e.iter().any(|(k, _)| names.contains(&k.as_str())))
        };
        if node.entries().is_none() {
            return false;
        }
        if !present(node) {
            let value = self.item(&field.value, rest);
            if let Some(entries) = node.entries() {
                set(entries, names[0], value);
            }
            let keep: HashSet<&str> = protected.iter().copied().chain([field.key.label()]).collect();
            self.repair(obj, node, &keep, None);
        }
        let Some(child) = node
            .entries()
            .and_then(|e| e.iter_mut().find(|(k, _)| names.contains(&k.as_str())))
            .map(|(_, v)| v)
        else {
            return false;
        };
        self.ensure_item(&field.value, child, rest, protected)
    }

    fn ensure_item(&mut self, item: &Item, node: &mut Node, steps: &[Step], protected: &HashSet<&'static str>) -> bool {
        if steps.is_empty() {
            return true;
        }
        match (&item.kind, node) {
            (Kind::JsonString(inner), Node::Embedded(content)) => self.ensure_item(inner, content, steps, protected),
            (Kind::Object(obj), node @ Node::Obj(_)) => self.ensure(obj, node, steps, protected),
            (Kind::Array(inner), Node::Arr(items)) => {
                if steps[0] != Step::Index(0) {
                    return false;
                }
                if items.is_empty() {
                    items.push(self.item(inner, &steps[1..]));
                }
                self.ensure_item(inner, &mut items[0], &steps[1..], protected)
            }
            (Kind::Map(inner), Node::Obj(entries)) => {
                let Step::Key(k) = &steps[0] else {
                    return false;
                };
                if !entries.iter().any(|(n, _)| n == k) {
                    let value = self.item(inner, &steps[1..]);
                    entries.push((k.clone(), value));
                }
                let Some((_, child)) = entries.iter_mut().find(|(n, _)| n == k) else {
                    return false;
                };
                self.ensure_item(inner, child, &steps[1..], protected)
            }
            _ => false,
        }
    }

    /// Replaces the value at `path` (object keys) with another valid value of its model; `None`
    /// when there is none there or no other value can be drawn.
    fn break_echo(&mut self, obj: &Obj, node: &mut Node, path: &[&str]) -> Option<()> {
        let (first, rest) = path.split_first()?;
        let field = obj.fields.iter().find(|f| f.key.names().contains(first))?;
        let child = node
            .entries()?
            .iter_mut()
            .find(|(k, _)| field.key.names().contains(&k.as_str()))
            .map(|(_, v)| v)?;
        if rest.is_empty() {
            let current = child.clone().into_value();
            for _ in 0..50 {
                let other = self.item(&field.value, &[]);
                let value = other.clone().into_value();
                // The same text as another JSON type would still be the same value to a reader
                // comparing loosely; draw a different text.
                let same_text = other.text().is_some() && other.text() == child.text();
                if value != current && !same_text {
                    *child = other;
                    return Some(());
                }
            }
            return None;
        }
        let inner = match (&field.value.kind, child) {
            (Kind::Object(inner), child) => (inner, child),
            (Kind::JsonString(item), Node::Embedded(content)) => match &item.kind {
                Kind::Object(inner) => (inner, &mut **content),
                _ => return None,
            },
            _ => return None,
        };
        self.break_echo(inner.0, inner.1, rest)
    }

    /// Applies the breach of `site` to the generated document.
    fn apply(&mut self, message: &Message, site: &Site, headers: &mut Node, body: &mut Node) {
        if let Breach::RootType = site.breach {
            *body = Node::Arr(Vec::new());
            return;
        }
        if let Breach::HeaderEquals { header, field } = site.breach {
            let value = body.get(field).and_then(Node::text).unwrap_or_default();
            if let Some(entries) = headers.entries() {
                set(entries, header, Node::Str(format!("{value}x")));
            }
            return;
        }
        let root = if site.header { headers } else { body };
        let (parent_steps, last) = match &site.breach {
            Breach::Cross(_) => (&site.steps[..], None),
            _ => (&site.steps[..site.steps.len() - 1], site.steps.last()),
        };
        let Some(parent) = descend(root, parent_steps) else {
            return;
        };
        match (&site.breach, last) {
            (Breach::Cross(rule), None) => {
                let obj = site.obj.as_ref().expect("cross sites carry their object");
                self.break_cross(obj, rule, parent);
            }
            (breach, Some(step)) => {
                let field = site.field.as_ref().expect("field sites carry their field");
                let item = site.item.as_ref().expect("field sites carry their item");
                let target = match step {
                    Step::Key(_) if !site.steps.is_empty() && matches!(breach, Breach::Required | Breach::Absent) => {
                        None
                    }
                    Step::Key(k) => {
                        let names: Vec<&str> = if field.key.label() == k {
                            field.key.names().to_vec()
                        } else {
                            vec![k.as_str()]
                        };
                        parent
                            .entries()
                            .and_then(|e| e.iter_mut().find(|(n, _)| names.contains(&n.as_str())))
                            .map(|(_, v)| v)
                    }
                    Step::Index(i) => match parent {
                        Node::Arr(items) => items.get_mut(*i),
                        Node::Embedded(inner) => match inner.as_mut() {
                            Node::Arr(items) => items.get_mut(*i),
                            _ => None,
                        },
                        _ => None,
                    },
                };
                match breach {
                    Breach::Required => {
                        if let Some(entries) = parent.entries() {
                            entries.retain(|(n, _)| !field.key.names().contains(&n.as_str()));
                        }
                    }
                    Breach::Absent => {
                        let v = self.item(&field.value, &[]);
                        if let Some(entries) = parent.entries() {
                            set(entries, field.key.names()[0], v);
                        }
                    }
                    Breach::Type => {
                        if let Some(t) = target {
                            *t = wrong_type(&item.kind);
                        }
                    }
                    Breach::Json => {
                        if let Some(t) = target {
                            *t = Node::Str("{\"not json\"".into());
                        }
                    }
                    Breach::Check(c) => {
                        if let Some(t) = target {
                            self.break_check(c, item, t);
                        }
                    }
                    _ => {}
                }
                let _ = message;
            }
            _ => {}
        }
    }

    fn break_check(&mut self, c: &Constraint, item: &Item, target: &mut Node) {
        let others: Vec<&Constraint> = item.checks.iter().map(|k| &k.constraint).filter(|k| *k != c).collect();
        let fits = |s: &str| others.iter().all(|o| o.check_str(s));
        let charset = item.checks.iter().find_map(|k| match k.constraint {
            Constraint::Charset(cs) => Some(cs),
            _ => None,
        });
        let fill = |rng: &mut ChaCha8Rng, n: usize| -> String {
            let cs = charset.unwrap_or(ALNUM);
            (0..n).map(|_| cs.sample(rng)).collect()
        };
        let current = target.text().unwrap_or_default();
        let broken: String = match c {
            // Keep the value's form (a URL stays a URL) and only make it too long, when the other
            // checks allow that; otherwise draw a long value from the charset.
            Constraint::MaxLen(n) => {
                let padded = format!(
                    "{current}{}",
                    "a".repeat((n + 1).saturating_sub(current.chars().count()))
                );
                if !current.is_empty() && fits(&padded) {
                    padded
                } else {
                    fill(self.rng, n + 1)
                }
            }
            Constraint::MinLen(n) => fill(self.rng, n.saturating_sub(1)),
            Constraint::Charset(cs) => {
                let outsider = cs.outsider().unwrap_or('\u{1}');
                let mut chars: Vec<char> = if current.is_empty() {
                    vec!['a']
                } else {
                    current.chars().collect()
                };
                let i = self.rng.random_range(0..chars.len());
                chars[i] = outsider;
                chars.into_iter().collect()
            }
            Constraint::Format(f) => f
                .near_misses()
                .iter()
                .find(|m| fits(m))
                .map(|m| (*m).to_string())
                .unwrap_or_else(|| f.near_misses()[0].to_string()),
            Constraint::Enum(vs) => ["INVALID", "invalid-value", "99"]
                .iter()
                .find(|v| !vs.contains(v) && fits(v))
                .unwrap_or(&"INVALID")
                .to_string(),
            // A number, but not the next one: in a family of numbered values (API versions,
            // flows) the next is often another valid value, which a server reads as that one
            // rather than refusing it as the broken constant.
            Constraint::Const(v) => match v.parse::<i64>() {
                Ok(n) => n.saturating_add(10).to_string(),
                Err(_) => format!("{v}X"),
            },
            Constraint::MediaType(_) => "text/plain".into(),
            Constraint::NotPrefixed(p) => format!("{p}{current}"),
            Constraint::MinItems(_) => {
                *target = match target {
                    Node::Embedded(_) => Node::Embedded(Box::new(Node::Arr(Vec::new()))),
                    _ => Node::Arr(Vec::new()),
                };
                return;
            }
        };
        *target = Node::Str(broken);
    }

    fn break_cross(&mut self, obj: &Obj, rule: &CrossRule, node: &mut Node) {
        let keep: HashSet<&str> = rule.kind.fields().into_iter().collect();
        match &rule.kind {
            Cross::Together(keys) => {
                for k in keys.iter() {
                    if !Self::present(obj, node, k) {
                        self.add(obj, node, k);
                    }
                }
                let last = keys[keys.len() - 1];
                self.remove(obj, node, last, &HashSet::new());
            }
            Cross::RequiredWhen { field, when } => {
                self.force(obj, node, when, true, &HashSet::new());
                self.remove(obj, node, field, &HashSet::new());
            }
            Cross::AbsentUnless { field, when } => {
                if !Self::present(obj, node, field) {
                    self.add(obj, node, field);
                }
                if !self.force(obj, node, when, false, &HashSet::new())
                    && let Cond::NotIn(f, vs) = when
                    && let Some(entries) = node.entries()
                {
                    set(entries, f, Node::Str(vs[0].to_string()));
                }
            }
            Cross::ValueOnlyWhen { field, value, when } => {
                self.force(obj, node, when, false, &HashSet::new());
                if let Some(entries) = node.entries() {
                    set(entries, field, Node::Str((*value).to_string()));
                }
            }
            Cross::EqualAmounts { a, b, when } => {
                self.force(obj, node, when, true, &HashSet::new());
                if !Self::present(obj, node, a) {
                    self.add(obj, node, a);
                }
                let x = Self::text_of(obj, node, a).unwrap_or_else(|| "1.00".into());
                let (int, frac) = x.split_once('.').unwrap_or((&x, "00"));
                let bumped = format!("{}.{frac}", int.parse::<u64>().unwrap_or(0) + 1);
                if let Some(entries) = node.entries() {
                    set(entries, b, Node::Str(bumped));
                }
            }
            Cross::Before { earlier, later } => {
                for f in [earlier, later] {
                    if !Self::present(obj, node, f) {
                        self.add(obj, node, f);
                    }
                }
                if let Some(e) = Self::text_of(obj, node, earlier)
                    && let Some(entries) = node.entries()
                {
                    set(entries, later, Node::Str(e));
                }
            }
            Cross::NotAbove { amount, limit } => {
                for f in [amount, limit] {
                    if !Self::present(obj, node, f) {
                        self.add(obj, node, f);
                    }
                }
                let l = Self::text_of(obj, node, limit).unwrap_or_else(|| "1.00".into());
                let (int, frac) = l.split_once('.').unwrap_or((&l, "00"));
                let above = format!("{}.{frac}", int.parse::<u64>().unwrap_or(0) + 1);
                if let Some(entries) = node.entries() {
                    set(entries, amount, Node::Str(above));
                }
            }
            Cross::KnownKeys { prefix } => {
                if let Some(entries) = node.entries() {
                    set(
                        entries,
                        &format!("{prefix}UNKNOWN_PSP:gateway_reference_id"),
                        Node::Str("ABC123".into()),
                    );
                }
            }
            Cross::SameVariant(labels) => {
                for label in labels.iter() {
                    if !Self::present(obj, node, label) {
                        self.add(obj, node, label);
                    }
                }
                let last = labels[labels.len() - 1];
                if let (Some(field), Some(entries)) = (Self::field_of(obj, last), node.entries()) {
                    let names = field.key.names();
                    let first_label = labels[0];
                    let first_index = Self::field_of(obj, first_label).and_then(|f| {
                        let n = f.key.names();
                        entries.iter().find_map(|(k, _)| n.iter().position(|x| x == k))
                    });
                    if let Some(e) = entries.iter_mut().find(|(k, _)| names.contains(&k.as_str())) {
                        let other = (first_index.unwrap_or(0) + 1) % names.len();
                        e.0 = names[other].to_string();
                    }
                }
            }
            Cross::HeaderEqualsField { .. } => {}
        }
        self.repair(obj, node, &keep, Some(rule.name));
    }
}

fn wrong_type(kind: &Kind) -> Node {
    match kind {
        Kind::Str | Kind::JsonString(_) => Node::Int(12345),
        Kind::IntOrStr => Node::Bool(true),
        Kind::Bool => Node::Str("true".into()),
        Kind::Object(_) | Kind::Map(_) => Node::Arr(Vec::new()),
        Kind::Array(_) => Node::Obj(Vec::new()),
    }
}

fn set(entries: &mut Vec<(String, Node)>, key: &str, value: Node) {
    match entries.iter_mut().find(|(k, _)| k == key) {
        Some((_, v)) => *v = value,
        None => entries.push((key.to_string(), value)),
    }
}

fn descend<'n>(node: &'n mut Node, steps: &[Step]) -> Option<&'n mut Node> {
    let Some((first, rest)) = steps.split_first() else {
        return Some(node);
    };
    let next = match (node, first) {
        (Node::Embedded(inner), _) => return descend(inner, steps),
        (Node::Obj(entries), Step::Key(k)) => entries.iter_mut().find(|(n, _)| n == k).map(|(_, v)| v)?,
        (Node::Arr(items), Step::Index(i)) => items.get_mut(*i)?,
        _ => return None,
    };
    descend(next, rest)
}
