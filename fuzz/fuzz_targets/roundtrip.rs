//! parse → emit → parse is stable, for every owned header type. The first
//! byte picks the protocol, the rest is the input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use netspec::link::{ArpHeader, EthernetHeader};
use netspec::net::{Icmpv4Header, Icmpv6Header, Ipv4Header, Ipv6Header};
use netspec::transport::{TcpHeader, UdpHeader};

macro_rules! stable {
    ($ty:ty, $data:expr) => {{
        if let Ok((first, _)) = <$ty>::parse($data) {
            let mut buf = [0u8; 2048];
            let n = first.emit(&mut buf).expect("a parsed header emits");
            let (second, _) = <$ty>::parse(&buf[..n]).expect("emitted bytes parse");
            assert_eq!(first, second, "parse(emit(parse(b))) == parse(b)");
        }
    }};
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    match selector % 8 {
        0 => stable!(EthernetHeader, rest),
        1 => stable!(ArpHeader, rest),
        2 => stable!(Ipv4Header, rest),
        3 => stable!(Ipv6Header, rest),
        4 => stable!(Icmpv4Header, rest),
        5 => stable!(Icmpv6Header, rest),
        6 => stable!(TcpHeader, rest),
        _ => stable!(UdpHeader, rest),
    }
});
