//! The sandbox adapter: drives whatever completes payments on the target, as `[sandbox]` maps
//! it ([`mapping`]): a control API (the reference server's by default, any other through the
//! mapping), a person (`--sandbox manual`: the runner prints the txnid and waits for Enter), or
//! nobody (flows that need a completed payment are skipped, with the reason). Every problem names
//! the mapping that made the request, so a wrong parameter name is not mistaken for the target's
//! fault.

pub mod mapping;

use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use super::config::RunConfig;
use super::http::{Body, Client, Exchange, Request};
use super::outcome::CaseError;
pub use mapping::{Encoding, SandboxConfig, SandboxMode, SettledVia, Via};

/// The sandbox of a run, probed once.
pub struct Sandbox {
    mapping: SandboxConfig,
    base: Option<String>,
    /// Why flows that need a completed payment cannot run (`None`: they can).
    absent: Option<String>,
}

impl Sandbox {
    /// Probes the sandbox as `config.sandbox` says.
    pub async fn probe(config: &RunConfig, client: &Client) -> Sandbox {
        let mapping = config.sandbox.clone();
        let base = config.base(super::config::SANDBOX);
        let absent = match (mapping.mode, &base) {
            (SandboxMode::Off, _) => Some("sandbox control is off ([sandbox] mode = \"off\" or --sandbox off)".into()),
            (SandboxMode::Manual, _) => None,
            (SandboxMode::Api, None) => Some(
                "no targets.sandbox base URL for the sandbox control API; configure one, or run with --sandbox manual"
                    .into(),
            ),
            (SandboxMode::Api, Some(base)) if mapping.health.via == Via::Request => {
                let h = &mapping.health;
                let x = client
                    .send(&Request {
                        method: h.method.clone(),
                        url: url(base, &h.path, &[]),
                        headers: mapping.control_headers(),
                        body: Body::Empty,
                    })
                    .await;
                (x.status != Some(200) || !x.response_body.contains(&h.contains)).then(|| {
                    format!(
                        "the sandbox control API did not answer the [sandbox.health] probe {} {} with 200 containing {:?} \
                         (got {}); map your sandbox's control API in [sandbox], or run with --sandbox manual",
                        h.method,
                        h.path,
                        h.contains,
                        x.status.map_or_else(|| "no answer".to_string(), |s| format!("HTTP {s}"))
                    )
                })
            }
            (SandboxMode::Api, Some(_)) => None,
        };
        Sandbox { mapping, base, absent }
    }

    /// Whether flows that complete a payment can run.
    pub fn available(&self) -> bool {
        self.absent.is_none()
    }

    /// Why they cannot, if they cannot.
    pub fn absent(&self) -> Option<&str> {
        self.absent.as_deref()
    }

    /// The mapping.
    pub fn mapping(&self) -> &SandboxConfig {
        &self.mapping
    }

    /// How long to wait for the S2S callback.
    pub fn callback_wait(&self) -> Duration {
        Duration::from_millis(self.mapping.callback_wait_ms)
    }

    fn base(&self) -> Result<&str, CaseError> {
        self.base
            .as_deref()
            .ok_or_else(|| CaseError::Precondition("no targets.sandbox base URL".into()))
    }

    /// The callback URL the sandbox is given: `public_callback_url`, or the receiver's.
    pub fn callback_url(&self, receiver_url: &str) -> String {
        if self.mapping.public_callback_url.is_empty() {
            receiver_url.to_string()
        } else {
            self.mapping.public_callback_url.clone()
        }
    }

