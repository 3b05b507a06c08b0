//! RSA-2048 (RS256) signatures and verifications per second on one core, with the same code
//! path the runner and the reference server use (`upi_spec::crypto::response_signature`, on
//! AWS-LC), over a 600-byte body. The Merchant Stack bound of `benches/loopback_ceiling.sh` is
//! derived from these: each judged Merchant Stack request costs two signatures (the request's
//! JWS, the answer's `x-response-signature`) and two verifications.
//!
//! Run: `cargo run --release -p upi-spec --example rsa_rate [SECONDS]` (default 3 s per
//! operation). Prints one JSON line: `{"sign_per_s": .., "verify_per_s": ..}`.

use std::time::{Duration, Instant};

use upi_spec::crypto::keys::{private_key_from_pem, public_key_from_pem};
use upi_spec::crypto::response_signature::{sign, verify};

fn main() {
    let seconds: f64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(3.0);
    let budget = Duration::from_secs_f64(seconds);
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../golden/keys/");
    let read = |name: &str| std::fs::read_to_string(format!("{root}{name}")).expect("test key");
    let key = private_key_from_pem(&read("psp_response_signing.pem")).expect("private key");
    let public = public_key_from_pem(&read("psp_response_signing.pub.pem")).expect("public key");
    let body = vec![b'x'; 600];
    let header = sign(&key, &body).expect("sign");

    let (mut signs, started) = (0u64, Instant::now());
    while started.elapsed() < budget {
        std::hint::black_box(sign(&key, std::hint::black_box(&body)).expect("sign"));
        signs += 1;
    }
    let sign_rate = signs as f64 / started.elapsed().as_secs_f64();

    let (mut verifies, started) = (0u64, Instant::now());
    while started.elapsed() < budget {
        verify(&public, std::hint::black_box(&body), &header).expect("verify");
        verifies += 1;
    }
    let verify_rate = verifies as f64 / started.elapsed().as_secs_f64();
    println!("{{\"sign_per_s\": {sign_rate:.1}, \"verify_per_s\": {verify_rate:.1}}}");
}
