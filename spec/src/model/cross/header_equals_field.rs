//! A header carries the same value as a top-level body field.

use std::collections::HashSet;

use super::{CrossKind, Draft, Values};
use crate::constraint::show;

/// A header carries the same value as a top-level body field.
pub(super) struct HeaderEqualsField {
    pub header: &'static str,
    pub field: &'static str,
}

impl CrossKind for HeaderEqualsField {
    fn describe(&self) -> String {
        format!("header {} repeats {}", self.header, self.field)
    }

    fn fields(&self) -> Vec<&'static str> {
        vec![self.field]
    }

    fn header_field(&self) -> Option<(&'static str, &'static str)> {
        Some((self.header, self.field))
    }

    fn check(&self, v: &dyn Values) -> Option<String> {
        let (header, field) = (self.header, self.field);
        let (Some(h), Some(f)) = (v.header(header), v.get(field)) else {
            return None;
        };
        (Some(h) != f.as_str()).then(|| format!("header {header} is {h:?} but {field} is {}", show(f)))
    }

    /// The header set to the field's text.
    fn repair(&self, d: &mut dyn Draft, _keep: &HashSet<&str>) -> bool {
        d.key_text(self.field).is_some_and(|v| d.set_header(self.header, v))
    }

    /// The header set to the field's text with one more character.
    fn breach(&self, d: &mut dyn Draft) {
        let value = d.key_text(self.field).unwrap_or_default();
        d.set_header(self.header, format!("{value}x"));
    }

    fn compares(&self) -> bool {
        true
    }
}
