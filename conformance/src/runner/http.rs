//! The runner's HTTP client: per-request timeouts, a cap on response bodies, redirects never
//! followed, an optional request-rate limit, and a record of every exchange (with a `curl`
//! reproduction whose secrets are read from environment variables; signatures and hashes over
//! test data are kept so the replay is accepted).

use std::time::{Duration, Instant};

use reqwest::redirect::Policy;
use serde::Serialize;
use sha2::{Digest, Sha256};
use upi_spec::input::{Document, InputError, parse_json, text};

mod multipart;
mod plain;
mod secrets;

pub use secrets::{Form, Masked, Part, Secret, Secrets};

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
    /// Method and URL (secrets masked).
    pub request_line: String,
    /// Request headers (secrets masked; signatures and `Authorization` over test data kept).
    pub request_headers: Vec<(String, String)>,
    /// Request body as text (secrets masked; multipart as `name=value` lines), a prefix of at
    /// most [`REPORT_BODY_PREFIX`] bytes.
    pub request_body: String,
    /// HTTP status, if a response arrived.
    pub status: Option<u16>,
    /// Response headers (secrets masked).
    pub response_headers: Vec<(String, String)>,
    /// Response body (lossy UTF-8, secrets masked), a prefix of at most [`REPORT_BODY_PREFIX`]
    /// bytes; `response_size` and `response_sha256` describe everything read (the digest is
    /// filled by [`Client::render_request`], for reported exchanges only).
    pub response_body: String,
    /// Raw response bytes (not serialised; emptied by [`Exchange::compact`] once judged).
    #[serde(skip)]
    pub response_bytes: Vec<u8>,
    /// Whether the body was cut at the cap.
    pub truncated: bool,
    /// Transport error (timeout, refused, ...), if any.
    pub error: Option<String>,
    /// Whether the error was a timeout.
    pub timed_out: bool,
    /// Whether the request was not sent because its base stopped answering (see
    /// [`super::breaker`]); not serialised.
    #[serde(skip)]
    pub not_sent: bool,
    /// Milliseconds until the response was read.
    pub elapsed_ms: u64,
    /// A curl command that repeats the request, secrets read from environment variables
    /// (bodies over [`INLINE_BODY_LIMIT`] bytes as `@request-body.bin`).
    pub curl: String,
    /// Bytes of response body read (at most the cap).
    pub response_size: u64,
    /// SHA-256 (hex) of the response bytes read.
    pub response_sha256: String,
    /// The response's `Content-Encoding`, when it is not `identity` (the runner decodes none).
    pub content_encoding: Option<String>,
    /// Where a configured secret came back (`header NAME`, `body`), if anywhere.
    pub secret_reflected: Vec<String>,
    /// The request exactly as sent, secrets split out (not serialised; for reproducer scripts).
    #[serde(skip)]
    pub replay: Replay,
    /// The response body read as JSON, once however many judges ask ([`Exchange::json`]; not
    /// serialised). The default is unread.
    #[serde(skip)]
    pub json_reading: JsonReading,
}

/// An exchange's response body read as JSON, read on first use (the refusal predicate, then
/// the model's validation, read the same text).
#[derive(Debug, Clone, Default)]
pub struct JsonReading(std::sync::OnceLock<Result<Document, InputError>>);

/// The request of an exchange exactly as sent, with secrets as named parts.
#[derive(Debug, Clone, Default)]
pub struct Replay {
    /// HTTP method.
    pub method: String,
    /// URL.
    pub url: Masked,
    /// Headers in order.
    pub headers: Vec<(String, Masked)>,
    /// Body.
    pub body: ReplayBody,
}

/// The body of a [`Replay`].
#[derive(Debug, Clone, Default)]
pub enum ReplayBody {
    /// No body.
    #[default]
    Empty,
    /// Exact bytes.
    Bytes(Masked),
    /// Multipart parts (`@name` values are file parts holding [`DOCUMENT_BYTES`]).
    Multipart(Vec<(String, Masked)>),
}

/// The bytes sent for a multipart file part.
pub const DOCUMENT_BYTES: &[u8] = b"%PDF-1.4 upi-conformance test invoice\n";

