//! Relations the seeds state between a request and its answer, which a well-formed answer can
//! still get wrong: each is a behaviour rule of the catalogue with the seed's words, and each has
//! a reference-server fault that breaks it.

use serde_json::Value;
use upi_spec::Severity;
use upi_spec::behaviour::ids::{
    PAYU_CALLBACK_AMOUNT_AS_PASSED, PAYU_CALLBACK_MIHPAYID_IS_PAYMENT_ID, PAYU_INTENT_TID_UNIQUE,
    PAYU_UDF_UPDATE_PERSISTED, PAYU_UDF_UPDATE_UDFS_AS_POSTED,
};
use upi_spec::behaviour::{EC_TXNS_FRESH_PENDING, PAYU_INTENT_AMOUNT_AS_PASSED, PAYU_INTENT_PENDING};
use upi_spec::deeplink::{self, Key};
use upi_spec::input::Document;
use upi_spec::model::api::AnswerRelation;

use crate::runner::case::Finding;

/// Checks `relation` between the accepted request `sent` and its `answer`.
pub fn check(relation: AnswerRelation, sent: &Document, answer: &Value, findings: &mut Vec<Finding>) {
    match relation {
        AnswerRelation::PayuIntentAmount => payu_intent_amount(sent, answer, findings),
        AnswerRelation::PayuIntentPending => payu_intent_pending(answer, findings),
        AnswerRelation::EcTxnsFreshPending => ec_txns_fresh_pending(answer, findings),
    }
}

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

/// The `tid` of a `_payment` answer's `result.intentURIData`, if it carries one.
pub fn payu_intent_tid(answer: &Value) -> Option<String> {
    let data = answer.pointer("/result/intentURIData").and_then(Value::as_str)?;
    let parsed = deeplink::parse_intent_uri_data(data).ok()?;
    parsed.deeplink.get(Key::Tid).map(str::to_string)
}

/// PayU `_payment`: the intents of two payments carry different `tid`s (seed 004: "The tid
/// value which is passed in the intent URI acts as a validation check at NPCI's end which do
/// not allow duplicate transaction."). Intents without a `tid` are not judged (it is optional).
pub fn payu_intent_tids_distinct(first: &Value, second: &Value, findings: &mut Vec<Finding>) {
    if let (Some(a), Some(b)) = (payu_intent_tid(first), payu_intent_tid(second))
        && a == b
    {
        findings.push(Finding::must(
            PAYU_INTENT_TID_UNIQUE,
            format!("two payments' intents carry the same tid {a:?}: NPCI refuses the second as a duplicate"),
        ));
    }
}

/// PayU `udf_update`'s variables and the udfs they set (seed 004 Step 6's samples: var2 is
/// answered as udf1, var4..var6 as udf3..udf5; E-077).
pub const UDF_UPDATE_VARS: [(&str, &str); 5] = [
    ("var2", "udf1"),
    ("var3", "udf2"),
    ("var4", "udf3"),
    ("var5", "udf4"),
    ("var6", "udf5"),
];

/// The value `update` posted in `var` (a variable not posted: empty, as the seed's sample answers
/// `udf2: ""` for the var3 it did not post).
fn posted_var<'a>(update: &'a Document, var: &str) -> &'a str {
    update.body.get(var).and_then(Value::as_str).unwrap_or_default()
}

/// PayU `udf_update`: the success answer carries `udf1`..`udf5` as posted in `var2`..`var6`
/// (a `should`: the seed shows the mapping only by its sample); a udf whose var was not posted
/// is empty or, as in the AutoPay sample, absent.
pub fn payu_udf_update_echo(update: &Document, answer: &Value, findings: &mut Vec<Finding>) {
    for (var, udf) in UDF_UPDATE_VARS {
        let posted = posted_var(update, var);
        let answered = answer.get(udf).and_then(Value::as_str);
        // The AutoPay sample leaves out the udfs whose var it did not post.
        if answered != Some(posted) && !(posted.is_empty() && answered.is_none()) {
            findings.push(should(
                PAYU_UDF_UPDATE_UDFS_AS_POSTED.as_str(),
                format!("udf_update posted {var}={posted:?}, but the answer's {udf} is {answered:?}"),
            ));
        }
    }
}

/// PayU: after an accepted `udf_update`, the `verify_payment` entry of that txnid
/// (`transaction`) reports `udf1`..`udf5` as the update set them (a `should`: the seed says the
/// invoice ID "can be updated", but not what verify_payment reports).
pub fn payu_udf_update_persisted(update: &Document, transaction: &Value, findings: &mut Vec<Finding>) {
    for (var, udf) in UDF_UPDATE_VARS {
        let posted = posted_var(update, var);
        let reported = transaction.get(udf).and_then(Value::as_str);
        if reported != Some(posted) {
            findings.push(should(
                PAYU_UDF_UPDATE_PERSISTED.as_str(),
                format!("udf_update set {udf} to {posted:?} ({var}), but a later verify_payment reports {reported:?}"),
            ));
        }
    }
}

