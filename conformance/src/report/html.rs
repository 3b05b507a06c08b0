//! One self-contained HTML file: totals, a table of every case, and for each non-passing case
//! its findings, exchanges and curl command. All text is escaped.

use std::fmt::Write;

use html_escape::encode_text as esc;

use crate::runner::Report;
use crate::runner::case::Outcome;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;font-size:13px}.pass{color:#176317}.fail,.unexpected-pass{color:#b00020;font-weight:bold}.warning{color:#a65b00}.skipped,.expected-failure{color:#555}pre{background:#f6f6f6;padding:8px;overflow-x:auto;white-space:pre-wrap}details{margin:0.5em 0}";

/// The report as one HTML document.
pub fn render(report: &Report) -> String {
    let t = &report.totals;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>upi-conformance report</title><style>{STYLE}</style></head><body>"
    );
    let _ = write!(
        out,
        "<h1>upi-conformance report</h1><p>Target {} · seed {} · {:.1} s</p><p>{} cases: <span class=pass>{} passed</span>, <span class=fail>{} failed</span>, <span class=warning>{} warnings</span>, {} skipped, {} expected failures, <span class=unexpected-pass>{} unexpected passes</span></p>",
        esc(&report.target),
        report.seed,
        report.elapsed_ms as f64 / 1000.0,
        t.cases,
        t.pass,
        t.fail,
        t.warning,
        t.skipped,
        t.expected_failure,
        t.unexpected_pass
    );
    out.push_str("<table><tr><th>outcome</th><th>case</th><th>suite</th><th>rules</th></tr>");
    for c in &report.cases {
        let _ = write!(
            out,
            "<tr><td class=\"{}\">{}</td><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td></tr>",
            c.outcome.label(),
            c.outcome.label(),
            esc(&c.id),
            esc(&c.id),
            esc(&c.suite),
            esc(&c.rules.join(" "))
        );
    }
    out.push_str("</table><h2>Details</h2>");
    for c in report.cases.iter().filter(|c| !matches!(c.outcome, Outcome::Pass)) {
        let _ = write!(
            out,
            "<details id=\"{}\"><summary class=\"{}\">{} — {}</summary><ul>",
            esc(&c.id),
            c.outcome.label(),
            esc(&c.id),
            esc(&c.title)
        );
        for f in &c.findings {
            let _ = write!(
                out,
                "<li><code>{}</code> [{}]: {}</li>",
                esc(&f.rule),
                f.severity,
                esc(&f.message)
            );
        }
        out.push_str("</ul>");
        for x in &c.exchanges {
            let _ = write!(
                out,
                "<pre>{}\n{}\n\n→ {}\n{}</pre><pre>{}</pre>",
                esc(&x.request_line),
                esc(&x.request_body),
                x.status
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| esc(x.error.as_deref().unwrap_or("no answer")).into_owned()),
                esc(&x.response_body),
                esc(&x.curl)
            );
        }
        out.push_str("</details>");
    }
    out.push_str("</body></html>\n");
    out
}
