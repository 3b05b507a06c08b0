//! Case planning, derived from the models: for every API, one acceptance case per seed sample
//! and per generated valid message, one rejection case per `must` and per `should` request rule
//! (each with a message breaking exactly that rule; accepting a `should` rule's breach is a
//! warning naming the rule's grounding), and the flows and security cases of each suite. Every
//! case has a stable ID and lists the rule IDs it checks.

use std::collections::HashSet;
use std::path::PathBuf;
use upi_spec::id::MessageId;
use upi_spec::rule_ids as rules;

use upi_spec::model::api::Api as ApiFacts;
use upi_spec::model::{Constraint, Message};
use upi_spec::sites::{Locus, Step as SiteStep, sites};
use upi_spec::{Severity, generate, grounding};

use super::api::{self, ApiCase};
use super::case::CaseKind;
use super::cases::{Flow, Security};
use super::reason::{Pinned, pinned_for};

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
        /// Its severity as reported (settled by the grounding law): accepting the breach of a
        /// `should` rule is a warning, of a `must` rule a failure.
        severity: Severity,
        /// What the rule rests on (`stated (...)`, `derived: ...`, `unverified: ...`), for the
        /// finding when the breach is accepted.
        grounding: String,
        /// How the request breaks it.
        breach: Breach,
        /// How the seed says the refusal looks, where it says so.
        pinned: Option<Pinned>,
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
    severity: Severity,
    grounding: String,
}

impl RuleRef {
    /// The case title: a `must` rule's breach is rejected, a `should` rule's should be.
    fn title(&self) -> String {
        match self.severity {
            Severity::Must => format!("a request breaking only this rule is rejected: {}", self.statement),
            _ => format!(
                "a request breaking only this rule should be rejected (a warning if accepted): {}",
                self.statement
            ),
        }
    }
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

impl Planned {
    /// The operation the case sends to (none for a case that is skipped, which sends nothing).
    pub fn api(&self) -> Option<&ApiCase> {
        match &self.step {
            Step::Accept { api, .. }
            | Step::Reject { api, .. }
            | Step::Security { api, .. }
            | Step::Flow { api, .. } => Some(api),
            Step::Skip { .. } => None,
        }
    }
}

/// Why no request can show whether a target enforces the rule at a site, if that is so: the
/// presence rules of `x-api-version`, the header that selects the version a request is judged
/// as (they are still checked by `validate` and `audit` on captured requests).
pub fn not_over_http(header: bool, steps: &[SiteStep], locus: &Locus<'_>) -> Option<&'static str> {
    let version_header = header && matches!(steps.first(), Some(SiteStep::Key(k)) if k == "x-api-version");
    match locus {
        Locus::Required(_) if version_header => Some(
            "without x-api-version a request is a Default-version request: no server can tell it was meant for this version",
        ),
        Locus::Absent(_) if version_header => Some(
            "with x-api-version a request is a request of that version: no server can tell it was meant as a Default-version request",
        ),
        _ => None,
    }
}

/// [`not_over_http`] for the rule `rule_id`'s site in `message` (none for a rule without one).
pub fn rule_not_over_http(message: &Message, rule_id: &str) -> Option<&'static str> {
    sites(message)
        .into_iter()
        .find(|s| s.rule == rule_id)
        .and_then(|s| not_over_http(s.header, &s.steps, &s.locus))
}

/// One version of a versioned API as `run --api-version` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionChoice {
    /// The name on the command line: the value the version's request fixes for the header
    /// that selects the version (`3` for `x-api-version: 3`), or, for the version selected by
    /// leaving that header out, the operation's variant (`default`).
    pub name: &'static str,
    /// The operation's variant, as [`plan`]'s `versions` takes it.
    pub variant: &'static str,
}

/// The versions of the versioned APIs of `apis`, in plan order, from their facts: each
/// operation's variant, named by the value its request fixes for a selecting header (a header
/// whose fixed value, or absence, differs between the API's operations).
pub fn version_choices(apis: &[ApiFacts]) -> Vec<VersionChoice> {
    // What a request says in a header: a fixed value, absent, or anything (`None`).
    let says = |message: &Message, name: &str| {
        message
            .headers
            .iter()
            .find(|h| h.key.label() == name)
            .and_then(upi_spec::model::Field::fixed_value)
    };
    let mut out = Vec::new();
    for api in apis.iter().filter(|a| a.versioned) {
        let requests: Vec<&Message> = api.operations.iter().map(|o| o.request.message()).collect();
        let selects = |name: &str| {
            let said: HashSet<Option<Option<&str>>> = requests.iter().map(|m| says(m, name)).collect();
            said.len() == requests.len() && !said.contains(&None)
        };
        for (op, message) in api.operations.iter().zip(&requests) {
            let fixed = message
                .headers
                .iter()
                .map(|h| h.key.label())
                .filter(|n| selects(n))
                .find_map(|n| says(message, n).flatten());
            out.push(VersionChoice {
                name: fixed.unwrap_or(op.variant),
                variant: op.variant,
            });
        }
    }
    out
}

