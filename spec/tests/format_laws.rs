//! Laws every format keeps, checked for every [`Format`] from one table ([`LAWS`]): a drawn
//! value passes `check`; every break value (near misses and the other side of a bound) fails it;
//! the JSON Schema fragment (`{"type": "string", "pattern": ...}`) compiled by the `jsonschema`
//! crate accepts exactly what `check` accepts, on drawn values, break values and edge probes
//! derived from them; the description and the seed words are usable. A second table of broken
//! formats ([`MUTANTS`]) shows each law failing on a fault it is meant to catch.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::json;
use upi_spec::format::{Format, FormatKind};

/// Values drawn per format.
const DRAWS: u64 = 64;

/// One law: its name and the check, which returns what it found wrong (empty when it holds).
struct Law {
    name: &'static str,
    holds: fn(&dyn FormatKind) -> Vec<String>,
}

/// The laws, each run over every format.
const LAWS: &[Law] = &[
    Law {
        name: "drawn values pass check",
        holds: drawn_pass,
    },
    Law {
        name: "break values fail check",
        holds: breaks_fail,
    },
    Law {
        name: "schema pattern agrees with check",
        holds: schema_agrees,
    },
    Law {
        name: "describe is a phrase",
        holds: describes,
    },
    Law {
        name: "seed words compile",
        holds: seed_words_compile,
    },
];

/// `DRAWS` values drawn with fixed seeds.
fn drawn(kind: &dyn FormatKind) -> Vec<String> {
    (0..DRAWS)
        .map(|seed| kind.draw(&mut ChaCha8Rng::seed_from_u64(seed)))
        .collect()
}

/// The near misses and the other-side value.
fn breaks(kind: &dyn FormatKind) -> Vec<&'static str> {
    kind.near_misses().iter().copied().chain(kind.other_side()).collect()
}

/// Characters where white-space readings differ: ECMA-262 `\s` (what schema consumers use)
/// counts the byte-order mark and the no-break space as white space but not NEXT LINE (U+0085);
/// Unicode's White_Space (Rust's `char::is_whitespace`) counts NEXT LINE but not the byte-order
/// mark.
const EDGE_CHARS: [char; 4] = ['\u{feff}', '\u{a0}', '\u{85}', '\u{2028}'];

/// Edge probes around `value`: a trailing newline (`$` must not match before it), each of
/// [`EDGE_CHARS`] in front and in the middle, Devanagari digits for ASCII digits, and the value
/// upper-cased.
fn probes(value: &str) -> Vec<String> {
    let mid = value
        .char_indices()
        .nth(value.chars().count() / 2)
        .map_or(value.len(), |(i, _)| i);
    let mut out = vec![
        format!("{value}\n"),
        value
            .chars()
            .map(|c| c.to_digit(10).map_or(c, |d| char::from_u32(0x966 + d).unwrap_or(c)))
            .collect(),
        value.to_uppercase(),
    ];
    for c in EDGE_CHARS {
        out.push(format!("{c}{value}"));
        out.push(format!("{}{c}{}", &value[..mid], &value[mid..]));
    }
    out
}

fn drawn_pass(kind: &dyn FormatKind) -> Vec<String> {
    drawn(kind)
        .into_iter()
        .filter(|v| !kind.check(v))
        .map(|v| format!("rejects its drawn value {v:?}"))
        .collect()
}

fn breaks_fail(kind: &dyn FormatKind) -> Vec<String> {
    let mut found: Vec<String> = breaks(kind)
        .into_iter()
        .filter(|v| kind.check(v))
        .map(|v| format!("accepts its break value {v:?}"))
        .collect();
    if kind.near_misses().is_empty() {
        found.push("has no near miss".into());
    }
    found
}

fn schema_agrees(kind: &dyn FormatKind) -> Vec<String> {
    let schema = json!({"type": "string", "pattern": kind.pattern()});
    let validator = match jsonschema::validator_for(&schema) {
        Ok(v) => v,
        Err(e) => return vec![format!("pattern {:?} does not compile: {e}", kind.pattern())],
    };
    let mut values = drawn(kind);
    values.extend(breaks(kind).into_iter().map(str::to_string));
    let edges: Vec<String> = values.iter().flat_map(|v| probes(v)).collect();
    values.extend(edges);
    values
        .into_iter()
        .filter(|v| validator.is_valid(&json!(v)) != kind.check(v))
        .map(|v| {
            let (schema, check) = (validator.is_valid(&json!(v)), kind.check(&v));
            format!("on {v:?} the schema says {schema}, check says {check}")
        })
        .collect()
}

fn describes(kind: &dyn FormatKind) -> Vec<String> {
    let d = kind.describe();
    if d.trim().is_empty() || d.trim() != d {
        vec![format!("describe() is {d:?}")]
    } else {
        Vec::new()
    }
}

