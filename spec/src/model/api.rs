//! API facts as model data: which request model goes to which endpoint, which models answer an
//! acceptance and a refusal, how a refusal looks on the wire (status class and body predicate),
//! where a refusal's reason code sits, and which context a request needs and how each value is
//! derived. Each API declares its facts next to its messages (`messages/*_api.rs`); the runner,
//! the fuzzer, the OpenAPI export and the reference server read them instead of typing them
//! again.

use serde_json::Value;

use crate::id::{MessageId, RuleId};

pub use super::flow::Flow;
pub use crate::crypto::payu_sequence::HashFamily;

/// Which base URL an API is served under: a key naming it in the run configuration's
/// `[targets]` (a target may serve each API elsewhere; a key the configuration does not name
/// goes to `[targets] base`). Data, so an API declared in a test names a service of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Service {
    /// The key, e.g. `ec` (`[targets] ec = "URL"`).
    pub key: &'static str,
}

impl Service {
    /// Juspay Express Checkout.
    pub const EC: Service = Service::new("ec");
    /// Juspay Merchant Stack.
    pub const MERCHANT: Service = Service::new("merchant");
    /// PayU.
    pub const PAYU: Service = Service::new("payu");

    /// The service named `key`.
    pub const fn new(key: &'static str) -> Service {
        Service { key }
    }
}

/// An HTTP API under test: its suite name, its service, its operations (each a request model at
/// an endpoint) and the flows run against it. A test may declare one of its own (with models of
/// its own, named by [`MessageId::register`]) and hand it to the runner.
#[derive(Debug, Clone)]
pub struct Api {
    /// Suite name, e.g. `merchant-register-intent`.
    pub suite: &'static str,
    /// Which base URL.
    pub service: Service,
    /// The operations (one per request model), in plan order.
    pub operations: Vec<Operation>,
    /// Whether an acceptance creates a payment that other operations' requests name
    /// ([`Derivation::ExistingPaymentTxnid`], [`Derivation::ExistingPaymentId`]).
    pub creates_payment: bool,
    /// Operations the API's requests presuppose but which are not under test themselves (EC
    /// `/orders`, which makes the order [`Derivation::ExistingOrder`] names). Served and
    /// described like the others; the runner plans no cases for them.
    pub setup: Vec<Operation>,
    /// Whether the operations are versions of one API, selected by their variant with
    /// `run --version`.
    pub versioned: bool,
    /// The flows run against each operation, in plan order (a [`Flow::once_per_suite`] flow
    /// only against the first selected one when several versions are selected).
    pub flows: &'static [Flow],
    /// The relations between an accepted request and its answer checked on every acceptance of
    /// the API's operations (beyond the answer's model), in order.
    pub answer_relations: &'static [AnswerRelation],
}

/// A relation a seed states between an accepted request and the answer to it, checked on every
/// acceptance case of an API that names it (the runner's `cases/relations.rs` holds the checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerRelation {
    /// PayU `_payment`: the intent's `am` is the amount posted (seed 004 Step 2).
    PayuIntentAmount,
    /// PayU `_payment`: a fresh intent answers `txnStatus` pending (seed 004's sample).
    PayuIntentPending,
    /// EC `/txns`: a fresh order's payment answers `status` PENDING_VBV (seed 001's sample).
    EcTxnsFreshPending,
}

