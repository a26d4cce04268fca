//! UDP strict and lax parsing, re-emit.
#![no_main]
use libfuzzer_sys::fuzz_target;
use netspec::transport::UdpDatagram;

fuzz_target!(|data: &[u8]| {
    for d in [UdpDatagram::parse(data), UdpDatagram::parse_lax(data)].into_iter().flatten() {
        let _ = (d.payload(), d.trailer());
        let mut buf = [0u8; 8];
        d.to_header().emit(&mut buf).expect("fits");
        assert_eq!(&buf[..], &data[..8]);
    }
});
