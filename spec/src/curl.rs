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
    /// `-H` headers as (name, value).
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

/// Parses a curl command.
pub fn parse_curl(text: &str) -> Result<CurlRequest, InputError> {
    let mut logical: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut continuing = false;
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if !continuing && !current.trim().is_empty() {
            logical.push(std::mem::take(&mut current));
        }
        match line.strip_suffix('\\') {
            Some(head) => {
                current.push_str(head);
                continuing = true;
            }
            None => {
                current.push_str(line);
                continuing = false;
            }
        }
    }
    if !current.trim().is_empty() {
        logical.push(current);
    }
    let mut lines = logical.into_iter().filter(|l| !l.trim().is_empty());
    let command = lines
        .next()
        .ok_or_else(|| InputError::Curl("empty input".into()))?;
    let trailing: Vec<String> = lines.map(|l| l.trim().to_string()).collect();
    let words = shell_words::split(&command)
        .map_err(|e| InputError::Curl(format!("unbalanced quoting: {e}")))?;
    let mut words = words.into_iter();
    if words.next().as_deref() != Some("curl") {
        return Err(InputError::Curl(
            "the command does not start with `curl`".into(),
        ));
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
            w if request.url.is_none() && (w.contains("://") || w.starts_with("{{")) => {
                request.url = Some(word)
            }
            _ => request.ignored.push(word),
        }
    }
    request.body = match (raw, form.is_empty(), multipart.is_empty()) {
        (Some(r), _, _) => CurlBody::Raw(r),
        (None, false, _) => CurlBody::Form(form),
        (None, true, false) => CurlBody::Multipart(multipart),
        (None, true, true) => CurlBody::None,
    };
    Ok(request)
}
