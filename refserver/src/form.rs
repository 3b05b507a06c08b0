//! Forms as a lenient parser (PHP's, say) reads them; shared by the judge and the client
//! report, so neither imports the other for it.

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

/// Form pairs as a lenient parser reads them (PHP's, say): a malformed percent escape stays as
/// it is, escapes that are not UTF-8 become U+FFFD.
pub fn lenient_form_pairs(text: &str) -> Vec<(String, String)> {
    lenient_form_pairs_lazily(text).collect()
}

/// [`lenient_form_pairs`], each pair decoded only when it is reached.
pub fn lenient_form_pairs_lazily(text: &str) -> impl Iterator<Item = (String, String)> + '_ {
    let decode = |s: &str| {
        percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    text.split('&').filter(|raw| !raw.is_empty()).map(move |raw| {
        let (k, v) = raw.split_once('=').unwrap_or((raw, ""));
        (decode(k), decode(v))
    })
}

/// Form pairs as an object of strings, the first of a repeated name kept.
pub fn lenient_form(pairs: Vec<(String, String)>) -> Value {
    let mut map = Map::new();
    for (k, v) in pairs {
        map.entry(k).or_insert(Value::String(v));
    }
    Value::Object(map)
}
