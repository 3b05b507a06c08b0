//! A signature line and a TPAP signaturePayload: validated; the signature never verifies.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| upi_spec::fuzzing::signature_payload(data));
