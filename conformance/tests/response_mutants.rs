//! Per-rule response mutants: proof that the runner's response checks can fail. The runner
//! judges every answer against its response model; here, for every `must` rule of every response
//! model the reference server answers with, a reference server started with
//! `break-response-rule=RULE` answers with that model breaking exactly that rule (and otherwise
//! as it would have), and at least one of the cases that receive that answer must fail with a
//! finding naming the rule.
//!
//! Some rules no answer of the planned cases can be made to break alone (the field is absent
//! from every answer the server gives them, an echo of a value those requests never send, ...).
//! Those are listed in `golden/mutants/response-exempt.json`, each with a reason category and
//! the reason. The list is a ratchet both ways: a listed rule that is in fact detected, or an
//! entry naming no `must` rule of a served response, fails this test just as an unlisted rule
//! no case detects.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Instant;

use serde::Deserialize;
use upi_conformance::runner::case::Outcome;
use upi_conformance::runner::cases::Flow;
use upi_conformance::runner::config::RunConfig;
use upi_conformance::runner::plan::{self, Planned, Step};
use upi_conformance::runner::session::Session;
use upi_reference_server::{Fault, ServerConfig, spawn};
use upi_spec::{Severity, catalogue, messages};

/// The seed of `detection_matrix`, whose clean run passes these same cases.
const SEED: u64 = 20_261_121;

/// Generated acceptance cases per API, besides the seed samples: drawn optional request fields
/// make the server answer with the optional response fields that echo them.
const GENERATED: usize = 3;

/// Mutant servers running at once.
const PARALLEL: usize = 4;

const EXEMPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../golden/mutants/response-exempt.json");

/// The response models the reference server sends, and which planned cases receive each: the
/// acceptances (and named flows) of the APIs whose success model it is, the rejections of the
/// APIs whose separate error model it is, and the S2S callback the sandbox flow
/// `callback-verify-udf` receives on its loopback receiver. The server's own list
/// (`fault::BREAKABLE_RESPONSES`, the models `break-response-rule` takes) is the same.
const SERVED: &[&str] = &[
    "ec.orders.response",
    "ec.txns.response",
    "ec.txns.error",
    "merchant.register-intent.v3.response",
    "merchant.register-intent.v2.response",
    "merchant.register-intent.v1.response",
    "merchant.register-intent.default.response",
    "payu.payment.response",
    "payu.payment.error",
    "payu.verify-payment.response",
    "payu.udf-update.response",
    "payu.udf-update.error",
    "payu.invoice-upload.response",
    "payu.postservice.error",
    "payu.callback",
];

/// The flow that receives the S2S callback (`payu.callback`).
const CALLBACK_FLOW: Flow = Flow::CallbackVerifyUdf;

/// `golden/mutants/response-exempt.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exemptions {
    exempt: Vec<Exempt>,
}

/// A response rule no planned case can be shown failing on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exempt {
    /// The rule ID, exactly.
    rule: String,
    /// A short reason category, for the summary.
    category: String,
    /// Why no case detects the rule's breach alone.
    reason: String,
}

fn exemptions() -> BTreeMap<String, Exempt> {
    let text = std::fs::read_to_string(EXEMPT).expect("golden/mutants/response-exempt.json");
    let list: Exemptions =
        serde_json::from_str(&text).expect("response-exempt.json reads as {exempt: [{rule, category, reason}]}");
    let mut by_rule = BTreeMap::new();
    for e in list.exempt {
        assert!(!e.reason.trim().is_empty(), "{}: no reason", e.rule);
        assert!(!e.category.trim().is_empty(), "{}: no category", e.rule);
        let rule = e.rule.clone();
        assert!(by_rule.insert(rule.clone(), e).is_none(), "{rule} is listed twice");
    }
    by_rule
}

/// Whether `case` receives answers of response model `model`.
fn receives(case: &Planned, model: &str) -> bool {
    if model == "payu.callback" {
        return matches!(case.step, Step::Flow { flow, .. } if flow == CALLBACK_FLOW);
    }
    match &case.step {
        Step::Accept { api, .. } | Step::Flow { api, .. } | Step::Security { api, .. } => {
            api.success == model || (model == "ec.orders.response" && api.suite == "ec-txns")
        }
        Step::Reject { api, .. } => {
            (api.error == model && api.error != api.success)
                || (model == "payu.postservice.error" && api.unroutable_error.is_some_and(|u| u == model))
        }
        Step::Skip { .. } => false,
    }
}

