//! Value constraints, one module per kind. Each kind says, through [`ConstraintKind`], everything
//! the project derives from it: its rule-ID suffix and statement, the check, how a valid value is
//! drawn, how a value breaking it (and only it) is made, and its JSON Schema fragment. The
//! message models declare [`crate::model::Constraint`]s; `Constraint::kind` is the one place
//! that maps a declared constraint to its kind, and the validator, the generators, the schema
//! and the catalogue are loops over the kinds' operations.

mod charset;
mod const_;
mod enum_;
mod format;
mod max_len;
mod media_type;
mod min_items;
mod min_len;
mod not_prefixed;

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use crate::charset::{ALNUM, Charset};

pub use charset::OnlyChars;
pub use const_::Exactly;
pub use enum_::{OneOf, OneOfAnyCase};
pub use format::Formatted;
pub use max_len::MaxLen;
pub use media_type::MediaType;
pub use min_items::MinItems;
pub use min_len::MinLen;
pub use not_prefixed::NotPrefixed;

/// One kind of value constraint: the operations every derivation needs.
pub trait ConstraintKind: Sync {
    /// The rule-ID suffix (`min-length`, `enum`, …).
    fn suffix(&self) -> &'static str;

    /// Plain-language statement of the constraint for `what` (worded with `must`).
    fn statement(&self, what: &str) -> String;

    /// Whether a string value satisfies the constraint (a constraint on arrays: always).
    fn check_str(&self, s: &str) -> bool;

    /// Whether an array of `n` items satisfies the constraint (a constraint on strings: always).
    fn check_items(&self, _n: usize) -> bool {
        true
    }

    /// Why the string `s`, which fails [`ConstraintKind::check_str`], breaks the constraint.
    fn reason(&self, s: &str) -> String {
        format!("{} is not valid: {}", quote(s), self.statement("it"))
    }

    /// Why an array of `n` items, which fails [`ConstraintKind::check_items`], breaks it.
    fn items_reason(&self, n: usize) -> String {
        format!("has {n} items: {}", self.statement("it"))
    }

    /// Refines the draft of a valid string (charset, length bounds), or picks the value itself
    /// (`Some`): a constant, a value of a set, an example of a format.
    fn draw(&self, _draft: &mut TextDraft, _rng: &mut ChaCha8Rng) -> Option<String> {
        None
    }

    /// A value that breaks this constraint and, where the other constraints of the value allow
    /// it ([`Breach::fits`]), none of them.
    fn breach(&self, cx: &Breach<'_>, rng: &mut ChaCha8Rng) -> Broken;

    /// The value missing the bound from its second side, for a bound with two (a format bounded
    /// by a length or a precision, see [`crate::format::Format::other_side`]).
    fn other_side(&self) -> Option<&'static str> {
        None
    }

    /// The JSON Schema fragment enforcing the constraint on a string value (`int_or_str`: the
    /// value may also be a JSON integer).
    fn schema(&self, int_or_str: bool) -> Fragment;

    /// The character set the constraint limits values to, if it is one.
    fn charset(&self) -> Option<Charset> {
        None
    }

    /// The one value the constraint allows, if it is a constant.
    fn constant(&self) -> Option<&'static str> {
        None
    }

    /// The values the constraint allows, if it is a value set.
    fn values(&self) -> Option<&'static [&'static str]> {
        None
    }

    /// The least number of array items, if the constraint is a bound on it.
    fn min_items(&self) -> Option<usize> {
        None
    }
}

/// A valid string being drawn: the charset and length bounds the constraints seen so far set.
#[derive(Debug, Clone, Copy)]
pub struct TextDraft {
    /// The characters to draw from (`None`: free text).
    pub charset: Option<Charset>,
    /// Least length.
    pub min: usize,
    /// Greatest length.
    pub max: usize,
}

/// What a breach starts from: the value's current text and the other constraints on it.
pub struct Breach<'a> {
    /// The current text of the value (empty when it has none).
    pub current: &'a str,
    /// Whether a text satisfies every other constraint of the value.
    pub fits: &'a dyn Fn(&str) -> bool,
    /// The value's charset, when one of its constraints is one.
    pub charset: Option<Charset>,
    /// Miss a two-sided bound from its other side ([`ConstraintKind::other_side`]).
    pub other_side: bool,
}

impl Breach<'_> {
    /// `n` characters drawn from the value's charset (letters and digits when it has none).
    pub fn fill(&self, rng: &mut ChaCha8Rng, n: usize) -> String {
        let cs = self.charset.unwrap_or(ALNUM);
        cs.draw(n, rng)
    }
}

