//! The state a fuzz case's request names (an EC order, a PayU payment), its set-up requests
//! judged: an order is created by a valid `POST /orders`, a real request with a response model,
//! so its answer is judged as a valid case's is (accepted, and the answer well formed per
//! `ec.orders.response`). A target that refuses valid orders is then a finding on
//! `ec.orders.request.accepted`, not a case silently dropped.

use rand_chacha::ChaCha8Rng;
use upi_spec::Severity;
use upi_spec::model::api::Derivation;
use upi_spec::validate::validate;

use super::mutation::Mutation;
use super::oracle::judge_case;
use crate::runner::api::{self, ApiCase, Context};
use crate::runner::case::Finding;
use crate::runner::http::{Exchange, Request};
use crate::runner::outcome::CaseError;
use crate::runner::session::{Session, created_id};

/// What setting a case up came to.
pub(super) enum Setup {
    /// The state exists: the context to fill the case's request from, and the set-up requests
    /// sent (each judged and found right).
    Ready(Context, u64),
    /// A set-up answer broke a `must` rule: the findings, the request and its answer (the
    /// case's request is not sent), and the set-up requests sent.
    Broken(Vec<Finding>, Box<(Request, Exchange)>, u64),
    /// The state could not be created for a reason that is no finding of this case (a `should`
    /// refusal, the PayU payment of the run failing once for every case): the requests sent.
    Unavailable(u64),
}

/// Creates the state `api`'s request needs, drawing from `rng` exactly as
/// [`Session::context`] would (the same seed makes the same orders).
pub(super) async fn set_up(executor: &Session, api: &ApiCase, rng: &mut ChaCha8Rng) -> Result<Setup, CaseError> {
    let needs = |d: Derivation| api.facts.context.iter().any(|c| c.derivation == d);
    let mut ctx = Context::default();
    let mut requests = 0;
    if needs(Derivation::ExistingOrder) {
        let (setup, doc) = executor.setup_document(api, rng)?;
        let message = setup.request.message();
        let base = executor.base(setup.api)?;
        let config = executor.config();
        let request = api::to_request(&setup, message, &doc, &base, config, Some(executor.signing_key()), None)?;
        let x = executor.client().send_unrendered(&request).await;
        requests += 1;
        // Our own order is valid by construction; should it break a `should` rule after all, a
        // refusal is allowed (as for any fuzz case).
        let judged = validate(message, &doc);
        let either = judged.iter().any(|v| v.severity == Severity::Should);
        let findings = judge_case(
            executor,
            &setup,
            message,
            &doc,
            &Mutation::Valid,
            (false, either),
            &judged,
            &x,
        );
        if findings.iter().any(|f| f.severity == Severity::Must) {
            return Ok(Setup::Broken(findings, Box::new((request, x)), requests));
        }
        if x.status != Some(200) {
            return Ok(Setup::Unavailable(requests));
        }
        ctx.order_id = created_id(setup.facts, &doc).map(|(_, id)| id);
    }
    if needs(Derivation::ExistingPaymentTxnid) || needs(Derivation::ExistingPaymentId) {
        let mut sent = Vec::new();
        match executor.payment(rng, &mut sent).await {
            Ok((txnid, mihpayid)) => {
                ctx.payu_txnid = Some(txnid);
                ctx.payu_mihpayid = Some(mihpayid);
            }
            Err(_) => return Ok(Setup::Unavailable(requests + sent.len() as u64)),
        }
        requests += sent.len() as u64;
    }
    Ok(Setup::Ready(ctx, requests))
}
