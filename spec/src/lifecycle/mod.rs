//! The reference model the flows walk: a small, pure state machine of what a target remembers
//! between requests (orders, registrations, payments with their udfs and callback) and how each
//! operation of the APIs changes it. Each transition is an operation of an API (or the sandbox's
//! control of a payment); the model predicts its outcome (accepted, refused naming a rule, what
//! `verify_payment` reports), and an accepted transition moves the state on. Each flow
//! ([`crate::model::flow::Flow`]) is a
//! declared [`Path`] through the machine ([`path`]), data: the runner has one driver that walks
//! any path against the target, sends each step, judges the answer against the prediction and
//! the step's named [`Check`]s, and updates the model from the answer.

use std::collections::BTreeMap;

mod paths;
#[cfg(test)]
mod tests;

use crate::id::{MessageId, RuleId};
use crate::messages::ids;
use crate::rule_ids::behaviour;
pub use paths::path;

/// Which operation a transition sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sends {
    /// The operation the flow runs against (the selected version of it).
    Operation,
    /// The setup operation of that operation's API (EC `/orders`).
    Setup,
    /// The operation of the run's APIs whose request model this is.
    Request(MessageId),
    /// The sandbox's control of a payment (no operation under test).
    Sandbox,
}

/// A transition of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// EC `/orders`: an order is created, unpaid.
    CreateOrder,
    /// EC `/txns`: a payment of an existing order is started.
    PayOrder,
    /// Merchant Stack registerIntent: a `merchantRequestId` is registered.
    Register,
    /// PayU `_payment`: a payment is created, pending.
    Pay,
    /// The sandbox completes a pending payment: it succeeds and the S2S callback is sent.
    Complete,
    /// The sandbox settles a completed payment.
    Settle,
    /// PayU `verify_payment`: reports a payment's status.
    Verify,
    /// PayU `udf_update`: sets a payment's udfs.
    UdfUpdate,
    /// PayU invoice upload: an invoice for a payment, named by its PayU ID.
    InvoiceUpload,
}

/// The kinds of entity the model holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    /// An EC order.
    Order,
    /// A Merchant Stack registration.
    Registration,
    /// A PayU payment (its txnid and PayU ID).
    Payment,
}

impl Transition {
    /// The operation it sends.
    pub fn sends(self) -> Sends {
        match self {
            Transition::CreateOrder => Sends::Setup,
            Transition::PayOrder | Transition::Register | Transition::Pay => Sends::Operation,
            Transition::Complete | Transition::Settle => Sends::Sandbox,
            Transition::Verify => Sends::Request(ids::PAYU_VERIFY_PAYMENT_REQUEST),
            Transition::UdfUpdate => Sends::Request(ids::PAYU_UDF_UPDATE_REQUEST),
            Transition::InvoiceUpload => Sends::Request(ids::PAYU_INVOICE_UPLOAD_REQUEST),
        }
    }

    /// The kind of entity it creates or names.
    pub fn entity(self) -> Entity {
        match self {
            Transition::CreateOrder | Transition::PayOrder => Entity::Order,
            Transition::Register => Entity::Registration,
            _ => Entity::Payment,
        }
    }

    /// Whether it creates its entity when the step names a [`Target::Fresh`] one.
    fn creates(self) -> bool {
        matches!(self, Transition::CreateOrder | Transition::Register | Transition::Pay)
    }
}

/// Which entity a step names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A new one (fresh unique IDs; for a transition that does not create one, nothing).
    Fresh,
    /// The one the step with this index created (the same IDs: a resend of its document, a
    /// command naming its txnid).
    Step(usize),
    /// One the target has never seen (an unknown order, txnid or PayU ID).
    Unknown,
}

/// A payment's status as `verify_payment` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentStatus {
    /// Created, not completed (`pending`).
    Pending,
    /// Completed (`success`).
    Success,
}

impl PaymentStatus {
    /// The word `verify_payment` reports (seed 004's sample).
    pub fn word(self) -> &'static str {
        match self {
            PaymentStatus::Pending => "pending",
            PaymentStatus::Success => "success",
        }
    }
}

/// What the model predicts a step's answer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prediction {
    /// Accepted (the operation's `accepted` rule).
    Accepted,
    /// Accepted, reporting the payment's status.
    Reports(PaymentStatus),
    /// Refused; the rule an acceptance would break.
    Refused(RuleId),
}

