//! The client side of the TPAP shim protocol (`docs/SHIM.md`): one JSON object per line over a
//! child process's stdin/stdout, or one HTTP POST per call. The suite sends
//! `{"id":N,"request":PAYLOAD}` and reads `{"id":N,"response":PAYLOAD}` (the implementation
//! answered) or `{"id":N,"error":"TEXT"}` (the implementation refused or threw).
//!
//! Bounded: every call has a timeout, a line longer than the limit is refused (and drained), a
//! line that is not a protocol object is an error of that call (never a panic), and a child that
//! exits is reported with its exit status.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Protocol name and version sent in the `hello` call.
pub const PROTOCOL: &str = "upi-conformance-shim/1";

/// Limits of one shim connection.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long one call may take.
    pub timeout: Duration,
    /// The longest reply line (or HTTP body) accepted, in bytes.
    pub max_line_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(10),
            max_line_bytes: 1 << 20,
        }
    }
}

/// What one call returned.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// The implementation's response payload.
    Response(Value),
    /// The implementation refused the payload or threw; the shim's text.
    Error(String),
}

/// Why a call did not produce a [`Reply`].
#[derive(Debug, thiserror::Error)]
pub enum ShimError {
    /// The shim command could not be started.
    #[error("cannot start the shim {command:?}: {reason}")]
    Spawn {
        /// The command line.
        command: String,
        /// Why.
        reason: String,
    },
    /// The child process exited (or closed its stdout).
    #[error("the shim process ended ({status}); stderr is the shim's own")]
    Dead {
        /// Its exit status, or "stdout closed".
        status: String,
    },
    /// No reply within the timeout.
    #[error("no reply from the shim within {0:?}")]
    Timeout(Duration),
    /// A reply line (or body) longer than the limit.
    #[error("the shim's reply is longer than {0} bytes")]
    TooLong(usize),
    /// A reply that is not a protocol object.
    #[error("the shim's reply is not a protocol object: {0}")]
    Garbage(String),
    /// The HTTP transport failed.
    #[error("HTTP shim: {0}")]
    Http(String),
}

impl ShimError {
    /// Whether the connection is gone for good (later calls cannot succeed).
    pub fn is_fatal(&self) -> bool {
        matches!(self, ShimError::Spawn { .. } | ShimError::Dead { .. })
    }
}

/// A shim connection: sends one process payload, returns the implementation's answer.
pub trait Shim {
    /// Sends `request` and waits for its reply.
    fn call(&mut self, request: &Value) -> Result<Reply, ShimError>;
    /// Sends the `hello` call: the merchant key the requests are signed with.
    fn hello(&mut self, merchant_key_id: &str, public_key_pem: &str) -> Result<Reply, ShimError>;
    /// A description for reports.
    fn describe(&self) -> String;
    /// A shell command that sends `request` to the shim once, for reports.
    fn reproduce(&self, request: &Value) -> String;
}

/// Reads one protocol object (`id` plus `response` or `error`) from a reply line.
fn parse_reply(text: &str, expect_id: u64) -> Result<Option<Reply>, ShimError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| ShimError::Garbage(format!("{e} in {}", snippet(text))))?;
    let Some(obj) = value.as_object() else {
        return Err(ShimError::Garbage(format!("not a JSON object: {}", snippet(text))));
    };
    let Some(id) = obj.get("id").and_then(Value::as_u64) else {
        return Err(ShimError::Garbage(format!("no numeric \"id\": {}", snippet(text))));
    };
    if id != expect_id {
        // A late reply to a call that timed out: skipped.
        return Ok(None);
    }
    match (obj.get("response"), obj.get("error")) {
        (Some(r), None) => Ok(Some(Reply::Response(r.clone()))),
        (None, Some(Value::String(e))) => Ok(Some(Reply::Error(e.clone()))),
        (None, Some(other)) => Ok(Some(Reply::Error(other.to_string()))),
        _ => Err(ShimError::Garbage(format!(
            "needs exactly one of \"response\" and \"error\": {}",
            snippet(text)
        ))),
    }
}

fn snippet(text: &str) -> String {
    let cut: String = text.chars().take(120).collect();
    if cut.len() < text.len() {
        format!("{cut:?}…")
    } else {
        format!("{cut:?}")
    }
}

fn hello_request(merchant_key_id: &str, public_key_pem: &str) -> Value {
    json!({
        "protocol": PROTOCOL,
        "merchantKeyId": merchant_key_id,
        "merchantPublicKeyPem": public_key_pem,
    })
}

