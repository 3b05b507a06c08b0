//! # upi-conformance
//!
//! The conformance suite's library: the runner ([`runner`]) plans cases from the `upi-spec`
//! models, sends them to a live implementation, judges every response from the models and
//! grades the outcomes; [`report`] renders the results. The `upi-conformance` binary is the CLI
//! over this library and over `upi-spec`'s validators, hashing and deeplink tools.

pub mod audit;
pub mod report;
pub mod runner;

/// Entry point of the `har_reader` fuzz target in `fuzz/` (one line there calls
/// [`fuzzing::har_reader`]), and of the replay of `golden/fuzz-regressions/har_reader/`.
#[doc(hidden)]
pub mod fuzzing {
    /// Arbitrary bytes as a HAR capture and as JSON lines of TPAP payloads. Oracle: neither
    /// reader panics; both either read the capture or return an error.
    pub fn har_reader(data: &[u8]) {
        let _ = crate::audit::har(data);
        let _ = crate::audit::json_lines(data);
    }
}
