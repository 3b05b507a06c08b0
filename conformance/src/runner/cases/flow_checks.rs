//! The named checks a flow's path gives its steps ([`Check`]): the judgements that are not
//! data (an answer's model and echoes, the deeplink's amount, the S2S callback's reverse hash,
//! the two readings of ERRATA C-02), and sending a PayU command. The relations themselves are
//! judged in [`super::relations`]; the sequencing is the path's ([`super::flows`]).

use std::collections::BTreeMap;

use serde_json::Value;
use upi_spec::crypto::payu_hash::{self, Salt};
use upi_spec::crypto::payu_sequence::{self, HashFamily};
use upi_spec::id::MessageId;
use upi_spec::input::{DEFAULT_MAX_BYTES, Document};
use upi_spec::lifecycle::{Check, Prediction, Step, Target};
use upi_spec::model::Constraint;
use upi_spec::model::api::Place;
use upi_spec::read::{Syntax, read};
use upi_spec::rule_ids as rules;

use super::flows::{Sent, Walk, fresh_document, set_fields, with_context};
use super::relations;
use crate::runner::api::{self, ApiCase, Context};
use crate::runner::case::Finding;
use crate::runner::http::Exchange;
use crate::runner::judge;
use crate::runner::outcome::CaseError;
use crate::runner::session::{Session, Trace, created_id};

/// Runs the step's checks in order; whether the walk goes on. `http` is the operation and the
/// answer of a step that sent a request.
pub(super) async fn run_all(
    walk: &mut Walk<'_>,
    i: usize,
    step: &Step,
    prediction: Prediction,
    http: Option<(&ApiCase, &Exchange)>,
    trace: &mut Trace,
) -> Result<bool, CaseError> {
    let mut go_on = true;
    for check in step.checks {
        go_on &= one(walk, i, step, *check, prediction, http, trace).await?;
    }
    Ok(go_on)
}

/// What a step sent.
fn doc_of(sent: &Sent) -> Document {
    sent.doc.clone().unwrap_or_else(|| Document::body(Value::Null))
}

