//! The fuzzer's oracle: what the target must have done with a case, given what our validator
//! says about what was sent.

use upi_spec::input::Document;
use upi_spec::model::Message;
use upi_spec::rule_ids as rules;
use upi_spec::{Severity, catalogue};

use super::mutation::*;
use crate::runner::api::ApiCase;
use crate::runner::case::Finding;
use crate::runner::http::Exchange;
use crate::runner::judge;
use crate::runner::session::Session;

/// The oracle.
#[allow(clippy::too_many_arguments)] // the case, what was sent, and the validator's own verdict on it
pub(super) fn judge_case(
    executor: &Session,
    api: &ApiCase,
    message: &Message,
    doc: &Document,
    mutation: &Mutation,
    (must_reject, either): (bool, bool),
    judged: &[upi_spec::Violation],
    x: &Exchange,
) -> Vec<Finding> {
    let mut findings = judge::transport(x);
    if x.reflects_secret() {
        findings.push(Finding::must(
            rules::behaviour::TRANSPORT_NO_SECRET_REFLECTED,
            format!("the response to {} reflects a secret", x.request_line),
        ));
    }
    if x.status.is_none_or(|s| s >= 500) {
        return findings;
    }
    if must_reject {
        let rule = rejected_rule(message, mutation, judged);
        judge::rejection(api, judge::Broken::must(&rule), x, &mut findings);
        return findings;
    }
    if let Some(redirect) = crate::runner::cases::relations::ec_txns_format_redirect(api.suite, doc, x) {
        // A `/txns` asking for another format than JSON is answered with a redirect.
        findings.extend(redirect);
        return findings;
    }
    // Read once: a 2xx answer's body is parsed to tell a refusal from an acceptance.
    let rejected = api.rejected(x);
    if either && rejected {
        // A state-dependent refusal, or one of a request breaking only `should` rules: only its
        // shape is judged.
        let mut shape = Vec::new();
        judge::response_against(api.error, x, &mut shape);
        findings.extend(shape);
    } else if rejected {
        findings.push(Finding::must(
            api.accepted,
            format!(
                "a request our validator finds valid was rejected: HTTP {}",
                x.status.unwrap_or(0)
            ),
        ));
    } else {
        let mut judged_success = Vec::new();
        judge::success(api, executor.psp_key(), doc, x, &mut judged_success);
        // A mutated client value flows into the deeplink the response maps to; what that link
        // must look like for such input is not specified, so only Valid and single-rule cases
        // (where every value conforms) have their links judged.
        let link_judged = mutation.field().is_none();
        findings.extend(
            judged_success
                .into_iter()
                .filter(|f| link_judged || !f.rule.starts_with("deeplink.")),
        );
    }
    findings
}

/// The rule a case that must be refused breaks: the rule a `Break` case was made to break, the
/// hash, signature or timestamp rule a crypto mutation breaks, the syntax rule of a body that
/// cannot be read, else the first `must` rule our validator finds broken.
pub(super) fn rejected_rule(message: &Message, mutation: &Mutation, judged: &[upi_spec::Violation]) -> String {
    match mutation {
        Mutation::Break { rule } => rule.clone(),
        Mutation::WrongHash => rules::crypto::PAYU_REQUEST_HASH.into(),
        Mutation::WrongSignature => rules::crypto::JWS_SIGNATURE.into(),
        Mutation::StaleTimestamp => rules::crypto::JWS_IAT_STALE.into(),
        Mutation::DuplicateKey | Mutation::BrokenEncoding => {
            format!("{}.{}", message.id, catalogue::syntax_rule(message).0)
        }
        _ => judged
            .iter()
            .find(|v| v.severity == Severity::Must)
            .map(|v| v.rule.clone())
            .unwrap_or_default(),
    }
}
