//! The fuzzer's driver: workers drawing case numbers until the deadline or the case budget,
//! preparing and sending each case, collecting and shrinking findings.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use serde_json::Value;
use tokio::sync::Mutex;
use upi_spec::Severity;
use upi_spec::input::Document;
use upi_spec::model::Message;
use upi_spec::validate::validate;

use super::mutation::*;
use super::oracle::*;
use super::reproducer::*;
use super::setup::{Setup, set_up};
use super::shrink::*;
use crate::runner::api::{self, ApiCase};
use crate::runner::config::{Api, RunConfig};
use crate::runner::readings;
use crate::runner::session::Session;

/// Options of a fuzzing run.
#[derive(Debug, Clone)]
pub struct FuzzOptions {
    /// Suites (empty: all).
    pub suites: Vec<String>,
    /// Seed.
    pub seed: u64,
    /// Stop after this many cases.
    pub cases: Option<u64>,
    /// Stop after this long.
    pub duration: Option<Duration>,
    /// Concurrent workers (each with its own session and connection pool).
    pub workers: usize,
    /// Cases each worker keeps in flight at once (at least 1), sharing its session and
    /// connection pool: a worker waiting for one answer sends the next case meanwhile. With 1
    /// worker and 1 in flight the cases run in case-number order.
    pub in_flight: usize,
    /// Where reproducers go.
    pub out: Option<PathBuf>,
    /// Show a progress bar with the time left on stderr (drawn on a terminal only).
    pub progress: bool,
    /// The part of the case space this process runs ([`Shard::WHOLE`](crate::runner::shard::Shard::WHOLE):
    /// all of it); `cases` is then the whole campaign's budget.
    pub shard: crate::runner::shard::Shard,
    /// Stops the run where it is (Ctrl-C): the report holds the findings so far.
    pub interrupt: Option<crate::runner::stop::Interrupt>,
}

/// The result of a fuzzing run.
#[derive(Debug, Clone, Serialize)]
pub struct FuzzReport {
    /// Target.
    pub target: String,
    /// Seed.
    pub seed: u64,
    /// Cases run.
    pub cases: u64,
    /// Requests sent (including set-up requests such as order creation).
    pub requests: u64,
    /// Requests whose answers were judged: all but the set-up the cases share (a PayU payment
    /// per worker, and another each time the target has forgotten it); an EC case's order is
    /// judged, so it counts.
    pub judged: u64,
    /// Wall time.
    pub elapsed_ms: u64,
    /// Requests per second.
    pub requests_per_second: f64,
    /// Shrunk findings (one per distinct broken rule and mutation kind).
    pub findings: Vec<Reproducer>,
    /// Files written.
    pub written: Vec<String>,
    /// Whether the run was interrupted (Ctrl-C): the findings are those shrunk before it.
    pub interrupted: bool,
}

