//! JUnit XML (via `quick-junit`): one test suite per conformance suite, one test case per case.
//! Every suite carries the run's properties (seed, target, version); a failure's message is the
//! broken rule and its statement, its output the re-run command and curl lines. Passing cases
//! carry no output.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report as JunitReport, TestCase, TestCaseStatus, TestSuite};

use super::{Context, clean, repro};
use crate::runner::Report;
use crate::runner::case::Outcome;

/// The report as JUnit XML (no re-run context: see [`render_with`]).
pub fn render(report: &Report) -> String {
    render_with(report, &Context::default())
}

/// The report as JUnit XML.
pub fn render_with(report: &Report, ctx: &Context) -> String {
    let statements: HashMap<String, String> = upi_spec::catalogue::all()
        .into_iter()
        .map(|r| (r.id, r.statement))
        .collect();
    let mut junit = JunitReport::new("upi-conformance");
    let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
    for c in &report.cases {
        let status = match &c.outcome {
            Outcome::Warning if !report.strict => TestCaseStatus::success(),
            Outcome::Pass | Outcome::Info | Outcome::Acceptable { .. } | Outcome::ExpectedFailure { .. } => {
                TestCaseStatus::success()
            }
            Outcome::Skipped { reason } => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(clean(reason));
                s
            }
            Outcome::Fail | Outcome::UnexpectedPass { .. } | Outcome::Warning => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                let first = c.findings.first().map(|f| match statements.get(&f.rule) {
                    Some(statement) => format!("{}: {}", f.rule, statement),
                    None => f.rule.clone(),
                });
                s.set_message(clean(
                    &first.unwrap_or_else(|| "listed as expected to fail, but passed".into()),
                ));
                s.set_type(c.outcome.label());
                let detail: Vec<String> = c
                    .findings
                    .iter()
                    .map(|f| format!("{} [{}]: {}", f.rule, f.severity, clean(&f.message)))
                    .collect();
                s.set_description(detail.join("\n"));
                s
            }
        };
        let mut case = TestCase::new(c.id.clone(), status);
        case.set_classname(c.suite.clone());
        case.set_time(Duration::from_millis(c.elapsed_ms));
        if matches!(c.outcome, Outcome::Warning) && !report.strict {
            // A warning passes (without --strict) but says so: the broken should rules.
            let detail: Vec<String> = c
                .findings
                .iter()
                .map(|f| format!("warning: {} [{}]: {}", f.rule, f.severity, clean(&f.message)))
                .collect();
            case.set_system_out(clean(&detail.join("\n")));
        }
        if report.fails_run(&c.outcome) {
            let (script, _) = repro::script(report, ctx, c, ctx.repro_dir.is_some());
            let curls: Vec<&str> = script.lines().filter(|l| l.starts_with("curl")).collect();
            case.set_system_out(clean(&format!(
                "re-run: {}\n{}",
                repro::rerun(report, ctx, c),
                curls.join("\n")
            )));
        }
        suites
            .entry(&c.suite)
            .or_insert_with(|| {
                let mut s = TestSuite::new(c.suite.clone());
                s.add_properties([
                    ("seed".to_string(), report.seed.to_string()),
                    ("target".to_string(), clean(&report.target)),
                    ("version".to_string(), env!("CARGO_PKG_VERSION").to_string()),
                    ("interrupted".to_string(), report.interrupted.to_string()),
                ]);
                s
            })
            .add_test_case(case);
    }
    if report.cases.is_empty() && report.interrupted {
        // Interrupted before any case finished: one empty suite still carries the property.
        let mut s = TestSuite::new("upi-conformance");
        s.add_properties([("interrupted".to_string(), "true".to_string())]);
        suites.insert("upi-conformance", s);
    }
    junit.add_test_suites(suites.into_values());
    junit.to_string().unwrap_or_else(|e| format!("<!-- {e} -->"))
}
