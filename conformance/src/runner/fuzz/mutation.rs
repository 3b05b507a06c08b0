//! The fuzzer's cases: how a case is made (valid, breaking one rule, or a structure-aware
//! mutation of a valid message) and how a mutation changes the document and the raw body.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use upi_spec::input::Document;
use upi_spec::model::{Encoding, Message};
use upi_spec::{Severity, catalogue, generate};

use crate::runner::api::{self, ApiCase};
use crate::runner::http::Body;

/// How a case was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mutation {
    /// A valid message.
    Valid,
    /// A message breaking exactly this rule.
    Break {
        /// The rule.
        rule: String,
    },
    /// A field set to non-ASCII text with a control character.
    NonAscii {
        /// The field.
        field: String,
    },
    /// A field set to a long string (4,097 to 200,000 characters when generated, just past common
    /// buffer sizes and limits; shrinking shortens it).
    Huge {
        /// The field.
        field: String,
        /// The string's length in characters.
        #[serde(default = "generated_huge_length")]
        length: usize,
    },
    /// An amount field set to a numeric edge case.
    NumericEdge {
        /// The field.
        field: String,
        /// The value.
        value: String,
    },
    /// A field set to a value of the wrong JSON type.
    WrongType {
        /// The field.
        field: String,
    },
    /// A field removed.
    Missing {
        /// The field.
        field: String,
    },
    /// An extra, unknown field added.
    Extra,
    /// The first key of the body sent twice with another value.
    DuplicateKey,
    /// The body's encoding broken (bad percent escape, truncated JSON).
    BrokenEncoding,
    /// The PayU hash altered after computing it.
    WrongHash,
    /// The JWS signature altered after signing.
    WrongSignature,
    /// The request timestamps an hour old.
    StaleTimestamp,
}

/// The lengths a generated [`Mutation::Huge`] string takes, one drawn per case: each just past
/// a size implementations commonly buffer or limit at (4 KiB pages, 8 KiB and 16 KiB read
/// buffers and TLS records, 64 KiB body limits), and 200,000 characters, past 128 KiB limits
/// (the only length generated before). A defect at one of those sizes shows on the length just
/// past it, which a single fixed length steps over; and the mean length, about a quarter of
/// 200,000, cuts what each such case costs both sides (hashing, encoding, decoding, judging).
pub(super) const HUGE_LENGTHS: [usize; 5] = [4_097, 8_193, 16_385, 65_537, HUGE_LENGTH];

/// The longest generated [`Mutation::Huge`] string, and the length of one read from a
/// reproducer written before lengths were recorded.
pub(super) const HUGE_LENGTH: usize = 200_000;

pub(super) fn generated_huge_length() -> usize {
    HUGE_LENGTH
}

impl Mutation {
    /// The body field the mutation is about (protected from context when re-preparing).
    pub(super) fn field(&self) -> Option<&str> {
        match self {
            Mutation::NonAscii { field }
            | Mutation::Huge { field, .. }
            | Mutation::NumericEdge { field, .. }
            | Mutation::WrongType { field }
            | Mutation::Missing { field } => Some(field),
            _ => None,
        }
    }
}

/// An API under fuzzing with what is worked out once per run: its request model and the
/// `must` rules a generated message can break in a way a target can be judged on.
pub(super) struct FuzzTarget {
    pub(super) api: ApiCase,
    pub(super) message: &'static Message,
    breakable: Vec<String>,
}

impl FuzzTarget {
    pub(super) fn new(api: &ApiCase) -> Option<FuzzTarget> {
        let message = api.request.message();
        let breakable = catalogue::rules_of(message)
            .into_iter()
            .filter(|r| {
                r.severity == Severity::Must
                    && !r.id.contains(".echo.")
                    && crate::runner::plan::rule_not_over_http(message, &r.id).is_none()
                    // Rules no document can break (the body's syntax rule: a raw-bytes matter,
                    // covered by the BrokenEncoding mutation) would make a case send nothing.
                    && generate::breaking(message, &r.id, 0).is_some()
            })
            .map(|r| r.id)
            .collect();
        Some(FuzzTarget {
            api: api.clone(),
            message,
            breakable,
        })
    }
}