/// One line read by the reader thread.
enum Line {
    Text(String),
    TooLong,
    Eof,
    Failed(String),
}

/// A shim running as a child process, JSON lines on its stdin and stdout.
pub struct ProcessShim {
    command: String,
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<Line>,
    next_id: u64,
    limits: Limits,
}

impl ProcessShim {
    /// Starts `command` (split like a shell would, without a shell).
    pub fn spawn(command: &str, limits: Limits) -> Result<ProcessShim, ShimError> {
        let spawn_error = |reason: String| ShimError::Spawn {
            command: command.to_owned(),
            reason,
        };
        let words = shell_words::split(command).map_err(|e| spawn_error(e.to_string()))?;
        let (program, args) = words.split_first().ok_or_else(|| spawn_error("empty command".into()))?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| spawn_error(e.to_string()))?;
        let stdout = child.stdout.take().ok_or_else(|| spawn_error("no stdout".into()))?;
        let stdin = child.stdin.take();
        let (tx, rx) = channel();
        let max = limits.max_line_bytes;
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let line = read_bounded_line(&mut reader, max);
                let end = matches!(line, Line::Eof | Line::Failed(_));
                if tx.send(line).is_err() || end {
                    break;
                }
            }
        });
        Ok(ProcessShim {
            command: command.to_owned(),
            child,
            stdin,
            lines: rx,
            next_id: 1,
            limits,
        })
    }

    fn dead(&mut self) -> ShimError {
        // Give an exiting child a moment to be reaped, so its status can be named.
        let deadline = Instant::now() + Duration::from_millis(500);
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    return ShimError::Dead {
                        status: status.to_string(),
                    };
                }
                Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
                _ => {
                    return ShimError::Dead {
                        status: "stdout closed".into(),
                    };
                }
            }
        }
    }

    fn send(&mut self, id: u64, body: Value) -> Result<Reply, ShimError> {
        let mut line = serde_json::to_string(&body).unwrap_or_default();
        line.push('\n');
        let written = match self.stdin.as_mut() {
            Some(stdin) => stdin.write_all(line.as_bytes()).and_then(|()| stdin.flush()),
            None => Err(std::io::Error::other("stdin closed")),
        };
        if written.is_err() {
            return Err(self.dead());
        }
        let deadline = Instant::now() + self.limits.timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(Line::Text(text)) => {
                    if text.trim().is_empty() {
                        continue;
                    }
                    if let Some(reply) = parse_reply(&text, id)? {
                        return Ok(reply);
                    }
                }
                Ok(Line::TooLong) => return Err(ShimError::TooLong(self.limits.max_line_bytes)),
                Ok(Line::Failed(e)) => {
                    return Err(ShimError::Dead {
                        status: format!("reading its stdout failed: {e}"),
                    });
                }
                Ok(Line::Eof) | Err(RecvTimeoutError::Disconnected) => return Err(self.dead()),
                Err(RecvTimeoutError::Timeout) => return Err(ShimError::Timeout(self.limits.timeout)),
            }
        }
    }
}

/// Reads up to a newline, at most `max` bytes; a longer line is drained and reported.
fn read_bounded_line(reader: &mut impl BufRead, max: usize) -> Line {
    let mut buf = Vec::new();
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    match reader.by_ref().take(limit).read_until(b'\n', &mut buf) {
        Ok(0) => Line::Eof,
        Ok(_) if buf.last() == Some(&b'\n') => Line::Text(String::from_utf8_lossy(&buf).into_owned()),
        Ok(n) if n as u64 >= limit => {
            // Drain the rest of the over-long line.
            let mut sink = Vec::new();
            loop {
                sink.clear();
                match reader.by_ref().take(64 * 1024).read_until(b'\n', &mut sink) {
                    Ok(0) => return Line::TooLong,
                    Ok(_) if sink.last() == Some(&b'\n') => return Line::TooLong,
                    Ok(_) => {}
                    Err(e) => return Line::Failed(e.to_string()),
                }
            }
        }
        // The last line, without a newline.
        Ok(_) => Line::Text(String::from_utf8_lossy(&buf).into_owned()),
        Err(e) => Line::Failed(e.to_string()),
    }
}

