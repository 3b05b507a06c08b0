//! What a reference server is started with: the test-only credentials of each API, at most one
//! deliberate [`Fault`], and the limits. Keys arrive as PEM text; only
//! [`ServerConfig::from_key_dir`] reads files, and only when asked.

use std::path::Path;
use std::time::Duration;

use upi_spec::crypto::PrivateKey;
use upi_spec::crypto::freshness::FreshnessWindow;
use upi_spec::crypto::keys::{self, KeyError, KeyRing};
use upi_spec::crypto::payu_hash::Salt;

use crate::fault::Fault;
use crate::readings::Readings;

/// The merchant's request-signing public key shipped in `golden/keys/` (test only).
const TEST_MERCHANT_PUBLIC_PEM: &str = include_str!("../../golden/keys/merchant_signing.pub.pem");
/// The PSP's response-signing private key shipped in `golden/keys/` (test only).
const TEST_PSP_PRIVATE_PEM: &str = include_str!("../../golden/keys/psp_response_signing.pem");

/// File names [`ServerConfig::from_key_dir`] reads.
pub const MERCHANT_PUBLIC_KEY_FILE: &str = "merchant_signing.pub.pem";
/// See [`MERCHANT_PUBLIC_KEY_FILE`].
pub const PSP_PRIVATE_KEY_FILE: &str = "psp_response_signing.pem";

/// Why a configuration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A key file could not be read.
    #[error("reading {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A PEM text is not a usable RSA key.
    #[error("{what}: {source}")]
    Key {
        /// Which key.
        what: &'static str,
        /// Why it is unusable.
        source: KeyError,
    },
}

/// Juspay EC (seed 001 `/txns` and the `/orders` it presupposes).
#[derive(Debug, Clone)]
pub struct EcCredentials {
    /// The merchant account ID (`merchant_id`).
    pub merchant_id: String,
    /// The API key, sent as the HTTP Basic user name with an empty password.
    pub api_key: String,
    /// The payee VPA returned as `sdk_params.merchant_vpa`.
    pub payee_vpa: String,
    /// The payee name returned as `sdk_params.merchant_name`.
    pub payee_name: String,
    /// The merchant category code returned as `sdk_params.mcc`.
    pub mcc: String,
}

/// Juspay UPI Merchant Stack (seed 003 `registerIntent`).
#[derive(Debug, Clone)]
pub struct MerchantStackCredentials {
    /// The only accepted `x-merchant-id`.
    pub merchant_id: String,
    /// The only accepted `x-merchant-channel-id`.
    pub merchant_channel_id: String,
    /// Request-signing public keys by JWS `kid`.
    pub request_keys: KeyRing,
    /// The PSP key that signs 200 responses (`x-response-signature`).
    pub response_key: PrivateKey,
    /// The payee returned in every registered intent.
    pub payee_vpa: String,
    /// See [`MerchantStackCredentials::payee_vpa`].
    pub payee_name: String,
    /// See [`MerchantStackCredentials::payee_vpa`].
    pub payee_mcc: String,
}

/// PayU (seed 004).
#[derive(Debug, Clone)]
pub struct PayuCredentials {
    /// The merchant key.
    pub key: String,
    /// The merchant salt (its `Debug` is redacted).
    pub salt: Salt,
    /// `result.merchantName` and the deeplink's `pn`.
    pub merchant_name: String,
    /// `result.merchantVpa` and the deeplink's `pa`.
    pub merchant_vpa: String,
}