/// Largest body prefix kept in a report, in bytes.
pub const REPORT_BODY_PREFIX: usize = 8 * 1024;

/// Largest request body a curl line carries inline; larger ones go to a file.
pub const INLINE_BODY_LIMIT: usize = 4 * 1024;

impl Exchange {
    /// A response header (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.response_headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the response carried a configured secret (in a header or the body).
    pub fn reflects_secret(&self) -> bool {
        !self.secret_reflected.is_empty()
    }

    /// The `Location` of a 3xx answer.
    pub fn redirect(&self) -> Option<&str> {
        match self.status {
            Some(300..=399) => Some(self.header("location").unwrap_or("")),
            _ => None,
        }
    }

    /// How a non-rejection of a request that breaks `rule` is described: a redirect is named
    /// as one, anything else is "accepted".
    pub fn not_rejected(&self, rule: &str, excerpt: &str) -> String {
        let status = self.status.unwrap_or(0);
        match self.redirect() {
            Some(location) => format!(
                "the target redirected a request that breaks {rule} instead of rejecting it: HTTP {status} to {location:?}"
            ),
            None => format!("the target accepted a request that breaks {rule}: HTTP {status} {excerpt}"),
        }
    }

    /// A note for a body that could not be read: names its `Content-Encoding` (empty when none).
    pub fn encoding_note(&self) -> String {
        self.content_encoding
            .as_ref()
            .map(|e| format!(" (the body is Content-Encoding: {e}; the runner asks for and decodes none)"))
            .unwrap_or_default()
    }

    /// Records a response's status, headers and `Content-Encoding` (both HTTP paths).
    fn record_head(&mut self, status: reqwest::StatusCode, headers: &reqwest::header::HeaderMap) {
        self.status = Some(status.as_u16());
        self.response_headers = headers
            .iter()
            .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        self.content_encoding = self
            .header("content-encoding")
            .filter(|e| !e.trim().eq_ignore_ascii_case("identity"))
            .map(str::to_string);
    }

    /// Keeps what fits of a body chunk under `max_body` bytes in all; true when the body was
    /// cut there (read no further).
    fn take_chunk(&mut self, chunk: &[u8], max_body: usize) -> bool {
        let room = max_body.saturating_sub(self.response_bytes.len());
        self.response_bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
        self.truncated = chunk.len() > room;
        self.truncated
    }

    /// Drops the raw response bytes once the exchange has been judged (the report keeps the
    /// prefix, size and digest), so a run's memory does not grow with every body.
    pub fn compact(&mut self) {
        self.response_bytes = Vec::new();
        self.json_reading = JsonReading::default();
    }

    /// The response body read as a JSON document, strictly (a key given twice is an error, as
    /// `upi_spec::read` reads one): read on the first call, kept for the next.
    pub fn json(&self) -> &Result<Document, InputError> {
        self.json_reading.0.get_or_init(|| {
            text(&self.response_bytes, usize::MAX)
                .and_then(parse_json)
                .map(Document::body)
        })
    }
}

/// The client.
pub struct Client {
    inner: reqwest::Client,
    timeout: Duration,
    max_body: usize,
    /// `governor`'s limiter, one request per `1/rate` seconds with no burst (none: unlimited).
    limiter: Option<governor::DefaultDirectRateLimiter>,
    secrets: Secrets,
    /// Gives a base up after consecutive timeouts (none: never).
    breaker: Option<std::sync::Arc<super::breaker::Breaker>>,
    /// The URLs sent to so far, parsed (a run sends to a few; parsing each request's URL again
    /// was 4 % of the fuzzer's CPU time), at most [`PARSED_URLS`].
    urls: std::sync::RwLock<std::collections::HashMap<String, reqwest::Url>>,
    /// Plain-HTTP requests skip reqwest's layers (none when a proxy is configured in the
    /// environment: see [`plain`]).
    plain: Option<plain::Plain>,
}

/// How many parsed URLs a [`Client`] keeps.
const PARSED_URLS: usize = 64;

