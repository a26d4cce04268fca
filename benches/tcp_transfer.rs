//! `tcp_transfer_10MB`: 10,000,000 pseudo-random bytes (xorshift64*) one
//! way from a client to a server, from connection setup until both sides
//! have closed, in virtual time, on the terms of `benches/data/README.md`:
//! IPv4 over Ethernet, MTU 1500 (MSS 1460), TCP and IPv4 checksums
//! computed on send and verified on receive, 64 KiB connection buffers,
//! and the received bytes compared with the sent ones at the end.
//!
//! * `smoltcp`: two `tcp::Socket`s on one `Interface` over smoltcp's
//!   `Loopback` device, wrapped to report a 1514-byte Ethernet MTU (smoltcp
//!   counts the 14-byte Ethernet header in it) and checksum capabilities
//!   that compute and verify (the plain `Loopback` ignores checksums).
//! * `netspec`: two netspec TCP state machines joined by a lossless link:
//!   every segment is serialized into an Ethernet + IPv4 frame with both
//!   checksums filled, then parsed and verified before the peer sees it.
//!   The sender writes each segment straight into the frame
//!   (`Connection::poll_transmit_segment`); the receiving application
//!   waits in RECEIVE, so in-order data goes from the segment to it
//!   (`Connection::on_segment_direct`), and anything buffered is read in
//!   place (`readable` + `consume`).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

mod common;

/// Bytes sent one way.
const TRANSFER: usize = 10_000_000;
/// Socket and connection buffers, each direction.
const BUFFER: usize = 64 * 1024;
/// Give up after this much virtual time (a transfer takes well under it).
const TIME_LIMIT: Duration = Duration::from_secs(600);

mod smoltcp_side {
    use super::*;
    use smoltcp::iface::{Config, Interface, SocketSet};
    use smoltcp::phy::{ChecksumCapabilities, Device, DeviceCapabilities, Loopback, Medium};
    use smoltcp::socket::tcp;
    use smoltcp::time::Instant;
    use smoltcp::wire::{EthernetAddress, IpAddress, IpCidr};

    /// smoltcp's `Loopback` with the benchmark's link terms.
    struct Link(Loopback);

    impl Device for Link {
        type RxToken<'a> = <Loopback as Device>::RxToken<'a>;
        type TxToken<'a> = <Loopback as Device>::TxToken<'a>;

        fn capabilities(&self) -> DeviceCapabilities {
            let mut caps = self.0.capabilities();
            // smoltcp's Ethernet MTU includes the 14-byte header.
            caps.max_transmission_unit = 1500 + 14;
            // Default: compute on send and verify on receive, every protocol.
            caps.checksum = ChecksumCapabilities::default();
            caps
        }

        fn receive(&mut self, now: Instant) -> Option<(Self::RxToken<'_>, Self::TxToken<'_>)> {
            self.0.receive(now)
        }

        fn transmit(&mut self, now: Instant) -> Option<Self::TxToken<'_>> {
            self.0.transmit(now)
        }
    }

    /// Run one transfer; returns the bytes the server received.
    pub fn transfer(data: &[u8], received: &mut Vec<u8>) -> usize {
        received.clear();
        let mut dev = Link(Loopback::new(Medium::Ethernet));
        let mut now = Instant::ZERO;
        let config = Config::new(EthernetAddress([0x02, 0, 0, 0, 0, 1]).into());
        let mut iface = Interface::new(config, &mut dev, now);
        let addr = IpAddress::v4(127, 0, 0, 1);
        iface.update_ip_addrs(|a| a.push(IpCidr::new(addr, 8)).expect("one address"));
        let socket = || {
            tcp::Socket::new(
                tcp::SocketBuffer::new(vec![0; BUFFER]),
                tcp::SocketBuffer::new(vec![0; BUFFER]),
            )
        };
        let mut sockets = SocketSet::new(vec![]);
        let server = sockets.add(socket());
        let client = sockets.add(socket());
        sockets.get_mut::<tcp::Socket>(server).listen(80).expect("listen");
        sockets
            .get_mut::<tcp::Socket>(client)
            .connect(iface.context(), (addr, 80), 40000)
            .expect("connect");
        let (mut sent, mut client_closed, mut server_closed) = (0, false, false);
        let limit = Instant::ZERO + smoltcp::time::Duration::from_micros(TIME_LIMIT.as_micros() as u64);
        while now < limit {
            iface.poll(now, &mut dev, &mut sockets);
            let c = sockets.get_mut::<tcp::Socket>(client);
            while sent < data.len() && c.can_send() {
                match c.send_slice(&data[sent..]) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => sent += n,
                }
            }
            if sent == data.len() && !client_closed {
                c.close();
                client_closed = true;
            }
            let client_done = matches!(c.state(), tcp::State::TimeWait | tcp::State::Closed);
            let s = sockets.get_mut::<tcp::Socket>(server);
            while s.can_recv() {
                let _ = s.recv(|b| {
                    received.extend_from_slice(b);
                    (b.len(), ())
                });
            }
            if !server_closed && s.state() == tcp::State::CloseWait {
                s.close();
                server_closed = true;
            }
            if client_done && s.state() == tcp::State::Closed {
                break;
            }
            // Advance virtual time only when smoltcp has nothing to do now.
            match iface.poll_delay(now, &sockets) {
                Some(d) if d.total_micros() == 0 => {}
                Some(d) => now += d,
                None => now += smoltcp::time::Duration::from_millis(1),
            }
        }
        received.len()
    }
}