/// One operation: a request model (whose own [`super::Endpoint`] gives the method and path),
/// answered by a success or an error model.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Sub-suite (an API version, a PayU command); empty when the API has one endpoint.
    pub variant: &'static str,
    /// Request model ID.
    pub request: MessageId,
    /// Response model of an acceptance.
    pub success: MessageId,
    /// Response model of a refusal.
    pub error: MessageId,
    /// Response model when the request cannot be routed to this endpoint at all (PayU
    /// postservice without a valid `command`).
    pub unroutable_error: Option<MessageId>,
    /// How a refusal looks on the wire.
    pub refusal: Refusal,
    /// Where a refusal says why (a JSON pointer into the error body), when it does.
    pub reason_code: Option<&'static str>,
    /// The values a request takes from outside its model, in the order they are applied
    /// (a value derived from another comes after it; hashes and signatures last).
    pub context: Vec<ContextField>,
    /// Where an acceptance carries a UPI deeplink, if it does.
    pub deeplink: Option<DeeplinkIn>,
    /// Whether an HTTP 200 acceptance is signed (`x-response-signature`, RS256 over the raw
    /// body).
    pub signed_response: bool,
    /// Whether the security cases this operation's context implies (and the large-body case)
    /// are planned on it; operations sharing one authentication (the PayU postservice
    /// commands) plan them on one.
    pub security_cases: bool,
    /// What a refusal's body must not say, and the rule a refusal saying it breaks (Merchant
    /// Stack: `status: SUCCESS` in a refusal).
    pub refusal_never: Option<Contradiction>,
    /// How the seed says a refusal of a request missing a mandatory field looks, where it says
    /// so (PayU's invoice upload: `responseCode` 109).
    pub missing_field_refusal: Option<PinnedRefusal>,
}

/// How the seed (or a verified DOMAIN.md item) says a refusal of some kind of rule looks, with
/// its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinnedRefusal {
    /// The HTTP status, when the seed pins it.
    pub status: Option<u16>,
    /// The reason code at the operation's `reason_code` pointer, when the seed pins it (checked
    /// when the refusal carries a reason code at all).
    pub code: Option<&'static str>,
    /// Where the words are.
    pub source: &'static str,
    /// The words.
    pub quote: &'static str,
}

/// A body a refusal must not carry (it says the request succeeded) and the rule it breaks.
#[derive(Debug, Clone, PartialEq)]
pub struct Contradiction {
    /// What the refusal body must not match.
    pub says: BodyPredicate,
    /// The rule a refusal matching it breaks.
    pub rule: RuleId,
}

/// Where a success response carries its UPI deeplink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeeplinkIn {
    /// Response fields the seed's mapping table turns into a deeplink
    /// ([`crate::deeplink::map_response`]).
    Mapped,
    /// PayU's `result.intentURIData`, the query of a `upi://pay` link.
    IntentUriData,
}

/// How an endpoint says "no": any 4xx, or (some APIs) HTTP 200 with a body saying so.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// Refusals with a 4xx status.
    pub client_error: bool,
    /// A 2xx answer whose JSON body matches this is a refusal too.
    pub ok_body: Option<BodyPredicate>,
}

/// A predicate over a JSON answer body; pointers are RFC 6901.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyPredicate {
    /// The member at the pointer is present.
    Present(&'static str),
    /// The member at the pointer is a string other than the value (or absent).
    NotEqual(&'static str, &'static str),
    /// The member at the pointer is the string, or the number it spells.
    Equals(&'static str, &'static str),
}

impl BodyPredicate {
    /// Whether `body` matches.
    pub fn matches(&self, body: &Value) -> bool {
        self.holds(body.pointer(self.pointer()))
    }

    /// Whether the JSON text `body` matches (a text that is not JSON does not): the one member
    /// the predicate reads is read, the rest of the text only checked.
    pub fn matches_text(&self, body: &[u8]) -> bool {
        super::pointer_read::member(body, self.pointer()).is_some_and(|m| self.holds(m.as_ref()))
    }

    fn pointer(&self) -> &'static str {
        match self {
            BodyPredicate::Present(at) | BodyPredicate::NotEqual(at, _) | BodyPredicate::Equals(at, _) => at,
        }
    }

    /// Whether the member at the pointer (if any) satisfies the predicate.
    fn holds(&self, member: Option<&Value>) -> bool {
        match self {
            BodyPredicate::Present(_) => member.is_some(),
            BodyPredicate::NotEqual(_, v) => member.and_then(Value::as_str) != Some(v),
            BodyPredicate::Equals(_, v) => match member {
                Some(Value::String(s)) => s == v,
                Some(Value::Number(n)) => n.to_string() == *v,
                _ => false,
            },
        }
    }
}