/// Picks how to make the case and makes its document.
pub(super) fn make_case(target: &FuzzTarget, rng: &mut ChaCha8Rng, case_seed: u64) -> (Option<Document>, Mutation) {
    let message = target.message;
    let roll = rng.random_range(0..10);
    if roll < 3 {
        return (Some(generate::valid(message, case_seed)), Mutation::Valid);
    }
    // A message with no `must` rule to break (all its rules are `should`) gets mutations instead.
    if roll < 6 && !target.breakable.is_empty() {
        let rules = &target.breakable;
        let rule = rules[rng.random_range(0..rules.len())].clone();
        return (generate::breaking(message, &rule, case_seed), Mutation::Break { rule });
    }
    let doc = generate::valid(message, case_seed);
    let fields: Vec<String> = doc
        .body
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let field = if fields.is_empty() {
        String::new()
    } else {
        fields[rng.random_range(0..fields.len())].clone()
    };
    let amounts: Vec<String> = fields
        .iter()
        .filter(|f| f.contains("amount") || f.as_str() == "am")
        .cloned()
        .collect();
    let json = message.encoding == Encoding::Json;
    let mutation = match rng.random_range(0..11) {
        0 => Mutation::NonAscii { field },
        1 => Mutation::Huge {
            field,
            length: HUGE_LENGTHS[rng.random_range(0..HUGE_LENGTHS.len())],
        },
        2 if !amounts.is_empty() => Mutation::NumericEdge {
            field: amounts[rng.random_range(0..amounts.len())].clone(),
            value: [
                "0.00",
                "-1.00",
                "1e3",
                "00.10",
                "1.000",
                "99999999999999999999.99",
                " 1.00",
            ][rng.random_range(0..7)]
            .to_string(),
        },
        3 if json => Mutation::WrongType { field },
        4 => Mutation::Missing { field },
        5 => Mutation::Extra,
        6 => Mutation::DuplicateKey,
        7 => Mutation::BrokenEncoding,
        8 if message.id.starts_with("payu.") => Mutation::WrongHash,
        9 if message.envelope.is_some() => Mutation::WrongSignature,
        10 if message.envelope.is_some() => Mutation::StaleTimestamp,
        _ => Mutation::NonAscii { field },
    };
    (Some(doc), mutation)
}

/// Applies a document-level mutation. Values carry the case number and a fresh tag, so a
/// mutated unique ID (a txnid, say) never collides with another case's or another run's.
pub(super) fn mutate_document(doc: &mut Document, mutation: &Mutation, case: u64) {
    let Some(body) = doc.body.as_object_mut() else { return };
    // The case number keeps values apart within a run, the fresh tag between runs (and
    // between a run and a replay) against the same server. Only the two mutations that write
    // text make one.
    let tag = || format!("{case}{}", api::fresh_tag());
    match mutation {
        Mutation::NonAscii { field } => {
            body.insert(field.clone(), Value::String(format!("नमस्ते ₹\u{7}é{}", tag())));
        }
        Mutation::Huge { field, length } => {
            body.insert(field.clone(), Value::String(huge_value(&tag(), *length)));
        }
        Mutation::NumericEdge { field, value } => {
            body.insert(field.clone(), Value::String(value.clone()));
        }
        Mutation::WrongType { field } => {
            let wrong = match body.get(field) {
                Some(Value::String(_)) => Value::from(12_345),
                Some(Value::Number(_)) => Value::Bool(true),
                _ => Value::Array(Vec::new()),
            };
            body.insert(field.clone(), wrong);
        }
        Mutation::Missing { field } => {
            body.remove(field);
        }
        Mutation::Extra => {
            body.insert("x_unknown_extra_field".into(), Value::String("extra".into()));
        }
        _ => {}
    }
}

