//! First byte: a message model; the rest: a curl command line, parsed, read and validated.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| upi_spec::fuzzing::curl_command(data));