/// A judgement a step's answer gets beyond its prediction, named here and implemented by the
/// runner (what cannot be data: a model, a hash, two readings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// The order answer reads as its model and echoes the `order_id` sent.
    OrderAnswer,
    /// The answer is judged as an acceptance case's (model, signature, deeplink, relations).
    Acceptance,
    /// `sdk_params.amount` is the amount the order of the step's target posted.
    DeeplinkAmount,
    /// A `format` other than `json` is answered HTTP 302 with `Location` (seed 001).
    FormatRedirect,
    /// `verify_payment` reports the status the model predicts.
    VerifyStatus,
    /// The S2S callback reads as its model, carries a valid reverse hash and is about the
    /// payment's txnid, the amount posted and its PayU ID.
    Callback,
    /// The `udf_update` answer reads as its model and carries the udfs as posted.
    UdfEcho,
    /// `verify_payment` reports the udfs the `udf_update` of the step with this index set.
    UdfsPersisted(usize),
    /// The intent of this payment carries a `tid` other than that of the step with this index.
    TidDistinct(usize),
    /// Refused, the same request hashed per ERRATA C-02's other reading is sent: accepted, the
    /// hash rule is the finding (an acceptable reading); refused too, the acceptance.
    ApiVersion7Readings,
    /// A refusal carries this reason code at the operation's reason-code pointer.
    RefusalCode(&'static str),
}

impl Check {
    /// Whether the check judges a refusal of a step predicted accepted itself (the driver then
    /// reports no refused acceptance and walks on).
    pub fn judges_refusal(self) -> bool {
        matches!(self, Check::FormatRedirect | Check::ApiVersion7Readings)
    }
}

/// One step of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The transition.
    pub transition: Transition,
    /// The entity it names.
    pub target: Target,
    /// Top-level body fields set on the request (before its context, so a hash covers them).
    pub with: &'static [(&'static str, &'static str)],
    /// The named checks of its answer, in order.
    pub checks: &'static [Check],
}

/// A step with no fields and no checks.
pub(crate) const fn step(transition: Transition, target: Target) -> Step {
    Step {
        transition,
        target,
        with: &[],
        checks: &[],
    }
}

/// A flow as a path through the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Path {
    /// The generated document number of the path's first fresh request of its operation (each
    /// later one the next number): distinct between flows, so no two cases send the same
    /// generated document.
    pub documents: u64,
    /// The steps, in order.
    pub steps: &'static [Step],
}

impl Path {
    /// Whether a step needs the sandbox to complete a payment (and the callback receiver).
    pub fn needs_sandbox(&self) -> bool {
        self.steps.iter().any(|s| s.transition.sends() == Sends::Sandbox)
    }
}

/// Why a path is not a walk of the model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WalkError {
    /// A step names a step that is not before it, or that created nothing.
    #[error("step {step} names step {named}, which is not an earlier step that created something")]
    NoEntity {
        /// The step.
        step: usize,
        /// The step it names.
        named: usize,
    },
    /// A step names an entity of another kind.
    #[error("step {step} ({transition:?}) names a {found:?}, not a {wanted:?}")]
    WrongEntity {
        /// The step.
        step: usize,
        /// Its transition.
        transition: Transition,
        /// The kind it needs.
        wanted: Entity,
        /// The kind it names.
        found: Entity,
    },
    /// The entity is not in a state the transition applies to.
    #[error("step {step} ({transition:?}): {why}")]
    Precondition {
        /// The step.
        step: usize,
        /// Its transition.
        transition: Transition,
        /// What is missing.
        why: &'static str,
    },
}

/// What the model remembers of a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payment {
    /// Its status.
    pub status: PaymentStatus,
    /// Whether its S2S callback was sent.
    pub callback: bool,
    /// Whether it was settled.
    pub settled: bool,
    /// The step whose `udf_update` last set its udfs.
    pub udfs_set_by: Option<usize>,
}

/// What the model remembers of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// An order; whether a payment of it was started (`/txns`).
    Order {
        /// A payment was started.
        txn_initiated: bool,
    },
    /// A registered `merchantRequestId`.
    Registered,
    /// A payment.
    Payment(Payment),
}

impl State {
    fn entity(&self) -> Entity {
        match self {
            State::Order { .. } => Entity::Order,
            State::Registered => Entity::Registration,
            State::Payment(_) => Entity::Payment,
        }
    }
}

/// The model's state: every entity by the step that created it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Model {
    entities: BTreeMap<usize, State>,
}

impl Model {
    /// An empty model (a target that has seen nothing of this flow).
    pub fn new() -> Model {
        Model::default()
    }

    /// The entity the step with this index created.
    pub fn entity(&self, created_by: usize) -> Option<&State> {
        self.entities.get(&created_by)
    }

    /// The entity step `index` names, checked against its transition's kind.
    fn named(&self, index: usize, step: &Step) -> Result<Option<State>, WalkError> {
        let Target::Step(named) = step.target else {
            return Ok(None);
        };
        let state = self
            .entities
            .get(&named)
            .filter(|_| named < index)
            .ok_or(WalkError::NoEntity { step: index, named })?;
        let wanted = step.transition.entity();
        if state.entity() != wanted {
            return Err(WalkError::WrongEntity {
                step: index,
                transition: step.transition,
                wanted,
                found: state.entity(),
            });
        }
        Ok(Some(*state))
    }

