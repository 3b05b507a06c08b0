//! Shrinking a finding: dropping optional fields and halving long strings while the same
//! first finding keeps appearing.

use std::time::Instant;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::Value;
use upi_spec::Severity;
use upi_spec::input::Document;
use upi_spec::validate::validate;

use super::driver::*;
use super::mutation::*;
use super::reproducer::*;
use crate::runner::api::ApiCase;
use crate::runner::session::Session;

/// Shrinks a reproducer: drops optional fields and halves long strings while the same first
/// finding keeps appearing and the request breaks no rule the original does not (a valid
/// case stays valid, so replaying it against a correct target finds nothing). Shrinking stops
/// at the run's deadline. Returns the smallest reproducer found and the requests spent.
pub(super) async fn shrink(
    executor: &Session,
    apis: &[ApiCase],
    reproducer: Reproducer,
    deadline: Option<Instant>,
) -> (Reproducer, u64) {
    let Some(api) = apis.iter().find(|a| a.name() == reproducer.api).cloned() else {
        return (reproducer, 0);
    };
    let message = api.request.message();
    let target_rule = reproducer.findings[0].rule.clone();
    let protected = reproducer.mutation.field().map(str::to_string);
    let broken = |headers: &[(String, String)], body: &Value| -> std::collections::BTreeSet<String> {
        let doc = Document {
            headers: Some(headers.to_vec()),
            body: body.clone(),
        };
        validate(message, &doc)
            .into_iter()
            .filter(|v| v.severity == Severity::Must)
            .map(|v| v.rule)
            .collect()
    };
    let allowed = broken(&reproducer.headers, &reproducer.body);
    let mut best = reproducer;
    let mut spent = 0;
    let mut rng = ChaCha8Rng::seed_from_u64(best.seed ^ best.case);
    let required: Vec<&str> = message
        .body
        .fields
        .iter()
        .filter(|f| matches!(f.presence, upi_spec::model::Presence::Mandatory))
        .map(|f| f.key.label())
        .collect();
    // A long-string finding: bisect the length down to about the shortest that still fails the
    // same way (a size limit's reproducer is just over the limit, not 200,000 characters).
    if let Mutation::Huge { length, .. } = best.mutation {
        let (mut fails, mut passes) = (length, 0usize);
        while fails - passes > (fails / 32).max(64) && spent < 24 && deadline.is_none_or(|d| Instant::now() < d) {
            let middle = passes + (fails - passes) / 2;
            let mut mutation = best.mutation.clone();
            if let Mutation::Huge { length, .. } = &mut mutation {
                *length = middle;
            }
            let doc = Document {
                headers: Some(best.headers.clone()),
                body: best.body.clone(),
            };
            spent += 1;
            match attempt(executor, &api, message, doc, &mutation, &mut rng, best.seed, best.case).await {
                Ok((n, Some(found))) if found.findings.first().is_some_and(|f| f.rule == target_rule) => {
                    spent += n;
                    fails = middle;
                    best = found;
                }
                Ok((n, _)) => {
                    spent += n;
                    passes = middle;
                }
                Err(_) => passes = middle,
            }
        }
    }
    for _round in 0..2 {
        let keys: Vec<String> = best
            .body
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        for key in keys {
            if spent >= 48 || deadline.is_some_and(|d| Instant::now() >= d) {
                return (best, spent);
            }
            let mut candidate = best.body.clone();
            let changed = match candidate.get_mut(&key) {
                // The mutated field's value is the mutation's own (re-applied on every attempt).
                _ if protected.as_deref() == Some(key.as_str()) => false,
                Some(Value::String(s)) if s.chars().count() > 16 => {
                    let half: String = s.chars().take(s.chars().count() / 2).collect();
                    *s = half;
                    true
                }
                Some(_) if !required.contains(&key.as_str()) => {
                    candidate.as_object_mut().map(|m| m.remove(&key));
                    true
                }
                _ => false,
            };
            if !changed || !broken(&best.headers, &candidate).is_subset(&allowed) {
                continue;
            }
            let doc = Document {
                headers: Some(best.headers.clone()),
                body: candidate.clone(),
            };
            spent += 1;
            if let Ok((n, Some(found))) = attempt(
                executor,
                &api,
                message,
                doc,
                &best.mutation,
                &mut rng,
                best.seed,
                best.case,
            )
            .await
            {
                spent += n;
                if found.findings.first().is_some_and(|f| f.rule == target_rule) {
                    best = found;
                }
            }
        }
    }
    (best, spent)
}
