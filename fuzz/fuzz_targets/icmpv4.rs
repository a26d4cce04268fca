//! ICMPv4 messages, the lax view of the quoted IPv4 header and its options.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| netspec_fuzz::icmpv4(data));
