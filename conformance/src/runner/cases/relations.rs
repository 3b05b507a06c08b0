//! Relations the seeds state between a request and its answer, which a well-formed answer can
//! still get wrong: each is a behaviour rule of the catalogue with the seed's words, and each has
//! a reference-server fault that breaks it.

use serde_json::Value;
use upi_spec::Severity;
use upi_spec::behaviour::{EC_TXNS_FRESH_PENDING, PAYU_INTENT_AMOUNT_AS_PASSED, PAYU_INTENT_PENDING};
use upi_spec::deeplink::{self, Key};
use upi_spec::input::Document;

use crate::runner::case::Finding;

/// PayU `_payment`: the `am` of `result.intentURIData` is the amount posted (seed 004 Step 2:
/// "This must be the same as the amount passed to the initiatePayment API"), compared as
/// decimal numbers (`1` and `1.00` are the same amount). An answer without an intent (a
/// refusal, a failed payment) or without `am` is not judged here.
pub fn payu_intent_amount(sent: &Document, answer: &Value, findings: &mut Vec<Finding>) {
    let Some(data) = answer.pointer("/result/intentURIData").and_then(Value::as_str) else {
        return;
    };
    let Ok(parsed) = deeplink::parse_intent_uri_data(data) else {
        return;
    };
    let Some(am) = parsed.deeplink.get(Key::Am) else {
        return;
    };
    let posted = match sent.body.get("amount") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return,
    };
    if !upi_spec::amount::same(am, &posted) {
        findings.push(Finding::must(
            PAYU_INTENT_AMOUNT_AS_PASSED,
            format!("intentURIData am={am}, but the request posted amount={posted}"),
        ));
    }
}

/// PayU `_payment`: an answer that hands out `result.intentURIData` reports the payment pending
/// in `metaData.txnStatus` and `metaData.unmappedStatus` (seed 004: "If metaData.unmappedStatus
/// = pending, then get the result.intentURIData"; its sample says pending in both). A `should`:
/// the seed lists no other status of a fresh intent.
pub fn payu_intent_pending(answer: &Value, findings: &mut Vec<Finding>) {
    if answer.pointer("/result/intentURIData").is_none() {
        return;
    }
    for pointer in ["/metaData/txnStatus", "/metaData/unmappedStatus"] {
        match answer.pointer(pointer).and_then(Value::as_str) {
            Some(status) if !status.eq_ignore_ascii_case("pending") => findings.push(should(
                PAYU_INTENT_PENDING,
                format!("{pointer} is {status:?} in an answer that hands out an intent to pay"),
            )),
            _ => {}
        }
    }
}

/// EC `/txns`: the answer for an order whose payment has only started says `status`
/// PENDING_VBV (seed 001's 200 table; a `should`, the value sits in the description slot).
pub fn ec_txns_fresh_pending(answer: &Value, findings: &mut Vec<Finding>) {
    if let Some(status) = answer.get("status").and_then(Value::as_str)
        && status != "PENDING_VBV"
    {
        findings.push(should(
            EC_TXNS_FRESH_PENDING,
            format!("status {status:?} for a payment that has only started (PENDING_VBV expected)"),
        ));
    }
}

fn should(rule: &str, message: String) -> Finding {
    Finding {
        rule: rule.to_string(),
        severity: Severity::Should,
        message,
    }
}

/// EC `/txns` with a `format` other than `json` is answered HTTP 302 with a `Location` (seed 001,
/// `format`: "Otherwise, the response is HTTP 302 with the Location attribute having the
/// destination URL."): `Some(findings)` judging such an answer when `sent` is that request,
/// `None` when `sent` asks for JSON (or is not a `/txns` request).
pub fn ec_txns_format_redirect(
    suite: &str,
    sent: &Document,
    x: &crate::runner::http::Exchange,
) -> Option<Vec<Finding>> {
    if suite != "ec-txns" {
        return None;
    }
    let format = sent.body.get("format").and_then(Value::as_str)?;
    if format == "json" {
        return None;
    }
    let location = x.header("location").filter(|l| !l.trim().is_empty());
    Some(if x.status == Some(302) && location.is_some() {
        Vec::new()
    } else {
        vec![Finding::must(
            upi_spec::behaviour::EC_TXNS_FORMAT_REDIRECT,
            format!(
                "format={format} was answered HTTP {}, not 302 with a Location",
                x.status.unwrap_or(0)
            ),
        )]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_of_a_fresh_payment() {
        let mut findings = Vec::new();
        let pending = serde_json::json!({"metaData": {"txnStatus": "pending", "unmappedStatus": "pending"},
            "result": {"intentURIData": "pa=a@b"}});
        payu_intent_pending(&pending, &mut findings);
        ec_txns_fresh_pending(&serde_json::json!({"status": "PENDING_VBV"}), &mut findings);
        assert!(findings.is_empty(), "{findings:?}");
        let paid = serde_json::json!({"metaData": {"txnStatus": "success", "unmappedStatus": "captured"},
            "result": {"intentURIData": "pa=a@b"}});
        payu_intent_pending(&paid, &mut findings);
        ec_txns_fresh_pending(&serde_json::json!({"status": "CHARGED"}), &mut findings);
        let rules: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, [PAYU_INTENT_PENDING, PAYU_INTENT_PENDING, EC_TXNS_FRESH_PENDING]);
        assert!(findings.iter().all(|f| f.severity == Severity::Should));
    }

    #[test]
    fn an_intent_for_another_amount_is_a_finding() {
        let sent = Document {
            headers: None,
            body: serde_json::json!({"amount": "1"}),
        };
        let mut findings = Vec::new();
        let good = serde_json::json!({"result": {"intentURIData": "pa=a@b&pn=X&am=1.00&cu=INR"}});
        payu_intent_amount(&sent, &good, &mut findings);
        assert!(findings.is_empty(), "{findings:?}");
        let bad = serde_json::json!({"result": {"intentURIData": "pa=a@b&pn=X&am=2.00&cu=INR"}});
        payu_intent_amount(&sent, &bad, &mut findings);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].rule, PAYU_INTENT_AMOUNT_AS_PASSED);
    }
}
