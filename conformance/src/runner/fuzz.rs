//! The live fuzzer: sends generated requests to a target and judges every response. Cases come
//! from the models: valid messages, messages breaking exactly one rule, and structure-aware
//! mutations of valid messages (non-ASCII and control characters, huge strings, numeric edge
//! cases, wrong JSON types, missing and extra fields, duplicated keys, broken encodings, wrong
//! hashes and signatures, stale timestamps). The oracle: no 5xx, no dropped connection, an
//! answer within the timeout, every response well formed per its model, a message our validator
//! finds broken is rejected, a valid one is accepted, no secret reflected. Each finding is
//! shrunk and written as a [`Reproducer`] that `replay` re-sends and re-judges.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::Mutex;
use upi_spec::input::Document;
use upi_spec::model::{Encoding, Message};
use upi_spec::validate::validate;
use upi_spec::{Severity, catalogue, generate, messages};

use super::api::{self, ApiCase};
use super::case::Finding;
use super::config::{Api, RunConfig};
use super::exec::Executor;
use super::http::{Body, Exchange};
use super::judge;

/// How a case was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mutation {
    /// A valid message.
    Valid,
    /// A message breaking exactly this rule.
    Break {
        /// The rule.
        rule: String,
    },
    /// A field set to non-ASCII text with a control character.
    NonAscii {
        /// The field.
        field: String,
    },
    /// A field set to a long string (200,000 characters when generated; shrinking shortens it).
    Huge {
        /// The field.
        field: String,
        /// The string's length in characters.
        #[serde(default = "generated_huge_length")]
        length: usize,
    },
    /// An amount field set to a numeric edge case.
    NumericEdge {
        /// The field.
        field: String,
        /// The value.
        value: String,
    },
    /// A field set to a value of the wrong JSON type.
    WrongType {
        /// The field.
        field: String,
    },
    /// A field removed.
    Missing {
        /// The field.
        field: String,
    },
    /// An extra, unknown field added.
    Extra,
    /// The first key of the body sent twice with another value.
    DuplicateKey,
    /// The body's encoding broken (bad percent escape, truncated JSON).
    BrokenEncoding,
    /// The PayU hash altered after computing it.
    WrongHash,
    /// The JWS signature altered after signing.
    WrongSignature,
    /// The request timestamps an hour old.
    StaleTimestamp,
}

/// The length of a generated [`Mutation::Huge`] string.
const HUGE_LENGTH: usize = 200_000;

fn generated_huge_length() -> usize {
    HUGE_LENGTH
}

impl Mutation {
    /// The body field the mutation is about (protected from context when re-preparing).
    fn field(&self) -> Option<&str> {
        match self {
            Mutation::NonAscii { field }
            | Mutation::Huge { field, .. }
            | Mutation::NumericEdge { field, .. }
            | Mutation::WrongType { field }
            | Mutation::Missing { field } => Some(field),
            _ => None,
        }
    }
}

