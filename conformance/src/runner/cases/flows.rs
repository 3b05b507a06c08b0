//! The one driver of the flows an API's facts name ([`Flow`]): it walks the flow's declared
//! path through the reference model ([`upi_spec::lifecycle`]) against the target. Each step is
//! sent through the session (a fresh request of the flow's operation, the document of an
//! earlier step again, a PayU command naming an earlier payment or an unknown one, the sandbox
//! completing a payment), its answer judged against the model's prediction (accepted, refused
//! under a rule, the status `verify_payment` reports) and the step's named checks
//! ([`super::flow_checks`]), and the model moved on from the answer. A step predicted accepted
//! and refused ends the walk (the steps after it name what it would have created).

use serde_json::Value;
use tokio::sync::MutexGuard;
use upi_spec::input::Document;
use upi_spec::lifecycle::{self, Entity, Model, Path, Prediction, Sends, Step, Target, Transition};
use upi_spec::model::api::{Derivation, Place};

use crate::runner::api::{self, ApiCase, Context};
use crate::runner::case::Finding;
use crate::runner::http::Exchange;
use crate::runner::judge;
use crate::runner::outcome::CaseError;
use crate::runner::receiver::Receiver;
use crate::runner::session::{PAYMENT_ID, Session, Trace, created_id, now_millis};

pub use upi_spec::model::flow::Flow;

/// What a walk remembers of one step.
#[derive(Debug, Clone, Default)]
pub(super) struct Sent {
    /// The request document sent.
    pub doc: Option<Document>,
    /// The entity's ID on the wire (an order ID, a txnid), when the step created or named one.
    pub id: Option<String>,
    /// A payment's PayU ID as the answer gave it.
    pub payment_id: Option<String>,
    /// The answer's JSON body (`Null` when it had none), or the transaction `verify_payment`
    /// reported.
    pub answer: Value,
    /// The S2S callback the step received.
    pub callback: Option<Vec<u8>>,
}

/// What a step's send produced.
pub(super) enum Answer {
    /// An HTTP answer of an operation (judged against the prediction, then pushed).
    Http(Box<(ApiCase, Exchange)>),
    /// Done with no answer to judge (an order created by the setup operation, a payment
    /// settled in the sandbox).
    Done,
    /// The sandbox completed a payment; the callback, if one arrived.
    Callback(Option<Vec<u8>>),
    /// `verify_payment` answered; the transaction it reported when its answer reads as the
    /// success model.
    Transaction(Option<Value>),
}

/// One walk of a path against the target.
pub(super) struct Walk<'a> {
    /// The session.
    pub session: &'a Session,
    /// The operation the flow runs against.
    pub api: &'a ApiCase,
    /// The path walked.
    pub path: Path,
    /// The model's state.
    pub model: Model,
    /// What each step sent and got, by step index.
    pub sent: Vec<Sent>,
    /// How many fresh generated documents of the operation were sent.
    generated: u64,
    /// The callback receiver, held while the path needs it.
    receiver: Option<MutexGuard<'a, Option<Receiver>>>,
}

impl Walk<'_> {
    /// The next generated document number of the path.
    pub fn next_document(&mut self) -> u64 {
        let n = self.path.documents + self.generated;
        self.generated += 1;
        n
    }

    /// What the step `target` names was sent with.
    fn of(&self, target: Target) -> Option<&Sent> {
        match target {
            Target::Step(n) => self.sent.get(n),
            Target::Fresh | Target::Unknown => None,
        }
    }
}

/// Walks the flow's path against `api`.
pub async fn run(flow: Flow, session: &Session, api: &ApiCase, trace: &mut Trace) -> Result<(), CaseError> {
    let path = lifecycle::path(flow);
    let mut walk = Walk {
        session,
        api,
        path,
        model: Model::new(),
        sent: vec![Sent::default(); path.steps.len()],
        generated: 0,
        receiver: None,
    };
    if path.needs_sandbox() {
        let sandbox = session.sandbox_control();
        if let Some(why) = sandbox.absent() {
            return Err(CaseError::skip(why.to_string()));
        }
        // The receiver is held while the path needs it: the callback URL is the target's, one
        // at a time.
        let receiver = session.receiver().await?;
        let callback_url = sandbox.callback_url(&receiver.as_ref().map(|r| r.url()).unwrap_or_default());
        sandbox
            .pass_callback_url(session.client(), &callback_url, &mut trace.exchanges)
            .await?;
        walk.receiver = Some(receiver);
    }
    for (i, step) in path.steps.iter().enumerate() {
        let prediction = walk
            .model
            .predict(i, step)
            .map_err(|e| CaseError::Local(anyhow::anyhow!("flow {}: {e}", flow.name())))?;
        let answer = send(&mut walk, i, step, trace).await?;
        let (accepted, go_on) = judge_step(&mut walk, i, step, prediction, answer, trace).await?;
        walk.model.apply(i, step, accepted);
        if !go_on {
            break;
        }
    }
    Ok(())
}

