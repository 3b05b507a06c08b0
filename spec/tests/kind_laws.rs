//! The laws every constraint and cross-rule kind keeps, checked at every site of every message
//! model (data-driven: the sites are the models'):
//! - constraints: the value drawn from a value's constraints passes the kind's check; each value
//!   the kind breaks it with (both sides of a two-sided bound) fails it; the kind's JSON Schema fragment
//!   accepts and rejects the same values as the check; the validator reports exactly the site's
//!   rule for a document breaking it;
//! - cross rules: every field a rule reads is a field of its object, and its statement names
//!   them; a generated valid document passes the rule and its schema fragment, a document
//!   breaking it is reported with exactly that rule and fails the fragment.

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};
use upi_spec::constraint::{self, Broken, ConstraintKind};
use upi_spec::generate;
use upi_spec::messages;
use upi_spec::model::{Item, Message};
use upi_spec::sites::{Locus, Step, sites};
use upi_spec::validate::validate;

const SEEDS: u64 = 3;

fn fragment_validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft202012::new(schema).unwrap_or_else(|e| panic!("fragment {schema} does not compile: {e}"))
}

/// The rule IDs the validator reports for the document breaking `rule` of `message` (seed `seed`).
fn reported(message: &Message, rule: &str, seed: u64) -> Vec<String> {
    let doc = generate::breaking(message, rule, seed).unwrap_or_else(|| panic!("{rule}: no breaking document"));
    validate(message, &doc).into_iter().map(|v| v.rule).collect()
}

/// What one kind's laws were checked on, for the coverage assertions.
#[derive(Default)]
struct Tally {
    sites: usize,
    values: usize,
}

/// The constraint laws for one site: `kind` is one of `item`'s constraints.
fn constraint_laws(site_rule: &str, item: &Item, kind: &dyn ConstraintKind, index: usize, tally: &mut Tally) {
    let kinds: Vec<&dyn ConstraintKind> = item.checks.iter().map(|c| c.constraint.kind()).collect();
    let others: Vec<&dyn ConstraintKind> = kinds
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, k)| *k)
        .collect();
    let charset = kinds.iter().find_map(|k| k.charset());
    let int_or_str = item.kind.json_type() == "integer or string";
    let fragment = kind.schema(int_or_str);
    if let Some(min) = kind.min_items() {
        // A bound on array items: judged on the item count.
        let schema = json!({"type": "array", "minItems": min});
        assert_eq!(fragment.keywords, vec![("minItems", json!(min))], "{site_rule}");
        let v = fragment_validator(&schema);
        let valid = vec![Value::Null; min.max(1)];
        assert!(
            kind.check_items(valid.len()) && v.is_valid(&json!(valid)),
            "{site_rule}"
        );
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let broken = constraint::breach(kind, &others, charset, "", false, &mut rng);
        assert_eq!(broken, Broken::NoItems, "{site_rule}");
        assert!(!kind.check_items(0) && !v.is_valid(&json!([])), "{site_rule}");
        tally.values += 2;
        return;
    }
    let v = fragment_validator(&fragment.for_string());
    for seed in 0..SEEDS {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let valid = constraint::draw(&kinds, false, &mut rng);
        assert!(kind.check_str(&valid), "{site_rule}: drawn {valid:?} fails the check");
        assert!(
            kinds.iter().all(|k| k.check_str(&valid)),
            "{site_rule}: drawn {valid:?} fails a check"
        );
        assert!(
            v.is_valid(&json!(valid)),
            "{site_rule}: the fragment refuses the drawn {valid:?}"
        );
        let sides: &[bool] = if kind.other_side().is_some() {
            &[false, true]
        } else {
            &[false]
        };
        for &other_side in sides {
            let broken = match constraint::breach(kind, &others, charset, &valid, other_side, &mut rng) {
                Broken::Text(t) => t,
                Broken::NoItems => panic!("{site_rule}: a string constraint broken as an array"),
            };
            assert!(
                !kind.check_str(&broken),
                "{site_rule}: broken {broken:?} passes the check"
            );
            assert!(
                !v.is_valid(&json!(broken)),
                "{site_rule}: the fragment accepts the broken {broken:?}"
            );
            tally.values += 2;
        }
    }
}

/// The value at `steps` of `value` (object keys, the first array item; strings holding JSON are
/// read through).
fn at(value: &Value, steps: &[Step]) -> Option<Value> {
    let mut current = value.clone();
    for step in steps {
        if let Value::String(s) = &current {
            current = serde_json::from_str(s).ok()?;
        }
        current = match step {
            Step::Key(k) => current.get(k)?.clone(),
            Step::Index(i) => current.get(i)?.clone(),
        };
    }
    match current {
        Value::String(s) => serde_json::from_str(&s).ok(),
        other => Some(other),
    }
}

