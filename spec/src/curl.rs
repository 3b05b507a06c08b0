//! Reads a curl command line as the vendors print it (`curl -X POST URL -H '...' -d '...'`)
//! into headers and a body, with shell quoting handled by `shell-words`. Lines that a shell
//! would not take as part of the command (a missing `\` continuation) are reported, not merged:
//! the seeds contain exactly that mistake, and a faithful reader must show its effect.

use crate::input::{InputError, parse_form_pairs};

/// The body a curl command sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CurlBody {
    /// No body.
    None,
    /// Form pairs from `-d k=v` / `--data-urlencode k=v`.
    Form(Vec<(String, String)>),
    /// A raw body (`--data-raw`, or `-d` whose value is not a form pair).
    Raw(String),
    /// Multipart parts from `--form k=v` (`@file` values kept as `@path`).
    Multipart(Vec<(String, String)>),
}

/// A curl command, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurlRequest {
    /// `-X` method, if given.
    pub method: Option<String>,
    /// The URL argument, if any.
    pub url: Option<String>,
    /// `-H` headers as (name, value), plus the `content-type` curl implies for `-d` (form) and
    /// `-F` (multipart) when none is given.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: CurlBody,
    /// Non-blank lines after the command ended (a missing line continuation).
    pub trailing: Vec<String>,
    /// Words that are not options curl would use for the request (kept for reporting).
    pub ignored: Vec<String>,
}

const FLAGS_WITHOUT_VALUE: [&str; 9] = [
    "-L",
    "--location",
    "-g",
    "--globoff",
    "-s",
    "--silent",
    "-v",
    "-i",
    "-k",
];

/// Splits off the first shell command: an unquoted newline ends it, a backslash-newline
/// outside single quotes continues it (both removed, as a POSIX shell does), and quoted text
/// may span lines. Returns the command and what follows it.
fn split_command(text: &str) -> (String, &str) {
    #[derive(PartialEq)]
    enum Quote {
        None,
        Single,
        Double,
    }
    let text = text.trim_start();
    let mut command = String::new();
    let mut quote = Quote::None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (c, &quote) {
            ('\\', Quote::None | Quote::Double) => match chars.peek() {
                Some((_, '\n')) => {
                    chars.next();
                }
                Some((_, '\r')) => {
                    chars.next();
                    if chars.peek().map(|(_, c)| *c) == Some('\n') {
                        chars.next();
                    }
                }
                Some(&(_, next)) => {
                    command.push(c);
                    command.push(next);
                    chars.next();
                }
                None => command.push(c),
            },
            ('\n', Quote::None) => return (command, &text[i + 1..]),
            ('\'', Quote::None) => {
                quote = Quote::Single;
                command.push(c);
            }
            ('\'', Quote::Single) => {
                quote = Quote::None;
                command.push(c);
            }
            ('"', Quote::None) => {
                quote = Quote::Double;
                command.push(c);
            }
            ('"', Quote::Double) => {
                quote = Quote::None;
                command.push(c);
            }
            _ => command.push(c),
        }
    }
    (command, "")
}

/// Parses a curl command.
pub fn parse_curl(text: &str) -> Result<CurlRequest, InputError> {
    let (command, rest) = split_command(text);
    if command.trim().is_empty() {
        return Err(InputError::Curl("empty input".into()));
    }
    let trailing: Vec<String> = rest
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let words = shell_words::split(&command).map_err(|e| InputError::Curl(format!("unbalanced quoting: {e}")))?;
    let mut words = words.into_iter();
    if words.next().as_deref() != Some("curl") {
        return Err(InputError::Curl("the command does not start with `curl`".into()));
    }
    let mut request = CurlRequest {
        method: None,
        url: None,
        headers: Vec::new(),
        body: CurlBody::None,
        trailing,
        ignored: Vec::new(),
    };
    let mut form: Vec<(String, String)> = Vec::new();
    let mut multipart: Vec<(String, String)> = Vec::new();
    let mut raw: Option<String> = None;
    while let Some(word) = words.next() {
        let mut value_of = |opt: &str| {
            words
                .next()
                .ok_or_else(|| InputError::Curl(format!("option {opt} has no value")))
        };
        match word.as_str() {
            "-X" | "--request" => request.method = Some(value_of(&word)?),
            "-H" | "--header" => {
                let h = value_of(&word)?;
                let (name, value) = h
                    .split_once(':')
                    .ok_or_else(|| InputError::Curl(format!("header without a colon: {h}")))?;
                request
                    .headers
                    .push((name.trim().to_string(), value.trim().to_string()));
            }
            "-d" | "--data" | "--data-binary" => {
                let d = value_of(&word)?;
                if d.trim_start().starts_with(['{', '[']) {
                    raw = Some(d);
                } else {
                    form.extend(parse_form_pairs(&d)?);
                }
            }
            "--data-raw" => raw = Some(value_of(&word)?),
            "--data-urlencode" => {
                let d = value_of(&word)?;
                let (k, v) = d.split_once('=').unwrap_or(("", d.as_str()));
                form.push((k.to_string(), v.to_string()));
            }
            "-F" | "--form" => {
                let d = value_of(&word)?;
                let (k, v) = d
                    .split_once('=')
                    .ok_or_else(|| InputError::Curl(format!("form part without `=`: {d}")))?;
                let v = match v.strip_prefix('@') {
                    Some(file) => format!("@{}", file.trim_matches('"')),
                    None => v
                        .strip_prefix('"')
                        .and_then(|x| x.strip_suffix('"'))
                        .unwrap_or(v)
                        .to_string(),
                };
                multipart.push((k.to_string(), v));
            }
            w if FLAGS_WITHOUT_VALUE.contains(&w) => {}
            w if request.url.is_none() && (w.contains("://") || w.starts_with("{{")) => request.url = Some(word),
            _ => request.ignored.push(word),
        }
    }
    let implied_type = match (&raw, form.is_empty(), multipart.is_empty()) {
        (None, true, false) => Some("multipart/form-data"),
        (None, true, true) => None,
        _ => Some("application/x-www-form-urlencoded"),
    };
    if let Some(t) = implied_type
        && !request
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        request.headers.push(("content-type".into(), t.into()));
    }
    request.body = match (raw, form.is_empty(), multipart.is_empty()) {
        (Some(r), _, _) => CurlBody::Raw(r),
        (None, false, _) => CurlBody::Form(form),
        (None, true, false) => CurlBody::Multipart(multipart),
        (None, true, true) => CurlBody::None,
    };
    Ok(request)
}
