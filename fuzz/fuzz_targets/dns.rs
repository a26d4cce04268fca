//! DNS messages, strict and lenient: every question, record, RDATA and
//! name rendered; the same bytes also read as a DNS-over-TCP stream
//! (RFC 1035 §4.2.2 two-byte length prefixes).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| netspec_fuzz::dns(data));