mod netspec_side {
    use super::*;
    use netspec::link::{EtherType, EthernetFrame, EthernetHeader, MacAddress};
    use netspec::net::{IpProtocol, Ipv4Flags, Ipv4Header, Ipv4Packet};
    use netspec::tcp::{Config, Connection, Instant, State};
    use netspec::transport::TcpSegment;
    use netspec::transport::tcp::fill_checksum_v4;
    use std::net::Ipv4Addr;

    /// One end of the link: its addresses and connection.
    struct Host {
        mac: MacAddress,
        ip: Ipv4Addr,
        conn: Connection,
        ident: u16,
    }

    /// Ethernet and IPv4 header bytes in front of the TCP segment.
    const HEADROOM: usize = 14 + 20;

    /// Take the next segment `from` has to send and serialize it as an
    /// Ethernet + IPv4 + TCP frame to `to` in `frame` (1514 bytes: the MTU
    /// is enforced by its size): the connection writes its TCP header and
    /// the payload (straight from its send buffer) after the headroom, then
    /// the TCP checksum, the IPv4 header with its checksum and the Ethernet
    /// header are filled in. Returns the frame length.
    fn serialize(from: &mut Host, to: (MacAddress, Ipv4Addr), now: Instant, frame: &mut [u8]) -> Option<usize> {
        let t = from.conn.poll_transmit_segment(now, &mut frame[HEADROOM..])?;
        let len = t.header.header_len() + t.payload_len;
        fill_checksum_v4(&mut frame[HEADROOM..HEADROOM + len], from.ip, to.1).expect("segment within the MTU");
        let eth = EthernetHeader::new(to.0, from.mac, EtherType::IPV4);
        let e = eth.emit(frame).expect("room for Ethernet");
        let mut ip = Ipv4Header::new(from.ip, to.1, IpProtocol::TCP, len);
        ip.identification = from.ident;
        from.ident = from.ident.wrapping_add(1);
        ip.flags = Ipv4Flags::DONT_FRAGMENT;
        ip.fill_checksum();
        let i = ip.emit(&mut frame[e..HEADROOM]).expect("room for IPv4");
        debug_assert_eq!(e + i, HEADROOM);
        Some(HEADROOM + len)
    }

    /// Parse and verify a frame, then hand the segment to `to`, whose
    /// application waits in RECEIVE: in-order data goes straight from the
    /// segment to `received` when nothing is buffered before it.
    fn deliver(to: &mut Host, now: Instant, frame: &[u8], received: &mut Vec<u8>) {
        let eth = EthernetFrame::parse(frame).expect("Ethernet");
        let ip = Ipv4Packet::parse(eth.payload()).expect("IPv4");
        assert!(ip.verify_checksum(), "IPv4 checksum");
        let seg = TcpSegment::parse(ip.payload()).expect("TCP");
        assert!(seg.verify_checksum_v4(ip.src(), ip.dst()), "TCP checksum");
        to.conn.on_segment_direct(now, &seg, &mut |p| {
            received.extend_from_slice(p);
            p.len()
        });
    }

