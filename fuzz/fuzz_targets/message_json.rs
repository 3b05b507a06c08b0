//! First byte: a message model; the rest: JSON, read and validated (catalogued rule IDs, deterministic).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| upi_spec::fuzzing::message_json(data));
