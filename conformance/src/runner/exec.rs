//! Executes planned cases against a target and grades them. Requests are built from the models
//! (generated or sample documents plus context), responses are judged by [`super::judge`], and
//! every exchange is kept for the report.

use std::collections::BTreeMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

use aws_lc_rs::signature::RsaKeyPair;
use rsa::pkcs8::EncodePrivateKey as _;
use serde_json::Value;
use sha2::Sha256;
use upi_spec::crypto::PublicKey;
use upi_spec::crypto::payu_sequence::HashFamily;
use upi_spec::crypto::{keys, payu_hash, response_signature};
use upi_spec::generate;
use upi_spec::input::{DEFAULT_MAX_BYTES, Document};
use upi_spec::messages;
use upi_spec::model::Message;
use upi_spec::read::{Syntax, read};

use super::api::{self, ApiCase, Context};
use super::case::{CaseResult, Finding, grade};
use super::config::{Api, RunConfig};
use super::http::{Body, Client, Exchange, Request};
use super::judge;
use super::plan::{Planned, Step};
use super::receiver::Receiver;

/// Everything a run needs while executing cases.
pub struct Executor {
    config: RunConfig,
    client: Client,
    seed: u64,
    rng: ChaCha8Rng,
    signing_key: Arc<RsaKeyPair>,
    wrong_key: Arc<RsaKeyPair>,
    merchant_public_pem: String,
    psp_key: PublicKey,
    /// Whether the target has the reference server's sandbox control.
    pub sandbox: bool,
    receiver: Option<Receiver>,
    payment: Option<(String, String)>,
    /// While set, generated valid documents carry non-ASCII free text (one acceptance case).
    unicode_text: bool,
}

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(0))
        .unwrap_or(0)
}

impl Executor {
    /// The run configuration.
    pub(crate) fn config(&self) -> &RunConfig {
        &self.config
    }

    /// The merchant's JWS signing key.
    pub(crate) fn signing_key(&self) -> &RsaKeyPair {
        &self.signing_key
    }

