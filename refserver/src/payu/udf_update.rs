//! `udf_update` (seed 004 step 6; model `payu.udf-update.request`): sets `udf1`..`udf5` of a
//! payment from `var2`..`var6` (DOMAIN.md's most common mapping), answering
//! `payu.udf-update.response` or the seed's failure bodies (`payu.udf-update.error`).

use serde_json::{Value, json};

use super::command_hash;
use super::form_data::CommandForm;
use super::refused_zero;
use crate::app::App;
use crate::fault::Fault;
use crate::judge::{judge, text};
use crate::models;

/// The answer to a `udf_update` command.
pub fn answer(app: &App, form: &CommandForm) -> Value {
    let model = models::get(models::PAYU_UDF_UPDATE_REQUEST);
    let document = match form.document(model, app.config.fault.as_ref()) {
        Ok(d) => d,
        Err(refusal) => return refused_zero(&refusal.message(), &refusal),
    };
    if let Err(refusal) = judge(model, &document, &app.config) {
        if refusal.is_missing() || refusal.at == "var1" {
            return refused_zero("Parameter missing", &refusal);
        }
        return refused_zero(&refusal.message(), &refusal);
    }
    let accept_mismatch = app.config.has(Fault::AcceptBadUdfUpdateHash);
    if let Err(denial) = command_hash::check(&document, &app.config.payu, accept_mismatch) {
        return refused_zero(denial.msg(), &denial.refusal());
    }
    let txnid = text(&document, "var1");
    let udfs = ["var2", "var3", "var4", "var5", "var6"].map(|v| text(&document, v).to_owned());
    let known = if app.config.has(Fault::UdfUpdateNotPersisted) {
        app.store.has_payment(txnid)
    } else {
        app.store.update_udfs(txnid, &udfs)
    };
    if !known && !app.config.has(Fault::UdfUpdateUnknownTxnid) {
        let refusal = crate::judge::Refusal::new("server.payu.known-txnid", "var1", "Invalid TXN ID");
        return refused_zero("Invalid TXN ID", &refusal);
    }
    let answered = if app.config.has(Fault::UdfUpdateEchoShifted) {
        ["var1", "var2", "var3", "var4", "var5"].map(|v| text(&document, v).to_owned())
    } else {
        udfs
    };
    let [udf1, udf2, udf3, udf4, udf5] = answered;
    json!({
        "status": "UDF values updated",
        "transaction_id": txnid,
        "udf1": udf1,
        "udf2": udf2,
        "udf3": udf3,
        "udf4": udf4,
        "udf5": udf5,
    })
}
