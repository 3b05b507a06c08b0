//! Per-rule mutants: proof that every rejection case can fail. The runner plans one rejection
//! case per `must` and per `should` request rule (a message breaking exactly that rule). Here
//! each of them runs, alone and with the seed of `detection_matrix`, against a reference server
//! started with `ignore-rule=RULE`, which ignores exactly that rule wherever it enforces it: a
//! `must` rule's case must fail there and a `should` rule's case must be a warning, each with a
//! finding naming the rule, because the mutant accepted the message; both pass on the clean
//! server, a strict sandbox that refuses `should` rules too (`serve --lenient` does not; a clean
//! server that still leaves a declared `should` rule unenforced is reported as such).
//!
//! Some rules no server can ignore alone: another check refuses the same message for its own
//! reason (an empty merchant ID is no known merchant, a missing `txnid` leaves nothing to hash).
//! Those are listed in `golden/mutants/exempt.json`, each with the reason and a piece of the
//! refusal that remains. The list is a ratchet both ways: a listed case its mutant makes fail,
//! a listed refusal the mutant does not give, or an entry naming no rejection case fails this
//! test just as an unlisted case its mutant does not make fail.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use serde::Deserialize;
use upi_conformance::runner::case::{CaseKind, CaseResult, Outcome};
use upi_conformance::runner::config::RunConfig;
use upi_conformance::runner::plan::{self, Planned, Step};
use upi_conformance::runner::session::Session;
use upi_reference_server::{Fault, ServerConfig, spawn};
use upi_spec::Severity;

/// The seed of `detection_matrix`, whose clean run passes these same cases.
const SEED: u64 = 20_261_121;

const EXEMPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../golden/mutants/exempt.json");

/// `golden/mutants/exempt.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exemptions {
    exempt: Vec<Exempt>,
}

/// A rule whose rejection case still passes when the server ignores the rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exempt {
    /// The rule ID, exactly.
    rule: String,
    /// Text the mutant's answer contains: the refusal that remains.
    answer_contains: String,
    /// Why no server can ignore the rule alone.
    reason: String,
}

fn exemptions() -> BTreeMap<String, Exempt> {
    let text = std::fs::read_to_string(EXEMPT).expect("golden/mutants/exempt.json");
    let list: Exemptions =
        serde_json::from_str(&text).expect("exempt.json reads as {exempt: [{rule, answer_contains, reason}]}");
    let mut by_rule = BTreeMap::new();
    for e in list.exempt {
        assert!(!e.reason.trim().is_empty(), "{}: no reason", e.rule);
        assert!(!e.answer_contains.trim().is_empty(), "{}: no answer_contains", e.rule);
        let rule = e.rule.clone();
        assert!(by_rule.insert(rule.clone(), e).is_none(), "{rule} is listed twice");
    }
    by_rule
}

/// Runs one planned case against a fresh reference server with `fault`.
async fn run_alone(case: &Planned, fault: Option<Fault>) -> CaseResult {
    let server = spawn(ServerConfig::test_defaults().with_fault(fault))
        .await
        .expect("the reference server starts");
    let mut config = RunConfig::default();
    config.targets.base = Some(server.base_url());
    config.targets.sandbox = Some(server.base_url());
    let session = Session::new(config, SEED).await.expect("the runner starts");
    let result = session.run(case).await;
    server.shutdown().await.expect("the server stops");
    result
}