/// Runs the fuzzer against `config`'s target.
pub async fn fuzz(config: RunConfig, target: String, options: &FuzzOptions) -> Result<FuzzReport> {
    let apis: Vec<ApiCase> = api::all()
        .into_iter()
        .filter(|a| options.suites.is_empty() || options.suites.iter().any(|s| *s == a.suite))
        .collect();
    anyhow::ensure!(!apis.is_empty(), "no API matches --suite {:?}", options.suites);
    let targets: Arc<Vec<FuzzTarget>> = Arc::new(apis.iter().filter_map(FuzzTarget::new).collect());
    let started = Instant::now();
    let next = Arc::new(AtomicU64::new(0));
    let requests = Arc::new(AtomicU64::new(0));
    let found = Arc::new(AtomicUsize::new(0));
    let findings: Arc<Findings> = Arc::default();
    let (apis, options) = (Arc::new(apis), Arc::new(options.clone()));
    let deadline = options.duration.map(|d| started + d);
    let mut workers = Vec::new();
    let mut sessions = Vec::new();
    for w in 0..options.workers.max(1) {
        let mut worker_config = config.clone();
        if worker_config.limits.requests_per_second > 0 {
            worker_config.limits.requests_per_second =
                (worker_config.limits.requests_per_second / options.workers.max(1) as u32).max(1);
        }
        let executor = Arc::new(Session::new(worker_config, options.seed ^ (w as u64)).await?);
        sessions.push(executor.clone());
        // `in_flight` lanes per worker, each its own task drawing case numbers: they share the
        // worker's session (and so its keep-alive connections), and the runtime runs them on
        // whichever thread is free (one task polling them all kept a worker's lanes on one
        // thread, all stalled while it waited for a core).
        for _ in 0..options.in_flight.max(1) {
            let lane = Lane {
                executor: executor.clone(),
                apis: apis.clone(),
                targets: targets.clone(),
                next: next.clone(),
                requests: requests.clone(),
                found: found.clone(),
                findings: findings.clone(),
                options: options.clone(),
                deadline,
            };
            workers.push(tokio::spawn(lane.run()));
        }
    }
    let progress = options.progress.then(|| {
        let (requests, found, next) = (requests.clone(), found.clone(), next.clone());
        let bar = crate::runner::progress::FuzzProgress::new(options.cases, options.duration);
        let shown = bar.clone();
        let ticker = tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(250)).await;
                let cases = next.load(Ordering::Relaxed);
                shown.update(cases, requests.load(Ordering::Relaxed), found.load(Ordering::Relaxed));
            }
        });
        (ticker, bar)
    });
    let interrupted = match &options.interrupt {
        Some(interrupt) => {
            let all = futures_util::future::join_all(workers.iter_mut());
            tokio::select! {
                done = all => {
                    done.into_iter().collect::<Result<Vec<()>, _>>().context("a fuzzing worker failed")?;
                    false
                }
                () = interrupt.wait() => true,
            }
        }
        None => {
            for w in workers.iter_mut() {
                w.await.context("a fuzzing worker failed")?;
            }
            false
        }
    };
    if interrupted {
        // Stop the workers where they are (a finding being shrunk is lost; the ones kept stay).
        for w in &workers {
            w.abort();
        }
        for w in workers {
            let _ = w.await;
        }
    }
    if let Some((ticker, bar)) = progress {
        ticker.abort();
        bar.finish();
    }
    let elapsed = started.elapsed();
    let findings = Arc::try_unwrap(findings)
        .map(|f| f.kept.into_inner())
        .unwrap_or_default();
    let mut written = Vec::new();
    if let Some(dir) = &options.out {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        for (i, r) in findings.iter().enumerate() {
            let path = dir.join(file_name(i, &r.findings[0].rule));
            std::fs::write(&path, serde_json::to_string_pretty(r)?)
                .with_context(|| format!("writing {}", path.display()))?;
            written.push(path.display().to_string());
        }
    }
    let cases = options
        .shard
        .cases_below(next.load(Ordering::Relaxed), options.cases.unwrap_or(u64::MAX));
    let requests = requests.load(Ordering::Relaxed);
    let unjudged: u64 = sessions.iter().map(|s| s.unjudged()).sum();
    Ok(FuzzReport {
        target,
        seed: options.seed,
        cases,
        requests,
        judged: requests.saturating_sub(unjudged),
        elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
        requests_per_second: requests as f64 / elapsed.as_secs_f64().max(1e-9),
        findings,
        written,
        interrupted,
    })
}
/// The findings of a run: those kept (shrunk), and the signatures of those found (a lane
/// shrinking one holds no lock meanwhile: another lane finding the same sees its signature).
#[derive(Default)]
struct Findings {
    kept: Mutex<Vec<Reproducer>>,
    seen: std::sync::Mutex<std::collections::HashSet<(String, String, String)>>,
}

