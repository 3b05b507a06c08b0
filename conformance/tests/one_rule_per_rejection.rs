//! The exactly-one-rule law of rejection cases (issue 11, root cause 3a): for every planned
//! rejection case of every suite, under a few seeds, our own validator reports exactly the one
//! rule the case targets on the document and headers as they will be sent, that is after every
//! context field (unique IDs, the clock, the routing header equal to the broken
//! `merchantRequestId`, hashes last) was derived from the broken document. A case whose request
//! breaks a second rule cannot tell a server that enforces its rule from one refused for the
//! other. Wire-level breaches (a JSON array, an unterminated document) send a valid document's
//! context with a body that does not read: the document must be clean and the body unreadable.
//!
//! The cases that cannot break their rule alone are listed in
//! `golden/reject/one-rule-exceptions.json`, each with the other rules its request breaks and
//! why; the list is a ratchet both ways (a listed case that now breaks exactly its rule, or
//! breaks other rules than listed, fails this test).

use std::collections::{BTreeMap, BTreeSet};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;
use upi_conformance::runner::api::Context;
use upi_conformance::runner::cases::reject::{Prepared, prepare};
use upi_conformance::runner::config::RunConfig;
use upi_conformance::runner::plan::{self, Breach, Step};
use upi_conformance::runner::session::Session;
use upi_spec::Severity;
use upi_spec::read::{Syntax, read};
use upi_spec::validate::validate;

const SEEDS: [u64; 3] = [1, 20_261_121, 855_252];

const EXCEPTIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../golden/reject/one-rule-exceptions.json");

/// `golden/reject/one-rule-exceptions.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exceptions {
    exceptions: Vec<Exception>,
}

/// A rejection case whose request breaks other rules besides its own.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exception {
    /// The rule the case targets.
    rule: String,
    /// The other rules its request breaks (under some seed).
    also: Vec<String>,
    /// Why the request cannot break the rule alone.
    reason: String,
}

fn exceptions() -> BTreeMap<String, Exception> {
    let text = std::fs::read_to_string(EXCEPTIONS).expect("golden/reject/one-rule-exceptions.json");
    let list: Exceptions = serde_json::from_str(&text).expect("one-rule-exceptions.json reads as {exceptions: [...]}");
    let mut out = BTreeMap::new();
    for e in list.exceptions {
        assert!(e.reason.trim().len() > 20, "{}: the reason says too little", e.rule);
        assert!(!e.also.is_empty(), "{}: lists no other rule", e.rule);
        let rule = e.rule.clone();
        assert!(out.insert(rule.clone(), e).is_none(), "{rule} is listed twice");
    }
    out
}

/// The target's state as a live run would have created it (an order, a payment).
fn context() -> Context {
    Context {
        order_id: Some("ORDLAW7Q2M4N6P8R1T3V".into()),
        payu_txnid: Some("upcLAW7Q2M4N6P8R1T3V".into()),
        payu_mihpayid: Some("403993715531077182".into()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_rejection_case_breaks_exactly_its_rule() {
    let listed = exceptions();
    let planned = plan::plan(upi_spec::messages::apis(), &[], &[], 0);
    let mut checked = 0;
    let mut extra: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for seed in SEEDS {
        let session = Session::new(RunConfig::default(), seed)
            .await
            .expect("the runner starts");
        for case in &planned {
            let Step::Reject {
                api,
                rule,
                breach,
                other_side,
                ..
            } = &case.step
            else {
                continue;
            };
            let message = api.request.message();
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let ctx = context();
            let fill = session.fill(api, &ctx).at(1_765_000_000_000);
            let Prepared { doc, raw } = match prepare(&session, fill, rule, *breach, *other_side, &mut rng) {
                Ok(p) => p,
                Err(e) => {
                    problems.push(format!("{} (seed {seed}): cannot build the request: {e:#}", case.id));
                    continue;
                }
            };
            checked += 1;
            let reported: BTreeSet<String> = validate(message, &doc)
                .into_iter()
                .filter(|v| v.severity != Severity::Info)
                .map(|v| v.rule)
                .collect();
            match breach {
                Breach::RootType | Breach::Syntax => {
                    let body = raw.as_deref().unwrap_or_default();
                    if read(message, body.as_bytes(), Syntax::Auto, usize::MAX).is_ok() && *breach == Breach::Syntax {
                        problems.push(format!("{} (seed {seed}): the broken body {body:?} reads", case.id));
                    }
                    if !reported.is_empty() {
                        extra.entry(rule.clone()).or_default().extend(reported);
                    }
                }
                Breach::Generated => {
                    if !reported.contains(rule) {
                        problems.push(format!(
                            "{} (seed {seed}): the validator does not report {rule} on the request (it reports {reported:?})",
                            case.id
                        ));
                    }
                    let others: BTreeSet<String> = reported.into_iter().filter(|r| r != rule).collect();
                    if !others.is_empty() {
                        extra.entry(rule.clone()).or_default().extend(others);
                    }
                }
            }
        }
    }
    for (rule, others) in &extra {
        match listed.get(rule) {
            None => problems.push(format!(
                "{rule}: its request also breaks {others:?}: derive the context from the broken document, or list it in one-rule-exceptions.json with the reason"
            )),
            Some(e) => {
                let expected: BTreeSet<String> = e.also.iter().cloned().collect();
                if &expected != others {
                    problems.push(format!(
                        "{rule}: one-rule-exceptions.json says it also breaks {expected:?}, but it breaks {others:?}"
                    ));
                }
            }
        }
    }
    for rule in listed.keys().filter(|r| !extra.contains_key(*r)) {
        problems.push(format!(
            "{rule}: listed in one-rule-exceptions.json, but its request breaks only its rule: remove the entry"
        ));
    }
    println!(
        "exactly one rule: {checked} rejection requests checked ({} seeds), {} listed exceptions",
        SEEDS.len(),
        listed.len()
    );
    assert!(checked > 400, "only {checked} requests checked");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
