//! Arbitrary bytes: parse never panics; the canonical rebuild round-trips.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| upi_spec::deeplink::fuzzing::parse_round_trip(data));
