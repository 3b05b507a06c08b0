//! The grammar's lexical layer (`spec/deeplink.abnf`): recognising the target before `?`, and
//! checking and percent-decoding one name or value. Works on bytes with a lookup table; decoded
//! text borrows from the input unless an escape had to be decoded.

use std::borrow::Cow;

use crate::rule::{RuleDef, Violation};

use super::error::DeeplinkError;
use super::key::same_short;
use super::link::Target;
use super::rules;

/// Inputs longer than this are rejected as a whole (no real deeplink comes close).
pub const MAX_LEN: usize = 64 * 1024;

/// Allowed raw in a query name or value (RFC 3986 `pchar / "/" / "?"` minus `&`, `=`, `+`).
const OK: u8 = 0;
/// `%`: must start an escape.
const PCT: u8 = 1;
/// A raw space.
const SPACE: u8 = 2;
/// A raw `+`.
const PLUS: u8 = 3;
/// Not allowed raw: controls, non-ASCII, `"#<>[\]^`{|}`.
const BAD: u8 = 4;

const CLASS: [u8; 256] = {
    let mut t = [BAD; 256];
    let mut c = 0usize;
    while c < 128 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() {
            t[c] = OK;
        }
        c += 1;
    }
    let allowed = b"-._~!$&'()*,;=:@/?";
    let mut i = 0;
    while i < allowed.len() {
        t[allowed[i] as usize] = OK;
        i += 1;
    }
    t[b'%' as usize] = PCT;
    t[b' ' as usize] = SPACE;
    t[b'+' as usize] = PLUS;
    t
};

/// Segment scanner classes: a plain byte, `&`, `=`, or one that needs the slow path.
pub(crate) const PLAIN: u8 = 0;
/// `&`: ends a segment.
pub(crate) const AMP: u8 = 1;
/// `=`: the first one splits name and value.
pub(crate) const EQ: u8 = 2;
/// Needs [`decode`]'s checks (escape, space, `+`, bad character).
pub(crate) const CARE: u8 = 3;

/// Byte classes for the segment scanner.
pub(crate) const SEGMENT: [u8; 256] = {
    let mut t = [PLAIN; 256];
    let mut i = 0;
    while i < 256 {
        if CLASS[i] != OK {
            t[i] = CARE;
        }
        i += 1;
    }
    t[b'&' as usize] = AMP;
    t[b'=' as usize] = EQ;
    t
};

/// The first index at or after `i` whose byte is not [`PLAIN`] (or `bytes.len()`). Eight bytes
/// at a time: their classes are OR-ed and one branch skips the whole word when all are plain
/// (the byte-at-a-time loop was about a third of `params`' self time in `perf`).
#[inline]
pub(crate) fn skip_plain(bytes: &[u8], mut i: usize) -> usize {
    let class = |b: u8| SEGMENT[usize::from(b)];
    while let Some(word) = bytes.get(i..i + 8) {
        if word.iter().fold(PLAIN, |acc, &b| acc | class(b)) != PLAIN {
            break;
        }
        i += 8;
    }
    while i < bytes.len() && class(bytes[i]) == PLAIN {
        i += 1;
    }
    i
}

pub(crate) fn violation(rule: &RuleDef, at: usize, reason: String) -> Violation {
    Violation {
        rule: rule.id.to_string(),
        severity: rule.severity,
        at: format!("byte {at}"),
        reason,
    }
}

/// Shortens a value for a reason text.
pub(crate) fn show(value: &str) -> String {
    const MAX: usize = 60;
    if value.chars().count() <= MAX {
        format!("{value:?}")
    } else {
        let head: String = value.chars().take(MAX).collect();
        format!("{head:?}...")
    }
}

/// Where the query starts and what the part before it names.
#[derive(Debug)]
pub(crate) struct Head<'a> {
    pub target: Target<'a>,
    /// Byte offset of the first query byte (after `?`, or 0 for a bare query).
    pub query_at: usize,
}