    /// The HTTP client.
    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    /// Loads keys, builds the client and probes the sandbox.
    pub async fn new(config: RunConfig, seed: u64) -> Result<Executor> {
        let read_key = |path: &std::path::Path| {
            crate::embedded::read_to_string(path).with_context(|| format!("reading key {}", path.display()))
        };
        // Keys are read and checked by upi-spec; the runner signs with its own AWS-LC key pair.
        let read_signer = |path: &std::path::Path| -> Result<(PublicKey, Arc<RsaKeyPair>)> {
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
        let mut executor = Executor {
            client,
            seed,
            rng: ChaCha8Rng::seed_from_u64(seed),
            signing_key,
            wrong_key,
            merchant_public_pem,
            psp_key,
            sandbox: false,
            receiver: None,
            payment: None,
            unicode_text: false,
            config,
        };
        if let Some(base) = executor.config.base(Api::Sandbox) {
            let probe = executor
                .client
                .send(&Request {
                    method: "GET".into(),
                    url: format!("{base}/sandbox/health"),
                    headers: Vec::new(),
                    body: Body::Empty,
                })
                .await;
            executor.sandbox = probe.status == Some(200) && probe.response_body.contains("sandbox");
        }
        Ok(executor)
    }

    /// The configured base URLs nothing accepts a TCP connection on.
    pub async fn reachable(&self) -> Vec<(String, String)> {
        unreachable_bases(&self.config).await
    }

    pub(crate) fn base(&self, api: Api) -> Result<String> {
        self.config.base(api).context("no base URL configured for this API")
    }

    /// Runs one planned case.
    pub async fn run(&mut self, planned: &Planned) -> CaseResult {
        let started = Instant::now();
        let mut findings = Vec::new();
        let mut exchanges = Vec::new();
        let result = match &planned.step {
            Step::Accept {
                api,
                sample,
                n,
                unicode,
            } => {
                self.accept(api, sample.as_deref(), *n, *unicode, &mut findings, &mut exchanges)
                    .await
            }
            Step::Reject { api, rule } => self.reject(api, rule, &mut findings, &mut exchanges).await,
            Step::Named { api, name } => self.named(api, name, &mut findings, &mut exchanges).await,
            Step::Skip { reason } => Err(Skip((*reason).to_string()).into()),
        };
        let mut skipped = None;
        if let Err(e) = result {
            match e.downcast_ref::<Skip>() {
                Some(Skip(reason)) => skipped = Some(reason.clone()),
                None => findings.push(Finding::must(
                    planned.rules.first().cloned().unwrap_or_default(),
                    format!("could not run the case: {e:#}"),
                )),
            }
        }
        for x in &exchanges {
            // The client records where a configured secret came back (headers or body).
            if x.reflects_secret() {
                findings.push(Finding::must(
                    "transport.no-secret-reflected",
                    format!(
                        "the response to {} reflects a secret ({})",
                        x.request_line,
                        x.secret_reflected.join(", ")
                    ),
                ));
            }
        }
        exchanges.iter_mut().for_each(Exchange::compact);
        let outcome = match skipped {
            Some(reason) => super::case::Outcome::Skipped { reason },
            None => grade(&findings),
        };
        CaseResult {
            id: planned.id.clone(),
            suite: planned.suite.clone(),
            kind: planned.kind,
            title: planned.title.clone(),
            rules: planned.rules.clone(),
            outcome,
            findings,
            exchanges,
            elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        }
    }

    /// Creates the state a request of `api` depends on.
    pub(crate) async fn context(&mut self, api: &ApiCase, exchanges: &mut Vec<Exchange>) -> Result<Context> {
        let mut ctx = Context::default();
        match api.suite {
            "ec-txns" => ctx.order_id = Some(self.create_order(exchanges).await?),
            "payu-postservice" => {
                let (txnid, mihpayid) = self.payment(exchanges).await?;
                ctx.payu_txnid = Some(txnid);
                ctx.payu_mihpayid = Some(mihpayid);
            }
            _ => {}
        }
        Ok(ctx)
    }

    async fn create_order(&mut self, exchanges: &mut Vec<Exchange>) -> Result<String> {
        let order_id = api::unique_id(&mut self.rng, "ORD", 20);
        let mut fields = serde_json::Map::new();
        fields.insert("order_id".into(), Value::String(order_id.clone()));
        fields.insert("amount".into(), Value::String("100.00".into()));
        fields.insert("customer_id".into(), Value::String(self.config.ec.customer_id.clone()));
        let auth = base64::engine::general_purpose::STANDARD.encode(format!("{}:", self.config.ec.api_key));
        let x = self
            .client
            .send(&Request {
                method: "POST".into(),
                url: format!("{}/orders", self.base(Api::Ec)?),
                headers: vec![
                    ("authorization".into(), format!("Basic {auth}")),
                    ("content-type".into(), "application/x-www-form-urlencoded".into()),
                ],
                body: Body::Bytes(api::form_body(fields).into_bytes()),
            })
            .await;
        let ok = x.status == Some(200);
        exchanges.push(x);
        anyhow::ensure!(ok, "POST /orders did not create the order the case needs");
        Ok(order_id)
    }

    /// A PayU payment to update and verify (created once per run).
    async fn payment(&mut self, exchanges: &mut Vec<Exchange>) -> Result<(String, String)> {
        if let Some(p) = &self.payment {
            return Ok(p.clone());
        }
        let api = api::all()
            .into_iter()
            .find(|a| a.suite == "payu-intent")
            .expect("payu-intent is listed");
        let (doc, x) = self.send_with(&api, None, 9_999, &Context::default()).await?;
        let body: Value = serde_json::from_slice(&x.response_bytes).unwrap_or(Value::Null);
        let txnid = doc
            .body
            .get("txnid")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mihpayid = body
            .pointer("/result/paymentId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let created = x.status == Some(200) && !mihpayid.is_empty();
        exchanges.push(x);
        anyhow::ensure!(created, "_payment did not create the payment the case needs");
        self.payment = Some((txnid, mihpayid));
        Ok(self.payment.clone().unwrap_or_default())
    }

    fn document(
        &mut self,
        api: &ApiCase,
        sample: Option<&std::path::Path>,
        n: u64,
        rule: Option<&str>,
    ) -> Result<Option<Document>> {
        let message = messages::find(api.request).context("unknown request model")?;
        let case_seed =
            self.seed ^ fxhash(api.request) ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ rule.map(fxhash).unwrap_or(0);
        Ok(match (sample, rule) {
            (Some(path), _) => {
                let bytes = crate::embedded::read(path).with_context(|| format!("reading {}", path.display()))?;
                Some(read(message, &bytes, Syntax::Auto, DEFAULT_MAX_BYTES)?)
            }
            (None, None) if self.unicode_text => Some(generate::valid_unicode(message, case_seed)),
            (None, None) => Some(generate::valid(message, case_seed)),
            (None, Some(rule)) => generate::breaking(message, rule, case_seed),
        })
    }

    /// A generated valid document of `api` (number `n`) with `ctx` applied.
    pub(crate) fn valid_with_context(
        &mut self,
        api: &ApiCase,
        message: &Message,
        n: u64,
        ctx: &Context,
    ) -> Result<Document> {
        self.sample_or_valid_with_context(api, message, None, n, ctx)
    }

    /// `sample` (or, without one, a generated valid document number `n`) with `ctx` applied.
    fn sample_or_valid_with_context(
        &mut self,
        api: &ApiCase,
        message: &Message,
        sample: Option<&std::path::Path>,
        n: u64,
        ctx: &Context,
    ) -> Result<Document> {
        let mut doc = self.document(api, sample, n, None)?.context("no document")?;
        api::apply_context(
            api,
            message,
            &mut doc,
            None,
            &self.config,
            ctx,
            &mut self.rng,
            now_millis(),
        );
        Ok(doc)
    }

    /// Builds and sends a valid request (with context); returns the document sent.
    async fn send_valid(
        &mut self,
        api: &ApiCase,
        sample: Option<&std::path::Path>,
        n: u64,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<(Document, Exchange)> {
        let ctx = self.context(api, exchanges).await?;
        self.send_with(api, sample, n, &ctx).await
    }

    /// Builds and sends a valid request with the given context.
    async fn send_with(
        &mut self,
        api: &ApiCase,
        sample: Option<&std::path::Path>,
        n: u64,
        ctx: &Context,
    ) -> Result<(Document, Exchange)> {
        let message = messages::find(api.request).context("unknown request model")?;
        let doc = self.sample_or_valid_with_context(api, message, sample, n, ctx)?;
        let request = api::to_request(
            api,
            message,
            &doc,
            &self.base(api.api)?,
            &self.config,
            Some(self.signing_key.as_ref()),
            None,
        )?;
        let x = self.client.send(&request).await;
        Ok((doc, x))
    }

    async fn accept(
        &mut self,
        api: &ApiCase,
        sample: Option<&std::path::Path>,
        n: u64,
        unicode: bool,
        findings: &mut Vec<Finding>,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<()> {
        self.unicode_text = unicode;
        let sent = self.send_valid(api, sample, n, exchanges).await;
        self.unicode_text = false;
        let (doc, x) = sent?;
        findings.extend(judge::transport(&x));
        if x.status.is_some() && api.rejected(x.status, &x.response_bytes) {
            findings.push(Finding::must(
                format!("{}.accepted", api.request),
                format!(
                    "a valid request was rejected: HTTP {} {}",
                    x.status.unwrap_or(0),
                    excerpt(&x.response_body)
                ),
            ));
            // Taken for a rejection, the answer is still judged as one: an answer that reads as
            // a rejection only because it breaks its model (PayU's invoice upload without
            // responseCode 00) is reported under the rule it breaks.
            judge::response_against(api.error, &x, findings);
        } else if x.status.is_some() {
            self.judge_success(api, &doc, &x, findings);
        }
        exchanges.push(x);
        Ok(())
    }

    /// Checks an acceptance against the success model, echoes, signatures and deeplinks.
    pub(crate) fn judge_success(&self, api: &ApiCase, sent: &Document, x: &Exchange, findings: &mut Vec<Finding>) {
        let Some(answer) = judge::response_against(api.success, x, findings) else {
            return;
        };
        judge::echoes(api.success, sent, &answer, findings);
        match api.suite {
            "ec-txns" | "merchant-register-intent" => {
                judge::mapped_deeplink(api.success, &answer.body, findings);
            }
            "payu-intent" => {
                judge::intent_uri_data(&answer.body, findings);
            }
            _ => {}
        }
        if api.suite == "merchant-register-intent" && x.status == Some(200) {
            match x.header("x-response-signature") {
                None => findings.push(Finding::must(
                    "merchant.register-intent.response-signed",
                    "HTTP 200 without x-response-signature",
                )),
                Some(sig) => {
                    if let Err(e) = response_signature::verify(&self.psp_key, &x.response_bytes, sig) {
                        findings.push(Finding::must(upi_spec::crypto::RuleError::rule_id(&e), e.to_string()));
                    }
                }
            }
        }
    }

    async fn reject(
        &mut self,
        api: &ApiCase,
        rule: &str,
        findings: &mut Vec<Finding>,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<()> {
        let message = messages::find(api.request).context("unknown request model")?;
        let ctx = self.context(api, exchanges).await?;
        let syntax = format!("{}.{}", message.id, upi_spec::catalogue::syntax_rule(message).0);
        let root_type = format!("{}.type", message.id);
        let (doc, raw) = if rule == root_type {
            let doc = self.valid_with_context(api, message, 0, &ctx)?;
            (doc, Some("[]".to_string()))
        } else if rule == syntax {
            let doc = self.valid_with_context(api, message, 0, &ctx)?;
            let raw = match message.encoding {
                upi_spec::model::Encoding::Json => "{\"merchantRequestId\": \"unterminated".to_string(),
                _ => format!(
                    "{}&broken=%zz",
                    api::form_body(doc.body.as_object().cloned().unwrap_or_default())
                ),
            };
            (doc, Some(raw))
        } else {
            let mut doc = self
                .document(api, None, 0, Some(rule))?
                .with_context(|| format!("the generator cannot break {rule}"))?;
            api::apply_context(
                api,
                message,
                &mut doc,
                Some(rule),
                &self.config,
                &ctx,
                &mut self.rng,
                now_millis(),
            );
            (doc, None)
        };
        let request = api::to_request(
            api,
            message,
            &doc,
            &self.base(api.api)?,
            &self.config,
            Some(self.signing_key.as_ref()),
            raw.as_deref(),
        )?;
        let mut request = request;
        if rule == syntax
            && let Body::Multipart(parts) = &mut request.body
        {
            // A multipart body cannot carry a bad percent escape; a part name sent twice with
            // two values is its ambiguity.
            parts.push(("var1".into(), "a-second-var1".into()));
        }
        let x = self.client.send(&request).await;
        findings.extend(judge::transport(&x));
        self.expect_rejection(api, rule, &x, findings);
        exchanges.push(x);
        Ok(())
    }

    pub(crate) fn expect_rejection(&self, api: &ApiCase, rule: &str, x: &Exchange, findings: &mut Vec<Finding>) {
        let Some(status) = x.status else { return };
        if status >= 500 {
            return;
        }
        if !api.rejected(Some(status), &x.response_bytes) {
            findings.push(Finding::must(rule, x.not_rejected(rule, &excerpt(&x.response_body))));
            return;
        }
        let mut shape = Vec::new();
        let routed =
            messages::find(api.request).is_none_or(|m| !api::touched(m, Some(rule)).0.iter().any(|f| f == "command"));
        let error_model = match api.unroutable_error {
            Some(model) if !routed => model,
            _ => api.error,
        };
        if let Some(answer) = judge::response_against(error_model, x, &mut shape)
            && api.suite == "merchant-register-intent"
            && answer.body.get("status").and_then(Value::as_str) == Some("SUCCESS")
        {
            shape.push(Finding::must(
                format!("{}.status.enum", api.error),
                "a rejection says status SUCCESS",
            ));
        }
        findings.extend(shape);
    }

    async fn named(
        &mut self,
        api: &ApiCase,
        name: &str,
        findings: &mut Vec<Finding>,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<()> {
        match name {
            "order-txns-deeplink" => {
                let (doc, x) = self.send_valid(api, None, 1_000, exchanges).await?;
                findings.extend(judge::transport(&x));
                if let Some(order) = exchanges.first()
                    && let Some(answer) = judge::response_against("ec.orders.response", order, findings)
                {
                    // The order the case paid is the one it created: its order_id is the echo.
                    let mut sent = serde_json::Map::new();
                    if let Some(order_id) = doc.body.get("order_id") {
                        sent.insert("order_id".into(), order_id.clone());
                    }
                    let request = Document {
                        headers: None,
                        body: Value::Object(sent),
                    };
                    judge::echoes("ec.orders.response", &request, &answer, findings);
                }
                if api.rejected(x.status, &x.response_bytes) {
                    findings.push(Finding::must(
                        "ec.txns.request.accepted",
                        "paying a fresh order was rejected",
                    ));
                } else {
                    self.judge_success(api, &doc, &x, findings);
                    let body: Value = serde_json::from_slice(&x.response_bytes).unwrap_or(Value::Null);
                    let amount = body
                        .pointer("/payment/sdk_params/amount")
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    if !upi_spec::validate::decimal_eq(amount, "100.00") {
                        findings.push(Finding::must(
                            "deeplink.consistency.am",
                            format!("sdk_params.amount {amount:?} is not the order's amount 100.00"),
                        ));
                    }
                }
                exchanges.push(x);
            }
            "unknown-order-rejected" => {
                let message = messages::find(api.request).context("model")?;
                let mut doc = self.document(api, None, 2_000, None)?.context("doc")?;
                let ctx = Context {
                    order_id: Some(api::unique_id(&mut self.rng, "NOPE", 20)),
                    ..Context::default()
                };
                api::apply_context(
                    api,
                    message,
                    &mut doc,
                    None,
                    &self.config,
                    &ctx,
                    &mut self.rng,
                    now_millis(),
                );
                self.send_expecting_rejection(api, message, &doc, "ec.txns.order.exists", findings, exchanges)
                    .await?;
            }
            "orders-need-auth" => {
                let mut fields = serde_json::Map::new();
                fields.insert(
                    "order_id".into(),
                    Value::String(api::unique_id(&mut self.rng, "ORD", 20)),
                );
                fields.insert("amount".into(), Value::String("1.00".into()));
                let x = self
                    .client
                    .send(&Request {
                        method: "POST".into(),
                        url: format!("{}/orders", self.base(Api::Ec)?),
                        headers: vec![("content-type".into(), "application/x-www-form-urlencoded".into())],
                        body: Body::Bytes(api::form_body(fields).into_bytes()),
                    })
                    .await;
                findings.extend(judge::transport(&x));
                if !x.status.is_some_and(|s| (400..500).contains(&s)) {
                    findings.push(Finding::must(
                        "ec.orders.authenticated",
                        format!("POST /orders without credentials answered {:?}", x.status),
                    ));
                }
                exchanges.push(x);
            }
            "duplicate-rejected" => {
                let message = messages::find(api.request).context("model")?;
                let (doc, first) = self.send_valid(api, None, 3_000, exchanges).await?;
                findings.extend(judge::transport(&first));
                let accepted = !api.rejected(first.status, &first.response_bytes);
                exchanges.push(first);
                if !accepted {
                    findings.push(Finding::must(
                        format!("{}.accepted", api.request),
                        "the first, valid registration was rejected",
                    ));
                    return Ok(());
                }
                let mut again = doc.clone();
                if let Some(h) = again
                    .headers
                    .as_mut()
                    .and_then(|h| h.iter_mut().find(|(k, _)| k == "x-timestamp"))
                {
                    h.1 = now_millis().to_string();
                }
                let x = self
                    .client
                    .send(&api::to_request(
                        api,
                        message,
                        &again,
                        &self.base(api.api)?,
                        &self.config,
                        Some(self.signing_key.as_ref()),
                        None,
                    )?)
                    .await;
                findings.extend(judge::transport(&x));
                self.expect_rejection(api, "merchant.register-intent.merchantRequestId.unique", &x, findings);
                exchanges.push(x);
            }
            jws_case if jws_case.starts_with("jws-") => self.jws_attack(api, jws_case, findings, exchanges).await?,
            "wrong-hash-rejected" => {
                let message = messages::find(api.request).context("model")?;
                let mut doc = self.document(api, None, 4_000, None)?.context("doc")?;
                let ctx = self.context(api, exchanges).await?;
                api::apply_context(
                    api,
                    message,
                    &mut doc,
                    None,
                    &self.config,
                    &ctx,
                    &mut self.rng,
                    now_millis(),
                );
                if let Some(h) = api::payu_request_hash(api, &doc, "not-the-salt")
                    && let Some(m) = doc.body.as_object_mut()
                {
                    m.insert("hash".into(), Value::String(h));
                }
                self.send_expecting_rejection(api, message, &doc, "payu.hash.request.mismatch", findings, exchanges)
                    .await?;
            }
            "duplicate-txnid-rejected" => {
                let message = messages::find(api.request).context("model")?;
                let (doc, first) = self.send_valid(api, None, 5_000, exchanges).await?;
                let accepted = !api.rejected(first.status, &first.response_bytes);
                findings.extend(judge::transport(&first));
                exchanges.push(first);
                if !accepted {
                    findings.push(Finding::must(
                        "payu.payment.request.accepted",
                        "the first, valid payment was rejected",
                    ));
                    return Ok(());
                }
                self.send_expecting_rejection(api, message, &doc, "payu.payment.txnid.unique", findings, exchanges)
                    .await?;
            }
            "callback-verify-udf" => self.callback_flow(api, findings, exchanges).await?,
            "large-body" => super::large_body::run(self, api, findings, exchanges).await?,
            "udf-update-bad-hash" => {
                let message = messages::find(api.request).context("model")?;
                let ctx = self.context(api, exchanges).await?;
                let mut doc = self.valid_with_context(api, message, 6_000, &ctx)?;
                if let Some(m) = doc.body.as_object_mut() {
                    let wrong = api::payu_request_hash(api, &Document::body(Value::Object(m.clone())), "not-the-salt")
                        .unwrap_or_default();
                    m.insert("hash".into(), Value::String(wrong));
                }
                self.send_expecting_rejection(api, message, &doc, "payu.hash.command.mismatch", findings, exchanges)
                    .await?;
            }
            other => anyhow::bail!("unknown named case {other}"),
        }
        Ok(())
    }

    async fn jws_attack(
        &mut self,
        api: &ApiCase,
        name: &str,
        findings: &mut Vec<Finding>,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<()> {
        let message = messages::find(api.request).context("model")?;
        let mut doc = self.document(api, None, 7_000, None)?.context("doc")?;
        let now = if name == "jws-stale-iat" {
            now_millis() - 3_600_000
        } else {
            now_millis()
        };
        api::apply_context(
            api,
            message,
            &mut doc,
            None,
            &self.config,
            &Context::default(),
            &mut self.rng,
            now,
        );
        let payload = serde_json::to_string(&doc.body)?;
        let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let kid = self.config.merchant.key_id.clone();
        let envelope = match name {
            "jws-tampered-payload" => {
                let signed = api::sign_flattened_jws(&self.signing_key, &kid, "RS256", payload.as_bytes())?;
                let mut envelope: Value = serde_json::from_str(&signed)?;
                let mut tampered = doc.body.clone();
                tampered["amount"] = Value::String("99999.00".into());
                envelope["payload"] = Value::String(b64(tampered.to_string().as_bytes()));
                envelope.to_string()
            }
            "jws-wrong-key" => api::sign_flattened_jws(&self.wrong_key, &kid, "RS256", payload.as_bytes())?,
            "jws-unknown-kid" => {
                api::sign_flattened_jws(&self.signing_key, "unknown-key-id", "RS256", payload.as_bytes())?
            }
            "jws-stale-iat" => api::sign_flattened_jws(&self.signing_key, &kid, "RS256", payload.as_bytes())?,
            "jws-alg-none" => {
                let protected = b64(format!(r#"{{"alg":"none","kid":"{kid}"}}"#).as_bytes());
                serde_json::json!({"protected": protected, "payload": b64(payload.as_bytes()), "signature": ""})
                    .to_string()
            }
            "jws-alg-hmac" => {
                let protected = b64(format!(r#"{{"alg":"HS256","kid":"{kid}"}}"#).as_bytes());
                let body = b64(payload.as_bytes());
                let mut mac = Hmac::<Sha256>::new_from_slice(self.merchant_public_pem.as_bytes())
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                mac.update(format!("{protected}.{body}").as_bytes());
                serde_json::json!({"protected": protected, "payload": body, "signature": b64(&mac.finalize().into_bytes())}).to_string()
            }
            "jws-padded-base64" => {
                let signed =
                    api::sign_flattened_jws(&self.signing_key, &kid, "RS256", format!("{payload} ").as_bytes())?;
                let signed: Value = serde_json::from_str(&signed)?;
                let pad = |v: &Value| {
                    let s = v.as_str().unwrap_or_default();
                    format!("{s}{}", "=".repeat(((4 - s.len() % 4) % 4).clamp(1, 2)))
                };
                serde_json::json!({"protected": pad(&signed["protected"]), "payload": pad(&signed["payload"]), "signature": pad(&signed["signature"])})
                    .to_string()
            }
            other => anyhow::bail!("unknown JWS case {other}"),
        };
        let mut request = api::to_request(api, message, &doc, &self.base(api.api)?, &self.config, None, None)?;
        request.body = Body::Bytes(envelope.into_bytes());
        let x = self.client.send(&request).await;
        findings.extend(judge::transport(&x));
        let rule = match name {
            "jws-alg-none" => "juspay.jws.alg-none",
            "jws-alg-hmac" => "juspay.jws.alg-hmac",
            "jws-unknown-kid" => "juspay.jws.kid-unknown",
            "jws-stale-iat" => "juspay.jws.iat.stale",
            "jws-padded-base64" => "juspay.jws.base64url",
            _ => "juspay.jws.signature",
        };
        self.expect_rejection(api, rule, &x, findings);
        exchanges.push(x);
        Ok(())
    }

    /// Sends `doc` as `api`'s request (unsigned, as built) and expects the API's rejection,
    /// naming `rule` when it is accepted.
    async fn send_expecting_rejection(
        &mut self,
        api: &ApiCase,
        message: &Message,
        doc: &Document,
        rule: &str,
        findings: &mut Vec<Finding>,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<()> {
        let request = api::to_request(api, message, doc, &self.base(api.api)?, &self.config, None, None)?;
        let x = self.client.send(&request).await;
        findings.extend(judge::transport(&x));
        self.expect_rejection(api, rule, &x, findings);
        exchanges.push(x);
        Ok(())
    }

    /// Asks `verify_payment` for one txnid; returns the status it reports.
    async fn verify_payment(
        &mut self,
        txnid: &str,
        findings: &mut Vec<Finding>,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<Option<String>> {
        let post = api::all()
            .into_iter()
            .find(|a| a.variant == "verify-payment")
            .context("verify api")?;
        let model = messages::find(post.request).context("model")?;
        let mut verify = Document::body(
            serde_json::json!({"key": self.config.payu.key, "command": "verify_payment", "var1": txnid}),
        );
        let ctx = Context {
            payu_txnid: Some(txnid.to_string()),
            ..Context::default()
        };
        api::apply_context(
            &post,
            model,
            &mut verify,
            None,
            &self.config,
            &ctx,
            &mut self.rng,
            now_millis(),
        );
        let request = api::to_request(&post, model, &verify, &self.base(Api::Payu)?, &self.config, None, None)?;
        let x = self.client.send(&request).await;
        findings.extend(judge::transport(&x));
        let status = judge::response_against(post.success, &x, findings).and_then(|answer| {
            answer
                .body
                .pointer(&format!("/transaction_details/{txnid}/status"))
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        exchanges.push(x);
        Ok(status)
    }

    async fn callback_flow(
        &mut self,
        api: &ApiCase,
        findings: &mut Vec<Finding>,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<()> {
        if !self.sandbox {
            return Err(Skip(
                "the target has no sandbox control endpoint (GET /sandbox/health) to complete a payment".into(),
            )
            .into());
        }
        if self.receiver.is_none() {
            self.receiver = Some(Receiver::start().await.context("starting the callback receiver")?);
        }
        let callback_url = self.receiver.as_ref().map(Receiver::url).unwrap_or_default();
        let sandbox = self.base(Api::Sandbox)?;
        let form = |pairs: &[(&str, &str)]| {
            let mut ser = form_urlencoded::Serializer::new(String::new());
            for (k, v) in pairs {
                ser.append_pair(k, v);
            }
            Body::Bytes(ser.finish().into_bytes())
        };
        let ct = vec![(
            "content-type".to_string(),
            "application/x-www-form-urlencoded".to_string(),
        )];
        let set = self
            .client
            .send(&Request {
                method: "POST".into(),
                url: format!("{sandbox}/sandbox/payu/callback-url"),
                headers: ct.clone(),
                body: form(&[("url", &callback_url)]),
            })
            .await;
        exchanges.push(set);
        let (doc, pay) = self.send_valid(api, None, 8_000, exchanges).await?;
        findings.extend(judge::transport(&pay));
        let accepted = pay.status == Some(200) && !api.rejected(pay.status, &pay.response_bytes);
        exchanges.push(pay);
        if !accepted {
            findings.push(Finding::must(
                "payu.payment.request.accepted",
                "the payment to complete was rejected",
            ));
            return Ok(());
        }
        let txnid = doc
            .body
            .get("txnid")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let before = self.verify_payment(&txnid, findings, exchanges).await?;
        if before.as_deref() != Some("pending") {
            findings.push(Finding::must(
                "payu.verify-payment.agrees",
                format!("verify_payment says {before:?} for a payment _payment answered as pending"),
            ));
        }
        let complete = self
            .client
            .send(&Request {
                method: "POST".into(),
                url: format!("{sandbox}/sandbox/payu/complete"),
                headers: ct.clone(),
                body: form(&[("txnid", &txnid), ("status", "success")]),
            })
            .await;
        exchanges.push(complete);
        let received = match self.receiver.as_mut() {
            Some(r) => r.next(Duration::from_secs(5)).await,
            None => None,
        };
        let Some(callback) = received else {
            findings.push(Finding::must(
                "payu.callback.delivered",
                "no S2S callback arrived within 5 s of completing the payment",
            ));
            return Ok(());
        };
        let callback_model = messages::find("payu.callback").context("model")?;
        match read(callback_model, &callback, Syntax::Form, DEFAULT_MAX_BYTES) {
            Err(e) => findings.push(Finding::must("payu.callback.form", e.to_string())),
            Ok(cb) => {
                findings.extend(
                    upi_spec::validate::validate(callback_model, &cb)
                        .into_iter()
                        .map(|v| Finding {
                            rule: v.rule,
                            severity: v.severity,
                            message: format!("{}: {}", v.at, v.reason),
                        }),
                );
                let fields: BTreeMap<String, String> = cb
                    .body
                    .as_object()
                    .map(|m| {
                        m.iter()
                            .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                            .collect()
                    })
                    .unwrap_or_default();
                let received_hash = fields.get("hash").cloned().unwrap_or_default();
                if let Err(e) = payu_hash::verify(
                    HashFamily::Response,
                    &fields,
                    &payu_hash::Salt::new(&self.config.payu.salt),
                    &received_hash,
                ) {
                    findings.push(Finding::must(upi_spec::crypto::RuleError::rule_id(&e), e.to_string()));
                }
                if fields.get("txnid").map(String::as_str) != Some(txnid.as_str())
                    || fields.get("status").map(String::as_str) != Some("success")
                {
                    findings.push(Finding::must(
                        "payu.callback.delivered",
                        format!(
                            "the callback is for {:?} with status {:?}",
                            fields.get("txnid"),
                            fields.get("status")
                        ),
                    ));
                }
            }
        }
        let status = self.verify_payment(&txnid, findings, exchanges).await?;
        if status.as_deref() != Some("success") {
            findings.push(Finding::must(
                "payu.verify-payment.agrees",
                format!("verify_payment says {status:?} after a success callback"),
            ));
        }
        let udf = api::all()
            .into_iter()
            .find(|a| a.variant == "udf-update")
            .context("udf api")?;
        let udf_model = messages::find(udf.request).context("model")?;
        let mut update = Document::body(
            serde_json::json!({"key": self.config.payu.key, "command": "udf_update", "var1": txnid, "var6": "INV000000005"}),
        );
        api::apply_context(
            &udf,
            udf_model,
            &mut update,
            None,
            &self.config,
            &Context {
                payu_txnid: Some(txnid.clone()),
                ..Context::default()
            },
            &mut self.rng,
            now_millis(),
        );
        let x = self
            .client
            .send(&api::to_request(
                &udf,
                udf_model,
                &update,
                &self.base(Api::Payu)?,
                &self.config,
                None,
                None,
            )?)
            .await;
        findings.extend(judge::transport(&x));
        if udf.rejected(x.status, &x.response_bytes) {
            findings.push(Finding::must(
                "payu.udf-update.request.accepted",
                format!(
                    "udf_update of the completed payment was rejected: {}",
                    excerpt(&x.response_body)
                ),
            ));
        } else if let Some(answer) = judge::response_against(udf.success, &x, findings) {
            judge::echoes(udf.success, &update, &answer, findings);
        }
        exchanges.push(x);
        Ok(())
    }
}

/// A case that cannot run against this target, and why.
#[derive(Debug)]
pub struct Skip(pub String);

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Skip {}

fn excerpt(text: &str) -> String {
    let t: String = text.chars().take(160).collect();
    if text.chars().count() > 160 {
        format!("{t}…")
    } else {
        t
    }
}

fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// The configured base URLs nothing accepts a TCP connection on (a slow or broken HTTP answer is
/// not "unreachable": the cases report it).
pub async fn unreachable_bases(config: &RunConfig) -> Vec<(String, String)> {
    let mut unreachable = Vec::new();
    for api in [Api::Ec, Api::Merchant, Api::Payu] {
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
