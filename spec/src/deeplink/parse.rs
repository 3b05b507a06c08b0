//! The parser: input text to a typed [`Deeplink`] plus every [`Violation`] with its rule ID and
//! byte offset. Valid input without escapes is parsed without allocating its values.

use std::borrow::Cow;

use serde::Serialize;

use crate::rule::{Severity, Violation};

use super::error::DeeplinkError;
use super::hot;
use super::key::{self, Key, Kind};
use super::link::{Deeplink, Target};
use super::rules;
use super::scan::{self, show, violation};
use super::table::{self, ValueRule, param_rule_id};

/// A parsed deeplink and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Parsed<'a> {
    /// The typed link (first occurrence of each parameter).
    pub deeplink: Deeplink<'a>,
    /// Every violation, in input order, then the missing and cross-parameter ones.
    pub violations: Vec<Violation>,
}

impl Parsed<'_> {
    /// Whether no `must` rule is broken (`should` and `info` findings may remain).
    pub fn is_conformant(&self) -> bool {
        self.violations.iter().all(|v| v.severity != Severity::Must)
    }

    /// The violations of one rule.
    pub fn of_rule<'s>(&'s self, rule: &'s str) -> impl Iterator<Item = &'s Violation> + 's {
        self.violations.iter().filter(move |v| v.rule == rule)
    }
}

/// Room reserved for known values at the start of a parse: one allocation covers the
/// parameters of a typical link (the seeds' links have 7 to 15).
const KNOWN_CAPACITY: usize = 16;

/// Parses a deeplink (`upi://pay?...`, `upi://mandate?...`, an iOS app form, any other
/// `scheme:...?...`) or a bare query (PayU's `intentURIData`). Fails only when the input is not a
/// URI at all.
pub fn parse(input: &str) -> Result<Parsed<'_>, DeeplinkError> {
    let mut violations = Vec::new();
    let head = scan::head(input, &mut violations)?;
    // Built in the return slot: a Deeplink is large (one slot per known key), so it is not
    // moved from a local into the `Result`.
    let mut result = Ok(Parsed {
        deeplink: Deeplink::with_capacity(head.target, KNOWN_CAPACITY),
        violations,
    });
    if let Ok(parsed) = &mut result {
        params(input, head.query_at, &mut parsed.deeplink, &mut parsed.violations);
    }
    result
}

/// Parses PayU's `intentURIData` (a bare query) as the `upi://pay` link it becomes once
/// prefixed with `upi://pay?` (seed 004). Offsets are into `query`.
pub fn parse_intent_uri_data(query: &str) -> Result<Parsed<'_>, DeeplinkError> {
    if query.is_empty() {
        return Err(DeeplinkError::Empty);
    }
    if query.len() > scan::MAX_LEN {
        return Err(DeeplinkError::TooLong {
            len: query.len(),
            max: scan::MAX_LEN,
        });
    }
    let mut violations = Vec::new();
    let mut link = Deeplink::with_capacity(Target::UpiPay, KNOWN_CAPACITY);
    params(query, 0, &mut link, &mut violations);
    Ok(Parsed {
        deeplink: link,
        violations,
    })
}