/// A finding, shrunk, ready to be replayed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reproducer {
    /// Format version.
    pub format_version: u32,
    /// The run's seed and the case number: `fuzz --seed S` generates the same case again.
    pub seed: u64,
    /// Case number within the run.
    pub case: u64,
    /// API name (`suite` or `suite.variant`).
    pub api: String,
    /// How the case was made.
    pub mutation: Mutation,
    /// The document sent (headers and body), after shrinking.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Value,
    /// What the oracle found.
    pub findings: Vec<Finding>,
    /// The request line of the failing exchange.
    pub request_line: String,
    /// The response status, if any.
    pub status: Option<u16>,
    /// A curl command repeating the request (secrets as placeholders).
    pub curl: String,
    /// The shard of the run that found it (`fuzz --shard`), absent for an unsharded run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<super::shard::Shard>,
}

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
    /// Concurrent workers.
    pub workers: usize,
    /// Where reproducers go.
    pub out: Option<PathBuf>,
    /// Print a progress line to stderr every second.
    pub progress: bool,
    /// The part of the case space this process runs ([`Shard::WHOLE`](super::shard::Shard::WHOLE):
    /// all of it); `cases` is then the whole campaign's budget.
    pub shard: super::shard::Shard,
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
    /// Wall time.
    pub elapsed_ms: u64,
    /// Requests per second.
    pub requests_per_second: f64,
    /// Shrunk findings (one per distinct broken rule and mutation kind).
    pub findings: Vec<Reproducer>,
    /// Files written.
    pub written: Vec<String>,
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
    let findings: Arc<Mutex<Vec<Reproducer>>> = Arc::new(Mutex::new(Vec::new()));
    let deadline = options.duration.map(|d| started + d);
    let mut workers = Vec::new();
    for w in 0..options.workers.max(1) {
        let mut worker_config = config.clone();
        if worker_config.limits.requests_per_second > 0 {
            worker_config.limits.requests_per_second =
                (worker_config.limits.requests_per_second / options.workers.max(1) as u32).max(1);
        }
        let mut executor = Executor::new(worker_config, options.seed ^ (w as u64)).await?;
        let (apis, targets, next, requests, found, findings, options) = (
            apis.clone(),
            targets.clone(),
            next.clone(),
            requests.clone(),
            found.clone(),
            findings.clone(),
            options.clone(),
        );
        workers.push(tokio::spawn(async move {
            loop {
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    break;
                }
                let case = options.shard.case_number(next.fetch_add(1, Ordering::Relaxed));
                if options.cases.is_some_and(|n| case >= n) {
                    break;
                }
                let outcome = run_case(&mut executor, &targets, options.seed, case).await;
                requests.fetch_add(outcome.requests, Ordering::Relaxed);
                if let Some(reproducer) = outcome.reproducer {
                    let mut all = findings.lock().await;
                    let key = signature(&reproducer);
                    if !all.iter().any(|r| signature(r) == key) {
                        let shrunk = shrink(&mut executor, &apis, reproducer, deadline).await;
                        requests.fetch_add(shrunk.1, Ordering::Relaxed);
                        let mut shrunk_reproducer = shrunk.0;
                        shrunk_reproducer.shard = (!options.shard.is_whole()).then_some(options.shard);
                        all.push(shrunk_reproducer);
                        found.store(all.len(), Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    let progress = options.progress.then(|| {
        let (requests, found, next) = (requests.clone(), found.clone(), next.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(1)).await;
                let secs = started.elapsed().as_secs_f64();
                eprint!(
                    "\rfuzz: {:>6} cases {:>7} requests {:>8.0} req/s {:>3} findings {:>6.1} s",
                    next.load(Ordering::Relaxed),
                    requests.load(Ordering::Relaxed),
                    requests.load(Ordering::Relaxed) as f64 / secs,
                    found.load(Ordering::Relaxed),
                    secs
                );
            }
        })
    });
    for w in workers {
        w.await.context("a fuzzing worker failed")?;
    }
    if let Some(p) = progress {
        p.abort();
        eprintln!();
    }
    let elapsed = started.elapsed();
    let findings = Arc::try_unwrap(findings).map(Mutex::into_inner).unwrap_or_default();
    let mut written = Vec::new();
    if let Some(dir) = &options.out {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        for (i, r) in findings.iter().enumerate() {
            let path = dir.join(format!("finding-{i:03}-{}.json", slug(&r.findings[0].rule)));
            std::fs::write(&path, serde_json::to_string_pretty(r)?)
                .with_context(|| format!("writing {}", path.display()))?;
            written.push(path.display().to_string());
        }
    }
    let cases = options
        .shard
        .cases_below(next.load(Ordering::Relaxed), options.cases.unwrap_or(u64::MAX));
    let requests = requests.load(Ordering::Relaxed);
    Ok(FuzzReport {
        target,
        seed: options.seed,
        cases,
        requests,
        elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
        requests_per_second: requests as f64 / elapsed.as_secs_f64().max(1e-9),
        findings,
        written,
    })
}

/// Findings with the same first rule and mutation kind are one finding.
fn signature(r: &Reproducer) -> (String, String, String) {
    super::shard::dedup_key(r)
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect()
}

struct CaseOutcome {
    requests: u64,
    reproducer: Option<Reproducer>,
}

/// An API under fuzzing with what is worked out once per run: its request model and the
/// `must` rules a generated message can break in a way a target can be judged on.
struct FuzzTarget {
    api: ApiCase,
    message: &'static Message,
    breakable: Vec<String>,
}

impl FuzzTarget {
    fn new(api: &ApiCase) -> Option<FuzzTarget> {
        let message = messages::find(api.request)?;
        let breakable = catalogue::rules_of(message)
            .into_iter()
            .filter(|r| {
                r.severity == Severity::Must && !r.id.contains(".echo.") && super::plan::not_over_http(&r.id).is_none()
            })
            .map(|r| r.id)
            .collect();
        Some(FuzzTarget {
            api: api.clone(),
            message,
            breakable,
        })
    }
}

/// Generates case `case` of the run and judges it.
async fn run_case(executor: &mut Executor, targets: &[FuzzTarget], seed: u64, case: u64) -> CaseOutcome {
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

/// Picks how to make the case and makes its document.
fn make_case(target: &FuzzTarget, rng: &mut ChaCha8Rng, case_seed: u64) -> (Option<Document>, Mutation) {
    let message = target.message;
    let roll = rng.random_range(0..10);
    if roll < 3 {
        return (Some(generate::valid(message, case_seed)), Mutation::Valid);
    }
    if roll < 6 {
        let rules = &target.breakable;
        let rule = rules[rng.random_range(0..rules.len())].clone();
        return (generate::breaking(message, &rule, case_seed), Mutation::Break { rule });
    }
    let doc = generate::valid(message, case_seed);
    let fields: Vec<String> = doc
        .body
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let field = if fields.is_empty() {
        String::new()
    } else {
        fields[rng.random_range(0..fields.len())].clone()
    };
    let amounts: Vec<String> = fields
        .iter()
        .filter(|f| f.contains("amount") || f.as_str() == "am")
        .cloned()
        .collect();
    let json = message.encoding == Encoding::Json;
    let mutation = match rng.random_range(0..11) {
        0 => Mutation::NonAscii { field },
        1 => Mutation::Huge {
            field,
            length: HUGE_LENGTH,
        },
        2 if !amounts.is_empty() => Mutation::NumericEdge {
            field: amounts[rng.random_range(0..amounts.len())].clone(),
            value: [
                "0.00",
                "-1.00",
                "1e3",
                "00.10",
                "1.000",
                "99999999999999999999.99",
                " 1.00",
            ][rng.random_range(0..7)]
            .to_string(),
        },
        3 if json => Mutation::WrongType { field },
        4 => Mutation::Missing { field },
        5 => Mutation::Extra,
        6 => Mutation::DuplicateKey,
        7 => Mutation::BrokenEncoding,
        8 if message.id.starts_with("payu.") => Mutation::WrongHash,
        9 if message.envelope.is_some() => Mutation::WrongSignature,
        10 if message.envelope.is_some() => Mutation::StaleTimestamp,
        _ => Mutation::NonAscii { field },
    };
    (Some(doc), mutation)
}

/// Applies a document-level mutation. Values carry the case number and a fresh tag, so a
/// mutated unique ID (a txnid, say) never collides with another case's or another run's.
fn mutate_document(doc: &mut Document, mutation: &Mutation, case: u64) {
    let Some(body) = doc.body.as_object_mut() else { return };
    // The case number keeps values apart within a run, the fresh tag between runs (and
    // between a run and a replay) against the same server.
    let tag = format!("{case}{}", api::fresh_tag());
    match mutation {
        Mutation::NonAscii { field } => {
            body.insert(field.clone(), Value::String(format!("नमस्ते ₹\u{7}é{tag}")));
        }
        Mutation::Huge { field, length } => {
            let filler = length.saturating_sub(tag.len());
            body.insert(field.clone(), Value::String(format!("{tag}{}", "A".repeat(filler))));
        }
        Mutation::NumericEdge { field, value } => {
            body.insert(field.clone(), Value::String(value.clone()));
        }
        Mutation::WrongType { field } => {
            let wrong = match body.get(field) {
                Some(Value::String(_)) => Value::from(12_345),
                Some(Value::Number(_)) => Value::Bool(true),
                _ => Value::Array(Vec::new()),
            };
            body.insert(field.clone(), wrong);
        }
        Mutation::Missing { field } => {
            body.remove(field);
        }
        Mutation::Extra => {
            body.insert("x_unknown_extra_field".into(), Value::String("extra".into()));
        }
        _ => {}
    }
}

/// A pseudo rule naming the mutated field, so context never overwrites it.
fn protection(message: &Message, mutation: &Mutation) -> Option<String> {
    match mutation {
        Mutation::Break { rule } => Some(rule.clone()),
        _ => mutation.field().map(|f| format!("{}.{f}.fuzzed", message.id)),
    }
}

fn now_millis(offset_ms: i64) -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    u64::try_from(now + offset_ms).unwrap_or(0)
}

/// Prepares, sends and judges one case; on a `must` finding returns a reproducer.
#[allow(clippy::too_many_arguments)] // one case with its provenance (seed, case number) for the reproducer
async fn attempt(
    executor: &mut Executor,
    api: &ApiCase,
    message: &'static Message,
    mut doc: Document,
    mutation: &Mutation,
    rng: &mut ChaCha8Rng,
    seed: u64,
    case: u64,
) -> Result<(u64, Option<Reproducer>)> {
    let mut setup = Vec::new();
    let ctx = executor.context(api, &mut setup).await?;
    let protect = protection(message, mutation);
    let stale = *mutation == Mutation::StaleTimestamp;
    let hash_subject = protect
        .as_deref()
        .is_some_and(|r| api::touched(message, Some(r)).0.iter().any(|f| f == "hash"));
    mutate_document(&mut doc, mutation, case);
    let config = executor.config().clone();
    api::apply_context(
        api,
        message,
        &mut doc,
        protect.as_deref(),
        &config,
        &ctx,
        rng,
        now_millis(if stale { -3_600_000 } else { 0 }),
    );
    if hash_subject {
        // `apply_context` leaves the hash alone when the case is about it.
    } else if *mutation == Mutation::WrongHash
        && let Some(Value::String(h)) = doc.body.get_mut("hash")
    {
        let flipped = if h.starts_with('0') { "1" } else { "0" };
        h.replace_range(0..1, flipped);
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
    let base = executor.base(api.api)?;
    let mut request = api::to_request(api, message, &doc, &base, &config, Some(executor.signing_key()), None)?;
    raw_mutation(&mut request.body, message, mutation);
    // Only a reported request is rendered (masked body, curl line): most cases find nothing.
    let mut x = executor.client().send_unrendered(&request).await;
    let findings = judge_case(
        executor,
        api,
        message,
        &doc,
        mutation,
        (must_reject, state_dependent),
        &judged,
        &x,
    );
    let requests = setup.len() as u64 + 1;
    if !findings.iter().any(|f| f.severity == Severity::Must) {
        return Ok((requests, None));
    }
    executor.client().render_request(&request, &mut x);
    Ok((
        requests,
        Some(Reproducer {
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
        }),
    ))
}

fn raw_mutation(body: &mut Body, message: &Message, mutation: &Mutation) {
    match (mutation, body) {
        (Mutation::DuplicateKey, Body::Bytes(bytes)) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            *bytes = if message.envelope.is_some() || message.encoding == Encoding::Json {
                match text.find('"') {
                    Some(i) => {
                        let key_end = text[i + 1..].find('"').map(|e| i + 1 + e).unwrap_or(i);
                        let key = &text[i..=key_end];
                        format!("{{{key}:\"duplicate\",{}", &text[1..]).into_bytes()
                    }
                    None => text.into_bytes(),
                }
            } else {
                let first = text.split('=').next().unwrap_or("key").to_string();
                format!("{text}&{first}=duplicate").into_bytes()
            };
        }
        (Mutation::DuplicateKey, Body::Multipart(parts)) => {
            if let Some((k, _)) = parts.first().cloned() {
                parts.push((k, "duplicate".into()));
            }
        }
        (Mutation::BrokenEncoding, Body::Bytes(bytes)) => {
            if message.encoding == Encoding::Json {
                let keep = bytes.len() / 2;
                bytes.truncate(keep);
            } else {
                bytes.extend_from_slice(b"&broken=%zz");
            }
        }
        (Mutation::BrokenEncoding, Body::Multipart(parts)) => parts.push(("var1".into(), "second-var1".into())),
        (Mutation::WrongSignature, Body::Bytes(bytes)) => {
            if let Ok(mut envelope) = serde_json::from_slice::<Value>(bytes)
                && let Some(Value::String(sig)) = envelope.get_mut("signature")
            {
                let flipped = if sig.starts_with('A') { "B" } else { "A" };
                sig.replace_range(0..1, flipped);
                *bytes = envelope.to_string().into_bytes();
            }
        }
        _ => {}
    }
}

/// The oracle.
#[allow(clippy::too_many_arguments)] // the case, what was sent, and the validator's own verdict on it
fn judge_case(
    executor: &Executor,
    api: &ApiCase,
    message: &Message,
    doc: &Document,
    mutation: &Mutation,
    (must_reject, either): (bool, bool),
    judged: &[upi_spec::Violation],
    x: &Exchange,
) -> Vec<Finding> {
    let mut findings = judge::transport(x);
    if x.reflects_secret() {
        findings.push(Finding::must(
            "transport.no-secret-reflected",
            format!("the response to {} reflects a secret", x.request_line),
        ));
    }
    if x.status.is_none_or(|s| s >= 500) {
        return findings;
    }
    if must_reject {
        let rule = match mutation {
            Mutation::Break { rule } => rule.clone(),
            Mutation::WrongHash => "payu.hash.request.mismatch".into(),
            Mutation::WrongSignature => "juspay.jws.signature".into(),
            Mutation::StaleTimestamp => "juspay.jws.iat.stale".into(),
            Mutation::DuplicateKey | Mutation::BrokenEncoding => {
                format!("{}.{}", message.id, catalogue::syntax_rule(message).0)
            }
            _ => judged
                .iter()
                .find(|v| v.severity == Severity::Must)
                .map(|v| v.rule.clone())
                .unwrap_or_default(),
        };
        executor.expect_rejection(api, &rule, x, &mut findings);
    } else if either && api.rejected(x.status, &x.response_bytes) {
        // A state-dependent refusal: only its shape is judged.
        let mut shape = Vec::new();
        judge::response_against(api.error, x, &mut shape);
        findings.extend(shape);
    } else if api.rejected(x.status, &x.response_bytes) {
        findings.push(Finding::must(
            format!("{}.accepted", api.request),
            format!(
                "a request our validator finds valid was rejected: HTTP {}",
                x.status.unwrap_or(0)
            ),
        ));
    } else {
        let mut judged_success = Vec::new();
        executor.judge_success(api, doc, x, &mut judged_success);
        // A mutated client value flows into the deeplink the response maps to; what that link
        // must look like for such input is not specified, so only Valid and single-rule cases
        // (where every value conforms) have their links judged.
        let link_judged = mutation.field().is_none();
        findings.extend(
            judged_success
                .into_iter()
                .filter(|f| link_judged || !f.rule.starts_with("deeplink.")),
        );
    }
    findings
}

/// Shrinks a reproducer: drops optional fields and halves long strings while the same first
/// finding keeps appearing and the request breaks no rule the original does not (a valid
/// case stays valid, so replaying it against a correct target finds nothing). Shrinking stops
/// at the run's deadline. Returns the smallest reproducer found and the requests spent.
async fn shrink(
    executor: &mut Executor,
    apis: &[ApiCase],
    reproducer: Reproducer,
    deadline: Option<Instant>,
) -> (Reproducer, u64) {
    let Some(api) = apis.iter().find(|a| a.name() == reproducer.api).cloned() else {
        return (reproducer, 0);
    };
    let Some(message) = messages::find(api.request) else {
        return (reproducer, 0);
    };
    let target_rule = reproducer.findings[0].rule.clone();
    let protected = reproducer.mutation.field().map(str::to_string);
    let broken = |headers: &[(String, String)], body: &Value| -> std::collections::BTreeSet<String> {
        let doc = Document {
            headers: Some(headers.to_vec()),
            body: body.clone(),
        };
        validate(message, &doc)
            .into_iter()
            .filter(|v| v.severity == Severity::Must)
            .map(|v| v.rule)
            .collect()
    };
    let allowed = broken(&reproducer.headers, &reproducer.body);
    let mut best = reproducer;
    let mut spent = 0;
    let mut rng = ChaCha8Rng::seed_from_u64(best.seed ^ best.case);
    let required: Vec<&str> = message
        .body
        .fields
        .iter()
        .filter(|f| matches!(f.presence, upi_spec::model::Presence::Mandatory))
        .map(|f| f.key.label())
        .collect();
    // A long-string finding: bisect the length down to about the shortest that still fails the
    // same way (a size limit's reproducer is just over the limit, not 200,000 characters).
    if let Mutation::Huge { length, .. } = best.mutation {
        let (mut fails, mut passes) = (length, 0usize);
        while fails - passes > (fails / 32).max(64) && spent < 24 && deadline.is_none_or(|d| Instant::now() < d) {
            let middle = passes + (fails - passes) / 2;
            let mut mutation = best.mutation.clone();
            if let Mutation::Huge { length, .. } = &mut mutation {
                *length = middle;
            }
            let doc = Document {
                headers: Some(best.headers.clone()),
                body: best.body.clone(),
            };
            spent += 1;
            match attempt(executor, &api, message, doc, &mutation, &mut rng, best.seed, best.case).await {
                Ok((n, Some(found))) if found.findings.first().is_some_and(|f| f.rule == target_rule) => {
                    spent += n;
                    fails = middle;
                    best = found;
                }
                Ok((n, _)) => {
                    spent += n;
                    passes = middle;
                }
                Err(_) => passes = middle,
            }
        }
    }
    for _round in 0..2 {
        let keys: Vec<String> = best
            .body
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        for key in keys {
            if spent >= 48 || deadline.is_some_and(|d| Instant::now() >= d) {
                return (best, spent);
            }
            let mut candidate = best.body.clone();
            let changed = match candidate.get_mut(&key) {
                // The mutated field's value is the mutation's own (re-applied on every attempt).
                _ if protected.as_deref() == Some(key.as_str()) => false,
                Some(Value::String(s)) if s.chars().count() > 16 => {
                    let half: String = s.chars().take(s.chars().count() / 2).collect();
                    *s = half;
                    true
                }
                Some(_) if !required.contains(&key.as_str()) => {
                    candidate.as_object_mut().map(|m| m.remove(&key));
                    true
                }
                _ => false,
            };
            if !changed || !broken(&best.headers, &candidate).is_subset(&allowed) {
                continue;
            }
            let doc = Document {
                headers: Some(best.headers.clone()),
                body: candidate.clone(),
            };
            spent += 1;
            if let Ok((n, Some(found))) = attempt(
                executor,
                &api,
                message,
                doc,
                &best.mutation,
                &mut rng,
                best.seed,
                best.case,
            )
            .await
            {
                spent += n;
                if found.findings.first().is_some_and(|f| f.rule == target_rule) {
                    best = found;
                }
            }
        }
    }
    (best, spent)
}

/// Re-sends a reproducer (with fresh IDs, timestamps, hashes and signatures) and re-judges it;
/// returns the new findings (empty: not reproduced).
pub async fn replay(config: RunConfig, reproducer: &Reproducer) -> Result<(Vec<Finding>, Option<Exchange>)> {
    let api = api::all()
        .into_iter()
        .find(|a| a.name() == reproducer.api)
        .with_context(|| format!("unknown API {}", reproducer.api))?;
    let message = messages::find(api.request).context("unknown request model")?;
    let mut executor = Executor::new(config, reproducer.seed).await?;
    let mut rng = ChaCha8Rng::seed_from_u64(reproducer.seed ^ reproducer.case);
    let doc = Document {
        headers: Some(reproducer.headers.clone()),
        body: reproducer.body.clone(),
    };
    let (_, found) = attempt(
        &mut executor,
        &api,
        message,
        doc,
        &reproducer.mutation,
        &mut rng,
        reproducer.seed,
        reproducer.case,
    )
    .await?;
    Ok(match found {
        Some(r) => (r.findings, None),
        None => (Vec::new(), None),
    })
}

/// Reads a reproducer file.
pub fn read_reproducer(path: &Path) -> Result<Reproducer> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not a reproducer written by `fuzz`", path.display()))
}

/// Whether an API's base URL is configured (for choosing suites against partial targets).
pub fn has_base(config: &RunConfig, api: Api) -> bool {
    config.base(api).is_some()
}