#[test]
fn every_constraint_kind_keeps_its_laws_at_every_site() {
    let mut tally: BTreeMap<&'static str, Tally> = BTreeMap::new();
    for message in messages::all() {
        for site in sites(message) {
            let Locus::Check { item, check, .. } = site.locus else {
                continue;
            };
            let index = item
                .checks
                .iter()
                .position(|c| std::ptr::eq(c, check))
                .expect("the site's check is its item's");
            let kind = check.constraint.kind();
            let t = tally.entry(kind.suffix()).or_default();
            t.sites += 1;
            constraint_laws(&site.rule, item, kind, index, t);
            assert_eq!(reported(message, &site.rule, 0), vec![site.rule.clone()], "validator");
        }
    }
    for suffix in [
        "min-length",
        "max-length",
        "charset",
        "format",
        "enum",
        "const",
        "media-type",
        "min-items",
        "prefix",
    ] {
        let t = tally.get(suffix).unwrap_or_else(|| panic!("no site of kind {suffix}"));
        assert!(t.sites > 0 && t.values > 0, "{suffix}");
    }
}

/// A value set compared without letter case: the check and its schema pattern agree on every
/// case of every value, and on near misses.
#[test]
fn enum_ignore_case_check_and_pattern_agree() {
    let mut seen = 0;
    for message in messages::all() {
        for site in sites(message) {
            let Locus::Check { check, .. } = site.locus else {
                continue;
            };
            let kind = check.constraint.kind();
            let Some(values) = kind
                .values()
                .filter(|_| kind.statement("x").contains("any letter case"))
            else {
                continue;
            };
            seen += 1;
            let v = fragment_validator(&kind.schema(false).for_string());
            for value in values {
                let mixed: String = value
                    .chars()
                    .enumerate()
                    .map(|(i, c)| {
                        if i % 2 == 0 {
                            c.to_ascii_lowercase()
                        } else {
                            c.to_ascii_uppercase()
                        }
                    })
                    .collect();
                for accepted in [value.to_string(), value.to_lowercase(), value.to_uppercase(), mixed] {
                    assert!(kind.check_str(&accepted), "{}: {accepted:?}", site.rule);
                    assert!(
                        v.is_valid(&json!(accepted)),
                        "{}: pattern refuses {accepted:?}",
                        site.rule
                    );
                }
                let near = [
                    format!("{value}X"),
                    format!(" {value}"),
                    value[1..].to_string(),
                    String::new(),
                ];
                for refused in near {
                    assert!(!kind.check_str(&refused), "{}: {refused:?}", site.rule);
                    assert!(
                        !v.is_valid(&json!(refused)),
                        "{}: pattern accepts {refused:?}",
                        site.rule
                    );
                }
            }
        }
    }
    assert!(seen > 0, "no value set compared without letter case in the models");
}

#[test]
fn every_cross_kind_keeps_its_laws_at_every_site() {
    let mut kinds_seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut fragments_judged = 0;
    for message in messages::all() {
        let valid: Vec<Value> = (0..SEEDS).map(|s| generate::valid(message, s).body).collect();
        for site in sites(message) {
            let (rule, obj) = match site.locus {
                Locus::Cross { rule, obj } => (rule, obj),
                Locus::HeaderEquals { rule, .. } => (rule, &message.body),
                _ => continue,
            };
            let kind_name = format!("{:?}", rule.kind);
            let kind_name = kind_name.split([' ', '(', '{']).next().unwrap_or_default().to_string();
            *kinds_seen.entry(kind_name).or_default() += 1;
            let (statement, fields, fragment) = rule.kind.with_kind(|k| (k.describe(), k.fields(), k.schema(obj)));
            for f in &fields {
                assert!(
                    obj.fields.iter().any(|x| x.key.label() == *f),
                    "{}: reads {f}, which its object does not have",
                    site.rule
                );
                assert!(statement.contains(f), "{}: {statement:?} does not name {f}", site.rule);
            }
            for (seed, body) in valid.iter().enumerate() {
                let doc = generate::valid(message, seed as u64);
                assert!(
                    validate(message, &doc).iter().all(|v| v.rule != site.rule),
                    "{}: a valid document breaks it",
                    site.rule
                );
                if let (Some(fragment), Some(instance)) = (&fragment, at(body, &site.steps)) {
                    assert!(
                        fragment_validator(fragment).is_valid(&instance),
                        "{}: the fragment refuses a valid instance {instance}",
                        site.rule
                    );
                    fragments_judged += 1;
                }
            }
            for seed in 0..SEEDS {
                assert_eq!(
                    reported(message, &site.rule, seed),
                    vec![site.rule.clone()],
                    "seed {seed}"
                );
                if let Some(fragment) = &fragment {
                    let doc = generate::breaking(message, &site.rule, seed).expect("a breaking document");
                    let instance = at(&doc.body, &site.steps)
                        .unwrap_or_else(|| panic!("{}: the broken object is not at its site", site.rule));
                    assert!(
                        !fragment_validator(fragment).is_valid(&instance),
                        "{}: the fragment accepts the broken {instance}",
                        site.rule
                    );
                    fragments_judged += 1;
                }
            }
        }
    }
    let expected = [
        "Together",
        "RequiredWhen",
        "AbsentUnless",
        "ValueOnlyWhen",
        "EqualAmounts",
        "NotAbove",
        "KnownKeys",
        "SameVariant",
        "Before",
        "HeaderEqualsField",
    ];
    let missing: Vec<&&str> = expected.iter().filter(|k| !kinds_seen.contains_key(**k)).collect();
    assert!(
        missing.is_empty(),
        "cross kinds without a site in the models: {missing:?} (seen {kinds_seen:?})"
    );
    assert!(fragments_judged > 0);
}
