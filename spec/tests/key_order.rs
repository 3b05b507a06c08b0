//! The validator finds an object's keys in any order: it looks them up in the model's field
//! order with a cursor (`validate::Entries`), so a document whose keys come in another order
//! must get the same verdicts as one in the model's order. Checked on every message's valid
//! documents and on a document breaking each rule, with every object's keys reversed.

use serde_json::{Map, Value};
use upi_spec::generate::{breaking, valid};
use upi_spec::input::Document;
use upi_spec::validate::validate;
use upi_spec::{catalogue, messages};

/// `value` with the keys of every object, at every depth, in reverse order.
fn reversed(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .rev()
                .map(|(k, v)| (k.clone(), reversed(v)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(reversed).collect()),
        other => other.clone(),
    }
}

/// The verdicts as (rule, position) pairs in a stable order: a reason may list keys in
/// document order, so it is left out.
fn verdicts(message: &upi_spec::model::Message, document: &Document) -> Vec<(String, String)> {
    let mut out: Vec<_> = validate(message, document)
        .into_iter()
        .map(|v| (v.rule, v.at))
        .collect();
    out.sort();
    out
}

#[test]
fn reversed_keys_get_the_same_verdicts() {
    let mut compared = 0;
    let mut reordered = 0;
    for message in messages::all() {
        let mut documents = vec![valid(message, 0), valid(message, 1)];
        documents.extend(
            catalogue::rules_of(message)
                .iter()
                .filter_map(|rule| breaking(message, &rule.id, 0)),
        );
        for document in documents {
            let flipped = Document {
                headers: document.headers.clone(),
                body: reversed(&document.body),
            };
            // `Value`'s equality ignores key order: the texts show whether the order changed.
            let (before, after) = (document.body.to_string(), flipped.body.to_string());
            reordered += usize::from(before != after);
            assert_eq!(
                verdicts(message, &document),
                verdicts(message, &flipped),
                "{}: key order changed the verdicts\n{}",
                message.id,
                document.body
            );
            compared += 1;
        }
    }
    assert!(
        compared > 500 && reordered > 400,
        "{compared} documents, {reordered} reordered"
    );
}
