//! The client report (`serve --client-report FILE`, `GET /sandbox/report`): every violation a
//! client commits, all of a request's at once, with the rule, the request summarised with its
//! secrets masked, and a fix hint (the rule's statement and source from the catalogue).
//!
//! How it learns them without touching the handlers: [`record`] runs each request inside a
//! task-local collector; [`note`] (called by `judge::judge` for every violation the model
//! finds, not only the first that rejects, and by `Refusal::new` for every refusal the server
//! decides, such as a hash or signature mismatch) adds to it; when the handler has answered,
//! the collected violations become one [`Entry`]. With a file configured, the report is
//! rewritten (temporary file, then rename) after every entry, so the file is complete whenever
//! the server stops: shutdown, SIGINT, or even SIGKILL.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use serde::Serialize;
use serde_json::{Value, json};

use crate::config::ServerConfig;
use crate::reply;

mod mask;

use mask::{MASK, masked_body, masked_headers, masked_path, replace_all};

/// The path of the live report.
pub const PATH: &str = "/sandbox/report";

/// The response header that carries each warning (`crate::sdk_compat`).
pub const WARNING_HEADER: &str = "x-upi-conformance-warning";
/// The severity warnings are noted with.
pub const WARNING: &str = "warning";
/// The most entries kept (the oldest are dropped first, and counted).
pub const MAX_ENTRIES: usize = 1000;

tokio::task_local! {
    static CURRENT: RefCell<Vec<Violation>>;
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The rule ID.
    pub rule: String,
    /// `must`, `should`, `info`, or `refused` for a refusal the server decided outside the models.
    pub severity: String,
    /// Where: a field path or `header:NAME`.
    pub at: String,
    /// What is wrong.
    pub reason: String,
    /// How to fix it.
    pub fix: String,
}

/// A request as the report shows it: secrets masked, the body cut short.
#[derive(Debug, Clone, Serialize)]
pub struct RequestSummary {
    /// The method.
    pub method: String,
    /// The path and query.
    pub path: String,
    /// The request headers, credentials masked.
    pub headers: BTreeMap<String, String>,
    /// The body, with secret-named fields masked.
    pub body: String,
}

/// One request that broke at least one rule.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Its sequence number among all requests seen (from 1).
    pub request: u64,
    /// The request.
    pub summary: RequestSummary,
    /// The HTTP status the server answered.
    pub status: u16,
    /// Every rule it broke.
    pub violations: Vec<Violation>,
}

/// The report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Version of this JSON shape.
    pub format_version: u32,
    /// Requests seen (sandbox control requests excluded).
    pub requests_seen: u64,
    /// Requests that broke at least one rule.
    pub requests_with_violations: u64,
    /// Violations per rule ID, over every request seen.
    pub violations_by_rule: BTreeMap<String, u64>,
    /// Entries dropped because more than [`MAX_ENTRIES`] were recorded.
    pub entries_dropped: u64,
    /// The latest entries, oldest first (a ring: dropping the oldest moves no other entry).
    pub entries: VecDeque<Entry>,
}

/// The recorder the server shares between requests.
#[derive(Debug)]
pub struct ClientReport {
    report: Mutex<Report>,
    file: Option<PathBuf>,
    /// The secrets to mask (longest first), each with its searcher built once.
    secrets: Vec<memchr::memmem::Finder<'static>>,
    salt: upi_spec::crypto::payu_hash::Salt,
    limit: usize,
}

impl ClientReport {
    /// A recorder for `config` (its `client_report` file, and the secrets to mask).
    pub fn new(config: &ServerConfig) -> ClientReport {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let api_key = &config.ec.api_key;
        let mut secrets = vec![
            api_key.clone(),
            b64(&format!("{api_key}:")),
            b64(api_key),
            config.payu.key.clone(),
        ];
        // Longest first, so a secret containing another is masked whole.
        secrets.retain(|s| s.len() >= 4);
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        let secrets = secrets
            .iter()
            .map(|s| memchr::memmem::Finder::new(s.as_bytes()).into_owned())
            .collect();
        let out = ClientReport {
            report: Mutex::new(Report {
                format_version: 1,
                ..Report::default()
            }),
            file: config.client_report.clone(),
            secrets,
            salt: config.payu.salt.clone(),
            limit: config.limits.max_body_bytes,
        };
        out.persist();
        out
    }

    /// The report as JSON.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(&*self.lock()).unwrap_or(Value::Null)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Report> {
        // A panic while holding the lock leaves a consistent report: every write is one push.
        self.report.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `text` with every known secret masked (the salt first, then the others longest first).
    fn scrub(&self, text: &str) -> String {
        let mut masked = self.salt.mask_in(text, MASK);
        for secret in &self.secrets {
            // Most texts hold no secret: searched once, rebuilt only when one is there.
            if secret.find(masked.as_bytes()).is_some() {
                masked = replace_all(&masked, secret, MASK);
            }
        }
        masked
    }