/// Reads the query starting at `start`, filling `link` and reporting violations. One pass over
/// the bytes finds the separators and whether a segment needs the slow path; clean segments
/// are borrowed as they are.
fn params<'a>(input: &'a str, start: usize, link: &mut Deeplink<'a>, out: &mut Vec<Violation>) {
    let kind = link.target.kind();
    let mut offsets = [0u32; Key::COUNT];
    let bytes = input.as_bytes();
    let len = bytes.len();
    if start < len {
        let mut i = start;
        loop {
            let seg = i;
            let mut eq = None;
            let (mut name_dirty, mut value_dirty) = (false, false);
            // Most names are short known keys: found with their `=` in one word, so the name
            // is neither scanned nor looked up again.
            let key = key::key_at(bytes, i);
            if let Some((k, n)) = key {
                eq = Some(i + n);
                i += n + 1;
                // The common segment: a known name of this kind and a value of plain bytes up
                // to `&` or the end, which needs none of `segment`'s checks of the raw text.
                let mut end = scan::skip_plain(bytes, i);
                if k.applies_to(kind) {
                    let value = match bytes.get(end) {
                        None | Some(b'&') => Cow::Borrowed(&input[i..end]),
                        // A value with an escape or another byte to check: decoded once, up
                        // to its `&`, without the segment scan below reading it first.
                        Some(_) => {
                            end = bytes[end..].iter().position(|&b| b == b'&').map_or(len, |p| end + p);
                            scan::decode(&input[i..end], i, out)
                        }
                    };
                    known(k, seg, i, value, link, &mut offsets, out);
                    if end >= len {
                        break;
                    }
                    i = end + 1;
                    continue;
                }
                i = end;
            }
            loop {
                i = scan::skip_plain(bytes, i);
                if i >= len {
                    break;
                }
                match scan::SEGMENT[usize::from(bytes[i])] {
                    scan::AMP => break,
                    scan::EQ => {
                        if eq.is_none() {
                            eq = Some(i);
                        }
                    }
                    _ if eq.is_none() => name_dirty = true,
                    _ => value_dirty = true,
                }
                i += 1;
            }
            let raw = Raw {
                at: seg,
                eq,
                end: i,
                name_dirty,
                value_dirty,
                key: key.map(|(k, _)| k),
            };
            segment(input, raw, kind, link, &mut offsets, out);
            if i >= len {
                break;
            }
            i += 1;
        }
    }
    finish(len, kind, link, &offsets, out);
}

/// One `&`-separated segment: its start, its first `=`, its end, and whether any byte of the
/// name (the whole segment when there is no `=`) or of the value needs checking beyond the
/// fast path.
#[derive(Clone, Copy)]
struct Raw {
    at: usize,
    eq: Option<usize>,
    end: usize,
    name_dirty: bool,
    value_dirty: bool,
    /// The known key the name is, when [`key::key_at`] found it.
    key: Option<Key>,
}

fn segment<'a>(
    input: &'a str,
    raw: Raw,
    kind: Kind,
    link: &mut Deeplink<'a>,
    offsets: &mut [u32; Key::COUNT],
    out: &mut Vec<Violation>,
) {
    let at = raw.at;
    if raw.end == at {
        out.push(violation(
            &rules::EMPTY_SEGMENT,
            at,
            "empty parameter between `&` separators".to_string(),
        ));
        return;
    }
    let (name_raw, value_raw, has_equals) = match raw.eq {
        Some(eq) => (&input[at..eq], &input[eq + 1..raw.end], true),
        None => (&input[at..raw.end], "", false),
    };
    let value_at = at + name_raw.len() + 1;
    // A part without a byte that needs checking decodes to itself with no finding.
    let name = match raw.name_dirty {
        true => scan::decode(name_raw, at, out),
        false => Cow::Borrowed(name_raw),
    };
    let value = match raw.value_dirty {
        true => scan::decode(value_raw, value_at, out),
        false => Cow::Borrowed(value_raw),
    };
    if !has_equals {
        out.push(violation(
            &rules::MISSING_EQUALS,
            at,
            format!("parameter {} has no `=`", show(&name)),
        ));
    }
    if name.is_empty() {
        out.push(violation(
            &rules::EMPTY_NAME,
            at,
            format!("value {} has no parameter name", show(&value)),
        ));
    }
    match raw.key.or_else(|| Key::from_wire(&name)).filter(|k| k.applies_to(kind)) {
        Some(key) => {
            if link.has(key) {
                out.push(duplicate(key, at));
                return;
            }
            offsets[key.index()] = value_at as u32; // inputs are at most 64 KiB
            // Most values are neither empty nor `null`: decided here, without the call.
            let plain = value.len() > 4 || !value.is_empty() && *value != *"null";
            if plain || generic_value_ok(&name, &value, value_at, has_equals, out) {
                check_value(kind, key, &value, value_at, out);
            }
            link.set(key, value);
        }
        None => {
            if link.has_unknown(&name) {
                out.push(violation(
                    &rules::DUPLICATE,
                    at,
                    format!("{} appears again; the first value is kept", show(&name)),
                ));
                return;
            }
            out.push(violation(&rules::UNKNOWN, at, unknown_reason(&name, kind)));
            generic_value_ok(&name, &value, value_at, has_equals, out);
            link.push_unknown(name, value);
        }
    }
}

