//! `POST /merchant/postservice.php?form=2`: dispatches on the `command` field. Like PayU, a
//! command that is read answers HTTP 200 whether it succeeds or not; a body that cannot be
//! read, a missing `form=2` or an unknown command answers HTTP 400 with `{"status":0,"msg":…}`.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::{form_data, invoice, status_zero, udf_update, verify};
use crate::reply;
use crate::server::AppState;

/// Handles `POST /merchant/postservice.php` (and `/merchant/postservice`, as seed 004's invoice
/// sample writes it).
pub async fn command(
    State(app): State<AppState>,
    Query(query): Query<BTreeMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if query.get("form").map(String::as_str) != Some("2") {
        return reply::json(StatusCode::BAD_REQUEST, &status_zero("the query must be form=2"));
    }
    let form = match form_data::read(&headers, body, app.config.limits.max_body_bytes).await {
        Ok(form) => form,
        Err(reason) => {
            return reply::json(
                StatusCode::BAD_REQUEST,
                &status_zero(&format!("unreadable body: {reason}")),
            );
        }
    };
    let answer = match form.get("command") {
        Some("verify_payment") => verify::answer(&app, &form),
        Some("udf_update") => udf_update::answer(&app, &form),
        Some("opgsp_upload_invoice_awb") => invoice::answer(&app, &form),
        Some(other) => {
            return reply::json(
                StatusCode::BAD_REQUEST,
                &status_zero(&format!("unknown command {other:?}")),
            );
        }
        None => {
            return reply::json(StatusCode::BAD_REQUEST, &status_zero("Parameter missing"));
        }
    };
    reply::json(StatusCode::OK, &answer)
}
