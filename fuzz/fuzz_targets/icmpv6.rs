//! ICMPv6, NDP with its options, MLDv1/v2, and the quoted invoking packet.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| netspec_fuzz::icmpv6(data));
