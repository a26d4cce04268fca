//! IPv4, strict and lax: the options iterator (every option rendered), the
//! checksum, exact re-emit of the header.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| netspec_fuzz::ipv4(data));
