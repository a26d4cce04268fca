//! ARP for any hardware/protocol address size: typed accessors, re-emit.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| netspec_fuzz::arp(data));
