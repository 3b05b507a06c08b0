//! The `[sandbox]` configuration: how the runner drives a sandbox's control API to complete a
//! payment (probe it, hand it the callback URL, complete the payment, learn that it settled), or
//! that a person does it (`mode = "manual"`). The defaults are the reference server's own control
//! protocol (`GET /sandbox/health`, `POST /sandbox/payu/callback-url`, `POST
//! /sandbox/payu/complete`), so a run without `[sandbox]` drives it as before.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::str::FromStr;

use anyhow::{Result, bail};
use serde::Deserialize;

/// Who completes payments in the sandbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SandboxMode {
    /// The runner, through the mapped control API (the default).
    #[default]
    Api,
    /// A person: the runner prints the txnid and waits for Enter on stdin.
    Manual,
    /// Nobody: flows that need a completed payment are skipped.
    Off,
}

impl FromStr for SandboxMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "api" => Ok(SandboxMode::Api),
            "manual" => Ok(SandboxMode::Manual),
            "off" => Ok(SandboxMode::Off),
            _ => Err(format!("sandbox mode is api, manual or off, not {s:?}")),
        }
    }
}

/// How parameters travel in a control request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// `application/x-www-form-urlencoded` body.
    #[default]
    Form,
    /// A JSON object of strings as the body.
    Json,
    /// The URL's query string, no body.
    Query,
}

impl Encoding {
    /// The word the configuration uses.
    pub fn word(self) -> &'static str {
        match self {
            Encoding::Form => "form",
            Encoding::Json => "json",
            Encoding::Query => "query",
        }
    }
}

/// The whole `[sandbox]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SandboxConfig {
    /// `api` (default), `manual` or `off`; `run --sandbox MODE` overrides it.
    pub mode: SandboxMode,
    /// Where the runner's callback receiver listens (`127.0.0.1:0`: any free loopback port).
    pub receiver: SocketAddr,
    /// The callback URL to give the sandbox when it is not the receiver's own
    /// (`http://RECEIVER/callback`), e.g. a tunnel forwarding to it. Empty: the receiver's.
    pub public_callback_url: String,
    /// How long to wait for the S2S callback (and for a status URL to report settlement).
    pub callback_wait_ms: u64,
    /// How long `manual` waits for Enter.
    pub manual_timeout_s: u64,
    /// The probe telling whether the control API is there.
    pub health: Health,
    /// How the callback URL reaches the sandbox.
    pub callback: CallbackUrl,
    /// The request completing a payment.
    pub complete: Complete,
    /// How the runner learns that the completed payment settled.
    pub settled: Settled,
    /// `[sandbox.headers]`: headers sent with every control request (health probe, callback
    /// URL, completion, status URL), each value `${ENV_VAR}`, read from the environment when
    /// the file is read and masked in every output (as `${ENV_VAR}`).
    pub headers: BTreeMap<String, String>,
    /// The environment variable each header's value was read from (filled when the
    /// configuration is read; the secrets a report masks).
    #[serde(skip)]
    pub header_env: BTreeMap<String, String>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            mode: SandboxMode::Api,
            receiver: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_callback_url: String::new(),
            callback_wait_ms: 5_000,
            manual_timeout_s: 600,
            health: Health::default(),
            callback: CallbackUrl::default(),
            complete: Complete::default(),
            settled: Settled::default(),
            headers: BTreeMap::new(),
            header_env: BTreeMap::new(),
        }
    }
}

/// Whether a mapping step is a request or not done by the runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Via {
    /// The runner sends the mapped request.
    Request,
    /// No request: the health probe is not made (the control API is assumed present).
    None,
    /// No request: the callback URL is configured in the sandbox by hand.
    OutOfBand,
}

/// `[sandbox.health]`: a request whose answer is 200 with `contains` in its body.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Health {
    /// `request` (default) or `none`.
    pub via: Via,
    /// HTTP method.
    pub method: String,
    /// Path under `targets.sandbox`, or an absolute URL.
    pub path: String,
    /// Text the 200 answer must contain (empty: any 200).
    pub contains: String,
}

impl Default for Health {
    fn default() -> Self {
        Health {
            via: Via::Request,
            method: "GET".into(),
            path: "/sandbox/health".into(),
            contains: "sandbox".into(),
        }
    }
}

/// `[sandbox.callback]`: how the runner's callback URL is passed to the sandbox.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CallbackUrl {
    /// `request` (default) or `out-of-band` (set in the sandbox by hand; the runner prints it).
    pub via: Via,
    /// HTTP method.
    pub method: String,
    /// Path under `targets.sandbox`, or an absolute URL.
    pub path: String,
    /// The parameter carrying the URL.
    pub param: String,
    /// `form`, `json` or `query`.
    pub encoding: Encoding,
}

impl Default for CallbackUrl {
    fn default() -> Self {
        CallbackUrl {
            via: Via::Request,
            method: "POST".into(),
            path: "/sandbox/payu/callback-url".into(),
            param: "url".into(),
            encoding: Encoding::Form,
        }
    }
}

