//! The generated tree: like JSON, but a stringified-JSON field keeps its content as a tree
//! until the document is serialised, so mutations can reach inside it.

use serde_json::{Map, Value};

use crate::model::{Item, Kind};
use crate::sites::Step;

/// A generated tree: like JSON, but a stringified-JSON field keeps its content as a tree until
/// the document is serialised, so mutations can reach inside it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
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
    pub(super) fn into_value(self) -> Value {
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
    pub(super) fn of_value(value: &Value, item: Option<&Item>) -> Node {
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

    pub(super) fn entries(&mut self) -> Option<&mut Vec<(String, Node)>> {
        match self {
            Node::Obj(e) => Some(e),
            Node::Embedded(inner) => inner.entries(),
            _ => None,
        }
    }

    pub(super) fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Obj(e) => e.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            Node::Embedded(inner) => inner.get(key),
            _ => None,
        }
    }

    pub(super) fn text(&self) -> Option<String> {
        match self {
            Node::Str(s) => Some(s.clone()),
            Node::Int(i) => Some(i.to_string()),
            Node::Bool(b) => Some(b.to_string()),
            Node::Raw(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        }
    }
}

pub(super) fn set(entries: &mut Vec<(String, Node)>, key: &str, value: Node) {
    match entries.iter_mut().find(|(k, _)| k == key) {
        Some((_, v)) => *v = value,
        None => entries.push((key.to_string(), value)),
    }
}

pub(super) fn descend<'n>(node: &'n mut Node, steps: &[Step]) -> Option<&'n mut Node> {
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