    fn add(&self, summary: impl FnOnce() -> RequestSummary, status: u16, violations: Vec<Violation>) {
        if violations.is_empty() {
            self.lock().requests_seen += 1;
            return;
        }
        // Built before the lock is taken: a large body is summarised without holding it.
        let summary = summary();
        let mut report = self.lock();
        report.requests_seen += 1;
        report.requests_with_violations += 1;
        for v in &violations {
            *report.violations_by_rule.entry(v.rule.clone()).or_default() += 1;
        }
        let entry = Entry {
            request: report.requests_seen,
            summary: RequestSummary {
                method: summary.method,
                path: self.scrub(&summary.path),
                headers: summary.headers.into_iter().map(|(k, v)| (k, self.scrub(&v))).collect(),
                body: self.scrub(&summary.body),
            },
            status,
            violations: violations
                .into_iter()
                .map(|v| Violation {
                    reason: self.scrub(&v.reason),
                    at: self.scrub(&v.at),
                    ..v
                })
                .collect(),
        };
        if report.entries.len() >= MAX_ENTRIES {
            report.entries.pop_front();
            report.entries_dropped += 1;
        }
        report.entries.push_back(entry);
        drop(report);
        self.persist();
    }

    /// Writes the report to its file, if one is configured (temporary file, then rename).
    /// A write that fails is retried with the next entry.
    fn persist(&self) {
        let Some(file) = &self.file else { return };
        let text = match serde_json::to_string_pretty(&*self.lock()) {
            Ok(t) => t + "\n",
            Err(_) => return,
        };
        let mut temporary = file.clone().into_os_string();
        temporary.push(".tmp");
        if std::fs::write(&temporary, text).is_ok() {
            let _ = std::fs::rename(&temporary, file);
        }
    }
}

/// Notes a violation of the request being handled (nothing outside [`record`]). The same rule
/// at the same place is noted once.
pub fn note(rule: &str, severity: &str, at: &str, reason: &str) {
    let _ = CURRENT.try_with(|current| {
        let mut current = current.borrow_mut();
        if !current.iter().any(|v| v.rule == rule && v.at == at) {
            current.push(Violation {
                rule: rule.to_owned(),
                severity: severity.to_owned(),
                at: at.to_owned(),
                reason: reason.to_owned(),
                fix: fix_hint(rule),
            });
        }
    });
}

/// The fix hint of `rule`: its statement and source from the catalogue (each catalogue rule's
/// hint is written once, then copied).
fn fix_hint(rule: &str) -> String {
    static HINTS: OnceLock<HashMap<String, String>> = OnceLock::new();
    let hints = HINTS.get_or_init(|| {
        upi_spec::catalogue::all()
            .into_iter()
            .map(|r| {
                let hint = format!("make the request satisfy: {} (source: {})", r.statement, r.source);
                (r.id, hint)
            })
            .collect()
    });
    match hints.get(rule) {
        Some(hint) => hint.clone(),
        None => format!("see refserver/README.md for what the server checks under {rule}"),
    }
}

/// The layer: runs the request inside a collector and records what it broke. Sandbox control
/// requests are not recorded.
pub async fn record(State(report): State<Arc<ClientReport>>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/sandbox/") {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let limit = report.limit;
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return reply::json(
                StatusCode::PAYLOAD_TOO_LARGE,
                &json!({"error": format!("the request body is over the limit of {limit} bytes")}),
            );
        }
    };
    // Summarised only for a request that broke something (most of a clean client's do not);
    // the parts and bytes are kept (`Bytes` is shared, not copied) until then.
    let (method, uri, headers, kept) = (
        parts.method.clone(),
        parts.uri.clone(),
        parts.headers.clone(),
        bytes.clone(),
    );
    let summary = move || RequestSummary {
        method: method.to_string(),
        path: masked_path(&uri),
        headers: masked_headers(&headers),
        body: masked_body(&kept),
    };
    let request = Request::from_parts(parts, Body::from(bytes));
    let (response, noted) = CURRENT
        .scope(RefCell::new(Vec::new()), async {
            let response = next.run(request).await;
            (response, CURRENT.with(|c| c.take()))
        })
        .await;
    let mut response = response;
    add_warning_headers(&mut response, &noted);
    report.add(summary, response.status().as_u16(), noted);
    response
}

/// One `x-upi-conformance-warning: RULE; text` header per warning noted (`crate::sdk_compat`),
/// the text cut to visible ASCII.
fn add_warning_headers(response: &mut Response, noted: &[Violation]) {
    for v in noted.iter().filter(|v| v.severity == WARNING) {
        let text: String = format!("{}; {}", v.rule, v.reason)
            .chars()
            .map(|c| if c == ' ' || c.is_ascii_graphic() { c } else { '?' })
            .collect();
        if let Ok(value) = axum::http::HeaderValue::from_str(&text) {
            response.headers_mut().append(WARNING_HEADER, value);
        }
    }
}

/// `GET /sandbox/report`: the report so far.
pub async fn live(State(report): State<Arc<ClientReport>>) -> Response {
    reply::json(StatusCode::OK, &report.to_json())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubbing_masks_every_secret_as_replace_does() {
        let config = ServerConfig::test_defaults();
        let report = ClientReport::new(&config);
        let key = config.ec.api_key.clone();
        let salt = "upiConformanceTestSalt";
        let cases = [
            (format!("k={key}&s={salt}"), "k=***&s=***".to_owned()),
            (format!("{key}{key}x{key}"), "******x***".to_owned()),
            ("nothing secret here".to_owned(), "nothing secret here".to_owned()),
            (format!("é{key}é"), "é***é".to_owned()),
        ];
        for (text, want) in &cases {
            assert_eq!(&report.scrub(text), want, "{text}");
        }
        for (text, needle) in [
            ("aaaaaaaaa", "aaaa"),
            ("abababab", "abab"),
            ("xyzxyz", "zx"),
            ("", "ab"),
        ] {
            let finder = memchr::memmem::Finder::new(needle);
            assert_eq!(replace_all(text, &finder, "#"), text.replace(needle, "#"), "{text}");
        }
    }
}
