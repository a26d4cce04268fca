//! UDP, strict and lax, re-emit.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| netspec_fuzz::udp(data));