/// The known targets, for [`known_head`].
static KNOWN: [(&str, Target<'static>); 7] = Target::KNOWN;

/// A known target written exactly and followed by `?`: what [`head`]'s general path decides for
/// it (its scheme is valid, its first `:` comes before any `=` and no `?` comes earlier), with
/// one comparison instead of three searches of the input.
#[inline]
fn known_head(bytes: &[u8]) -> Option<Head<'static>> {
    // The one candidate whose first and seventh bytes hash as the input's do (every known
    // prefix is longer than seven bytes), instead of a search of the list.
    let (p, target) = match KNOWN_BY_HASH[head_hash(*bytes.first()?, *bytes.get(6)?)] {
        0 => return None,
        i => &KNOWN[usize::from(i) - 1],
    };
    let p = p.as_bytes();
    (bytes.get(p.len()) == Some(&b'?') && same_short(p, &bytes[..p.len()])).then(|| Head {
        target: target.clone(),
        query_at: p.len() + 1,
    })
}

/// [`known_head`]'s hash of a prefix's first and seventh bytes.
const fn head_hash(first: u8, seventh: u8) -> usize {
    (first as usize + 3 * seventh as usize) & 31
}

/// 1 + the index in [`KNOWN`] of the prefix with each [`head_hash`] (0: none); checked
/// collision-free at compile time.
const KNOWN_BY_HASH: [u8; 32] = {
    let mut table = [0u8; 32];
    let mut i = 0;
    while i < KNOWN_PREFIXES.len() {
        let p = KNOWN_PREFIXES[i].as_bytes();
        assert!(p.len() > 7, "known_head reads the seventh byte of every prefix");
        let h = head_hash(p[0], p[6]);
        assert!(table[h] == 0, "two known prefixes share a head hash: change head_hash");
        table[h] = i as u8 + 1;
        i += 1;
    }
    table
};

/// The prefixes of [`KNOWN`], in its order (readable in a constant).
const KNOWN_PREFIXES: [&str; 7] = {
    let mut p = [""; 7];
    let mut i = 0;
    while i < 7 {
        p[i] = Target::KNOWN[i].0;
        i += 1;
    }
    p
};

/// Splits `input` into target and query: `scheme ":" hier-part "?" query`, or a bare query when
/// the first `=` comes before any `:`.
pub(crate) fn head<'a>(input: &'a str, out: &mut Vec<Violation>) -> Result<Head<'a>, DeeplinkError> {
    if input.is_empty() {
        return Err(DeeplinkError::Empty);
    }
    if input.len() > MAX_LEN {
        return Err(DeeplinkError::TooLong {
            len: input.len(),
            max: MAX_LEN,
        });
    }
    let bytes = input.as_bytes();
    if let Some(head) = known_head(bytes) {
        return Ok(head);
    }
    let colon = bytes.iter().position(|&b| b == b':');
    let equals = bytes.iter().position(|&b| b == b'=');
    let colon = match (colon, equals) {
        (Some(c), None) => c,
        (Some(c), Some(e)) if c < e => c,
        (_, Some(_)) => {
            out.push(violation(
                &rules::BARE_QUERY,
                0,
                "no scheme: a bare query such as PayU's intentURIData".to_string(),
            ));
            return Ok(Head {
                target: Target::Bare,
                query_at: 0,
            });
        }
        (None, None) => {
            return Err(DeeplinkError::NotAUri {
                at: 0,
                reason: "neither `scheme:` nor `name=value`",
            });
        }
    };
    // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
    if colon == 0 {
        return Err(DeeplinkError::NotAUri {
            at: 0,
            reason: "empty scheme before `:`",
        });
    }
    for (i, &b) in bytes[..colon].iter().enumerate() {
        let ok = if i == 0 {
            b.is_ascii_alphabetic()
        } else {
            b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')
        };
        if !ok {
            return Err(DeeplinkError::NotAUri {
                at: i,
                reason: if i == 0 {
                    "a scheme starts with a letter"
                } else {
                    "a scheme has only letters, digits, '+', '-' and '.'"
                },
            });
        }
    }
    let q = bytes[colon..].iter().position(|&b| b == b'?').map(|p| colon + p);
    let prefix = &input[..q.unwrap_or(input.len())];
    // Schemes (and hosts) are case-insensitive: another letter case names the same target, a
    // should finding.
    let exact = Target::from_prefix(prefix);
    let folded = exact
        .is_none()
        .then(|| Target::from_prefix(&prefix.to_ascii_lowercase()))
        .flatten();
    let target = match (exact, folded) {
        (Some(t), _) => t,
        (None, Some(t)) => {
            out.push(violation(
                &rules::SCHEME_CASE,
                0,
                format!("{} is {} in another letter case", show(prefix), t.prefix()),
            ));
            t
        }
        (None, None) => {
            out.push(violation(
                &rules::SCHEME,
                0,
                format!("unknown deeplink target {}", show(prefix)),
            ));
            Target::Other(Cow::Borrowed(prefix))
        }
    };
    Ok(Head {
        target,
        query_at: q.map_or(input.len(), |q| q + 1),
    })
}

#[inline]
fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

