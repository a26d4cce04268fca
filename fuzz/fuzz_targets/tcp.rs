//! TCP segments: options iterator, typed getters, exact re-emit.
#![no_main]
use libfuzzer_sys::fuzz_target;
use netspec::transport::TcpSegment;

fuzz_target!(|data: &[u8]| {
    if let Ok(seg) = TcpSegment::parse(data) {
        for opt in seg.options() {
            let _ = opt;
        }
        let header = seg.to_header();
        let _ = (header.options.mss(), header.options.timestamps(), header.options.sack_blocks());
        let mut buf = [0u8; 60];
        let n = header.emit(&mut buf).expect("fits");
        assert_eq!(&buf[..n], seg.header_bytes(), "emit(parse(b)) == b");
    }
});