async fn one(
    walk: &mut Walk<'_>,
    i: usize,
    step: &Step,
    check: Check,
    prediction: Prediction,
    http: Option<(&ApiCase, &Exchange)>,
    trace: &mut Trace,
) -> Result<bool, CaseError> {
    let session = walk.session;
    let findings = &mut trace.findings;
    let this = &walk.sent[i];
    match (check, http) {
        (Check::OrderAnswer, _) => {
            // The order's answer is the setup operation's, the last exchange so far.
            let Some(success) = walk.api.declared.setup.first().map(|s| s.success) else {
                return Ok(true);
            };
            if let Some(order) = trace.exchanges.last()
                && let Some(answer) = judge::response_against(success, order, findings)
            {
                // The order the case pays is the one it created: its order_id is the echo.
                let doc = doc_of(this);
                let sent: serde_json::Map<String, Value> = walk
                    .api
                    .declared
                    .setup
                    .first()
                    .and_then(|setup| created_id(setup, &doc))
                    .map(|(field, id)| (field.to_string(), Value::String(id)))
                    .into_iter()
                    .collect();
                judge::echoes(success, &Document::body(Value::Object(sent)), answer, findings);
            }
        }
        (Check::Acceptance, Some((op, x))) => judge::success(op, session.psp_key(), &doc_of(this), x, findings),
        (Check::DeeplinkAmount, Some(_)) => {
            let ordered = order_amount(walk, step);
            let amount = this
                .answer
                .pointer("/payment/sdk_params/amount")
                .and_then(Value::as_str)
                .unwrap_or("");
            if !upi_spec::validate::decimal_eq(amount, &ordered) {
                findings.push(Finding::must(
                    rules::deeplink::CONSISTENCY_AM,
                    format!("sdk_params.amount {amount:?} is not the order's amount {ordered:?}"),
                ));
            }
        }
        (Check::FormatRedirect, Some((op, x))) => {
            if x.status.is_some() {
                findings.extend(relations::ec_txns_format_redirect(op.suite, &doc_of(this), x).unwrap_or_default());
            }
        }
        (Check::VerifyStatus, _) => {
            let status = this.answer.get("status").and_then(Value::as_str);
            if let Prediction::Reports(expected) = prediction
                && status != Some(expected.word())
            {
                findings.push(Finding::must(
                    rules::behaviour::PAYU_VERIFY_PAYMENT_AGREES,
                    format!(
                        "verify_payment says {status:?} for a payment the model has {:?}",
                        expected.word()
                    ),
                ));
            }
        }
        (Check::Callback, _) => {
            let paid = walk.sent.get(named(step)).cloned().unwrap_or_default();
            let doc = doc_of(&paid);
            let amount = doc.body.get("amount").and_then(Value::as_str).unwrap_or_default();
            let callback = this.callback.clone().unwrap_or_default();
            judge_callback(
                session,
                &callback,
                &Paid {
                    txnid: paid.id.as_deref().unwrap_or_default(),
                    amount,
                    payment_id: paid.payment_id.as_deref(),
                },
                findings,
            );
        }
        (Check::UdfEcho, Some((op, x))) => {
            let update = doc_of(this);
            let Some(answer) = judge::response_against(op.success, x, findings) else {
                return Ok(false);
            };
            judge::echoes(op.success, &update, answer, findings);
            relations::payu_udf_update_echo(&update, &answer.body, findings);
        }
        (Check::UdfsPersisted(update), _) => {
            let update = walk
                .sent
                .get(update)
                .map(doc_of)
                .unwrap_or_else(|| Document::body(Value::Null));
            if this.answer.is_null() {
                findings.push(Finding {
                    rule: rules::behaviour::PAYU_UDF_UPDATE_PERSISTED.to_string(),
                    severity: upi_spec::Severity::Should,
                    message: "verify_payment after the udf_update reports no such transaction".into(),
                });
            } else {
                relations::payu_udf_update_persisted(&update, &this.answer, findings);
            }
        }
        (Check::TidDistinct(first), _) => {
            let first = walk.sent.get(first).map(|s| s.answer.clone()).unwrap_or(Value::Null);
            relations::payu_intent_tids_distinct(&first, &this.answer, findings);
        }
        (Check::ApiVersion7Readings, Some((op, x))) => {
            if let Some(first) = refused(op, x) {
                api_version_7_other_reading(walk, step, first, trace).await?;
            }
        }
        (Check::RefusalCode(code), Some((op, x))) => {
            if let (Prediction::Refused(rule), Some(pointer)) = (prediction, op.facts.reason_code) {
                // Refused (the rejection judged no acceptance), but with another reason code.
                let refused = findings.iter().all(|f| f.rule != rule.as_str());
                let got = serde_json::from_slice::<Value>(&x.response_bytes).ok().and_then(|v| {
                    v.pointer(pointer)
                        .map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_owned))
                });
                if refused && x.status.is_some_and(|s| s < 500) && got.as_deref() != Some(code) {
                    findings.push(Finding::must(
                        rule,
                        format!(
                            "refused, but not with reason code {code}: {}",
                            judge::excerpt(&x.response_body)
                        ),
                    ));
                }
            }
        }
        // A check of an answer on a step that sent no request: nothing to judge.
        (_, None) => {}
    }
    Ok(true)
}

/// The index of the step `step` names (its own entity's creator).
fn named(step: &Step) -> usize {
    match step.target {
        Target::Step(n) => n,
        Target::Fresh | Target::Unknown => usize::MAX,
    }
}

