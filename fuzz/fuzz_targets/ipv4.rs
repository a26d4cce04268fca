//! IPv4 strict and lax parsing, the options iterator, checksum, re-emit.
#![no_main]
use libfuzzer_sys::fuzz_target;
use netspec::net::Ipv4Packet;

fuzz_target!(|data: &[u8]| {
    for packet in [Ipv4Packet::parse(data), Ipv4Packet::parse_lax(data)].into_iter().flatten() {
        for opt in packet.options() {
            let _ = opt;
        }
        let _ = (packet.verify_checksum(), packet.payload(), packet.trailer(), packet.missing_bytes());
        let header = packet.to_header();
        let mut buf = [0u8; 60];
        let n = header.emit(&mut buf).expect("fits");
        assert_eq!(&buf[..n], packet.header_bytes());
    }
});