/// Plans every case of the selected suites of `apis` (the seed APIs:
/// [`upi_spec::messages::apis`]; a test may hand its own). `versions` filters the operations
/// of a versioned API by their variant.
pub fn plan(apis: &'static [ApiFacts], suites: &[String], versions: &[String], generated: usize) -> Vec<Planned> {
    let mut out = Vec::new();
    // The once-per-suite flows already planned, by suite.
    let mut planned_once: HashSet<(&str, &str)> = HashSet::new();
    for api in api::cases_of(apis) {
        if !suites.is_empty() && !suites.iter().any(|s| *s == api.suite || *s == api.name()) {
            continue;
        }
        if api.declared.versioned && !versions.is_empty() && !versions.iter().any(|v| v == api.variant) {
            continue;
        }
        let request = api.request.message();
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
                rules: vec![api.accepted.into()],
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
                rules: vec![api.accepted.into()],
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
            rules: vec![api.accepted.into(), rules::behaviour::TRANSPORT_NO_SERVER_ERROR.into()],
            step: Step::Accept {
                api: api.clone(),
                sample: None,
                n: 0,
                unicode: true,
            },
        });
        for site in sites(request) {
            if site.severity == Severity::Info
                || matches!(site.locus, Locus::Echo(_))
                || context_owned(site.header, &site.steps, &site.locus)
            {
                continue;
            }
            let pinned = pinned_for(&api, matches!(site.locus, Locus::Required(_)));
            let breach = match site.locus {
                Locus::Syntax => Breach::Syntax,
                Locus::RootType => Breach::RootType,
                _ => Breach::Generated,
            };
            let rule = RuleRef {
                grounding: grounding::of(&site.rule, &site.source).to_string(),
                id: site.rule,
                statement: site.statement,
                severity: site.severity,
            };
            // No refusal is expected where the seed answers the breach otherwise, or where a
            // seed's own sample commits it.
            let answered = upi_spec::behaviour::answered_by(&rule.id)
                .map(|(_, why)| why)
                .or_else(|| {
                    grounding::broken_by_seed_samples(&rule.id)
                        .then_some("a seed's own sample breaks this should rule (upi_spec::grounding::BROKEN_BY_SEED_SAMPLES), so a refusal is not expected of a target")
                });
            if let Some(reason) = not_over_http(site.header, &site.steps, &site.locus).or(answered) {
                out.push(Planned {
                    id: format!("reject.{}", rule.id),
                    suite: suite.clone(),
                    kind: CaseKind::Reject,
                    title: rule.title(),
                    rules: vec![rule.id.clone()],
                    step: Step::Skip { reason },
                });
                continue;
            }
            let case = Planned {
                id: format!("reject.{}", rule.id),
                suite: suite.clone(),
                kind: CaseKind::Reject,
                title: rule.title(),
                rules: vec![rule.id.clone()],
                step: Step::Reject {
                    api: api.clone(),
                    rule: rule.id.clone(),
                    severity: rule.severity,
                    grounding: rule.grounding.clone(),
                    breach,
                    pinned,
                    other_side: false,
                },
            };
            // A bound is missed from both sides: one decimal and three, a digit short and one
            // too many. The second case is the first one sent from the other side.
            if breach == Breach::Generated && generate::has_other_side(request, &rule.id) {
                let mut other = case.clone();
                other.id = format!("reject.{}.other-side", rule.id);
                other.title = format!(
                    "a request missing this bound from its other side is rejected: {}",
                    rule.statement
                );
                if let Step::Reject { other_side, .. } = &mut other.step {
                    *other_side = true;
                }
                out.push(case);
                out.push(other);
            } else {
                out.push(case);
            }
        }
        // With several versions selected, a once-per-suite flow runs on the first of them.
        let several_versions = api.declared.versioned && versions.len() > 1;
        for flow in api.declared.flows {
            if flow.once_per_suite() && several_versions && !planned_once.insert((api.suite, flow.name())) {
                continue;
            }
            out.push(Planned {
                id: format!("flow.{suite}.{}", flow.name()),
                suite: suite.clone(),
                kind: CaseKind::Flow,
                title: flow.title().to_string(),
                rules: upi_spec::rule_ids::of_flow(*flow)
                    .iter()
                    .map(|r| (*r).to_string())
                    .collect(),
                step: Step::Flow {
                    api: api.clone(),
                    flow: *flow,
                },
            });
        }
        // Operations sharing one authentication run the security checks on one of them.
        if !api.facts.security_cases {
            continue;
        }
        for check in Security::of(&api) {
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

/// Rules whose subject is a value the runner must supply from the target's state (the
/// `authorization` header's minimum length: the credential is configured): breaking them is
/// covered by flows, not by a generated rejection.
fn context_owned(header: bool, steps: &[SiteStep], locus: &Locus<'_>) -> bool {
    header
        && matches!(steps.first(), Some(SiteStep::Key(k)) if k == "authorization")
        && matches!(locus, Locus::Check { check, .. } if matches!(check.constraint, Constraint::MinLen(_)))
}

/// The corrected seed samples sending a request message (from `golden/seeds/MANIFEST.json`;
/// an envelope sample sends the payload model the manifest names).
fn samples_of(message_id: MessageId) -> Vec<PathBuf> {
    let root = crate::embedded::path("golden/seeds");
    let Ok(text) = crate::embedded::read_to_string(&root.join("MANIFEST.json")) else {
        return Vec::new();
    };
    let Ok(entries) = upi_spec::samples::parse_manifest(&text) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .iter()
        .filter(|e| e.sends() == message_id)
        .filter_map(|e| e.corrected.as_deref())
        .map(|f| root.join("corrected").join(f))
        .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "curl"))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use upi_spec::messages::ids;

    #[test]
    fn each_register_intent_version_plans_the_curl_sample_sending_it() {
        // The manifest names each envelope sample's payload: each version plans its own curl
        // sample and no other version's (the file's name is not read for it).
        let mut seen = HashSet::new();
        for version in [
            ids::REGISTER_INTENT_DEFAULT_REQUEST,
            ids::REGISTER_INTENT_V1_REQUEST,
            ids::REGISTER_INTENT_V2_REQUEST,
            ids::REGISTER_INTENT_V3_REQUEST,
        ] {
            let curl: Vec<PathBuf> = samples_of(version)
                .into_iter()
                .filter(|p| p.extension().is_some_and(|x| x == "curl"))
                .collect();
            assert_eq!(curl.len(), 1, "{version}: {curl:?}");
            assert!(
                seen.insert(curl[0].clone()),
                "{version} plans another version's sample {curl:?}"
            );
        }
    }

    #[test]
    fn the_register_intent_versions_are_named_by_their_x_api_version() {
        let names: Vec<(&str, &str)> = version_choices(upi_spec::messages::apis())
            .into_iter()
            .map(|c| (c.name, c.variant))
            .collect();
        let variants: Vec<&str> = upi_spec::messages::apis()
            .iter()
            .filter(|a| a.versioned)
            .flat_map(|a| a.operations.iter().map(|o| o.variant))
            .collect();
        assert_eq!(names.iter().map(|n| n.1).collect::<Vec<_>>(), variants);
        // `content-type` is fixed too, to one value for every version: it selects none.
        assert_eq!(
            names.iter().map(|n| n.0).collect::<Vec<_>>(),
            ["3", "2", "1", "default"]
        );
    }

    /// The flow case IDs planned with `versions` selected.
    fn flows_with(versions: &[&str]) -> Vec<String> {
        let versions: Vec<String> = versions.iter().map(|v| (*v).to_string()).collect();
        plan(upi_spec::messages::apis(), &[], &versions, 0)
            .into_iter()
            .filter(|p| p.kind == CaseKind::Flow && p.id.contains("register-intent"))
            .map(|p| p.id)
            .collect()
    }

    #[test]
    fn a_once_per_suite_flow_runs_on_the_first_selected_version_only() {
        // One version, or all of them: the flow runs per version.
        assert_eq!(
            flows_with(&["v1"]),
            ["flow.merchant-register-intent.v1.duplicate-rejected"]
        );
        assert_eq!(flows_with(&[]).len(), 4, "{:?}", flows_with(&[]));
        // Several: once, on the first selected (in the API's declared order).
        assert_eq!(
            flows_with(&["v3", "v2"]),
            ["flow.merchant-register-intent.v3.duplicate-rejected"]
        );
        assert_eq!(
            flows_with(&["v1", "v2"]),
            ["flow.merchant-register-intent.v2.duplicate-rejected"]
        );
    }

    #[test]
    fn operations_sharing_authentication_plan_the_security_cases_once() {
        let security: Vec<String> = plan(upi_spec::messages::apis(), &[], &[], 0)
            .into_iter()
            .filter(|p| p.kind == CaseKind::Security && p.suite.starts_with("payu-postservice"))
            .map(|p| p.suite)
            .collect();
        assert!(!security.is_empty());
        assert!(
            security.iter().all(|s| s == "payu-postservice.udf-update"),
            "{security:?}"
        );
    }
}