impl Client {
    /// A client with a per-request timeout (connect, headers and body together), a body cap and
    /// a rate limit (0: none). `secrets` must never appear in a report (salts, API keys).
    pub fn new<S: Into<Secret>>(
        timeout: Duration,
        max_body: usize,
        requests_per_second: u32,
        secrets: Vec<S>,
    ) -> anyhow::Result<Client> {
        let inner = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(Policy::none())
            .pool_max_idle_per_host(16)
            .build()?;
        let limiter = std::num::NonZeroU32::new(requests_per_second).map(|rate| {
            governor::RateLimiter::direct(governor::Quota::per_second(rate).allow_burst(std::num::NonZeroU32::MIN))
        });
        Ok(Client {
            inner,
            timeout,
            max_body,
            limiter,
            secrets: Secrets::new(secrets.into_iter().map(Into::into).collect()),
            breaker: None,
            urls: std::sync::RwLock::default(),
            plain: plain::Plain::new(timeout),
        })
    }

    /// Stops sending to a base once `breaker` gives it up (see [`super::breaker`]).
    pub fn set_breaker(&mut self, breaker: std::sync::Arc<super::breaker::Breaker>) {
        self.breaker = Some(breaker);
    }

    /// Masks secrets in a text.
    pub fn mask(&self, text: &str) -> String {
        self.secrets.mask(text)
    }

    /// Sends a request and records the exchange; transport failures are recorded, not raised.
    pub async fn send(&self, request: &Request) -> Exchange {
        let mut exchange = self.send_unrendered(request).await;
        self.render_request(request, &mut exchange);
        exchange
    }

