//! Generators derived from the models: a valid [`Document`] for any message, and for any rule of
//! the catalogue a document that breaks exactly that rule. Deterministic for a given seed
//! (ChaCha8), so property tests, the live fuzzer and the conformance runner can replay a case.
//!
//! How it works: a random valid tree is drawn field by field from the checks, cross-field rules
//! are then *repaired* (a field is added, removed or set so the rule holds), and for a breaking
//! case the field or rule in question is mutated last, with the fields that rule reads protected
//! from further repair.

mod breach;
mod draft;
mod draw;
mod repair;
mod tree;

use std::collections::HashSet;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::input::Document;
use crate::model::{Constraint, CrossRule, Field, Item, Kind, Message, Obj};
use crate::sites::{Locus, Step, sites_of};
use tree::Node;

/// What breaking a rule means, found by walking the model like the catalogue does.
#[derive(Debug, Clone)]
enum Breach {
    RootType,
    Required,
    Absent,
    Type,
    Json,
    Check(Constraint),
    Cross(CrossRule),
    HeaderEquals { rule: CrossRule, field: &'static str },
}

/// Where a rule lives: in the headers or the body, the path to the field (or to the object
/// holding a cross rule), the model node there, and what breaking it means.
#[derive(Debug, Clone)]
struct Site {
    header: bool,
    steps: Vec<Step>,
    field: Option<Field>,
    item: Option<Item>,
    obj: Option<Obj>,
    breach: Breach,
}

/// A valid document for `message` from `seed`.
pub fn valid(message: &Message, seed: u64) -> Document {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut g = Generator {
        rng: &mut rng,
        unicode: false,
        other_side: false,
    };
    let (headers, body) = g.message(message, &[], false, &HashSet::new());
    finish(headers, body)
}

/// A valid document whose free-text strings (those no charset, format, enum or constant
/// constrains) are non-ASCII text, Devanagari and the rupee sign among it: the model allows it,
/// so an implementation must accept it without tripping over its encoding. Every optional
/// field is present (the object's cross rules permitting), so every free-text field of the
/// message carries non-ASCII text whatever the seed.
pub fn valid_unicode(message: &Message, seed: u64) -> Document {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut g = Generator {
        rng: &mut rng,
        unicode: true,
        other_side: false,
    };
    let (headers, body) = g.message(message, &[], false, &HashSet::new());
    finish(headers, body)
}

/// A document that breaks exactly rule `rule_id` of `message`, or `None` when the rule is not
/// one a single document can break (echo rules need a request and a response).
pub fn breaking(message: &Message, rule_id: &str, seed: u64) -> Option<Document> {
    let site = find_site(message, rule_id)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut g = Generator {
        rng: &mut rng,
        unicode: false,
        other_side: false,
    };
    let protected: HashSet<&'static str> = match &site.breach {
        Breach::Cross(rule) => rule.kind.fields().into_iter().collect(),
        Breach::HeaderEquals { field, .. } => [*field].into_iter().collect(),
        _ => site.field.as_ref().map(|f| f.key.label()).into_iter().collect(),
    };
    let focus = if site.header { Vec::new() } else { site.steps.clone() };
    let (mut headers, mut body) = g.message(message, &focus, site.header, &protected);
    g.apply(message, &site, &mut headers, &mut body);
    Some(finish(headers, body))
}

/// Whether rule `rule_id` of `message` is a bound with two sides to miss it from (a format
/// bounded by a length or a precision, see [`crate::format::Format::other_side`]): then
/// [`breaking_other_side`] draws the second rejection value.
pub fn has_other_side(message: &Message, rule_id: &str) -> bool {
    sites_of(message).iter().any(|s| {
        s.rule == rule_id
            && matches!(s.locus, Locus::Check { check, .. }
                if check.constraint.kind().other_side().is_some())
    })
}

/// Like [`breaking`], but the value misses the bound from the other side (three decimals where
/// [`breaking`] sends one; one digit too many where it sends one too few). `None` when the rule
/// has no other side ([`has_other_side`]).
pub fn breaking_other_side(message: &Message, rule_id: &str, seed: u64) -> Option<Document> {
    if !has_other_side(message, rule_id) {
        return None;
    }
    let site = find_site(message, rule_id)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut g = Generator {
        rng: &mut rng,
        unicode: false,
        other_side: true,
    };
    let protected: HashSet<&'static str> = site.field.as_ref().map(|f| f.key.label()).into_iter().collect();
    let focus = if site.header { Vec::new() } else { site.steps.clone() };
    let (mut headers, mut body) = g.message(message, &focus, site.header, &protected);
    g.apply(message, &site, &mut headers, &mut body);
    Some(finish(headers, body))
}