#[inline]
fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Whether a decoded character is one [`rules::CONTROL`] forbids: C0, DEL, C1 controls and the
/// bidirectional embeddings, overrides and isolates.
#[inline]
pub(crate) fn is_forbidden_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Checks the characters of one raw name or value at byte offset `at` of the input, reporting
/// each raw space, `+`, bad character, malformed escape and decoded control character, and
/// percent-decodes it in the same pass (a malformed `%` stays literal, as in
/// `percent_encoding::percent_decode`; a raw `+` becomes a space, as form decoders read it).
/// Borrows when there is nothing to decode.
pub(crate) fn decode<'a>(raw: &'a str, at: usize, out: &mut Vec<Violation>) -> Cow<'a, str> {
    let bytes = raw.as_bytes();
    // Decoded text, once the first escape or `+` is seen; `raw[copied..i]` is the run of bytes
    // that decode to themselves and are not yet in `decoded` (copied whole, not per byte).
    let mut decoded = Decoded::None;
    let mut copied = 0;
    let put = |decoded: &mut Decoded, from: usize, upto: usize, byte: u8| {
        decoded.put(raw, from, upto, byte);
    };
    // Whether an escape produced a non-ASCII byte (C1 controls and bidi marks are possible).
    let mut high = false;
    let mut i = 0;
    loop {
        // Runs of plain bytes (all in class OK) eight at a time.
        i = skip_plain(bytes, i);
        let Some(&b) = bytes.get(i) else { break };
        match CLASS[b as usize] {
            OK => {}
            PCT => {
                let escape = match (bytes.get(i + 1), bytes.get(i + 2)) {
                    (Some(&h), Some(&l)) => hex_value(h).zip(hex_value(l)),
                    _ => None,
                };
                if let Some((h, l)) = escape {
                    let byte = h << 4 | l;
                    if byte < 0x20 || byte == 0x7F {
                        out.push(violation(
                            &rules::CONTROL,
                            at + i,
                            format!(
                                "{:?} decodes to the control character {:?}",
                                &raw[i..i + 3],
                                char::from(byte)
                            ),
                        ));
                    }
                    high |= byte >= 0x80;
                    put(&mut decoded, copied, i, byte);
                    i += 3;
                    copied = i;
                    continue;
                }
                out.push(violation(
                    &rules::PERCENT_ESCAPE,
                    at + i,
                    format!("`%` not followed by two hex digits in {}", show(raw)),
                ));
            }
            SPACE => out.push(violation(
                &rules::RAW_SPACE,
                at + i,
                format!("raw space in {}; write %20", show(raw)),
            )),
            PLUS => {
                out.push(violation(
                    &rules::PLUS,
                    at + i,
                    format!(
                        "raw `+` in {}, read as a space; write %20 for a space or %2B for a plus",
                        show(raw)
                    ),
                ));
                put(&mut decoded, copied, i, b' ');
                i += 1;
                copied = i;
                continue;
            }
            _ => {
                // Report each character once, at its first byte (skip UTF-8 continuation bytes).
                if !(0x80..0xC0).contains(&b) {
                    let c = raw[i..].chars().next().unwrap_or('\u{FFFD}');
                    out.push(violation(
                        &rules::CHAR,
                        at + i,
                        format!("{c:?} must be percent-encoded"),
                    ));
                }
            }
        }
        i += 1;
    }
    let mut decoded = match decoded {
        Decoded::None => return Cow::Borrowed(raw),
        // Runs of the input and ASCII bytes: text already, nothing to validate.
        Decoded::Text(mut text) => {
            text.push_str(&raw[copied..]);
            return Cow::Owned(text);
        }
        Decoded::Bytes(bytes) => bytes,
    };
    decoded.extend_from_slice(&bytes[copied..]);
    let text = match String::from_utf8(decoded) {
        Ok(s) => s,
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            out.push(violation(
                &rules::UTF8,
                at + raw_offset(bytes, bad),
                format!("percent-decoded bytes of {} are not UTF-8", show(raw)),
            ));
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    if high {
        // One finding per value (at the first such character), so that time stays linear.
        let mut bad = text
            .char_indices()
            .filter(|(_, c)| !c.is_ascii() && is_forbidden_char(*c));
        if let Some((d, c)) = bad.next() {
            let more = bad.count();
            out.push(violation(
                &rules::CONTROL,
                at + raw_offset(bytes, d),
                format!("decoded {c:?} is a control or bidirectional-override character ({more} more in this value)"),
            ));
        }
    }
    Cow::Owned(text)
}

