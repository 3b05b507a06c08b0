//! A rule's grounding is the one its own ID and source give (`grounding::of`): a declaration
//! that overrides a rule's source after the rule was built (`Rule { source, ..rule(...) }`, as
//! the capture readers' pairing rules did) leaves a grounding that cites another section than
//! the rule's source. Non-field rules are declared as `RuleDef` tables and built with
//! `RuleDef::rule`, which grounds on the declaration's own source.

use upi_spec::rule::{Rule, RuleDef, SchemaCoverage, Severity};
use upi_spec::source::{Source, seeds};
use upi_spec::{catalogue, grounding};

/// The rules whose grounding is not the one their ID and source give, as `id: why`.
fn misgrounded(rules: &[Rule]) -> Vec<String> {
    rules
        .iter()
        .filter(|r| r.grounding != grounding::of(&r.id, &r.source))
        .map(|r| {
            format!(
                "{}: grounding {:?} does not follow its source {}",
                r.id, r.grounding, r.source
            )
        })
        .collect()
}

#[test]
fn every_rule_is_grounded_on_its_own_source() {
    let rules = catalogue::all();
    assert!(rules.len() > 500, "only {} rules", rules.len());
    let found = misgrounded(&rules);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_check_sees_a_source_overridden_after_grounding() {
    // A deliberately broken declaration: the source replaced after the rule was grounded.
    let def = RuleDef {
        id: "tpap.pairing.example",
        statement: "a captured request is answered",
        severity: Severity::Should,
        source: Source::seed(
            seeds::TPAP_SDK,
            "IN-APP UPI with UI > 1. Get Session Token > Process Parameters",
        ),
        scope: "audit",
    };
    let why = SchemaCoverage::NotExpressible { why: "test" };
    let broken = Rule {
        source: Source::seed(
            seeds::TPAP_SDK,
            "IN-APP UPI with UI > 1. Get Session Token > Response Payload",
        ),
        ..def.rule(why.clone())
    };
    let fixed = RuleDef {
        source: broken.source,
        ..def
    }
    .rule(why);
    assert_eq!(misgrounded(&[broken]).len(), 1);
    assert!(misgrounded(&[fixed]).is_empty());
}