    /// Hands the sandbox the callback URL (or, out of band or manual, prints it).
    pub async fn pass_callback_url(
        &self,
        client: &Client,
        callback_url: &str,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<(), CaseError> {
        let c = &self.mapping.callback;
        if self.mapping.mode == SandboxMode::Manual || c.via == Via::OutOfBand {
            eprintln!(
                "upi-conformance: this run's S2S callback URL is {callback_url}: set it as the merchant's callback URL in your sandbox"
            );
            return Ok(());
        }
        let mut request = build(
            self.base()?,
            &c.method,
            &c.path,
            c.encoding,
            &[(c.param.clone(), callback_url.to_string())],
            &[],
        );
        request.headers.extend(self.mapping.control_headers());
        let x = client.send(&request).await;
        let status = x.status;
        exchanges.push(x);
        if !status.is_some_and(|s| (200..300).contains(&s)) {
            return Err(CaseError::Precondition(format!(
                "the sandbox refused the callback URL: {} {} ({}, the URL as {:?}) answered {}; check [sandbox.callback]",
                c.method,
                c.path,
                c.encoding.word(),
                c.param,
                answered(status)
            )));
        }
        Ok(())
    }

    /// Completes payment `txnid` (of `amount`) as successful: through the mapped request, or,
    /// manual, by asking a person and waiting for Enter.
    pub async fn complete(
        &self,
        client: &Client,
        txnid: &str,
        amount: &str,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<(), CaseError> {
        if self.mapping.mode == SandboxMode::Manual {
            return manual(txnid, Duration::from_secs(self.mapping.manual_timeout_s)).await;
        }
        let c = &self.mapping.complete;
        let mut params = Vec::new();
        for (name, value) in [(&c.txnid, txnid), (&c.status, c.success.as_str()), (&c.amount, amount)] {
            if !name.is_empty() {
                params.push((name.clone(), value.to_string()));
            }
        }
        params.extend(c.extra.iter().map(|(k, v)| (k.clone(), v.clone())));
        let mut request = build(
            self.base()?,
            &c.method,
            &c.path,
            c.encoding,
            &params,
            &[("{txnid}", txnid)],
        );
        request.headers.extend(self.mapping.control_headers());
        let x = client.send(&request).await;
        let status = x.status;
        let excerpt: String = x.response_body.chars().take(200).collect();
        exchanges.push(x);
        if !status.is_some_and(|s| (200..300).contains(&s)) {
            return Err(CaseError::Precondition(format!(
                "the sandbox did not complete payment {txnid}: {} {} ({}: txnid as {:?}, status as {:?} = {:?}, amount as {:?}) \
                 answered {}{}; check [sandbox.complete]",
                c.method,
                c.path,
                c.encoding.word(),
                c.txnid,
                c.status,
                c.success,
                c.amount,
                answered(status),
                if excerpt.is_empty() {
                    String::new()
                } else {
                    format!(": {excerpt}")
                }
            )));
        }
        Ok(())
    }

    /// Where the callback is said to come from, for a finding that none arrived.
    pub fn completion_described(&self) -> String {
        match self.mapping.mode {
            SandboxMode::Manual => "completed by hand (--sandbox manual)".into(),
            _ => format!(
                "completed through {} {} as mapped by [sandbox.complete]; the callback URL passed {}",
                self.mapping.complete.method,
                self.mapping.complete.path,
                match self.mapping.callback.via {
                    Via::Request => format!(
                        "by {} {} ([sandbox.callback])",
                        self.mapping.callback.method, self.mapping.callback.path
                    ),
                    _ => "out of band".into(),
                }
            ),
        }
    }

    /// With `settled.via = "status_url"`, waits (up to the callback wait) until the status URL
    /// reports payment `txnid` settled; an error names the mapping and what it read.
    pub async fn settled(&self, client: &Client, txnid: &str, exchanges: &mut Vec<Exchange>) -> Result<(), CaseError> {
        let s = &self.mapping.settled;
        if s.via != SettledVia::StatusUrl {
            return Ok(());
        }
        let until = Instant::now() + self.callback_wait();
        loop {
            let x = client
                .send(&Request {
                    method: "GET".into(),
                    url: url(self.base()?, &s.url, &[("{txnid}", txnid)]),
                    headers: self.mapping.control_headers(),
                    body: Body::Empty,
                })
                .await;
            let read = serde_json::from_slice::<Value>(&x.response_bytes)
                .ok()
                .and_then(|v| v.pointer(&s.pointer).cloned());
            let status = x.status;
            exchanges.push(x);
            if read.as_ref().and_then(Value::as_str) == Some(s.success.as_str()) {
                return Ok(());
            }
            if Instant::now() >= until {
                return Err(CaseError::Precondition(format!(
                    "the sandbox never reported payment {txnid} settled: GET {} answered {} with {} = {}, not {:?}; \
                     check [sandbox.settled]",
                    s.url,
                    answered(status),
                    s.pointer,
                    read.map_or_else(|| "nothing".to_string(), |v| v.to_string()),
                    s.success
                )));
            }
            exchanges.pop();
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn answered(status: Option<u16>) -> String {
    status.map_or_else(|| "nothing (no HTTP answer)".to_string(), |s| format!("HTTP {s}"))
}

/// `path` under `base` (or `path` itself when absolute) with each placeholder replaced by its
/// percent-encoded value.
fn url(base: &str, path: &str, replace: &[(&str, &str)]) -> String {
    let mut path = path.to_string();
    for (from, to) in replace {
        path = path.replace(
            from,
            &form_urlencoded::byte_serialize(to.as_bytes()).collect::<String>(),
        );
    }
    if path.starts_with("http://") || path.starts_with("https://") {
        path
    } else {
        format!("{base}{path}")
    }
}

/// A control request carrying `params` as `encoding` says.
fn build(
    base: &str,
    method: &str,
    path: &str,
    encoding: Encoding,
    params: &[(String, String)],
    replace: &[(&str, &str)],
) -> Request {
    let mut url = url(base, path, replace);
    let (headers, body) = match encoding {
        Encoding::Form => {
            let mut ser = form_urlencoded::Serializer::new(String::new());
            for (k, v) in params {
                ser.append_pair(k, v);
            }
            (
                vec![(
                    "content-type".to_string(),
                    "application/x-www-form-urlencoded".to_string(),
                )],
                Body::Bytes(ser.finish().into_bytes()),
            )
        }
        Encoding::Json => {
            let object: Map<String, Value> = params
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            (
                vec![("content-type".to_string(), "application/json".to_string())],
                Body::Bytes(Value::Object(object).to_string().into_bytes()),
            )
        }
        Encoding::Query => {
            let mut ser = form_urlencoded::Serializer::new(String::new());
            for (k, v) in params {
                ser.append_pair(k, v);
            }
            let query = ser.finish();
            if !query.is_empty() {
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str(&query);
            }
            (Vec::new(), Body::Empty)
        }
    };
    Request {
        method: method.to_string(),
        url,
        headers,
        body,
    }
}

/// What a person at the terminal typed: a line, or nothing more ever (stdin closed).
enum Typed {
    Line,
    Closed,
}

/// One thread reads stdin for the whole process (a blocking read cannot be cancelled, so a
/// prompt that times out must not leave its own reader behind to steal the next line).
fn stdin_lines() -> &'static tokio::sync::Mutex<tokio::sync::mpsc::UnboundedReceiver<Typed>> {
    static LINES: std::sync::OnceLock<tokio::sync::Mutex<tokio::sync::mpsc::UnboundedReceiver<Typed>>> =
        std::sync::OnceLock::new();
    LINES.get_or_init(|| {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        std::thread::spawn(move || {
            let stdin = std::io::stdin();
            loop {
                let mut line = String::new();
                match stdin.read_line(&mut line) {
                    Ok(n) if n > 0 => {
                        if tx.send(Typed::Line).is_err() {
                            return;
                        }
                    }
                    _ => {
                        let _ = tx.send(Typed::Closed);
                        return;
                    }
                }
            }
        });
        tokio::sync::Mutex::new(rx)
    })
}

/// Asks a person to complete `txnid` and waits for Enter, at most `timeout`.
async fn manual(txnid: &str, timeout: Duration) -> Result<(), CaseError> {
    let mut lines = stdin_lines().lock().await;
    // A line typed before the prompt is not an answer to it.
    while let Ok(Typed::Line) = lines.try_recv() {}
    eprintln!("complete payment {txnid} as success in your sandbox, then press Enter");
    match tokio::time::timeout(timeout, lines.recv()).await {
        Ok(Some(Typed::Line)) => Ok(()),
        Ok(Some(Typed::Closed) | None) => Err(CaseError::skip(format!(
            "--sandbox manual: standard input is closed, so nobody can confirm that payment {txnid} was completed; \
             run in a terminal, or map the sandbox's control API in [sandbox]"
        ))),
        Err(_) => Err(CaseError::skip(format!(
            "--sandbox manual: no Enter within {} s ([sandbox] manual_timeout_s) to confirm that payment {txnid} was completed",
            timeout.as_secs()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_carry_parameters_as_mapped() {
        let params = [
            ("id".to_string(), "T 1".to_string()),
            ("result".to_string(), "success".to_string()),
        ];
        let form = build("http://h", "POST", "/s", Encoding::Form, &params, &[]);
        assert!(matches!(&form.body, Body::Bytes(b) if b == b"id=T+1&result=success"));
        let json = build("http://h", "POST", "/s", Encoding::Json, &params, &[]);
        assert!(matches!(&json.body, Body::Bytes(b) if b == br#"{"id":"T 1","result":"success"}"#));
        let query = build("http://h", "PUT", "/s?a=b", Encoding::Query, &params, &[]);
        assert_eq!(query.url, "http://h/s?a=b&id=T+1&result=success");
        let path = build(
            "http://h",
            "POST",
            "/p/{txnid}",
            Encoding::Form,
            &[],
            &[("{txnid}", "a/b")],
        );
        assert_eq!(path.url, "http://h/p/a%2Fb");
        assert_eq!(url("http://h", "https://other/x", &[]), "https://other/x");
    }
}
