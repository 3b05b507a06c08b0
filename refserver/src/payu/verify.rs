//! `verify_payment` (seed 004 step 3; model `payu.verify-payment.request`, answer
//! `payu.verify-payment.response`): the status of each txnid in `var1` (several joined by
//! `|`), `{"status":0,"msg":…}` when the request is refused.

use serde_json::{Map, Value, json};

use super::command_hash;
use super::form_data::CommandForm;
use super::refused_zero;
use crate::app::App;
use crate::fault::Fault;
use crate::judge::{judge, text};
use crate::models;
use crate::store::{Payment, PaymentStatus};
use upi_spec::amount::two_decimals;

/// The answer to a `verify_payment` command.
pub fn answer(app: &App, form: &CommandForm) -> Value {
    let model = models::get(models::PAYU_VERIFY_REQUEST);
    let document = match form.document(model, app.config.fault.as_ref()) {
        Ok(d) => d,
        Err(refusal) => return refused_zero(&refusal.message(), &refusal),
    };
    if let Err(refusal) = judge(model, &document, &app.config) {
        if refusal.is_missing() {
            return refused_zero("Parameter missing", &refusal);
        }
        return refused_zero(&refusal.message(), &refusal);
    }
    if let Err(denial) = command_hash::check(&document, &app.config.payu, false) {
        return refused_zero(denial.msg(), &denial.refusal());
    }
    let txnids: Vec<&str> = text(&document, "var1").split('|').collect();
    let mut found = 0;
    let mut details = Map::new();
    for txnid in &txnids {
        let entry = match app.store.payment(txnid) {
            Some(payment) => {
                found += 1;
                transaction(txnid, &payment, app.config.has(Fault::VerifyPaymentWrongStatus))
            }
            None => json!({"mihpayid": "Not Found", "status": "Not Found"}),
        };
        details.insert((*txnid).to_owned(), entry);
    }
    json!({
        "status": 1,
        "msg": format!("{found} out of {} Transactions Fetched Successfully", txnids.len()),
        "transaction_details": details,
    })
}

/// One payment as `transaction_details` reports it.
fn transaction(txnid: &str, payment: &Payment, wrong_status: bool) -> Value {
    let status = if wrong_status {
        PaymentStatus::Success
    } else {
        payment.status
    };
    let amount = two_decimals(payment.field("amount"));
    json!({
        "mihpayid": payment.mihpayid,
        "request_id": "",
        "bank_ref_num": payment.bank_ref_no,
        "amt": amount,
        "transaction_amount": amount,
        "txnid": txnid,
        "additional_charges": "0.00",
        "productinfo": payment.field("productinfo"),
        "firstname": payment.field("firstname"),
        "bankcode": payment.field("bankcode"),
        "udf1": payment.field("udf1"),
        "udf2": payment.field("udf2"),
        "udf3": payment.field("udf3"),
        "udf4": payment.field("udf4"),
        "udf5": payment.field("udf5"),
        "mode": "UPI",
        "status": status.word(),
        "unmappedstatus": status.unmapped(),
    })
}
