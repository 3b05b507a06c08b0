//! The manifest of the seed samples (`golden/seeds/MANIFEST.json`): each sample printed in a
//! seed, the message it is for, and its corrected version. One typed shape for every reader
//! (the golden-seed test, the runner's plan); the reading of the file is the caller's.

use serde::{Deserialize, Deserializer};

use crate::id::MessageId;

/// One sample printed in a seed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    /// The verbatim sample's file name under `golden/seeds/verbatim/`.
    pub file: String,
    /// The message model it is a sample of (an ID the registry does not hold is an error).
    #[serde(deserialize_with = "message_id")]
    pub message: MessageId,
    /// The request model an envelope sample carries as its payload (each Merchant Stack curl
    /// sample sends one registerIntent version); absent for a sample of a plain message.
    #[serde(default, deserialize_with = "payload_id")]
    pub payload: Option<MessageId>,
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

impl Sample {
    /// The request model the sample sends: its payload's for an envelope sample, else its own.
    pub fn sends(&self) -> MessageId {
        self.payload.unwrap_or(self.message)
    }
}

/// Why a manifest cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// Not a manifest's JSON shape (or a message ID the registry does not hold).
    #[error("the manifest does not read: {0}")]
    Shape(#[from] serde_json::Error),
    /// An envelope sample without the model it carries, or a payload its message cannot carry.
    #[error("{file}: {reason}")]
    Payload {
        /// The sample's file name.
        file: String,
        /// What is wrong.
        reason: String,
    },
}

/// The samples of a manifest's text: every message ID names a registered model, and a sample
/// names a payload exactly when its message is an envelope carrying that payload's model.
pub fn parse_manifest(text: &str) -> Result<Vec<Sample>, ManifestError> {
    let samples: Vec<Sample> = serde_json::from_str(text)?;
    let envelope = |m: MessageId| m.message().envelope.map(crate::messages::envelope_model);
    for s in &samples {
        let is_envelope = crate::messages::all()
            .iter()
            .any(|m| envelope(MessageId::of(m)) == Some(s.message));
        let reason = match s.payload {
            None if is_envelope => format!("a sample of the envelope {} names no payload", s.message),
            Some(p) if envelope(p) != Some(s.message) => format!("{} does not carry {p}", s.message),
            _ => continue,
        };
        return Err(ManifestError::Payload {
            file: s.file.clone(),
            reason,
        });
    }
    Ok(samples)
}

fn message_id<'de, D: Deserializer<'de>>(d: D) -> Result<MessageId, D::Error> {
    let id = String::deserialize(d)?;
    MessageId::find(&id).ok_or_else(|| serde::de::Error::custom(format!("unknown message {id}")))
}

fn payload_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<MessageId>, D::Error> {
    message_id(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"[{"file":"a.json","message":"ec.txns.request","seed":"001.txt","section":"S","kind":"json","corrected":null,"notes":"n"}]"#;
    const ENVELOPE: &str = r#"[{"file":"e.curl","message":"merchant.jws-envelope","payload":"merchant.register-intent.v3.request","seed":"008.txt","section":"S","kind":"curl","corrected":"e.curl","notes":"n"}]"#;

    #[test]
    fn the_manifest_reads_typed_and_refuses_other_shapes() {
        let samples = parse_manifest(ONE).expect("a manifest");
        assert_eq!(samples[0].message, crate::messages::ids::EC_TXNS_REQUEST);
        assert_eq!(samples[0].sends(), crate::messages::ids::EC_TXNS_REQUEST);
        assert_eq!(samples[0].corrected, None);
        // A misspelt member is an error, not a sample silently missing its corrected file.
        let typo = ONE.replace("\"corrected\"", "\"corected\"");
        assert!(parse_manifest(&typo).is_err());
        assert!(parse_manifest("{}").is_err());
        // A message the registry does not hold is an error, not a sample no case sends.
        let unknown = ONE.replace("ec.txns.request", "ec.txns.requests");
        assert!(matches!(parse_manifest(&unknown), Err(ManifestError::Shape(_))));
    }

    #[test]
    fn an_envelope_sample_sends_the_payload_it_names_and_must_name_one() {
        let samples = parse_manifest(ENVELOPE).expect("a manifest");
        assert_eq!(samples[0].sends(), crate::messages::ids::REGISTER_INTENT_V3_REQUEST);
        // Without its payload the plan could not tell which version the sample sends.
        let bare = ENVELOPE.replace(r#""payload":"merchant.register-intent.v3.request","#, "");
        assert!(matches!(parse_manifest(&bare), Err(ManifestError::Payload { .. })));
        // A payload the envelope does not carry (a PayU form) is refused.
        let wrong = ENVELOPE.replace("merchant.register-intent.v3.request", "payu.payment.request");
        assert!(matches!(parse_manifest(&wrong), Err(ManifestError::Payload { .. })));
        // A plain message's sample names no payload.
        let plain = ONE.replace(r#""seed""#, r#""payload":"merchant.register-intent.v3.request","seed""#);
        assert!(matches!(parse_manifest(&plain), Err(ManifestError::Payload { .. })));
    }
}
