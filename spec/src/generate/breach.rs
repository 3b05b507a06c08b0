//! Breaking one rule of a valid tree: the breach of a [`Site`], applied last.

use std::collections::HashSet;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::tree::{Node, descend, set};
use super::{Breach, Generator, Site};
use crate::charset::ALNUM;
use crate::model::{Cond, Constraint, Cross, CrossRule, Item, Kind, Message, Obj};
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

    pub(super) fn break_check(&mut self, c: &Constraint, item: &Item, target: &mut Node) {
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
            Constraint::Format(f) if self.other_side && f.other_side().is_some_and(&fits) => {
                f.other_side().unwrap_or_default().to_string()
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
            Constraint::EnumIgnoreCase(vs) => ["INVALID", "invalid-value", "99"]
                .iter()
                .find(|v| !vs.iter().any(|x| x.eq_ignore_ascii_case(v)) && fits(v))
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

    pub(super) fn break_cross(&mut self, obj: &Obj, rule: &CrossRule, node: &mut Node) {
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
