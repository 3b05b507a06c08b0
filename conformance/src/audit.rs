//! `audit`: validates captured traffic against the models and reports it like a run. The
//! capture readers and the judging are `upi_spec::audit`; this module turns each judged entry
//! into a [`CaseResult`] for the reports.

pub use upi_spec::audit::AuditError;
use upi_spec::audit::AuditedEntry;

use crate::runner::case::{CaseKind, CaseResult, Finding, grade};
use crate::runner::http::Exchange;

/// Audits a HAR document.
pub fn har(bytes: &[u8]) -> Result<Vec<CaseResult>, AuditError> {
    Ok(upi_spec::audit::har(bytes)?.into_iter().map(result).collect())
}

/// Audits a HAR document streamed from `reader` (see `upi_spec::audit::har_from_reader`).
pub fn har_from_reader(reader: impl std::io::Read) -> Result<Vec<CaseResult>, AuditError> {
    Ok(upi_spec::audit::har_from_reader(reader)?
        .into_iter()
        .map(result)
        .collect())
}

/// `text` with every control character (ESC, BEL, CR, LF, DEL, C1 ...) written as a visible
/// `\u{..}` escape: captured text must not drive the terminal a report is read on.
pub fn visible(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A curl command that fetches `url` when pasted into a POSIX shell: the URL is one
/// shell-quoted word, and any control character in it is percent-encoded first (a URL cannot
/// carry one raw, and the terminal must not see it).
pub fn curl_line(url: &str) -> String {
    let mut clean = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_control() {
            let mut utf8 = [0u8; 4];
            for b in c.encode_utf8(&mut utf8).bytes() {
                clean.push_str(&format!("%{b:02X}"));
            }
        } else {
            clean.push(c);
        }
    }
    format!("curl -sS {}", shell_words::quote(&clean))
}

/// Audits JSON lines of TPAP SDK process payloads.
pub fn json_lines(bytes: &[u8]) -> Result<Vec<CaseResult>, AuditError> {
    Ok(upi_spec::audit::json_lines(bytes)?.into_iter().map(result).collect())
}

fn result(entry: AuditedEntry) -> CaseResult {
    let findings: Vec<Finding> = entry
        .findings
        .into_iter()
        .map(|f| Finding {
            rule: f.rule,
            severity: f.severity,
            message: visible(&f.message),
        })
        .collect();
    let outcome = grade(&findings);
    let AuditedEntry {
        id,
        model,
        title,
        url,
        status,
        ..
    } = entry;
    CaseResult {
        id,
        suite: "audit".into(),
        kind: CaseKind::Accept,
        title: visible(&title),
        rules: vec![model],
        outcome,
        findings,
        exchanges: if url.is_empty() {
            Vec::new()
        } else {
            vec![Exchange {
                request_line: visible(&url),
                status: Some(status),
                curl: curl_line(&url),
                ..Exchange::default()
            }]
        },
        elapsed_ms: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_in_a_url_cannot_end_the_curl_word() {
        let url = "http://x/txns?q=';touch PWNED;'";
        let line = curl_line(url);
        // Split as a shell would: exactly curl, -sS and the URL, unchanged.
        assert_eq!(
            shell_words::split(&line).unwrap(),
            vec!["curl".to_string(), "-sS".to_string(), url.to_string()]
        );
        // The old line, split the same way, yields more than one command word.
        let old = format!("curl -sS '{url}'");
        assert_ne!(shell_words::split(&old).unwrap().len(), 3);
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(visible("a\u{1b}[31mb\u{7}\r"), "a\\u{1b}[31mb\\u{7}\\u{d}");
        assert_eq!(curl_line("http://x/\u{1b}[31m"), "curl -sS 'http://x/%1B[31m'");
        assert_eq!(visible("plain"), "plain");
    }
}
