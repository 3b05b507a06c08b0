//! Case planning, derived from the models: for every API, one acceptance case per seed sample
//! and per generated valid message, one rejection case per `must` request rule (each with a
//! message breaking exactly that rule), and the flows and security cases of each suite. Every
//! case has a stable ID and lists the rule IDs it checks.

use std::path::PathBuf;

use upi_spec::sites::{Locus, sites};
use upi_spec::{Severity, generate, messages};

use super::api::{self, ApiCase};
use super::case::CaseKind;
use super::cases::{Flow, Security};

/// The seed of a run that names none (`run` without `--seed`): fixed, so two runs of the same
/// suite against the same target plan and send the same cases. The seed only varies generated
/// values: which checks run never depends on it.
pub const DEFAULT_SEED: u64 = 20_261_121;

/// What a planned case does.
#[derive(Debug, Clone)]
pub enum Step {
    /// Send a valid message (a corrected seed sample, or generated number `n`) and expect acceptance.
    Accept {
        /// The API.
        api: ApiCase,
        /// A corrected seed sample, if this case sends one.
        sample: Option<PathBuf>,
        /// Generated message number (seeded).
        n: u64,
        /// Free-text fields carry non-ASCII text.
        unicode: bool,
    },
    /// Send a message breaking exactly `rule` and expect the API's rejection.
    Reject {
        /// The API.
        api: ApiCase,
        /// The rule broken.
        rule: String,
        /// How the request breaks it.
        breach: Breach,
        /// The value misses a two-sided bound from its other side (three decimals where the
        /// first case sends one; see [`upi_spec::generate::breaking_other_side`]).
        other_side: bool,
    },
    /// A rule that cannot be judged over HTTP; reported as skipped with the reason.
    Skip {
        /// Why the case cannot run.
        reason: &'static str,
    },
    /// A security case.
    Security {
        /// The API the case exercises.
        api: ApiCase,
        /// Which check.
        check: Security,
    },
    /// A flow: steps in order against the target's state.
    Flow {
        /// The API the flow starts from.
        api: ApiCase,
        /// Which flow.
        flow: Flow,
    },
}

/// How a rejection case breaks its rule (from the rule's site in the model, never from its ID).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breach {
    /// The body is not well formed on the wire (an unterminated JSON document, a bad percent
    /// escape, a multipart part sent twice).
    Syntax,
    /// The JSON body is not an object (an array).
    RootType,
    /// The generator draws a document breaking exactly the rule.
    Generated,
}

/// A rule as a case names it.
struct RuleRef {
    id: String,
    statement: String,
}

/// A planned case.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Stable ID.
    pub id: String,
    /// Suite.
    pub suite: String,
    /// Kind.
    pub kind: CaseKind,
    /// One line.
    pub title: String,
    /// Rules checked.
    pub rules: Vec<String>,
    /// What to do.
    pub step: Step,
}

/// Request rules no rejection case can judge over HTTP, with the reason (they are still
/// checked by `validate` and `audit` on captured requests).
const NOT_OVER_HTTP: &[(&str, &str)] = &[
    (
        ".header.x-api-version.required",
        "without x-api-version a request is a Default-version request: no server can tell it was meant for this version",
    ),
    (
        ".header.x-api-version.absent",
        "with x-api-version a request is a request of that version: no server can tell it was meant as a Default-version request",
    ),
];

/// Why no request can show whether a target enforces `rule_id`, if that is so.
pub fn not_over_http(rule_id: &str) -> Option<&'static str> {
    NOT_OVER_HTTP
        .iter()
        .find(|(suffix, _)| rule_id.ends_with(suffix))
        .map(|(_, reason)| *reason)
}

