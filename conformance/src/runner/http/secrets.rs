//! Secrets (salts, API keys, Basic credentials) and where they hide: every text the runner
//! records is split into literal parts and secret parts, so reports show a named placeholder
//! and reproducer scripts read the secret from an environment variable. Signatures and hashes
//! over test data are not secrets: they are kept verbatim so a replay is accepted.

use aho_corasick::{AhoCorasick, MatchKind};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// A secret value and the environment variable a reproducer script reads it from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    /// Environment variable name (`UPI_PAYU_SALT`, or the one the config took it from).
    pub name: String,
    /// The value; never printed.
    pub value: String,
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret {
            name: "UPI_SECRET".into(),
            value,
        }
    }
}

/// How a secret appears in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Verbatim.
    Raw,
    /// Percent-encoded (form bodies, query strings).
    Percent,
    /// Base64 of `value:` (HTTP Basic credentials with an empty password).
    BasicUser,
    /// Base64 of the value.
    Base64,
}

/// A piece of a recorded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal bytes.
    Text(Vec<u8>),
    /// A secret, by environment-variable name, in the form it appeared in.
    Secret(String, Form),
}

/// A text with its secrets split out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Masked(pub Vec<Part>);

impl Masked {
    /// A text without secrets.
    pub fn literal(bytes: &[u8]) -> Masked {
        Masked(vec![Part::Text(bytes.to_vec())])
    }

    /// Whether any part is a secret.
    pub fn has_secret(&self) -> bool {
        self.0.iter().any(|p| matches!(p, Part::Secret(..)))
    }

    /// For people: lossy UTF-8 with `${NAME}` placeholders.
    pub fn display(&self) -> String {
        let mut out = String::new();
        for p in &self.0 {
            match p {
                Part::Text(t) => out.push_str(&String::from_utf8_lossy(t)),
                Part::Secret(name, Form::Raw | Form::Percent) => out.push_str(&format!("${{{name}}}")),
                Part::Secret(name, Form::BasicUser) => out.push_str(&format!("<base64 of ${{{name}}}:>")),
                Part::Secret(name, Form::Base64) => out.push_str(&format!("<base64 of ${{{name}}}>")),
            }
        }
        out
    }

    /// The literal bytes, if the text has no secret.
    pub fn bytes(&self) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        for p in &self.0 {
            match p {
                Part::Text(t) => out.extend_from_slice(t),
                Part::Secret(..) => return None,
            }
        }
        Some(out)
    }

    /// One shell word: literal parts quoted with `shell_words::quote`, secrets expanded from
    /// their environment variables (`"${NAME}"`, or a `base64` pipeline for Basic credentials).
    pub fn shell(&self) -> String {
        let mut out = String::new();
        let mut text: Vec<u8> = Vec::new();
        for p in self.0.iter().chain([&Part::Secret(String::new(), Form::Raw)]) {
            if let Part::Text(t) = p {
                text.extend_from_slice(t);
                continue;
            }
            if !text.is_empty() {
                out.push_str(&shell_words::quote(&String::from_utf8_lossy(&text)));
                text.clear();
            }
            match p {
                Part::Text(_) => {}
                Part::Secret(name, _) if name.is_empty() => {}
                Part::Secret(name, Form::Raw | Form::Percent) => out.push_str(&format!("\"${{{name}}}\"")),
                Part::Secret(name, Form::BasicUser) => {
                    out.push_str(&format!("\"$(printf '%s:' \"${{{name}}}\" | base64 | tr -d '\\n')\""));
                }
                Part::Secret(name, Form::Base64) => {
                    out.push_str(&format!("\"$(printf '%s' \"${{{name}}}\" | base64 | tr -d '\\n')\""));
                }
            }
        }
        if out.is_empty() { "''".into() } else { out }
    }
}

/// The configured secrets and a matcher for every form of each.
#[derive(Debug, Clone)]
pub struct Secrets {
    names: Vec<(String, Form)>,
    matcher: Option<AhoCorasick>,
}

