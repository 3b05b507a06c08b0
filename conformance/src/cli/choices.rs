//! Checks of the `run` and `fuzz` arguments before anything is sent, so a typo never passes CI:
//! an unknown suite, a glob that matches nothing, an empty selection, a flag that does nothing
//! and an API with no base URL are usage errors (exit 2) that name the valid choices. Also the
//! line on stderr that says which API goes to which base URL.

use std::collections::BTreeSet;

use anyhow::{Result, bail};
use globset::Glob;
use upi_conformance::runner::config::{Api, RunConfig, SANDBOX};
use upi_conformance::runner::plan::{self, Planned};

/// Every case the runner can plan (all suites, all versions), with `generated` generated cases
/// per message.
pub fn full_plan(generated: usize) -> Vec<Planned> {
    plan::plan(upi_spec::messages::apis(), &[], &[], generated)
}

/// The suite names `--suite` takes: each suite (`merchant-register-intent`) and each of its
/// variants as the report prints them (`merchant-register-intent.v3`).
pub fn suite_names(full: &[Planned]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for p in full {
        names.insert(p.suite.clone());
        if let Some((base, _)) = p.suite.split_once('.') {
            names.insert(base.to_string());
        }
    }
    names
}

fn list(names: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    names
        .into_iter()
        .map(|n| n.as_ref().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Refuses a suite name that is not one of `valid`, naming the valid ones.
pub fn check_suites(given: &[String], valid: &BTreeSet<String>) -> Result<()> {
    let unknown: Vec<&String> = given.iter().filter(|s| !valid.contains(s.as_str())).collect();
    if !unknown.is_empty() {
        bail!(
            "unknown suite {}; valid suites: {}",
            list(unknown.iter().map(|s| format!("{s:?}"))),
            list(valid)
        );
    }
    Ok(())
}

/// Refuses an `--only`/`--skip` glob that matches no case ID and no rule ID (planned or in the
/// catalogue): such a glob is a typo, and would select nothing or skip nothing.
pub fn check_globs(flag: &str, globs: &[String], full: &[Planned]) -> Result<()> {
    let catalogue = upi_spec::catalogue::all();
    for g in globs {
        let matcher = Glob::new(g)
            .map_err(|e| anyhow::anyhow!("{flag} {g:?}: {e}"))?
            .compile_matcher();
        let hit = full
            .iter()
            .any(|p| matcher.is_match(&p.id) || p.rules.iter().any(|r| matcher.is_match(r)))
            || catalogue.iter().any(|r| matcher.is_match(&r.id));
        if !hit {
            bail!(
                "{flag} {g:?} matches no case ID and no rule ID; case IDs look like \
                 `reject.<rule ID>`, `accept.<suite>.generated.0`, `flow.<suite>.<name>` \
                 (`upi-conformance rules` lists rule IDs); valid suites: {}",
                list(suite_names(full))
            );
        }
    }
    Ok(())
}

/// The base URL a planned case sends to (its API facts' service; none for a case that sends
/// nothing).
pub fn api_of(case: &Planned) -> Option<Api> {
    case.api().map(|a| a.api)
}

/// The name of an API in messages and in the config (`[targets]` key).
pub fn api_key(api: Api) -> &'static str {
    api.key
}

/// Whether the configuration names any base URL.
pub fn names_a_target(config: &RunConfig) -> bool {
    let t = &config.targets;
    t.base.is_some() || t.ec.is_some() || t.merchant.is_some() || t.payu.is_some() || t.sandbox.is_some()
}

/// Refuses a configuration that names base URLs for some of the selected APIs but not all
/// (the rest would otherwise go nowhere, or silently to the embedded server).
pub fn check_routes(config: &RunConfig, selected: &[Planned]) -> Result<()> {
    let apis: BTreeSet<Api> = selected.iter().filter_map(api_of).collect();
    let missing: Vec<&str> = apis
        .into_iter()
        .filter(|a| config.base(*a).is_none())
        .map(api_key)
        .collect();
    if !missing.is_empty() {
        bail!(
            "the configuration names no base URL for {} (set [targets] base = \"URL\", or {}), \
             or leave those suites out with --suite; selected suites: {}",
            list(&missing),
            list(missing.iter().map(|m| format!("{m} = \"URL\""))),
            list(selected.iter().map(|p| p.suite.as_str()).collect::<BTreeSet<_>>())
        );
    }
    Ok(())
}

/// One line per API of the selection: which base URL it goes to.
pub fn describe_routes(config: &RunConfig, selected: &[Planned]) -> String {
    let apis: BTreeSet<Api> = selected.iter().filter_map(api_of).collect();
    apis.into_iter()
        .chain(std::iter::once(SANDBOX))
        .map(|a| {
            format!(
                "{} -> {}",
                api_key(a),
                config.base(a).unwrap_or_else(|| "(none)".into())
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Refuses `--fault` with a live target: a fault switches a defect on in the embedded
/// reference server only, so with `--target` (or targets in the config) it would do nothing.
pub fn check_fault(fault: Option<&str>, target: Option<&str>, config: &RunConfig) -> Result<()> {
    let Some(fault) = fault else {
        return Ok(());
    };
    if target.is_some() || names_a_target(config) {
        bail!(
            "--fault {fault:?} applies only to the embedded reference server, but the run has a \
             live target ({}); drop --fault, or drop --target and the config's [targets]",
            target.map(str::to_string).unwrap_or_else(|| "from the config".into())
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_planned_suite_has_an_api_and_variants_are_named() {
        let full = full_plan(1);
        for p in &full {
            let sends = !matches!(p.step, plan::Step::Skip { .. });
            assert_eq!(api_of(p).is_some(), sends, "case {} of suite {}", p.id, p.suite);
        }
        let names = suite_names(&full);
        assert!(names.contains("merchant-register-intent.v3"), "{names:?}");
        assert!(names.contains("merchant-register-intent"), "{names:?}");
        assert!(check_suites(&["foo".into()], &names).is_err());
        assert!(check_globs("--only", &["nonexistent*".into()], &full).is_err());
        assert!(check_globs("--only", &["reject.*".into()], &full).is_ok());
    }
}
