//! The registerIntent API version, chosen by the `x-api-version` header (seed 003: V3, V2, V1,
//! and Default when the header is absent), read from the API facts and the request models
//! (which fix each version's header value) rather than typed again here.

use axum::http::HeaderMap;
use upi_spec::deeplink::mapping::Version as SeedVersion;
use upi_spec::id::{MessageId, RuleId};
use upi_spec::messages::{self, ids};

use crate::fault::Fault;
use crate::judge::Refusal;

/// The header that picks the version.
const HEADER: &str = "x-api-version";

/// One of seed 003's versions: an endpoint of the registerIntent API facts, picked by the
/// `x-api-version` value its request model fixes (a constant, or absent for Default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    request: MessageId,
    response: MessageId,
    /// The header value that selects it (`None`: no header).
    header: Option<&'static str>,
    /// Its request's rule on the header (its number, or that it is absent).
    rule: RuleId,
}

/// Every version, in the API facts' order (V3, V2, V1, Default): the endpoints of the API that
/// takes the Default request, each with the header value its request model fixes.
fn all() -> Vec<Version> {
    let Some(api) = messages::apis().iter().find(|a| {
        a.operations
            .iter()
            .any(|e| e.request == ids::REGISTER_INTENT_DEFAULT_REQUEST)
    }) else {
        return Vec::new();
    };
    api.operations
        .iter()
        .filter_map(|e| {
            let model = e.request.message();
            let header = model.headers.iter().find(|h| h.key.label() == HEADER)?.fixed_value()?;
            let rule = SeedVersion::ALL
                .into_iter()
                .find(|v| v.request() == e.request)?
                .header_rule();
            Some(Version {
                request: e.request,
                response: e.success,
                header,
                rule,
            })
        })
        .collect()
}

impl Version {
    /// The version a request asks for. Any other value is refused with the Default version's
    /// rule that the header is absent (the only version it could otherwise mean), unless
    /// `fault` ignores a version's rule on the header (V3's, V2's and V1's that it is their
    /// number, Default's that it is absent): then the other value is taken as that version.
    pub fn of(headers: &HeaderMap, fault: Option<&Fault>) -> Result<Version, Refusal> {
        let versions = all();
        let unversioned = versions.iter().find(|v| v.header.is_none()).copied();
        let numbers: Vec<&str> = versions.iter().filter_map(|v| v.header).collect();
        let numbers = match numbers.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => numbers.join(""),
        };
        let refuse = |shown: String| {
            Refusal::new(
                unversioned.map_or_else(String::new, |v| v.rule.into()),
                "header:x-api-version",
                format!("x-api-version {shown} is not {numbers} (send none for the Default version)"),
            )
        };
        let Some(value) = headers.get(HEADER) else {
            return unversioned.ok_or_else(|| refuse("absent".into()));
        };
        let asked = value.to_str().map(str::trim).ok();
        if let Some(version) = versions.iter().find(|v| v.header.is_some() && v.header == asked) {
            return Ok(*version);
        }
        let lenient = versions
            .iter()
            .find(|v| fault.is_some_and(|f| f.ignores(v.rule.as_str())));
        match lenient {
            Some(version) => Ok(*version),
            None => Err(refuse(format!("{:?}", String::from_utf8_lossy(value.as_bytes())))),
        }
    }

    /// Whether this is the version whose request model is `request`.
    pub fn is(self, request: MessageId) -> bool {
        self.request == request
    }

    /// The request model.
    pub fn request_model(self) -> &'static str {
        self.request.as_str()
    }

    /// The response model.
    pub fn response_model(self) -> &'static str {
        self.response.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use upi_spec::field_rules as rules;

    fn picked(h: &HeaderMap, fault: Option<&Fault>) -> Result<&'static str, String> {
        Version::of(h, fault)
            .map(Version::request_model)
            .map_err(|r| format!("{}: {}", r.rule, r.reason))
    }

    #[test]
    fn the_facts_give_four_versions_each_with_its_header() {
        let headers: Vec<Option<&str>> = all().iter().map(|v| v.header).collect();
        assert_eq!(headers, [Some("3"), Some("2"), Some("1"), None]);
    }

    #[test]
    fn header_picks_the_version() {
        let mut h = HeaderMap::new();
        assert_eq!(picked(&h, None), Ok(ids::REGISTER_INTENT_DEFAULT_REQUEST.as_str()));
        h.insert("x-api-version", HeaderValue::from_static("3"));
        assert_eq!(picked(&h, None), Ok(ids::REGISTER_INTENT_V3_REQUEST.as_str()));
        h.insert("x-api-version", HeaderValue::from_static(" 1 "));
        assert_eq!(picked(&h, None), Ok(ids::REGISTER_INTENT_V1_REQUEST.as_str()));
        h.insert("x-api-version", HeaderValue::from_static("4"));
        assert_eq!(
            picked(&h, None),
            Err(format!(
                "{}: x-api-version \"4\" is not 3, 2 or 1 (send none for the Default version)",
                rules::REGISTER_INTENT_DEFAULT_REQUEST_API_VERSION_ABSENT
            ))
        );
    }

    #[test]
    fn a_fault_ignoring_a_version_header_rule_takes_other_values_as_that_version() {
        let mut h = HeaderMap::new();
        h.insert("x-api-version", HeaderValue::from_static("4"));
        for (rule, version) in [
            (
                rules::REGISTER_INTENT_V2_REQUEST_API_VERSION_CONST,
                ids::REGISTER_INTENT_V2_REQUEST,
            ),
            (
                rules::REGISTER_INTENT_DEFAULT_REQUEST_API_VERSION_ABSENT,
                ids::REGISTER_INTENT_DEFAULT_REQUEST,
            ),
        ] {
            let fault = Fault::IgnoreRule(rule.into());
            assert_eq!(picked(&h, Some(&fault)), Ok(version.as_str()));
        }
        h.insert("x-api-version", HeaderValue::from_static("3"));
        let fault = Fault::IgnoreRule(rules::REGISTER_INTENT_V2_REQUEST_API_VERSION_CONST.into());
        assert_eq!(picked(&h, Some(&fault)), Ok(ids::REGISTER_INTENT_V3_REQUEST.as_str()));
    }
}
