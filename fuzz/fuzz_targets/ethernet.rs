//! Ethernet II / 802.3 frames with VLAN stacks: parse, walk, re-emit.
#![no_main]
use libfuzzer_sys::fuzz_target;
use netspec::link::EthernetFrame;

fuzz_target!(|data: &[u8]| {
    if let Ok(frame) = EthernetFrame::parse(data) {
        let _ = (frame.dst(), frame.src(), frame.ethertype(), frame.length(), frame.is_8023());
        let _ = (frame.tags(), frame.payload(), frame.trailer(), frame.llc());
        let header = frame.to_header();
        let mut buf = [0u8; 64];
        let n = header.emit(&mut buf).expect("a parsed header fits its own length");
        assert_eq!(&buf[..n], frame.header_bytes(), "emit(parse(b)) == b");
    }
});
