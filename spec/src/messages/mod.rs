//! One declarative model per message of the seeds. Each file holds one API's messages; each
//! message is one function returning its whole [`Message`], so a reader finds the complete
//! definition in one place. [`all`] is the registry every derivation iterates.

mod consumer;
mod ec_orders;
mod ec_txns;
mod ec_txns_api;
pub mod ids;
mod payu_api;
mod payu_callback;
mod payu_payment;
mod payu_postservice;
mod register_intent;
mod register_intent_api;
mod register_intent_parts;
mod tpap;
mod tpap_accounts;
mod tpap_mandate;

use std::sync::LazyLock;

use crate::id::MessageId;
use crate::model::Message;

pub use consumer::{OnboardingState, onboarding_transitions};

static ALL: LazyLock<Vec<Message>> = LazyLock::new(|| {
    let mut all = Vec::new();
    all.extend(ec_orders::messages());
    all.extend(ec_txns::messages());
    all.extend(tpap::messages());
    all.extend(register_intent::messages());
    all.extend(payu_payment::messages());
    all.extend(payu_callback::messages());
    all.extend(payu_postservice::messages());
    all
});

static APIS: LazyLock<Vec<crate::model::api::Api>> = LazyLock::new(|| {
    vec![
        ec_txns_api::api(),
        register_intent_api::api(),
        payu_api::payment(),
        payu_api::postservice(),
    ]
});

/// The HTTP APIs under test and their facts (endpoints, refusal shapes, context), in suite
/// order.
pub fn apis() -> &'static [crate::model::api::Api] {
    &APIS
}

/// Every message model.
pub fn all() -> &'static [Message] {
    &ALL
}

/// Looking a [`MessageId`] up in the registry, next to the registry (so `id` needs neither
/// `messages` nor `model`).
/// Models declared outside this crate and named by [`MessageId::register`] (a toy API in a test).
static OUTSIDE: std::sync::RwLock<Vec<&'static Message>> = std::sync::RwLock::new(Vec::new());

impl MessageId {
    /// The ID of a message of the registry.
    pub fn of(message: &'static Message) -> MessageId {
        MessageId::declare(message.id)
    }

    /// Names a message model declared outside this crate (a toy API's request or response in
    /// a test), so that [`MessageId::message`] and [`MessageId::find`] find it. The registry
    /// comes first: a model whose ID the registry (or an earlier registration) holds is not
    /// registered again, and its ID names the model already there.
    pub fn register(message: &'static Message) -> MessageId {
        if find(message.id).is_none() {
            let mut outside = OUTSIDE.write().unwrap_or_else(std::sync::PoisonError::into_inner);
            if !outside.iter().any(|m| m.id == message.id) {
                outside.push(message);
            }
        }
        MessageId::declare(message.id)
    }

    /// The message with this ID, registered or declared outside (for IDs read from outside,
    /// e.g. the command line).
    pub fn find(id: &str) -> Option<MessageId> {
        lookup(id).map(MessageId::of)
    }

    /// The message model. Infallible: a `MessageId` is only made from the registry, from a
    /// registered outside model, or from a declared constant that `messages::ids`' test
    /// resolves.
    pub fn message(self) -> &'static Message {
        match lookup(self.as_str()) {
            Some(m) => m,
            None => unreachable!("declared message ID {self} is registered (messages::ids test)"),
        }
    }
}

/// The registered message with this ID, else the one declared outside with it.
fn lookup(id: &str) -> Option<&'static Message> {
    find(id).or_else(|| {
        OUTSIDE
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .find(|m| m.id == id)
            .copied()
    })
}

/// The message model of an envelope's wire body (the models it carries name it by kind).
pub fn envelope_model(envelope: crate::model::Envelope) -> MessageId {
    match envelope {
        crate::model::Envelope::FlattenedJws => ids::MERCHANT_JWS_ENVELOPE,
    }
}

/// The message with this ID.
pub fn find(id: &str) -> Option<&'static Message> {
    all().iter().find(|m| m.id == id)
}
