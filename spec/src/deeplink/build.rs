//! The builder: a typed [`Deeplink`] to its canonical text. Canonical means: the target's
//! prefix and `?` (nothing for a bare query), known parameters in [`Key`] order, then unknown
//! ones in their order, every byte other than `A-Z a-z 0-9 - . _ ~ @` percent-encoded with
//! upper-case hex (so a space is always `%20`, never raw or `+`).
//!
//! [`Key`]: super::key::Key

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::link::{Deeplink, Target};

/// Bytes the builder escapes: everything but unreserved characters and `@` (kept for VPAs).
pub const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// Percent-encodes one name or value the canonical way.
pub fn encode(text: &str, out: &mut String) {
    for chunk in utf8_percent_encode(text, ESCAPED) {
        out.push_str(chunk);
    }
}

/// The canonical text of `link`.
pub fn build(link: &Deeplink<'_>) -> String {
    let mut out = String::with_capacity(160);
    if link.target != Target::Bare {
        out.push_str(link.target.prefix());
        out.push('?');
    }
    for (i, (name, value)) in link.params().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode(name, &mut out);
        out.push('=');
        encode(value, &mut out);
    }
    out
}
