//! Drawing valid values: a field's presence, its wire name and a value satisfying every check,
//! then the object's cross rules repaired (see [`super::repair`]).

use std::collections::HashSet;

use rand::Rng;

use super::Generator;
use super::tree::{Node, set};
use crate::charset::ALNUM;
use crate::model::{Constraint, Cross, Field, Item, Kind, Message, Obj, Presence};
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
    pub(super) fn string(&mut self, checks: &[crate::model::Check]) -> String {
        for _ in 0..50 {
            let s = self.candidate(checks);
            if checks.iter().all(|c| c.constraint.check_str(&s)) {
                return s;
            }
        }
        self.candidate(checks)
    }

    pub(super) fn candidate(&mut self, checks: &[crate::model::Check]) -> String {
        let mut charset = ALNUM;
        let (mut min, mut max) = (1usize, 12usize);
        for c in checks {
            match &c.constraint {
                Constraint::Const(v) => return (*v).to_string(),
                Constraint::Enum(vs) | Constraint::EnumIgnoreCase(vs) => {
                    return vs[self.rng.random_range(0..vs.len())].to_string();
                }
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
}
