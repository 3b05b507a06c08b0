//! The session a run shares between its cases: the HTTP client, the keys, the sandbox state of
//! the target, and the state cases create on it (an order, a payment), plus building requests
//! with their context. Judging lives apart ([`super::judge`], [`super::cases`]). A session is
//! shared by reference between cases running concurrently: what one case needs alone (its
//! random source, its findings and exchanges) is in its [`Trace`].

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result};
use aws_lc_rs::signature::RsaKeyPair;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rsa::pkcs8::EncodePrivateKey as _;
use serde_json::Value;
use tokio::sync::Mutex;
use upi_spec::crypto::{PublicKey, keys};
use upi_spec::generate;
use upi_spec::input::{DEFAULT_MAX_BYTES, Document};
use upi_spec::model::api::{Derivation, Operation, Place};
use upi_spec::read::{Syntax, read};

use super::api::{self, ApiCase, Context, ContextFill};
use super::case::{CaseResult, Finding};
use super::config::{Api, RunConfig};
use super::http::{Client, Exchange};
use super::outcome::CaseError;
use super::plan::Planned;
use super::receiver::Receiver;
use super::sandbox::Sandbox;

/// What one case accumulates while it runs: its own random source (seeded from the run's seed
/// and the case ID, so concurrent cases do not share one), its findings and its exchanges.
pub struct Trace {
    /// The case's random source (unique IDs).
    pub rng: ChaCha8Rng,
    /// Broken rules observed.
    pub findings: Vec<Finding>,
    /// Requests sent and answers received, in order.
    pub exchanges: Vec<Exchange>,
}

impl Trace {
    /// A trace for the case `case_id` of a run with `seed`.
    pub fn new(seed: u64, case_id: &str) -> Trace {
        Trace {
            rng: ChaCha8Rng::seed_from_u64(seed ^ fxhash(case_id)),
            findings: Vec::new(),
            exchanges: Vec::new(),
        }
    }
}

/// Everything a run shares between its cases.
pub struct Session {
    config: RunConfig,
    client: Client,
    seed: u64,
    signing_key: Arc<RsaKeyPair>,
    wrong_key: Arc<RsaKeyPair>,
    merchant_public_pem: String,
    psp_key: PublicKey,
    /// Whether payments can be completed in the sandbox (its control API answered the probe, or
    /// a person completes them).
    pub sandbox: bool,
    /// The sandbox adapter (`[sandbox]`).
    sandbox_control: Sandbox,
    /// The callback receiver (started by the first case that needs it, held while it is used).
    receiver: Mutex<Option<Receiver>>,
    /// The PayU payment (txnid, mihpayid) the postservice cases update and verify, created once;
    /// or why it could not be (so concurrent cases do not each wait to fail the same way).
    payment: Mutex<Option<Result<(String, String), String>>>,
    /// Why creating an order failed, once it has: the first case reports the cause, the cases
    /// after it are skipped with this reason instead of failing the same way.
    order_failed: std::sync::Mutex<Option<String>>,
    /// The APIs of the run ([`super::RunOptions::apis`]): where the payment a request names
    /// and the commands of a flow are looked up.
    apis: &'static [upi_spec::model::api::Api],
    /// Requests sent to create state the cases share, their answers read but not judged (the
    /// PayU payment): the fuzzer reports its judged requests apart.
    unjudged: std::sync::atomic::AtomicU64,
}

/// Where a `_payment` answer gives the payment's PayU ID (seed 004's sample: `result.paymentId`).
pub(crate) const PAYMENT_ID: &str = "/result/paymentId";

/// The generated document number of the orders the cases create (each with a fresh order ID).
const ORDER_SETUP_DOCUMENT: u64 = 0;

/// The start of the skip reason of a case whose prerequisite state could not be created.
pub const PREREQUISITE_FAILED: &str = "prerequisite failed";