    /// Fills what only a report needs: the request side of `exchange` (headers and body with
    /// secrets masked, the replay and the curl line) and the response's SHA-256.
    /// [`Client::send`] does it for every request; the fuzzer only for the requests it reports.
    pub fn render_request(&self, request: &Request, exchange: &mut Exchange) {
        exchange.response_sha256 = hex::encode(Sha256::digest(&exchange.response_bytes));
        let split = |s: &str| self.secrets.split(s.as_bytes());
        let replay = Replay {
            method: request.method.clone(),
            url: split(&request.url),
            headers: request.headers.iter().map(|(k, v)| (k.clone(), split(v))).collect(),
            body: match &request.body {
                Body::Empty => ReplayBody::Empty,
                Body::Bytes(b) => ReplayBody::Bytes(self.secrets.split(b)),
                Body::Multipart(parts) => {
                    ReplayBody::Multipart(parts.iter().map(|(k, v)| (k.clone(), split(v))).collect())
                }
            },
        };
        exchange.request_line = format!("{} {}", request.method, replay.url.display());
        exchange.request_headers = replay.headers.iter().map(|(k, v)| (k.clone(), v.display())).collect();
        exchange.request_body = match &replay.body {
            ReplayBody::Empty => String::new(),
            ReplayBody::Bytes(b) => prefix(&b.display()),
            ReplayBody::Multipart(parts) => prefix(
                &parts
                    .iter()
                    .map(|(k, v)| format!("{k}={}", v.display()))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        };
        exchange.curl = curl_command(&replay, Some("request-body.bin"));
        exchange.replay = replay;
    }

    /// Sends a request and records the response side of the exchange (the request side and the
    /// response digest are left empty: see [`Client::render_request`]). The whole exchange (connect, headers, body) is
    /// bounded by the timeout, and at most the cap of body bytes is read.
    pub async fn send_unrendered(&self, request: &Request) -> Exchange {
        if let Some(why) = self.breaker.as_ref().and_then(|b| b.refuses(&request.url)) {
            return Exchange {
                request_line: format!("{} {}", request.method, self.mask(&request.url)),
                not_sent: true,
                error: Some(why),
                ..Exchange::default()
            };
        }
        if let Some(limiter) = &self.limiter {
            limiter.until_ready().await;
        }
        let started = Instant::now();
        let mut exchange = Exchange {
            request_line: format!("{} {}", request.method, self.mask(&request.url)),
            ..Exchange::default()
        };
        let limit = self.timeout;
        if tokio::time::timeout(limit, self.exchange(request, &mut exchange))
            .await
            .is_err()
        {
            exchange.timed_out = true;
            exchange.error = Some(format!(
                "no complete answer within {} ms (connect, headers and body together)",
                limit.as_millis()
            ));
        }
        if let Some(b) = &self.breaker {
            b.record(&request.url, exchange.timed_out);
        }
        exchange.response_size = exchange.response_bytes.len() as u64;
        let mut reflected = Vec::new();
        for (k, v) in &mut exchange.response_headers {
            if self.secrets.found_in(v.as_bytes()) {
                reflected.push(format!("header {k}"));
                *v = self.mask(v);
            }
        }
        let body_reflects = self.secrets.found_in(&exchange.response_bytes);
        if body_reflects {
            reflected.push("body".to_string());
        }
        exchange.secret_reflected = reflected;
        let shown = &exchange.response_bytes[..exchange.response_bytes.len().min(REPORT_BODY_PREFIX)];
        // A body without a secret has none in its prefix either: shown as it is.
        exchange.response_body = if body_reflects {
            self.secrets.split(shown).display()
        } else {
            String::from_utf8_lossy(shown).into_owned()
        };
        exchange.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        exchange
    }

    /// `url` parsed, from the URLs parsed before where it is one of them.
    fn parsed(&self, url: &str) -> Option<reqwest::Url> {
        if let Some(parsed) = self.urls.read().ok().and_then(|urls| urls.get(url).cloned()) {
            return Some(parsed);
        }
        let parsed = reqwest::Url::parse(url).ok()?;
        if let Ok(mut urls) = self.urls.write()
            && urls.len() < PARSED_URLS
        {
            urls.insert(url.to_string(), parsed.clone());
        }
        Some(parsed)
    }

    async fn exchange(&self, request: &Request, exchange: &mut Exchange) {
        let parsed = self.parsed(&request.url);
        if let (Some(plain), Some(url)) = (&self.plain, &parsed)
            && let Some(built) = plain::Plain::build(url, request)
        {
            plain.send(url, built, self.max_body, exchange).await;
            exchange.error = exchange.error.take().map(|e| self.mask(&e));
            return;
        }
        let method = reqwest::Method::from_bytes(request.method.as_bytes()).unwrap_or(reqwest::Method::POST);
        let mut builder = match parsed {
            Some(url) => self.inner.request(method, url),
            // reqwest reports what is wrong with it.
            None => self.inner.request(method, &request.url),
        };
        for (k, v) in &request.headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        match &request.body {
            Body::Empty => {}
            Body::Bytes(b) => builder = builder.body(b.clone()),
            Body::Multipart(parts) => builder = builder.multipart(reqwest_form(parts)),
        }
        match builder.send().await {
            Err(e) => {
                exchange.timed_out = e.is_timeout();
                exchange.error = Some(self.mask(&describe(&e)));
            }
            Ok(mut response) => {
                exchange.record_head(response.status(), response.headers());
                loop {
                    match response.chunk().await {
                        Ok(Some(chunk)) => {
                            if exchange.take_chunk(&chunk, self.max_body) {
                                break;
                            }
                        }
                        Ok(None) => break,
                        Err(e) => {
                            exchange.timed_out = e.is_timeout();
                            exchange.error = Some(self.mask(&describe(&e)));
                            break;
                        }
                    }
                }
            }
        }
    }
}

/// reqwest's form of multipart `parts` (a value `@path` is a file part named after `path` holding
/// [`DOCUMENT_BYTES`]): what an HTTPS or proxied multipart request sends, and what
/// [`multipart::render`] renders for the plain path.
fn reqwest_form(parts: &[(String, String)]) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in parts {
        form = match v.strip_prefix('@') {
            Some(file) => form.part(
                k.clone(),
                reqwest::multipart::Part::bytes(DOCUMENT_BYTES.to_vec()).file_name(document_name(file)),
            ),
            None => form.text(k.clone(), v.clone()),
        };
    }
    form
}

/// At most [`REPORT_BODY_PREFIX`] bytes of `text` (cut at a character boundary), with a note of
/// the whole size when cut.
fn prefix(text: &str) -> String {
    if text.len() <= REPORT_BODY_PREFIX {
        return text.to_string();
    }
    let mut end = REPORT_BODY_PREFIX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], text.len())
}

