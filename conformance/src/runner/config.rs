//! The run configuration: where each API lives, the credentials to use, timeouts and a request
//! rate limit. Read from TOML (`--config FILE`); the defaults are the reference server's
//! documented TEST-ONLY credentials, so a run with no config targets the embedded server.

use std::path::{Path, PathBuf};

use std::io::Read;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use super::http::Secret;

/// Largest configuration file read, in bytes.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Accepted range of `limits.request_timeout_ms`.
pub const REQUEST_TIMEOUT_MS: std::ops::RangeInclusive<u64> = 1..=600_000;
/// Accepted range of `limits.max_response_bytes`.
pub const MAX_RESPONSE_BYTES: std::ops::RangeInclusive<usize> = 1..=(64 << 20);
/// Accepted range of `limits.generated_per_message`.
pub const GENERATED_PER_MESSAGE: std::ops::RangeInclusive<usize> = 0..=1_000;

/// Reads at most [`MAX_CONFIG_BYTES`] of a file (so `/dev/zero` is refused, not read forever).
fn read_bounded(path: &Path) -> Result<String> {
    let file = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        bail!(
            "{} is larger than {MAX_CONFIG_BYTES} bytes: not a configuration",
            path.display()
        );
    }
    String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8", path.display()))
}

/// A config value: from the variable `env_name` when given, `${VAR}` from that variable,
/// otherwise the literal. A missing variable is an error naming it and the field.
fn resolve(field: &str, value: &str, env_name: Option<&str>, env: &impl Fn(&str) -> Option<String>) -> Result<String> {
    let name = match env_name {
        Some(name) => name.trim_start_matches("${").trim_end_matches('}'),
        None => match value.strip_prefix("${").and_then(|v| v.strip_suffix('}')) {
            Some(name) => name,
            None => return Ok(value.to_string()),
        },
    };
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        bail!("{field}: {name:?} is not an environment variable name");
    }
    match env(name) {
        Some(v) if !v.is_empty() => Ok(v),
        Some(_) => bail!("{field}: environment variable {name} is empty"),
        None => bail!("{field}: environment variable {name} is not set"),
    }
}

impl Limits {
    /// Checks every limit against its accepted range.
    pub fn check(&self) -> Result<()> {
        if !REQUEST_TIMEOUT_MS.contains(&self.request_timeout_ms) {
            bail!(
                "limits.request_timeout_ms = {} is out of range {}..={}",
                self.request_timeout_ms,
                REQUEST_TIMEOUT_MS.start(),
                REQUEST_TIMEOUT_MS.end()
            );
        }
        if !MAX_RESPONSE_BYTES.contains(&self.max_response_bytes) {
            bail!(
                "limits.max_response_bytes = {} is out of range {}..={}",
                self.max_response_bytes,
                MAX_RESPONSE_BYTES.start(),
                MAX_RESPONSE_BYTES.end()
            );
        }
        if !GENERATED_PER_MESSAGE.contains(&self.generated_per_message) {
            bail!(
                "limits.generated_per_message = {} is out of range {}..={}",
                self.generated_per_message,
                GENERATED_PER_MESSAGE.start(),
                GENERATED_PER_MESSAGE.end()
            );
        }
        Ok(())
    }
}

/// A complete run configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RunConfig {
    /// Base URLs; `base` is used for any API without its own.
    pub targets: Targets,
    /// Juspay EC credentials.
    pub ec: EcCredentials,
    /// Juspay Merchant Stack credentials and keys.
    pub merchant: MerchantCredentials,
    /// PayU credentials.
    pub payu: PayuCredentials,
    /// Limits.
    pub limits: Limits,
    /// How payments are completed in the sandbox (default: the reference server's control API).
    pub sandbox: super::sandbox::SandboxConfig,
}

/// Base URL per API.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Targets {
    /// Default base URL for every API.
    pub base: Option<String>,
    /// Juspay EC (`/orders`, `/txns`).
    pub ec: Option<String>,
    /// Juspay Merchant Stack (`/api/{uri}/merchants/...`).
    pub merchant: Option<String>,
    /// PayU (`/_payment`, `/merchant/postservice.php`).
    pub payu: Option<String>,
    /// The sandbox control API (`[sandbox]` maps its endpoints; default: the reference server's).
    pub sandbox: Option<String>,
}

/// Juspay EC credentials.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EcCredentials {
    /// `merchant_id` form field.
    pub merchant_id: String,
    /// API key (Basic auth user name for `/orders`); `${VAR}` reads it from the environment.
    pub api_key: String,
    /// Environment variable holding the API key (overrides `api_key`).
    pub api_key_env: Option<String>,
    /// Customer ID, sent as `x-routing-id`.
    pub customer_id: String,
}