/// The amount the order paid by `step` posted.
fn order_amount(walk: &Walk<'_>, step: &Step) -> String {
    walk.sent
        .get(named(step))
        .and_then(|s| s.doc.as_ref())
        .and_then(|d| d.body.get("amount"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Sends the PayU command whose request model is `request`, naming `id` (a txnid, or the PayU ID
/// of an invoice upload) in its context, with the fields `with` (its constants from the model,
/// its command hash computed last); the operation, the document sent and the exchange.
pub(super) async fn send_command(
    session: &Session,
    request: MessageId,
    id: &str,
    with: &[(&str, &str)],
    trace: &mut Trace,
) -> Result<(ApiCase, Document, Exchange), CaseError> {
    let command = session.operation(request)?;
    let model = command.request.message();
    // In the model's order: the fields it fixes (the command's name), the step's, and a place
    // for each value the context fills in (the key, the payment named, the hash).
    let context: Vec<&str> = command
        .facts
        .context
        .iter()
        .filter_map(|c| match c.at {
            Place::Body(field) => Some(field),
            Place::Header(_) | Place::Envelope => None,
        })
        .collect();
    let mut body = serde_json::Map::new();
    for f in &model.body.fields {
        let name = f.key.label();
        let fixed = f.value.checks.iter().find_map(|c| match c.constraint {
            Constraint::Const(v) => Some(v),
            _ => None,
        });
        let value = fixed
            .or_else(|| with.iter().find(|(k, _)| *k == name).map(|(_, v)| *v))
            .or_else(|| context.contains(&name).then_some(""));
        if let Some(value) = value {
            body.insert(name.to_string(), Value::String(value.to_string()));
        }
    }
    let mut doc = Document::body(Value::Object(body));
    set_fields(&mut doc, with);
    let ctx = Context {
        payu_txnid: Some(id.to_string()),
        payu_mihpayid: Some(id.to_string()),
        ..Context::default()
    };
    with_context(session, &command, &mut doc, &ctx, trace);
    let request = api::to_request(
        &command,
        model,
        &doc,
        &session.base(command.api)?,
        session.config(),
        None,
        None,
    )?;
    let x = session.client().send(&request).await;
    Ok((command, doc, x))
}

/// What the callback of a completed payment must be about.
struct Paid<'a> {
    /// The txnid posted.
    txnid: &'a str,
    /// The amount posted.
    amount: &'a str,
    /// The `result.paymentId` the `_payment` answer gave, if any.
    payment_id: Option<&'a str>,
}

/// The S2S callback must read as its model, carry a valid reverse hash and be about the
/// payment's `txnid`, the `amount` posted and (a should) its `paymentId`.
fn judge_callback(session: &Session, callback: &[u8], paid: &Paid<'_>, findings: &mut Vec<Finding>) {
    let Paid { txnid, amount, .. } = *paid;
    let callback_model = upi_spec::messages::ids::PAYU_CALLBACK.message();
    let cb = match read(callback_model, callback, Syntax::Form, DEFAULT_MAX_BYTES) {
        Err(e) => return findings.push(Finding::must(rules::field::PAYU_CALLBACK_FORM, e.to_string())),
        Ok(cb) => cb,
    };
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
        &Salt::new(&session.config().payu.salt),
        &received_hash,
    ) {
        findings.push(Finding::must(upi_spec::crypto::RuleError::rule_id(&e), e.to_string()));
    }
    if fields.get("txnid").map(String::as_str) != Some(txnid)
        || fields.get("status").map(String::as_str) != Some("success")
    {
        findings.push(Finding::must(
            rules::behaviour::PAYU_CALLBACK_DELIVERED,
            format!(
                "the callback is for {:?} with status {:?}",
                fields.get("txnid"),
                fields.get("status")
            ),
        ));
    }
    relations::payu_callback_amount(amount, fields.get("amount").map(String::as_str), findings);
    relations::payu_callback_mihpayid(paid.payment_id, fields.get("mihpayid").map(String::as_str), findings);
}

/// `_payment` with `api_version` 7 and udf6..udf10 hashed per C-02's default reading (Case 4)
/// was refused (`first`): the same request (a fresh document) hashed per the other reading is
/// sent. Accepted, the target follows `C-02/domain` (the runner's readings turn the hash finding
/// into an `acceptable` verdict); refused too, the target accepts neither.
async fn api_version_7_other_reading(
    walk: &mut Walk<'_>,
    step: &Step,
    first: String,
    trace: &mut Trace,
) -> Result<(), CaseError> {
    let (session, api) = (walk.session, walk.api);
    let ctx = session.context(api, &mut trace.rng, &mut trace.exchanges).await?;
    let mut doc = fresh_document(walk, step.with, &ctx, trace)?;
    rehash_as_version_1(&mut doc, &session.config().payu.salt);
    let other = session.send_document(api, &doc).await?;
    trace.findings.extend(judge::transport(&other));
    let second = refused(api, &other);
    trace.exchanges.push(other);
    trace.findings.push(match second {
        None => Finding::must(
            rules::crypto::PAYU_REQUEST_HASH,
            format!(
                "an api_version 7 request hashed with udf6..udf10 before the salt (Case 4) was refused ({first}); hashed without them it was accepted"
            ),
        ),
        Some(second) => Finding::must(
            rules::accepted::PAYU_PAYMENT,
            format!(
                "an api_version 7 request with udf6..udf10 was refused hashed either way: with them before the salt ({first}), without them ({second})"
            ),
        ),
    });
    Ok(())
}

/// Replaces the document's hash by the one C-02's other reading computes.
pub(crate) fn rehash_as_version_1(doc: &mut Document, salt: &str) {
    let fields = doc
        .body
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.as_str() != "hash")
        .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
        .collect();
    let hashed = payu_sequence::as_version_1(&fields);
    if let (Ok(hash), Some(body)) = (
        payu_hash::compute(HashFamily::Request, &hashed, &Salt::new(salt)),
        doc.body.as_object_mut(),
    ) {
        body.insert("hash".into(), Value::String(hash));
    }
}

/// `Some(excerpt)` when the answer is a refusal.
fn refused(api: &ApiCase, x: &Exchange) -> Option<String> {
    (x.status.is_none() || api.rejected(x)).then(|| {
        format!(
            "HTTP {} {}",
            x.status.map_or_else(|| "-".to_string(), |s| s.to_string()),
            judge::excerpt(&x.response_body)
        )
    })
}