/// Limits and timings.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request body accepted; larger ones get HTTP 413.
    pub max_body_bytes: usize,
    /// How long an EC order can be paid after its creation.
    pub order_lifetime: Duration,
    /// The window for the registerIntent `iat` and `x-timestamp`.
    pub freshness: FreshnessWindow,
    /// The delay of the `slow-response` fault.
    pub slow_response_delay: Duration,
    /// How long the S2S callback may take to be accepted.
    pub callback_timeout: Duration,
    /// How long a request head may take to arrive, counted from when the server starts waiting
    /// for it (so it also ends idle keep-alive connections).
    pub header_read_timeout: Duration,
    /// How long a request body may take to arrive in total, counted from its head; a later body
    /// gets HTTP 408 and the connection is closed.
    pub body_read_timeout: Duration,
    /// Most connections served at once; one more gets HTTP 503 naming the limit and is closed.
    pub max_connections: usize,
    /// How long a registered intent is remembered when its request has no
    /// `intentRequestExpiryMinutes` (with one, that many minutes, at
    /// most [`Limits::max_intent_lifetime`]).
    pub intent_lifetime: Duration,
    /// The longest `intentRequestExpiryMinutes` honoured.
    pub max_intent_lifetime: Duration,
    /// How long a PayU payment is remembered (the seeds give it no lifetime).
    pub payment_lifetime: Duration,
    /// Most orders, intents and payments each remembered at once; past it the one closest to
    /// its expiry is forgotten first.
    pub state_capacity: usize,
}

impl Default for Limits {
    /// 1 MiB bodies, 15-minute orders, a 5-minute freshness window (1 minute of clock skew),
    /// 3 s for `slow-response`, 5 s for callbacks, 10 s for a request head and 30 s for a body,
    /// 4,096 connections, intents kept 15 minutes (at most 24 hours), payments 24 hours, and
    /// 20,000 of each kind of state (a full store is about 60 MB, mostly the PayU payments'
    /// posted fields).
    fn default() -> Self {
        Limits {
            max_body_bytes: 1 << 20,
            order_lifetime: Duration::from_secs(15 * 60),
            freshness: FreshnessWindow::default(),
            slow_response_delay: Duration::from_secs(3),
            callback_timeout: Duration::from_secs(5),
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            max_connections: 4096,
            intent_lifetime: Duration::from_secs(15 * 60),
            max_intent_lifetime: Duration::from_secs(24 * 60 * 60),
            payment_lifetime: Duration::from_secs(24 * 60 * 60),
            state_capacity: 20_000,
        }
    }
}

/// Everything a server needs.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Juspay EC.
    pub ec: EcCredentials,
    /// Juspay Merchant Stack.
    pub merchant: MerchantStackCredentials,
    /// PayU.
    pub payu: PayuCredentials,
    /// The one deliberate defect switched on, if any.
    pub fault: Option<Fault>,
    /// Limits and timings.
    pub limits: Limits,
    /// Where the client report is written (`serve --client-report`), if anywhere; it is
    /// served at `GET /sandbox/report` either way.
    pub client_report: Option<std::path::PathBuf>,
    /// The readings of ambiguous seed sentences the server follows (`serve --reading`).
    pub readings: Readings,
    /// Whether requests breaking only `should` rules are accepted (`serve --lenient`): the server
    /// then refuses only what a seed sentence states. By default it is a strict sandbox that also
    /// refuses every `should` rule its models declare, naming the rule and saying `should`.
    pub lenient: bool,
}