impl Shim for ProcessShim {
    fn call(&mut self, request: &Value) -> Result<Reply, ShimError> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(id, json!({"id": id, "request": request}))
    }

    fn hello(&mut self, merchant_key_id: &str, public_key_pem: &str) -> Result<Reply, ShimError> {
        self.send(
            0,
            json!({"id": 0, "hello": hello_request(merchant_key_id, public_key_pem)}),
        )
    }

    fn describe(&self) -> String {
        format!("shim process: {}", self.command)
    }

    fn reproduce(&self, request: &Value) -> String {
        let line = json!({"id": 1, "request": request}).to_string();
        format!("printf '%s\\n' {} | {}", shell_words::quote(&line), self.command)
    }
}

impl Drop for ProcessShim {
    fn drop(&mut self) {
        // Closing stdin asks the shim to end; a shim that does not is killed.
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A shim behind an HTTP endpoint: one POST per call, the same objects as bodies.
pub struct HttpShim {
    url: String,
    client: reqwest::Client,
    runtime: tokio::runtime::Runtime,
    next_id: u64,
    limits: Limits,
}

impl HttpShim {
    /// A shim at `url`.
    pub fn new(url: &str, limits: Limits) -> Result<HttpShim, ShimError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| ShimError::Http(e.to_string()))?;
        let client = reqwest::Client::builder()
            .timeout(limits.timeout)
            .build()
            .map_err(|e| ShimError::Http(e.to_string()))?;
        Ok(HttpShim {
            url: url.to_owned(),
            client,
            runtime,
            next_id: 1,
            limits,
        })
    }

    fn send(&mut self, id: u64, body: Value) -> Result<Reply, ShimError> {
        let limits = self.limits;
        let request = self
            .client
            .post(&self.url)
            .header("content-type", "application/json")
            .body(body.to_string());
        let text = self.runtime.block_on(async move {
            let mut response = request.send().await.map_err(|e| {
                if e.is_timeout() {
                    ShimError::Timeout(limits.timeout)
                } else {
                    ShimError::Http(e.to_string())
                }
            })?;
            let mut bytes: Vec<u8> = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(|e| ShimError::Http(e.to_string()))? {
                bytes.extend_from_slice(&chunk);
                if bytes.len() > limits.max_line_bytes {
                    return Err(ShimError::TooLong(limits.max_line_bytes));
                }
            }
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        })?;
        parse_reply(&text, id)?.ok_or_else(|| ShimError::Garbage(format!("reply for another id: {}", snippet(&text))))
    }
}

impl Shim for HttpShim {
    fn call(&mut self, request: &Value) -> Result<Reply, ShimError> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(id, json!({"id": id, "request": request}))
    }

    fn hello(&mut self, merchant_key_id: &str, public_key_pem: &str) -> Result<Reply, ShimError> {
        self.send(
            0,
            json!({"id": 0, "hello": hello_request(merchant_key_id, public_key_pem)}),
        )
    }

    fn describe(&self) -> String {
        format!("shim URL: {}", self.url)
    }

    fn reproduce(&self, request: &Value) -> String {
        let body = json!({"id": 1, "request": request}).to_string();
        format!(
            "curl -sS {} -H 'content-type: application/json' --data-raw {}",
            shell_words::quote(&self.url),
            shell_words::quote(&body)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_parsed_and_garbage_is_an_error() {
        assert_eq!(
            parse_reply(r#"{"id":3,"response":{"a":1}}"#, 3).unwrap(),
            Some(Reply::Response(json!({"a":1})))
        );
        assert_eq!(
            parse_reply(r#"{"id":3,"error":"no"}"#, 3).unwrap(),
            Some(Reply::Error("no".into()))
        );
        assert_eq!(parse_reply(r#"{"id":2,"response":{}}"#, 3).unwrap(), None);
        for bad in [
            "hello",
            "[1]",
            r#"{"response":{}}"#,
            r#"{"id":3}"#,
            r#"{"id":3,"response":1,"error":"x"}"#,
        ] {
            assert!(matches!(parse_reply(bad, 3), Err(ShimError::Garbage(_))), "{bad}");
        }
    }

    #[test]
    fn an_over_long_line_is_refused_and_drained() {
        let mut input = std::io::Cursor::new(format!("{}\nnext\n", "x".repeat(100)).into_bytes());
        assert!(matches!(read_bounded_line(&mut input, 10), Line::TooLong));
        assert!(matches!(read_bounded_line(&mut input, 10), Line::Text(t) if t == "next\n"));
        assert!(matches!(read_bounded_line(&mut input, 10), Line::Eof));
    }
}
