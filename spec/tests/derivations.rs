//! Laws that tie the derivations to the model: generated valid messages pass both the validator
//! and the JSON Schema; for every rule, a generated message breaking exactly that rule is
//! rejected by the validator with exactly that rule ID, and by the schema where the catalogue
//! says the schema enforces it; the validator never reports an ID the catalogue lacks.

use std::collections::{BTreeSet, HashMap};

use proptest::prelude::*;
use serde_json::Value;
use upi_spec::generate::{breaking, valid};
use upi_spec::messages;
use upi_spec::rule::SchemaCoverage;
use upi_spec::validate::validate;
use upi_spec::{Rule, catalogue, schema};

fn validators() -> HashMap<String, jsonschema::Validator> {
    schema::all()
        .into_iter()
        .map(|s| (s.stem, jsonschema::validator_for(&s.schema).expect("schema compiles")))
        .collect()
}

fn schema_document(body: &Value, document: &str) -> Option<Value> {
    schema::extract_document(body, document)
}

fn all_rules() -> Vec<Rule> {
    catalogue::message_rules()
}

#[test]
fn catalogue_ids_are_unique_and_sourced() {
    let rules = all_rules();
    let mut seen = BTreeSet::new();
    for r in &rules {
        assert!(seen.insert(r.id.clone()), "duplicate rule ID {}", r.id);
        assert_ne!(
            r.source.to_string(),
            "derived: no source recorded",
            "{} has no source",
            r.id
        );
    }
    assert!(rules.len() > 500, "only {} rules", rules.len());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn valid_messages_pass_validator_and_schema(seed: u64) {
        let schemas = validators();
        for message in messages::all() {
            let doc = valid(message, seed);
            let unicode = upi_spec::generate::valid_unicode(message, seed);
            let violations = validate(message, &unicode);
            prop_assert!(violations.is_empty(), "{} seed {} (unicode): {:?}\n{}", message.id, seed, violations, unicode.body);
            let violations = validate(message, &doc);
            prop_assert!(violations.is_empty(), "{} seed {}: {:?}\n{}", message.id, seed, violations, doc.body);
            for s in schema::for_message(message) {
                let document = s.stem.strip_prefix(message.id).unwrap_or("").trim_start_matches('.');
                if let Some(d) = schema_document(&doc.body, document) {
                    let errors: Vec<String> = schemas[&s.stem].iter_errors(&d).map(|e| e.to_string()).collect();
                    prop_assert!(errors.is_empty(), "{} schema {} rejects a valid message: {:?}\n{}", message.id, s.stem, errors, d);
                }
            }
        }
    }
}

