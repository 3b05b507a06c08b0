//! What the models and the API facts do not say about the reference server, as
//! `refserver/README.md` documents it: its default address, the status codes it answers beyond
//! the response models, and its sandbox control API (ours, not a vendor's, so it has no message
//! models). [`document`] is the OpenAPI description of the APIs as this server serves them
//! (`upi-conformance openapi` writes it to `schemas/openapi.json`).

use serde_json::{Map, Value, json};
use upi_spec::messages::ids;
use upi_spec::openapi::{Answer, Extra, Host, Scope, schema_ref};

use crate::sandbox;

/// The URL `upi-conformance serve` listens on by default.
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:18080";

/// The tag of the server's own control API, and its description.
const SANDBOX_TAG: (&str, &str) = (
    "sandbox",
    "The reference server's own control API (not a vendor API): health, the PayU callback URL, completing a pending payment",
);

/// refserver/README.md, "Endpoints" and "Merchant Stack registerIntent".
const EXTRA: [Extra; 6] = [
    Extra {
        scope: Scope::Takes(ids::EC_ORDERS_REQUEST),
        status: 400,
        answer: Answer::Refusal,
        why: "A model violation (MISSING_MANDATORY_PARAMETER, INVALID_INPUT) or an existing order_id (INVALID_INPUT), in seed 001's error shape",
    },
    Extra {
        scope: Scope::Takes(ids::EC_ORDERS_REQUEST),
        status: 401,
        answer: Answer::Refusal,
        why: "No or wrong HTTP Basic authentication (error_code UNAUTHENTICATED)",
    },
    Extra {
        scope: Scope::Takes(ids::MERCHANT_JWS_ENVELOPE),
        status: 400,
        answer: Answer::Refusal,
        why: "The version's response model with status FAILURE: unknown x-api-version, a body that is no flattened JWS, or a header or payload the version's request model refuses (BAD_REQUEST, INVALID_DATA)",
    },
    Extra {
        scope: Scope::Takes(ids::MERCHANT_JWS_ENVELOPE),
        status: 401,
        answer: Answer::Refusal,
        why: "The version's response model with status FAILURE: unknown merchant (INVALID_MERCHANT), a JWS that does not verify, or a stale iat or x-timestamp (UNAUTHORIZED)",
    },
    Extra {
        scope: Scope::Takes(ids::MERCHANT_JWS_ENVELOPE),
        status: 409,
        answer: Answer::Refusal,
        why: "The version's response model with status FAILURE: a merchantRequestId used before (DUPLICATE_REQUEST)",
    },
    Extra {
        scope: Scope::EveryBody,
        status: 413,
        answer: Answer::Plain,
        why: "The body is larger than the server's limit (1 MiB by default)",
    },
];

/// The reference server as an OpenAPI [`Host`].
pub fn host() -> Host {
    Host {
        name: "the reference server",
        title: "UPI payment-gateway APIs (upi-conformance reference server)",
        summary: "Juspay EC, Juspay UPI Merchant Stack and PayU UPI intent APIs as the reference server serves them",
        url: DEFAULT_SERVER,
        url_description: "The reference server (`upi-conformance serve`, default address); test-only credentials",
        documented_in: "refserver/README.md",
        basic_auth: "Juspay EC: the API key as user name, empty password (the reference server's is test_api_key)",
        extra: EXTRA.to_vec(),
        control_tag: SANDBOX_TAG,
        control_paths: sandbox_paths(),
        control_schemas: sandbox_schemas(),
    }
}

/// The OpenAPI 3.1 document of the APIs as the reference server serves them.
pub fn document() -> Value {
    upi_spec::openapi::document(&host())
}

/// [`document`] as the text of `schemas/openapi.json`.
pub fn rendered() -> String {
    upi_spec::openapi::rendered(&host())
}