/// The early stop of a case whose prerequisite state (`what`) could not be created, the answer
/// being `x`: the real cause on its own rule when the transport failed (a timeout, no answer, a
/// 5xx), else a precondition on the case's first rule.
fn setup_failure(what: &str, x: &Exchange) -> CaseError {
    match super::judge::transport(x).into_iter().next() {
        Some(cause) => CaseError::Setup {
            what: what.to_string(),
            cause,
        },
        None => CaseError::Precondition(match x.status {
            Some(status) => format!("{what} (answered HTTP {status})"),
            None => what.to_string(),
        }),
    }
}

/// The skip reason of the cases after the first whose prerequisite failed.
fn prerequisite_skip(why: &str) -> CaseError {
    CaseError::Skip(format!(
        "{PREREQUISITE_FAILED}: {why} (reported once, by the first case that needed it)"
    ))
}

/// Milliseconds since the Unix epoch.
pub fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(0))
        .unwrap_or(0)
}

impl Session {
    /// Loads keys, builds the client and probes the sandbox.
    pub async fn new(config: RunConfig, seed: u64) -> Result<Session> {
        let read_key = |path: &Path| {
            crate::embedded::read_to_string(path).with_context(|| format!("reading key {}", path.display()))
        };
        // Keys are read and checked by upi-spec; the runner signs with its own AWS-LC key pair.
        let read_signer = |path: &Path| -> Result<(PublicKey, Arc<RsaKeyPair>)> {
            let key = keys::private_key_from_pem(&read_key(path)?)?;
            let der = key.as_rsa().to_pkcs8_der()?;
            let pair =
                RsaKeyPair::from_pkcs8(der.as_bytes()).map_err(|e| anyhow::anyhow!("key {}: {e}", path.display()))?;
            Ok((key.public_key(), Arc::new(pair)))
        };
        let (merchant_public, signing_key) = read_signer(&config.merchant.signing_key)?;
        let (_, wrong_key) = read_signer(&config.merchant.wrong_key)?;
        let psp_key = keys::public_key_from_pem(&read_key(&config.merchant.psp_public_key)?)?;
        let merchant_public_pem = merchant_public.to_pem();
        let client = Client::new(
            Duration::from_millis(config.limits.request_timeout_ms),
            config.limits.max_response_bytes,
            config.limits.requests_per_second,
            config.secrets(),
        )?;
        let sandbox_control = Sandbox::probe(&config, &client).await;
        let session = Session {
            sandbox: sandbox_control.available(),
            sandbox_control,
            client,
            seed,
            signing_key,
            wrong_key,
            merchant_public_pem,
            psp_key,
            receiver: Mutex::new(None),
            payment: Mutex::new(None),
            order_failed: std::sync::Mutex::new(None),
            apis: upi_spec::messages::apis(),
            config,
            unjudged: std::sync::atomic::AtomicU64::new(0),
        };
        Ok(session)
    }

    /// Runs one planned case alone (its own trace) and grades it.
    pub async fn run(&self, planned: &Planned) -> CaseResult {
        super::cases::run(self, planned).await
    }

    /// Runs against `apis` (default: the seed APIs, [`upi_spec::messages::apis`]).
    pub fn set_apis(&mut self, apis: &'static [upi_spec::model::api::Api]) {
        self.apis = apis;
    }

    /// The operations of the run's APIs.
    pub fn operations(&self) -> Vec<ApiCase> {
        api::cases_of(self.apis)
    }

    /// The operation of the run's APIs whose request model is `request`.
    pub fn operation(&self, request: upi_spec::id::MessageId) -> Result<ApiCase, CaseError> {
        self.operations()
            .into_iter()
            .find(|a| a.request == request)
            .ok_or_else(|| CaseError::from(anyhow::anyhow!("no API of the run sends {request}")))
    }

