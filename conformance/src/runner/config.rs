//! The run configuration: where each API lives, the credentials to use, timeouts and a request
//! rate limit. Read from TOML (`--config FILE`); the defaults are the reference server's
//! documented TEST-ONLY credentials, so a run with no config targets the embedded server.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

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
    /// Sandbox control endpoints (reference server only).
    pub sandbox: Option<String>,
}

/// Juspay EC credentials.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EcCredentials {
    /// `merchant_id` form field.
    pub merchant_id: String,
    /// API key (Basic auth user name for `/orders`).
    pub api_key: String,
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
    /// Salt (secret; never printed).
    pub salt: String,
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

/// The repository's `golden/keys/` (TEST-ONLY keys), found next to the crate or the current
/// directory.
pub fn keys_dir() -> PathBuf {
    let candidates = [
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../golden/keys"),
        PathBuf::from("golden/keys"),
    ];
    candidates
        .iter()
        .find(|p| p.is_dir())
        .cloned()
        .unwrap_or_else(|| candidates[1].clone())
}

impl RunConfig {
    /// Reads a TOML configuration file.
    pub fn from_file(path: &Path) -> Result<RunConfig> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }

    /// The base URL of an API (without a trailing slash), if configured.
    pub fn base(&self, api: Api) -> Option<String> {
        let specific = match api {
            Api::Ec => &self.targets.ec,
            Api::Merchant => &self.targets.merchant,
            Api::Payu => &self.targets.payu,
            Api::Sandbox => &self.targets.sandbox,
        };
        specific
            .clone()
            .or_else(|| self.targets.base.clone())
            .map(|u| u.trim_end_matches('/').to_string())
    }
}

/// The APIs a run talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// Juspay EC.
    Ec,
    /// Juspay Merchant Stack.
    Merchant,
    /// PayU.
    Payu,
    /// The reference server's sandbox control.
    Sandbox,
}
