//! `upi-conformance sign jws|signature-payload|response-signature`: signs the exact bytes read
//! from a file or standard input with a PEM private key. Keys are never printed.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use clap::{Args, Subcommand, ValueEnum};
use upi_spec::crypto::{SignatureAlgorithm, jws, response_signature, signature_payload};

use super::input;

/// JWS algorithm on the command line.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum Alg {
    /// RSASSA-PKCS1-v1_5 SHA-256 (default).
    #[default]
    Rs256,
    /// RSASSA-PSS SHA-256.
    Ps256,
}

impl From<Alg> for SignatureAlgorithm {
    fn from(alg: Alg) -> Self {
        match alg {
            Alg::Rs256 => SignatureAlgorithm::Rs256,
            Alg::Ps256 => SignatureAlgorithm::Ps256,
        }
    }
}

/// Arguments of `sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    #[command(subcommand)]
    what: SignWhat,
}

#[derive(Debug, Subcommand)]
enum SignWhat {
    /// Wrap a Merchant Stack request JSON in a flattened JWS; prints the request body.
    Jws {
        /// PEM private key (PKCS#8 or PKCS#1).
        #[arg(long, value_name = "PEM")]
        key: PathBuf,
        /// Key ID for the protected header.
        #[arg(long)]
        kid: String,
        /// Signature algorithm.
        #[arg(long, value_enum, default_value_t)]
        alg: Alg,
        /// The request JSON (default: standard input, taken byte for byte).
        #[arg(long, value_name = "PATH")]
        payload_file: Option<PathBuf>,
    },
    /// Sign a TPAP signaturePayload string exactly as it will be sent; prints the base64 signature.
    SignaturePayload {
        /// PEM private key.
        #[arg(long, value_name = "PEM")]
        key: PathBuf,
        /// The signaturePayload (default: standard input, byte for byte: beware `echo`'s newline).
        #[arg(long, value_name = "PATH")]
        payload_file: Option<PathBuf>,
    },
    /// Sign a raw Merchant Stack response body; prints the x-response-signature value.
    ResponseSignature {
        /// The PSP's PEM private key.
        #[arg(long, value_name = "PEM")]
        key: PathBuf,
        /// The response body (default: standard input, byte for byte).
        #[arg(long, value_name = "PATH")]
        body_file: Option<PathBuf>,
    },
}

/// Runs `sign`.
pub fn run(args: SignArgs) -> Result<ExitCode> {
    let output = match args.what {
        SignWhat::Jws {
            key,
            kid,
            alg,
            payload_file,
        } => {
            let key = input::private_key(&key)?;
            let payload = input::text(payload_file.as_deref())?;
            jws::sign(&key, alg.into(), &kid, &payload)
                .map_err(|e| anyhow!(e))?
                .to_json()
        }
        SignWhat::SignaturePayload { key, payload_file } => {
            let key = input::private_key(&key)?;
            let payload = input::text(payload_file.as_deref())?;
            signature_payload::sign(&key, &payload).map_err(|e| anyhow!(e))?
        }
        SignWhat::ResponseSignature { key, body_file } => {
            let key = input::private_key(&key)?;
            let body = input::bytes(body_file.as_deref())?;
            response_signature::sign(&key, &body).map_err(|e| anyhow!(e))?
        }
    };
    outln!("{output}");
    Ok(ExitCode::SUCCESS)
}
