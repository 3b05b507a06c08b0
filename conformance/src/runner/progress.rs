//! Progress on stderr. `run`: on a terminal, a bar with live pass and fail counts; otherwise
//! (CI logs) one line per finished suite. `fuzz`: an indicatif bar with the time left, on a
//! terminal only. The CLI's `--quiet` turns both off (`show = false`).

use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::case::{CaseResult, Outcome};
use super::plan::Planned;

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// Counts of one suite while it runs.
#[derive(Debug, Default)]
struct SuiteCounts {
    planned: usize,
    done: usize,
    pass: usize,
    fail: usize,
    other: usize,
}

/// How a run shows progress.
#[derive(Debug)]
enum Mode {
    Quiet,
    Bar(ProgressBar),
    Lines,
}

/// The progress of a conformance run.
#[derive(Debug)]
pub struct RunProgress {
    mode: Mode,
    suites: BTreeMap<String, SuiteCounts>,
    pass: usize,
    fail: usize,
}

impl RunProgress {
    /// Progress over `planned` cases: a bar when stderr is a terminal, lines otherwise, nothing
    /// when `show` is false.
    pub fn new(planned: &[Planned], show: bool) -> RunProgress {
        let terminal = std::io::stderr().is_terminal();
        RunProgress::with_mode(planned, show, terminal)
    }

    fn with_mode(planned: &[Planned], show: bool, terminal: bool) -> RunProgress {
        let mut suites: BTreeMap<String, SuiteCounts> = BTreeMap::new();
        for p in planned {
            suites.entry(p.suite.clone()).or_default().planned += 1;
        }
        let mode = match (show, terminal) {
            (false, _) => Mode::Quiet,
            (true, true) => {
                let bar = ProgressBar::with_draw_target(Some(planned.len() as u64), ProgressDrawTarget::stderr());
                bar.set_style(style("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {msg}"));
                bar.enable_steady_tick(Duration::from_millis(200));
                Mode::Bar(bar)
            }
            (true, false) => Mode::Lines,
        };
        RunProgress {
            mode,
            suites,
            pass: 0,
            fail: 0,
        }
    }

    /// Counts a finished case; in lines mode prints a suite's line when its last case is done.
    pub fn case_done(&mut self, case: &CaseResult) {
        let counts = self.suites.entry(case.suite.clone()).or_default();
        counts.done += 1;
        match &case.outcome {
            Outcome::Pass | Outcome::Info => {
                counts.pass += 1;
                self.pass += 1;
            }
            o if o.fails_run() => {
                counts.fail += 1;
                self.fail += 1;
            }
            _ => counts.other += 1,
        }
        let line = (counts.done == counts.planned).then(|| Self::suite_line(&case.suite, counts));
        match &self.mode {
            Mode::Quiet => {}
            Mode::Bar(bar) => {
                bar.set_message(format!("{} passed, {} failed  {}", self.pass, self.fail, case.suite));
                bar.inc(1);
            }
            Mode::Lines => {
                if let Some(line) = line {
                    eprintln!("{line}");
                }
            }
        }
    }

    fn suite_line(suite: &str, c: &SuiteCounts) -> String {
        format!(
            "upi-conformance: suite {suite} done: {} cases, {} passed, {} failed, {} skipped or warned",
            c.done, c.pass, c.fail, c.other
        )
    }

    /// Clears the bar.
    pub fn finish(self) {
        if let Mode::Bar(bar) = self.mode {
            bar.finish_and_clear();
        }
    }
}

/// The progress of a fuzzing run: a bar toward the case count or the duration, with the time
/// left, drawn only on a terminal.
#[derive(Debug, Clone)]
pub struct FuzzProgress {
    bar: ProgressBar,
    by_time: bool,
}

impl FuzzProgress {
    /// A bar toward `duration` when given (else toward `cases`).
    pub fn new(cases: Option<u64>, duration: Option<Duration>) -> FuzzProgress {
        let (len, by_time) = match (duration, cases) {
            (Some(d), _) => (d.as_secs().max(1), true),
            (None, Some(n)) => (n, false),
            (None, None) => (0, false),
        };
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        bar.set_style(style("{spinner} fuzz [{elapsed_precise}] {bar:30} {msg} ({eta} left)"));
        FuzzProgress { bar, by_time }
    }

    /// Shows the counts so far.
    pub fn update(&self, cases: u64, requests: u64, findings: usize) {
        let secs = self.bar.elapsed().as_secs_f64().max(0.001);
        self.bar.set_message(format!(
            "{cases} cases, {requests} requests, {:.0} req/s, {findings} findings",
            requests as f64 / secs
        ));
        self.bar.set_position(if self.by_time {
            self.bar.elapsed().as_secs()
        } else {
            cases
        });
    }

    /// Clears the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::case::CaseKind;

    fn planned(suite: &str, id: &str) -> Planned {
        crate::runner::plan::plan(upi_spec::messages::apis(), &[], &[], 1)
            .into_iter()
            .map(|mut p| {
                p.suite = suite.into();
                p.id = id.into();
                p
            })
            .next()
            .unwrap()
    }

    fn result(suite: &str, outcome: Outcome) -> CaseResult {
        CaseResult {
            id: "x".into(),
            suite: suite.into(),
            kind: CaseKind::Accept,
            title: String::new(),
            rules: vec![],
            outcome,
            findings: vec![],
            exchanges: vec![],
            elapsed_ms: 0,
        }
    }

    #[test]
    fn a_suite_line_comes_when_its_last_case_is_done() {
        let plan = [planned("a", "1"), planned("a", "2"), planned("b", "3")];
        let mut p = RunProgress::with_mode(&plan, true, false);
        p.case_done(&result("a", Outcome::Pass));
        assert_eq!(p.suites["a"].done, 1);
        p.case_done(&result("a", Outcome::Fail));
        let a = &p.suites["a"];
        assert_eq!((a.done, a.pass, a.fail), (2, 1, 1));
        assert_eq!(
            RunProgress::suite_line("a", a),
            "upi-conformance: suite a done: 2 cases, 1 passed, 1 failed, 0 skipped or warned"
        );
        assert_eq!((p.pass, p.fail), (1, 1));
    }
}
