//! A PayU S2S _payment response: validated, and its intentURIData parsed as a deeplink.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| upi_spec::fuzzing::payu_s2s_response(data));