/// Sends step `i`.
async fn send(walk: &mut Walk<'_>, i: usize, step: &Step, trace: &mut Trace) -> Result<Answer, CaseError> {
    let session = walk.session;
    match (step.transition.sends(), step.transition) {
        (Sends::Setup, _) => {
            let (id, doc) = session
                .create_order(walk.api, &mut trace.rng, &mut trace.exchanges)
                .await?;
            walk.sent[i].id = Some(id);
            walk.sent[i].doc = Some(doc);
            Ok(Answer::Done)
        }
        (Sends::Operation, _) => {
            let doc = operation_document(walk, step, trace).await?;
            let x = session.send_document(walk.api, &doc).await?;
            let answer: Value = serde_json::from_slice(&x.response_bytes).unwrap_or(Value::Null);
            walk.sent[i] = Sent {
                id: created_id(walk.api.facts, &doc).map(|(_, id)| id),
                payment_id: answer.pointer(PAYMENT_ID).and_then(|id| match id {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                }),
                doc: Some(doc),
                answer,
                callback: None,
            };
            Ok(Answer::Http(Box::new((walk.api.clone(), x))))
        }
        (Sends::Sandbox, transition) => {
            let sandbox = session.sandbox_control();
            let paid = walk.of(step.target).cloned().unwrap_or_default();
            let txnid = paid.id.unwrap_or_default();
            if transition == Transition::Settle {
                sandbox.settled(session.client(), &txnid, &mut trace.exchanges).await?;
                return Ok(Answer::Done);
            }
            let amount = paid
                .doc
                .as_ref()
                .and_then(|d| d.body.get("amount"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            sandbox
                .complete(session.client(), &txnid, amount, &mut trace.exchanges)
                .await?;
            let received = match walk.receiver.as_mut().and_then(|r| r.as_mut()) {
                Some(r) => r.next(sandbox.callback_wait()).await,
                None => None,
            };
            // The callback is in; the receiver is free for other cases.
            walk.receiver = None;
            walk.sent[i].callback = received.clone();
            Ok(Answer::Callback(received))
        }
        (Sends::Request(request), transition) => {
            let named = walk.of(step.target).cloned().unwrap_or_default();
            let id = match (step.target, transition) {
                (Target::Unknown, Transition::InvoiceUpload) => unknown_payu_id(&mut trace.rng),
                (Target::Unknown, _) => api::unique_id(&mut trace.rng, "NOPE", 20),
                (_, Transition::InvoiceUpload) => named.payment_id.unwrap_or_default(),
                _ => named.id.unwrap_or_default(),
            };
            let (op, doc, x) = super::flow_checks::send_command(session, request, &id, step.with, trace).await?;
            if transition == Transition::Verify {
                trace.findings.extend(judge::transport(&x));
                let transaction = judge::response_against(op.success, &x, &mut trace.findings)
                    .and_then(|answer| answer.body.get("transaction_details")?.get(&id).cloned());
                trace.exchanges.push(x);
                walk.sent[i].answer = transaction.clone().unwrap_or(Value::Null);
                walk.sent[i].doc = Some(doc);
                return Ok(Answer::Transaction(transaction));
            }
            walk.sent[i].answer = serde_json::from_slice(&x.response_bytes).unwrap_or(Value::Null);
            walk.sent[i].doc = Some(doc);
            walk.sent[i].id = Some(id);
            Ok(Answer::Http(Box::new((op, x))))
        }
    }
}

/// The document of a request of the flow's operation: the document of the step it names
/// again (its timestamps fresh), or a fresh generated one with the step's fields and its
/// context (the order it pays: the one an earlier step created, or one that does not exist).
async fn operation_document(walk: &mut Walk<'_>, step: &Step, trace: &mut Trace) -> Result<Document, CaseError> {
    let (session, api) = (walk.session, walk.api);
    // A registration or a payment named again: the same request again.
    if let Target::Step(n) = step.target
        && step.transition.entity() != Entity::Order
    {
        let mut again = walk.sent[n].doc.clone().unwrap_or_else(|| Document::body(Value::Null));
        refresh_clock(api, &mut again);
        return Ok(again);
    }
    let ctx = match (step.transition, step.target) {
        (Transition::PayOrder, Target::Step(n)) => Context {
            order_id: walk.sent[n].id.clone(),
            ..Context::default()
        },
        (Transition::PayOrder, Target::Unknown) => Context {
            order_id: Some(api::unique_id(&mut trace.rng, "NOPE", 20)),
            ..Context::default()
        },
        _ => session.context(api, &mut trace.rng, &mut trace.exchanges).await?,
    };
    fresh_document(walk, step.with, &ctx, trace)
}

/// A fresh generated document of the flow's operation (the path's next number) with the
/// fields `with` set, then the context `ctx` applied (a hash covers the fields).
pub(super) fn fresh_document(
    walk: &mut Walk<'_>,
    with: &[(&str, &str)],
    ctx: &Context,
    trace: &mut Trace,
) -> Result<Document, CaseError> {
    let (session, api) = (walk.session, walk.api);
    let n = walk.next_document();
    let mut doc = session
        .document(api, None, n, None, false)?
        .ok_or_else(|| CaseError::from(anyhow::anyhow!("the generator gave no valid {} document", api.request)))?;
    set_fields(&mut doc, with);
    with_context(session, api, &mut doc, ctx, trace);
    Ok(doc)
}

/// Applies the context of `op` to `doc` (the values `ctx` holds, fresh IDs, the clock, the
/// hash last).
pub(super) fn with_context(session: &Session, op: &ApiCase, doc: &mut Document, ctx: &Context, trace: &mut Trace) {
    session.fill(op, ctx).apply(doc, None, &mut trace.rng);
}

/// Sets top-level body fields of `doc`.
pub(super) fn set_fields(doc: &mut Document, with: &[(&str, &str)]) {
    if let Some(body) = doc.body.as_object_mut() {
        for (field, value) in with {
            body.insert((*field).to_string(), Value::String((*value).to_string()));
        }
    }
}

/// The values of `doc` the operation's context derives from the clock, set to now (a request
/// sent again is not a stale one).
fn refresh_clock(api: &ApiCase, doc: &mut Document) {
    let now = now_millis().to_string();
    for c in api
        .facts
        .context
        .iter()
        .filter(|c| c.derivation == Derivation::NowMillis)
    {
        match c.at {
            Place::Header(name) => {
                if let Some(h) = doc
                    .headers
                    .as_mut()
                    .and_then(|h| h.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(name)))
                {
                    h.1.clone_from(&now);
                }
            }
            Place::Body(field) => {
                if let Some(v) = doc.body.get_mut(field) {
                    *v = Value::String(now.clone());
                }
            }
            Place::Envelope => {}
        }
    }
}

/// A PayU ID no payment has (PayU IDs are numbers; this one has 18 digits).
fn unknown_payu_id(rng: &mut impl rand::Rng) -> String {
    format!("9{}", rng.random_range(10_u64.pow(16)..10_u64.pow(17)))
}

/// Judges step `i`'s answer against the prediction and the step's checks; whether the target
/// accepted it, and whether the walk goes on.
async fn judge_step(
    walk: &mut Walk<'_>,
    i: usize,
    step: &Step,
    prediction: Prediction,
    answer: Answer,
    trace: &mut Trace,
) -> Result<(bool, bool), CaseError> {
    match answer {
        Answer::Done => {
            let go_on = super::flow_checks::run_all(walk, i, step, prediction, None, trace).await?;
            Ok((true, go_on))
        }
        Answer::Callback(None) => {
            let sandbox = walk.session.sandbox_control();
            trace.findings.push(Finding::must(
                upi_spec::rule_ids::behaviour::PAYU_CALLBACK_DELIVERED,
                format!(
                    "no S2S callback arrived within {} ms of completing the payment ({})",
                    sandbox.callback_wait().as_millis(),
                    sandbox.completion_described()
                ),
            ));
            Ok((false, false))
        }
        Answer::Callback(Some(_)) => {
            let go_on = super::flow_checks::run_all(walk, i, step, prediction, None, trace).await?;
            Ok((true, go_on))
        }
        Answer::Transaction(transaction) => {
            let go_on = super::flow_checks::run_all(walk, i, step, prediction, None, trace).await?;
            Ok((transaction.is_some(), go_on))
        }
        Answer::Http(sent) => {
            let (op, x) = *sent;
            // In the order sent: a check may send another request after this one.
            trace.exchanges.push(x.clone());
            trace.findings.extend(judge::transport(&x));
            let accepted = x.status.is_some() && !op.rejected(&x);
            let go_on = match prediction {
                Prediction::Refused(rule) => {
                    judge::rejection(&op, judge::Broken::must(rule.as_str()), &x, &mut trace.findings);
                    super::flow_checks::run_all(walk, i, step, prediction, Some((&op, &x)), trace).await?
                }
                Prediction::Accepted | Prediction::Reports(_)
                    if accepted || step.checks.iter().any(|c| c.judges_refusal()) =>
                {
                    super::flow_checks::run_all(walk, i, step, prediction, Some((&op, &x)), trace).await?
                }
                Prediction::Accepted | Prediction::Reports(_) => {
                    trace.findings.push(Finding::must(
                        op.accepted,
                        format!(
                            "a valid request the flow needs ({:?}) was refused: HTTP {} {}",
                            step.transition,
                            x.status.map_or_else(|| "-".to_string(), |s| s.to_string()),
                            judge::excerpt(&x.response_body)
                        ),
                    ));
                    false
                }
            };
            Ok((accepted, go_on))
        }
    }
}
