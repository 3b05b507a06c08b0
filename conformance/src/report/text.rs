//! The terminal summary: totals per suite, the failing rules, and for every failing case its
//! findings and a curl command that reproduces it.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Context, clean, repro};
use crate::runner::Report;
use crate::runner::case::Outcome;

/// The summary as text (no re-run context: see [`render_with`]).
pub fn render(report: &Report, verbose: bool) -> String {
    render_with(report, verbose, &Context::default())
}

/// The summary as text; every failing case shows the command that re-runs it alone, its
/// decoded request bodies and its reproducer script (a path when the context has a directory,
/// inline otherwise). Text from the target has its control characters escaped.
pub fn render_with(report: &Report, verbose: bool, ctx: &Context) -> String {
    let mut out = String::new();
    let mut suites: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for c in &report.cases {
        *suites
            .entry(&c.suite)
            .or_default()
            .entry(c.outcome.label())
            .or_default() += 1;
    }
    let _ = writeln!(
        out,
        "upi-conformance run against {} (seed {})",
        clean(&report.target),
        report.seed
    );
    if !report.sandbox {
        let _ = writeln!(
            out,
            "note: the target has no sandbox control; flows that need it are skipped"
        );
    }
    let _ = writeln!(out, "\n{}", suite_table(&suites));
    let mut failing_rules: BTreeMap<&str, usize> = BTreeMap::new();
    for c in report
        .cases
        .iter()
        .filter(|c| report.fails_run(&c.outcome) || matches!(c.outcome, Outcome::Warning))
    {
        for f in &c.findings {
            *failing_rules.entry(&f.rule).or_default() += 1;
        }
    }
    if !failing_rules.is_empty() {
        let _ = writeln!(out, "\nrules broken (cases):");
        for (rule, n) in &failing_rules {
            let _ = writeln!(out, "  {rule} ({n})");
        }
    }
    for c in &report.cases {
        let show = report.fails_run(&c.outcome) || (verbose && !matches!(c.outcome, Outcome::Pass));
        if !show {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{} {} — {}",
            c.outcome.label().to_uppercase(),
            clean(&c.id),
            clean(&c.title)
        );
        if let Outcome::Acceptable { reading } = &c.outcome {
            let _ = writeln!(
                out,
                "  follows {reading}, a listed reading of an ambiguous seed sentence (`serve --list-readings`)"
            );
        }
        if let Outcome::UnexpectedPass { reason } = &c.outcome {
            let _ = writeln!(
                out,
                "  listed as expected to fail ({reason}) but passed: remove it from the expectations file"
            );
        }
        for f in c.findings.iter().take(8) {
            let _ = writeln!(out, "  {} [{}]: {}", clean(&f.rule), f.severity, clean(&f.message));
        }
        if !report.fails_run(&c.outcome) {
            continue;
        }
        let _ = writeln!(out, "  re-run: {}", repro::rerun(report, ctx, c));
        for x in &c.exchanges {
            for d in repro::decoded(x) {
                let _ = writeln!(
                    out,
                    "  {} {}",
                    clean(&x.request_line),
                    clean(&d).replace('\n', "\n    ")
                );
            }
        }
        match &ctx.repro_dir {
            Some(dir) => {
                let _ = writeln!(
                    out,
                    "  reproduce: sh {}",
                    dir.join(format!("{}.sh", repro::file_stem(&c.id))).display()
                );
            }
            None => {
                let (script, _) = repro::script(report, ctx, c, false);
                if script.len() <= 8 * 1024 {
                    let _ = writeln!(out, "  reproduce:");
                    for line in script.lines().filter(|l| l.starts_with("curl")) {
                        let _ = writeln!(out, "    {}", clean(line));
                    }
                } else {
                    let _ = writeln!(
                        out,
                        "  reproduce: {} bytes of requests; write reports to a file (--report text=PATH) for a script",
                        script.len()
                    );
                }
            }
        }
    }
    for p in &report.unused_expectations {
        let _ = writeln!(out, "\nnote: expectation {p:?} matched no case");
    }
    if report.interrupted {
        let _ = writeln!(
            out,
            "\nINTERRUPTED: this report holds the {} cases finished before Ctrl-C; {} planned cases did not run",
            report.cases.len(),
            report.not_run
        );
    }
    let t = &report.totals;
    let _ = writeln!(
        out,
        "\n{} cases in {:.1} s: {} passed, {} failed, {} warnings, {} acceptable, {} skipped, {} expected failures, {} unexpected passes",
        t.cases,
        report.elapsed_ms as f64 / 1000.0,
        t.pass,
        t.fail,
        t.warning,
        t.acceptable,
        t.skipped,
        t.expected_failure,
        t.unexpected_pass
    );
    let (passed_warnings, failed_warnings) = if report.strict { (0, t.warning) } else { (t.warning, 0) };
    if t.warning > 0 {
        let _ = writeln!(
            out,
            "{} warnings: should rules (our reading where no seed sentence states the rule); {}",
            t.warning,
            if report.strict {
                "--strict makes them fail the run"
            } else {
                "--strict makes them fail the run (--verbose lists them)"
            }
        );
    }
    let _ = writeln!(
        out,
        "conformance: {} passed, {} failed, {} skipped",
        t.pass + passed_warnings + t.info + t.acceptable + t.expected_failure,
        t.fail + t.unexpected_pass + failed_warnings,
        t.skipped
    );
    out
}

/// The per-suite counts as a text table (`comfy-table`, plain ASCII, numbers right-aligned).
fn suite_table(suites: &BTreeMap<&str, BTreeMap<&str, usize>>) -> comfy_table::Table {
    use comfy_table::{CellAlignment, Table, presets};
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_header(["suite", "cases", "pass", "fail", "warn", "skipped"]);
    for (suite, counts) in suites {
        let get = |k: &str| counts.get(k).copied().unwrap_or(0);
        let total: usize = counts.values().sum();
        table.add_row([
            clean(suite),
            total.to_string(),
            get("pass").to_string(),
            (get("fail") + get("unexpected-pass")).to_string(),
            get("warning").to_string(),
            get("skipped").to_string(),
        ]);
    }
    for i in 0..6 {
        if let Some(column) = table.column_mut(i) {
            if i == 0 {
                column.set_padding((0, 0));
            } else {
                column.set_padding((2, 0)).set_cell_alignment(CellAlignment::Right);
            }
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    #[test]
    fn suite_table_has_a_header_and_right_aligned_counts() {
        let mut suites: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
        suites.insert(
            "ec-txns",
            BTreeMap::from([("pass", 29), ("fail", 2), ("unexpected-pass", 1)]),
        );
        suites.insert("payu-intent", BTreeMap::from([("pass", 100)]));
        let text = super::suite_table(&suites).to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "suite        cases  pass  fail  warn  skipped");
        assert_eq!(lines[1], "ec-txns         32    29     3     0        0");
        assert_eq!(lines[2], "payu-intent    100   100     0     0        0");
    }
}