/// What [`decode`] has built so far.
enum Decoded {
    /// Nothing to decode yet: the value is the raw text.
    None,
    /// Runs of the raw text and ASCII bytes from escapes and `+`: valid UTF-8 by construction.
    Text(String),
    /// Once an escape gave a byte above 127: bytes, checked as UTF-8 at the end.
    Bytes(Vec<u8>),
}

impl Decoded {
    /// Appends `raw[from..upto]` (a run between escapes: it starts and ends at ASCII bytes) and
    /// then `byte`.
    #[inline]
    fn put(&mut self, raw: &str, from: usize, upto: usize, byte: u8) {
        if let Decoded::None = self {
            *self = Decoded::Text(String::with_capacity(raw.len()));
        }
        match self {
            Decoded::Text(text) if byte.is_ascii() => {
                text.push_str(&raw[from..upto]);
                text.push(char::from(byte));
            }
            Decoded::Text(text) => {
                let mut bytes = std::mem::take(text).into_bytes();
                bytes.extend_from_slice(&raw.as_bytes()[from..upto]);
                bytes.push(byte);
                *self = Decoded::Bytes(bytes);
            }
            Decoded::Bytes(bytes) => {
                bytes.extend_from_slice(&raw.as_bytes()[from..upto]);
                bytes.push(byte);
            }
            Decoded::None => unreachable!("set above"),
        }
    }
}

/// Maps an index into the decoded bytes back to an offset into the raw bytes.
fn raw_offset(raw: &[u8], decoded_index: usize) -> usize {
    let (mut i, mut d) = (0, 0);
    while i < raw.len() && d < decoded_index {
        if raw[i] == b'%' && i + 2 < raw.len() && is_hex(raw[i + 1]) && is_hex(raw[i + 2]) {
            i += 3;
        } else {
            i += 1;
        }
        d += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `skip_plain` stops where a byte-by-byte scan stops, from every start, in inputs of every
    /// length up to 40 whose one stop byte (each class: `&`, `=`, an escape, a space, a
    /// non-ASCII byte) sits at every position, and in inputs without one.
    #[test]
    fn skip_plain_stops_where_a_byte_scan_stops() {
        let oracle = |bytes: &[u8], i: usize| {
            (i..bytes.len())
                .find(|&j| SEGMENT[usize::from(bytes[j])] != PLAIN)
                .unwrap_or(bytes.len())
        };
        for len in 0..=40usize {
            let plain: Vec<u8> = (0..len).map(|k| b"aZ9-._~!$'()*,;:@/?"[k % 19]).collect();
            let mut inputs = vec![plain.clone()];
            for stop in [b'&', b'=', b'%', b' ', b'+', b'#', 0x7f, 0xc3, 0x00] {
                for at in 0..len {
                    let mut v = plain.clone();
                    v[at] = stop;
                    inputs.push(v);
                }
            }
            for bytes in &inputs {
                for i in 0..=len {
                    assert_eq!(
                        skip_plain(bytes, i),
                        oracle(bytes, i),
                        "{:?} from {i}",
                        String::from_utf8_lossy(bytes)
                    );
                }
            }
        }
    }

    #[test]
    fn known_targets_only_when_written_exactly_and_followed_by_a_question_mark() {
        // (input, target prefix, query offset, findings): the shortcut for the known targets
        // must decide as the general path does, including for near misses of each prefix.
        let cases: &[(&str, &str, usize, &[&str])] = &[
            ("upi://pay?pa=a@bb", "upi://pay", 10, &[]),
            ("upi://mandate?pa=a@bb", "upi://mandate", 14, &[]),
            ("credpay://upi/pay?pa=a@bb", "credpay://upi/pay", 18, &[]),
            ("upi://pays?pa=a@bb", "upi://pays", 11, &["deeplink.syntax.scheme"]),
            ("upi://pa?y=1", "upi://pa", 9, &["deeplink.syntax.scheme"]),
            ("upi://pay", "upi://pay", 9, &[]),
            ("upi://paY?pa=a@bb", "upi://pay", 10, &["deeplink.syntax.scheme-case"]),
            ("upi://pay/?pa=a@bb", "upi://pay/", 11, &["deeplink.syntax.scheme"]),
            ("bhim://pax?pa=a@bb", "bhim://pax", 11, &["deeplink.syntax.scheme"]),
        ];
        for (input, prefix, query_at, rules) in cases {
            let mut out = Vec::new();
            let head = head(input, &mut out).unwrap();
            assert_eq!(head.target.prefix(), *prefix, "{input}");
            assert_eq!(head.query_at, *query_at, "{input}");
            let found: Vec<&str> = out.iter().map(|v| v.rule.as_str()).collect();
            assert_eq!(found, *rules, "{input}");
        }
    }
}
