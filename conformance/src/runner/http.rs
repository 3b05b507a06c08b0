//! The runner's HTTP client: per-request timeouts, a cap on response bodies, redirects never
//! followed, an optional request-rate limit, and a record of every exchange (with a `curl`
//! reproduction whose secrets are replaced by placeholders).

use std::time::{Duration, Instant};

use reqwest::redirect::Policy;
use serde::Serialize;
use tokio::sync::Mutex;

/// A request body.
#[derive(Debug, Clone)]
pub enum Body {
    /// No body.
    Empty,
    /// Raw bytes with their content type.
    Bytes(Vec<u8>),
    /// Multipart parts (`@path` values are sent as file parts with that file name).
    Multipart(Vec<(String, String)>),
}

/// A request to send.
#[derive(Debug, Clone)]
pub struct Request {
    /// HTTP method.
    pub method: String,
    /// Absolute URL.
    pub url: String,
    /// Headers (name, value).
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Body,
}

/// One request and what came back, as recorded in reports.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Exchange {
    /// Method and URL.
    pub request_line: String,
    /// Request headers (secrets masked).
    pub request_headers: Vec<(String, String)>,
    /// Request body as text (secrets masked; multipart as `name=value` lines).
    pub request_body: String,
    /// HTTP status, if a response arrived.
    pub status: Option<u16>,
    /// Response headers.
    pub response_headers: Vec<(String, String)>,
    /// Response body (lossy UTF-8, capped).
    pub response_body: String,
    /// Raw response bytes (not serialised).
    #[serde(skip)]
    pub response_bytes: Vec<u8>,
    /// Whether the body was cut at the cap.
    pub truncated: bool,
    /// Transport error (timeout, refused, ...), if any.
    pub error: Option<String>,
    /// Whether the error was a timeout.
    pub timed_out: bool,
    /// Milliseconds until the response was read.
    pub elapsed_ms: u64,
    /// A curl command that repeats the request, secrets replaced by placeholders.
    pub curl: String,
}

impl Exchange {
    /// A response header (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.response_headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The client.
pub struct Client {
    inner: reqwest::Client,
    max_body: usize,
    min_interval: Option<Duration>,
    last: Mutex<Option<Instant>>,
    secrets: Vec<String>,
}

const MASKED_FIELDS: [&str; 3] = ["hash", "signature", "protected"];
const MASKED_HEADERS: [&str; 3] = ["authorization", "x-response-signature", "cookie"];

impl Client {
    /// A client with a per-request timeout, a body cap and a rate limit (0: none). `secrets`
    /// are strings that must never appear in a report (salts, keys).
    pub fn new(
        timeout: Duration,
        max_body: usize,
        requests_per_second: u32,
        secrets: Vec<String>,
    ) -> anyhow::Result<Client> {
        let inner = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(Policy::none())
            .pool_max_idle_per_host(16)
            .build()?;
        let min_interval =
            (requests_per_second > 0).then(|| Duration::from_secs_f64(1.0 / f64::from(requests_per_second)));
        Ok(Client {
            inner,
            max_body,
            min_interval,
            last: Mutex::new(None),
            secrets: secrets.into_iter().filter(|s| !s.is_empty()).collect(),
        })
    }

    /// Masks secrets in a text.
    pub fn mask(&self, text: &str) -> String {
        self.secrets
            .iter()
            .fold(text.to_string(), |t, s| t.replace(s.as_str(), "<secret>"))
    }

    /// Sends a request and records the exchange; transport failures are recorded, not raised.
    pub async fn send(&self, request: &Request) -> Exchange {
        let mut exchange = self.send_unrendered(request).await;
        self.render_request(request, &mut exchange);
        exchange
    }

