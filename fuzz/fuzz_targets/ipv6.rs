//! IPv6, strict and lax: the extension-header walk, Hop-by-Hop and
//! Destination options, the chain summary, re-emit of the fixed header.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| netspec_fuzz::ipv6(data));
