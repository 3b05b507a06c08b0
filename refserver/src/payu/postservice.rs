//! `POST /merchant/postservice.php?form=2`: dispatches on the `command` field. Like PayU, a
//! command that is read answers HTTP 200 whether it succeeds or not; a body that cannot be
//! read, a missing `form=2` or an unknown command answers HTTP 400 with `{"status":0,"msg":…}`.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::form_data::CommandForm;
use super::{form_data, invoice, status_zero, udf_update, verify};
use crate::app::AppState;
use crate::fault::Fault;
use crate::judge::ignores_syntax;
use crate::{models, reply};

/// Handles `POST /merchant/postservice.php` (and `/merchant/postservice`, as seed 004's invoice
/// sample writes it).
pub async fn command(
    State(app): State<AppState>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if query.get("form").map(String::as_str) != Some("2") {
        return postservice_error(&app, &status_zero("the query must be form=2"));
    }
    let form = match form_data::read(&headers, &body, app.config.limits.max_body_bytes) {
        Ok(form) => form,
        Err(reason) => match lenient_command(&body, app.config.fault.as_ref()) {
            Some(form) => form,
            None => {
                return postservice_error(&app, &status_zero(&format!("unreadable body: {reason}")));
            }
        },
    };
    let (model, answer) = match form.get("command") {
        Some("verify_payment") => (models::PAYU_VERIFY_RESPONSE, verify::answer(&app, &form)),
        Some("udf_update") => {
            let answer = udf_update::answer(&app, &form);
            let model = if answer.get("msg").is_some() {
                models::PAYU_UDF_UPDATE_ERROR
            } else {
                models::PAYU_UDF_UPDATE_RESPONSE
            };
            (model, answer)
        }
        Some("opgsp_upload_invoice_awb") => (models::PAYU_INVOICE_RESPONSE, invoice::answer(&app, &form)),
        Some(other) => {
            return postservice_error(
                &app,
                &status_zero(&format!("unknown command {}", upi_spec::constraint::quote(other))),
            );
        }
        None => {
            return postservice_error(&app, &status_zero("Parameter missing"));
        }
    };
    reply::model_json(model, StatusCode::OK, &answer, app.config.fault.as_ref())
}

/// The HTTP 400 `payu.postservice.error` answer.
fn postservice_error(app: &AppState, body: &serde_json::Value) -> Response {
    reply::model_json(
        models::PAYU_POSTSERVICE_ERROR,
        StatusCode::BAD_REQUEST,
        body,
        app.config.fault.as_ref(),
    )
}

/// An unreadable form body read leniently, as a server ignoring the syntax rule of the command
/// it names reads it; `None` when `fault` does not ignore that rule.
fn lenient_command(body: &[u8], fault: Option<&Fault>) -> Option<CommandForm> {
    let form = CommandForm::lenient(body);
    let model = match form.get("command") {
        Some("verify_payment") => models::PAYU_VERIFY_REQUEST,
        Some("udf_update") => models::PAYU_UDF_UPDATE_REQUEST,
        Some("opgsp_upload_invoice_awb") => models::PAYU_INVOICE_REQUEST,
        _ => return None,
    };
    ignores_syntax(models::get(model), fault).then_some(form)
}
