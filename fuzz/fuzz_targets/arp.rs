//! ARP for any hardware/protocol size: parse, typed accessors, re-emit.
#![no_main]
use libfuzzer_sys::fuzz_target;
use netspec::link::ArpPacket;

fuzz_target!(|data: &[u8]| {
    if let Ok(arp) = ArpPacket::parse(data) {
        let _ = (arp.hw_type(), arp.proto_type(), arp.op(), arp.sender_mac(), arp.target_ipv4());
        let header = arp.to_header();
        let mut buf = [0u8; 1100];
        let n = header.emit(&mut buf).expect("fits");
        assert_eq!(&buf[..n], arp.header_bytes());
    }
});