fn seed_words_compile(kind: &dyn FormatKind) -> Vec<String> {
    match kind.seed_words() {
        Some("") => vec!["seed words are empty (say None instead)".into()],
        Some(w) => regex::Regex::new(&format!("(?i){w}"))
            .err()
            .map(|e| vec![format!("seed words {w:?} do not compile: {e}")])
            .unwrap_or_default(),
        None => Vec::new(),
    }
}

/// Every law `kind` breaks, as `law: finding`.
fn violations(kind: &dyn FormatKind) -> Vec<String> {
    LAWS.iter()
        .flat_map(|law| (law.holds)(kind).into_iter().map(move |f| format!("{}: {f}", law.name)))
        .collect()
}

#[test]
fn every_format_keeps_every_law() {
    let found: Vec<String> = Format::ALL
        .iter()
        .flat_map(|f| violations(f.kind()).into_iter().map(move |v| format!("{f:?}: {v}")))
        .collect();
    assert!(found.is_empty(), "format laws broken:\n{}", found.join("\n"));
}

/// A fault injected into a real format.
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// `check` accepts anything.
    AcceptsAll,
    /// `check` accepts nothing.
    RejectsAll,
    /// The schema pattern accepts anything.
    LoosePattern,
    /// The schema pattern is not a regex.
    BadPattern,
    /// `check` counts a byte-order mark as allowed where the pattern's `\s` refuses it.
    IgnoresBom,
    /// The other-side value is a valid value.
    ValidOtherSide,
    /// `describe` is empty.
    Mute,
    /// The seed words are not a regex.
    BadSeedWords,
}

/// A real format with one fault.
struct Mutant {
    real: Format,
    fault: Fault,
}

impl FormatKind for Mutant {
    fn describe(&self) -> &'static str {
        match self.fault {
            Fault::Mute => "",
            _ => self.real.describe(),
        }
    }
    fn pattern(&self) -> &'static str {
        match self.fault {
            Fault::LoosePattern => "^.*$",
            Fault::BadPattern => "^(unclosed$",
            _ => self.real.pattern(),
        }
    }
    fn check(&self, s: &str) -> bool {
        match self.fault {
            Fault::AcceptsAll => true,
            Fault::RejectsAll => false,
            Fault::IgnoresBom => self.real.check(&s.replace('\u{feff}', "")),
            _ => self.real.check(s),
        }
    }
    fn draw(&self, rng: &mut dyn rand::RngCore) -> String {
        self.real.kind().draw(rng)
    }
    fn near_misses(&self) -> &'static [&'static str] {
        self.real.near_misses()
    }
    fn other_side(&self) -> Option<&'static str> {
        match self.fault {
            Fault::ValidOtherSide => Some("1.00"),
            _ => self.real.other_side(),
        }
    }
    fn seed_words(&self) -> Option<&'static str> {
        match self.fault {
            Fault::BadSeedWords => Some("two (decimals"),
            _ => self.real.seed_words(),
        }
    }
}

/// Broken formats and the laws each must break (and no other).
const MUTANTS: &[(Format, Fault, &[&str])] = &[
    (
        Format::Amount2dp,
        Fault::AcceptsAll,
        &["break values fail check", "schema pattern agrees with check"],
    ),
    (
        Format::Amount2dp,
        Fault::RejectsAll,
        &["drawn values pass check", "schema pattern agrees with check"],
    ),
    (
        Format::Amount2dp,
        Fault::LoosePattern,
        &["schema pattern agrees with check"],
    ),
    (
        Format::Amount2dp,
        Fault::BadPattern,
        &["schema pattern agrees with check"],
    ),
    (Format::Email, Fault::IgnoresBom, &["schema pattern agrees with check"]),
    (Format::Amount2dp, Fault::ValidOtherSide, &["break values fail check"]),
    (Format::Vpa, Fault::Mute, &["describe is a phrase"]),
    (Format::Amount2dp, Fault::BadSeedWords, &["seed words compile"]),
];

#[test]
fn each_law_fails_on_its_mutant() {
    for &(real, fault, expected) in MUTANTS {
        let mutant = Mutant { real, fault };
        let broken: Vec<&str> = LAWS
            .iter()
            .filter(|law| !(law.holds)(&mutant).is_empty())
            .map(|law| law.name)
            .collect();
        assert_eq!(broken, expected, "{real:?} with {fault:?}: {:?}", violations(&mutant));
    }
    let caught: Vec<&str> = MUTANTS.iter().flat_map(|(_, _, laws)| laws.iter().copied()).collect();
    for law in LAWS {
        assert!(caught.contains(&law.name), "no mutant shows {:?} failing", law.name);
    }
}
