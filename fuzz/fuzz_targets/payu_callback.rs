//! A PayU callback/webhook form: validated, and the reverse hash it computes itself verifies.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| upi_spec::fuzzing::payu_callback(data));
