//! Acceptance cases: a valid request (a corrected seed sample or a generated document) must be
//! accepted and answered per the success model.

use std::path::Path;

use super::relations;
use crate::runner::api::ApiCase;
use crate::runner::case::Finding;
use crate::runner::judge;
use crate::runner::outcome::CaseError;
use crate::runner::session::{Session, Trace};

/// Sends the valid document (`sample`, or generated number `n`, with non-ASCII free text when
/// `unicode`) and judges the answer.
pub async fn run(
    session: &Session,
    api: &ApiCase,
    sample: Option<&Path>,
    n: u64,
    unicode: bool,
    trace: &mut Trace,
) -> Result<(), CaseError> {
    let (doc, x) = session.send_valid(api, sample, n, unicode, trace).await?;
    let findings = &mut trace.findings;
    findings.extend(judge::transport(&x));
    if x.status.is_some() && api.rejected(&x) {
        findings.push(Finding::must(
            api.accepted,
            format!(
                "a valid request was rejected: HTTP {} {}",
                x.status.unwrap_or(0),
                judge::excerpt(&x.response_body)
            ),
        ));
        // Taken for a rejection, the answer is still judged as one: an answer that reads as
        // a rejection only because it breaks its model (PayU's invoice upload without
        // responseCode 00) is reported under the rule it breaks.
        judge::response_against(api.error, &x, findings);
    } else if x.status.is_some() {
        judge::success(api, session.psp_key(), &doc, &x, findings);
        if let Ok(answer) = serde_json::from_slice::<serde_json::Value>(&x.response_bytes) {
            for relation in api.declared.answer_relations {
                relations::check(*relation, &doc, &answer, findings);
            }
        }
    }
    trace.exchanges.push(x);
    Ok(())
}
