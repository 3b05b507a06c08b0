//! Arbitrary structured deeplink: build, parse, compare.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| upi_spec::deeplink::fuzzing::structured(data));