/// A segment `name=value` at `at` whose name is `key` (of the link's kind), with its value
/// decoded (at `value_at` in the input): what [`segment`] decides for it, without looking at
/// the raw text again.
#[inline(always)]
fn known<'a>(
    key: Key,
    at: usize,
    value_at: usize,
    value: Cow<'a, str>,
    link: &mut Deeplink<'a>,
    offsets: &mut [u32; Key::COUNT],
    out: &mut Vec<Violation>,
) {
    if link.has(key) {
        out.push(duplicate(key, at));
        return;
    }
    let kind = link.target.kind();
    offsets[key.index()] = value_at as u32; // inputs are at most 64 KiB
    let plain = value.len() > 4 || !value.is_empty() && *value != *"null";
    if plain || generic_value_ok(key.wire(), &value, value_at, true, out) {
        check_value(kind, key, &value, value_at, out);
    }
    link.set(key, value);
}

fn duplicate(key: Key, at: usize) -> Violation {
    violation(
        &rules::DUPLICATE,
        at,
        format!("`{}` appears again; the first value is kept", key.wire()),
    )
}

/// Empty and `null` values; returns whether the value-specific checks should run.
fn generic_value_ok(name: &str, value: &str, at: usize, has_equals: bool, out: &mut Vec<Violation>) -> bool {
    if value.is_empty() {
        if has_equals {
            out.push(violation(
                &rules::EMPTY_VALUE,
                at,
                format!("{} is empty; leave the parameter out instead", show(name)),
            ));
        }
        return false;
    }
    if value == "null" {
        out.push(violation(
            &rules::NULL_VALUE,
            at,
            format!("{} is the literal string null", show(name)),
        ));
        return false;
    }
    true
}

fn unknown_reason(name: &str, kind: Kind) -> String {
    if Key::from_wire(name).is_some() {
        return format!(
            "`{name}` is not a parameter of a {} link (it belongs to the other kind)",
            kind.scope()
        );
    }
    match Key::ALL
        .iter()
        .find(|k| k.applies_to(kind) && k.wire().eq_ignore_ascii_case(name))
    {
        Some(k) => format!(
            "unknown parameter {}; names are case-sensitive, did you mean `{}`?",
            show(name),
            k.wire()
        ),
        None => format!("unknown parameter {}", show(name)),
    }
}

/// The value rules of `key`, in table order; only the first one broken is reported (an `am`
/// that is no amount at all is not also told about its decimals).
#[inline(always)]
fn check_value(kind: Kind, key: Key, value: &str, at: usize, out: &mut Vec<Violation>) {
    if let Some(rule) = hot::first_broken(key, kind, value) {
        out.push(value_violation(kind, key, rule, value, at));
    }
}

/// The finding for a broken value rule: out of line, so that the checks above stay inlined in
/// the parser's loop without this one's stack frame (a call per value cost about a quarter of
/// the checks' time in `perf`).
#[cold]
#[inline(never)]
fn value_violation(kind: Kind, key: Key, rule: &ValueRule, value: &str, at: usize) -> Violation {
    Violation {
        rule: param_rule_id(kind, key, rule.suffix),
        severity: rule.severity,
        at: format!("byte {at}"),
        reason: format!(
            "`{}` is {}; expected a value that {}",
            key.wire(),
            show(value),
            rule.check.describe()
        ),
    }
}

