//! Reading what the crypto subcommands work on: a file or standard input taken byte for byte
//! (signatures cover exact bytes), key files, and PayU/TPV fields given as JSON or `name=value`.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use upi_spec::crypto::keys::{PrivateKey, PublicKey, private_key_from_pem, public_key_from_pem};
use upi_spec::crypto::payu_hash::Salt;

/// The bytes of `file`, or of standard input when no file is given. Nothing is trimmed.
pub fn bytes(file: Option<&Path>) -> Result<Vec<u8>> {
    match file {
        Some(path) => std::fs::read(path).with_context(|| format!("cannot read {}", path.display())),
        None => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .context("cannot read standard input")?;
            Ok(buf)
        }
    }
}

/// Like [`bytes`], as UTF-8 text.
pub fn text(file: Option<&Path>) -> Result<String> {
    String::from_utf8(bytes(file)?).context("input is not UTF-8")
}

fn pem(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read key file {}", path.display()))
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
            let text =
                std::fs::read_to_string(path).with_context(|| format!("cannot read salt file {}", path.display()))?;
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
