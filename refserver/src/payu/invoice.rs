//! `opgsp_upload_invoice_awb` (seed 004 step 7; model `payu.invoice-upload.request`): accepts
//! an invoice or airway bill file for a payment, answering `payu.invoice-upload.response` with
//! the seed's codes: `00` uploaded, `103` refused (key or hash), `105` file format not
//! supported, `107` unknown PayU ID, `109` a field missing or invalid.

use serde_json::{Value, json};

use super::command_hash;
use super::form_data::CommandForm;
use crate::app::App;
use crate::fault::Fault;
use crate::judge::{judge, text};
use crate::models;

/// File extensions accepted (case-insensitive).
const FORMATS: [&str; 4] = ["pdf", "png", "jpg", "jpeg"];

fn code(code: &str, msg: &str) -> Value {
    json!({"responseCode": code, "responseMsg": msg})
}

/// The answer to an `opgsp_upload_invoice_awb` command.
pub fn answer(app: &App, form: &CommandForm) -> Value {
    let model = models::get(models::PAYU_INVOICE_REQUEST);
    let mandatory = "All fields are mandatory, please check!";
    let document = match form.document(model, app.config.fault.as_ref()) {
        Ok(d) => d,
        Err(refusal) => return code("109", &format!("{mandatory} ({})", refusal.message())),
    };
    if let Err(refusal) = judge(model, &document, &app.config) {
        if app.config.has(Fault::WrongRefusalCode) {
            // The fault names another cause: an invalid PayU ID for a missing field.
            return code("107", "The PayuID in request is invalid");
        }
        if refusal.is_missing() && app.config.follows("E-093/status-0") {
            // E-093/status-0: postservice's own error shape for a missing field.
            return json!({"status": 0, "msg": format!("{mandatory} ({})", refusal.message())});
        }
        return code("109", &format!("{mandatory} ({})", refusal.message()));
    }
    if let Err(denial) = command_hash::check(&document, &app.config.payu, false) {
        return code("103", &format!("Failed to Upload: {}", denial.msg()));
    }
    if !app.store.has_mihpayid(text(&document, "var1")) {
        if app.config.has(Fault::InvoiceUnknownPayuidCode) {
            return code("103", "Failed to Upload");
        }
        return code("107", "The PayuID in request is invalid");
    }
    let supported = form.file_name.as_deref().is_none_or(|name| {
        name.rsplit_once('.')
            .is_some_and(|(_, ext)| FORMATS.iter().any(|f| ext.eq_ignore_ascii_case(f)))
    });
    if !supported {
        return code("105", "Not an PACB merchant, contact KAM");
    }
    code("00", "File Uploaded Successfully")
}
