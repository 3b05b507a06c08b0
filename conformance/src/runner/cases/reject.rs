//! Rejection cases: a request breaking exactly one rule must be refused in the API's error
//! shape. The root-type and syntax rules are broken on the wire (a JSON array, an unterminated
//! document or a bad percent escape); every other rule by the generator.

use anyhow::Context as _;
use rand_chacha::ChaCha8Rng;
use upi_spec::input::Document;

use crate::runner::api::{self, ApiCase, ContextFill};
use crate::runner::http::Body;
use crate::runner::judge::{self, Broken};
use crate::runner::outcome::CaseError;
use crate::runner::plan::Breach;
use crate::runner::reason;
use crate::runner::session::{Session, Trace};

/// A rejection case's request before it is put on the wire: the document (body and headers,
/// context applied last) and, for a wire-level breach, the raw body that replaces it.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The document as it will be sent (for a wire-level breach, the valid one it replaces).
    pub doc: Document,
    /// The raw body sent instead of the document's (a root-type or syntax breach).
    pub raw: Option<String>,
}

/// Builds the request of a case of `fill`'s operation breaking `rule` with `fill`'s context:
/// the generator breaks the rule, then every context field (unique IDs, the clock, the routing
/// header equal to the broken `merchantRequestId`, hashes last) is derived from the broken
/// document, so that the request breaks that rule and no other.
pub fn prepare(
    session: &Session,
    fill: ContextFill<'_>,
    rule: &str,
    breach: Breach,
    other_side: bool,
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<Prepared> {
    let (api, ctx) = (fill.api, fill.ctx);
    let message = api.request.message();
    Ok(match breach {
        Breach::RootType => Prepared {
            doc: session.valid_with_context(api, None, 0, false, ctx, rng)?,
            raw: Some("[]".to_string()),
        },
        Breach::Syntax => {
            let doc = session.valid_with_context(api, None, 0, false, ctx, rng)?;
            let raw = match message.encoding {
                upi_spec::model::Encoding::Json => "{\"merchantRequestId\": \"unterminated".to_string(),
                _ => format!(
                    "{}&broken=%zz",
                    api::form_body(doc.body.as_object().cloned().unwrap_or_default())
                ),
            };
            Prepared { doc, raw: Some(raw) }
        }
        Breach::Generated => {
            let mut doc = session
                .document(api, None, u64::from(other_side), Some(rule), false)?
                .with_context(|| format!("the generator cannot break {rule}"))?;
            fill.apply(&mut doc, Some(rule), rng);
            Prepared { doc, raw: None }
        }
    })
}

/// Sends a request breaking `broken.rule` (from the bound's other side when `other_side`) and
/// expects the API's refusal.
pub async fn run(
    session: &Session,
    api: &ApiCase,
    broken: Broken<'_>,
    breach: Breach,
    other_side: bool,
    trace: &mut Trace,
) -> Result<(), CaseError> {
    let rule = broken.rule;
    let message = api.request.message();
    let ctx = session.context(api, &mut trace.rng, &mut trace.exchanges).await?;
    let fill = session.fill(api, &ctx);
    let Prepared { doc, raw } = prepare(session, fill, rule, breach, other_side, &mut trace.rng)?;
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
    judge::rejection(api, broken, &x, &mut trace.findings);
    if x.status.is_some_and(|s| s < 500) && api.rejected(&x) {
        reason::judge(api, broken, &x, &mut trace.findings);
    }
    trace.exchanges.push(x);
    Ok(())
}