/// Juspay Merchant Stack credentials.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MerchantCredentials {
    /// `{uri}` path segment.
    pub uri: String,
    /// `x-merchant-id`.
    pub merchant_id: String,
    /// `x-merchant-channel-id`.
    pub channel_id: String,
    /// JWS `kid`.
    pub key_id: String,
    /// PEM file of the merchant's private signing key.
    pub signing_key: PathBuf,
    /// PEM file of another key (for wrong-key cases).
    pub wrong_key: PathBuf,
    /// PEM file of the PSP's public key that signs responses (`x-response-signature`).
    pub psp_public_key: PathBuf,
}

/// PayU credentials.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PayuCredentials {
    /// Merchant key.
    pub key: String,
    /// Salt (secret; never printed); `${VAR}` reads it from the environment.
    pub salt: String,
    /// Environment variable holding the salt (overrides `salt`).
    pub salt_env: Option<String>,
}

/// Timeouts, size caps and the request rate limit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Per-request timeout in milliseconds.
    pub request_timeout_ms: u64,
    /// Largest response body read, in bytes.
    pub max_response_bytes: usize,
    /// Requests per second (0: unlimited).
    pub requests_per_second: u32,
    /// Generated positive cases per message.
    pub generated_per_message: usize,
}

impl Default for EcCredentials {
    fn default() -> Self {
        EcCredentials {
            merchant_id: "upi_conformance_test".into(),
            api_key: "test_api_key".into(),
            api_key_env: None,
            customer_id: "customer_1122".into(),
        }
    }
}

impl Default for MerchantCredentials {
    fn default() -> Self {
        let keys = keys_dir();
        MerchantCredentials {
            uri: "upi".into(),
            merchant_id: "TEST".into(),
            channel_id: "TESTAPP".into(),
            key_id: "merchant-key-1".into(),
            signing_key: keys.join("merchant_signing.pem"),
            wrong_key: keys.join("wrong_key.pem"),
            psp_public_key: keys.join("psp_response_signing.pub.pem"),
        }
    }
}

impl Default for PayuCredentials {
    fn default() -> Self {
        PayuCredentials {
            key: "JPM7Fg".into(),
            salt: "upiConformanceTestSalt".into(),
            salt_env: None,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            request_timeout_ms: 2_000,
            max_response_bytes: 1 << 20,
            requests_per_second: 0,
            generated_per_message: 3,
        }
    }
}

/// The TEST-ONLY keys of `golden/keys/`, compiled into the binary ([`crate::embedded`]).
pub fn keys_dir() -> PathBuf {
    crate::embedded::path("golden/keys")
}

impl RunConfig {
    /// Reads a TOML configuration file (at most [`MAX_CONFIG_BYTES`]), takes secrets from the
    /// environment where it says so, and checks the limits.
    pub fn from_file(path: &Path) -> Result<RunConfig> {
        let text = read_bounded(path)?;
        let config = RunConfig::from_toml(&text, |name| std::env::var(name).ok())
            .with_context(|| format!("in {}", path.display()))?;
        Ok(config)
    }

    /// Parses a configuration, resolving environment references through `env`, and checks it.
    pub fn from_toml(text: &str, env: impl Fn(&str) -> Option<String>) -> Result<RunConfig> {
        let mut config: RunConfig = toml::from_str(text).context("parsing the configuration")?;
        config.ec.api_key = resolve("ec.api_key", &config.ec.api_key, config.ec.api_key_env.as_deref(), &env)?;
        config.payu.salt = resolve("payu.salt", &config.payu.salt, config.payu.salt_env.as_deref(), &env)?;
        config.payu.key = resolve("payu.key", &config.payu.key, None, &env)?;
        config.ec.merchant_id = resolve("ec.merchant_id", &config.ec.merchant_id, None, &env)?;
        for (field, path) in [
            ("merchant.signing_key", &mut config.merchant.signing_key),
            ("merchant.wrong_key", &mut config.merchant.wrong_key),
            ("merchant.psp_public_key", &mut config.merchant.psp_public_key),
        ] {
            let text = path.to_string_lossy().into_owned();
            *path = PathBuf::from(resolve(field, &text, None, &env)?);
        }
        config.sandbox.resolve_headers(&env)?;
        config.limits.check()?;
        config.sandbox.check()?;
        Ok(config)
    }

