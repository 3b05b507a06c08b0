//! Every field named in the seeds' parameter tables and samples (the inventory extracted from the
//! seeds into `golden/seeds/fields.json`) has a model. The inventory is data taken from the
//! seeds by reading them, not from our models.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use upi_spec::messages;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    path: Vec<String>,
    seed_name: String,
    #[serde(rename = "where")]
    place: String,
    section: String,
    from: String,
    #[serde(default)]
    discrepancy: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

#[test]
fn every_field_named_in_the_seeds_has_a_model() {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../golden/seeds/fields.json")).unwrap();
    let inventory: BTreeMap<String, Vec<Entry>> = serde_json::from_str(&text).unwrap();
    let mut missing = Vec::new();
    let mut count = 0;
    for (message_id, entries) in &inventory {
        let message =
            messages::find(message_id).unwrap_or_else(|| panic!("inventory names unknown message {message_id}"));
        let paths = message.field_paths();
        for entry in entries {
            count += 1;
            assert!(
                !entry.seed_name.is_empty() && !entry.section.is_empty(),
                "{message_id}: {:?} {:?}",
                entry.path,
                entry.note
            );
            assert!(
                ["table", "sample", "both"].contains(&entry.from.as_str()),
                "{message_id}: from {}",
                entry.from
            );
            let modelled = match entry.place.as_str() {
                "header" => message
                    .headers
                    .iter()
                    .any(|h| h.key.names().iter().any(|n| n.eq_ignore_ascii_case(&entry.path[0]))),
                "body" => paths.contains(&entry.path),
                other => panic!("{message_id}: unknown place {other}"),
            };
            if !modelled {
                missing.push(format!(
                    "{message_id}: {:?} ({}){}",
                    entry.path,
                    entry.seed_name,
                    entry
                        .discrepancy
                        .as_deref()
                        .map(|d| format!(" — {d}"))
                        .unwrap_or_default()
                ));
            }
        }
    }
    assert!(count > 500, "the inventory has only {count} fields");
    assert!(
        missing.is_empty(),
        "{} of {count} fields have no model:\n{}",
        missing.len(),
        missing.join("\n")
    );
}
