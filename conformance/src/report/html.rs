//! One self-contained triage page (templated with `minijinja`, HTML auto-escaping, safe in
//! attributes too): the summary first; failures grouped by broken rule with its statement,
//! severity and source; per case expected vs actual, the decoded request and response with
//! headers, the re-run command and the reproducer script; a table of every case; filter and
//! search by suite, verdict and rule (inline script, no network).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use minijinja::{Environment, context};
use serde::Serialize;

use super::{Context, clean, repro};
use crate::runner::Report;
use crate::runner::case::CaseResult;
use crate::runner::http::Exchange;

const TEMPLATE: &str = include_str!("templates/report.html");

#[derive(Serialize)]
struct Group {
    rule: String,
    statement: String,
    severity: String,
    source: String,
    grounding: Option<String>,
    cases: Vec<CaseView>,
}

#[derive(Serialize, Clone)]
struct FindingView {
    rule: String,
    severity: String,
    message: String,
}

#[derive(Serialize, Clone)]
struct ExchangeView {
    request_line: String,
    request_headers: String,
    request_body: String,
    decoded: Vec<String>,
    status: String,
    response_headers: String,
    response_body: String,
    response_size: u64,
    response_sha256: String,
}

#[derive(Serialize, Clone)]
struct CaseView {
    id: String,
    suite: String,
    outcome: String,
    title: String,
    rules: String,
    broken: String,
    search: String,
    findings: Vec<FindingView>,
    rerun: String,
    script: String,
    script_path: Option<String>,
    exchanges: Vec<ExchangeView>,
}

fn headers(list: &[(String, String)]) -> String {
    clean(
        &list
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

fn exchange_view(x: &Exchange) -> ExchangeView {
    ExchangeView {
        request_line: clean(&x.request_line),
        request_headers: headers(&x.request_headers),
        request_body: clean(&x.request_body),
        decoded: repro::decoded(x).iter().map(|d| clean(d)).collect(),
        status: match (x.status, &x.error) {
            (Some(s), _) => format!("HTTP {s}"),
            (None, Some(e)) => clean(e),
            (None, None) => "no answer".into(),
        },
        response_headers: headers(&x.response_headers),
        response_body: clean(&x.response_body),
        response_size: x.response_size,
        response_sha256: x.response_sha256.clone(),
    }
}

fn case_view(report: &Report, ctx: &Context, c: &CaseResult, detailed: bool) -> CaseView {
    let broken: BTreeSet<&str> = c.findings.iter().map(|f| f.rule.as_str()).collect();
    let broken = broken.into_iter().collect::<Vec<_>>().join(" ");
    let findings: Vec<FindingView> = c
        .findings
        .iter()
        .map(|f| FindingView {
            rule: f.rule.clone(),
            severity: f.severity.to_string(),
            message: clean(&f.message),
        })
        .collect();
    let search = clean(&format!(
        "{} {} {} {}",
        c.id,
        c.title,
        broken,
        findings
            .iter()
            .map(|f| f.message.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    ));
    let (script, script_path) = if detailed {
        let (s, _) = repro::script(report, ctx, c, ctx.repro_dir.is_some());
        let path = ctx
            .repro_dir
            .as_ref()
            .map(|d| d.join(format!("{}.sh", repro::file_stem(&c.id))).display().to_string());
        (clean(&s), path)
    } else {
        (String::new(), None)
    };
    CaseView {
        id: clean(&c.id),
        suite: clean(&c.suite),
        outcome: c.outcome.label().to_string(),
        title: clean(&c.title),
        rules: clean(&c.rules.join(" ")),
        broken: clean(&broken),
        search,
        findings,
        rerun: if detailed {
            repro::rerun(report, ctx, c)
        } else {
            String::new()
        },
        script,
        script_path,
        exchanges: if detailed {
            c.exchanges.iter().map(exchange_view).collect()
        } else {
            Vec::new()
        },
    }
}

/// The report as one HTML document (no re-run context: see [`render_with`]).
pub fn render(report: &Report) -> String {
    render_with(report, &Context::default())
}

/// The report as one HTML document.
pub fn render_with(report: &Report, ctx: &Context) -> String {
    let catalogue: HashMap<String, upi_spec::rule::Rule> = upi_spec::catalogue::all()
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect();
    let mut groups: BTreeMap<String, Vec<CaseView>> = BTreeMap::new();
    for c in report.cases.iter().filter(|c| report.fails_run(&c.outcome)) {
        let view = case_view(report, ctx, c, true);
        let rules: BTreeSet<&str> = c.findings.iter().map(|f| f.rule.as_str()).collect();
        if rules.is_empty() {
            groups.entry("(unexpected pass)".into()).or_default().push(view.clone());
        }
        for r in rules {
            groups.entry(r.to_string()).or_default().push(view.clone());
        }
    }
    let groups: Vec<Group> = groups
        .into_iter()
        .map(|(rule, cases)| {
            let known = catalogue.get(&rule);
            let severity = known
                .map(|r| r.severity.to_string())
                .or_else(|| {
                    report
                        .cases
                        .iter()
                        .flat_map(|c| &c.findings)
                        .find(|f| f.rule == rule)
                        .map(|f| f.severity.to_string())
                })
                .unwrap_or_default();
            Group {
                statement: known
                    .map(|r| r.statement.clone())
                    .unwrap_or_else(|| "(not in the rule catalogue)".into()),
                source: known.map(|r| r.source.to_string()).unwrap_or_default(),
                grounding: None,
                severity,
                rule,
                cases,
            }
        })
        .collect();
    let cases: Vec<CaseView> = report.cases.iter().map(|c| case_view(report, ctx, c, false)).collect();
    let suites: BTreeSet<&str> = report.cases.iter().map(|c| c.suite.as_str()).collect();
    let verdicts: BTreeSet<&str> = report.cases.iter().map(|c| c.outcome.label()).collect();
    let t = &report.totals;
    let summary = context! {
        target => clean(&report.target),
        seed => report.seed,
        elapsed => format!("{:.1}", report.elapsed_ms as f64 / 1000.0),
        version => env!("CARGO_PKG_VERSION"),
        failed => report.failed(),
        interrupted => report.interrupted, not_run => report.not_run,
        cases => t.cases, pass => t.pass, fail => t.fail + t.unexpected_pass, warning => t.warning,
        skipped => t.skipped, acceptable => t.acceptable, expected_failure => t.expected_failure, unexpected_pass => t.unexpected_pass,
    };
    let mut env = Environment::new();
    let rendered = env
        .add_template("report.html", TEMPLATE)
        .and_then(|()| env.get_template("report.html"))
        .and_then(|t| t.render(context! { summary, groups, cases, suites, verdicts }));
    match rendered {
        Ok(html) => html,
        Err(e) => format!(
            "<!DOCTYPE html><html><body><p>report template error: {}</p></body></html>\n",
            html_escape::encode_text(&e.to_string())
        ),
    }
}
