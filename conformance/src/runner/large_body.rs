//! The large-body case of every suite: a valid request, padded past 64 KiB with one unknown
//! field of 100,000 characters, must be answered within the timeout. Unknown fields are allowed
//! by the models, so an acceptance is judged like any other; a refusal is judged by the API's
//! error shape only, because a cap on body size is the target's to choose (HTTP 413 is an
//! answer). A dropped connection, a timeout or a 5xx fails the case.

use anyhow::{Context as _, Result};
use serde_json::Value;
use upi_spec::messages;

use super::api::{self, ApiCase};
use super::case::Finding;
use super::exec::Executor;
use super::http::Exchange;
use super::judge;

/// The unknown field that pads the request.
pub const PADDING_FIELD: &str = "x_conformance_padding";
/// Its length, in characters (and bytes: the padding is ASCII).
pub const PADDING_CHARS: usize = 100_000;

/// Runs the case for `api`.
pub(crate) async fn run(
    executor: &mut Executor,
    api: &ApiCase,
    findings: &mut Vec<Finding>,
    exchanges: &mut Vec<Exchange>,
) -> Result<()> {
    let message = messages::find(api.request).context("unknown request model")?;
    let ctx = executor.context(api, exchanges).await?;
    let mut doc = executor.valid_with_context(api, message, 9_000, &ctx)?;
    // No hash sequence has a place for an unknown field: the PayU hash computed with the
    // context still verifies, and the Merchant Stack JWS is signed over the padded payload.
    if let Some(body) = doc.body.as_object_mut() {
        body.insert(PADDING_FIELD.into(), Value::String("P".repeat(PADDING_CHARS)));
    }
    let base = executor.base(api.api)?;
    let request = api::to_request(
        api,
        message,
        &doc,
        &base,
        executor.config(),
        Some(executor.signing_key()),
        None,
    )?;
    let x = executor.client().send(&request).await;
    findings.extend(judge::transport(&x));
    if x.status.is_some_and(|s| s < 500) {
        if api.rejected(x.status, &x.response_bytes) {
            judge::response_against(api.error, &x, findings);
        } else {
            executor.judge_success(api, &doc, &x, findings);
        }
    }
    exchanges.push(x);
    Ok(())
}