    /// Send everything `from` has to send now; true if anything went.
    /// `received` collects the data `to` receives.
    fn flush(from: &mut Host, to: &mut Host, now: Instant, frame: &mut [u8], received: &mut Vec<u8>) -> bool {
        let mut any = false;
        while let Some(n) = serialize(from, (to.mac, to.ip), now, frame) {
            deliver(to, now, &frame[..n], received);
            any = true;
        }
        any
    }

    /// Run one transfer; returns the bytes the server received.
    pub fn transfer(data: &[u8], received: &mut Vec<u8>) -> usize {
        received.clear();
        let mut client = Host {
            mac: MacAddress([0x02, 0, 0, 0, 0, 1]),
            ip: Ipv4Addr::new(10, 0, 0, 1),
            conn: Connection::new(Config::default(), 40000),
            ident: 1,
        };
        let mut server = Host {
            mac: MacAddress([0x02, 0, 0, 0, 0, 2]),
            ip: Ipv4Addr::new(10, 0, 0, 2),
            conn: Connection::new(Config::default(), 80),
            ident: 1,
        };
        let mut now = Instant::ZERO;
        server.conn.accept_isn(0x2000_0000);
        server.conn.listen().expect("listen");
        client.conn.connect(now, 80, 0x1000_0000).expect("connect");
        let mut frame = vec![0u8; 1500 + 14];
        let (mut sent, mut client_closed, mut server_closed) = (0, false, false);
        let limit = Instant::ZERO + TIME_LIMIT;
        while now < limit {
            let mut busy = flush(&mut client, &mut server, now, &mut frame, received);
            // The client receives no data: anything it did would be an error.
            let mut nothing = Vec::new();
            busy |= flush(&mut server, &mut client, now, &mut frame, &mut nothing);
            assert!(nothing.is_empty() && client.conn.readable().is_empty());
            while sent < data.len() {
                match client.conn.send(&data[sent..]) {
                    Ok(n) if n > 0 => {
                        sent += n;
                        busy = true;
                    }
                    _ => break,
                }
            }
            if sent == data.len() && !client_closed {
                client.conn.close(now);
                client_closed = true;
                busy = true;
            }
            // Read what was buffered (data that arrived while earlier
            // bytes were unread) in place: append, then consume.
            loop {
                let readable = server.conn.readable();
                if readable.is_empty() {
                    break;
                }
                received.extend_from_slice(readable);
                let n = readable.len();
                server.conn.consume(n);
                busy = true;
            }
            if !server_closed && server.conn.recv(&mut [0u8; 1]) == Ok(0) {
                // End of stream: the peer's FIN arrived and all was read.
                server.conn.close(now);
                server_closed = true;
                busy = true;
            }
            let client_done = matches!(client.conn.state(), State::TimeWait | State::Closed);
            if client_done && server.conn.state() == State::Closed {
                break;
            }
            if !busy {
                // Nothing to do now: jump to the next timer (delayed ACK,
                // persist, ...) in virtual time.
                let next = match (client.conn.poll_timeout(), server.conn.poll_timeout()) {
                    (Some(a), Some(b)) => a.min(b),
                    (a, b) => a.or(b).expect("a pending timer while the transfer is unfinished"),
                };
                now = now.max(next);
                client.conn.on_timeout(now);
                server.conn.on_timeout(now);
            }
        }
        received.len()
    }
}

fn tcp_transfer(c: &mut Criterion) {
    let data = common::XorShift64Star::new(0x5eed_1234_abcd_ef01).bytes(TRANSFER);
    let mut received = Vec::with_capacity(TRANSFER);
    assert_eq!(netspec_side::transfer(&data, &mut received), TRANSFER);
    assert!(received == data, "netspec: received bytes differ");
    assert_eq!(smoltcp_side::transfer(&data, &mut received), TRANSFER);
    assert!(received == data, "smoltcp: received bytes differ");
    let mut g = c.benchmark_group("tcp_transfer_10MB");
    g.throughput(Throughput::Bytes(TRANSFER as u64));
    g.sample_size(10);
    g.bench_function("netspec", |b| {
        b.iter(|| {
            let n = netspec_side::transfer(black_box(&data), &mut received);
            assert!(n == TRANSFER && received == data);
        })
    });
    g.bench_function("smoltcp", |b| {
        b.iter(|| {
            let n = smoltcp_side::transfer(black_box(&data), &mut received);
            assert!(n == TRANSFER && received == data);
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = tcp_transfer
}
criterion_main!(benches);
