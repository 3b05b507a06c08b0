//! Repairing cross-field rules (a field is added, removed or set so the rule holds, never
//! touching the protected fields) and making a path exist in a given document.

use std::collections::HashSet;

use rand::Rng;

use super::Generator;
use super::draft::Object;
use super::tree::{Node, set};
use crate::model::{Cond, CrossRule, Field, Item, Kind, Obj};
use crate::sites::Step;

/// A predicate on a field's text: whether a value makes a condition come out as wanted.
type Accepts = dyn Fn(&str) -> bool;

impl Generator<'_> {
    pub(super) fn repair(&mut self, obj: &Obj, node: &mut Node, keep: &HashSet<&str>, skip: Option<&str>) {
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

    pub(super) fn field_of<'o>(obj: &'o Obj, label: &str) -> Option<&'o Field> {
        obj.fields.iter().find(|f| f.key.label() == label)
    }

    pub(super) fn text_of(obj: &Obj, node: &Node, label: &str) -> Option<String> {
        let field = Self::field_of(obj, label)?;
        field
            .key
            .names()
            .iter()
            .find_map(|n| node.get(n))
            .and_then(Node::text)
            .or(field.default.map(str::to_string))
    }

    pub(super) fn present(obj: &Obj, node: &Node, label: &str) -> bool {
        Self::field_of(obj, label).is_some_and(|f| f.key.names().iter().any(|n| node.get(n).is_some()))
    }

    pub(super) fn holds(obj: &Obj, node: &Node, cond: &Cond) -> bool {
        match cond {
            Cond::Always => true,
            Cond::Eq(f, v) => Self::text_of(obj, node, f).as_deref() == Some(*v),
            Cond::In(f, vs) => Self::text_of(obj, node, f).is_some_and(|t| vs.contains(&t.as_str())),
            Cond::NotIn(f, vs) => Self::text_of(obj, node, f).is_some_and(|t| !vs.contains(&t.as_str())),
        }
    }

    /// Sets the condition's field so that the condition is `want`; false when impossible.
    pub(super) fn force(&mut self, obj: &Obj, node: &mut Node, cond: &Cond, want: bool, keep: &HashSet<&str>) -> bool {
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
            .find_map(|c| c.constraint.kind().values())
            .map(|vs| vs.iter().map(|s| (*s).to_string()).collect())
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

    /// Repairs one rule of `obj` in `node`; whether anything changed.
    pub(super) fn repair_one(&mut self, obj: &Obj, rule: &CrossRule, node: &mut Node, keep: &HashSet<&str>) -> bool {
        let mut draft = Object {
            g: self,
            obj,
            node,
            headers: None,
        };
        rule.kind.with_kind(|k| k.repair(&mut draft, keep))
    }

    pub(super) fn add(&mut self, obj: &Obj, node: &mut Node, label: &str) {
        if let Some(field) = Self::field_of(obj, label) {
            let value = self.item(&field.value, &[]);
            let name = field.key.names()[0];
            if let Some(entries) = node.entries() {
                set(entries, name, value);
            }
        }
    }

    pub(super) fn remove(&mut self, obj: &Obj, node: &mut Node, label: &str, keep: &HashSet<&str>) {
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
    pub(super) fn ensure(
        &mut self,
        obj: &Obj,
        node: &mut Node,
        steps: &[Step],
        protected: &HashSet<&'static str>,
    ) -> bool {
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

    pub(super) fn ensure_item(
        &mut self,
        item: &Item,
        node: &mut Node,
        steps: &[Step],
        protected: &HashSet<&'static str>,
    ) -> bool {
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
}
