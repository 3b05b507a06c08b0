//! Judging TPAP answers: whether an answer accepts or refuses the request, the response model,
//! and the request↔response pairing (seed 002 says of `udfParameters` "As passed in request";
//! `requestId` and `orderId` are repeated in every sample but are not stated, so they are
//! `should`).

use serde_json::Value;
use upi_spec::Severity;
use upi_spec::input::Document;
use upi_spec::model::Message;

use super::shim::Reply;
use crate::runner::case::Finding;

/// Rule: a valid request is accepted (answered with `error: false` and a non-FAILURE status).
pub const RULE_ACCEPTS_VALID: upi_spec::id::RuleId = upi_spec::rule_ids::client::TPAP_ACCEPTS_VALID;
/// Rule: the answer repeats the request's `requestId`.
pub const RULE_PAIR_REQUEST_ID: upi_spec::id::RuleId = upi_spec::rule_ids::client::TPAP_PAIR_REQUEST_ID;
/// Rule: the answer's `orderId` is the signed `order_id`.
pub const RULE_PAIR_ORDER_ID: upi_spec::id::RuleId = upi_spec::rule_ids::client::TPAP_PAIR_ORDER_ID;
/// Rule: the answer's `udfParameters` is the request's, as passed.
pub const RULE_PAIR_UDF: upi_spec::id::RuleId = upi_spec::rule_ids::client::TPAP_PAIR_UDF;
/// Rule: the shim answered with a protocol object in time.
pub const RULE_SHIM_PROTOCOL: upi_spec::id::RuleId = upi_spec::rule_ids::client::TPAP_SHIM_PROTOCOL;

/// Whether the answer refuses the request: a shim `error`, or a response with `error: true` or
/// `payload.status` `FAILURE` (the seed's response tables: "Error: Possible values :-
/// true/false"; FAILURE is in every action's status list).
pub fn refused(reply: &Reply) -> Option<String> {
    match reply {
        Reply::Error(e) => Some(format!("shim error: {e}")),
        Reply::Response(r) => {
            let error = r.get("error").and_then(Value::as_bool) == Some(true);
            let failure = r.pointer("/payload/status").and_then(Value::as_str) == Some("FAILURE");
            (error || failure).then(|| {
                format!(
                    "error={} status={} errorCode={} errorMessage={}",
                    r.get("error").unwrap_or(&Value::Null),
                    r.pointer("/payload/status").unwrap_or(&Value::Null),
                    r.get("errorCode").unwrap_or(&Value::Null),
                    r.get("errorMessage").unwrap_or(&Value::Null),
                )
            })
        }
    }
}

/// Findings of an answer to a valid request: accepted, valid against its response model, and
/// paired with its request.
pub fn accepted_and_paired(response_model: &Message, request: &Value, reply: &Reply) -> Vec<Finding> {
    if let Some(why) = refused(reply) {
        return vec![Finding::must(
            RULE_ACCEPTS_VALID,
            format!("a valid {} request was refused: {why}", response_model.title),
        )];
    }
    let Reply::Response(response) = reply else {
        return Vec::new();
    };
    let mut out: Vec<Finding> = upi_spec::validate::validate(response_model, &Document::body(response.clone()))
        .into_iter()
        .map(|v| Finding {
            rule: v.rule.clone(),
            severity: v.severity,
            message: format!("at {}: {}", v.at, v.reason),
        })
        .collect();
    out.extend(pairing(request, response));
    out
}

/// The request↔response pairing checks.
pub fn pairing(request: &Value, response: &Value) -> Vec<Finding> {
    let mut out = Vec::new();
    let sent_id = request.get("requestId");
    if sent_id.is_some() && response.get("requestId") != sent_id {
        out.push(Finding {
            rule: RULE_PAIR_REQUEST_ID.into(),
            severity: Severity::Should,
            message: format!(
                "the answer's requestId is {} but the request sent {}",
                show(response.get("requestId")),
                show(sent_id)
            ),
        });
    }
    let signed: Option<Value> = request
        .pointer("/payload/signaturePayload")
        .and_then(Value::as_str)
        .and_then(|s| serde_json::from_str(s).ok());
    let order = signed.as_ref().and_then(|s| s.get("order_id"));
    let answered_order = response.pointer("/payload/orderId");
    if let (Some(order), Some(got)) = (order, answered_order) {
        if got != order {
            out.push(Finding {
                rule: RULE_PAIR_ORDER_ID.into(),
                severity: Severity::Should,
                message: format!(
                    "the answer's orderId is {} but the signed order_id is {}",
                    show(Some(got)),
                    show(Some(order))
                ),
            });
        }
    }
    let udf = request.pointer("/payload/udfParameters");
    let is_pay = request.pointer("/payload/action").and_then(Value::as_str) == Some("onboardingAndPay")
        && request.pointer("/payload/shouldCreateMandate").is_none();
    if let (Some(udf), true) = (udf, is_pay) {
        let got = response.pointer("/payload/udfParameters");
        if got != Some(udf) {
            out.push(Finding::must(
                RULE_PAIR_UDF,
                format!(
                    "seed 002 §3 response: udfParameters \"As passed in request\"; the request passed {} and the answer has {}",
                    show(Some(udf)),
                    show(got)
                ),
            ));
        }
    }
    out
}

fn show(v: Option<&Value>) -> String {
    v.map_or_else(|| "nothing".to_owned(), Value::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request() -> Value {
        json!({"requestId": "a", "payload": {"action": "onboardingAndPay", "udfParameters": "{\"u\":\"1\"}",
            "signaturePayload": "{\"order_id\":\"O1\"}"}})
    }

    #[test]
    fn pairing_names_each_broken_echo() {
        let good = json!({"requestId": "a", "payload": {"orderId": "O1", "udfParameters": "{\"u\":\"1\"}"}});
        assert!(pairing(&request(), &good).is_empty());
        let bad = json!({"requestId": "b", "payload": {"orderId": "O2"}});
        let rules: Vec<_> = pairing(&request(), &bad)
            .into_iter()
            .map(|f| (f.rule, f.severity))
            .collect();
        assert_eq!(
            rules,
            vec![
                (RULE_PAIR_REQUEST_ID.to_string(), Severity::Should),
                (RULE_PAIR_ORDER_ID.to_string(), Severity::Should),
                (RULE_PAIR_UDF.to_string(), Severity::Must),
            ]
        );
    }

    #[test]
    fn refusals_are_error_true_failure_or_a_shim_error() {
        assert!(refused(&Reply::Error("x".into())).is_some());
        assert!(refused(&Reply::Response(json!({"error": true}))).is_some());
        assert!(
            refused(&Reply::Response(
                json!({"error": false, "payload": {"status": "FAILURE"}})
            ))
            .is_some()
        );
        assert!(
            refused(&Reply::Response(
                json!({"error": false, "payload": {"status": "SUCCESS"}})
            ))
            .is_none()
        );
    }
}
