//! ICMPv6, NDP with its options, and the quoted invoking packet.
#![no_main]
use libfuzzer_sys::fuzz_target;
use netspec::net::Icmpv6Message;
use netspec::net::ndp::NdpMessage;

fuzz_target!(|data: &[u8]| {
    if let Ok(msg) = Icmpv6Message::parse(data) {
        let _ = (msg.mtu(), msg.pointer(), msg.echo(), msg.body());
        if let Some(Ok(inner)) = msg.invoking_packet() {
            let _ = inner.ext_chain();
        }
        let mut buf = [0u8; 64];
        let _ = msg.to_header().emit(&mut buf);
    }
    if let Ok(ndp) = NdpMessage::parse(data) {
        let _ = ndp.body();
        for o in ndp.options() {
            let _ = o;
        }
    }
});