impl Default for Secrets {
    fn default() -> Self {
        Secrets::new(Vec::new())
    }
}

impl Secrets {
    /// A matcher for `secrets` (empty values are ignored; encoded forms only for values of four
    /// or more characters, so that short values do not mask unrelated text).
    pub fn new(secrets: Vec<Secret>) -> Secrets {
        let mut patterns = Vec::new();
        let mut names = Vec::new();
        for s in secrets.into_iter().filter(|s| !s.value.is_empty()) {
            let mut add = |pattern: String, form: Form| {
                if !patterns.contains(&pattern) {
                    patterns.push(pattern);
                    names.push((s.name.clone(), form));
                }
            };
            add(s.value.clone(), Form::Raw);
            if s.value.len() >= 4 {
                let percent: String = form_urlencoded::byte_serialize(s.value.as_bytes()).collect();
                add(percent, Form::Percent);
                add(STANDARD.encode(format!("{}:", s.value)), Form::BasicUser);
                add(
                    STANDARD.encode(&s.value).trim_end_matches('=').to_string(),
                    Form::Base64,
                );
            }
        }
        let matcher = (!patterns.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&patterns)
                    .ok()
            })
            .flatten();
        Secrets { names, matcher }
    }

    /// Splits `bytes` into literal and secret parts.
    pub fn split(&self, bytes: &[u8]) -> Masked {
        let Some(matcher) = &self.matcher else {
            return Masked::literal(bytes);
        };
        let mut parts = Vec::new();
        let mut at = 0;
        for m in matcher.find_iter(bytes) {
            if m.start() > at {
                parts.push(Part::Text(bytes[at..m.start()].to_vec()));
            }
            let (name, form) = &self.names[m.pattern().as_usize()];
            parts.push(Part::Secret(name.clone(), *form));
            at = m.end();
        }
        if at < bytes.len() || parts.is_empty() {
            parts.push(Part::Text(bytes[at..].to_vec()));
        }
        Masked(parts)
    }

    /// `text` with every secret replaced by its placeholder.
    pub fn mask(&self, text: &str) -> String {
        if !self.found_in(text.as_bytes()) {
            return text.to_owned();
        }
        self.split(text.as_bytes()).display()
    }

    /// Whether `bytes` contain a secret in any form.
    pub fn found_in(&self, bytes: &[u8]) -> bool {
        self.matcher.as_ref().is_some_and(|m| m.is_match(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets() -> Secrets {
        Secrets::new(vec![
            Secret {
                name: "UPI_PAYU_SALT".into(),
                value: "s+lt/1".into(),
            },
            Secret {
                name: "UPI_EC_API_KEY".into(),
                value: "test_api_key".into(),
            },
        ])
    }

    #[test]
    fn every_form_is_masked() {
        let s = secrets();
        let basic = STANDARD.encode("test_api_key:");
        let text = format!("a s+lt/1 b s%2Blt%2F1 c Basic {basic} d");
        let masked = s.mask(&text);
        assert_eq!(
            masked,
            "a ${UPI_PAYU_SALT} b ${UPI_PAYU_SALT} c Basic <base64 of ${UPI_EC_API_KEY}:> d"
        );
        assert!(!s.found_in(masked.as_bytes()));
        assert!(s.found_in(text.as_bytes()));
    }

    #[test]
    fn shell_words_expand_secrets_and_quote_the_rest() {
        let s = secrets();
        let basic = STANDARD.encode("test_api_key:");
        let word = s.split(format!("Authorization: Basic {basic}").as_bytes()).shell();
        assert_eq!(
            word,
            "'Authorization: Basic '\"$(printf '%s:' \"${UPI_EC_API_KEY}\" | base64 | tr -d '\\n')\""
        );
        assert_eq!(s.split(b"it's").shell(), "'it'\\''s'");
    }
}