/// Runs `cases` in order against one server with `fault` until one fails with a finding naming
/// `rule` (when given); returns the ID of that case, or for a clean run the cases that pass.
async fn run(cases: &[Planned], fault: Option<Fault>, rule: Option<&str>) -> (Option<String>, Vec<String>) {
    let server = spawn(ServerConfig::test_defaults().with_fault(fault))
        .await
        .expect("the reference server starts");
    let mut config = RunConfig::default();
    config.targets.base = Some(server.base_url());
    config.targets.sandbox = Some(server.base_url());
    let session = Session::new(config, SEED).await.expect("the runner starts");
    let mut passed = Vec::new();
    let mut caught = None;
    for case in cases {
        let result = session.run(case).await;
        if result.outcome == Outcome::Pass {
            passed.push(case.id.clone());
        }
        if let Some(rule) = rule
            && result.outcome.fails_run()
            && result.findings.iter().any(|f| f.rule == rule)
        {
            caught = Some(case.id.clone());
            break;
        }
    }
    server.shutdown().await.expect("the server stops");
    (caught, passed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_rule_fails_a_case_under_the_mutant_that_breaks_it() {
    let started = Instant::now();
    let exempt = exemptions();
    let served: BTreeSet<&str> = SERVED.iter().copied().collect();
    let breakable: BTreeSet<&str> = upi_reference_server::fault::BREAKABLE_RESPONSES.into_iter().collect();
    assert_eq!(
        served, breakable,
        "the models this test breaks are those the server can break"
    );
    // The rejection cases of rules the model declares should are left out: the reference server
    // does not enforce those (it accepts the request, and the case is a warning; rule_mutants
    // checks exactly that), so they receive no refusal to mutate.
    let planned: Vec<Planned> = plan::plan(upi_spec::messages::apis(), &[], &[], GENERATED)
        .into_iter()
        .filter(|c| match &c.step {
            Step::Reject { rule, .. } => upi_spec::catalogue::declared(rule) != Some(upi_spec::Severity::Should),
            _ => true,
        })
        .collect();
    let mut problems = Vec::new();

    // The cases of each model, those the clean server passes, in plan order: acceptances and
    // flows before rejections.
    let mut by_model: BTreeMap<&str, Arc<Vec<Planned>>> = BTreeMap::new();
    for model in SERVED {
        let mut cases: Vec<Planned> = planned.iter().filter(|c| receives(c, model)).cloned().collect();
        cases.sort_by_key(|c| matches!(c.step, Step::Reject { .. }));
        assert!(!cases.is_empty(), "{model}: no planned case receives it");
        by_model.insert(model, Arc::new(cases));
    }
    let all_cases: Vec<Planned> = {
        let mut seen = BTreeSet::new();
        by_model
            .values()
            .flat_map(|cs| cs.iter())
            .filter(|c| seen.insert(c.id.clone()))
            .cloned()
            .collect()
    };
    let (_, clean_passes) = run(&all_cases, None, None).await;
    let clean_passes: BTreeSet<String> = clean_passes.into_iter().collect();
    for case in &all_cases {
        if !clean_passes.contains(&case.id) {
            problems.push(format!("{}: fails on the clean server", case.id));
        }
    }
    for cases in by_model.values_mut() {
        *cases = Arc::new(cases.iter().filter(|c| clean_passes.contains(&c.id)).cloned().collect());
    }

    let mut rules: Vec<(String, &'static str)> = Vec::new();
    for model in SERVED {
        let message = messages::find(model).expect("a served model exists");
        let syntax = format!("{model}.{}", catalogue::syntax_rule(message).0);
        for rule in catalogue::rules_of(message) {
            // The body's syntax is no rule a changed document can break: a body that is not
            // JSON is a different fault (and every answer the runner cannot read is a finding).
            if rule.severity == Severity::Must && rule.id != syntax {
                rules.push((rule.id, model));
            }
        }
    }
    let known: BTreeSet<&str> = rules.iter().map(|(r, _)| r.as_str()).collect();
    for rule in exempt.keys().filter(|r| !known.contains(r.as_str())) {
        problems.push(format!(
            "{rule}: listed in response-exempt.json, but it is no must rule of a served response"
        ));
    }

    let mut tasks = tokio::task::JoinSet::new();
    let mut outcomes: Vec<(String, Option<String>)> = Vec::new();
    for (rule, model) in &rules {
        while tasks.len() >= PARALLEL {
            outcomes.push(tasks.join_next().await.expect("a task").expect("the task ends"));
        }
        let cases = Arc::clone(&by_model[model]);
        let rule = rule.clone();
        tasks.spawn(async move {
            let fault = Fault::BreakResponseRule(rule.clone());
            let (caught, _) = run(&cases, Some(fault), Some(&rule)).await;
            (rule, caught)
        });
    }
    while let Some(done) = tasks.join_next().await {
        outcomes.push(done.expect("the task ends"));
    }
    outcomes.sort();

    let mut detected = 0;
    let mut survivors: BTreeMap<&str, usize> = BTreeMap::new();
    for (rule, caught) in &outcomes {
        match (caught, exempt.get(rule)) {
            (Some(_), None) => detected += 1,
            (Some(case), Some(_)) => problems.push(format!(
                "{rule}: listed in response-exempt.json, but {case} fails on the mutant that breaks it: \
                 remove the entry"
            )),
            (None, None) => problems.push(format!(
                "{rule}: no case fails with it against the server that breaks it: fix the runner or the \
                 fault, or list the rule in response-exempt.json with the reason"
            )),
            (None, Some(e)) => *survivors.entry(e.category.as_str()).or_default() += 1,
        }
    }

    println!(
        "response mutants: {} must rules of {} served response models, {} cases",
        rules.len(),
        SERVED.len(),
        all_cases.len()
    );
    println!("  {detected} shown failing under the mutant that breaks them");
    println!(
        "  {} exempt (golden/mutants/response-exempt.json):",
        survivors.values().sum::<usize>()
    );
    for (category, n) in &survivors {
        println!("    {n} {category}");
    }
    println!("  {:.1} s", started.elapsed().as_secs_f64());
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert_eq!(detected + survivors.values().sum::<usize>(), rules.len());
}
