//! Run reports: a terminal summary grouped by suite and rule ([`text`]), JSON with a schema in
//! `schemas/run-report.schema.json` ([`json`]), JUnit XML for CI systems ([`junit`]) and one
//! self-contained triage page ([`html`]). Every failing case carries the command that re-runs it
//! alone and a curl script that re-sends its exchanges ([`repro`]).

pub mod html;
pub mod json;
pub mod junit;
pub mod repro;
pub mod text;

use std::path::PathBuf;

/// What the reports need to know beyond the [`crate::runner::Report`]: how the run was invoked
/// (for re-run commands) and where reproducer files may be written.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// `--config` of the run.
    pub config: Option<PathBuf>,
    /// `--target` of the run (none: the embedded server).
    pub target: Option<String>,
    /// `--fault` of the embedded server, if any.
    pub fault: Option<String>,
    /// Directory for reproducer scripts and large bodies (none: scripts are shown inline and
    /// bodies over 4 KiB are left out).
    pub repro_dir: Option<PathBuf>,
}

/// `text` with every control character except newline and tab shown as an escape (`\u{1b}`),
/// so a target's body cannot drive the reader's terminal (ESC, BEL, CR).
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && c != '\n' && c != '\t' {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            super::clean("a\u{1b}[31mb\u{7}\r\nc\td"),
            "a\\u{1b}[31mb\\u{7}\\u{d}\nc\td"
        );
    }
}