    /// How many requests this session sent to create shared state without judging their
    /// answers (the PayU payment the postservice cases name).
    pub fn unjudged(&self) -> u64 {
        self.unjudged.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The run's seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The run configuration.
    pub fn config(&self) -> &RunConfig {
        &self.config
    }

    /// The merchant's JWS signing key.
    pub fn signing_key(&self) -> &RsaKeyPair {
        &self.signing_key
    }

    /// A key the target does not know (for the wrong-key case).
    pub(crate) fn wrong_key(&self) -> &RsaKeyPair {
        &self.wrong_key
    }

    /// The merchant's public key as PEM (the HMAC key of the algorithm-confusion case).
    pub(crate) fn merchant_public_pem(&self) -> &str {
        &self.merchant_public_pem
    }

    /// The PSP's public key (verifies response signatures).
    pub fn psp_key(&self) -> &PublicKey {
        &self.psp_key
    }

    /// Stops sending to a base that `breaker` gives up (the unresponsive-target rule).
    pub fn set_breaker(&mut self, breaker: Arc<super::breaker::Breaker>) {
        self.client.set_breaker(breaker);
    }

    /// The HTTP client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The callback receiver, started on first use; the guard is held while a case uses it.
    pub(crate) async fn receiver(&self) -> Result<tokio::sync::MutexGuard<'_, Option<Receiver>>> {
        let mut guard = self.receiver.lock().await;
        if guard.is_none() {
            let addr = self.config.sandbox.receiver;
            *guard = Some(
                Receiver::bind(addr)
                    .await
                    .with_context(|| format!("starting the callback receiver on {addr} ([sandbox] receiver)"))?,
            );
        }
        Ok(guard)
    }

    /// The sandbox adapter.
    pub(crate) fn sandbox_control(&self) -> &Sandbox {
        &self.sandbox_control
    }

    /// The configured base URLs nothing accepts a TCP connection on.
    pub async fn reachable(&self) -> Vec<(String, String)> {
        unreachable_bases(&self.config).await
    }

    /// The base URL of `api`.
    pub fn base(&self, api: Api) -> Result<String> {
        self.config.base(api).context("no base URL configured for this API")
    }

