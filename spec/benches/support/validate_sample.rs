//! The instance shared by `benches/validate.rs` and `examples/hot_path_rates.rs`: the V3
//! registerIntent request sample, and the `jsonschema` validator built from our generated
//! schema of the same message (both judged from one model).

use std::path::Path;

use upi_spec::model::Message;
use upi_spec::{messages, schema};

/// The message validated.
pub const MESSAGE: &str = "merchant.register-intent.v3.request";

/// The model of [`MESSAGE`].
pub fn message() -> &'static Message {
    messages::find(MESSAGE).expect("the V3 request is modelled")
}

/// The sample in `golden/seeds/<dir>` (`corrected`, or `""` for the seed's printed one).
pub fn sample(dir: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../golden/seeds")
        .join(dir)
        .join("merchant.register-intent.v3.request.sample.json");
    serde_json::from_str(&std::fs::read_to_string(&path).expect("sample is checked in")).expect("sample is JSON")
}

/// The `jsonschema` validator of our generated body schema of [`MESSAGE`], built once.
pub fn schema_validator() -> jsonschema::Validator {
    let body_schema = schema::for_message(message())
        .into_iter()
        .find(|s| s.stem == MESSAGE)
        .expect("the body schema is generated")
        .schema;
    jsonschema::validator_for(&body_schema).expect("the generated schema compiles")
}
