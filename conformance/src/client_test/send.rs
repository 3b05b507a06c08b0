//! The one way the client test POSTs to the merchant (a callback form, a JSON trigger): the
//! request recorded as an exchange with its answer (the first [`KEEP`] characters) and a curl
//! command that repeats it.

use std::time::Instant;

use crate::runner::http::Exchange;

/// The content type of a PayU callback.
pub const FORM: &str = "application/x-www-form-urlencoded";
/// The content type of a trigger.
pub const JSON: &str = "application/json";
/// The most characters of an answer kept.
pub const KEEP: usize = 2000;

/// POSTs `body` as `content_type` to `url`: the HTTP status (or why nothing answered) and the
/// exchange.
pub async fn post(
    http: &reqwest::Client,
    url: &str,
    content_type: &str,
    body: String,
) -> (Result<u16, String>, Exchange) {
    let started = Instant::now();
    let mut exchange = Exchange {
        request_line: format!("POST {url}"),
        request_headers: vec![("content-type".into(), content_type.into())],
        request_body: body.clone(),
        curl: format!(
            "curl -sS {} -H {} --data-raw {}",
            shell_words::quote(url),
            shell_words::quote(&format!("content-type: {content_type}")),
            shell_words::quote(&body)
        ),
        ..Exchange::default()
    };
    let sent = http
        .post(url)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await;
    let out = match sent {
        Ok(r) => {
            let status = r.status().as_u16();
            exchange.status = Some(status);
            exchange.response_body = r.text().await.unwrap_or_default().chars().take(KEEP).collect();
            Ok(status)
        }
        Err(e) => {
            exchange.timed_out = e.is_timeout();
            exchange.error = Some(e.to_string());
            Err(e.to_string())
        }
    };
    exchange.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    (out, exchange)
}