/// PayU S2S callback: its `amount` is the transaction amount, the amount posted to `_payment`
/// (seed 004, Callback Response Parameters: "amount | Transaction amount"), compared as decimal
/// numbers. An absent `amount` is the callback model's finding, not this one.
pub fn payu_callback_amount(posted: &str, callback: Option<&str>, findings: &mut Vec<Finding>) {
    if let Some(amount) = callback
        && !upi_spec::amount::same(amount, posted)
    {
        findings.push(Finding::must(
            PAYU_CALLBACK_AMOUNT_AS_PASSED,
            format!("the S2S callback says amount={amount}, but the payment posted amount={posted}"),
        ));
    }
}

/// PayU S2S callback: its `mihpayid` ("PayU transaction ID") is the `result.paymentId` the
/// `_payment` answer gave (our reading, a `should`: the seed never names `paymentId` the PayU ID).
/// Either absent is another rule's finding, not this one.
pub fn payu_callback_mihpayid(payment_id: Option<&str>, callback: Option<&str>, findings: &mut Vec<Finding>) {
    if let (Some(paid), Some(mihpayid)) = (payment_id, callback)
        && paid != mihpayid
    {
        findings.push(Finding::must(
            PAYU_CALLBACK_MIHPAYID_IS_PAYMENT_ID,
            format!("the S2S callback says mihpayid={mihpayid}, but _payment answered paymentId={paid}"),
        ));
    }
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
    fn udf_update_echo_and_persistence_compare_var2_to_6_with_udf1_to_5() {
        let update = Document::body(serde_json::json!({"var1": "T1", "var2": "A", "var4": "C", "var6": "E"}));
        let right = serde_json::json!({"udf1": "A", "udf2": "", "udf3": "C", "udf4": "", "udf5": "E"});
        let mut findings = Vec::new();
        payu_udf_update_echo(&update, &right, &mut findings);
        payu_udf_update_persisted(&update, &right, &mut findings);
        let autopay = serde_json::json!({"udf1": "A", "udf2": "", "udf3": "C", "udf5": "E"});
        payu_udf_update_echo(&update, &autopay, &mut findings);
        assert!(findings.is_empty(), "{findings:?}");
        // The naive mapping var1..var5 -> udf1..udf5, and a verify_payment still reporting old udfs.
        let shifted = serde_json::json!({"udf1": "T1", "udf2": "A", "udf3": "", "udf4": "C", "udf5": ""});
        payu_udf_update_echo(&update, &shifted, &mut findings);
        assert_eq!(findings.len(), 5);
        assert!(
            findings
                .iter()
                .all(|f| f.rule == PAYU_UDF_UPDATE_UDFS_AS_POSTED.as_str())
        );
        findings.clear();
        let old = serde_json::json!({"udf1": "", "udf2": "", "udf3": "", "udf4": "", "udf5": ""});
        payu_udf_update_persisted(&update, &old, &mut findings);
        let rules: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, [PAYU_UDF_UPDATE_PERSISTED.as_str(); 3]);
        assert!(findings.iter().all(|f| f.severity == Severity::Should));
    }

    #[test]
    fn two_intents_with_one_tid_are_a_finding_and_without_tid_are_not_judged() {
        let intent =
            |tid: &str| serde_json::json!({"result": {"intentURIData": format!("pa=a@b&pn=X&tid={tid}&am=1.00")}});
        let no_tid = serde_json::json!({"result": {"intentURIData": "pa=a@b&pn=X&am=1.00"}});
        let mut findings = Vec::new();
        payu_intent_tids_distinct(&intent("T1"), &intent("T2"), &mut findings);
        payu_intent_tids_distinct(&no_tid, &no_tid, &mut findings);
        assert!(findings.is_empty(), "{findings:?}");
        payu_intent_tids_distinct(&intent("T1"), &intent("T1"), &mut findings);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].rule, PAYU_INTENT_TID_UNIQUE.as_str());
    }

    #[test]
    fn a_callback_for_another_amount_is_a_must_finding() {
        let mut findings = Vec::new();
        payu_callback_amount("100", Some("100.00"), &mut findings);
        payu_callback_amount("100", None, &mut findings);
        assert!(findings.is_empty(), "{findings:?}");
        payu_callback_amount("100.00", Some("101.00"), &mut findings);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].rule, PAYU_CALLBACK_AMOUNT_AS_PASSED.as_str());
        assert_eq!(findings[0].severity, Severity::Must);
    }

    #[test]
    fn a_callback_for_another_payu_id_is_a_should_finding() {
        let mut findings = Vec::new();
        payu_callback_mihpayid(Some("403993715525825059"), Some("403993715525825059"), &mut findings);
        payu_callback_mihpayid(None, Some("1"), &mut findings);
        payu_callback_mihpayid(Some("1"), None, &mut findings);
        assert!(findings.is_empty(), "{findings:?}");
        payu_callback_mihpayid(Some("403993715525825059"), Some("4039937155258250590"), &mut findings);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].rule, PAYU_CALLBACK_MIHPAYID_IS_PAYMENT_ID.as_str());
        assert_eq!(findings[0].severity, Severity::Should);
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
