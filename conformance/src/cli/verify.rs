//! `upi-conformance verify jws|signature-payload|response-signature`: verifies with PEM public
//! keys and prints `valid` (exit 0) or `invalid: <rule>: <reason>` (exit 1).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result, bail};
use clap::{Args, Subcommand};
use upi_spec::crypto::freshness::FreshnessWindow;
use upi_spec::crypto::jws::{self, JwsPolicy};
use upi_spec::crypto::keys::KeyRing;
use upi_spec::crypto::{response_signature, signature_payload};

use super::input;
use super::sign::Alg;

/// Arguments of `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(subcommand)]
    what: VerifyWhat,
}

#[derive(Debug, Subcommand)]
enum VerifyWhat {
    /// Verify a Merchant Stack request body (flattened JWS).
    Jws {
        /// A key as KID=PATH to a PEM public key (repeatable).
        #[arg(long = "key", value_name = "KID=PEM", required = true)]
        keys: Vec<String>,
        /// The only algorithm accepted.
        #[arg(long, value_enum, default_value_t)]
        alg: Alg,
        /// The verifier's clock in epoch milliseconds (default: this machine's clock).
        #[arg(long, value_name = "MILLIS")]
        now_millis: Option<u64>,
        /// The request's x-timestamp header, checked against the window when given.
        #[arg(long, value_name = "MILLIS")]
        x_timestamp: Option<String>,
        /// How old iat and x-timestamp may be.
        #[arg(long, value_name = "MILLIS", default_value_t = FreshnessWindow::default().max_age_millis)]
        max_age_ms: u64,
        /// How far ahead iat and x-timestamp may be.
        #[arg(long, value_name = "MILLIS", default_value_t = FreshnessWindow::default().max_skew_millis)]
        max_skew_ms: u64,
        /// Accept a payload without iat (registerIntent V2 and V1).
        #[arg(long)]
        iat_optional: bool,
        /// The request body (default: standard input).
        #[arg(long, value_name = "PATH")]
        body_file: Option<PathBuf>,
    },
    /// Verify a TPAP signature over the exact signaturePayload string.
    SignaturePayload {
        /// PEM public key of the merchantKeyId.
        #[arg(long, value_name = "PEM")]
        key: PathBuf,
        /// The base64 signature.
        #[arg(long)]
        signature: String,
        /// The signaturePayload (default: standard input, byte for byte).
        #[arg(long, value_name = "PATH")]
        payload_file: Option<PathBuf>,
    },
    /// Verify an x-response-signature over a raw response body.
    ResponseSignature {
        /// The PSP's PEM public key.
        #[arg(long, value_name = "PEM")]
        key: PathBuf,
        /// The x-response-signature header value.
        #[arg(long)]
        signature: String,
        /// The response body (default: standard input, byte for byte).
        #[arg(long, value_name = "PATH")]
        body_file: Option<PathBuf>,
    },
}

fn verdict<E: std::fmt::Display>(outcome: Result<(), E>) -> ExitCode {
    match outcome {
        Ok(()) => {
            outln!("valid");
            ExitCode::SUCCESS
        }
        Err(e) => {
            outln!("invalid: {e}");
            ExitCode::from(1)
        }
    }
}

/// Runs `verify`.
pub fn run(args: VerifyArgs) -> Result<ExitCode> {
    Ok(match args.what {
        VerifyWhat::Jws {
            keys,
            alg,
            now_millis,
            x_timestamp,
            max_age_ms,
            max_skew_ms,
            iat_optional,
            body_file,
        } => {
            let mut ring = KeyRing::new();
            for entry in &keys {
                let Some((kid, path)) = entry.split_once('=') else {
                    bail!("--key {entry:?} is not KID=PATH");
                };
                if ring.get(kid).is_some() {
                    bail!("--key {kid:?} is given twice (each kid names one key)");
                }
                ring.insert(kid, input::public_key(path.as_ref())?);
            }
            let now = match now_millis {
                Some(now) => now,
                None => {
                    let since = SystemTime::now()
                        .duration_since(UNIX_EPOCH)
                        .context("system clock before 1970")?;
                    u64::try_from(since.as_millis()).context("system clock out of range")?
                }
            };
            let policy = JwsPolicy {
                algorithm: alg.into(),
                window: FreshnessWindow {
                    max_age_millis: max_age_ms,
                    max_skew_millis: max_skew_ms,
                },
                require_iat: !iat_optional,
            };
            let body = input::text(body_file.as_deref())?;
            match jws::verify_body(&body, &ring, &policy, now, x_timestamp.as_deref()) {
                Ok(verified) => {
                    outln!("valid (kid {})", verified.kid);
                    outln!("{}", verified.payload_json);
                    ExitCode::SUCCESS
                }
                Err(e) => verdict(Err(e)),
            }
        }
        VerifyWhat::SignaturePayload {
            key,
            signature,
            payload_file,
        } => {
            let key = input::public_key(&key)?;
            let payload = input::text(payload_file.as_deref())?;
            verdict(signature_payload::verify(&key, &payload, &signature))
        }
        VerifyWhat::ResponseSignature {
            key,
            signature,
            body_file,
        } => {
            let key = input::public_key(&key)?;
            let body = input::bytes(body_file.as_deref())?;
            verdict(response_signature::verify(&key, &body, &signature))
        }
    })
}
