//! The manifest of the seed samples (`golden/seeds/MANIFEST.json`): each sample printed in a
//! seed, the message it is for, and its corrected version. One typed shape for every reader
//! (the golden-seed test, the runner's plan); the reading of the file is the caller's.

use serde::Deserialize;

/// One sample printed in a seed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    /// The verbatim sample's file name under `golden/seeds/verbatim/`.
    pub file: String,
    /// The message model it is a sample of.
    pub message: String,
    /// The seed file it is printed in.
    pub seed: String,
    /// The seed section it is printed under.
    pub section: String,
    /// How it is written: `json`, `text`, `curl` or `form`.
    pub kind: String,
    /// The corrected sample's file name under `golden/seeds/corrected/`, when one is possible.
    pub corrected: Option<String>,
    /// What is wrong with it, and its errata.
    pub notes: String,
}

/// The samples of a manifest's text.
pub fn parse_manifest(text: &str) -> Result<Vec<Sample>, serde_json::Error> {
    serde_json::from_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_reads_typed_and_refuses_other_shapes() {
        let one = r#"[{"file":"a.json","message":"ec.txns.request","seed":"001.txt","section":"S","kind":"json","corrected":null,"notes":"n"}]"#;
        let samples = parse_manifest(one).expect("a manifest");
        assert_eq!(samples[0].message, "ec.txns.request");
        assert_eq!(samples[0].corrected, None);
        // A misspelt member is an error, not a sample silently missing its corrected file.
        let typo = one.replace("\"corrected\"", "\"corected\"");
        assert!(parse_manifest(&typo).is_err());
        assert!(parse_manifest("{}").is_err());
    }
}
