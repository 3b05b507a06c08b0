//! JUnit XML (via `quick-junit`): one test suite per conformance suite, one test case per case;
//! failures carry the findings and the reproducing curl command.

use std::collections::BTreeMap;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report as JunitReport, TestCase, TestCaseStatus, TestSuite};

use crate::runner::Report;
use crate::runner::case::Outcome;

/// The report as JUnit XML.
pub fn render(report: &Report) -> String {
    let mut junit = JunitReport::new("upi-conformance");
    let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
    for c in &report.cases {
        let status = match &c.outcome {
            Outcome::Pass | Outcome::Info | Outcome::Warning | Outcome::ExpectedFailure { .. } => {
                TestCaseStatus::success()
            }
            Outcome::Skipped { reason } => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(reason.clone());
                s
            }
            Outcome::Fail | Outcome::UnexpectedPass { .. } => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                let first = c.findings.first().map(|f| format!("{}: {}", f.rule, f.message));
                s.set_message(first.unwrap_or_else(|| "listed as expected to fail, but passed".into()));
                s.set_type(c.outcome.label());
                let detail: Vec<String> = c
                    .findings
                    .iter()
                    .map(|f| format!("{} [{}]: {}", f.rule, f.severity, f.message))
                    .collect();
                s.set_description(detail.join("\n"));
                s
            }
        };
        let mut case = TestCase::new(c.id.clone(), status);
        case.set_classname(c.suite.clone());
        case.set_time(Duration::from_millis(c.elapsed_ms));
        if let Some(x) = c.exchanges.last() {
            case.set_system_out(format!("{}\n{}", c.rules.join(" "), x.curl));
        }
        suites
            .entry(&c.suite)
            .or_insert_with(|| TestSuite::new(c.suite.clone()))
            .add_test_case(case);
    }
    junit.add_test_suites(suites.into_values());
    junit.to_string().unwrap_or_else(|e| format!("<!-- {e} -->"))
}