impl ServerConfig {
    /// The documented test-only credentials (see `refserver/README.md`) with the given keys:
    /// the merchant's request-signing public key (registered as `kid` `merchant-key-1`) and the
    /// PSP's response-signing private key.
    pub fn with_keys(merchant_public_pem: &str, psp_private_pem: &str) -> Result<ServerConfig, ConfigError> {
        let public = keys::public_key_from_pem(merchant_public_pem).map_err(|source| ConfigError::Key {
            what: "merchant request-signing public key",
            source,
        })?;
        let response_key = keys::private_key_from_pem(psp_private_pem).map_err(|source| ConfigError::Key {
            what: "PSP response-signing private key",
            source,
        })?;
        let mut request_keys = KeyRing::new();
        request_keys.insert("merchant-key-1", public);
        Ok(ServerConfig {
            ec: EcCredentials {
                merchant_id: "upi_conformance_test".into(),
                api_key: "test_api_key".into(),
                payee_vpa: "merchant@testbank".into(),
                payee_name: "Test Merchant".into(),
                mcc: "5411".into(),
            },
            merchant: MerchantStackCredentials {
                merchant_id: "TEST".into(),
                merchant_channel_id: "TESTAPP".into(),
                request_keys,
                response_key,
                payee_vpa: "merchant@testbank".into(),
                payee_name: "Test Merchant".into(),
                payee_mcc: "5411".into(),
            },
            payu: PayuCredentials {
                key: "JPM7Fg".into(),
                salt: Salt::new("upiConformanceTestSalt"),
                merchant_name: "Test Merchant".into(),
                merchant_vpa: "merchant@testbank".into(),
            },
            fault: None,
            limits: Limits::default(),
            client_report: None,
            readings: Readings::default(),
            lenient: false,
        })
    }

    /// The test-only configuration with the keys of `golden/keys/`, compiled in.
    pub fn test_defaults() -> ServerConfig {
        // The compiled-in keys are fixed test material; a test proves they load.
        ServerConfig::with_keys(TEST_MERCHANT_PUBLIC_PEM, TEST_PSP_PRIVATE_PEM)
            .expect("the test keys in golden/keys are valid 2048-bit RSA PEM")
    }

    /// The test-only credentials with the keys read from `dir`
    /// ([`MERCHANT_PUBLIC_KEY_FILE`] and [`PSP_PRIVATE_KEY_FILE`]).
    pub fn from_key_dir(dir: &Path) -> Result<ServerConfig, ConfigError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                path: path.display().to_string(),
                source,
            })
        };
        ServerConfig::with_keys(&read(MERCHANT_PUBLIC_KEY_FILE)?, &read(PSP_PRIVATE_KEY_FILE)?)
    }

    /// The same configuration with `fault` switched on (or off, with `None`).
    pub fn with_fault(mut self, fault: Option<Fault>) -> ServerConfig {
        self.fault = fault;
        self
    }

    /// The same configuration writing its client report to `file`.
    pub fn with_client_report(mut self, file: Option<std::path::PathBuf>) -> ServerConfig {
        self.client_report = file;
        self
    }

    /// The same configuration following `readings`.
    pub fn with_readings(mut self, readings: Readings) -> ServerConfig {
        self.readings = readings;
        self
    }

    /// The same configuration, accepting (`true`) or refusing (`false`, the default) requests
    /// that break only `should` rules.
    pub fn with_lenient(mut self, lenient: bool) -> ServerConfig {
        self.lenient = lenient;
        self
    }

    /// Whether the server follows the reading `id` (chosen, or its erratum's default).
    pub fn follows(&self, id: &str) -> bool {
        self.readings.follows(id)
    }

    /// Whether `fault` is the one switched on.
    pub fn has(&self, fault: Fault) -> bool {
        self.fault.as_ref() == Some(&fault)
    }

    /// Whether the fault switched on makes the server ignore the request rule `rule_id`.
    pub fn ignores(&self, rule_id: &str) -> bool {
        self.fault.as_ref().is_some_and(|f| f.ignores(rule_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_in_test_keys_load() {
        let config = ServerConfig::test_defaults();
        assert!(config.merchant.request_keys.get("merchant-key-1").is_some());
        assert!(config.fault.is_none());
    }

    #[test]
    fn a_bad_key_is_an_error_not_a_panic() {
        let err = ServerConfig::with_keys("garbage", TEST_PSP_PRIVATE_PEM).unwrap_err();
        assert!(err.to_string().contains("merchant request-signing public key"));
        let err = ServerConfig::from_key_dir(Path::new("/nonexistent")).unwrap_err();
        assert!(matches!(err, ConfigError::Read { .. }));
    }
}
