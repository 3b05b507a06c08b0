//! The rule catalogue, derived from the message models: one [`Rule`] per presence rule, type
//! rule, constraint, cross-field rule and echo rule, with the same IDs the validator reports.

use crate::messages;
use crate::model::Message;
use crate::rule::{Rule, SchemaCoverage, Severity};
use crate::sites::{Locus, Site, sites};

pub use crate::sites::syntax_rule;

const HEADER_WHY: &str = "headers are outside the body's JSON Schema";
const SHOULD_WHY: &str = "a recommendation; JSON Schema states only requirements";
const JSON_WHY: &str = "JSON Schema cannot parse a string as JSON; the content has its own schema";
const COMPARE_WHY: &str = "JSON Schema cannot compare two values";

/// Every rule of every message model.
pub fn message_rules() -> Vec<Rule> {
    messages::all().iter().flat_map(rules_of).collect()
}

/// The rules of one message, in model order: the sites of [`crate::sites::sites`], each read as a
/// rule with what the body's JSON Schema says of it.
pub fn rules_of(message: &Message) -> Vec<Rule> {
    sites(message)
        .into_iter()
        .map(|site| {
            let schema = coverage(&site);
            Rule {
                grounding: crate::grounding::of(&site.rule, &site.source),
                id: site.rule,
                statement: site.statement,
                severity: site.severity,
                source: site.source,
                scope: message.id.to_string(),
                schema,
            }
        })
        .collect()
}

/// Whether the body's JSON Schema enforces the rule of `site`, and if not, why.
fn coverage(site: &Site) -> SchemaCoverage {
    match site.locus {
        Locus::Json { .. } => return SchemaCoverage::NotExpressible { why: JSON_WHY },
        Locus::Cross { rule, .. } if rule.kind.with_kind(|k| k.compares()) => {
            return SchemaCoverage::NotExpressible { why: COMPARE_WHY };
        }
        _ => {}
    }
    match (&site.schema, site.severity) {
        (_, Severity::Should | Severity::Info) => SchemaCoverage::NotExpressible { why: SHOULD_WHY },
        (None, _) if site.rule.contains(".header.") => SchemaCoverage::NotExpressible { why: HEADER_WHY },
        (None, _) => SchemaCoverage::NotExpressible {
            why: "judged before or beyond the body's JSON Schema",
        },
        (Some((schema, document)), Severity::Must) => SchemaCoverage::Enforced {
            schema: schema.clone(),
            document: document.clone(),
        },
    }
}

static BY_ID: std::sync::LazyLock<std::collections::BTreeMap<String, Rule>> =
    std::sync::LazyLock::new(|| all().into_iter().map(|r| (r.id.clone(), r)).collect());

/// The catalogue's rule with this ID, if any (built once).
pub fn rule(id: &str) -> Option<&'static Rule> {
    BY_ID.get(id)
}

/// The severity the catalogue reports `id` with (the settled one for message rules), if `id` is
/// a catalogue rule. Findings take their severity from here, so a rule declared `should` (no
/// seed sentence states it) never fails a run, wherever it is checked.
pub fn severity(id: &str) -> Option<Severity> {
    rule(id).map(|r| r.severity)
}

/// The whole catalogue: every message rule plus the rules of the other rule families.
pub fn all() -> Vec<Rule> {
    let mut all = message_rules();
    all.extend(crate::crypto::rules());
    all.extend(crate::deeplink::rules());
    all.extend(crate::behaviour::rules());
    all.extend(crate::audit::rules());
    all.extend(crate::client_suites::rules());
    all
}

static DECLARED: std::sync::LazyLock<std::collections::BTreeMap<String, Severity>> = std::sync::LazyLock::new(|| {
    messages::all()
        .iter()
        .flat_map(sites)
        .map(|s| (s.rule, s.declared))
        .collect()
});

/// The severity the message model declares for `rule` before the grounding law (`None` for a
/// rule that is not a message rule). The reference server, which serves our reading, can refuse
/// on it; the runner judges with the settled severity the validator reports.
pub fn declared(rule: &str) -> Option<Severity> {
    DECLARED.get(rule).copied()
}
