//! Where a rule comes from: a section of one of the vendor documents in `shared/seeds/`, or a
//! decision of ours (`derived:`) with the justification written next to it.

use serde::Serialize;

/// File names of the five source documents, as they are cited in every source reference.
pub mod seeds {
    /// Juspay UPI Consumer Stack overview (flow level only).
    pub const CONSUMER_STACK: &str = "000_85e1766bcf84fc8e.txt";
    /// Juspay EC API `POST /txns`, UPI intent.
    pub const EC_TXNS: &str = "001_1b0630c78ed84f8a.txt";
    /// Juspay UPI TPAP SDK process payloads.
    pub const TPAP_SDK: &str = "002_4e7804b49379513d.txt";
    /// Juspay UPI Merchant Stack `registerIntent` (V3, V2, V1, Default).
    pub const REGISTER_INTENT: &str = "003_281ff019632ff3ac.txt";
    /// PayU UPI intent with S2S.
    pub const PAYU: &str = "004_6cda0769cab7ed06.txt";
}

/// The source reference of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// A section of a seed document.
    Seed {
        /// The seed's file name (one of [`seeds`]).
        file: &'static str,
        /// The section heading path inside the file, e.g. `API Version: V3 > Body Parameters`.
        section: &'static str,
    },
    /// Our choice where the seeds are silent, with its justification (and, where one exists,
    /// the public document in `shared/DOMAIN.md` it rests on).
    Derived {
        /// Why we chose this.
        why: &'static str,
    },
}

impl Source {
    /// A seed section.
    pub const fn seed(file: &'static str, section: &'static str) -> Self {
        Source::Seed { file, section }
    }

    /// A `derived:` source with its justification.
    pub const fn derived(why: &'static str) -> Self {
        Source::Derived { why }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Seed { file, section } => write!(f, "{file} § {section}"),
            Source::Derived { why } => write!(f, "derived: {why}"),
        }
    }
}