    /// What the model predicts the answer to step `index` is.
    pub fn predict(&self, index: usize, step: &Step) -> Result<Prediction, WalkError> {
        let named = self.named(index, step)?;
        let precondition = |why| WalkError::Precondition {
            step: index,
            transition: step.transition,
            why,
        };
        let payment = match named {
            Some(State::Payment(p)) => Some(p),
            _ => None,
        };
        Ok(match (step.transition, step.target) {
            (Transition::CreateOrder | Transition::Register | Transition::Pay, Target::Fresh) => Prediction::Accepted,
            (Transition::CreateOrder, _) => return Err(precondition("an order is created fresh")),
            // Seed 001: /txns pays "the order for which the payment is started".
            (Transition::PayOrder, Target::Unknown) => Prediction::Refused(behaviour::EC_TXNS_ORDER_EXISTS),
            (Transition::PayOrder, Target::Step(_)) => Prediction::Accepted,
            (Transition::PayOrder, Target::Fresh) => return Err(precondition("/txns pays an existing order")),
            (Transition::Register, Target::Step(_)) => {
                Prediction::Refused(behaviour::REGISTER_INTENT_MERCHANT_REQUEST_ID_UNIQUE)
            }
            (Transition::Pay, Target::Step(_)) => Prediction::Refused(behaviour::PAYU_PAYMENT_TXNID_UNIQUE),
            (Transition::Register | Transition::Pay, Target::Unknown) => {
                return Err(precondition("a new request is fresh or repeats an earlier one"));
            }
            (Transition::Complete, _) => match payment {
                Some(p) if p.status == PaymentStatus::Pending => Prediction::Accepted,
                _ => return Err(precondition("the sandbox completes a pending payment")),
            },
            (Transition::Settle, _) => match payment {
                Some(p) if p.status == PaymentStatus::Success => Prediction::Accepted,
                _ => return Err(precondition("the sandbox settles a completed payment")),
            },
            (Transition::Verify, _) => match payment {
                Some(p) => Prediction::Reports(p.status),
                None => return Err(precondition("verify_payment names an existing payment")),
            },
            // Seed 004 Step 6, failure scenarios: "If no data found in the transaction ID".
            (Transition::UdfUpdate, Target::Unknown) => Prediction::Refused(behaviour::PAYU_UDF_UPDATE_TXNID_EXISTS),
            // Seed 004 Step 7, failure scenarios: "When the payuid is invalid".
            (Transition::InvoiceUpload, Target::Unknown) => {
                Prediction::Refused(behaviour::PAYU_INVOICE_UPLOAD_PAYUID_EXISTS)
            }
            (Transition::UdfUpdate | Transition::InvoiceUpload, Target::Step(_)) => Prediction::Accepted,
            (Transition::UdfUpdate | Transition::InvoiceUpload, Target::Fresh) => {
                return Err(precondition("a command names an existing or an unknown payment"));
            }
        })
    }

    /// Moves the model on after step `index` was answered: `accepted` says whether the target
    /// accepted it (a refused step changes nothing).
    pub fn apply(&mut self, index: usize, step: &Step, accepted: bool) {
        if !accepted {
            return;
        }
        let named = match step.target {
            Target::Step(n) => self.entities.get_mut(&n),
            Target::Fresh | Target::Unknown => None,
        };
        match (step.transition, named) {
            (t, _) if t.creates() && step.target == Target::Fresh => {
                let state = match t {
                    Transition::CreateOrder => State::Order { txn_initiated: false },
                    Transition::Register => State::Registered,
                    _ => State::Payment(Payment {
                        status: PaymentStatus::Pending,
                        callback: false,
                        settled: false,
                        udfs_set_by: None,
                    }),
                };
                self.entities.insert(index, state);
            }
            (Transition::PayOrder, Some(State::Order { txn_initiated })) => *txn_initiated = true,
            (Transition::Complete, Some(State::Payment(p))) => {
                p.status = PaymentStatus::Success;
                p.callback = true;
            }
            (Transition::Settle, Some(State::Payment(p))) => p.settled = true,
            (Transition::UdfUpdate, Some(State::Payment(p))) => p.udfs_set_by = Some(index),
            _ => {}
        }
    }
}

/// Walks `path` through a fresh model, every prediction coming true: the predictions in order,
/// or why the path is not a walk of the model.
pub fn walk(path: &Path) -> Result<Vec<Prediction>, WalkError> {
    let mut model = Model::new();
    let mut predictions = Vec::with_capacity(path.steps.len());
    for (i, step) in path.steps.iter().enumerate() {
        let prediction = model.predict(i, step)?;
        model.apply(i, step, !matches!(prediction, Prediction::Refused(_)));
        predictions.push(prediction);
    }
    Ok(predictions)
}