    /// Creates the state a request of `api` depends on (an order, a payment).
    pub async fn context(
        &self,
        api: &ApiCase,
        rng: &mut ChaCha8Rng,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<Context, CaseError> {
        // The state the endpoint's context derivations read: an order, a payment.
        let needs = |d: Derivation| api.facts.context.iter().any(|c| c.derivation == d);
        let mut ctx = Context::default();
        if needs(Derivation::ExistingOrder) {
            ctx.order_id = Some(self.create_order(api, rng, exchanges).await?.0);
        }
        if needs(Derivation::ExistingPaymentTxnid) || needs(Derivation::ExistingPaymentId) {
            let (txnid, mihpayid) = self.payment(rng, exchanges).await?;
            ctx.payu_txnid = Some(txnid);
            ctx.payu_mihpayid = Some(mihpayid);
        }
        Ok(ctx)
    }

    /// Creates an order `api`'s requests can name with its API's setup operation (EC
    /// `/orders`), built from its model and context derivations; the order ID and the document
    /// sent. After a first failure the cases that follow are skipped with its reason.
    pub(crate) async fn create_order(
        &self,
        api: &ApiCase,
        rng: &mut ChaCha8Rng,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<(String, Document), CaseError> {
        if let Some(why) = self.order_failed.lock().ok().and_then(|f| f.clone()) {
            return Err(prerequisite_skip(&why));
        }
        let (setup, doc) = self.setup_document(api, rng)?;
        let x = self.send_document(&setup, &doc).await?;
        let order_id = created_id(setup.facts, &doc).map(|(_, id)| id).unwrap_or_default();
        if x.status == Some(200) {
            exchanges.push(x);
            return Ok((order_id, doc));
        }
        let path = setup.path;
        let failure = setup_failure(&format!("POST {path} did not create the order the case needs"), &x);
        exchanges.push(x);
        let mut failed = self
            .order_failed
            .lock()
            .map_err(|_| CaseError::Local(anyhow::anyhow!("order state poisoned")))?;
        if let Some(why) = failed.as_ref() {
            // A concurrent case failed first and reports it.
            return Err(prerequisite_skip(why));
        }
        *failed = Some(failure.to_string());
        Err(failure)
    }

    /// The setup operation of `api`'s API (EC `/orders`) and a valid document of it, its
    /// context applied (a fresh order ID, the credentials).
    pub(crate) fn setup_document(&self, api: &ApiCase, rng: &mut ChaCha8Rng) -> Result<(ApiCase, Document), CaseError> {
        let setup = api::setup_of(std::slice::from_ref(api.declared))
            .into_iter()
            .next()
            .ok_or_else(|| CaseError::from(anyhow::anyhow!("{} declares no setup operation", api.suite)))?;
        let doc = self.valid_with_context(&setup, None, ORDER_SETUP_DOCUMENT, false, &Context::default(), rng)?;
        Ok((setup, doc))
    }

    /// A PayU payment to update and verify, created once per run: concurrent cases wait for the
    /// first attempt, and when it failed they fail the same precondition without retrying.
    pub(crate) async fn payment(
        &self,
        rng: &mut ChaCha8Rng,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<(String, String), CaseError> {
        let mut payment = self.payment.lock().await;
        match payment.as_ref() {
            Some(Ok(p)) => return Ok(p.clone()),
            Some(Err(why)) => return Err(prerequisite_skip(why)),
            None => {}
        }
        let api = self
            .operations()
            .into_iter()
            .find(|a| a.creates_payment)
            .context("no API of the run creates payments")?;
        let (doc, x) = self
            .send_with(&api, None, 9_999, false, &Context::default(), rng)
            .await?;
        self.unjudged.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let body: Value = serde_json::from_slice(&x.response_bytes).unwrap_or(Value::Null);
        let txnid = created_id(api.facts, &doc).map(|(_, id)| id).unwrap_or_default();
        let mihpayid = body
            .pointer(PAYMENT_ID)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let created = x.status == Some(200) && !mihpayid.is_empty();
        if !created {
            let failure = setup_failure("_payment did not create the payment the case needs", &x);
            exchanges.push(x);
            *payment = Some(Err(failure.to_string()));
            return Err(failure);
        }
        exchanges.push(x);
        *payment = Some(Ok((txnid.clone(), mihpayid.clone())));
        Ok((txnid, mihpayid))
    }

    /// Forgets the run's PayU payment if it is still `stale_txnid` (the target refused a case
    /// naming it), so the next [`Session::payment`] creates another. Cases in flight that saw
    /// the same refusal find it forgotten already and share the one new payment.
    pub(crate) async fn forget_payment(&self, stale_txnid: &str) {
        let mut payment = self.payment.lock().await;
        if matches!(payment.as_ref(), Some(Ok((txnid, _))) if txnid == stale_txnid) {
            *payment = None;
        }
    }

    /// The document of a case: a seed sample, a generated valid document number `n` (with
    /// non-ASCII free text when `unicode`), or one breaking exactly `rule` (`None` when the
    /// generator cannot break it; `n` = 1 misses a two-sided bound from its other side).
    pub fn document(
        &self,
        api: &ApiCase,
        sample: Option<&Path>,
        n: u64,
        rule: Option<&str>,
        unicode: bool,
    ) -> Result<Option<Document>> {
        let message = api.request.message();
        let case_seed = self.seed
            ^ fxhash(api.request.as_str())
            ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ rule.map(fxhash).unwrap_or(0);
        Ok(match (sample, rule) {
            (Some(path), _) => {
                let bytes = crate::embedded::read(path).with_context(|| format!("reading {}", path.display()))?;
                Some(read(message, &bytes, Syntax::Auto, DEFAULT_MAX_BYTES)?)
            }
            (None, None) if unicode => Some(reading_neutral(api, generate::valid_unicode(message, case_seed))),
            (None, None) => Some(reading_neutral(api, generate::valid(message, case_seed))),
            (None, Some(rule)) if n == 1 => generate::breaking_other_side(message, rule, case_seed),
            (None, Some(rule)) => generate::breaking(message, rule, case_seed),
        })
    }

    /// `sample` (or, without one, a generated valid document number `n`) with `ctx` applied.
    pub fn valid_with_context(
        &self,
        api: &ApiCase,
        sample: Option<&Path>,
        n: u64,
        unicode: bool,
        ctx: &Context,
        rng: &mut ChaCha8Rng,
    ) -> Result<Document> {
        let mut doc = self.document(api, sample, n, None, unicode)?.context("no document")?;
        self.fill(api, ctx).apply(&mut doc, None, rng);
        Ok(doc)
    }

    /// The facts a case of `api` fills its requests' context from: the run's credentials,
    /// `ctx` and the clock now.
    pub fn fill<'a>(&'a self, api: &'a ApiCase, ctx: &'a Context) -> ContextFill<'a> {
        ContextFill {
            api,
            config: &self.config,
            ctx,
            now_millis: now_millis(),
        }
    }

    /// Builds and sends a valid request with the given context; returns the document sent.
    pub async fn send_with(
        &self,
        api: &ApiCase,
        sample: Option<&Path>,
        n: u64,
        unicode: bool,
        ctx: &Context,
        rng: &mut ChaCha8Rng,
    ) -> Result<(Document, Exchange)> {
        let doc = self.valid_with_context(api, sample, n, unicode, ctx, rng)?;
        let x = self.send_document(api, &doc).await?;
        Ok((doc, x))
    }

    /// Sends `doc` as a request of `api` to its base URL (signed where its model is).
    pub async fn send_document(&self, api: &ApiCase, doc: &Document) -> Result<Exchange> {
        let request = api::to_request(
            api,
            api.request.message(),
            doc,
            &self.base(api.api)?,
            &self.config,
            Some(self.signing_key.as_ref()),
            None,
        )?;
        Ok(self.client.send(&request).await)
    }

    /// Creates the context, then builds and sends a valid request; returns the document sent.
    pub async fn send_valid(
        &self,
        api: &ApiCase,
        sample: Option<&Path>,
        n: u64,
        unicode: bool,
        trace: &mut Trace,
    ) -> Result<(Document, Exchange), CaseError> {
        let ctx = self.context(api, &mut trace.rng, &mut trace.exchanges).await?;
        Ok(self.send_with(api, sample, n, unicode, &ctx, &mut trace.rng).await?)
    }
}

/// A generated valid `_payment` reads the same under both readings of ERRATA C-02: with
/// `api_version` 7 its `udf6`..`udf10` are dropped, so both hash sequences hash one string. Only
/// the `api-version-7-hash` flow sends them, and it judges both readings.
fn reading_neutral(api: &ApiCase, mut doc: Document) -> Document {
    if api.creates_payment
        && let Some(body) = doc.body.as_object_mut()
    {
        for udf in upi_spec::crypto::payu_sequence::UDF_6_TO_10 {
            body.remove(udf);
        }
    }
    doc
}

/// The ID a request of `op` creates: the body field its context fills with a fresh unique ID
/// (an order ID, a txnid, a merchantRequestId) and its value in `doc`.
pub(crate) fn created_id(op: &Operation, doc: &Document) -> Option<(&'static str, String)> {
    op.context.iter().find_map(|c| match (c.at, c.derivation) {
        (Place::Body(field), Derivation::UniqueId { .. }) => Some((field, doc.body.get(field)?.as_str()?.to_string())),
        _ => None,
    })
}

/// FNV-1a of a string (seeds per request model, rule and case).
pub fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// The configured base URLs nothing accepts a TCP connection on (a slow or broken HTTP answer is
/// not "unreachable": the cases report it).
pub async fn unreachable_bases(config: &RunConfig) -> Vec<(String, String)> {
    let mut unreachable = Vec::new();
    for api in super::config::Targets::NAMED {
        let Some(base) = config.base(api) else { continue };
        let Ok(url) = reqwest::Url::parse(&base) else {
            unreachable.push((base, "not a URL".into()));
            continue;
        };
        let host = url
            .host_str()
            .unwrap_or("")
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let port = url.port_or_known_default().unwrap_or(80);
        let timeout = Duration::from_millis(config.limits.request_timeout_ms.max(1_000));
        match tokio::time::timeout(timeout, tokio::net::TcpStream::connect((host.as_str(), port))).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => unreachable.push((base, e.to_string())),
            Err(_) => unreachable.push((base, "connection timed out".into())),
        }
    }
    unreachable.dedup();
    unreachable
}
