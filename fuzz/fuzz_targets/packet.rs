//! The whole-packet view from both entry points (Ethernet and raw IP):
//! every accessor and the checksum report; the builder's inverse; and
//! in-place editing, whose incremental (RFC 1624) checksum updates must
//! equal a full recomputation.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| netspec_fuzz::packet(data));