#[test]
fn every_rule_has_a_message_breaking_exactly_it() {
    let schemas = validators();
    let known: BTreeSet<String> = all_rules().into_iter().map(|r| r.id).collect();
    let mut failures = Vec::new();
    let mut checked = 0;
    for seed in 0..6u64 {
        for message in messages::all() {
            for rule in catalogue::rules_of(message) {
                let Some(doc) = breaking(message, &rule.id, seed) else {
                    let syntax = format!("{}.{}", message.id, catalogue::syntax_rule(message).0);
                    assert!(
                        rule.id.contains(".echo.") || rule.id == syntax,
                        "no breaking message for {}",
                        rule.id
                    );
                    continue;
                };
                checked += 1;
                let got: BTreeSet<String> = validate(message, &doc).into_iter().map(|v| v.rule).collect();
                for id in &got {
                    assert!(known.contains(id), "validator reported {id}, which the catalogue lacks");
                }
                if got != BTreeSet::from([rule.id.clone()]) {
                    failures.push(format!(
                        "{} (seed {seed}): got {:?}\n  {}\n  headers {:?}",
                        rule.id, got, doc.body, doc.headers
                    ));
                    continue;
                }
                if let SchemaCoverage::Enforced { schema, document } = &rule.schema {
                    let accepted = schema_document(&doc.body, document).is_some_and(|d| schemas[schema].is_valid(&d));
                    if accepted {
                        failures.push(format!(
                            "{} (seed {seed}): schema {schema} accepts the breaking message\n  {}",
                            rule.id, doc.body
                        ));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} cases failed:\n{}",
        failures.len(),
        failures.iter().take(25).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// A request that sent what `answer` echoes: each echo's source set to the answer's value.
fn request_echoed_by(
    message: &upi_spec::model::Message,
    answer: &upi_spec::input::Document,
) -> upi_spec::input::Document {
    use upi_spec::model::EchoFrom;
    let mut body = serde_json::Map::new();
    let mut headers = Vec::new();
    for echo in &message.echoes {
        let Some(value) = upi_spec::validate::value_at(&answer.body, echo.response) else {
            continue;
        };
        match echo.from {
            EchoFrom::Body(path) => {
                let mut at = &mut body;
                for key in &path[..path.len() - 1] {
                    let next = at
                        .entry((*key).to_string())
                        .or_insert_with(|| Value::Object(serde_json::Map::new()));
                    let Value::Object(next) = next else {
                        unreachable!("built as objects")
                    };
                    at = next;
                }
                at.insert(path[path.len() - 1].to_string(), value.clone());
            }
            EchoFrom::Header(name) => {
                if let Some(text) = value.as_str() {
                    headers.push((name.to_string(), text.to_string()));
                }
            }
        }
    }
    upi_spec::input::Document {
        headers: Some(headers),
        body: Value::Object(body),
    }
}

/// The law behind `break-response-rule=RULE`: for every rule of every response message,
/// breaking a generated valid document of it yields exactly that rule's violation from the
/// validator (an echo rule: none from the validator and exactly that echo's, against a request
/// that sent what the valid document repeats).
#[test]
fn every_response_rule_breaks_exactly_in_a_given_document() {
    use upi_spec::generate::break_document;
    use upi_spec::model::Direction;
    use upi_spec::validate::check_echoes;
    let mut failures = Vec::new();
    let mut checked = 0;
    for seed in 0..6u64 {
        for message in messages::all().iter().filter(|m| m.direction == Direction::Response) {
            let doc = valid(message, seed);
            let request = request_echoed_by(message, &doc);
            assert!(check_echoes(message, &request, &doc).is_empty(), "{}", message.id);
            let syntax = format!("{}.{}", message.id, catalogue::syntax_rule(message).0);
            for rule in catalogue::rules_of(message).into_iter().filter(|r| r.id != syntax) {
                let echoed_absent = message.echoes.iter().any(|e| {
                    rule.id == format!("{}.echo.{}", message.id, e.response.join("."))
                        && upi_spec::validate::value_at(&doc.body, e.response).is_none()
                });
                let Some(broken) = break_document(message, &doc, &rule.id, seed) else {
                    // An echo of a value the answer does not carry has nothing to change.
                    if echoed_absent {
                        continue;
                    }
                    failures.push(format!("{} (seed {seed}): not broken in\n  {}", rule.id, doc.body));
                    continue;
                };
                checked += 1;
                // Breaking an echoed field's own rule changes the value it echoes too: the
                // validator sees exactly the rule, and only an echo rule's breach is an echo's.
                let mut got: BTreeSet<String> = validate(message, &broken).into_iter().map(|v| v.rule).collect();
                if rule.id.contains(".echo.") {
                    got.extend(check_echoes(message, &request, &broken).into_iter().map(|v| v.rule));
                }
                if got != BTreeSet::from([rule.id.clone()]) {
                    failures.push(format!(
                        "{} (seed {seed}): got {:?}\n  {}\n  from {}",
                        rule.id, got, broken.body, doc.body
                    ));
                }
            }
        }
    }
    assert!(checked > 600, "only {checked} breaches");
    assert!(
        failures.is_empty(),
        "{} of {checked} cases failed:\n{}",
        failures.len(),
        failures.iter().take(25).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// A two-sided bound is missed from both sides: the second rejection value breaks exactly the
/// same rule as the first, with another value (three decimals where the first has one).
#[test]
fn every_other_side_breaks_exactly_its_rule() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for seed in 0..4u64 {
        for message in messages::all() {
            for rule in catalogue::rules_of(message) {
                if !upi_spec::generate::has_other_side(message, &rule.id) {
                    assert!(upi_spec::generate::breaking_other_side(message, &rule.id, seed).is_none());
                    continue;
                }
                let doc = upi_spec::generate::breaking_other_side(message, &rule.id, seed)
                    .unwrap_or_else(|| panic!("no other-side message for {}", rule.id));
                let first = breaking(message, &rule.id, seed).expect("the first side exists");
                checked += 1;
                let got: BTreeSet<String> = validate(message, &doc).into_iter().map(|v| v.rule).collect();
                if got != BTreeSet::from([rule.id.clone()]) {
                    failures.push(format!("{} (seed {seed}): got {got:?}\n  {}", rule.id, doc.body));
                }
                if doc == first {
                    failures.push(format!("{} (seed {seed}): both sides send the same message", rule.id));
                }
            }
        }
    }
    assert!(checked > 0, "no rule has two sides");
    assert!(
        failures.is_empty(),
        "{} of {checked} cases failed:\n{}",
        failures.len(),
        failures.iter().take(25).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// The unicode acceptance document targets every free-text field, optional ones included,
/// whatever the seed: an optional top-level field no cross rule governs is always present.
#[test]
fn unicode_documents_carry_every_optional_field_for_every_seed() {
    use upi_spec::model::Presence;
    let mut missing = Vec::new();
    for message in messages::all() {
        let governed: BTreeSet<&str> = message
            .body
            .rules
            .iter()
            .chain(message.rules.iter())
            .flat_map(|r| r.kind.fields())
            .collect();
        for seed in 0..20u64 {
            let doc = upi_spec::generate::valid_unicode(message, seed);
            let Some(body) = doc.body.as_object() else { continue };
            for field in &message.body.fields {
                if !matches!(field.presence, Presence::Optional | Presence::Conditional)
                    || governed.contains(field.key.label())
                {
                    continue;
                }
                if !field.key.names().iter().any(|n| body.contains_key(*n)) {
                    missing.push(format!("{} seed {seed}: {}", message.id, field.key.label()));
                }
            }
        }
    }
    assert!(missing.is_empty(), "optional fields left out: {missing:#?}");
}