/// A curl command (one line, every word quoted with `shell_words::quote`, secrets from
/// environment variables) that sends `replay` again with the exact bytes. A body over
/// [`INLINE_BODY_LIMIT`] bytes is read from `body_file` (`--data-binary @FILE`) when one is
/// given. A request without a `Content-Type` gets none from curl either.
pub fn curl_command(replay: &Replay, body_file: Option<&str>) -> String {
    let mut words = vec![
        "curl".to_string(),
        "-sS".into(),
        "-X".into(),
        shell_words::quote(&replay.method).into_owned(),
        replay.url.shell(),
    ];
    for (k, v) in &replay.headers {
        let mut header = Masked::literal(format!("{k}: ").as_bytes());
        header.0.extend(v.0.iter().cloned());
        words.push("-H".into());
        words.push(header.shell());
    }
    let has_type = replay
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
    match &replay.body {
        ReplayBody::Empty => {}
        ReplayBody::Bytes(body) => {
            if !has_type {
                words.push("-H".into());
                words.push(shell_words::quote("Content-Type:").into_owned());
            }
            words.push("--data-binary".into());
            let size: usize = body
                .0
                .iter()
                .map(|p| if let Part::Text(t) = p { t.len() } else { 0 })
                .sum();
            match body_file {
                Some(file) if size > INLINE_BODY_LIMIT && !body.has_secret() => {
                    words.push(shell_words::quote(&format!("@{file}")).into_owned());
                }
                _ => words.push(body.shell()),
            }
        }
        ReplayBody::Multipart(parts) => {
            for (k, v) in parts {
                let mut field = Masked::literal(format!("{k}=").as_bytes());
                field.0.extend(v.0.iter().cloned());
                if let Some(Part::Text(t)) = v.0.first()
                    && t.starts_with(b"@")
                {
                    let name = document_name(&String::from_utf8_lossy(&t[1..]));
                    field = Masked::literal(format!("{k}=@{name}").as_bytes());
                }
                words.push("-F".into());
                words.push(field.shell());
            }
        }
    }
    words.join(" ")
}

/// The file name to upload for a `@path` value: its last segment, or `invoice.pdf` when that has
/// no extension (the seeds' `@"/path/to/file"` placeholder). The bytes sent are a tiny PDF.
pub fn document_name(path: &str) -> String {
    match path.rsplit('/').next() {
        Some(name) if name.contains('.') => name.to_string(),
        _ => "invoice.pdf".to_string(),
    }
}

fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A parsed URL is the one `Url::parse` gives, kept for the next request up to the bound;
    /// what does not parse is left to reqwest to report.
    #[test]
    fn parsed_urls_are_kept_up_to_a_bound() {
        let client = Client::new(Duration::from_secs(1), 1024, 0, Vec::<Secret>::new()).unwrap();
        for i in 0..2 * PARSED_URLS {
            let url = format!("http://127.0.0.1:8080/p{i}?q=1");
            assert_eq!(client.parsed(&url), reqwest::Url::parse(&url).ok());
            assert_eq!(
                client.parsed(&url),
                reqwest::Url::parse(&url).ok(),
                "again, from the kept ones"
            );
        }
        assert_eq!(client.urls.read().unwrap().len(), PARSED_URLS);
        assert_eq!(client.parsed("not a url"), None);
    }

    /// The rate limit spaces requests evenly: after one request the next is not allowed at once
    /// (no burst); without a rate there is no limiter at all.
    #[test]
    fn rate_limit_allows_no_burst() {
        let client = Client::new(Duration::from_secs(1), 1024, 5, Vec::<Secret>::new()).unwrap();
        let limiter = client.limiter.as_ref().expect("a limiter for 5 requests/s");
        assert!(limiter.check().is_ok());
        assert!(limiter.check().is_err(), "a second request at once must wait");
        let unlimited = Client::new(Duration::from_secs(1), 1024, 0, Vec::<Secret>::new()).unwrap();
        assert!(unlimited.limiter.is_none());
    }
}
