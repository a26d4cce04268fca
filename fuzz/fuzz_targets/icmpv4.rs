//! ICMPv4 messages and the lax view of the quoted IPv4 header.
#![no_main]
use libfuzzer_sys::fuzz_target;
use netspec::net::Icmpv4Message;

fuzz_target!(|data: &[u8]| {
    if let Ok(msg) = Icmpv4Message::parse(data) {
        let _ = (msg.body(), msg.quoted(), msg.quoted_transport());
        if let Some(Ok(inner)) = msg.quoted_packet() {
            for opt in inner.options() {
                let _ = opt;
            }
        }
        let header = msg.to_header();
        let mut buf = [0u8; 64];
        let _ = header.emit(&mut buf);
    }
});