fn excerpt(text: &str) -> String {
    text.chars().take(200).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_rejection_case_fails_under_the_mutant_that_ignores_its_rule() {
    let started = Instant::now();
    let exempt = exemptions();
    let planned: Vec<Planned> = plan::plan(upi_spec::messages::apis(), &[], &[], 0)
        .into_iter()
        .filter(|c| c.kind == CaseKind::Reject)
        .collect();
    let not_over_http = planned.iter().filter(|c| matches!(c.step, Step::Skip { .. })).count();
    let cases: Vec<(&Planned, &str)> = planned
        .iter()
        .filter_map(|c| match &c.step {
            Step::Reject { rule, .. } => Some((c, rule.as_str())),
            _ => None,
        })
        .collect();
    assert!(cases.len() > 350, "only {} rejection cases", cases.len());

    let mut problems = Vec::new();
    let planned_rules: BTreeSet<&str> = cases.iter().map(|(_, rule)| *rule).collect();
    for rule in exempt.keys().filter(|r| !planned_rules.contains(r.as_str())) {
        problems.push(format!(
            "{rule}: listed in exempt.json, but no rejection case breaks it"
        ));
    }

    let mut detected = 0;
    let mut warned = 0;
    let mut unenforced = Vec::new();
    let mut survivors = Vec::new();
    let mut by_reading: Vec<(&str, String)> = Vec::new();
    for (case, rule) in &cases {
        let Step::Reject { api, severity, .. } = &case.step else {
            unreachable!("filtered above")
        };
        // What a server that accepts the breach gets: a failure for a must rule, a warning
        // naming the rule for a should rule.
        let expected = match severity {
            Severity::Must => Outcome::Fail,
            _ => Outcome::Warning,
        };
        let names_rule = |r: &CaseResult| r.findings.iter().any(|f| f.rule == *rule && f.severity == *severity);
        let clean = run_alone(case, None).await;
        if clean.outcome != Outcome::Pass {
            let declared_should = upi_spec::catalogue::declared(rule) == Some(Severity::Should);
            if declared_should && clean.outcome == expected && names_rule(&clean) {
                // A declared should rule the clean server does not enforce: the clean server is
                // this rule's mutant (none is expected of the strict sandbox; listed below).
                unenforced.push(*rule);
            } else {
                problems.push(format!("{}: fails on the clean server: {:?}", case.id, clean.findings));
            }
            continue;
        }
        let mutant = run_alone(case, Some(Fault::IgnoreRule((*rule).to_string()))).await;
        let answer = mutant.exchanges.last();
        // The case has judged and compacted its exchanges (the raw bytes are gone): the kept
        // body prefix tells a 200 refusal from an acceptance.
        let accepted = answer
            .is_some_and(|x| x.status.is_some() && !api.facts.refusal.matches(x.status, x.response_body.as_bytes()));
        let caught = mutant.outcome == expected && names_rule(&mutant);
        if caught && expected == Outcome::Warning {
            warned += 1;
        }
        let body = answer.map(|x| x.response_body.as_str()).unwrap_or_default();
        // A rule a listed non-default reading relaxes: the mutant serves that reading, and the
        // case reports its acceptance as `acceptable` (never failing), which is the point.
        if let Outcome::Acceptable { reading } = &mutant.outcome {
            let relaxed = upi_spec::readings::find(reading).is_some_and(|r| !r.default && r.rules.contains(rule));
            if relaxed {
                by_reading.push((*rule, reading.clone()));
            } else {
                problems.push(format!(
                    "{}: acceptable under {reading}, a reading that does not relax {rule}",
                    case.id
                ));
            }
            continue;
        }
        match (accepted && caught, exempt.get(*rule)) {
            (true, None) => detected += 1,
            (true, Some(_)) => problems.push(format!(
                "{rule}: listed in exempt.json, but its mutant makes the case fail: remove the entry"
            )),
            (false, None) => problems.push(format!(
                "{}: passes against the server that ignores {rule} (outcome {}, answer {:?} {}): \
                 fix the case, or list the rule in exempt.json with the reason",
                case.id,
                mutant.outcome.label(),
                answer.and_then(|x| x.status),
                excerpt(body)
            )),
            (false, Some(e)) if !body.contains(&e.answer_contains) => problems.push(format!(
                "{rule}: exempt.json says the mutant still answers {:?}, but it answers {:?} {}",
                e.answer_contains,
                answer.and_then(|x| x.status),
                excerpt(body)
            )),
            (false, Some(e)) => survivors.push((*rule, e)),
        }
    }

    println!(
        "rule mutants: {} rejection cases ({} more skipped: not judged over HTTP)",
        cases.len(),
        not_over_http
    );
    println!(
        "  {detected} shown failing (must) or warning (should: {warned}) under the mutant that ignores their rule"
    );
    println!(
        "  {} should rules the reference server does not enforce (their model declares should): a warning on the clean server",
        unenforced.len()
    );
    for rule in &unenforced {
        println!("    {rule}");
    }
    println!(
        "  {} relaxed by a listed reading (acceptable under the mutant):",
        by_reading.len()
    );
    for (rule, reading) in &by_reading {
        println!("    {rule}: {reading}");
    }
    println!(
        "  {} exempt (golden/mutants/exempt.json): still refused for another reason",
        survivors.len()
    );
    for (rule, e) in &survivors {
        println!("    {rule}: refused with {:?}", e.answer_contains);
    }
    println!("  {:.1} s", started.elapsed().as_secs_f64());
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(warned > 0, "no should rule's case was shown warning under its mutant");
    assert_eq!(
        detected + survivors.len() + unenforced.len() + by_reading.len(),
        cases.len()
    );
}