    /// Fills the request side of `exchange` for reports: headers and body with secrets masked,
    /// and the curl line. [`Client::send`] does it for every request; the fuzzer only for the
    /// requests it reports.
    pub fn render_request(&self, request: &Request, exchange: &mut Exchange) {
        let shown_body = match &request.body {
            Body::Empty => String::new(),
            Body::Bytes(b) => mask_form_or_json(&String::from_utf8_lossy(b)),
            Body::Multipart(parts) => parts
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{k}={}",
                        if MASKED_FIELDS.contains(&k.as_str()) {
                            "<redacted>"
                        } else {
                            v
                        }
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
        };
        let request_headers: Vec<(String, String)> = request
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    if MASKED_HEADERS.contains(&k.to_ascii_lowercase().as_str()) {
                        "<redacted>".into()
                    } else {
                        v.clone()
                    },
                )
            })
            .collect();
        exchange.curl = self.mask(&curl_line(request, &request_headers, &shown_body));
        exchange.request_body = self.mask(&shown_body);
        exchange.request_headers = request_headers;
    }

    /// Sends a request and records the response side of the exchange (the request side is left
    /// empty: see [`Client::render_request`]).
    pub async fn send_unrendered(&self, request: &Request) -> Exchange {
        if let Some(gap) = self.min_interval {
            let mut last = self.last.lock().await;
            if let Some(t) = *last {
                let wait = gap.saturating_sub(t.elapsed());
                tokio::time::sleep(wait).await;
            }
            *last = Some(Instant::now());
        }
        let method = reqwest::Method::from_bytes(request.method.as_bytes()).unwrap_or(reqwest::Method::POST);
        let mut builder = self.inner.request(method, &request.url);
        for (k, v) in &request.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        match &request.body {
            Body::Empty => {}
            Body::Bytes(b) => builder = builder.body(b.clone()),
            Body::Multipart(parts) => {
                let mut form = reqwest::multipart::Form::new();
                for (k, v) in parts {
                    form = match v.strip_prefix('@') {
                        Some(file) => form.part(
                            k.clone(),
                            reqwest::multipart::Part::bytes(b"%PDF-1.4 upi-conformance test invoice\n".to_vec())
                                .file_name(document_name(file)),
                        ),
                        None => form.text(k.clone(), v.clone()),
                    };
                }
                builder = builder.multipart(form);
            }
        }
        let started = Instant::now();
        let mut exchange = Exchange {
            request_line: format!("{} {}", request.method, request.url),
            ..Exchange::default()
        };
        match builder.send().await {
            Err(e) => {
                exchange.timed_out = e.is_timeout();
                exchange.error = Some(describe(&e));
            }
            Ok(mut response) => {
                exchange.status = Some(response.status().as_u16());
                exchange.response_headers = response
                    .headers()
                    .iter()
                    .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                    .collect();
                loop {
                    match response.chunk().await {
                        Ok(Some(chunk)) => {
                            let room = self.max_body.saturating_sub(exchange.response_bytes.len());
                            exchange
                                .response_bytes
                                .extend_from_slice(&chunk[..chunk.len().min(room)]);
                            if chunk.len() > room {
                                exchange.truncated = true;
                                break;
                            }
                        }
                        Ok(None) => break,
                        Err(e) => {
                            exchange.timed_out = e.is_timeout();
                            exchange.error = Some(describe(&e));
                            break;
                        }
                    }
                }
                exchange.response_body = self.mask(&String::from_utf8_lossy(&exchange.response_bytes));
            }
        }
        exchange.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        exchange
    }
}

/// The file name to upload for a `@path` value: its last segment, or `invoice.pdf` when that has
/// no extension (the seeds' `@"/path/to/file"` placeholder). The bytes sent are a tiny PDF.
fn document_name(path: &str) -> String {
    match path.rsplit('/').next() {
        Some(name) if name.contains('.') => name.to_string(),
        _ => "invoice.pdf".to_string(),
    }
}

fn describe(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Masks hash and signature values in a form body or JSON text.
fn mask_form_or_json(text: &str) -> String {
    if let Ok(mut value) = serde_json::from_str::<serde_json::Value>(text) {
        if let Some(obj) = value.as_object_mut() {
            for key in MASKED_FIELDS {
                if obj.contains_key(key) && key == "signature" {
                    obj.insert(key.into(), serde_json::Value::String("<redacted>".into()));
                }
            }
        }
        return value.to_string();
    }
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if MASKED_FIELDS.contains(&k) => format!("{k}=<redacted>"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn curl_line(request: &Request, headers: &[(String, String)], body: &str) -> String {
    let mut line = format!("curl -sS -X {} {}", request.method, shell_quote(&request.url));
    for (k, v) in headers {
        line.push_str(&format!(" -H {}", shell_quote(&format!("{k}: {v}"))));
    }
    match &request.body {
        Body::Empty => {}
        Body::Bytes(_) => line.push_str(&format!(" --data-binary {}", shell_quote(body))),
        Body::Multipart(parts) => {
            for (k, v) in parts {
                let v = if MASKED_FIELDS.contains(&k.as_str()) {
                    "<redacted>"
                } else {
                    v.as_str()
                };
                line.push_str(&format!(" -F {}", shell_quote(&format!("{k}={v}"))));
            }
        }
    }
    line
}