/// One loop drawing case numbers until the deadline, the budget or an interrupt, on its
/// worker's session.
struct Lane {
    executor: Arc<Session>,
    apis: Arc<Vec<ApiCase>>,
    targets: Arc<Vec<FuzzTarget>>,
    next: Arc<AtomicU64>,
    requests: Arc<AtomicU64>,
    found: Arc<AtomicUsize>,
    findings: Arc<Findings>,
    options: Arc<FuzzOptions>,
    deadline: Option<Instant>,
}

impl Lane {
    async fn run(self) {
        let Lane {
            executor,
            apis,
            targets,
            next,
            requests,
            found,
            findings,
            options,
            deadline,
        } = self;
        loop {
            if deadline.is_some_and(|d| Instant::now() >= d) || options.interrupt.as_ref().is_some_and(|i| i.fired()) {
                break;
            }
            let case = options.shard.case_number(next.fetch_add(1, Ordering::Relaxed));
            if options.cases.is_some_and(|n| case >= n) {
                break;
            }
            let outcome = run_case(&executor, &targets, options.seed, case).await;
            requests.fetch_add(outcome.requests, Ordering::Relaxed);
            let Some(reproducer) = outcome.reproducer else { continue };
            let new = findings
                .seen
                .lock()
                .map(|mut seen| seen.insert(signature(&reproducer)))
                .unwrap_or(false);
            if new {
                let (mut shrunk, spent) = shrink(&executor, &apis, reproducer, deadline).await;
                requests.fetch_add(spent, Ordering::Relaxed);
                shrunk.shard = (!options.shard.is_whole()).then_some(options.shard);
                let mut kept = findings.kept.lock().await;
                kept.push(shrunk);
                found.store(kept.len(), Ordering::Relaxed);
            }
        }
    }
}

pub(super) struct CaseOutcome {
    requests: u64,
    reproducer: Option<Reproducer>,
}

/// Generates case `case` of the run and judges it.
pub(super) async fn run_case(executor: &Session, targets: &[FuzzTarget], seed: u64, case: u64) -> CaseOutcome {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ case.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let target = &targets[rng.random_range(0..targets.len())];
    let case_seed = rng.random::<u64>();
    let (doc, mutation) = make_case(target, &mut rng, case_seed);
    let Some(doc) = doc else {
        return CaseOutcome {
            requests: 0,
            reproducer: None,
        };
    };
    match attempt(
        executor,
        &target.api,
        target.message,
        doc,
        &mutation,
        &mut rng,
        seed,
        case,
    )
    .await
    {
        Ok((requests, reproducer)) => CaseOutcome { requests, reproducer },
        Err(_) => CaseOutcome {
            requests: 1,
            reproducer: None,
        },
    }
}

pub(super) fn now_millis(offset_ms: i64) -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    u64::try_from(now + offset_ms).unwrap_or(0)
}