/// A broken value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    /// This text.
    Text(String),
    /// An array without items.
    NoItems,
}

/// A JSON Schema fragment: keywords for the value's schema, in order, and a regular expression
/// the value must match (the schema combines several under `allOf`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fragment {
    /// Keywords and their values.
    pub keywords: Vec<(&'static str, Value)>,
    /// A `pattern`, if the kind is one.
    pub pattern: Option<String>,
}

impl Fragment {
    /// A fragment of one keyword.
    pub fn keyword(name: &'static str, value: Value) -> Fragment {
        Fragment {
            keywords: vec![(name, value)],
            pattern: None,
        }
    }

    /// A fragment of one pattern.
    pub fn pattern(pattern: String) -> Fragment {
        Fragment {
            keywords: Vec::new(),
            pattern: Some(pattern),
        }
    }

    /// The fragment as a schema of its own, for a string value.
    pub fn for_string(&self) -> Value {
        let mut map = serde_json::Map::new();
        map.insert("type".into(), Value::from("string"));
        for (k, v) in &self.keywords {
            map.insert((*k).into(), v.clone());
        }
        if let Some(p) = &self.pattern {
            map.insert("pattern".into(), Value::from(p.as_str()));
        }
        Value::Object(map)
    }
}

/// A string satisfying every one of `kinds` (must and should), drawn from `rng`; free text (no
/// charset among them) is non-ASCII when `unicode`.
pub fn draw(kinds: &[&dyn ConstraintKind], unicode: bool, rng: &mut ChaCha8Rng) -> String {
    for _ in 0..50 {
        let s = candidate(kinds, unicode, rng);
        if kinds.iter().all(|k| k.check_str(&s)) {
            return s;
        }
    }
    candidate(kinds, unicode, rng)
}

fn candidate(kinds: &[&dyn ConstraintKind], unicode: bool, rng: &mut ChaCha8Rng) -> String {
    let mut draft = TextDraft {
        charset: None,
        min: 1,
        max: 12,
    };
    for k in kinds {
        if let Some(value) = k.draw(&mut draft, rng) {
            return value;
        }
    }
    let len = rng.random_range(draft.min..=draft.max.max(draft.min));
    if unicode && draft.charset.is_none() {
        const TEXT: [char; 8] = ['न', 'म', 'स', '्', 'त', '₹', 'é', 'ß'];
        return (0..len)
            .map(|i| {
                if i % 2 == 0 {
                    TEXT[rng.random_range(0..TEXT.len())]
                } else {
                    'a'
                }
            })
            .collect();
    }
    let charset = draft.charset.unwrap_or(ALNUM);
    charset.draw(len, rng)
}

/// A value breaking `kind` whose current text is `current`, keeping to `others` (the value's
/// other constraints) where possible; `charset` is the value's (see [`Breach::charset`]);
/// `other_side` misses a two-sided bound from its other side.
pub fn breach(
    kind: &dyn ConstraintKind,
    others: &[&dyn ConstraintKind],
    charset: Option<Charset>,
    current: &str,
    other_side: bool,
    rng: &mut ChaCha8Rng,
) -> Broken {
    let fits = |s: &str| others.iter().all(|o| o.check_str(s));
    let cx = Breach {
        current,
        fits: &fits,
        charset,
        other_side,
    };
    kind.breach(&cx, rng)
}

/// Why `s` is outside a length bound of `limit` characters.
fn length_reason(s: &str, limit: usize) -> String {
    format!(
        "{} is {} characters long; the limit is {limit}",
        quote(s),
        s.chars().count()
    )
}

/// `s` quoted for a message, cut to 64 characters.
pub fn quote(s: &str) -> String {
    // Quoted from a bounded prefix: a 200 KB value is shown in 64 characters, not copied whole.
    clip(match s.char_indices().nth(64) {
        Some((end, _)) => format!("{:?}", &s[..end]),
        None => format!("{s:?}"),
    })
}

/// A JSON value for a message: a string quoted ([`quote`]), anything else as JSON, cut to 64
/// characters.
pub fn show(v: &Value) -> String {
    match v {
        Value::String(s) => quote(s),
        other => clip(other.to_string()),
    }
}

/// `s` cut to 64 characters (an ellipsis marks the cut).
pub fn clip(s: String) -> String {
    if s.chars().count() > 64 {
        format!("{}…", s.chars().take(64).collect::<String>())
    } else {
        s
    }
}
