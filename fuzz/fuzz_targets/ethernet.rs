//! Ethernet II / 802.3 frames with VLAN stacks: parse, every accessor,
//! exact re-emit of the header.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| netspec_fuzz::ethernet(data));
