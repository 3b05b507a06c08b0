//! The vendor routes, read from the API facts (`upi_spec::messages::apis`): every endpoint
//! (setup endpoints included) is served at its request model's path and method by its API's
//! handler. No endpoint path is written here; the only fact this module adds is which handler
//! serves which request model.

use axum::Router;
use axum::http::Method;
use axum::routing::{MethodFilter, MethodRouter, on};
use upi_spec::id::MessageId;
use upi_spec::messages::{self, ids};
use upi_spec::model::api::Operation;

use crate::app::AppState;
use crate::{ec, merchant, payu};

/// The endpoints of one path (without query) and method.
#[derive(Debug)]
pub struct Route {
    /// Path template (`{uri}`: one segment), as the request model writes it, without query.
    pub path: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// The API facts' endpoints served there, in API order.
    pub operations: Vec<&'static Operation>,
}

/// Every endpoint of the API facts whose request model travels over HTTP, grouped by path and
/// method, in API order.
pub fn routes() -> Vec<Route> {
    let mut out: Vec<Route> = Vec::new();
    for api in messages::apis() {
        for endpoint in api.setup.iter().chain(&api.operations) {
            let Some(http) = endpoint.request.message().endpoint else {
                continue;
            };
            let path = http.path.split('?').next().unwrap_or(http.path);
            match out.iter_mut().find(|r| r.path == path && r.method == http.method) {
                Some(route) => route.operations.push(endpoint),
                None => out.push(Route {
                    path,
                    method: http.method,
                    operations: vec![endpoint],
                }),
            }
        }
    }
    out
}

/// The handler of the endpoint that takes `request`, answering `method`; `None` for a request
/// model this server does not serve (a test proves every API endpoint has one).
fn handler(request: MessageId, method: MethodFilter) -> Option<MethodRouter<AppState>> {
    Some(match request {
        ids::EC_ORDERS_REQUEST => on(method, ec::orders::create),
        ids::EC_TXNS_REQUEST => on(method, ec::txns::pay),
        ids::REGISTER_INTENT_V3_REQUEST
        | ids::REGISTER_INTENT_V2_REQUEST
        | ids::REGISTER_INTENT_V1_REQUEST
        | ids::REGISTER_INTENT_DEFAULT_REQUEST => on(method, merchant::register_intent),
        ids::PAYU_PAYMENT_REQUEST => on(method, payu::payment::start),
        ids::PAYU_VERIFY_PAYMENT_REQUEST | ids::PAYU_UDF_UPDATE_REQUEST | ids::PAYU_INVOICE_UPLOAD_REQUEST => {
            on(method, payu::postservice::command)
        }
        _ => return None,
    })
}

/// The paths a route is served under: its own and, for a `.php` path, the same without the
/// extension (refserver/README.md: "also `/merchant/postservice?form=2`").
fn paths_of(path: &'static str) -> Vec<&'static str> {
    let mut out = vec![path];
    out.extend(path.strip_suffix(".php"));
    out
}

/// `router` with every vendor route added.
pub fn vendor(mut router: Router<AppState>) -> Router<AppState> {
    for route in routes() {
        let Some(method) = Method::from_bytes(route.method.as_bytes())
            .ok()
            .and_then(|m| MethodFilter::try_from(m).ok())
        else {
            continue;
        };
        // Every endpoint of one path is served by one handler (the first one's).
        let Some(first) = route.operations.first() else {
            continue;
        };
        let Some(serve) = handler(first.request, method) else {
            continue;
        };
        for path in paths_of(route.path) {
            router = router.route(path, serve.clone());
        }
    }
    router
}

/// Whether `template` (`{name}`: one non-empty segment) matches the request path `path`.
fn matches(template: &str, path: &str) -> bool {
    let (mut want, mut have) = (template.split('/'), path.split('/'));
    loop {
        match (want.next(), have.next()) {
            (None, None) => return true,
            (Some(w), Some(h)) if w.starts_with('{') && w.ends_with('}') && !h.is_empty() => {}
            (Some(w), Some(h)) if w == h => {}
            _ => return false,
        }
    }
}

/// Whether a request to `path` reaches an endpoint whose acceptances are signed
/// (`x-response-signature`). The signed paths are worked out once: every request asks.
pub fn signs_response(path: &str) -> bool {
    static SIGNED: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        routes()
            .iter()
            .filter(|r| r.operations.iter().any(|e| e.signed_response))
            .flat_map(|r| paths_of(r.path))
            .collect()
    });
    SIGNED.iter().any(|p| matches(p, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_of_the_api_facts_has_a_handler() {
        let routes = routes();
        assert!(routes.len() >= 5, "{routes:?}");
        for route in &routes {
            for endpoint in &route.operations {
                assert!(
                    handler(endpoint.request, MethodFilter::POST).is_some(),
                    "no handler serves {} at {} {}",
                    endpoint.request,
                    route.method,
                    route.path
                );
            }
        }
    }

    #[test]
    fn templates_match_one_segment_per_parameter() {
        let template = "/api/{uri}/merchants/transactions/registerIntent";
        assert!(matches(template, "/api/upi/merchants/transactions/registerIntent"));
        assert!(!matches(template, "/api//merchants/transactions/registerIntent"));
        assert!(!matches(template, "/api/a/b/merchants/transactions/registerIntent"));
        assert!(!matches(template, "/api/upi/merchants/transactions/registerIntent/x"));
        assert!(matches("/txns", "/txns"));
        assert!(!matches("/txns", "/orders"));
    }

    #[test]
    fn only_register_intent_signs_its_answers() {
        assert!(signs_response("/api/upi/merchants/transactions/registerIntent"));
        for unsigned in [
            "/txns",
            "/orders",
            "/_payment",
            "/merchant/postservice.php",
            "/sandbox/health",
        ] {
            assert!(!signs_response(unsigned), "{unsigned}");
        }
    }
}