/// Prepares, sends and judges one case; on a `must` finding returns a reproducer.
///
/// A case naming the worker's PayU payment that a target refuses as if it were invalid is sent
/// once more against a new payment: the target may have forgotten the first (a sandbox bounding
/// its state, a staging database purged, a payment past its lifetime), and then the refusal is
/// about the state the run set up, not about the case. Only a refusal of the same case against
/// the new payment is a finding. Likewise a `_payment` whose hash depends on the reading of
/// ERRATA C-02 (`api_version` 7 with `udf6`..`udf10`) refused where it must be accepted is sent
/// once more hashed per the other reading, as the `api-version-7-hash` flow does: accepted
/// then, the target follows that reading; refused both ways, it follows neither.
#[allow(clippy::too_many_arguments)] // one case with its provenance (seed, case number) for the reproducer
pub(super) async fn attempt(
    executor: &Session,
    api: &ApiCase,
    message: &'static Message,
    mut doc: Document,
    mutation: &Mutation,
    rng: &mut ChaCha8Rng,
    seed: u64,
    case: u64,
) -> Result<(u64, Option<Reproducer>)> {
    let (ctx, setup) = match set_up(executor, api, rng).await.map_err(|e| anyhow::anyhow!("{e}"))? {
        Setup::Ready(ctx, requests) => (ctx, requests),
        Setup::Unavailable(requests) => return Ok((requests, None)),
        Setup::Broken(findings, sent, requests) => {
            // The case's request was not sent, and what broke does not depend on its mutation:
            // the reproducer is a valid request of the API (replaying it sets it up again, and
            // all such findings of a run are one), its findings and curl line the set-up's.
            let (request, mut x) = *sent;
            executor.client().render_request(&request, &mut x);
            let valid = upi_spec::generate::valid(message, seed ^ case);
            let reproducer = reproducer_of(api, &valid, &Mutation::Valid, (seed, case), findings, &x);
            return Ok((requests, Some(reproducer)));
        }
    };
    mutate_document(&mut doc, mutation, case);
    let c02 = api.creates_payment && c02_dependent(&doc);
    let again = (ctx.payu_txnid.is_some() || c02).then(|| doc.clone());
    let mut requests = setup + 1;
    let mut sent = send_case(executor, api, message, doc, mutation, &ctx, rng, Hashing::AsModelled).await?;
    if let Some(doc) = again
        && sent.findings.iter().any(|f| f.rule == api.accepted)
    {
        if let Some(stale) = ctx.payu_txnid.as_deref() {
            executor.forget_payment(stale).await;
            match set_up(executor, api, rng).await.map_err(|e| anyhow::anyhow!("{e}"))? {
                Setup::Ready(renewed, more) if renewed.payu_txnid.as_deref() != Some(stale) => {
                    requests += more + 1;
                    let hashing = Hashing::AsModelled;
                    sent = send_case(executor, api, message, doc, mutation, &renewed, rng, hashing).await?;
                }
                // No new payment to try the case against: the refusal stands.
                Setup::Ready(_, more) | Setup::Unavailable(more) | Setup::Broken(_, _, more) => requests += more,
            }
        } else {
            requests += 1;
            sent = send_case(executor, api, message, doc, mutation, &ctx, rng, Hashing::C02Other).await?;
        }
    }
    let Sent { doc, x, findings } = sent;
    if !findings.iter().any(|f| f.severity == Severity::Must) {
        return Ok((requests, None));
    }
    Ok((
        requests,
        Some(reproducer_of(api, &doc, mutation, (seed, case), findings, &x)),
    ))
}

/// A case sent and judged: the document as sent, its exchange (rendered when a `must` finding
/// stands) and the findings.
struct Sent {
    doc: Document,
    x: crate::runner::http::Exchange,
    findings: Vec<crate::runner::case::Finding>,
}

/// How a PayU request hash is computed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hashing {
    /// As the context fill computes it (the default reading of every erratum).
    AsModelled,
    /// Per C-02's other reading: `api_version` 7 hashing no `udf6`..`udf10`.
    C02Other,
}

