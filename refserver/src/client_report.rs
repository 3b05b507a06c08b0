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
use axum::http::{HeaderMap, Method, StatusCode, Uri};
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
/// The largest body an entry keeps to be summarised when read; a larger one is summarised at
/// once. A full ring of kept bodies holds at most 4 MB, about twice what its summaries would
/// (each cut to `MAX_BODY_CHARS`), so a hostile client cannot grow the server much by it.
const KEPT_BODY_BYTES: usize = 4 * 1024;

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
    pub entries: VecDeque<Recorded>,
}

/// An entry of the ring: as recorded, or as shown. A recorded request is summarised and
/// masked only when the report is first read (a busy server drops most entries unread), and
/// reads as the same [`Entry`].
#[derive(Debug, Clone)]
pub enum Recorded {
    /// What the request sent, with the violations as noted.
    Kept(Box<Kept>),
    /// The entry as the report shows it.
    Shown(Entry),
}

impl Recorded {
    /// The entry as the report shows it.
    pub fn entry(&self) -> std::borrow::Cow<'_, Entry> {
        match self {
            Recorded::Kept(kept) => std::borrow::Cow::Owned(kept.entry()),
            Recorded::Shown(entry) => std::borrow::Cow::Borrowed(entry),
        }
    }
}

impl Serialize for Recorded {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.entry().serialize(serializer)
    }
}

/// A request that broke a rule, as recorded: what it sent (copied, so no connection buffer is
/// held), the violations unmasked, and the secrets to mask them with.
#[derive(Debug, Clone)]
pub struct Kept {
    request: u64,
    status: u16,
    sent: Sent,
    violations: Vec<Violation>,
    scrubber: Arc<Scrubber>,
}

impl Kept {
    fn entry(&self) -> Entry {
        Entry {
            request: self.request,
            summary: self.sent.summary(&self.scrubber),
            status: self.status,
            violations: self.scrubber.violations(&self.violations),
        }
    }
}

/// What a request sent, as the report needs it.
#[derive(Debug, Clone)]
struct Sent {
    method: String,
    /// Path and query.
    target: String,
    /// `NAME: VALUE` lines (a value that is not text reads `(not text)`).
    headers: String,
    body: Vec<u8>,
}

impl Sent {
    fn new(method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Sent {
        let mut lines = String::new();
        for (name, value) in headers {
            lines.push_str(name.as_str());
            lines.push_str(": ");
            lines.push_str(value.to_str().unwrap_or(NOT_TEXT));
            lines.push('\n');
        }
        Sent {
            method: method.to_string(),
            target: uri
                .path_and_query()
                .map_or_else(|| uri.path().to_owned(), ToString::to_string),
            headers: lines,
            body: body.to_vec(),
        }
    }

    /// The request as the report shows it, every secret masked.
    fn summary(&self, scrubber: &Scrubber) -> RequestSummary {
        let pairs = self.headers.lines().filter_map(|l| l.split_once(": "));
        RequestSummary {
            method: self.method.clone(),
            path: scrubber.scrub(&masked_path(&self.target)),
            headers: masked_headers(pairs)
                .into_iter()
                .map(|(k, v)| (k, scrubber.scrub(&v)))
                .collect(),
            body: scrubber.scrub(&masked_body(&self.body)),
        }
    }
}

/// What a header value that is not text reads as.
const NOT_TEXT: &str = "(not text)";

/// The known secret values, masked wherever they stand.
#[derive(Debug)]
struct Scrubber {
    /// The secrets (longest first), each with its searcher built once.
    secrets: Vec<memchr::memmem::Finder<'static>>,
    salt: upi_spec::crypto::payu_hash::Salt,
}

impl Scrubber {
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