impl Refusal {
    /// Any 4xx and nothing else.
    pub const CLIENT_ERROR: Refusal = Refusal {
        client_error: true,
        ok_body: None,
    };

    /// A 4xx, or HTTP 200 with a JSON body matching `predicate`.
    pub const fn or_ok_with(predicate: BodyPredicate) -> Refusal {
        Refusal {
            client_error: true,
            ok_body: Some(predicate),
        }
    }

    /// Whether an answer with `status` and `body` is this refusal (no answer is none).
    pub fn matches(&self, status: Option<u16>, body: &[u8]) -> bool {
        self.matches_read(status, body, || None)
    }

    /// [`Refusal::matches`] for a caller that reads the body as JSON anyway: `read` gives it
    /// parsed, and is asked only when a 2xx body decides. When it gives none (a reader stricter
    /// than `serde_json`'s refused the text), the predicate's own reading of `body` decides, so
    /// the answer is the one [`Refusal::matches`] gives either way.
    pub fn matches_read<'v>(&self, status: Option<u16>, body: &[u8], read: impl FnOnce() -> Option<&'v Value>) -> bool {
        let Some(status) = status else { return false };
        if self.client_error && (400..500).contains(&status) {
            return true;
        }
        match &self.ok_body {
            Some(p) if (200..300).contains(&status) => match read() {
                Some(value) => p.matches(value),
                None => p.matches_text(body),
            },
            _ => false,
        }
    }
}

/// Where a context value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A top-level body field.
    Body(&'static str),
    /// A header.
    Header(&'static str),
    /// The whole body (a signature envelope around it).
    Envelope,
}

/// A value a request takes from outside its model: the run's configuration, the target's
/// state, the clock, or another value of the same request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContextField {
    /// Where it goes.
    pub at: Place,
    /// How it is derived.
    pub derivation: Derivation,
}

/// How a context value is derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derivation {
    /// A configured credential or identifier.
    Config(Credential),
    /// A fresh unique ID with this prefix and length.
    UniqueId {
        /// Prefix.
        prefix: &'static str,
        /// Total length.
        len: usize,
    },
    /// The current time in milliseconds.
    NowMillis,
    /// Equal to a body field of the same request (computed after it).
    SameAs(&'static str),
    /// An existing, unpaid order the run creates first.
    ExistingOrder,
    /// An existing payment's txnid (the run creates it first).
    ExistingPaymentTxnid,
    /// An existing payment's PayU ID (mihpayid).
    ExistingPaymentId,
    /// The PayU hash of this family over what is sent, computed last.
    PayuHash(HashFamily),
    /// The flattened JWS over the body, computed last.
    Jws,
    /// HTTP Basic authorization with the credential as user name and an empty password:
    /// `Basic base64(credential:)` (DOMAIN.md, Juspay EC API: "Every EC API but `POST /txns`
    /// uses HTTP Basic auth with the API key as user name and an empty password").
    BasicAuth(Credential),
}

/// The credentials and identifiers a merchant is given (and a run is configured with).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// EC `merchant_id`.
    EcMerchantId,
    /// EC `customer_id` (also the `x-routing-id` header).
    EcCustomerId,
    /// Merchant Stack merchant ID.
    MerchantId,
    /// Merchant Stack channel ID.
    MerchantChannelId,
    /// PayU merchant key.
    PayuKey,
    /// EC API key (the user name of HTTP Basic auth).
    EcApiKey,
}

