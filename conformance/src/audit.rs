//! `audit`: validates captured traffic against the models and reports it like a run. The
//! capture readers and the judging are `upi_spec::audit`; this module turns each judged entry
//! into a [`CaseResult`] for the reports.

pub use upi_spec::audit::AuditError;
use upi_spec::audit::AuditedEntry;
use upi_spec::audit::pairing;
pub use upi_spec::audit::pairing::SignatureKeys;

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

/// Audits JSON lines of TPAP SDK process payloads, each line alone and then paired (see
/// [`json_lines_with`]) without signature keys.
pub fn json_lines(bytes: &[u8]) -> Result<Vec<CaseResult>, AuditError> {
    json_lines_with(bytes, &SignatureKeys::default())
}

/// Audits JSON lines of TPAP SDK process payloads: each line against its model, then request
/// and response lines paired by `requestId` (`upi_spec::audit::pairing`), each pair's echoes
/// judged by the TPAP suite's judge ([`crate::tpap::judge::pairing`]: `requestId`, `orderId`,
/// `udfParameters`), lines left unpaired reported, and, when `keys` holds any, each request's
/// `signaturePayload` signature verified. Findings land on the line they are about.
pub fn json_lines_with(bytes: &[u8], keys: &SignatureKeys) -> Result<Vec<CaseResult>, AuditError> {
    let mut entries = upi_spec::audit::json_lines(bytes)?;
    let text = String::from_utf8_lossy(bytes);
    let lines = pairing::captured_lines(&text);
    let paired = pairing::pair(&lines);
    let mut add = |line: usize, found: Vec<upi_spec::audit::Finding>| {
        if let Some(entry) = entries.iter_mut().find(|e| e.line == line) {
            entry.findings.extend(found);
        }
    };
    for &(request, response) in &paired.pairs {
        let answer = &lines[response].value;
        // A refusal (`error: true` or status FAILURE) carries no payload to echo; its
        // requestId is still the request's.
        let refused = crate::tpap::judge::refused(&crate::tpap::shim::Reply::Response(answer.clone())).is_some();
        let echoes = crate::tpap::judge::pairing(&lines[request].value, answer)
            .into_iter()
            .filter(|f| !refused || f.rule == crate::tpap::judge::RULE_PAIR_REQUEST_ID)
            .map(|f| upi_spec::audit::Finding {
                rule: f.rule,
                severity: f.severity,
                message: format!("paired with line {}: {}", lines[request].line, f.message),
            })
            .collect();
        add(lines[response].line, echoes);
    }
    for &i in &paired.unanswered {
        add(lines[i].line, vec![pairing::unanswered(&lines[i])]);
    }
    for &i in &paired.unrequested {
        add(lines[i].line, vec![pairing::unrequested(&lines[i])]);
    }
    if !keys.is_empty() {
        for line in lines.iter().filter(|l| !l.response) {
            add(line.line, pairing::signature_findings(&line.value, keys));
        }
    }
    Ok(entries.into_iter().map(result).collect())
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