    /// `violations` with the secrets in their reasons and places masked.
    fn violations(&self, violations: &[Violation]) -> Vec<Violation> {
        violations
            .iter()
            .map(|v| Violation {
                reason: self.scrub(&v.reason),
                at: self.scrub(&v.at),
                ..v.clone()
            })
            .collect()
    }
}

/// The recorder the server shares between requests.
#[derive(Debug)]
pub struct ClientReport {
    report: Mutex<Report>,
    file: Option<PathBuf>,
    scrubber: Arc<Scrubber>,
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
            scrubber: Arc::new(Scrubber {
                secrets,
                salt: config.payu.salt.clone(),
            }),
            limit: config.limits.max_body_bytes,
        };
        out.persist();
        out
    }

    /// The report as JSON. Entries read for the first time are summarised and kept so.
    pub fn to_json(&self) -> Value {
        let mut report = self.lock();
        for recorded in &mut report.entries {
            if let Recorded::Kept(kept) = recorded {
                *recorded = Recorded::Shown(kept.entry());
            }
        }
        serde_json::to_value(&*report).unwrap_or(Value::Null)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Report> {
        // A panic while holding the lock leaves a consistent report: every write is one push.
        self.report.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn add(&self, sent: impl FnOnce() -> Sent, status: u16, violations: Vec<Violation>) {
        if violations.is_empty() {
            self.lock().requests_seen += 1;
            return;
        }
        let sent = sent();
        // With a file the entry is written at once, so it is summarised at once (before the
        // lock is taken: a large body is summarised without holding it); so is a large body,
        // which is not kept.
        let shown = (self.file.is_some() || sent.body.len() > KEPT_BODY_BYTES)
            .then(|| (sent.summary(&self.scrubber), self.scrubber.violations(&violations)));
        let mut report = self.lock();
        report.requests_seen += 1;
        report.requests_with_violations += 1;
        for v in &violations {
            if let Some(count) = report.violations_by_rule.get_mut(&v.rule) {
                *count += 1;
            } else {
                report.violations_by_rule.insert(v.rule.clone(), 1);
            }
        }
        let request = report.requests_seen;
        let recorded = match shown {
            Some((summary, violations)) => Recorded::Shown(Entry {
                request,
                summary,
                status,
                violations,
            }),
            None => Recorded::Kept(Box::new(Kept {
                request,
                status,
                sent,
                violations,
                scrubber: self.scrubber.clone(),
            })),
        };
        if report.entries.len() >= MAX_ENTRIES {
            report.entries.pop_front();
            report.entries_dropped += 1;
        }
        report.entries.push_back(recorded);
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
    // Copied only for a request that broke something (most of a clean client's do not); the
    // parts and bytes are kept (`Bytes` is shared, not copied) until then.
    let (method, uri, headers, kept) = (
        parts.method.clone(),
        parts.uri.clone(),
        parts.headers.clone(),
        bytes.clone(),
    );
    let sent = move || Sent::new(&method, &uri, &headers, &kept);
    let request = Request::from_parts(parts, Body::from(bytes));
    let (response, noted) = CURRENT
        .scope(RefCell::new(Vec::new()), async {
            let response = next.run(request).await;
            (response, CURRENT.with(|c| c.take()))
        })
        .await;
    let mut response = response;
    add_warning_headers(&mut response, &noted);
    report.add(sent, response.status().as_u16(), noted);
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

    /// Entries summarised when the report is read (no file) read exactly as entries summarised
    /// at once (with a file): secrets masked in the path, the headers (a repeated one, one that
    /// is not text), the bodies (form, JSON, one over the kept size) and the reasons.
    #[test]
    fn kept_entries_read_as_entries_summarised_at_once() {
        let config = ServerConfig::test_defaults();
        let file = std::env::temp_dir().join(format!("upi-client-report-kept-{}.json", std::process::id()));
        let at_once = ClientReport::new(&config.clone().with_client_report(Some(file.clone())));
        let kept = ClientReport::new(&config);
        let (key, salt) = (config.ec.api_key.clone(), "upiConformanceTestSalt");
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let mut headers = HeaderMap::new();
        let auth = format!("Basic {}", b64(&format!("{key}:")));
        headers.insert("authorization", auth.parse().unwrap());
        headers.insert("x-note", format!("see {key}").parse().unwrap());
        headers.append("x-note", "second".parse().unwrap());
        headers.insert("x-echo", format!("see {key}").parse().unwrap());
        headers.insert("x-bin", axum::http::HeaderValue::from_bytes(b"a\xffb").unwrap());
        let bodies = [
            format!("merchant_id=m&key={key}&note=salt%20{salt}&hash=abc"),
            format!(r#"{{"api_key":"k","nested":{{"password":"p"}},"note":"{key}"}}"#),
            format!("note={key}&filler={}", "x".repeat(KEPT_BODY_BYTES)),
            String::new(),
        ];
        for (n, body) in bodies.iter().enumerate() {
            let uri: Uri = format!("/txns?key=abc&n={n}&k={key}").parse().unwrap();
            let violations = vec![Violation {
                rule: "ec.txns.request.form".into(),
                severity: "must".into(),
                at: format!("header:{key}"),
                reason: format!("not {salt} nor {key}"),
                fix: fix_hint("ec.txns.request.form"),
            }];
            for report in [&at_once, &kept] {
                report.add(
                    || Sent::new(&Method::POST, &uri, &headers, body.as_bytes()),
                    400,
                    violations.clone(),
                );
            }
        }
        assert!(
            kept.lock().entries.iter().any(|e| matches!(e, Recorded::Kept(_))),
            "small bodies are kept to be summarised when read"
        );
        let (shown, written) = (kept.to_json(), at_once.to_json());
        let _ = std::fs::remove_file(&file);
        assert_eq!(shown, written);
        let text = shown.to_string();
        assert_eq!(shown["entries"].as_array().map(Vec::len), Some(bodies.len()), "{text}");
        assert!(!text.contains(&key) && !text.contains(salt), "{text}");
        let first = &shown["entries"][0]["summary"];
        assert_eq!(first["headers"]["authorization"], "Basic ***");
        assert_eq!(first["headers"]["x-note"], "second");
        assert_eq!(first["headers"]["x-echo"], "see ***");
        assert_eq!(first["headers"]["x-bin"], NOT_TEXT);
        assert_eq!(first["path"], "/txns?key=***&n=0&k=***");
        assert_eq!(first["body"], "merchant_id=m&key=***&note=salt ***&hash=***");
        assert!(
            kept.lock().entries.iter().all(|e| matches!(e, Recorded::Shown(_))),
            "read once, kept shown"
        );
    }

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
            assert_eq!(&report.scrubber.scrub(text), want, "{text}");
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
