//! IPv6 with the extension-header walk and HBH/Dest options.
#![no_main]
use libfuzzer_sys::fuzz_target;
use netspec::net::Ipv6Packet;

fuzz_target!(|data: &[u8]| {
    for packet in [Ipv6Packet::parse(data), Ipv6Packet::parse_lax(data)].into_iter().flatten() {
        for ext in packet.ext_headers() {
            if let Ok(ext) = ext {
                if let Some(opts) = ext.options() {
                    for o in opts {
                        let _ = o;
                    }
                }
            }
        }
        let _ = packet.ext_chain();
        let header = packet.to_header();
        let mut buf = [0u8; 40];
        let n = header.emit(&mut buf).expect("fits");
        assert_eq!(&buf[..n], &data[..40]);
    }
});
