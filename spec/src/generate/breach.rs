//! Breaking one rule of a valid tree: the breach of a [`Site`], applied last.

use std::collections::HashSet;

use super::draft::Object;
use super::tree::{Node, descend, set};
use super::{Breach, Generator, Site};
use crate::constraint::{self, Broken, ConstraintKind};
use crate::model::{Constraint, CrossRule, Item, Kind, Message, Obj};
use crate::sites::Step;

impl Generator<'_> {
    /// Replaces the value at `path` (object keys) with another valid value of its model; `None`
    /// when there is none there or no other value can be drawn.
    pub(super) fn break_echo(&mut self, obj: &Obj, node: &mut Node, path: &[&str]) -> Option<()> {
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
    pub(super) fn apply(&mut self, message: &Message, site: &Site, headers: &mut Node, body: &mut Node) {
        if let Breach::RootType = site.breach {
            *body = Node::Arr(Vec::new());
            return;
        }
        if let Breach::HeaderEquals { rule, .. } = &site.breach {
            let mut draft = Object {
                g: self,
                obj: &message.body,
                node: body,
                headers: Some(headers),
            };
            rule.kind.with_kind(|k| k.breach(&mut draft));
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
            }
            _ => {}
        }
    }

    pub(super) fn break_check(&mut self, c: &Constraint, item: &Item, target: &mut Node) {
        let others: Vec<&dyn ConstraintKind> = item
            .checks
            .iter()
            .map(|k| &k.constraint)
            .filter(|k| *k != c)
            .map(Constraint::kind)
            .collect();
        let charset = item.checks.iter().find_map(|k| k.constraint.kind().charset());
        let current = target.text().unwrap_or_default();
        match constraint::breach(c.kind(), &others, charset, &current, self.other_side, self.rng) {
            Broken::Text(broken) => *target = Node::Str(broken),
            Broken::NoItems => {
                *target = match target {
                    Node::Embedded(_) => Node::Embedded(Box::new(Node::Arr(Vec::new()))),
                    _ => Node::Arr(Vec::new()),
                }
            }
        }
    }

    /// Breaks cross rule `rule` of `obj` in `node`, then repairs the object's other rules
    /// around the fields it reads.
    pub(super) fn break_cross(&mut self, obj: &Obj, rule: &CrossRule, node: &mut Node) {
        let keep: HashSet<&str> = rule.kind.fields().into_iter().collect();
        let mut draft = Object {
            g: self,
            obj,
            node,
            headers: None,
        };
        rule.kind.with_kind(|k| k.breach(&mut draft));
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
