//! First byte: a form or multipart model; the rest: a form body, read and validated.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| upi_spec::fuzzing::message_form(data));
