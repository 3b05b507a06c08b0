//! Reading what the crypto subcommands work on: a file or standard input taken byte for byte
//! (signatures cover exact bytes), key files, and PayU/TPV fields given as JSON or `name=value`.
//! Every read is capped before it starts ([`file_capped`], [`stdin_capped`]; `run --config`
//! and `audit` read through the same `upi_spec::read::read_capped`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use upi_spec::crypto::keys::{PrivateKey, PublicKey, private_key_from_pem, public_key_from_pem};
use upi_spec::crypto::payu_hash::Salt;
use upi_spec::read::read_capped;

/// The largest payload, body or fields input read (sign, verify, hash).
pub const MAX_INPUT_BYTES: u64 = 8 << 20;
/// The largest key or salt file read (an 8192-bit private key PEM is about 6.5 KB).
pub const MAX_KEY_FILE_BYTES: u64 = 64 << 10;

/// At most `limit` bytes of the file at `path` (`what` names it in errors); a larger file is
/// an error naming the limit, found after reading `limit + 1` bytes (so `/dev/zero` is safe).
pub fn file_capped(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot read {what} {}", path.display()))?;
    read_capped(file, limit).with_context(|| format!("cannot read {what} {}", path.display()))
}

/// At most `limit` bytes of standard input.
pub fn stdin_capped(limit: u64) -> Result<Vec<u8>> {
    read_capped(std::io::stdin().lock(), limit).context("cannot read standard input")
}

/// The bytes of `file`, or of standard input when no file is given, at most
/// [`MAX_INPUT_BYTES`]. Nothing is trimmed.
pub fn bytes(file: Option<&Path>) -> Result<Vec<u8>> {
    match file {
        Some(path) => file_capped(path, MAX_INPUT_BYTES, "file"),
        None => stdin_capped(MAX_INPUT_BYTES),
    }
}

/// Like [`bytes`], as UTF-8 text.
pub fn text(file: Option<&Path>) -> Result<String> {
    String::from_utf8(bytes(file)?).context("input is not UTF-8")
}

fn pem(path: &Path) -> Result<String> {
    let bytes = file_capped(path, MAX_KEY_FILE_BYTES, "key file")?;
    String::from_utf8(bytes).with_context(|| format!("key file {} is not UTF-8 text", path.display()))
}

/// A private key from a PEM file. The error names the file, never its content.
pub fn private_key(path: &Path) -> Result<PrivateKey> {
    private_key_from_pem(&pem(path)?).with_context(|| format!("key file {}", path.display()))
}

/// A public key from a PEM file.
pub fn public_key(path: &Path) -> Result<PublicKey> {
    public_key_from_pem(&pem(path)?).with_context(|| format!("key file {}", path.display()))
}

/// A salt from `--salt` or `--salt-file` (the file's content without its final newline).
pub fn salt(value: Option<&str>, file: Option<&Path>) -> Result<Option<Salt>> {
    match (value, file) {
        (Some(v), None) => Ok(Some(Salt::new(v))),
        (None, Some(path)) => {
            let bytes = file_capped(path, MAX_KEY_FILE_BYTES, "salt file")?;
            let text =
                String::from_utf8(bytes).with_context(|| format!("salt file {} is not UTF-8", path.display()))?;
            let line = text.strip_suffix('\n').unwrap_or(&text);
            Ok(Some(Salt::new(line.strip_suffix('\r').unwrap_or(line))))
        }
        (None, None) => Ok(None),
        (Some(_), Some(_)) => bail!("give --salt or --salt-file, not both"),
    }
}

/// Fields from repeated `--field name=value`, or, when there is none, a JSON object of strings
/// on standard input.
pub fn fields(pairs: &[String], stdin_file: Option<&PathBuf>) -> Result<BTreeMap<String, String>> {
    let mut fields = BTreeMap::new();
    if pairs.is_empty() {
        let text = text(stdin_file.map(PathBuf::as_path))?;
        let value: serde_json::Value = serde_json::from_str(&text).context("fields on standard input are not JSON")?;
        let serde_json::Value::Object(object) = value else {
            bail!("fields on standard input must be a JSON object of strings");
        };
        for (name, value) in object {
            let serde_json::Value::String(value) = value else {
                bail!(
                    "field {name:?} is not a JSON string (values are hashed exactly as sent, so give them as strings)"
                );
            };
            fields.insert(name, value);
        }
    } else {
        for pair in pairs {
            let Some((name, value)) = pair.split_once('=') else {
                bail!("--field {pair:?} is not name=value");
            };
            if fields.insert(name.to_owned(), value.to_owned()).is_some() {
                bail!("field {name:?} given twice");
            }
        }
    }
    Ok(fields)
}
