//! A drawn object as the cross-rule kinds change it ([`crate::model::Draft`]): their repairs
//! and breaches, done with the generator's field operations.

use std::collections::HashSet;

use rand::Rng;

use super::Generator;
use super::tree::{Node, set};
use crate::model::{Cond, Draft, Field, Obj};

/// An object of model `obj` being drawn, and for rules between headers and body, the headers.
pub(super) struct Object<'a, 'r> {
    pub(super) g: &'a mut Generator<'r>,
    pub(super) obj: &'a Obj,
    pub(super) node: &'a mut Node,
    pub(super) headers: Option<&'a mut Node>,
}

impl Object<'_, '_> {
    /// The entries of the object (through a stringified JSON), if it is one.
    fn entries(&self) -> Option<&[(String, Node)]> {
        let mut node: &Node = self.node;
        loop {
            match node {
                Node::Obj(e) => return Some(e),
                Node::Embedded(inner) => node = inner,
                _ => return None,
            }
        }
    }
}

impl Draft for Object<'_, '_> {
    fn field(&self, label: &str) -> Option<&Field> {
        Generator::field_of(self.obj, label)
    }

    fn present(&self, label: &str) -> bool {
        Generator::present(self.obj, self.node, label)
    }

    fn text(&self, label: &str) -> Option<String> {
        Generator::text_of(self.obj, self.node, label)
    }

    fn key_text(&self, key: &str) -> Option<String> {
        self.node.get(key).and_then(Node::text)
    }

    fn holds(&self, cond: &Cond) -> bool {
        Generator::holds(self.obj, self.node, cond)
    }

    fn force(&mut self, cond: &Cond, want: bool, keep: &HashSet<&str>) -> bool {
        self.g.force(self.obj, self.node, cond, want, keep)
    }

    fn add(&mut self, label: &str) {
        self.g.add(self.obj, self.node, label);
    }

    fn remove(&mut self, label: &str, keep: &HashSet<&str>) {
        self.g.remove(self.obj, self.node, label, keep);
    }

    fn set(&mut self, key: &str, value: String) {
        if let Some(entries) = self.node.entries() {
            set(entries, key, Node::Str(value));
        }
    }

    fn variant(&self, label: &str) -> Option<usize> {
        let names = self.field(label)?.key.names();
        self.entries()?
            .iter()
            .find_map(|(k, _)| names.iter().position(|n| n == k))
    }

    fn rename(&mut self, label: &str, variant: usize) {
        let Some(field) = Generator::field_of(self.obj, label) else {
            return;
        };
        let names = field.key.names();
        if let Some(entry) = self
            .node
            .entries()
            .and_then(|e| e.iter_mut().find(|(k, _)| names.contains(&k.as_str())))
        {
            entry.0 = names[variant.min(names.len() - 1)].to_string();
        }
    }

    fn days_ms(&mut self) -> u64 {
        self.g.rng.random_range(1..400u64) * 86_400_000
    }

    fn set_header(&mut self, name: &str, value: String) -> bool {
        match self.headers.as_mut().and_then(|h| h.entries()) {
            Some(entries) => {
                set(entries, name, Node::Str(value));
                true
            }
            None => false,
        }
    }
}
