//! What the models do not say about the reference server, as `refserver/README.md` documents
//! it: the status codes it answers beyond the response models' own, and its sandbox control API
//! (ours, not a vendor's, so it has no message models).

use serde_json::{Map, Value, json};

use super::{SANDBOX_TAG, schema_ref};

/// The body of an extra status.
#[derive(Debug, Clone, Copy)]
pub(super) enum Answer {
    /// One of these modelled messages (by ID).
    Models(&'static [&'static str]),
    /// The same models as the endpoint's answers with this status.
    LikeStatus(u16),
    /// Plain text written by the HTTP layer, not by the endpoint.
    Plain,
}

/// A status code the reference server answers that no response model of the endpoint names.
#[derive(Debug, Clone, Copy)]
pub(super) struct Extra {
    /// Path template (`*`: every endpoint with a request body).
    pub path: &'static str,
    /// HTTP status.
    pub status: u16,
    /// Its body.
    pub answer: Answer,
    /// When the server answers it.
    pub why: &'static str,
}

const REGISTER_INTENT: &str = "/api/{uri}/merchants/transactions/registerIntent";

/// refserver/README.md, "Endpoints" and "Merchant Stack registerIntent".
const EXTRA: [Extra; 6] = [
    Extra {
        path: "/orders",
        status: 400,
        answer: Answer::Models(&["ec.txns.error"]),
        why: "A model violation (MISSING_MANDATORY_PARAMETER, INVALID_INPUT) or an existing order_id (INVALID_INPUT), in seed 001's error shape",
    },
    Extra {
        path: "/orders",
        status: 401,
        answer: Answer::Models(&["ec.txns.error"]),
        why: "No or wrong HTTP Basic authentication (error_code UNAUTHENTICATED)",
    },
    Extra {
        path: REGISTER_INTENT,
        status: 400,
        answer: Answer::LikeStatus(200),
        why: "The version's response model with status FAILURE: unknown x-api-version, a body that is no flattened JWS, or a header or payload the version's request model refuses (BAD_REQUEST, INVALID_DATA)",
    },
    Extra {
        path: REGISTER_INTENT,
        status: 401,
        answer: Answer::LikeStatus(200),
        why: "The version's response model with status FAILURE: unknown merchant (INVALID_MERCHANT), a JWS that does not verify, or a stale iat or x-timestamp (UNAUTHORIZED)",
    },
    Extra {
        path: REGISTER_INTENT,
        status: 409,
        answer: Answer::LikeStatus(200),
        why: "The version's response model with status FAILURE: a merchantRequestId used before (DUPLICATE_REQUEST)",
    },
    Extra {
        path: "*",
        status: 413,
        answer: Answer::Plain,
        why: "The body is larger than the server's limit (1 MiB by default)",
    },
];

/// The extra statuses of `path` (`has_body`: whether the operation takes a request body).
pub(super) fn extra_statuses(path: &str, has_body: bool) -> Vec<Extra> {
    EXTRA
        .iter()
        .filter(|e| e.path == path || (e.path == "*" && has_body))
        .copied()
        .collect()
}

/// Component schemas of the sandbox API, keyed `sandbox.*`.
pub(super) fn sandbox_schemas() -> Map<String, Value> {
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
pub(super) fn sandbox_paths() -> Vec<(String, Value)> {
    vec![
        (
            "/sandbox/health".into(),
            json!({"get": {
                "tags": [SANDBOX_TAG],
                "summary": "Whether the target is a sandbox-capable reference server",
                "operationId": "get_sandbox_health",
                "responses": {"200": json_response("The server is the reference server", "sandbox.health")}
            }}),
        ),
        (
            "/sandbox/payu/callback-url".into(),
            json!({"post": {
                "tags": [SANDBOX_TAG],
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
            "/sandbox/payu/complete".into(),
            json!({"post": {
                "tags": [SANDBOX_TAG],
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
