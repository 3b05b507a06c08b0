//! Opening the flattened JWS of a registerIntent request: the signature (algorithm, `kid`,
//! RSA signature) with `upi_spec::crypto::jws`, and afterwards the freshness of `iat` and
//! `x-timestamp`. RS256 is the default; PS256 is accepted when the protected header names it;
//! `none` and HMAC algorithms are refused. The `skip-jws-verification` and `accept-alg-none`
//! faults bypass the signature here and nowhere else; an `ignore-rule` fault naming a format
//! or staleness rule of `iat` or `x-timestamp` lets that violation through here too.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};
use upi_spec::crypto::freshness::{FreshnessWindow, Staleness};
use upi_spec::crypto::jws::{self, FlattenedJws, JwsError, JwsPolicy, ids};
use upi_spec::crypto::keys::KeyRing;
use upi_spec::crypto::{RuleError, SignatureAlgorithm};

use crate::fault::Fault;
use crate::judge::Refusal;

/// A window no timestamp falls outside: freshness is judged after the payload's model.
const UNBOUNDED: FreshnessWindow = FreshnessWindow {
    max_age_millis: u64::MAX,
    max_skew_millis: u64::MAX,
};

/// The signed payload of a request: its text, and its JSON object when the verifier read one
/// (strictly, as the payload's model reads it).
pub struct Opened {
    /// The payload as signed.
    pub text: String,
    /// The payload read as a JSON object, when the signature verified and it is one.
    pub object: Option<Map<String, Value>>,
}

/// Checks the signature of the request body `envelope` (read as JSON) and returns the signed
/// payload. Refusals name a `juspay.jws.*` rule.
pub fn open(envelope: &Value, keys: &KeyRing, fault: Option<&Fault>, now: u64) -> Result<Opened, Refusal> {
    let jws = FlattenedJws::from_value(envelope).map_err(|e| refusal(&e))?;
    let alg = protected_alg(&jws);
    let bypass = match fault {
        Some(Fault::SkipJwsVerification) => true,
        Some(Fault::AcceptAlgNone) => alg.as_deref().is_some_and(|a| a.eq_ignore_ascii_case("none")),
        _ => false,
    };
    if bypass {
        return payload_text(&jws);
    }
    let policy = JwsPolicy {
        algorithm: match alg.as_deref() {
            Some("PS256") => SignatureAlgorithm::Ps256,
            _ => SignatureAlgorithm::Rs256,
        },
        window: UNBOUNDED,
        require_iat: false,
    };
    match jws::verify(&jws, keys, &policy, now, None) {
        Ok(verified) => Ok(Opened {
            text: verified.payload_json,
            object: Some(verified.payload),
        }),
        // The signature verified; what remains is the payload's own shape, which its model
        // judges (and names the rule of) next.
        Err(JwsError::PayloadJson | JwsError::IatFormat | JwsError::IatMissing) => payload_text(&jws),
        Err(e) => Err(refusal(&e)),
    }
}

/// Checks `iat` (when the payload has one as a string) and the `x-timestamp` header of a
/// request of model `model_id` against `window`. The format is the model's rule too
/// (`MODEL.iat.format`, `MODEL.header.x-timestamp.format`): a fault ignoring either ID lets
/// a malformed value through.
pub fn check_freshness(
    payload: &Map<String, Value>,
    x_timestamp: Option<&str>,
    window: &FreshnessWindow,
    now: u64,
    model_id: &str,
    fault: Option<&Fault>,
) -> Result<(), Refusal> {
    let ignored = |ids: &[&str]| fault.is_some_and(|f| ids.iter().any(|id| f.ignores(id)));
    let judge = |value: &str, format: &str, stale: &str, what: &str| match window.check(value, now) {
        Ok(_) => Ok(()),
        Err(Staleness::Malformed) if ignored(&[format, &format!("{model_id}.{}.format", what.replace(':', "."))]) => {
            Ok(())
        }
        Err(Staleness::TooOld(_) | Staleness::TooNew(_)) if ignored(&[stale]) => Ok(()),
        Err(Staleness::Malformed) => Err(Refusal::new(format, what, format!("{what} is not 13 digits"))),
        Err(Staleness::TooOld(by)) => Err(Refusal::new(
            stale,
            what,
            format!("{what} is {by} ms older than the window allows"),
        )),
        Err(Staleness::TooNew(by)) => Err(Refusal::new(
            stale,
            what,
            format!("{what} is {by} ms further ahead than the window allows"),
        )),
    };
    if let Some(Value::String(iat)) = payload.get("iat") {
        judge(iat, ids::IAT_FORMAT, ids::IAT_STALE, "iat")?;
    }
    if let Some(timestamp) = x_timestamp {
        judge(
            timestamp,
            ids::X_TIMESTAMP_FORMAT,
            ids::X_TIMESTAMP_STALE,
            "header:x-timestamp",
        )?;
    }
    Ok(())
}

fn refusal(error: &JwsError) -> Refusal {
    Refusal::new(error.rule_id(), "body", error.to_string())
}

/// The `alg` of the protected header, if it decodes to one.
fn protected_alg(jws: &FlattenedJws) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(&jws.protected).ok()?;
    match serde_json::from_slice::<Value>(&bytes).ok()? {
        Value::Object(header) => header.get("alg")?.as_str().map(str::to_owned),
        _ => None,
    }
}

/// The payload segment decoded, without judging the signature (nor reading it as JSON).
fn payload_text(jws: &FlattenedJws) -> Result<Opened, Refusal> {
    let bytes = URL_SAFE_NO_PAD
        .decode(&jws.payload)
        .map_err(|e| Refusal::new(ids::BASE64URL, "payload", format!("payload is not base64url: {e}")))?;
    let text =
        String::from_utf8(bytes).map_err(|_| Refusal::new(ids::PAYLOAD_JSON, "payload", "payload is not UTF-8"))?;
    Ok(Opened { text, object: None })
}