/// `[sandbox.complete]`: the request completing a payment as successful.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Complete {
    /// HTTP method.
    pub method: String,
    /// Path under `targets.sandbox`, or an absolute URL; `{txnid}` is replaced.
    pub path: String,
    /// `form`, `json` or `query`.
    pub encoding: Encoding,
    /// The parameter carrying the txnid (empty: not sent, e.g. when the path has `{txnid}`).
    pub txnid: String,
    /// The parameter carrying the outcome (empty: not sent).
    pub status: String,
    /// The outcome's value meaning success.
    pub success: String,
    /// The parameter carrying the amount (empty: not sent).
    pub amount: String,
    /// Constant parameters sent as well.
    pub extra: BTreeMap<String, String>,
}

impl Default for Complete {
    fn default() -> Self {
        Complete {
            method: "POST".into(),
            path: "/sandbox/payu/complete".into(),
            encoding: Encoding::Form,
            txnid: "txnid".into(),
            status: "status".into(),
            success: "success".into(),
            amount: String::new(),
            extra: Default::default(),
        }
    }
}

/// How a settled payment is reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettledVia {
    /// PayU `verify_payment` (the flow's own check; no extra request).
    #[default]
    VerifyPayment,
    /// `GET` of a status URL, reading a JSON pointer, until it is `success`.
    StatusUrl,
}

/// `[sandbox.settled]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settled {
    /// `verify_payment` (default) or `status_url`.
    pub via: SettledVia,
    /// The status URL template (`{txnid}` replaced), under `targets.sandbox` or absolute.
    pub url: String,
    /// JSON pointer to the status in the answer.
    pub pointer: String,
    /// The status value meaning settled as successful.
    pub success: String,
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

fn check_request(table: &str, method: &str, path: &str) -> Result<()> {
    if !METHODS.contains(&method) {
        bail!("{table}.method = {method:?} is not one of {}", METHODS.join(", "));
    }
    check_path(&format!("{table}.path"), path)
}

fn check_path(field: &str, path: &str) -> Result<()> {
    if !(path.starts_with('/') || path.starts_with("http://") || path.starts_with("https://")) {
        bail!("{field} = {path:?} is neither a path starting with / nor an http(s) URL");
    }
    Ok(())
}

