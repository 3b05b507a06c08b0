//! A value from a set (`enum`), compared exactly or without letter case.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use ref_cast::RefCast;
use serde_json::{Value, json};

use super::{Breach, Broken, ConstraintKind, Fragment, TextDraft};

/// The texts a breach tries, in order: the first outside the set that the other constraints allow.
const OUTSIDERS: [&str; 3] = ["INVALID", "invalid-value", "99"];

/// One of these values.
#[derive(Debug, RefCast)]
#[repr(transparent)]
pub struct OneOf(pub &'static [&'static str]);

/// One of these values, letter case ignored (a seed lists upper case but prints another).
#[derive(Debug, RefCast)]
#[repr(transparent)]
pub struct OneOfAnyCase(pub &'static [&'static str]);

fn pick(values: &[&str], rng: &mut ChaCha8Rng) -> String {
    values[rng.random_range(0..values.len())].to_string()
}

fn outsider(cx: &Breach<'_>, inside: impl Fn(&str) -> bool) -> Broken {
    let text = OUTSIDERS
        .iter()
        .find(|v| !inside(v) && (cx.fits)(v))
        .unwrap_or(&OUTSIDERS[0]);
    Broken::Text((*text).to_string())
}

impl ConstraintKind for OneOf {
    fn suffix(&self) -> &'static str {
        "enum"
    }

    fn statement(&self, what: &str) -> String {
        format!("{what} must be one of {}", self.0.join(", "))
    }

    fn check_str(&self, s: &str) -> bool {
        self.0.contains(&s)
    }

    fn draw(&self, _draft: &mut TextDraft, rng: &mut ChaCha8Rng) -> Option<String> {
        Some(pick(self.0, rng))
    }

    fn breach(&self, cx: &Breach<'_>, _rng: &mut ChaCha8Rng) -> Broken {
        outsider(cx, |v| self.0.contains(&v))
    }

    /// The values; where the value may be a JSON integer, the numeric ones as integers too.
    fn schema(&self, int_or_str: bool) -> Fragment {
        if !int_or_str {
            return Fragment::keyword("enum", json!(self.0));
        }
        let mut options: Vec<Value> = self
            .0
            .iter()
            .filter_map(|v| v.parse::<i64>().ok())
            .map(|n| json!(n))
            .collect();
        options.extend(self.0.iter().map(|v| json!(v)));
        Fragment::keyword("enum", Value::Array(options))
    }

    fn values(&self) -> Option<&'static [&'static str]> {
        Some(self.0)
    }
}

impl ConstraintKind for OneOfAnyCase {
    fn suffix(&self) -> &'static str {
        "enum"
    }

    fn statement(&self, what: &str) -> String {
        format!("{what} must be one of {} (in any letter case)", self.0.join(", "))
    }

    fn check_str(&self, s: &str) -> bool {
        self.0.iter().any(|v| v.eq_ignore_ascii_case(s))
    }

    fn draw(&self, _draft: &mut TextDraft, rng: &mut ChaCha8Rng) -> Option<String> {
        Some(pick(self.0, rng))
    }

    fn breach(&self, cx: &Breach<'_>, _rng: &mut ChaCha8Rng) -> Broken {
        outsider(cx, |v| self.0.iter().any(|x| x.eq_ignore_ascii_case(v)))
    }

    /// An alternation of the values, each letter as a class of its two cases.
    fn schema(&self, _int_or_str: bool) -> Fragment {
        let either = |c: char| match (c.to_ascii_uppercase(), c.to_ascii_lowercase()) {
            (u, l) if u != l => format!("[{u}{l}]"),
            (_, l) if l.is_ascii_punctuation() => format!("\\{l}"),
            (_, l) => l.to_string(),
        };
        let words: Vec<String> = self.0.iter().map(|v| v.chars().map(either).collect()).collect();
        Fragment::pattern(format!("^({})$", words.join("|")))
    }

    fn values(&self) -> Option<&'static [&'static str]> {
        Some(self.0)
    }
}
