//! The large-body case of every suite: a valid request, padded past 64 KiB with one unknown
//! field of 100,000 characters, must be answered within the timeout. Unknown fields are allowed
//! by the models, so an acceptance is judged like any other; a refusal is judged by the API's
//! error shape only, because a cap on body size is the target's to choose (HTTP 413 is an
//! answer). A dropped connection, a timeout or a 5xx fails the case.

use serde_json::Value;
use upi_spec::rule_ids as rules;

use crate::runner::api::{ApiCase, Context};
use crate::runner::judge;
use crate::runner::outcome::CaseError;
use crate::runner::session::{Session, Trace};

/// The unknown field that pads the request.
pub const PADDING_FIELD: &str = "x_conformance_padding";
/// Its length, in characters (and bytes: the padding is ASCII).
pub const PADDING_CHARS: usize = 100_000;
/// The generated document the case pads.
const DOCUMENT: u64 = 9_000;

/// The case's title.
pub const TITLE: &str = "a valid request padded past 64 KiB with an unknown 100,000-character field is answered, \
     accepted or refused in the API's shape, never dropped and never a 5xx";
/// The rules it checks.
pub const RULES: &[upi_spec::id::RuleId] = &[
    rules::behaviour::TRANSPORT_REACHABLE,
    rules::behaviour::TRANSPORT_TIMEOUT,
    rules::behaviour::TRANSPORT_NO_SERVER_ERROR,
];

/// Runs the case for `api`.
pub async fn run(session: &Session, api: &ApiCase, trace: &mut Trace) -> Result<(), CaseError> {
    let ctx: Context = session.context(api, &mut trace.rng, &mut trace.exchanges).await?;
    let mut doc = session.valid_with_context(api, None, DOCUMENT, false, &ctx, &mut trace.rng)?;
    // No hash sequence has a place for an unknown field: the PayU hash computed with the
    // context still verifies, and the Merchant Stack JWS is signed over the padded payload.
    if let Some(body) = doc.body.as_object_mut() {
        body.insert(PADDING_FIELD.into(), Value::String("P".repeat(PADDING_CHARS)));
    }
    let x = session.send_document(api, &doc).await?;
    trace.findings.extend(judge::transport(&x));
    if x.status.is_some_and(|s| s < 500) {
        if api.rejected(&x) {
            judge::response_against(api.error, &x, &mut trace.findings);
        } else {
            judge::success(api, session.psp_key(), &doc, &x, &mut trace.findings);
        }
    }
    trace.exchanges.push(x);
    Ok(())
}
