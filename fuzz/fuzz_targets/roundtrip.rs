//! parse → emit → parse is stable, for every owned header type, DNS
//! messages (with and without name compression) and NDP messages.
//!
//! For a header, the parsed payload is written back after the emitted
//! header, so that length fields (IPv4 total length, UDP length) stay
//! consistent with the bytes that follow; the second parse must give back
//! the same header and the same payload.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| netspec_fuzz::roundtrip(data));