/// Required parameters and cross-parameter rules.
fn finish(end: usize, kind: Kind, link: &Deeplink<'_>, offsets: &[u32; Key::COUNT], out: &mut Vec<Violation>) {
    for r in table::required(kind) {
        if !link.has(r.key) {
            out.push(Violation {
                rule: param_rule_id(kind, r.key, "required"),
                severity: r.severity,
                at: format!("byte {end}"),
                reason: format!("`{}` is missing", r.key.wire()),
            });
        }
    }
    let at = |k: Key| offsets[k.index()] as usize;
    match kind {
        Kind::Pay => {
            if link.has(Key::Url) != link.has(Key::Category) {
                let (present, missing) = if link.has(Key::Url) {
                    (Key::Url, Key::Category)
                } else {
                    (Key::Category, Key::Url)
                };
                out.push(violation(
                    &rules::URL_CATEGORY,
                    at(present),
                    format!("`{}` without `{}`", present.wire(), missing.wire()),
                ));
            }
            let mam = link.get(Key::Mam).and_then(table::paise);
            let am = || link.get(Key::Am).and_then(table::paise);
            if let (Some(mam), Some(am)) = (mam, mam.and_then(|_| am())) {
                if mam > am {
                    out.push(violation(
                        &rules::MAM_NOT_ABOVE_AM,
                        at(Key::Mam),
                        format!("mam {mam} paise is more than am {am} paise"),
                    ));
                }
            }
        }
        Kind::Mandate => {
            let start = link.get(Key::Validitystart).and_then(table::ddmmyyyy);
            let end = link.get(Key::Validityend).and_then(table::ddmmyyyy);
            if let (Some(s), Some(e)) = (start, end) {
                if e < s {
                    out.push(violation(
                        &rules::VALIDITY_ORDER,
                        at(Key::Validityend),
                        "validityend is before validitystart".to_string(),
                    ));
                }
            }
        }
    }
}

/// Helper for callers that hold an owned string: parses and detaches from the input.
pub fn parse_owned(input: &str) -> Result<Parsed<'static>, DeeplinkError> {
    parse(input).map(|p| Parsed {
        deeplink: p.deeplink.into_owned(),
        violations: p.violations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_known_values_and_repeated_names_are_read_as_the_grammar_says() {
        // (input, name and decoded value kept, rule, the text the finding points at): a known
        // name with an escaped value takes the parser's direct path, an unknown one the segment
        // path; repeats of either keep the first value and are reported where they start (the
        // last occurrence of the text named).
        let cases: &[(&str, &str, &str, &str, &str)] = &[
            (
                "upi://pay?pa=a@bb&xq=1&xq=2",
                "xq",
                "1",
                "deeplink.param.duplicate",
                "xq=2",
            ),
            (
                "upi://pay?xq=1&pa=a@bb&xq=1",
                "xq",
                "1",
                "deeplink.param.duplicate",
                "xq=1",
            ),
            (
                "upi://pay?pn=A%20B&pn=C%20D&pa=a@bb",
                "pn",
                "A B",
                "deeplink.param.duplicate",
                "pn=C",
            ),
            (
                "upi://pay?pn=A%20B&pa=a@bb&pn=CD",
                "pn",
                "A B",
                "deeplink.param.duplicate",
                "pn=CD",
            ),
            (
                "upi://pay?pn=A+B%zz&pa=a@bb",
                "pn",
                "A B%zz",
                "deeplink.syntax.plus",
                "+B",
            ),
            (
                "upi://pay?pn=A+B%zz&pa=a@bb",
                "pn",
                "A B%zz",
                "deeplink.syntax.percent-escape",
                "%zz",
            ),
            ("upi://pay?tn=a=b%20c&pa=a@bb", "tn", "a=b c", "", ""),
            ("upi://pay?tn=Caf%C3%A9%20x&pa=a@bb", "tn", "Café x", "", ""),
            (
                "upi://pay?tn=a%C3&pa=a@bb",
                "tn",
                "a\u{FFFD}",
                "deeplink.syntax.utf8",
                "%C3",
            ),
            (
                "upi://pay?tn=a%E2%80%AEb&pa=a@bb",
                "tn",
                "a\u{202E}b",
                "deeplink.syntax.control",
                "%E2",
            ),
        ];
        for (input, name, value, rule, at) in cases {
            let parsed = parse(input).unwrap();
            let got = parsed.deeplink.params().find(|(n, _)| n == name).map(|(_, v)| v);
            assert_eq!(got, Some(*value), "{input}");
            let found: Vec<&str> = parsed.of_rule(rule).map(|v| v.at.as_str()).collect();
            let expected: Vec<String> = match input.rfind(at) {
                Some(p) if !rule.is_empty() => vec![format!("byte {p}")],
                _ => Vec::new(),
            };
            assert_eq!(found, expected, "{input}: {rule}");
        }
    }
}
