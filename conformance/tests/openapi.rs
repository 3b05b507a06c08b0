//! `schemas/openapi.json`: up to date with the models, valid OpenAPI 3.1 (against the official
//! schema vendored in `golden/openapi/`, offline, and, when Python's `openapi-spec-validator` is
//! installed, by that independent validator too), every `$ref` resolving, and every message
//! with an endpoint described by some operation.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use upi_reference_server::openapi;
use upi_spec::model::api::BodyPredicate;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `$ref` value under `value`.
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// The operations of the document: (method path, Operation Object).
fn operations(doc: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths is an object") {
        for (method, op) in item.as_object().expect("path items are objects") {
            out.push((format!("{} {path}", method.to_uppercase()), op));
        }
    }
    out
}

#[test]
fn committed_document_is_up_to_date() {
    let text = std::fs::read_to_string(root().join("schemas/openapi.json")).expect("schemas/openapi.json exists");
    assert!(
        text == openapi::rendered(),
        "schemas/openapi.json is stale: run `cargo run -p upi-conformance -- openapi --output schemas/openapi.json`"
    );
}

#[test]
fn document_is_valid_openapi_3_1_per_the_official_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("golden/openapi/oas-3.1-schema.2022-10-07.json"))
            .expect("the vendored OpenAPI 3.1 schema exists"),
    )
    .expect("the vendored schema is JSON");
    let validator = jsonschema::options()
        .offline()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the OpenAPI 3.1 schema compiles offline");
    let doc = openapi::document();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "not valid OpenAPI 3.1:\n{}", errors.join("\n"));
    assert_eq!(doc["openapi"], "3.1.0");

    // The official schema accepts any Schema Object; ours must also be valid JSON Schema 2020-12.
    for (name, s) in doc["components"]["schemas"].as_object().expect("components.schemas") {
        jsonschema::meta::validate(s).unwrap_or_else(|e| panic!("components.schemas.{name}: {e}"));
    }
}

#[test]
fn the_validator_refuses_a_broken_document() {
    // The check above means something only if the vendored schema rejects what is not OpenAPI.
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("golden/openapi/oas-3.1-schema.2022-10-07.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options().offline().build(&schema).unwrap();
    let mut doc = openapi::document();
    doc["paths"]["/orders"]["post"]["responses"]["200"]
        .as_object_mut()
        .unwrap()
        .remove("description");
    assert!(
        !validator.is_valid(&doc),
        "a response without description must be refused"
    );
    let mut doc = openapi::document();
    doc["openapi"] = "3.0.3".into();
    assert!(!validator.is_valid(&doc), "an OpenAPI 3.0 version must be refused");
}

#[test]
fn every_ref_resolves() {
    let doc = openapi::document();
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 20, "the operations refer to the component schemas");
    for r in &all {
        let pointer = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{r} is not local to the document"));
        assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
    }
}

#[test]
fn component_names_are_message_ids_and_match_openapi_s_pattern() {
    let doc = openapi::document();
    let names: BTreeSet<&str> = doc["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for s in upi_spec::schema::all() {
        assert!(names.contains(s.stem.as_str()), "{} is not a component", s.stem);
    }
    for name in &names {
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c)),
            "{name} breaks ^[a-zA-Z0-9.-_]+$"
        );
    }
}

#[test]
fn every_message_with_an_endpoint_is_in_an_operation() {
    let doc = openapi::document();
    for m in upi_spec::messages::all().iter().filter(|m| m.endpoint.is_some()) {
        let endpoint = m.endpoint.unwrap();
        let path = endpoint.path.split('?').next().unwrap();
        let op = &doc["paths"][path][endpoint.method.to_lowercase()];
        let mut found = Vec::new();
        refs(op, &mut found);
        assert!(
            found.contains(&format!("#/components/schemas/{}", m.id)),
            "{} is not in {} {path}",
            m.id,
            endpoint.method
        );
        if endpoint.status != 0 {
            let mut in_status = Vec::new();
            refs(&op["responses"][endpoint.status.to_string()], &mut in_status);
            assert!(
                in_status.contains(&format!("#/components/schemas/{}", m.id)),
                "{} is not under status {}",
                m.id,
                endpoint.status
            );
        }
    }
}

