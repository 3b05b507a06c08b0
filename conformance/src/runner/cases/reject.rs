//! Rejection cases: a request breaking exactly one rule must be refused in the API's error
//! shape. The root-type and syntax rules are broken on the wire (a JSON array, an unterminated
//! document or a bad percent escape); every other rule by the generator.

use anyhow::Context as _;
use upi_spec::messages;

use crate::runner::api::{self, ApiCase};
use crate::runner::http::Body;
use crate::runner::judge;
use crate::runner::outcome::CaseError;
use crate::runner::plan::Breach;
use crate::runner::session::{Session, Trace, now_millis};

/// Sends a request breaking `rule` (from the bound's other side when `other_side`) and
/// expects the API's refusal.
pub async fn run(
    session: &Session,
    api: &ApiCase,
    rule: &str,
    breach: Breach,
    other_side: bool,
    trace: &mut Trace,
) -> Result<(), CaseError> {
    let message = messages::find(api.request).context("unknown request model")?;
    let ctx = session.context(api, &mut trace.rng, &mut trace.exchanges).await?;
    let (doc, raw) = if breach == Breach::RootType {
        let doc = session.valid_with_context(api, message, None, 0, false, &ctx, &mut trace.rng)?;
        (doc, Some("[]".to_string()))
    } else if breach == Breach::Syntax {
        let doc = session.valid_with_context(api, message, None, 0, false, &ctx, &mut trace.rng)?;
        let raw = match message.encoding {
            upi_spec::model::Encoding::Json => "{\"merchantRequestId\": \"unterminated".to_string(),
            _ => format!(
                "{}&broken=%zz",
                api::form_body(doc.body.as_object().cloned().unwrap_or_default())
            ),
        };
        (doc, Some(raw))
    } else {
        let mut doc = session
            .document(api, None, u64::from(other_side), Some(rule), false)?
            .with_context(|| format!("the generator cannot break {rule}"))?;
        api::apply_context(
            api,
            message,
            &mut doc,
            Some(rule),
            session.config(),
            &ctx,
            &mut trace.rng,
            now_millis(),
        );
        (doc, None)
    };
    let mut request = api::to_request(
        api,
        message,
        &doc,
        &session.base(api.api)?,
        session.config(),
        Some(session.signing_key()),
        raw.as_deref(),
    )?;
    if breach == Breach::Syntax
        && let Body::Multipart(parts) = &mut request.body
    {
        // A multipart body cannot carry a bad percent escape; a part name sent twice with
        // two values is its ambiguity.
        parts.push(("var1".into(), "a-second-var1".into()));
    }
    let x = session.client().send(&request).await;
    trace.findings.extend(judge::transport(&x));
    judge::rejection(api, rule, &x, &mut trace.findings);
    trace.exchanges.push(x);
    Ok(())
}