/// `document`, a valid document of `message`, changed so that it breaks exactly rule `rule_id`
/// and is otherwise the same: the breach [`breaking`] applies to a generated document, applied to
/// this one. A field the rule is about that the document lacks is added first (drawn like a
/// generated one, the object's cross rules repaired around it). An echo rule
/// (`…echo.PATH`) is broken by another valid value at PATH, which the request cannot have sent.
/// `None` when the rule is not one of `message`'s, or not one a single document can break
/// (the body's syntax).
pub fn break_document(message: &Message, document: &Document, rule_id: &str, seed: u64) -> Option<Document> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut g = Generator {
        rng: &mut rng,
        unicode: false,
        other_side: false,
    };
    let mut headers = Node::Obj(
        document
            .headers
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), Node::Str(v.clone())))
            .collect(),
    );
    let root_item = Item::of(Kind::Object(message.body.clone()));
    let mut body = Node::of_value(&document.body, Some(&root_item));
    let echo = sites_of(message).iter().find_map(|s| match s.locus {
        Locus::Echo(echo) if s.rule == rule_id => Some(echo),
        _ => None,
    });
    if let Some(echo) = echo {
        g.break_echo(&message.body, &mut body, echo.response)?;
    } else {
        let site = find_site(message, rule_id)?;
        let protected: HashSet<&'static str> = match &site.breach {
            Breach::Cross(rule) => rule.kind.fields().into_iter().collect(),
            Breach::HeaderEquals { field, .. } => [*field].into_iter().collect(),
            _ => site.field.as_ref().map(|f| f.key.label()).into_iter().collect(),
        };
        // The place must exist: the object of a cross rule, the field of a check, the parent of
        // a presence rule.
        let needed = match site.breach {
            Breach::Required | Breach::Absent => &site.steps[..site.steps.len().saturating_sub(1)],
            Breach::RootType => &[][..],
            _ => &site.steps[..],
        };
        if site.header {
            let header_obj = Obj {
                fields: message.headers.clone(),
                rules: Vec::new(),
            };
            if !g.ensure(&header_obj, &mut headers, needed, &protected) {
                return None;
            }
        } else if let Breach::HeaderEquals { field, .. } = site.breach {
            if !g.ensure(&message.body, &mut body, &[Step::Key(field.to_string())], &protected) {
                return None;
            }
        } else if !g.ensure(&message.body, &mut body, needed, &protected) {
            return None;
        }
        g.apply(message, &site, &mut headers, &mut body);
    }
    let had_headers = document.headers.is_some();
    let mut broken = finish(headers, body);
    if !had_headers && broken.headers.as_ref().is_some_and(Vec::is_empty) {
        broken.headers = None;
    }
    (broken != *document).then_some(broken)
}

fn finish(headers: Node, body: Node) -> Document {
    let headers = match headers {
        Node::Obj(e) => e.into_iter().filter_map(|(k, v)| v.text().map(|t| (k, t))).collect(),
        _ => Vec::new(),
    };
    Document {
        headers: Some(headers),
        body: body.into_value(),
    }
}

/// The site of rule `rule_id` in the one walk ([`crate::sites`]), with what breaking it means;
/// `None` for the rules no single generated document breaks (the body's syntax, echoes).
fn find_site(message: &Message, rule_id: &str) -> Option<Site> {
    let site = sites_of(message).iter().find(|s| s.rule == rule_id)?.clone();
    let of_field = |f: &Field, item: &Item| (Some(f.clone()), Some(item.clone()), None);
    let ((field, item, obj), breach) = match site.locus {
        Locus::Syntax | Locus::Echo(_) => return None,
        Locus::RootType => ((None, None, None), Breach::RootType),
        Locus::Required(f) => (of_field(f, &f.value), Breach::Required),
        Locus::Absent(f) => (of_field(f, &f.value), Breach::Absent),
        Locus::Type { field, item } => (of_field(field, item), Breach::Type),
        Locus::Json { field, item } => (of_field(field, item), Breach::Json),
        Locus::Check { field, item, check } => (of_field(field, item), Breach::Check(check.constraint.clone())),
        Locus::Cross { rule, obj } => ((None, None, Some(obj.clone())), Breach::Cross(rule.clone())),
        Locus::HeaderEquals { rule, field, .. } => (
            (None, None, None),
            Breach::HeaderEquals {
                rule: rule.clone(),
                field,
            },
        ),
    };
    Some(Site {
        header: site.header,
        steps: site.steps,
        field,
        item,
        obj,
        breach,
    })
}

struct Generator<'r> {
    rng: &'r mut ChaCha8Rng,
    /// Free text is drawn from non-ASCII text.
    unicode: bool,
    /// A bounded format is missed from the other side ([`crate::format::Format::other_side`]).
    other_side: bool,
}