    /// The secrets reports must never show, each with the environment variable a reproducer
    /// script reads it from (the one the config named, or `UPI_EC_API_KEY` / `UPI_PAYU_SALT`).
    /// The values of `[sandbox.headers]` are secrets too, named by their variables.
    pub fn secrets(&self) -> Vec<Secret> {
        let mut all = vec![
            Secret {
                name: self.payu.salt_env.clone().unwrap_or_else(|| "UPI_PAYU_SALT".into()),
                value: self.payu.salt.clone(),
            },
            Secret {
                name: self.ec.api_key_env.clone().unwrap_or_else(|| "UPI_EC_API_KEY".into()),
                value: self.ec.api_key.clone(),
            },
        ];
        all.extend(self.sandbox.headers.iter().map(|(header, value)| {
            Secret {
                name: self
                    .sandbox
                    .header_env
                    .get(header)
                    .cloned()
                    .unwrap_or_else(|| "UPI_SANDBOX_HEADER".into()),
                value: value.clone(),
            }
        }));
        all
    }

    /// The base URL of a service (without a trailing slash), if configured: its own
    /// `[targets]` key, else `[targets] base` (a service the configuration has no key for, an
    /// API a test declares, goes to `base`).
    pub fn base(&self, service: Api) -> Option<String> {
        self.targets
            .named(service)
            .cloned()
            .or_else(|| self.targets.base.clone())
            .map(|u| u.trim_end_matches('/').to_string())
    }
}

/// Which base URL a request goes to: a service of the API facts
/// ([`upi_spec::model::api::Service`]), named by its `[targets]` key.
pub use upi_spec::model::api::Service as Api;

/// The sandbox control API (mapped by `[sandbox]`), `[targets] sandbox`.
pub const SANDBOX: Api = Api::new("sandbox");

impl Targets {
    /// The services the configuration has a key of their own for, in `[targets]` order (the
    /// sandbox control API apart).
    pub const NAMED: [Api; 3] = [Api::EC, Api::MERCHANT, Api::PAYU];

    /// The base URL configured under the service's own key, if any.
    pub fn named(&self, service: Api) -> Option<&String> {
        match service.key {
            "ec" => self.ec.as_ref(),
            "merchant" => self.merchant.as_ref(),
            "payu" => self.payu.as_ref(),
            "sandbox" => self.sandbox.as_ref(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        (name == "PAYU_SALT").then(|| "fromEnvSalt".to_string())
    }

    #[test]
    fn secrets_come_from_the_environment() {
        let c = RunConfig::from_toml("[payu]\nsalt_env = \"PAYU_SALT\"\n", env).unwrap();
        assert_eq!(c.payu.salt, "fromEnvSalt");
        assert_eq!(c.secrets()[0].name, "PAYU_SALT");
        let c = RunConfig::from_toml("[payu]\nsalt = \"${PAYU_SALT}\"\n", env).unwrap();
        assert_eq!(c.payu.salt, "fromEnvSalt");
        let e = RunConfig::from_toml("[ec]\napi_key = \"${EC_KEY}\"\n", env).unwrap_err();
        assert!(format!("{e:#}").contains("EC_KEY is not set"), "{e:#}");
    }

    #[test]
    fn each_service_reads_its_own_key_else_base() {
        let c = RunConfig::from_toml(
            "[targets]\nbase = \"http://b/\"\npayu = \"http://p\"\nsandbox = \"http://s\"\n",
            env,
        )
        .unwrap();
        assert_eq!(c.base(Api::PAYU).as_deref(), Some("http://p"));
        assert_eq!(c.base(SANDBOX).as_deref(), Some("http://s"));
        assert_eq!(c.base(Api::EC).as_deref(), Some("http://b"));
        // A service the configuration has no key for (a test's own API) goes to `base`.
        assert_eq!(c.base(Api::new("toy")).as_deref(), Some("http://b"));
        let c = RunConfig::from_toml("[targets]\nec = \"http://e\"\n", env).unwrap();
        assert_eq!(c.base(Api::new("toy")), None);
        assert_eq!(c.base(Api::MERCHANT), None);
    }

    #[test]
    fn limits_out_of_range_are_refused() {
        for (line, field) in [
            ("generated_per_message = 1000000", "generated_per_message"),
            ("request_timeout_ms = 0", "request_timeout_ms"),
            ("max_response_bytes = 0", "max_response_bytes"),
        ] {
            let e = RunConfig::from_toml(&format!("[limits]\n{line}\n"), env).unwrap_err();
            assert!(format!("{e:#}").contains(field), "{e:#}");
        }
        assert!(RunConfig::from_toml("[limits]\ngenerated_per_message = 5\n", env).is_ok());
    }
}