/// Plans every case of the selected suites. `versions` filters the Merchant Stack versions.
pub fn plan(suites: &[String], versions: &[String], generated: usize) -> Vec<Planned> {
    let mut out = Vec::new();
    for api in api::all() {
        if !suites.is_empty() && !suites.iter().any(|s| *s == api.suite || *s == api.name()) {
            continue;
        }
        if api.suite == "merchant-register-intent" && !versions.is_empty() && !versions.iter().any(|v| v == api.variant)
        {
            continue;
        }
        let Some(request) = messages::find(api.request) else {
            continue;
        };
        let suite = api.name();
        for sample in samples_of(api.request) {
            let name = sample
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            out.push(Planned {
                id: format!("accept.{suite}.sample.{name}"),
                suite: suite.clone(),
                kind: CaseKind::Accept,
                title: format!(
                    "the seed's corrected sample {name} is accepted and answered per {}",
                    api.success
                ),
                rules: vec![format!("{}.accepted", api.request)],
                step: Step::Accept {
                    api: api.clone(),
                    sample: Some(sample),
                    n: 0,
                    unicode: false,
                },
            });
        }
        for n in 0..generated as u64 {
            out.push(Planned {
                id: format!("accept.{suite}.generated.{n}"),
                suite: suite.clone(),
                kind: CaseKind::Accept,
                title: format!(
                    "generated valid {} number {n} is accepted and answered per {}",
                    api.request, api.success
                ),
                rules: vec![format!("{}.accepted", api.request)],
                step: Step::Accept {
                    api: api.clone(),
                    sample: None,
                    n,
                    unicode: false,
                },
            });
        }
        out.push(Planned {
            id: format!("accept.{suite}.unicode-text"),
            suite: suite.clone(),
            kind: CaseKind::Accept,
            title: format!(
                "a valid {} whose free-text fields are non-ASCII text is accepted, never a 5xx",
                api.request
            ),
            rules: vec![format!("{}.accepted", api.request), "transport.no-server-error".into()],
            step: Step::Accept {
                api: api.clone(),
                sample: None,
                n: 0,
                unicode: true,
            },
        });
        for site in sites(request) {
            if site.severity != Severity::Must
                || matches!(site.locus, Locus::Echo(_))
                || context_owned(&api, &site.rule)
            {
                continue;
            }
            let breach = match site.locus {
                Locus::Syntax => Breach::Syntax,
                Locus::RootType => Breach::RootType,
                _ => Breach::Generated,
            };
            let rule = RuleRef {
                id: site.rule,
                statement: site.statement,
            };
            if let Some(reason) = not_over_http(&rule.id) {
                out.push(Planned {
                    id: format!("reject.{}", rule.id),
                    suite: suite.clone(),
                    kind: CaseKind::Reject,
                    title: format!("a request breaking only this rule is rejected: {}", rule.statement),
                    rules: vec![rule.id.clone()],
                    step: Step::Skip { reason },
                });
                continue;
            }
            out.push(Planned {
                id: format!("reject.{}", rule.id),
                suite: suite.clone(),
                kind: CaseKind::Reject,
                title: format!("a request breaking only this rule is rejected: {}", rule.statement),
                rules: vec![rule.id.clone()],
                step: Step::Reject {
                    api: api.clone(),
                    rule: rule.id.clone(),
                    breach,
                    other_side: false,
                },
            });
            // A bound is missed from both sides: one decimal and three, a digit short and one
            // too many.
            if breach == Breach::Generated && generate::has_other_side(request, &rule.id) {
                out.push(Planned {
                    id: format!("reject.{}.other-side", rule.id),
                    suite: suite.clone(),
                    kind: CaseKind::Reject,
                    title: format!(
                        "a request missing this bound from its other side is rejected: {}",
                        rule.statement
                    ),
                    rules: vec![rule.id.clone()],
                    step: Step::Reject {
                        api: api.clone(),
                        rule: rule.id.clone(),
                        breach,
                        other_side: true,
                    },
                });
            }
        }
        let several_versions = api.suite == "merchant-register-intent" && versions.len() > 1;
        for flow in Flow::of_suite(api.suite) {
            if flow.once_per_suite() && api.variant != "v3" && several_versions {
                continue;
            }
            out.push(Planned {
                id: format!("flow.{suite}.{}", flow.name()),
                suite: suite.clone(),
                kind: CaseKind::Flow,
                title: flow.title().to_string(),
                rules: flow.rules().iter().map(|r| (*r).to_string()).collect(),
                step: Step::Flow {
                    api: api.clone(),
                    flow: *flow,
                },
            });
        }
        // The postservice checks run once, on udf_update, not per command.
        if api.suite == "payu-postservice" && api.variant != "udf-update" {
            continue;
        }
        for check in Security::of_suite(api.suite) {
            out.push(Planned {
                id: format!("security.{suite}.{}", check.name()),
                suite: suite.clone(),
                kind: CaseKind::Security,
                title: check.title().to_string(),
                rules: check.rules().iter().map(|r| (*r).to_string()).collect(),
                step: Step::Security {
                    api: api.clone(),
                    check,
                },
            });
        }
    }
    out
}

/// Rules whose subject is a value the runner must supply from the target's state (credentials,
/// existing orders): breaking them is covered by flows, not by a generated rejection.
fn context_owned(api: &ApiCase, rule: &str) -> bool {
    let _ = api;
    rule.ends_with(".header.authorization.min-length")
}

/// The corrected seed samples of a request message (from `golden/seeds/MANIFEST.json`).
fn samples_of(message_id: &str) -> Vec<PathBuf> {
    let root = crate::embedded::path("golden/seeds");
    let Ok(text) = crate::embedded::read_to_string(&root.join("MANIFEST.json")) else {
        return Vec::new();
    };
    let Ok(entries) = serde_json::from_str::<Vec<serde_json::Value>>(&text) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .iter()
        .filter(|e| {
            e["message"] == message_id
                || (e["message"] == "merchant.jws-envelope"
                    && envelope_version(e["file"].as_str().unwrap_or("")) == Some(message_id))
        })
        .filter_map(|e| e["corrected"].as_str())
        .map(|f| root.join("corrected").join(f))
        .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "curl"))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn envelope_version(file: &str) -> Option<&'static str> {
    ["v3", "v2", "v1", "default"]
        .iter()
        .find(|v| file.contains(&format!("{v}-curl")))
        .map(|v| match *v {
            "v3" => "merchant.register-intent.v3.request",
            "v2" => "merchant.register-intent.v2.request",
            "v1" => "merchant.register-intent.v1.request",
            _ => "merchant.register-intent.default.request",
        })
}
