//! Arbitrary bytes through the audit readers (HAR and TPAP JSON lines): no panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| upi_spec::fuzzing::har_reader(data));
