#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| shafaf_core::fuzzing::run("summary", data));