impl SandboxConfig {
    /// Reads each `[sandbox.headers]` value from the environment variable it names
    /// (`${ENV_VAR}`, the only form accepted, so the file holds no secret); an error names the
    /// header and the variable, never a value.
    pub fn resolve_headers(&mut self, env: &impl Fn(&str) -> Option<String>) -> Result<()> {
        for (name, value) in &mut self.headers {
            let Some(var) = value.strip_prefix("${").and_then(|v| v.strip_suffix('}')) else {
                bail!(
                    "sandbox.headers.{name}: give the value as \"${{ENV_VAR}}\" (read from the environment, masked in every output), not literally"
                );
            };
            if var.is_empty() || !var.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                bail!("sandbox.headers.{name}: {var:?} is not an environment variable name");
            }
            let var = var.to_owned();
            *value = match env(&var) {
                Some(v) if !v.is_empty() => v,
                Some(_) => bail!("sandbox.headers.{name}: environment variable {var} is empty"),
                None => bail!("sandbox.headers.{name}: environment variable {var} is not set"),
            };
            self.header_env.insert(name.clone(), var);
        }
        Ok(())
    }

    /// The headers of every control request, values resolved.
    pub fn control_headers(&self) -> Vec<(String, String)> {
        self.headers.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// Checks the mapping when the configuration is read (exit 2 naming the field).
    pub fn check(&self) -> Result<()> {
        if self.health.via == Via::OutOfBand {
            bail!("sandbox.health.via is request or none, not out-of-band");
        }
        if self.health.via == Via::Request {
            check_request("sandbox.health", &self.health.method, &self.health.path)?;
        }
        match self.callback.via {
            Via::None => bail!("sandbox.callback.via is request or out-of-band, not none"),
            Via::Request => {
                check_request("sandbox.callback", &self.callback.method, &self.callback.path)?;
                if self.callback.param.is_empty() {
                    bail!("sandbox.callback.param is empty: name the parameter carrying the URL");
                }
            }
            Via::OutOfBand => {}
        }
        check_request("sandbox.complete", &self.complete.method, &self.complete.path)?;
        if self.complete.txnid.is_empty() && !self.complete.path.contains("{txnid}") {
            bail!("sandbox.complete: neither a txnid parameter nor {{txnid}} in the path names the payment");
        }
        if self.complete.method == "GET" && self.complete.encoding != Encoding::Query {
            bail!("sandbox.complete: a GET carries its parameters as encoding = \"query\"");
        }
        if self.settled.via == SettledVia::StatusUrl {
            check_path("sandbox.settled.url", &self.settled.url)?;
            if !self.settled.pointer.starts_with('/') {
                bail!(
                    "sandbox.settled.pointer = {:?} is not a JSON pointer (starting with /)",
                    self.settled.pointer
                );
            }
            if self.settled.success.is_empty() {
                bail!("sandbox.settled.success is empty: name the status value meaning settled");
            }
        }
        if !self.public_callback_url.is_empty() {
            check_path("sandbox.public_callback_url", &self.public_callback_url)?;
        }
        for (name, value) in &self.headers {
            if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
                bail!("sandbox.headers: {name:?} is not an HTTP header name");
            }
            if reqwest::header::HeaderValue::from_str(value).is_err() {
                // The value may be a secret: name the header, never the value.
                bail!("sandbox.headers.{name}: the value is not a valid HTTP header value");
            }
        }
        if !(1..=600_000).contains(&self.callback_wait_ms) {
            bail!(
                "sandbox.callback_wait_ms = {} is out of range 1..=600000",
                self.callback_wait_ms
            );
        }
        if !(1..=86_400).contains(&self.manual_timeout_s) {
            bail!(
                "sandbox.manual_timeout_s = {} is out of range 1..=86400",
                self.manual_timeout_s
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SandboxConfig> {
        let c: SandboxConfig = toml::from_str(text)?;
        c.check()?;
        Ok(c)
    }

    #[test]
    fn the_default_is_the_reference_server_protocol() {
        let c = parse("").unwrap();
        assert_eq!(
            (c.health.method.as_str(), c.health.path.as_str()),
            ("GET", "/sandbox/health")
        );
        assert_eq!(c.callback.path, "/sandbox/payu/callback-url");
        assert_eq!(c.complete.path, "/sandbox/payu/complete");
        assert_eq!(c.settled.via, SettledVia::VerifyPayment);
    }

    #[test]
    fn bad_mappings_are_refused_naming_the_field() {
        for (text, field) in [
            ("[complete]\nmethod = \"FETCH\"", "sandbox.complete.method"),
            ("[complete]\npath = \"control/settle\"", "sandbox.complete.path"),
            ("[complete]\ntxnid = \"\"", "sandbox.complete"),
            ("[complete]\nmethod = \"GET\"", "encoding = \"query\""),
            ("[callback]\nparam = \"\"", "sandbox.callback.param"),
            ("[callback]\nvia = \"none\"", "sandbox.callback.via"),
            ("[health]\nvia = \"out-of-band\"", "sandbox.health.via"),
            (
                "[settled]\nvia = \"status_url\"\nurl = \"/s/{txnid}\"\npointer = \"state\"\nsuccess = \"ok\"",
                "pointer",
            ),
            (
                "[settled]\nvia = \"status_url\"\nurl = \"/s/{txnid}\"\npointer = \"/state\"",
                "sandbox.settled.success",
            ),
            ("callback_wait_ms = 0", "callback_wait_ms"),
            ("mode = \"robot\"", "unknown variant"),
            ("[complete]\nid = \"x\"", "unknown field"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(format!("{e:#}").contains(field), "{text}: {e:#}");
        }
        assert!(parse("[complete]\npath = \"/pay/{txnid}/settle\"\ntxnid = \"\"").is_ok());
    }

    #[test]
    fn control_headers_come_from_the_environment_and_errors_show_no_value() {
        let env = |name: &str| (name == "CTL_TOKEN").then(|| "s3cret".to_owned());
        let mut c: SandboxConfig = toml::from_str("[headers]\nx-control-token = \"${CTL_TOKEN}\"").unwrap();
        c.resolve_headers(&env).unwrap();
        c.check().unwrap();
        assert_eq!(
            c.control_headers(),
            vec![("x-control-token".to_owned(), "s3cret".to_owned())]
        );
        assert_eq!(c.header_env["x-control-token"], "CTL_TOKEN");
        for (text, words) in [
            ("[headers]\nx-control-token = \"s3cret\"", "not literally"),
            ("[headers]\nx-control-token = \"${MISSING}\"", "MISSING is not set"),
            (
                "[headers]\nx-control-token = \"${A-B}\"",
                "not an environment variable name",
            ),
        ] {
            let mut c: SandboxConfig = toml::from_str(text).unwrap();
            let e = c.resolve_headers(&env).unwrap_err().to_string();
            assert!(
                e.contains(words) && e.contains("sandbox.headers.x-control-token"),
                "{e}"
            );
            assert!(!e.contains("s3cret"), "{e}");
        }
        let bad_value = |name: &str| (name == "CTL_TOKEN").then(|| "a\nb".to_owned());
        let mut c: SandboxConfig = toml::from_str("[headers]\nx-t = \"${CTL_TOKEN}\"").unwrap();
        c.resolve_headers(&bad_value).unwrap();
        let e = c.check().unwrap_err().to_string();
        assert!(e.contains("sandbox.headers.x-t") && !e.contains("a\nb"), "{e}");
        assert!(parse("[headers]\n\"bad header\" = \"${X}\"").is_err());
    }

    #[test]
    fn modes_parse_from_the_command_line_words() {
        assert_eq!("manual".parse::<SandboxMode>(), Ok(SandboxMode::Manual));
        assert!("robot".parse::<SandboxMode>().is_err());
    }
}