/// Fills the mutated `doc` from the target's state `ctx`, sends it and judges the answer.
#[allow(clippy::too_many_arguments)] // the case, the state it names, and how its hash is made
async fn send_case(
    executor: &Session,
    api: &ApiCase,
    message: &'static Message,
    mut doc: Document,
    mutation: &Mutation,
    ctx: &api::Context,
    rng: &mut ChaCha8Rng,
    hashing: Hashing,
) -> Result<Sent> {
    let protect = protection(message, mutation);
    let stale = *mutation == Mutation::StaleTimestamp;
    let hash_subject = protect.fields.iter().any(|f| f == "hash");
    let config = executor.config();
    executor
        .fill(api, ctx)
        .at(now_millis(if stale { -3_600_000 } else { 0 }))
        .apply_sparing(&mut doc, &protect, rng);
    if hash_subject {
        // `ContextFill::apply` leaves the hash alone when the case is about it.
    } else if *mutation == Mutation::WrongHash
        && let Some(Value::String(h)) = doc.body.get_mut("hash")
    {
        let flipped = if h.starts_with('0') { "1" } else { "0" };
        h.replace_range(0..1, flipped);
    }
    if hashing == Hashing::C02Other {
        crate::runner::cases::flow_checks::rehash_as_version_1(&mut doc, &config.payu.salt);
    }
    // What our validator says about what is sent decides what the target must do.
    let judged = validate(message, &doc);
    let state_dependent = mutation.field().is_some_and(|f| api::context_fields(api).contains(&f));
    let must_reject = !matches!(mutation, Mutation::Valid)
        && !state_dependent
        && (judged.iter().any(|v| v.severity == Severity::Must)
            || matches!(
                mutation,
                Mutation::DuplicateKey
                    | Mutation::BrokenEncoding
                    | Mutation::WrongHash
                    | Mutation::WrongSignature
                    | Mutation::StaleTimestamp
            ));
    // A request that breaks only `should` rules (our inference, not the seed's words) may be
    // refused or accepted: a strict server and a lenient one are both seed-faithful.
    let either = state_dependent || (!must_reject && judged.iter().any(|v| v.severity == Severity::Should));
    let base = executor.base(api.api)?;
    let mut request = api::to_request(api, message, &doc, &base, config, Some(executor.signing_key()), None)?;
    raw_mutation(&mut request.body, message, mutation);
    // Only a reported request is rendered (masked body, curl line): most cases find nothing.
    let mut x = executor.client().send_unrendered(&request).await;
    let mut findings = judge_case(
        executor,
        api,
        message,
        &doc,
        mutation,
        (must_reject, either),
        &judged,
        &x,
    );
    if findings.iter().any(|f| f.severity == Severity::Must) {
        executor.client().render_request(&request, &mut x);
        // A target following another reading of an ambiguous seed sentence is acceptable, as
        // in `run`: the reading's evidence (what was sent, what was answered) turns the findings
        // it explains into `info`.
        let rejected = must_reject.then(|| rejected_rule(message, mutation, &judged));
        readings::apply_to(
            Some(api),
            rejected.as_deref(),
            &mut findings,
            std::slice::from_ref(&x),
            &|| vec![doc.body.clone()],
        );
    }
    Ok(Sent { doc, x, findings })
}

/// Whether `doc` (a `_payment`) is hashed differently under the two readings of ERRATA C-02:
/// with `api_version` 7 one hashes `udf6`..`udf10` before the salt and the other does not hash
/// them, so a request carrying any of them is accepted under one reading and refused under the
/// other.
fn c02_dependent(doc: &Document) -> bool {
    doc.body.get("api_version").and_then(Value::as_str) == Some("7")
        && upi_spec::crypto::payu_sequence::UDF_6_TO_10
            .iter()
            .any(|udf| doc.body.get(*udf).is_some_and(|v| v.as_str() != Some("")))
}

/// The reproducer of case `case` of the run with `seed` (`api`, `doc` with `mutation`), whose
/// exchange `x` (rendered) gave `findings`.
fn reproducer_of(
    api: &ApiCase,
    doc: &Document,
    mutation: &Mutation,
    (seed, case): (u64, u64),
    findings: Vec<crate::runner::case::Finding>,
    x: &crate::runner::http::Exchange,
) -> Reproducer {
    Reproducer {
        format_version: 1,
        seed,
        case,
        api: api.name(),
        mutation: mutation.clone(),
        headers: doc.headers.clone().unwrap_or_default(),
        body: doc.body.clone(),
        findings,
        request_line: x.request_line.clone(),
        status: x.status,
        curl: x.curl.clone(),
        shard: None,
    }
}

/// Whether an API's base URL is configured (for choosing suites against partial targets).
pub fn has_base(config: &RunConfig, api: Api) -> bool {
    config.base(api).is_some()
}
