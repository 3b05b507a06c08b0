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
            message: f.message,
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
        title,
        rules: vec![model],
        outcome,
        findings,
        exchanges: if url.is_empty() {
            Vec::new()
        } else {
            vec![Exchange {
                request_line: url.to_string(),
                status: Some(status),
                curl: format!("curl -sS '{url}'"),
                ..Exchange::default()
            }]
        },
        elapsed_ms: 0,
    }
}
