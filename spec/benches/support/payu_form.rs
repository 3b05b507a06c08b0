//! The PayU form shared by `benches/payu_hash.rs` and `examples/hot_path_rates.rs`: a realistic
//! S2S UPI intent `_payment` request, hashed fields plus the ones PayU posts but does not hash.

use std::collections::BTreeMap;

use upi_spec::crypto::payu_hash::{Preimage, SALT_PLACEHOLDER};
use upi_spec::crypto::payu_sequence::HashFamily;

/// The test salt.
pub const SALT: &str = "upiConformanceTestSalt";

/// The posted form.
pub fn form() -> BTreeMap<String, String> {
    [
        ("key", "upiConformanceKey"),
        ("txnid", "txn20260102T101500Z000042"),
        ("amount", "1499.00"),
        ("productinfo", "Conformance order 42"),
        ("firstname", "Asha"),
        ("email", "asha.verma@example.in"),
        ("phone", "9876543210"),
        ("udf1", "order-42"),
        ("udf2", "web"),
        ("surl", "https://merchant.example.in/payu/success"),
        ("furl", "https://merchant.example.in/payu/failure"),
        ("pg", "UPI"),
        ("bankcode", "INTENT"),
        ("txn_s2s_flow", "4"),
        ("s2s_client_ip", "10.0.0.7"),
        ("s2s_device_info", "Mozilla/5.0"),
        ("upiAppName", "genericintent"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

/// The exact string the request hash digests, with the real salt (what the baselines digest).
pub fn preimage(fields: &BTreeMap<String, String>) -> String {
    Preimage::new(HashFamily::Request, fields)
        .expect("the form has key, txnid and amount")
        .masked_string()
        .replace(SALT_PLACEHOLDER, SALT)
}
