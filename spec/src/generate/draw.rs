//! Drawing valid values: a field's presence, its wire name and a value satisfying every check,
//! then the object's cross rules repaired (see [`super::repair`]).

use std::collections::HashSet;

use rand::Rng;

use super::Generator;
use super::draft::Object;
use super::tree::Node;
use crate::constraint::ConstraintKind;
use crate::model::{Field, Item, Kind, Message, Obj, Presence};
use crate::sites::Step;

impl Generator<'_> {
    /// Headers and body; `focus` is a body path that must exist (its ancestors too).
    pub(super) fn message(
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
        let mut body = self.object(&m.body, focus, protected, false);
        // Rules between headers and body: the headers are made to hold them.
        for rule in &m.rules {
            let mut draft = Object {
                g: self,
                obj: &m.body,
                node: &mut body,
                headers: Some(&mut headers),
            };
            rule.kind.with_kind(|k| k.repair(&mut draft, &HashSet::new()));
        }
        (headers, body)
    }

    pub(super) fn object(&mut self, obj: &Obj, focus: &[Step], protected: &HashSet<&'static str>, all: bool) -> Node {
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
                // A unicode document targets every free-text field: the optional ones are
                // always there, so whether the check runs never depends on the seed.
                Presence::Optional | Presence::Conditional => {
                    all || self.unicode || focused == Some(label) || self.rng.random_bool(0.5)
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

    pub(super) fn wire_name(&mut self, field: &Field) -> String {
        let names = field.key.names();
        names[self.rng.random_range(0..names.len())].to_string()
    }

    pub(super) fn item(&mut self, item: &Item, focus: &[Step]) -> Node {
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
                let min = item.checks.iter().find_map(|c| c.constraint.kind().min_items());
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
    pub(super) fn string(&mut self, checks: &[crate::model::Check]) -> String {
        let kinds: Vec<&dyn ConstraintKind> = checks.iter().map(|c| c.constraint.kind()).collect();
        crate::constraint::draw(&kinds, self.unicode, self.rng)
    }
}