/// Component schemas of the sandbox API, keyed `sandbox.*`.
fn sandbox_schemas() -> Map<String, Value> {
    let schemas = [
        (
            "sandbox.health",
            json!({
                "type": "object",
                "required": ["sandbox"],
                "properties": {"sandbox": {"const": "upi-reference-server"}}
            }),
        ),
        (
            "sandbox.callback-url.request",
            json!({
                "type": "object",
                "required": ["url"],
                "properties": {"url": {
                    "type": "string",
                    "description": "An http or https URL on localhost, 127.0.0.0/8 or [::1]",
                    "pattern": "^[hH][tT][tT][pP][sS]?://([lL][oO][cC][aA][lL][hH][oO][sS][tT]|127\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])|\\[::1\\])(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?([/?#][!-~]*)?$"
                }}
            }),
        ),
        (
            "sandbox.callback-url.response",
            json!({
                "type": "object",
                "required": ["callback_url"],
                "properties": {"callback_url": {"type": "string"}}
            }),
        ),
        (
            "sandbox.complete.request",
            json!({
                "type": "object",
                "required": ["txnid", "status"],
                "properties": {
                    "txnid": {"type": "string", "description": "The txnid of a pending _payment"},
                    "status": {"type": "string", "enum": ["success", "failure"]}
                }
            }),
        ),
        (
            "sandbox.complete.response",
            json!({
                "type": "object",
                "required": ["txnid", "status", "delivered", "callback_status"],
                "properties": {
                    "txnid": {"type": "string"},
                    "status": {"type": "string", "enum": ["success", "failure"]},
                    "delivered": {"type": "boolean", "description": "Whether the callback URL answered 2xx"},
                    "callback_status": {
                        "type": ["integer", "null"],
                        "description": "The callback's HTTP status; null when no URL is set or nothing answered"
                    }
                }
            }),
        ),
        (
            "sandbox.error",
            json!({
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "string"}}
            }),
        ),
    ];
    schemas.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn json_response(description: &str, schema: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema_ref(schema)}}})
}

fn form_body(schema: &str) -> Value {
    json!({
        "required": true,
        "content": {"application/x-www-form-urlencoded": {"schema": schema_ref(schema)}}
    })
}

fn too_large() -> Value {
    let why = EXTRA.iter().find(|e| e.status == 413).map_or("", |e| e.why);
    json!({"description": why, "content": {"text/plain": {"schema": {"type": "string"}}}})
}

/// The path items of the sandbox control API.
fn sandbox_paths() -> Vec<(String, Value)> {
    vec![
        (
            sandbox::HEALTH_PATH.into(),
            json!({"get": {
                "tags": [SANDBOX_TAG.0],
                "summary": "Whether the target is a sandbox-capable reference server",
                "operationId": "get_sandbox_health",
                "responses": {"200": json_response("The server is the reference server", "sandbox.health")}
            }}),
        ),
        (
            sandbox::CALLBACK_URL_PATH.into(),
            json!({"post": {
                "tags": [SANDBOX_TAG.0],
                "summary": "Set the merchant's PayU S2S callback URL (loopback only)",
                "operationId": "post_sandbox_payu_callback_url",
                "requestBody": form_body("sandbox.callback-url.request"),
                "responses": {
                    "200": json_response("The URL is set", "sandbox.callback-url.response"),
                    "400": json_response("No url=, or not a loopback http(s) URL", "sandbox.error"),
                    "413": too_large()
                }
            }}),
        ),
        (
            sandbox::COMPLETE_PATH.into(),
            json!({"post": {
                "tags": [SANDBOX_TAG.0],
                "summary": "Complete a pending PayU payment as the payer's UPI app would, then send the S2S callback (payu.callback)",
                "operationId": "post_sandbox_payu_complete",
                "requestBody": form_body("sandbox.complete.request"),
                "responses": {
                    "200": json_response("The payment is completed; the callback was sent if a URL is set", "sandbox.complete.response"),
                    "400": json_response("No txnid= or status=, or a status other than success or failure", "sandbox.error"),
                    "404": json_response("No payment has this txnid", "sandbox.error"),
                    "409": json_response("The payment is not pending", "sandbox.error"),
                    "413": too_large()
                }
            }}),
        ),
    ]
}
