//! The registerIntent API version, chosen by the `x-api-version` header (seed 003: V3, V2, V1,
//! and Default when the header is absent).

use axum::http::HeaderMap;

use upi_spec::messages::ids;

use crate::fault::Fault;
use crate::judge::Refusal;

/// One of seed 003's four versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `x-api-version: 3`.
    V3,
    /// `x-api-version: 2`.
    V2,
    /// `x-api-version: 1`.
    V1,
    /// No `x-api-version`.
    Default,
}

impl Version {
    /// The version a request asks for. Any other value is refused with the Default version's
    /// rule that the header is absent (the only version it could otherwise mean), unless
    /// `fault` ignores a version's rule on the header (V3's, V2's and V1's that it is their
    /// number, Default's that it is absent): then the other value is taken as that version.
    pub fn of(headers: &HeaderMap, fault: Option<&Fault>) -> Result<Version, Refusal> {
        let Some(value) = headers.get("x-api-version") else {
            return Ok(Version::Default);
        };
        let header_rule = |version: &Version| {
            let rule = if *version == Version::Default {
                "absent"
            } else {
                "const"
            };
            format!("{}.header.x-api-version.{rule}", version.request_model())
        };
        let lenient = [Version::V3, Version::V2, Version::V1, Version::Default]
            .into_iter()
            .find(|v| fault.is_some_and(|f| f.ignores(&header_rule(v))));
        match (value.to_str().map(str::trim), lenient) {
            (Ok("3"), _) => Ok(Version::V3),
            (Ok("2"), _) => Ok(Version::V2),
            (Ok("1"), _) => Ok(Version::V1),
            (_, Some(version)) => Ok(version),
            _ => Err(Refusal::new(
                "merchant.register-intent.default.request.header.x-api-version.absent",
                "header:x-api-version",
                format!(
                    "x-api-version {:?} is not 3, 2 or 1 (send none for the Default version)",
                    String::from_utf8_lossy(value.as_bytes())
                ),
            )),
        }
    }

    /// The request model.
    pub fn request_model(self) -> &'static str {
        match self {
            Version::V3 => ids::REGISTER_INTENT_V3_REQUEST.as_str(),
            Version::V2 => ids::REGISTER_INTENT_V2_REQUEST.as_str(),
            Version::V1 => ids::REGISTER_INTENT_V1_REQUEST.as_str(),
            Version::Default => ids::REGISTER_INTENT_DEFAULT_REQUEST.as_str(),
        }
    }

    /// The response model.
    pub fn response_model(self) -> &'static str {
        match self {
            Version::V3 => ids::REGISTER_INTENT_V3_RESPONSE.as_str(),
            Version::V2 => ids::REGISTER_INTENT_V2_RESPONSE.as_str(),
            Version::V1 => ids::REGISTER_INTENT_V1_RESPONSE.as_str(),
            Version::Default => ids::REGISTER_INTENT_DEFAULT_RESPONSE.as_str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn header_picks_the_version() {
        let mut h = HeaderMap::new();
        assert_eq!(Version::of(&h, None), Ok(Version::Default));
        h.insert("x-api-version", HeaderValue::from_static("3"));
        assert_eq!(Version::of(&h, None), Ok(Version::V3));
        h.insert("x-api-version", HeaderValue::from_static("4"));
        assert!(
            Version::of(&h, None)
                .unwrap_err()
                .rule
                .ends_with("x-api-version.absent")
        );
    }

    #[test]
    fn a_fault_ignoring_a_version_header_rule_takes_other_values_as_that_version() {
        let mut h = HeaderMap::new();
        h.insert("x-api-version", HeaderValue::from_static("4"));
        for (rule, version) in [
            (
                "merchant.register-intent.v2.request.header.x-api-version.const",
                Version::V2,
            ),
            (
                "merchant.register-intent.default.request.header.x-api-version.absent",
                Version::Default,
            ),
        ] {
            let fault = Fault::IgnoreRule(rule.into());
            assert_eq!(Version::of(&h, Some(&fault)), Ok(version));
        }
        h.insert("x-api-version", HeaderValue::from_static("3"));
        let fault = Fault::IgnoreRule("merchant.register-intent.v2.request.header.x-api-version.const".into());
        assert_eq!(Version::of(&h, Some(&fault)), Ok(Version::V3));
    }
}