/// `tag` followed by `A`s up to `length` bytes (at least the tag): one allocation, the filler
/// copied from a buffer made once per process rather than repeated per case.
pub(super) fn huge_value(tag: &str, length: usize) -> String {
    static FILLER: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| "A".repeat(HUGE_LENGTH));
    let filler = length.saturating_sub(tag.len());
    let mut value = String::with_capacity(tag.len() + filler);
    value.push_str(tag);
    let mut left = filler;
    while left > 0 {
        let n = left.min(FILLER.len());
        value.push_str(&FILLER[..n]);
        left -= n;
    }
    value
}

/// What context must leave alone for this mutation: the broken rule's fields, or the mutated
/// field.
pub(super) fn protection(message: &Message, mutation: &Mutation) -> api::Touched {
    match mutation {
        Mutation::Break { rule } => api::touched_by(message, rule),
        _ => mutation
            .field()
            .map(|f| api::Touched::field(message, f))
            .unwrap_or_default(),
    }
}

pub(super) fn raw_mutation(body: &mut Body, message: &Message, mutation: &Mutation) {
    match (mutation, body) {
        (Mutation::DuplicateKey, Body::Bytes(bytes)) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            *bytes = if message.envelope.is_some() || message.encoding == Encoding::Json {
                match text.find('"') {
                    Some(i) => {
                        let key_end = text[i + 1..].find('"').map(|e| i + 1 + e).unwrap_or(i);
                        let key = &text[i..=key_end];
                        format!("{{{key}:\"duplicate\",{}", &text[1..]).into_bytes()
                    }
                    None => text.into_bytes(),
                }
            } else {
                let first = text.split('=').next().unwrap_or("key").to_string();
                format!("{text}&{first}=duplicate").into_bytes()
            };
        }
        (Mutation::DuplicateKey, Body::Multipart(parts)) => {
            if let Some((k, _)) = parts.first().cloned() {
                parts.push((k, "duplicate".into()));
            }
        }
        (Mutation::BrokenEncoding, Body::Bytes(bytes)) => {
            if message.encoding == Encoding::Json {
                let keep = bytes.len() / 2;
                bytes.truncate(keep);
            } else {
                bytes.extend_from_slice(b"&broken=%zz");
            }
        }
        (Mutation::BrokenEncoding, Body::Multipart(parts)) => parts.push(("var1".into(), "second-var1".into())),
        (Mutation::WrongSignature, Body::Bytes(bytes)) => {
            if let Ok(mut envelope) = serde_json::from_slice::<Value>(bytes)
                && let Some(Value::String(sig)) = envelope.get_mut("signature")
            {
                let flipped = if sig.starts_with('A') { "B" } else { "A" };
                sig.replace_range(0..1, flipped);
                *bytes = envelope.to_string().into_bytes();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// Over a thousand cases of each fuzzed API, Huge cases come with every length of
    /// [`HUGE_LENGTHS`] (none other), and the value written has that length.
    #[test]
    fn huge_cases_draw_every_length() {
        for api in api::all() {
            let Some(target) = FuzzTarget::new(&api) else { continue };
            let mut lengths = std::collections::BTreeSet::new();
            for case in 0..1_000u64 {
                let mut rng = ChaCha8Rng::seed_from_u64(case);
                let (_, mutation) = make_case(&target, &mut rng, case);
                if let Mutation::Huge { length, .. } = mutation {
                    lengths.insert(length);
                }
            }
            assert_eq!(
                lengths.into_iter().collect::<Vec<_>>(),
                HUGE_LENGTHS.to_vec(),
                "{}",
                api.name()
            );
        }
        for length in HUGE_LENGTHS {
            assert_eq!(huge_value("17tag", length).len(), length);
        }
    }
}
