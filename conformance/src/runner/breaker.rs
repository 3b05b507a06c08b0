//! The unresponsive-target rule: after `limit` transport timeouts in a row on one base URL
//! (scheme, host and port), the client stops sending to it. Every later request to that base
//! comes back at once as "not sent", and the runner folds the run's timeouts on it into one
//! `transport.timeout` finding, with the other cases against it skipped ([`fold`]), instead of
//! every case waiting out its own timeouts and failing its own rules.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::case::{CaseResult, Finding, Outcome};
use super::http::Exchange;

/// The default of `--max-timeouts`: consecutive timeouts on one base before it is given up.
pub const DEFAULT_MAX_TIMEOUTS: usize = 5;

/// The start of the skip reason of a case not sent to an unresponsive base.
pub const NOT_ANSWERING: &str = "target not answering";

/// The rule a given-up base breaks.
const TIMEOUT_RULE: &str = upi_spec::rule_ids::behaviour::TRANSPORT_TIMEOUT.as_str();

/// What the breaker knows about one base.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaseState {
    /// Timeouts since the last answer.
    pub consecutive: usize,
    /// Timeouts in all.
    pub timeouts: usize,
    /// Whether the base was given up.
    pub given_up: bool,
}

/// Counts consecutive timeouts per base and gives a base up at the limit.
#[derive(Debug)]
pub struct Breaker {
    limit: usize,
    bases: Mutex<BTreeMap<String, BaseState>>,
}

/// The base of a URL: scheme, host and port (`http://127.0.0.1:8080`); the URL itself when it
/// does not parse.
pub fn base_of(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(u) => u.origin().ascii_serialization(),
        Err(_) => url.to_string(),
    }
}

impl Breaker {
    /// A breaker giving a base up after `limit` timeouts in a row (0: never).
    pub fn new(limit: usize) -> Breaker {
        Breaker {
            limit,
            bases: Mutex::new(BTreeMap::new()),
        }
    }

    /// Why a request to `url` is not sent, if its base was given up.
    pub fn refuses(&self, url: &str) -> Option<String> {
        let base = base_of(url);
        let bases = self.bases.lock().ok()?;
        let state = bases.get(&base)?;
        state.given_up.then(|| self.reason(&base, state))
    }

    /// Records the end of a request to `url`: a timeout, or an answer (any other end resets the
    /// count, a refused connection included: only silence counts).
    pub fn record(&self, url: &str, timed_out: bool) {
        let Ok(mut bases) = self.bases.lock() else { return };
        let state = bases.entry(base_of(url)).or_default();
        if timed_out {
            state.consecutive += 1;
            state.timeouts += 1;
            if self.limit > 0 && state.consecutive >= self.limit {
                state.given_up = true;
            }
        } else if !state.given_up {
            state.consecutive = 0;
        }
    }

    /// The bases given up, with what the breaker knows of each.
    pub fn given_up(&self) -> Vec<(String, BaseState)> {
        self.bases
            .lock()
            .map(|b| {
                b.iter()
                    .filter(|(_, s)| s.given_up)
                    .map(|(k, s)| (k.clone(), s.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn reason(&self, base: &str, state: &BaseState) -> String {
        format!(
            "{NOT_ANSWERING}: {base} gave no complete answer {} times in a row (--max-timeouts {}); not sent",
            state.consecutive.max(self.limit),
            self.limit
        )
    }

    /// The skip reason of the cases against a given-up `base`.
    pub fn skip_reason(&self, base: &str, state: &BaseState) -> String {
        self.reason(base, state)
    }
}

fn touches(x: &Exchange, base: &str) -> bool {
    x.request_line
        .split_once(' ')
        .is_some_and(|(_, url)| base_of(url) == base)
}

/// Folds the timeouts on every given-up base into one finding: the first case (in `cases`'
/// order) that timed out on it fails `transport.timeout` once, with the count; every other
/// case that timed out on it or was not sent to it is skipped with the reason. Returns how
/// many cases were folded into skips.
pub fn fold(breaker: &Breaker, cases: &mut [CaseResult]) -> usize {
    let mut skipped = 0;
    for (base, state) in breaker.given_up() {
        let timed_out = |c: &CaseResult| c.exchanges.iter().any(|x| x.timed_out && touches(x, &base));
        let not_sent = |c: &CaseResult| c.exchanges.iter().any(|x| x.not_sent && touches(x, &base));
        let reporter = cases.iter().position(timed_out);
        let reason = breaker.skip_reason(&base, &state);
        let mut folded = 0;
        for (i, c) in cases.iter_mut().enumerate() {
            if Some(i) != reporter && (timed_out(c) || not_sent(c)) {
                c.outcome = Outcome::Skipped { reason: reason.clone() };
                c.findings.clear();
                folded += 1;
            }
        }
        if let Some(i) = reporter {
            let c = &mut cases[i];
            c.findings = vec![Finding::must(
                TIMEOUT_RULE,
                format!(
                    "{} requests to {base} got no complete answer within the request timeout, {} of them in a row; \
                     the {folded} other cases against it were not sent or not judged (skipped: {NOT_ANSWERING})",
                    state.timeouts, state.consecutive
                ),
            )];
            c.outcome = Outcome::Fail;
        }
        skipped += folded;
    }
    skipped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_is_given_up_after_the_limit_in_a_row() {
        let b = Breaker::new(3);
        let url = "http://127.0.0.1:9/orders";
        b.record(url, true);
        b.record(url, true);
        b.record(url, false);
        b.record(url, true);
        b.record(url, true);
        assert!(
            b.refuses("http://127.0.0.1:9/x").is_none(),
            "an answer resets the count"
        );
        b.record(url, true);
        let why = b.refuses("http://127.0.0.1:9/txns").expect("given up");
        assert!(why.starts_with(NOT_ANSWERING), "{why}");
        assert!(
            b.refuses("http://127.0.0.1:10/txns").is_none(),
            "other bases still sent"
        );
        assert_eq!(b.given_up()[0].1.timeouts, 5);
    }

    #[test]
    fn zero_never_gives_up() {
        let b = Breaker::new(0);
        for _ in 0..50 {
            b.record("http://h/", true);
        }
        assert!(b.refuses("http://h/").is_none());
    }
}
