//! Sandbox control, ours and not a vendor's: lets a conformance run (or a developer) detect a
//! sandbox-capable server, set the merchant's S2S callback URL, and complete a pending PayU
//! payment as the payer's UPI app would, which sends the callback.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use reqwest::Url;
use serde_json::{Value, json};
use upi_spec::input::{parse_form_pairs, text};

use crate::app::AppState;
use crate::payu::callback;
use crate::reply;
use crate::store::{CompletionProblem, PaymentStatus};

/// `GET`: whether the target is a sandbox-capable reference server ([`health`]).
pub const HEALTH_PATH: &str = "/sandbox/health";
/// `POST`: set the merchant's PayU S2S callback URL ([`set_callback_url`]).
pub const CALLBACK_URL_PATH: &str = "/sandbox/payu/callback-url";
/// `POST`: complete a pending PayU payment ([`complete`]).
pub const COMPLETE_PATH: &str = "/sandbox/payu/complete";

/// What `GET /sandbox/health` answers.
pub const HEALTH: &str = "upi-reference-server";

/// `GET /sandbox/health`.
pub async fn health() -> Response {
    reply::json(StatusCode::OK, &json!({"sandbox": HEALTH}))
}

fn problem(status: StatusCode, message: &str) -> Response {
    reply::json(status, &json!({"error": message}))
}

/// The value of `name` in a form body.
fn form_value(body: &[u8], limit: usize, name: &str) -> Result<Option<String>, String> {
    let text = text(body, limit).map_err(|e| e.to_string())?;
    let pairs = parse_form_pairs(text).map_err(|e| e.to_string())?;
    Ok(pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v))
}

/// `POST /sandbox/payu/callback-url` with form `url=`: an `http` or `https` URL on a loopback
/// host (`localhost`, `127.0.0.0/8`, `[::1]`).
pub async fn set_callback_url(State(app): State<AppState>, body: Bytes) -> Response {
    let limit = app.config.limits.max_body_bytes;
    let url = match form_value(&body, limit, "url") {
        Ok(Some(url)) => url,
        Ok(None) => return problem(StatusCode::BAD_REQUEST, "the form needs url="),
        Err(reason) => return problem(StatusCode::BAD_REQUEST, &reason),
    };
    if let Err(reason) = loopback(&url) {
        return problem(StatusCode::BAD_REQUEST, &reason);
    }
    app.store.set_callback_url(url.clone());
    reply::json(StatusCode::OK, &json!({"callback_url": url}))
}

/// Accepts only `http(s)` URLs whose host is on this machine.
fn loopback(url: &str) -> Result<(), String> {
    let parsed = Url::parse(url).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("the callback URL must be http or https".into());
    }
    let host = parsed.host_str().unwrap_or("");
    let local = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if local {
        Ok(())
    } else {
        Err("only loopback callback URLs are accepted (localhost, 127.0.0.0/8, [::1])".into())
    }
}

/// `POST /sandbox/payu/complete` with form `txnid=` and `status=success|failure`: completes a
/// pending payment, posts the S2S callback to the configured URL, and answers
/// `{"delivered":…,"callback_status":…}` (`callback_status` null when nothing was sent or
/// nothing answered).
pub async fn complete(State(app): State<AppState>, body: Bytes) -> Response {
    let limit = app.config.limits.max_body_bytes;
    let (txnid, status) = match (form_value(&body, limit, "txnid"), form_value(&body, limit, "status")) {
        (Ok(Some(t)), Ok(Some(s))) => (t, s),
        (Err(reason), _) | (_, Err(reason)) => return problem(StatusCode::BAD_REQUEST, &reason),
        _ => return problem(StatusCode::BAD_REQUEST, "the form needs txnid= and status="),
    };
    let status = match status.as_str() {
        "success" => PaymentStatus::Success,
        "failure" => PaymentStatus::Failure,
        _ => return problem(StatusCode::BAD_REQUEST, "status must be success or failure"),
    };
    let bank_ref_no = if status == PaymentStatus::Success {
        crate::ids::digits(12)
    } else {
        String::new()
    };
    let payment = match app.store.complete(&txnid, status, bank_ref_no) {
        Ok(p) => p,
        Err(CompletionProblem::Unknown) => {
            return problem(StatusCode::NOT_FOUND, "no payment has this txnid");
        }
        Err(CompletionProblem::NotPending(now)) => {
            return problem(StatusCode::CONFLICT, &format!("the payment is {} already", now.word()));
        }
    };
    let params = match callback::parameters(&payment, &app.config.payu, app.config.fault.as_ref()) {
        Ok(p) => p,
        Err(e) => return problem(StatusCode::CONFLICT, &e.to_string()),
    };
    let callback_status = match (app.store.callback_url(), &app.callbacks) {
        (Some(url), Some(client)) => client
            .post(url)
            .form(&params)
            .send()
            .await
            .ok()
            .map(|r| r.status().as_u16()),
        _ => None,
    };
    reply::json(
        StatusCode::OK,
        &json!({
            "txnid": txnid,
            "status": status.word(),
            "delivered": callback_status.is_some_and(|s| (200..300).contains(&s)),
            "callback_status": callback_status.map_or(Value::Null, Value::from),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_urls() {
        assert!(loopback("http://127.0.0.1:9/cb").is_ok());
        assert!(loopback("http://localhost/cb").is_ok());
        assert!(loopback("http://[::1]:80/").is_ok());
        assert!(loopback("http://10.0.0.1/cb").is_err());
        assert!(loopback("http://example.com/cb").is_err());
        assert!(loopback("file:///etc/passwd").is_err());
        assert!(loopback("not a url").is_err());
    }
}
