//! `upi-conformance hash payu-request|payu-response|payu-command|tpv`: prints a PayU hash or a
//! TPV payerAccountHash; `--explain` prints the exact string hashed, slot by slot, with the salt
//! shown as `<salt>`; `--expect` compares with a received hash (exit 1 on mismatch).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use clap::{Args, ValueEnum};
use upi_spec::crypto::payu_hash::{self, Preimage, SALT_PLACEHOLDER};
use upi_spec::crypto::payu_names;
use upi_spec::crypto::payu_sequence::{HashFamily, Slot};
use upi_spec::crypto::tpv;

use super::input;

/// Which hash to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HashKind {
    /// PayU `_payment` request hash.
    PayuRequest,
    /// PayU callback/webhook reverse hash.
    PayuResponse,
    /// PayU postservice command hash.
    PayuCommand,
    /// Merchant Stack TPV payerAccountHash (fields `account_number`, `ifsc`).
    Tpv,
}

/// Arguments of `hash`.
#[derive(Debug, Args)]
pub struct HashArgs {
    /// Which hash.
    kind: HashKind,
    /// A field as `name=value` (repeatable). Without any, a JSON object of strings is read from
    /// standard input.
    #[arg(long = "field", value_name = "NAME=VALUE")]
    fields: Vec<String>,
    /// Read the JSON fields from this file instead of standard input.
    #[arg(long, value_name = "PATH")]
    fields_file: Option<PathBuf>,
    /// The merchant salt (PayU hashes). Never printed.
    #[arg(long, value_name = "SALT")]
    salt: Option<String>,
    /// Read the salt from this file (first line).
    #[arg(long, value_name = "PATH")]
    salt_file: Option<PathBuf>,
    /// Print the exact string hashed with each slot named (the salt shown as `<salt>`).
    #[arg(long)]
    explain: bool,
    /// Compare with this received hash: exit 0 if it verifies, 1 with the broken rule if not.
    #[arg(long, value_name = "HASH")]
    expect: Option<String>,
}

/// Runs `hash`.
pub fn run(args: HashArgs) -> Result<ExitCode> {
    let fields = input::fields(&args.fields, args.fields_file.as_ref())?;
    let family = match args.kind {
        HashKind::PayuRequest => HashFamily::Request,
        HashKind::PayuResponse => HashFamily::Response,
        HashKind::PayuCommand => HashFamily::Command,
        HashKind::Tpv => return tpv_hash(&fields, &args),
    };
    let Some(salt) = input::salt(args.salt.as_deref(), args.salt_file.as_deref())? else {
        bail!("PayU hashes need --salt or --salt-file");
    };
    // PayU's SDKs post some hashed fields under their own names (`additionalCharges`): read
    // those as the sequence names them, and refuse any other look-alike spelling rather than
    // leave its value out of the hash.
    let fields = match payu_names::canonical(family, &fields) {
        Ok((fields, renamed)) => {
            for r in renamed {
                eprintln!(
                    "note: read `{}` as `{}` (PayU SDK spelling; the documents name it `{}`)",
                    r.sent, r.canonical, r.canonical
                );
            }
            fields
        }
        Err(e) => {
            outln!("invalid: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let preimage = match Preimage::new(family, &fields) {
        Ok(p) => p,
        Err(e) => {
            outln!("invalid: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let hash = preimage.hash(&salt);
    if args.explain {
        explain(&preimage, &fields);
    }
    outln!("{hash}");
    if let Some(received) = &args.expect {
        return Ok(match payu_hash::verify(family, &fields, &salt, received) {
            Ok(()) => {
                outln!("valid");
                ExitCode::SUCCESS
            }
            Err(e) => {
                outln!("invalid: {e}");
                ExitCode::from(1)
            }
        });
    }
    Ok(ExitCode::SUCCESS)
}

fn explain(preimage: &Preimage, fields: &std::collections::BTreeMap<String, String>) {
    outln!("variant: {}", preimage.sequence.variant);
    outln!("hashed string: {}", preimage.masked_string());
    let rows = preimage.parts.iter().enumerate().map(|(i, part)| {
        let (name, value) = match part.slot {
            Slot::Field(name) if part.value.is_empty() => (name, "(empty)".to_owned()),
            Slot::Field(name) => (name, format!("{:?}", part.value)),
            Slot::Reserved => ("(reserved)", "(empty)".to_owned()),
            Slot::Salt => ("salt", SALT_PLACEHOLDER.to_owned()),
        };
        vec![format!("  {}", i + 1), name.to_owned(), value]
    });
    outln!("{}", super::style::columns(rows));
    let ignored: Vec<&str> = fields
        .keys()
        .map(String::as_str)
        .filter(|f| {
            !preimage
                .parts
                .iter()
                .any(|p| matches!(p.slot, Slot::Field(n) if n == *f))
        })
        .collect();
    if !ignored.is_empty() {
        outln!("not hashed: {}", ignored.join(", "));
    }
    out!("hash: ");
}

fn tpv_hash(fields: &std::collections::BTreeMap<String, String>, args: &HashArgs) -> Result<ExitCode> {
    if args.salt.is_some() || args.salt_file.is_some() {
        bail!("the TPV hash has no salt");
    }
    let get = |name: &str| {
        fields
            .get(name)
            .with_context(|| format!("tpv needs the field {name:?}"))
    };
    let (account, ifsc) = (get("account_number")?, get("ifsc")?);
    if let Some(extra) = fields.keys().find(|k| !matches!(k.as_str(), "account_number" | "ifsc")) {
        bail!("tpv takes only account_number and ifsc, not {extra:?}");
    }
    let hash = match tpv::payer_account_hash(account, ifsc) {
        Ok(hash) => hash,
        Err(e) => {
            outln!("invalid: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    if args.explain {
        if let Ok(input) = tpv::hashed_input(account, ifsc) {
            outln!("hashed input: {input}  (account number without leading zeros + first 4 characters of the IFSC)");
        }
        out!("hash: ");
    }
    outln!("{hash}");
    if let Some(received) = &args.expect {
        return Ok(match tpv::verify(account, ifsc, received) {
            Ok(()) => {
                outln!("valid");
                ExitCode::SUCCESS
            }
            Err(e) => {
                outln!("invalid: {e}");
                ExitCode::from(1)
            }
        });
    }
    Ok(ExitCode::SUCCESS)
}