#[test]
fn register_intent_versions_are_selected_by_the_header_and_carried_in_the_jws() {
    let doc = openapi::document();
    let op = &doc["paths"]["/api/{uri}/merchants/transactions/registerIntent"]["post"];
    let version = op["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "x-api-version")
        .expect("x-api-version is a parameter");
    assert_eq!(version["in"], "header");
    assert_eq!(version["required"], false, "absent selects the Default version");
    assert_eq!(version["schema"]["enum"], serde_json::json!(["3", "2", "1"]));
    assert!(
        version["description"]
            .as_str()
            .unwrap()
            .contains("merchant.register-intent.default.request")
    );
    let body = &op["requestBody"];
    assert_eq!(
        body["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/merchant.jws-envelope"
    );
    let carried = body["x-upi-envelope-payload"]["schemas"].as_object().unwrap();
    assert_eq!(carried.len(), 4);
    assert!(carried.contains_key("merchant.register-intent.v3.request"));
    for status in ["200", "400", "401", "409", "413"] {
        assert!(op["responses"][status].is_object(), "registerIntent documents {status}");
    }
    let routing = op["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "jpupi-routing-id")
        .expect("jpupi-routing-id is a parameter");
    assert_eq!(routing["required"], true);
    // "Tags: String, Mandatory" states presence; non-empty is our reading (`should`), which the
    // schemas do not enforce.
    assert!(routing["schema"]["minLength"].is_null(), "{}", routing["schema"]);
}

#[test]
fn postservice_has_form_2_and_one_body_per_command() {
    let doc = openapi::document();
    let op = &doc["paths"]["/merchant/postservice.php"]["post"];
    let form = op["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "form")
        .expect("form is a parameter");
    assert_eq!(form["in"], "query");
    assert_eq!(form["schema"]["const"], "2");
    let mut commands = Vec::new();
    refs(&op["requestBody"], &mut commands);
    assert_eq!(
        commands,
        [
            "#/components/schemas/payu.udf-update.request",
            "#/components/schemas/payu.invoice-upload.request",
            "#/components/schemas/payu.verify-payment.request",
        ]
    );
    assert!(op["requestBody"]["content"]["multipart/form-data"]["schema"]["oneOf"].is_array());
    assert!(op["requestBody"]["content"]["application/x-www-form-urlencoded"].is_object());
}

#[test]
fn orders_need_basic_auth_and_forms_have_their_media_type() {
    let doc = openapi::document();
    assert_eq!(doc["components"]["securitySchemes"]["basicAuth"]["scheme"], "basic");
    let orders = &doc["paths"]["/orders"]["post"];
    assert_eq!(orders["security"], serde_json::json!([{"basicAuth": []}]));
    assert!(orders["requestBody"]["content"]["application/x-www-form-urlencoded"].is_object());
    assert!(orders["responses"]["401"].is_object());
    assert!(doc["paths"]["/txns"]["post"].get("security").is_none());
    for (name, op) in operations(&doc) {
        let params = op["parameters"].as_array().map_or(&[][..], Vec::as_slice);
        for p in params {
            let n = p["name"].as_str().unwrap().to_ascii_lowercase();
            assert!(
                !["accept", "content-type", "authorization"].contains(&n.as_str()),
                "{name}: OpenAPI ignores a {n} header parameter"
            );
        }
    }
    assert_eq!(doc["servers"][0]["url"], "http://127.0.0.1:18080");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn sandbox_endpoints_are_tagged() {
    let doc = openapi::document();
    let sandbox: Vec<String> = operations(&doc)
        .into_iter()
        .filter(|(_, op)| op["tags"][0] == "sandbox")
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        sandbox,
        [
            "GET /sandbox/health",
            "POST /sandbox/payu/callback-url",
            "POST /sandbox/payu/complete"
        ]
    );
}

/// Cross-check with an independent implementation: Python's `openapi-spec-validator`, when it
/// is installed (it is not a dependency of the project; the test says why it skips).
#[test]
fn python_openapi_spec_validator_accepts_the_document() {
    let file = root().join("schemas/openapi.json");
    let script = "import json, sys\n\
try:\n    from openapi_spec_validator import validate\n\
except ImportError as e:\n    print(e); sys.exit(77)\n\
from importlib.metadata import version\n\
validate(json.load(open(sys.argv[1])))\nprint('valid', version('openapi-spec-validator'))\n";
    let output = match Command::new("python3").arg("-c").arg(script).arg(&file).output() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("skipped: python3 cannot be run ({e})");
            return;
        }
    };
    if output.status.code() == Some(77) {
        eprintln!(
            "skipped: the Python package openapi-spec-validator is not installed ({})",
            String::from_utf8_lossy(&output.stdout).trim()
        );
        return;
    }
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && said.starts_with("valid "),
        "openapi-spec-validator refuses schemas/openapi.json:\n{}{}",
        said,
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!(
        "openapi-spec-validator {}: schemas/openapi.json is valid",
        said.trim().trim_start_matches("valid ")
    );
}

/// The operations of the vendor APIs (not the host's control API) as `METHOD path`.
fn vendor_operations(doc: &Value) -> BTreeSet<String> {
    operations(doc)
        .into_iter()
        .filter(|(_, op)| op["tags"][0] != "sandbox")
        .map(|(name, _)| name)
        .collect()
}

/// What the API facts say the operations and their refusals are: `METHOD path` -> the refusal
/// entries (request, model, okBody, reasonCode) of its endpoints.
fn facts_operations() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for api in upi_spec::messages::apis() {
        for endpoint in api.setup.iter().chain(&api.operations) {
            let http = endpoint
                .request
                .message()
                .endpoint
                .expect("API facts name HTTP requests");
            let path = http.path.split('?').next().unwrap();
            let ok_body = endpoint.refusal.ok_body.as_ref().map(|p| match p {
                BodyPredicate::Present(at) => serde_json::json!({"pointer": at, "present": true}),
                BodyPredicate::NotEqual(at, v) => serde_json::json!({"pointer": at, "notEqual": v}),
                BodyPredicate::Equals(at, v) => serde_json::json!({"pointer": at, "equals": v}),
            });
            out.push((
                format!("{} {path}", http.method),
                serde_json::json!({
                    "request": endpoint.request.as_str(),
                    "clientError": endpoint.refusal.client_error,
                    "okBody": ok_body,
                    "model": endpoint.error.as_str(),
                    "reasonCode": endpoint.reason_code,
                }),
            ));
        }
    }
    out
}

/// Whether `doc` describes exactly the operations of the API facts, each with every one of its
/// endpoints' refusal shapes; the differences found.
fn differences_from_facts(doc: &Value) -> Vec<String> {
    let facts = facts_operations();
    let mut out = Vec::new();
    let wanted: BTreeSet<String> = facts.iter().map(|(op, _)| op.clone()).collect();
    let described = vendor_operations(doc);
    if wanted != described {
        out.push(format!("operations {described:?}, the facts say {wanted:?}"));
    }
    for (name, fact) in facts {
        let (method, path) = name.split_once(' ').unwrap();
        let entries = doc["paths"][path][method.to_lowercase()]["x-upi-refusal"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let entry = entries.iter().find(|e| e["request"] == fact["request"]);
        let Some(entry) = entry else {
            out.push(format!("{name}: no refusal of {}", fact["request"]));
            continue;
        };
        for key in ["clientError", "okBody", "model", "reasonCode"] {
            if entry.get(key).unwrap_or(&Value::Null) != &fact[key] {
                out.push(format!(
                    "{name}: {key} of {} is {:?}, the facts say {}",
                    fact["request"],
                    entry.get(key),
                    fact[key]
                ));
            }
        }
    }
    out
}

#[test]
fn operations_and_refusal_shapes_are_the_api_facts() {
    let doc = openapi::document();
    let differences = differences_from_facts(&doc);
    assert!(differences.is_empty(), "{differences:#?}");
    // PayU `_payment` refuses with HTTP 200 and metaData.txnStatus = failed as well as a 4xx.
    let payment = &doc["paths"]["/_payment"]["post"]["x-upi-refusal"][0];
    assert_eq!(
        payment["okBody"],
        serde_json::json!({"pointer": "/metaData/txnStatus", "equals": "failed"})
    );
}

#[test]
fn the_facts_check_sees_a_document_that_drifted() {
    // Deliberately broken documents: each drift from the facts is reported.
    let mut no_orders = openapi::document();
    no_orders["paths"].as_object_mut().unwrap().remove("/orders");
    assert!(
        !differences_from_facts(&no_orders).is_empty(),
        "a missing setup operation"
    );
    let mut wrong_shape = openapi::document();
    wrong_shape["paths"]["/_payment"]["post"]["x-upi-refusal"][0]["okBody"]["equals"] = "failure".into();
    assert!(
        !differences_from_facts(&wrong_shape).is_empty(),
        "a refusal body the facts do not say"
    );
    let mut no_refusal = openapi::document();
    no_refusal["paths"]["/merchant/postservice.php"]["post"]
        .as_object_mut()
        .unwrap()
        .remove("x-upi-refusal");
    assert!(
        !differences_from_facts(&no_refusal).is_empty(),
        "refusal shapes left out"
    );
    let mut extra = openapi::document();
    extra["paths"]["/unknown"] = serde_json::json!({"post": {"tags": ["ec"]}});
    assert!(
        !differences_from_facts(&extra).is_empty(),
        "an operation no API declares"
    );
}
