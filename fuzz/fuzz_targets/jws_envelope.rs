//! A flattened-JWS request body, verified against the test key: never verifies, never panics.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| upi_spec::fuzzing::jws_envelope(data));