impl Derivation {
    /// Whether the value comes from the target's state or the configuration, so changing it
    /// makes the verdict depend on that state.
    pub fn state_dependent(self) -> bool {
        matches!(
            self,
            Derivation::Config(_)
                | Derivation::BasicAuth(_)
                | Derivation::ExistingOrder
                | Derivation::ExistingPaymentTxnid
                | Derivation::ExistingPaymentId
        )
    }
}

impl Operation {
    /// The body fields whose values come from the target's state or the configuration.
    pub fn state_fields(&self) -> Vec<&'static str> {
        self.context
            .iter()
            .filter(|c| c.derivation.state_dependent())
            .filter_map(|c| match c.at {
                Place::Body(f) => Some(f),
                Place::Header(_) | Place::Envelope => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_reads_the_status_class_and_the_body() {
        let payu = Refusal::or_ok_with(BodyPredicate::Equals("/metaData/txnStatus", "failed"));
        assert!(payu.matches(Some(400), b""));
        assert!(payu.matches(Some(200), br#"{"metaData":{"txnStatus":"failed"}}"#));
        assert!(!payu.matches(Some(200), br#"{"metaData":{"txnStatus":"pending"}}"#));
        assert!(!payu.matches(Some(200), b"not json"));
        assert!(!payu.matches(None, b""));
        assert!(!Refusal::CLIENT_ERROR.matches(Some(200), br#"{"metaData":{"txnStatus":"failed"}}"#));
        let verify = Refusal::or_ok_with(BodyPredicate::Equals("/status", "0"));
        assert!(verify.matches(Some(200), br#"{"status":0}"#));
        assert!(verify.matches(Some(200), br#"{"status":"0"}"#));
        assert!(!verify.matches(Some(200), br#"{"status":1}"#));
        let invoice = Refusal::or_ok_with(BodyPredicate::NotEqual("/responseCode", "00"));
        assert!(invoice.matches(Some(200), br#"{"responseCode":"E1"}"#));
        assert!(!invoice.matches(Some(200), br#"{"responseCode":"00"}"#));
    }

    /// A caller that reads the body strictly anyway (a key given twice refused) gets the answer
    /// `matches` gives from its own reading, for every status and body: where the strict reader
    /// refuses the text, the predicate's reading decides.
    #[test]
    fn a_body_read_once_decides_as_the_text_does() {
        let refusals = [
            Refusal::or_ok_with(BodyPredicate::Equals("/metaData/txnStatus", "failed")),
            Refusal::or_ok_with(BodyPredicate::Equals("/status", "0")),
            Refusal::or_ok_with(BodyPredicate::NotEqual("/responseCode", "00")),
            Refusal::or_ok_with(BodyPredicate::Present("/error")),
            Refusal::CLIENT_ERROR,
        ];
        let bodies: [&[u8]; 12] = [
            br#"{"metaData":{"txnStatus":"failed"}}"#,
            br#"{"metaData":{"txnStatus":"pending"}}"#,
            br#"{"status":0}"#,
            br#"{"status":"0","error":null}"#,
            br#"{"responseCode":"E1"}"#,
            br#"{"responseCode":"00"}"#,
            // A key given twice: the strict reader refuses it, serde_json keeps the last.
            br#"{"status":1,"status":0}"#,
            br#"{"responseCode":"00","responseCode":"E1"}"#,
            br#"{"metaData":{"txnStatus":"ok","txnStatus":"failed"}}"#,
            b"not json",
            b"",
            b"[1,2]",
        ];
        for refusal in &refusals {
            for body in bodies {
                let strict = crate::input::text(body, usize::MAX).and_then(crate::input::parse_json);
                for status in [None, Some(200), Some(204), Some(302), Some(400), Some(422), Some(500)] {
                    let read_once = refusal.matches_read(status, body, || strict.as_ref().ok());
                    assert_eq!(
                        read_once,
                        refusal.matches(status, body),
                        "{refusal:?} on HTTP {status:?} {:?}",
                        String::from_utf8_lossy(body)
                    );
                }
            }
        }
    }
}
